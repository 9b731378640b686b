/* sender_person — see sender_person.h. Runs on the sender thread only: the token cache needs no lock. */
#include "http/sender_person.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/person_message.h"
#include "core/robot_message.h"
#include "http/curl_call.h"
#include "store/outbox.h"

#define TOKEN_MAX 600
#define TOKEN_CACHE 8

/* One WeCom application's token: for which channel and which corpid/secret/base (a digest), until when. */
struct token { int64_t channel_id, until; unsigned char who[16]; char value[TOKEN_MAX]; };
static struct token tokens[TOKEN_CACHE];

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
  const char *more[] = {auth};
  struct curl_slist *h = body ? curl_json_headers(it->idem_key, more, auth ? 1 : 0) : NULL;
  int rc = -1;
  struct curl_answer a;
  struct curl_request rq = {it->webhook, body, h, timeout, stopping};
  if (!h) snprintf(reason, len, "短信内容无法生成（请检查请求模板）");
  else if (curl_call(&rq, &a, reason, len) == 0) {
    rc = a.status >= 200 && a.status < 300 ? 0 : -1;
    if (rc != 0) snprintf(reason, len, "短信网关应答 HTTP %ld", a.status);
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
  struct curl_answer a;
  int64_t expires = 0;
  struct curl_request rq = {url, NULL, NULL, timeout, stopping};
  int rc = curl_call(&rq, &a, reason, len);
  sodium_memzero(url, strlen(url));
  free(url);
  if (rc == 0 && a.status != 200) { snprintf(reason, len, "取企业微信凭证：对方应答 HTTP %ld", a.status); rc = -1; }
  if (rc == 0) rc = wecom_token_answer(a.text, t->value, sizeof t->value, &expires, reason, len);
  if (rc == 0) t->until = now + (expires > 120 ? expires - 60 : expires);
  return rc;
}

/* message/send once with t's token: 0 with the answer, or -1 with the reason. */
static int send_once(const struct outbox_item *it, const char *body, const struct token *t, int timeout,
                     atomic_bool *stopping, struct curl_answer *a, char *reason, size_t len)
{
  char *url = NULL;
  if (asprintf(&url, "%.*s/cgi-bin/message/send?access_token=%s", base_len(it->webhook), it->webhook, t->value) < 0) {
    snprintf(reason, len, "内存不足");
    return -1;
  }
  struct curl_slist *h = curl_json_headers(it->idem_key, NULL, 0);
  struct curl_request rq = {url, body, h, timeout, stopping};
  int rc = h ? curl_call(&rq, a, reason, len) : -1;
  if (!h) snprintf(reason, len, "内存不足");
  if (rc == 0 && a->status != 200) { snprintf(reason, len, "企业微信应答 HTTP %ld", a->status); rc = -1; }
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
  struct curl_answer a = {0};
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
