/* day_start — see day_start.h. */
#include "http/day_start.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

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

static atomic_int settled_day;  /* yyyymmdd of the last day brought up to date; 0 none */
static pthread_mutex_t settling = PTHREAD_MUTEX_INITIALIZER;

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
  static struct obligation rows[OBLIGATIONS_MAX]; /* under the settling lock */
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

void day_start(struct request *req)
{
  if (atomic_load(&settled_day) >= req->today || !req->db) return;
  if (pthread_mutex_trylock(&settling) != 0) return; /* another worker is at it */
  if (atomic_load(&settled_day) < req->today) {
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
      atomic_store(&settled_day, req->today);
      if (drafted) log_info("allowance", "day %d: %d allowance sheets drafted for the month just ended", req->today, drafted);
    } else if (nc == DB_OK) {
      db_rollback(req->db);
      log_error("allowance", "drafting the allowance sheets of day %d failed; the next request tries again", req->today);
    }
  }
  pthread_mutex_unlock(&settling);
}
