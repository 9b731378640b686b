/* reviews — 批阅's SQL: the review state of a work report or a work log, the notes of every act
 * (comment, return with a reason, accept, the cadre's resubmission), the versions a revision
 * replaced, and the monthly view of a township or county (who wrote nothing, who was returned,
 * what the reviewers said). The state machine is core/review_flow; scope is the caller's: the
 * handler reads the item through its scoped get first, and the monthly view carries the scope of
 * the assignments (SCOPE_ASSIGNMENT). The caller holds the write transaction for every write. */
#ifndef ZHUCUN_REVIEWS_H
#define ZHUCUN_REVIEWS_H

#include <jansson.h>
#include <stdint.h>

#include "core/review_flow.h"

struct db;
struct scope;

enum review_kind { REVIEW_KIND_REPORT, REVIEW_KIND_LOG };
const char *review_kind_code(enum review_kind k);

/* Moves the item from `from` to `to` (a guarded UPDATE: DB_CONFLICT when another request moved it
 * first). reader "township"/"unit" also sets that reader's read mark of a report if unset. */
int reviews_set_state(struct db *db, enum review_kind kind, int64_t id, enum review_state from, enum review_state to,
                      const char *reader, int64_t now);

struct review_note_new {
  enum review_kind kind;
  int64_t item_id, cadre_id, user_id, revision;
  enum review_action action;
  const char *reader; /* "township" | "unit" | "cadre" */
  const char *author; /* the user's display name */
  const char *text;   /* NULL: none (an accept without a word) */
};
int reviews_add_note(struct db *db, const struct review_note_new *n, int64_t now);

/* Keeps the item's current text as the version it is (before a revision replaces it). */
int reviews_keep_version(struct db *db, enum review_kind kind, int64_t id);

/* The item's notes, oldest first: [{id, action, reader, author, revision, text|null, at}]. */
json_t *reviews_notes_json(struct db *db, enum review_kind kind, int64_t id);
/* The versions replaced, oldest first: [{revision, text, written_at}]. */
json_t *reviews_versions_json(struct db *db, enum review_kind kind, int64_t id);

/* The monthly view of [from, to] (ISO dates of one month): one row per cadre in post in scope during
 * the month, with their logs, reports, returns, accepted and waiting reports and the reviewers' notes
 * of the month; totals summed from those same rows. NULL on a database error. */
json_t *reviews_month_json(struct db *db, const struct scope *scope, const char *from, const char *to);

#endif
