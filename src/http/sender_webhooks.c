/* sender_webhooks — see sender_webhooks.h. */
#include "http/sender_webhooks.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/robot_message.h"
#include "core/webhook_sign.h"
#include "http/curl_call.h"
#include "store/db.h"
#include "store/delivery.h"
#include "store/outbox.h"
#include "store/webhooks.h"

#define WEBHOOK_BATCH 16

/* The X-Zhucun headers; NULL when out of memory. */
static struct curl_slist *headers_for(const struct webhook_item *it, int64_t now)
{
  char ts[24], sig[WEBHOOK_SIGNATURE_SIZE], lines[3][200];
  snprintf(ts, sizeof ts, "%lld", (long long)now);
  if (webhook_signature(it->secret, ts, it->body, sig) != 0) return NULL;
  snprintf(lines[0], sizeof lines[0], "X-Zhucun-Event: %s", it->event);
  snprintf(lines[1], sizeof lines[1], "X-Zhucun-Timestamp: %s", ts);
  snprintf(lines[2], sizeof lines[2], "X-Zhucun-Signature: %s", sig);
  const char *const more[] = {lines[0], lines[1], lines[2]};
  return curl_json_headers(it->idem_key, more, 3);
}

/* Posts one delivery: 0 taken (2xx), -1 with reason. */
static int post(const struct webhook_item *it, int timeout, int64_t now, atomic_bool *stopping, char *reason, size_t len)
{
  if (!it->url || !it->secret || !robot_webhook_allowed(it->url)) {
    snprintf(reason, len, "推送地址或密钥无法解密，或地址不被允许（只允许 https，或本机 http://127.0.0.1）");
    return -1;
  }
  struct curl_slist *h = headers_for(it, now);
  struct curl_request rq = {it->url, it->body, h, timeout, stopping};
  struct curl_answer a;
  int rc = -1;
  if (!h) snprintf(reason, len, "内存不足");
  else if (curl_call(&rq, &a, reason, len) == 0) {
    rc = a.status >= 200 && a.status <= 299 ? 0 : -1;
    if (rc != 0) snprintf(reason, len, "对方应答 HTTP %ld", a.status);
  }
  curl_slist_free_all(h);
  return rc;
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
    if (!atomic_load(stopping))
      delivery_record(db, DELIVERY_WEBHOOK, s, items[i].id, items[i].attempts, ok, reason, clock_running_now());
    webhooks_item_clear(&items[i]);
  }
  return n;
}
