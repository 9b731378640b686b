/* sender_person — see sender_person.h. Runs on the sender thread only: the token cache needs no lock. */
#include "http/sender_person.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/person_message.h"
#include "core/robot_message.h"
#include "store/outbox.h"

#define ANSWER_MAX 4096
#define TOKEN_MAX 600
#define TOKEN_CACHE 8

struct answer { char text[ANSWER_MAX]; size_t len; };

/* One WeCom application's token: for which channel and which corpid/secret/base (a digest), until when. */
struct token { int64_t channel_id, until; unsigned char who[16]; char value[TOKEN_MAX]; };
static struct token tokens[TOKEN_CACHE];

static size_t on_data(char *data, size_t size, size_t n, void *cls)
{
  struct answer *a = cls;
  size_t bytes = size * n, room = sizeof a->text - 1 - a->len;
  size_t take = bytes < room ? bytes : room;
  memcpy(a->text + a->len, data, take);
  a->len += take;
  a->text[a->len] = '\0';
  return bytes;
}

static int on_progress(void *cls, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
  return atomic_load((atomic_bool *)cls) ? 1 : 0;
}

/* One request (POST when body, else GET): 0 with the HTTP status and answer, or -1 with the reason. */
static int request(const char *url, const char *body, struct curl_slist *headers, int timeout, atomic_bool *stopping,
                   struct answer *a, long *status, char *reason, size_t len)
{
  CURL *c = curl_easy_init();
  if (!c) { snprintf(reason, len, "内存不足"); return -1; }
  a->len = 0;
  a->text[0] = '\0';
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(timeout < 5 ? timeout : 5));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (body) curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, stopping);
  CURLcode res = curl_easy_perform(c);
  *status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
  curl_easy_cleanup(c);
  if (res == CURLE_OPERATION_TIMEDOUT) snprintf(reason, len, "超时（%d 秒内未应答）", timeout);
  else if (res != CURLE_OK) snprintf(reason, len, "发送失败：%s", curl_easy_strerror(res));
  return res == CURLE_OK ? 0 : -1;
}

/* The JSON headers with the idempotency key and, when given, one more header line. */
static struct curl_slist *json_headers(const char *idem_key, const char *extra)
{
  char key[128];
  snprintf(key, sizeof key, "X-Zhucun-Idempotency-Key: %s", idem_key);
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
  struct curl_slist *h2 = h ? curl_slist_append(h, key) : NULL;
  struct curl_slist *h3 = h2 && extra ? curl_slist_append(h2, extra) : h2;
  if (!h3) curl_slist_free_all(h);
  return h3;
}

/* ---- 短信 ---- */

static int post_sms(const struct outbox_item *it, json_t *config, int timeout, atomic_bool *stopping, char *reason,
                    size_t len)
{
  const char *template = json_string_value(json_object_get(config, "template"));
  const char *header = json_string_value(json_object_get(config, "auth_header"));
  if (!it->phone || !*it->phone) { snprintf(reason, len, "收信人没有登记手机号（或无法解密）"); return -1; }
  char *text = sms_text(it->title, it->body);
  char *body = text && template ? sms_body(template, it->phone, text) : NULL;
  char *auth = NULL;
  if (it->secret && *it->secret && asprintf(&auth, "%s: %s", header ? header : "Authorization", it->secret) < 0) auth = NULL;
  struct curl_slist *h = body ? json_headers(it->idem_key, auth) : NULL;
  int rc = -1;
  long status = 0;
  struct answer a;
  if (!h) snprintf(reason, len, "短信内容无法生成（请检查请求模板）");
  else if (request(it->webhook, body, h, timeout, stopping, &a, &status, reason, len) == 0) {
    rc = status >= 200 && status < 300 ? 0 : -1;
    if (rc != 0) snprintf(reason, len, "短信网关应答 HTTP %ld", status);
  }
  curl_slist_free_all(h);
  if (auth) { sodium_memzero(auth, strlen(auth)); free(auth); }
  if (body) { sodium_memzero(body, strlen(body)); free(body); }
  free(text);
  return rc;
}

/* ---- 企业微信应用消息 ---- */

static struct token *token_slot(const struct outbox_item *it, const char *corpid)
{
  unsigned char who[16];
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof who);
  crypto_generichash_update(&st, (const unsigned char *)corpid, strlen(corpid) + 1);
  crypto_generichash_update(&st, (const unsigned char *)it->secret, strlen(it->secret) + 1);
  crypto_generichash_update(&st, (const unsigned char *)it->webhook, strlen(it->webhook));
  crypto_generichash_final(&st, who, sizeof who);
  struct token *free_slot = &tokens[it->channel_id % TOKEN_CACHE];
  if (free_slot->channel_id != it->channel_id || memcmp(free_slot->who, who, sizeof who) != 0) {
    sodium_memzero(free_slot, sizeof *free_slot);
    free_slot->channel_id = it->channel_id;
    memcpy(free_slot->who, who, sizeof who);
  }
  return free_slot;
}

/* The base URL without its trailing "/". */
static int base_len(const char *base)
{
  size_t n = strlen(base);
  while (n > 0 && base[n - 1] == '/') n--;
  return (int)n;
}

static int fetch_token(const struct outbox_item *it, const char *corpid, struct token *t, int timeout, int64_t now,
                       atomic_bool *stopping, char *reason, size_t len)
{
  char id[200], secret[400], *url = NULL;
  if (url_escape(corpid, id, sizeof id) != 0 || url_escape(it->secret, secret, sizeof secret) != 0 ||
      asprintf(&url, "%.*s/cgi-bin/gettoken?corpid=%s&corpsecret=%s", base_len(it->webhook), it->webhook, id, secret) < 0) {
    sodium_memzero(secret, sizeof secret);
    snprintf(reason, len, "企业微信凭证参数过长");
    return -1;
  }
  sodium_memzero(secret, sizeof secret);
  struct answer a;
  long status = 0;
  int64_t expires = 0;
  int rc = request(url, NULL, NULL, timeout, stopping, &a, &status, reason, len);
  sodium_memzero(url, strlen(url));
  free(url);
  if (rc == 0 && status != 200) { snprintf(reason, len, "取企业微信凭证：对方应答 HTTP %ld", status); rc = -1; }
  if (rc == 0) rc = wecom_token_answer(a.text, t->value, sizeof t->value, &expires, reason, len);
  if (rc == 0) t->until = now + (expires > 120 ? expires - 60 : expires);
  return rc;
}

/* message/send once with t's token: 0 with the answer, or -1 with the reason. */
static int send_once(const struct outbox_item *it, const char *body, const struct token *t, int timeout,
                     atomic_bool *stopping, struct answer *a, char *reason, size_t len)
{
  char *url = NULL;
  if (asprintf(&url, "%.*s/cgi-bin/message/send?access_token=%s", base_len(it->webhook), it->webhook, t->value) < 0) {
    snprintf(reason, len, "内存不足");
    return -1;
  }
  struct curl_slist *h = json_headers(it->idem_key, NULL);
  long status = 0;
  int rc = h ? request(url, body, h, timeout, stopping, a, &status, reason, len) : -1;
  if (!h) snprintf(reason, len, "内存不足");
  if (rc == 0 && status != 200) { snprintf(reason, len, "企业微信应答 HTTP %ld", status); rc = -1; }
  curl_slist_free_all(h);
  free(url);
  return rc;
}

static int post_wecom(const struct outbox_item *it, json_t *config, int timeout, int64_t now, atomic_bool *stopping,
                      char *reason, size_t len)
{
  const char *corpid = json_string_value(json_object_get(config, "corpid"));
  json_int_t agentid = json_integer_value(json_object_get(config, "agentid"));
  if (!it->wecom_userid || !*it->wecom_userid) { snprintf(reason, len, "收信人没有登记企业微信账号"); return -1; }
  if (!corpid || !it->secret) { snprintf(reason, len, "企业微信应用的 corpid 或 Secret 未设置"); return -1; }
  char *body = wecom_app_body(it->wecom_userid, agentid, it->title, it->body);
  struct token *t = token_slot(it, corpid);
  struct answer a;
  int rc = body ? 0 : -1;
  if (!body) snprintf(reason, len, "内存不足");
  if (rc == 0 && (t->until <= now || !t->value[0])) rc = fetch_token(it, corpid, t, timeout, now, stopping, reason, len);
  if (rc == 0) rc = send_once(it, body, t, timeout, stopping, &a, reason, len);
  if (rc == 0 && wecom_token_refused(a.text)) { /* invalid or expired: a new token, one more try */
    t->until = 0;
    rc = fetch_token(it, corpid, t, timeout, now, stopping, reason, len);
    if (rc == 0) rc = send_once(it, body, t, timeout, stopping, &a, reason, len);
  }
  if (rc == 0) rc = robot_answer_ok(a.text, reason, len);
  if (rc != 0 && wecom_token_refused(a.text)) t->until = 0;
  free(body);
  return rc;
}

int sender_person_post(const struct outbox_item *it, int timeout, int64_t now, atomic_bool *stopping, char *reason,
                       size_t len)
{
  if (!it->webhook || !robot_webhook_allowed(it->webhook)) {
    snprintf(reason, len, "渠道地址无法解密或不被允许（只允许 https，或本机 http://127.0.0.1）");
    return -1;
  }
  json_t *config = json_loads(it->config ? it->config : "{}", 0, NULL);
  int rc = -1;
  if (!config) snprintf(reason, len, "渠道设置无法读取");
  else if (strcmp(it->kind, "sms") == 0) rc = post_sms(it, config, timeout, stopping, reason, len);
  else rc = post_wecom(it, config, timeout, now, stopping, reason, len);
  json_decref(config);
  return rc;
}
