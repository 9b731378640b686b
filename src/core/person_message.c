/* person_message — see person_message.h. */
#include "core/person_message.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of the UTF-8 character starting at p (1 for a stray byte). */
static size_t char_len(const unsigned char *p)
{
  if (*p >= 0xF0) return 4;
  if (*p >= 0xE0) return 3;
  if (*p >= 0xC0) return 2;
  return 1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* s without its runs of 11 or more digits. malloc'd. */
static char *drop_long_numbers(const char *s)
{
  size_t n = strlen(s), o = 0;
  char *out = malloc(n + 1);
  if (!out) return NULL;
  for (size_t i = 0; i < n;) {
    size_t run = 0;
    while (is_digit(s[i + run])) run++;
    if (run >= 11) { i += run; continue; }
    if (run == 0) run = 1;
    memcpy(out + o, s + i, run);
    o += run;
    i += run;
  }
  out[o] = '\0';
  return out;
}

char *sms_text(const char *title, const char *body)
{
  char *full = NULL;
  if (asprintf(&full, "【%s】%s", title, body) < 0) return NULL;
  char *clean = drop_long_numbers(full);
  free(full);
  if (!clean) return NULL;
  size_t chars = 0, cut = 0, i = 0;
  while (clean[i]) {
    if (chars == SMS_TEXT_MAX - 1) cut = i;
    i += char_len((const unsigned char *)clean + i);
    chars++;
  }
  if (chars <= SMS_TEXT_MAX) return clean;
  char *out = NULL;
  int rc = asprintf(&out, "%.*s…", (int)cut, clean);
  free(clean);
  return rc < 0 ? NULL : out;
}

/* The JSON string s escaped, without its quotes. malloc'd. */
static char *json_inner(const char *s)
{
  json_t *str = json_string(s);
  char *dumped = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
  json_decref(str);
  if (!dumped) return NULL;
  size_t n = strlen(dumped);
  memmove(dumped, dumped + 1, n - 2);
  dumped[n - 2] = '\0';
  return dumped;
}

/* template with every `name` replaced by value. malloc'd. */
static char *replace_all(const char *template, const char *name, const char *value)
{
  size_t nl = strlen(name), vl = strlen(value), count = 0;
  for (const char *p = strstr(template, name); p; p = strstr(p + nl, name)) count++;
  char *out = malloc(strlen(template) + count * vl + 1);
  if (!out) return NULL;
  char *o = out;
  const char *p = template, *hit;
  while ((hit = strstr(p, name))) {
    memcpy(o, p, (size_t)(hit - p));
    o += hit - p;
    memcpy(o, value, vl);
    o += vl;
    p = hit + nl;
  }
  strcpy(o, p);
  return out;
}

char *sms_body(const char *template, const char *phone, const char *text)
{
  char *p = json_inner(phone), *t = json_inner(text);
  char *half = p && t ? replace_all(template, "{phone}", p) : NULL;
  char *out = half ? replace_all(half, "{text}", t) : NULL;
  free(p);
  free(t);
  free(half);
  return out;
}

int sms_template_ok(const char *template)
{
  if (!template || !strstr(template, "{phone}") || !strstr(template, "{text}")) return 0;
  char *filled = sms_body(template, "13800000000", "【测试】内容");
  json_t *obj = filled ? json_loads(filled, 0, NULL) : NULL;
  int ok = json_is_object(obj);
  json_decref(obj);
  free(filled);
  return ok;
}

char *wecom_app_body(const char *touser, int64_t agentid, const char *title, const char *body)
{
  char *content = NULL;
  if (asprintf(&content, "【%s】%s", title, body) < 0) return NULL;
  json_t *msg = json_pack("{s:s, s:s, s:I, s:{s:s}}", "touser", touser, "msgtype", "text", "agentid",
                          (json_int_t)agentid, "text", "content", content);
  free(content);
  char *out = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
  json_decref(msg);
  return out;
}

int wecom_token_answer(const char *answer, char *token, size_t len, int64_t *expires_in, char *reason, size_t rlen)
{
  json_t *obj = json_loads(answer ? answer : "", 0, NULL);
  json_t *code = json_object_get(obj, "errcode");
  const char *t = json_string_value(json_object_get(obj, "access_token"));
  json_t *exp = json_object_get(obj, "expires_in");
  int ok = (!code || (json_is_integer(code) && json_integer_value(code) == 0)) && t && *t && strlen(t) < len;
  if (ok) {
    snprintf(token, len, "%s", t);
    *expires_in = json_is_integer(exp) ? json_integer_value(exp) : 7200;
  } else if (json_is_integer(code)) {
    const char *msg = json_string_value(json_object_get(obj, "errmsg"));
    snprintf(reason, rlen, "取企业微信凭证失败：errcode %lld %s", (long long)json_integer_value(code), msg ? msg : "");
  } else {
    snprintf(reason, rlen, "取企业微信凭证失败：应答无法识别");
  }
  json_decref(obj);
  return ok ? 0 : -1;
}

int wecom_token_refused(const char *answer)
{
  json_t *obj = json_loads(answer ? answer : "", 0, NULL);
  json_t *code = json_object_get(obj, "errcode");
  int refused = json_is_integer(code) && (json_integer_value(code) == 40014 || json_integer_value(code) == 42001);
  json_decref(obj);
  return refused;
}

int url_escape(const char *s, char *out, size_t len)
{
  static const char HEX[] = "0123456789ABCDEF";
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || is_digit((char)*p) || strchr("-_.~", *p);
    if (o + (plain ? 1 : 3) >= len) return -1;
    if (plain) out[o++] = (char)*p;
    else { out[o++] = '%'; out[o++] = HEX[*p >> 4]; out[o++] = HEX[*p & 15]; }
  }
  out[o] = '\0';
  return 0;
}
