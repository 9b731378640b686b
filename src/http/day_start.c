/* day_start — see day_start.h. */
#include "http/day_start.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/policy.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/server.h"
#include "store/db.h"
#include "store/notify_events.h"
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
    long raised = 0; /* issue 13: what the day brings due, each occasion once (store/notify_events) */
    if (rc == DB_OK) rc = notify_events_settle(req->db, req->today, rules.term_notice_days, req->now, &raised);
    int drafted = 0; /* 3.4b: the month just ended gets its allowance sheets */
    if (rc == DB_OK && allowance_draft_due(req, &drafted) != 0) rc = DB_ERROR;
    if (rc == DB_OK) rc = db_commit(req->db);
    if (rc == DB_OK) {
      atomic_store(&settled_day, req->today);
      if (drafted) log_info("allowance", "day %d: %d allowance sheets drafted for the month just ended", req->today, drafted);
      if (raised) log_info("notify", "day %d: %ld notices of terms, handovers, vacancies and cases", req->today, raised);
      if (changed) log_info("posts", "day %d: %ld posts changed state (start, handover, term end, recall)", req->today, changed);
    } else {
      db_rollback(req->db);
      log_error("posts", "bringing the posts to day %d failed; the next request tries again", req->today);
    }
  }
  pthread_mutex_unlock(&settling);
}
