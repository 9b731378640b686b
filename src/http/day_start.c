/* day_start — see day_start.h. */
#include "http/day_start.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/server.h"
#include "store/db.h"
#include "store/notify_duties.h"
#include "store/notify_events.h"
#include "store/obligations.h"
#include "store/post_life.h"
#include "util/log.h"

/* The thread and what it is asked: guarded by D.lock; `settled` and `stopping` are also read
 * without it (the cheap test on every request). */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;       /* the thread: a day wanted, or stop */
  pthread_cond_t done;       /* the waiters: an attempt ended */
  atomic_int settled;        /* yyyymmdd of the last day brought up to date; 0 none */
  atomic_int stopping;
  int wanted;                /* the day asked for (0 none pending) and its instant */
  int64_t wanted_now;
  int attempting;            /* the day of the attempt running; 0 none */
  bool running;
  pthread_t thread;
  struct db *db;
  const struct app *app;
} D = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static int param_or(const struct request *req, const char *id, int fallback)
{
  long v = policy_int(req->app->policy, id, req->today);
  return v > 0 ? (int)v : fallback;
}

void day_post_rules(const struct request *req, struct post_rules *out)
{
  out->handover_days = param_or(req, "handover_days", 15);
  out->vacancy_fill_days = param_or(req, "vacancy_fill_days", 30);
  out->term_notice_days = param_or(req, "term_end_notice_days", 60);
}

/* The duties coming due or just overdue (issue 13): the engine's rows as the policy has them today. */
static int duties_due(struct request *req, long *raised)
{
  static struct obligation rows[OBLIGATIONS_MAX]; /* the settlement thread's alone */
  struct compliance_query q;
  memset(&q, 0, sizeof q);
  const struct policy_param *p = policy_param(req->app->policy, "obligations", req->today);
  char why[200];
  if (!p || obligations_parse(p->value, rows, OBLIGATIONS_MAX, &q.nobligations, why, sizeof why) != 0) return DB_ERROR;
  long lock = policy_int(req->app->policy, "record_lock_days", req->today);
  long anchor = policy_int(req->app->policy, "obligation_two_year_anchor", req->today);
  q.obligations = rows;
  q.today = req->today;
  q.lock_days = lock >= 0 ? (int)lock : 10;
  q.anchor_year = anchor > 0 ? (int)anchor : 0;
  return notify_duties_settle(req->db, &q, req->now, raised);
}

/* The day of req settled on the settlement's connection (req is the thread's own): true when settled. */
static bool settle(struct request *req)
{
  bool settled = false;
  struct post_rules rules;
  day_post_rules(req, &rules);
  long changed = 0;
  int rc = db_begin(req->db);
  if (rc == DB_OK) rc = post_life_settle(req->db, &rules, req->today, req->now, NULL, &changed);
  if (rc == DB_OK) rc = db_commit(req->db);
  if (rc != DB_OK) {
    db_rollback(req->db);
    log_error("posts", "bringing the posts to day %d failed; the next request tries again", req->today);
  } else if (changed) {
    log_info("posts", "day %d: %ld posts changed state (start, handover, term end, recall)", req->today, changed);
  }
  /* issue 13: what the day brings due, each occasion once (store/notify_events, notify_duties) — a
   * transaction of its own, so that a failure here never holds back the posts' day; the next
   * request retries it, and an occasion already keyed is not raised twice */
  long raised = 0, duties = 0;
  int nc = rc == DB_OK ? db_begin(req->db) : DB_ERROR;
  if (nc == DB_OK) nc = notify_events_settle(req->db, req->today, rules.term_notice_days, req->now, &raised);
  if (nc == DB_OK) nc = db_commit(req->db);
  if (nc != DB_OK && rc == DB_OK) db_rollback(req->db);
  /* the duties in batches of their own (store/notify_duties): the matrix is read with no write lock */
  if (nc == DB_OK) nc = duties_due(req, &duties);
  if (nc == DB_OK) {
    if (raised + duties)
      log_info("notify", "day %d: %ld notices of duties, terms, handovers, vacancies and cases", req->today, raised + duties);
  } else if (rc == DB_OK) {
    log_error("notify", "raising the notices of day %d failed; the next request tries again", req->today);
  }
  /* 3.4b: the month just ended gets its allowance sheets — a transaction of its own too */
  int drafted = 0;
  int dc = nc == DB_OK ? db_begin(req->db) : DB_ERROR;
  if (dc == DB_OK && allowance_draft_due(req, &drafted) != 0) dc = DB_ERROR;
  if (dc == DB_OK) dc = db_commit(req->db);
  if (dc == DB_OK) {
    settled = true;
    if (drafted) log_info("allowance", "day %d: %d allowance sheets drafted for the month just ended", req->today, drafted);
  } else if (nc == DB_OK) {
    db_rollback(req->db);
    log_error("allowance", "drafting the allowance sheets of day %d failed; the next request tries again", req->today);
  }
  return settled;
}

/* One attempt at the day of `now` on the thread's connection, as a request of that instant would have made it. */
static bool attempt(int64_t now)
{
  struct request *req = calloc(1, sizeof *req);
  if (!req) { log_error("posts", "no memory for the day's settlement"); return false; }
  req->app = D.app;
  req->db = D.db;
  req->now = now;
  req->today = date_from_unix_cst((time_t)now);
  double t0 = clock_monotonic_ms();
  bool ok = settle(req);
  if (ok) log_info("posts", "day %d settled in %.0f ms", req->today, clock_monotonic_ms() - t0);
  else if (atomic_load(&D.stopping)) log_info("posts", "the settlement of day %d was cut short by the shutdown", req->today);
  free(req);
  return ok;
}

static void *settle_main(void *arg)
{
  (void)arg;
  pthread_mutex_lock(&D.lock);
  while (!atomic_load(&D.stopping)) {
    if (D.wanted <= atomic_load(&D.settled)) { D.wanted = 0; pthread_cond_wait(&D.wake, &D.lock); continue; }
    int day = D.wanted;
    int64_t now = D.wanted_now;
    D.wanted = 0;
    D.attempting = day;
    pthread_mutex_unlock(&D.lock);
    bool ok = attempt(now);
    pthread_mutex_lock(&D.lock);
    if (ok && day > atomic_load(&D.settled)) atomic_store(&D.settled, day);
    D.attempting = 0;
    pthread_cond_broadcast(&D.done);
  }
  pthread_mutex_unlock(&D.lock);
  return NULL;
}

/* Under D.lock: asks the thread for the day of (today, now) unless it is settled or already asked. */
static void want(int today, int64_t now)
{
  if (today <= atomic_load(&D.settled) || today <= D.wanted || today <= D.attempting) return;
  D.wanted = today;
  D.wanted_now = now;
  pthread_cond_signal(&D.wake);
}

int day_start_begin(const struct app *app, int64_t now)
{
  if (db_open(app->db_path, &D.db) != DB_OK) return -1;
  db_cancel_when(D.db, &D.stopping);
  D.app = app;
  atomic_store(&D.stopping, 0);
  pthread_mutex_lock(&D.lock);
  want(date_from_unix_cst((time_t)now), now);
  pthread_mutex_unlock(&D.lock);
  if (pthread_create(&D.thread, NULL, settle_main, NULL) != 0) {
    log_error("posts", "cannot start the day's settlement");
    db_close(D.db);
    D.db = NULL;
    return -1;
  }
  D.running = true;
  return 0;
}

void day_start_kick(const struct request *req)
{
  if (!D.running || req->today <= atomic_load(&D.settled)) return;
  pthread_mutex_lock(&D.lock);
  want(req->today, req->now);
  pthread_mutex_unlock(&D.lock);
}

int day_start_wait(const struct request *req)
{
  if (!D.running || req->today <= atomic_load(&D.settled)) return 0;
  pthread_mutex_lock(&D.lock);
  want(req->today, req->now);
  /* the attempt pending or running; when it fails the request goes on (as before issue 15) */
  while (req->today > atomic_load(&D.settled) && (D.attempting || D.wanted) && !atomic_load(&D.stopping))
    pthread_cond_wait(&D.done, &D.lock);
  int stopping = atomic_load(&D.stopping);
  pthread_mutex_unlock(&D.lock);
  return stopping ? -1 : 0;
}

void day_start_end(void)
{
  if (!D.running) return;
  pthread_mutex_lock(&D.lock);
  atomic_store(&D.stopping, 1); /* the connection's statements fail from now on (db_cancel_when) */
  pthread_cond_broadcast(&D.wake);
  pthread_cond_broadcast(&D.done);
  pthread_mutex_unlock(&D.lock);
  pthread_join(D.thread, NULL);
  db_close(D.db);
  D.db = NULL;
  D.running = false;
}
