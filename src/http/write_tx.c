/* write_tx — begin, the store call, its result mapped to an HTTP error, the audit row, commit or
 * roll back, the answer: the ceremony every write handler shared, in one place (see write_tx.h). */
#include "http/write_tx.h"

#include <stdio.h>

#include "http/handlers.h"
#include "store/db.h"
#include "util/log.h"

static const struct write_error *error_of(const struct write_error *errors, int result)
{
  for (const struct write_error *e = errors; e && e->status; e++)
    if (e->result == result) return e;
  return NULL;
}

/* A failure the write does not expect (SQLite's, the audit row's, the commit's): logged, 500. */
static int reply_unexpected(struct request *req, struct reply *rep, const struct write_tx *w, const char *step,
                            int result)
{
  log_error("write_tx", "%s %s: %s failed in %s (%d)", req->method ? req->method : "-", req->url ? req->url : "-",
            w->action ? w->action : "a write", step, result);
  return reply_internal(rep);
}

/* The store's result as the reply: the error the write maps it to, or a logged 500. Always -1. */
static int reply_result(struct request *req, struct reply *rep, const struct write_tx *w, int result)
{
  const struct write_error *e = error_of(w->errors, result);
  if (e) return reply_error(rep, e->status, e->code, e->message_zh, e->field);
  return reply_unexpected(req, rep, w, "the store", result);
}

static int audit_row(struct request *req, const struct write_tx *w)
{
  if (!w->action) return DB_OK;
  char sid[24];
  const char *entity_id = w->entity_id;
  if (!entity_id && w->id) {
    snprintf(sid, sizeof sid, "%lld", (long long)*w->id);
    entity_id = sid;
  }
  return handler_audit(req, w->action, w->entity, entity_id, w->detail);
}

/* Rolls back and replies; always -1. */
static int fail(struct request *req, struct reply *rep, const struct write_tx *w, const char *step, int result)
{
  db_rollback(req->db);
  if (result == WRITE_TX_REPLIED) return -1;
  if (!step) return reply_result(req, rep, w, result);
  return reply_unexpected(req, rep, w, step, result);
}

int write_tx_run(struct request *req, struct reply *rep, const struct write_tx *w)
{
  int rc = db_begin(req->db);
  if (rc != DB_OK) return reply_unexpected(req, rep, w, "begin", rc);
  rc = w->store ? w->store(req, rep, w->ctx) : DB_OK;
  if (rc != DB_OK) return fail(req, rep, w, NULL, rc);
  rc = audit_row(req, w);
  if (rc != DB_OK) return fail(req, rep, w, "the audit row", rc);
  rc = db_commit(req->db);
  if (rc != DB_OK) return fail(req, rep, w, "commit", rc);
  if (w->answer) reply_json(rep, w->status, w->answer(req, w->ctx));
  return 0;
}
