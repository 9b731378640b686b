/* sender — see sender.h. */
#include "http/sender.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/robot_message.h"
#include "http/curl_call.h"
#include "http/sender_person.h"
#include "http/sender_webhooks.h"
#include "store/db.h"
#include "store/delivery.h"
#include "store/notify_digest.h"
#include "store/outbox.h"
#include "store/outbox_limits.h"
#include "util/log.h"

#define SENDER_BATCH 16

static pthread_t thread;
static bool started;
static atomic_bool stopping;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static bool woken;
static char *path_copy;
static const struct vault *the_vault;

/* Posts one message: 0 taken, -1 with reason. */
static int post(const struct outbox_item *it, int timeout, int64_t now, char *reason, size_t len)
{
  if (it->user_id) return sender_person_post(it, timeout, now, &stopping, reason, len); /* 短信, 企业微信应用消息 */
  if (!it->webhook || !robot_webhook_allowed(it->webhook)) {
    snprintf(reason, len, "渠道地址无法解密或不被允许（只允许 https，或本机 http://127.0.0.1）");
    return -1;
  }
  char *url = robot_url(it->kind, it->webhook, it->secret, now * 1000);
  char *body = robot_body(it->title, it->body);
  struct curl_slist *h = url && body ? curl_json_headers(it->idem_key, NULL, 0) : NULL;
  int rc = -1;
  struct curl_answer a;
  struct curl_request rq = {url, body, h, timeout, &stopping};
  if (!h) snprintf(reason, len, "内存不足");
  else if (curl_call(&rq, &a, reason, len) == 0) {
    if (a.status != 200) snprintf(reason, len, "对方应答 HTTP %ld", a.status);
    else rc = robot_answer_ok(a.text, reason, len);
  }
  curl_slist_free_all(h);
  if (url) { memset(url, 0, strlen(url)); free(url); }
  free(body);
  return rc;
}

/* 发送限额: a message over a limit moves to the next window (never dropped); true when it did. */
static bool held(struct db *db, const struct notify_settings *s, const struct outbox_item *it, int64_t now)
{
  int64_t until = 0;
  if (outbox_hold_until(db, s, it->event_id, it->channel_id, now, &until) != DB_OK) {
    log_error("sender", "cannot count message %lld against the limits", (long long)it->id);
    return true;
  }
  if (until <= now) return false;
  if (outbox_postpone(db, it->id, until) != DB_OK) log_error("sender", "cannot postpone message %lld", (long long)it->id);
  return true;
}

/* One round: the rows due now. Returns how many were tried. */
static int round_once(struct db *db)
{
  struct notify_settings s;
  int64_t now = clock_running_now();
  if (outbox_settings_get(db, &s) != DB_OK) return 0;
  int pushed = sender_webhooks_round(db, the_vault, &s, &stopping); /* 数据推送: systems, no quiet hours */
  int digests = 0; /* 每日汇总: written to the outbox at the digest time, sent below like any message */
  if (notify_digest_run(db, now, s.digest_time, &digests) != DB_OK) log_error("sender", "cannot gather the daily digests");
  if (robot_in_quiet_hours(now, s.quiet_start, s.quiet_end)) return pushed;
  struct outbox_item items[SENDER_BATCH];
  int n = 0;
  if (outbox_due(db, the_vault, now, items, SENDER_BATCH, &n) != DB_OK) return 0;
  for (int i = 0; i < n; i++) {
    if (held(db, &s, &items[i], clock_running_now())) { outbox_item_clear(&items[i]); continue; }
    char reason[300] = "";
    int ok = !atomic_load(&stopping) && post(&items[i], s.timeout_seconds, clock_running_now(), reason, sizeof reason) == 0;
    if (!atomic_load(&stopping))
      delivery_record(db, DELIVERY_OUTBOX, &s, items[i].id, items[i].attempts, ok, reason, clock_running_now());
    outbox_item_clear(&items[i]);
  }
  return n + pushed;
}

static void wait_a_while(int busy)
{
  struct timespec until;
  clock_monotonic_deadline(busy ? 50 : 500, &until);
  pthread_mutex_lock(&lock);
  while (!woken && !atomic_load(&stopping))
    if (pthread_cond_timedwait(&wake, &lock, &until) != 0) break;
  woken = false;
  pthread_mutex_unlock(&lock);
}

static void *run(void *arg)
{
  struct db *db = NULL;
  if (db_open(path_copy, &db) != DB_OK) { log_error("sender", "cannot open the database"); return NULL; }
  while (!atomic_load(&stopping)) wait_a_while(round_once(db));
  db_close(db);
  return NULL;
}

int sender_start(const char *db_path, const struct vault *vault)
{
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return -1;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&wake, &attr);
  pthread_condattr_destroy(&attr);
  path_copy = strdup(db_path);
  the_vault = vault;
  atomic_store(&stopping, false);
  if (!path_copy || pthread_create(&thread, NULL, run, NULL) != 0) {
    free(path_copy);
    path_copy = NULL;
    pthread_cond_destroy(&wake);
    curl_global_cleanup();
    return -1;
  }
  started = true;
  return 0;
}

void sender_wake(void)
{
  if (!started) return;
  pthread_mutex_lock(&lock);
  woken = true;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&lock);
}

void sender_stop(void)
{
  if (!started) return;
  pthread_mutex_lock(&lock);
  atomic_store(&stopping, true);
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  started = false;
  free(path_copy);
  path_copy = NULL;
  pthread_cond_destroy(&wake);
  curl_global_cleanup();
}
