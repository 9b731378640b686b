/* robot_message — see robot_message.h. HMAC-SHA256 and base64 from libsodium. */
#include "core/robot_message.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int robot_dingtalk_sign(int64_t timestamp_ms, const char *secret, char *out, size_t len)
{
  char to_sign[512];
  int n = snprintf(to_sign, sizeof to_sign, "%lld\n%s", (long long)timestamp_ms, secret);
  if (n < 0 || (size_t)n >= sizeof to_sign) return -1;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)to_sign, (unsigned long long)n);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(to_sign, sizeof to_sign);
  char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  size_t o = 0;
  for (const char *p = b64; *p; p++) {
    const char *enc = *p == '+' ? "%2B" : *p == '/' ? "%2F" : *p == '=' ? "%3D" : NULL;
    size_t need = enc ? 3 : 1;
    if (o + need >= len) return -1;
    if (enc) memcpy(out + o, enc, 3);
    else out[o] = *p;
    o += need;
  }
  out[o] = '\0';
  return 0;
}

char *robot_url(const char *kind, const char *webhook, const char *secret, int64_t timestamp_ms)
{
  char *url = NULL;
  if (strcmp(kind, "dingtalk") == 0 && secret && *secret) {
    char sign[128];
    if (robot_dingtalk_sign(timestamp_ms, secret, sign, sizeof sign) != 0) return NULL;
    if (asprintf(&url, "%s%ctimestamp=%lld&sign=%s", webhook, strchr(webhook, '?') ? '&' : '?',
                 (long long)timestamp_ms, sign) < 0)
      return NULL;
    return url;
  }
  return strdup(webhook);
}

char *robot_body(const char *title, const char *body)
{
  char *content = NULL;
  if (asprintf(&content, "【%s】%s", title, body) < 0) return NULL;
  json_t *msg = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content", content);
  free(content);
  char *out = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
  json_decref(msg);
  return out;
}

int robot_answer_ok(const char *answer, char *reason, size_t len)
{
  json_t *obj = json_loads(answer ? answer : "", 0, NULL);
  json_t *code = obj ? json_object_get(obj, "errcode") : NULL;
  int ok = json_is_integer(code) && json_integer_value(code) == 0;
  if (!ok) {
    const char *msg = obj ? json_string_value(json_object_get(obj, "errmsg")) : NULL;
    if (json_is_integer(code)) snprintf(reason, len, "平台拒收：errcode %lld %s", (long long)json_integer_value(code), msg ? msg : "");
    else snprintf(reason, len, "平台应答无法识别");
  }
  json_decref(obj);
  return ok ? 0 : -1;
}

int robot_webhook_allowed(const char *url)
{
  if (!url || strlen(url) > 1000 || strpbrk(url, " \t\r\n\"<>\\^`{|}")) return 0;
  const char *rest = NULL;
  if (strncmp(url, "https://", 8) == 0) rest = url + 8;
  else if (strncmp(url, "http://127.0.0.1:", 17) == 0 || strncmp(url, "http://127.0.0.1/", 17) == 0) rest = url + 7;
  if (!rest || !*rest || *rest == '/') return 0;
  size_t host = strcspn(rest, "/?#");
  return memchr(rest, '@', host) == NULL;
}

int robot_hhmm_valid(const char *s)
{
  return s && strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
         (s[0] < '2' || s[1] <= '3') && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9';
}

static int minutes_of(const char *s) { return ((s[0] - '0') * 10 + s[1] - '0') * 60 + (s[3] - '0') * 10 + s[4] - '0'; }

int robot_in_quiet_hours(int64_t t, const char *start, const char *end)
{
  if (!robot_hhmm_valid(start) || !robot_hhmm_valid(end)) return 0;
  int a = minutes_of(start), b = minutes_of(end);
  int m = (int)(((t + 8 * 3600) % 86400 + 86400) % 86400 / 60);
  if (a == b) return 0;
  return a < b ? (m >= a && m < b) : (m >= a || m < b);
}
