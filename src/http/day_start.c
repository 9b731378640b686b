/* day_start — see day_start.h. */
#include "http/day_start.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/policy.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/server.h"
#include "store/db.h"
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
    /* 3.4b: the month just ended gets its allowance sheets — a transaction of its own, so that a failure
     * here never holds back the posts' day (settling again is a no-op: the next request retries both) */
    int drafted = 0;
    int dc = rc == DB_OK ? db_begin(req->db) : DB_ERROR;
    if (dc == DB_OK && allowance_draft_due(req, &drafted) != 0) dc = DB_ERROR;
    if (dc == DB_OK) dc = db_commit(req->db);
    if (dc == DB_OK) {
      atomic_store(&settled_day, req->today);
      if (drafted) log_info("allowance", "day %d: %d allowance sheets drafted for the month just ended", req->today, drafted);
    } else if (rc == DB_OK) {
      db_rollback(req->db);
      log_error("allowance", "drafting the allowance sheets of day %d failed; the next request tries again", req->today);
    }
  }
  pthread_mutex_unlock(&settling);
}
