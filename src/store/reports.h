/* reports — 工作报告 (2.1): the periodic work report a cadre sends to the township and the
 * dispatching unit, drafted from the work logs of the period and edited by the cadre. One report
 * per cadre and period (UNIQUE); a revision replaces the text of the same row, counts itself and
 * clears the read marks, so that the readers see it again. Its review state (批阅: 待批阅, 已退回,
 * 已重新提交, 已通过) and the versions a revision replaced live in store/reviews.
 *
 * Queries use the aliases of SCOPE_REPORT (the report rp, its village rpv): a region official sees
 * the reports sent from villages of the region, a unit the reports sent to it, a cadre their own.
 * The caller holds the write transaction for every write. */
#ifndef ZHUCUN_REPORTS_H
#define ZHUCUN_REPORTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

struct report_new {
  int64_t cadre_id, assignment_id, unit_id;
  const char *village_code, *from, *to, *text; /* ISO dates */
  int64_t log_count;
};
/* DB_CONFLICT when the cadre already reported the period. */
int reports_insert(struct db *db, const struct report_new *r, int64_t now, int64_t *id_out);
/* The id of the cadre's report of exactly [from, to]; DB_NOT_FOUND when there is none. */
int reports_find_period(struct db *db, int64_t cadre_id, const char *from, const char *to, int64_t *id_out);
/* Replaces the text (revision + 1, read marks cleared); DB_CONFLICT when not the cadre's report or accepted (批阅). */
int reports_revise(struct db *db, int64_t id, int64_t cadre_id, const char *text, int64_t log_count, int64_t now);

enum report_reader { REPORT_READER_NONE, REPORT_READER_TOWNSHIP, REPORT_READER_UNIT };
/* Sets the reader's read mark; DB_CONFLICT when it is already set (the first time stays). */
int reports_mark_read(struct db *db, int64_t id, enum report_reader reader, int64_t now);

/* One report in scope; NULL when absent or out of scope. */
json_t *reports_get_json(struct db *db, const struct scope *scope, int64_t id);

/* 批阅 (store/reviews): which review states a list keeps. */
enum report_review { REPORT_REVIEW_ANY, REPORT_REVIEW_WAITING /* pending or resubmitted */, REPORT_REVIEW_RETURNED,
                     REPORT_REVIEW_ACCEPTED };

struct report_filter {
  int64_t cadre_id;              /* 0: any */
  const char *from, *to;         /* ISO dates or NULL: periods overlapping [from, to] */
  enum report_reader unread;     /* NONE: all; else the reports that reader has not read */
  enum report_review review;     /* ANY: every state */
};
json_t *reports_list_json(struct db *db, const struct scope *scope, const struct report_filter *f, int page,
                          int page_size);

#endif
