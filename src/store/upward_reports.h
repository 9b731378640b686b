/* upward_reports — 上报材料: the periodic report (月报 / 半年报 / 年报) of a township to its county and
 * of a county to the city (issue #12 part 3), stored as upward_report rows.
 *
 * One row per reporting region, kind and period. The flow is draft → submitted → received, or
 * returned (with a reason) → edited → submitted again; each write is a guarded UPDATE naming the
 * version read and the states it may come from, so a stale or repeated write changes nothing
 * (DB_CONFLICT). The figures are the caller's (assembled from the record by http/upward_figures)
 * and are stored, as a JSON snapshot, only when the report is submitted.
 *
 * The period's list (upward_reports_period_json) is one query over the regions that owe a report
 * — every township and county of the scope with a post (assignment) in the period — left-joined
 * with their report: the same rows give the receivers' inbox, the 未报 list (state 'unreported':
 * no report yet, or only a draft) and the counts by state, so no total can disagree with a list.
 * Scope: the reporting region (alias r, SCOPE_REGION) — a township sees its own, a county its own
 * and its townships', the city all. The caller holds the write transaction. */
#ifndef ZHUCUN_UPWARD_REPORTS_H
#define ZHUCUN_UPWARD_REPORTS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct scope;

struct upward_period_query {
  const char *kind, *period;     /* monthly | half_year | annual; 2026-05 | 2026-H1 | 2026 */
  const char *from, *to;         /* the period's ISO dates */
  const char *parent;            /* only the regions reporting to this one (the caller's inbox), or NULL */
  const char *region;            /* only this reporting region (the caller's own report), or NULL */
  const char *state;             /* unreported | draft | submitted | received | returned, or NULL */
};

/* {items:[{region_code, region_name, region_level, parent_code, parent_name, report_id|null,
 * status|null, state, version, submitted_at, received_at, returned_at, return_reason, figures_json}],
 * total, page, page_size, summary:{regions, unreported, draft, submitted, received, returned}};
 * page_size 0: every row (exports). NULL on a database error. */
json_t *upward_reports_period_json(struct db *db, const struct scope *scope, const struct upward_period_query *q,
                                   int page, int page_size);

/* The region (its name, level, path, parent code): DB_NOT_FOUND when there is none. */
struct upward_region { char code[16], name[128], level[16], path[96], parent[16]; };
int upward_region_of(struct db *db, const char *code, struct upward_region *out);

struct upward_new {
  const char *region_code, *receiver_code, *kind, *period, *from, *to;
  const char *work_text, *problems_text, *plans_text;
  int64_t user_id;               /* 0: generated (demo) */
};
/* DB_CONFLICT when the region already has a report of this kind and period. */
int upward_reports_insert(struct db *db, const struct upward_new *n, int64_t now, int64_t *id_out);

/* One report in scope, with its region's and receiver's names and the snapshot (figures_json), or NULL. */
json_t *upward_reports_get_json(struct db *db, const struct scope *scope, int64_t id);

/* The texts of a draft or returned report at version; DB_CONFLICT when stale or not editable. */
int upward_reports_set_texts(struct db *db, int64_t id, int64_t version, const char *work, const char *problems,
                             const char *plans, int64_t now);

/* A step: submit (draft|returned → submitted, storing figures), receive (submitted → received) or
 * return (submitted → returned, with reason). DB_CONFLICT when stale or not in a state it may come from. */
int upward_reports_submit(struct db *db, int64_t id, int64_t version, const char *figures, int64_t user_id,
                          int64_t now);
int upward_reports_receive(struct db *db, int64_t id, int64_t version, int64_t user_id, int64_t now);
int upward_reports_return(struct db *db, int64_t id, int64_t version, const char *reason, int64_t user_id,
                          int64_t now);

#endif
