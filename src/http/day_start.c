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
#include "store/day_settled.h"
#include "store/db.h"
#include "store/notify_duties.h"
#include "store/notify_events.h"
#include "store/obligations.h"
#include "store/post_life.h"
#include "util/log.h"

enum { DAY_STAGES = 3 }; /* posts, notices, allowance (enum day_stage) */

/* The thread and what it is asked: guarded by D.lock; `settled` and `stopping` are also read
 * without it (the cheap test on every request). */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;       /* the thread: a day wanted, or stop */
  pthread_cond_t done;       /* the waiters: a stage settled, or an attempt ended */
  atomic_int settled[DAY_STAGES]; /* per stage (STAGES): yyyymmdd of the last day settled; 0 none */
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

/* Each stage in a transaction of its own, so that a failure in one never holds back another; its day
 * recorded (store/day_settled) in the transaction of its last write. true when settled. */
static bool stage_posts(struct request *req, const struct post_rules *rules)
{
  long changed = 0;
  int rc = db_begin(req->db);
  if (rc == DB_OK) rc = post_life_settle(req->db, rules, req->today, req->now, NULL, &changed);
  if (rc == DB_OK) rc = day_settled_put(req->db, "posts", req->today, req->now);
  if (rc == DB_OK) rc = db_commit(req->db);
  if (rc != DB_OK) {
    db_rollback(req->db);
    log_error("posts", "bringing the posts to day %d failed; the next request tries again", req->today);
    return false;
  }
  if (changed) log_info("posts", "day %d: %ld posts changed state (start, handover, term end, recall)", req->today, changed);
  return true;
}

/* issue 13: what the day brings due, each occasion once (store/notify_events, notify_duties); the
 * duties in batches of their own (the matrix is read with no write lock), every occasion keyed, so the
 * day is recorded after the last batch: a stage cut short between the two raises nothing twice. */
static bool stage_notices(struct request *req, const struct post_rules *rules)
{
  long raised = 0, duties = 0;
  int rc = db_begin(req->db);
  if (rc == DB_OK) rc = notify_events_settle(req->db, req->today, rules->term_notice_days, req->now, &raised);
  if (rc == DB_OK) rc = db_commit(req->db);
  else db_rollback(req->db);
  double t0 = clock_monotonic_ms();
  if (rc == DB_OK) rc = duties_due(req, &duties);
  double duties_ms = clock_monotonic_ms() - t0;
  if (rc == DB_OK) rc = db_begin(req->db);
  if (rc == DB_OK) {
    rc = day_settled_put(req->db, "notices", req->today, req->now);
    if (rc == DB_OK) rc = db_commit(req->db);
    if (rc != DB_OK) db_rollback(req->db);
  }
  if (rc != DB_OK) {
    log_error("notify", "raising the notices of day %d failed; the next request tries again", req->today);
    return false;
  }
  if (raised + duties)
    log_info("notify", "day %d: %ld notices of duties, terms, handovers, vacancies and cases", req->today, raised + duties);
  log_info("notify", "day %d: the duties' matrix read in %.0f ms", req->today, duties_ms);
  return true;
}

/* 3.4b: the month just ended gets its allowance sheets. */
static bool stage_allowance(struct request *req, const struct post_rules *rules)
{
  (void)rules;
  int drafted = 0;
  int rc = db_begin(req->db);
  if (rc == DB_OK && allowance_draft_due(req, &drafted) != 0) rc = DB_ERROR;
  if (rc == DB_OK) rc = day_settled_put(req->db, "allowance", req->today, req->now);
  if (rc == DB_OK) rc = db_commit(req->db);
  if (rc != DB_OK) {
    db_rollback(req->db);
    log_error("allowance", "drafting the allowance sheets of day %d failed; the next request tries again", req->today);
    return false;
  }
  if (drafted) log_info("allowance", "day %d: %d allowance sheets drafted for the month just ended", req->today, drafted);
  return true;
}

/* The stages in their order: the posts first, the others read the posts' day. */
static const struct stage {
  const char *name; /* day_settled.stage */
  unsigned bit;     /* enum day_stage */
  bool (*run)(struct request *req, const struct post_rules *rules);
} STAGES[DAY_STAGES] = {
    {"posts", DAY_POSTS, stage_posts},
    {"notices", DAY_NOTICES, stage_notices},
    {"allowance", DAY_ALLOWANCE, stage_allowance},
};

/* Whether every stage of `mask` has settled `today`. */
static bool settled_for(unsigned mask, int today)
{
  for (int i = 0; i < DAY_STAGES; i++)
    if ((mask & STAGES[i].bit) && atomic_load(&D.settled[i]) < today) return false;
  return true;
}

static int all_settled(void)
{
  int day = atomic_load(&D.settled[0]);
  for (int i = 1; i < DAY_STAGES; i++)
    if (atomic_load(&D.settled[i]) < day) day = atomic_load(&D.settled[i]);
  return day;
}

/* A stage settled: the requests waiting for it go on while the next stage runs. */
static void stage_done(int i, int day)
{
  pthread_mutex_lock(&D.lock);
  if (day > atomic_load(&D.settled[i])) atomic_store(&D.settled[i], day);
  pthread_cond_broadcast(&D.done);
  pthread_mutex_unlock(&D.lock);
}

/* The stages of req's day not yet settled, in order; a stage after a posts' stage that failed is not
 * run (it reads the posts' day). true when every stage is settled. */
static bool settle(struct request *req)
{
  struct post_rules rules;
  day_post_rules(req, &rules);
  bool all = true;
  for (int i = 0; i < DAY_STAGES; i++) {
    if (atomic_load(&D.settled[i]) >= req->today) continue;
    if (atomic_load(&D.stopping)) { all = false; break; }
    if (i > 0 && atomic_load(&D.settled[0]) < req->today) { all = false; continue; }
    double t0 = clock_monotonic_ms();
    if (!STAGES[i].run(req, &rules)) { all = false; continue; }
    log_info("posts", "day %d: the %s settled in %.0f ms", req->today, STAGES[i].name, clock_monotonic_ms() - t0);
    stage_done(i, req->today);
  }
  return all;
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
    if (D.wanted <= all_settled()) { D.wanted = 0; pthread_cond_wait(&D.wake, &D.lock); continue; }
    int day = D.wanted;
    int64_t now = D.wanted_now;
    D.wanted = 0;
    D.attempting = day;
    pthread_mutex_unlock(&D.lock);
    attempt(now); /* each stage settled is published as it ends (stage_done) */
    pthread_mutex_lock(&D.lock);
    D.attempting = 0;
    pthread_cond_broadcast(&D.done);
  }
  /* stopped before the thread took the day it was asked for (a SIGTERM right after the start, on a busy
   * machine): the day is as unsettled as one cut short, and the operator reads so */
  if (D.wanted > all_settled())
    log_info("posts", "the settlement of day %d was cut short by the shutdown, before it began", D.wanted);
  pthread_mutex_unlock(&D.lock);
  return NULL;
}

/* Under D.lock: asks the thread for the day of (today, now) unless it is settled or already asked. */
static void want(int today, int64_t now)
{
  if (today <= all_settled() || today <= D.wanted || today <= D.attempting) return;
  D.wanted = today;
  D.wanted_now = now;
  pthread_cond_signal(&D.wake);
}

/* The stages whose day recorded in the database is `today`: settled already, by a server before this
 * one (a restart on a day already settled); the others are settled again (their work is idempotent). */
static void remembered(int today)
{
  int known = 0;
  for (int i = 0; i < DAY_STAGES; i++) {
    int day = 0;
    atomic_store(&D.settled[i], 0);
    if (day_settled_get(D.db, STAGES[i].name, &day) != DB_OK) {
      log_error("posts", "cannot read the day the %s last settled; settling it again", STAGES[i].name);
    } else if (day == today) {
      atomic_store(&D.settled[i], today);
      known++;
    }
  }
  if (known == DAY_STAGES) log_info("posts", "day %d already settled (remembered in the database): nothing to wait for", today);
  else if (known) log_info("posts", "day %d: %d of %d stages already settled (remembered in the database)", today, known, DAY_STAGES);
}

int day_start_begin(const struct app *app, int64_t now)
{
  if (db_open(app->db_path, &D.db) != DB_OK) return -1;
  db_cancel_when(D.db, &D.stopping);
  D.app = app;
  atomic_store(&D.stopping, 0);
  int today = date_from_unix_cst((time_t)now);
  remembered(today);
  pthread_mutex_lock(&D.lock);
  want(today, now);
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
  if (!D.running || req->today <= all_settled()) return;
  pthread_mutex_lock(&D.lock);
  want(req->today, req->now);
  pthread_mutex_unlock(&D.lock);
}

int day_start_wait(const struct request *req, unsigned stages)
{
  if (!D.running || settled_for(stages, req->today)) return 0;
  pthread_mutex_lock(&D.lock);
  want(req->today, req->now);
  /* the attempt pending or running; when it fails the request goes on (as before issue 15) */
  while (!settled_for(stages, req->today) && (D.attempting || D.wanted) && !atomic_load(&D.stopping))
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
  /* and on a server the one running is cancelled: outside the lock, since the cancel is a connection to
   * the server that may wait, and the thread takes the lock to publish a stage (D.db is closed only after
   * the join) */
  db_interrupt(D.db);
  pthread_join(D.thread, NULL);
  db_close(D.db);
  D.db = NULL;
  D.running = false;
}
