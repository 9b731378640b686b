/* write_tx — the one way a handler writes (issue 16): begin a transaction, call the store, map the
 * store's result to an HTTP error, append the audit row, commit — or roll back on any error, so an
 * answer other than success means nothing was written — and answer.
 *
 * A handler reads as: parse and validate the input, describe the write (a struct write_tx: the
 * store call as a callback with its context, the audit action and object, the answer), then
 * `write_tx_run(req, rep, &w)`. The store callback may make several store calls (a decision and the
 * cadre's message, say); they share the transaction. A result the description does not map is
 * logged and answered 500 (internal), as is a failed commit.
 *
 * Three shapes beyond the plain one:
 * - an audit-only write (an export, a bulk-reveal alert): no store call (store NULL), only the audit
 *   row, committed before the file or the data goes out;
 * - an audit row whose detail is what the store did (the counts of an import): the handler hands a
 *   detail object that the store callback fills in, since the row is appended after the call;
 * - an audit row in a name other than the session's (a login, before there is a session): the store
 *   callback appends it itself and the description has no action. */
#ifndef ZHUCUN_WRITE_TX_H
#define ZHUCUN_WRITE_TX_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"

/* A store callback that has written its own error reply (a 409 with extra fields, say) returns this:
 * the transaction is rolled back and the reply kept. */
#define WRITE_TX_REPLIED 1

/* A store result (DB_CONFLICT, DB_NOT_FOUND, …) and the HTTP error it means for this write:
 * conflict → 409, a record gone → 404, a referenced record that does not exist → 400. */
struct write_error {
  int result;
  int status;
  const char *code;
  const char *message_zh;
  const char *field; /* may be NULL */
};

struct write_tx {
  /* The store call(s), inside the transaction: DB_OK, a DB_… result, or WRITE_TX_REPLIED. NULL: an
   * audit-only write (the audit row is the write). */
  int (*store)(struct request *req, struct reply *rep, void *ctx);
  void *ctx;
  const struct write_error *errors; /* a table ended by {0}; may be NULL */
  /* The audit row, after a store call that returned DB_OK; no action: no row. */
  const char *action;
  const char *entity;
  const char *entity_id; /* NULL: *id below as text if given, else the user's own id */
  const int64_t *id;     /* read after the store call: the record it created */
  json_t *detail;        /* borrowed, may be NULL; read after the store call (which may mask it) */
  /* The answer after the commit: answer(req, ctx) with status. No answer: the handler replies. */
  int status;
  json_t *(*answer)(struct request *req, void *ctx);
};

/* Runs the write w describes. 0: committed (and answered, if w->answer); -1: rolled back, and the
 * reply says why. */
int write_tx_run(struct request *req, struct reply *rep, const struct write_tx *w);

#endif
