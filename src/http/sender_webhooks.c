/* sender_webhooks — see sender_webhooks.h. */
#include "http/sender_webhooks.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/robot_message.h"
#include "core/webhook_sign.h"
#include "store/db.h"
#include "store/outbox.h"
#include "store/webhooks.h"
#include "util/log.h"

#define WEBHOOK_BATCH 16

static size_t discard(char *data, size_t size, size_t n, void *cls)
{
  (void)data;
  (void)cls;
  return size * n;
}

static int on_progress(void *cls, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
  (void)a; (void)b; (void)c; (void)d;
  return atomic_load((atomic_bool *)cls) ? 1 : 0;
}

/* The four X-Zhucun headers; NULL when out of memory. */
static struct curl_slist *headers_for(const struct webhook_item *it, int64_t now)
{
  char ts[24], sig[WEBHOOK_SIGNATURE_SIZE], line[200];
  snprintf(ts, sizeof ts, "%lld", (long long)now);
  if (webhook_signature(it->secret, ts, it->body, sig) != 0) return NULL;
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
  const char *const names[] = {"X-Zhucun-Event", "X-Zhucun-Timestamp", "X-Zhucun-Signature", "X-Zhucun-Idempotency-Key"};
  const char *const values[] = {it->event, ts, sig, it->idem_key};
  for (int i = 0; h && i < 4; i++) {
    snprintf(line, sizeof line, "%s: %s", names[i], values[i]);
    struct curl_slist *more = curl_slist_append(h, line);
    if (!more) { curl_slist_free_all(h); return NULL; }
    h = more;
  }
  return h;
}

static int perform(CURL *c, const struct webhook_item *it, struct curl_slist *h, int timeout, atomic_bool *stopping,
                   char *reason, size_t len)
{
  curl_easy_setopt(c, CURLOPT_URL, it->url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(timeout < 5 ? timeout : 5));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, it->body);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, stopping);
  CURLcode res = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (res == CURLE_OPERATION_TIMEDOUT) snprintf(reason, len, "超时（%d 秒内未应答）", timeout);
  else if (res != CURLE_OK) snprintf(reason, len, "发送失败：%s", curl_easy_strerror(res));
  else if (status < 200 || status > 299) snprintf(reason, len, "对方应答 HTTP %ld", status);
  else return 0;
  return -1;
}

/* Posts one delivery: 0 taken (2xx), -1 with reason. */
static int post(const struct webhook_item *it, int timeout, int64_t now, atomic_bool *stopping, char *reason, size_t len)
{
  if (!it->url || !it->secret || !robot_webhook_allowed(it->url)) {
    snprintf(reason, len, "推送地址或密钥无法解密，或地址不被允许（只允许 https，或本机 http://127.0.0.1）");
    return -1;
  }
  CURL *c = curl_easy_init();
  struct curl_slist *h = c ? headers_for(it, now) : NULL;
  int rc = -1;
  if (!c || !h) snprintf(reason, len, "内存不足");
  else rc = perform(c, it, h, timeout, stopping, reason, len);
  curl_slist_free_all(h);
  if (c) curl_easy_cleanup(c);
  return rc;
}

static void record(struct db *db, const struct notify_settings *s, const struct webhook_item *it, bool ok,
                   const char *reason, int64_t now)
{
  int attempts = it->attempts + 1;
  bool dead = !ok && attempts >= s->max_attempts;
  int rc = db_begin(db);
  if (rc == DB_OK) rc = ok ? webhooks_mark_sent(db, it->id, now) : webhooks_mark_failed(db, it->id, reason, dead, now + outbox_backoff(s, attempts));
  if (rc == DB_OK) rc = db_commit(db);
  else db_rollback(db);
  if (rc != DB_OK && rc != DB_CONFLICT) log_error("sender", "cannot record webhook delivery %lld's outcome", (long long)it->id);
  else if (dead) log_info("sender", "webhook delivery %lld dead after %d attempts", (long long)it->id, attempts);
}

int sender_webhooks_round(struct db *db, const struct vault *v, const struct notify_settings *s, atomic_bool *stopping)
{
  struct webhook_item items[WEBHOOK_BATCH];
  int n = 0;
  if (webhooks_due(db, v, clock_running_now(), items, WEBHOOK_BATCH, &n) != DB_OK) return 0;
  for (int i = 0; i < n; i++) {
    char reason[300] = "";
    bool ok = !atomic_load(stopping) &&
              post(&items[i], s->timeout_seconds, clock_running_now(), stopping, reason, sizeof reason) == 0;
    if (!atomic_load(stopping)) record(db, s, &items[i], ok, reason, clock_running_now());
    webhooks_item_clear(&items[i]);
  }
  return n;
}
