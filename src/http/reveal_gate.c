/* reveal_gate — re-authentication and the per-user reveal rate; see the header. */
#include "http/reveal_gate.h"

#include <stdio.h>

#include "core/clock.h"
#include "core/rate_limit.h"
#include "http/handlers.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/users.h"

/* alert.bulk_reveal, an audit-only write (http/write_tx) of its own: the reveal that follows may still
 * fail; -1 with the 500 written when it could not be committed. */
static int alert_bulk(struct request *req, struct reply *rep)
{
  json_t *detail = json_pack("{s:i, s:i}", "burst", req->app->security.reveal_burst, "refill_seconds",
                             req->app->security.reveal_refill_seconds);
  if (!detail) return reply_internal(rep);
  struct write_tx w = {.action = "alert.bulk_reveal", .entity = "user", .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  return rc;
}

int reveal_gate(struct request *req, struct reply *rep)
{
  const struct security_settings *s = &req->app->security;
  int64_t at = 0;
  if (sessions_reauth_at(req->db, req->user.token_hash, &at) != DB_OK) return reply_internal(rep);
  if (at <= 0 || req->now - at > (int64_t)s->reveal_reauth_minutes * 60)
    return reply_error(rep, 403, "reauth_required", "查看完整身份证号前请再次输入登录密码确认身份", NULL);
  char key[24];
  snprintf(key, sizeof key, "%lld", (long long)req->user.id);
  double t = clock_monotonic_ms();
  int wait = rate_limit_wait(req->app->reveals_by_user, key, t);
  if (wait) {
    char msg[120];
    snprintf(msg, sizeof msg, "查看完整身份证号过于频繁，请 %d 秒后再试", wait);
    reply_error(rep, 429, "rate_limited", msg, NULL);
    rep->retry_after = wait;
    return -1;
  }
  rate_limit_charge(req->app->reveals_by_user, key, t);
  if (rate_limit_wait(req->app->reveals_by_user, key, t) && alert_bulk(req, rep) != 0) return -1;
  return 0;
}
