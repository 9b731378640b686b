/* cases — the monitoring cases of 5.7 in the database: monitoring_case, its steps (case_step,
 * the timeline), its measures (case_measure), and the household it changes (household.monitored
 * and category, with a household_history row of source 'case', version + 1).
 *
 * The order of steps is core/case_flow's; this module only stores what the handler decided.
 * Scope is the case's village (SCOPE_TEAM, the village joined as tv): a region official sees
 * the cases of villages in the region, a unit those of the villages where its cadres serve, a
 * cadre their own village's. */
#ifndef ZHUCUN_CASES_H
#define ZHUCUN_CASES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/case_flow.h"

struct db;
struct scope;

/* The limits the list computes its flags with (policy 5.7). */
struct case_limits {
  const char *today;   /* YYYY-MM-DD */
  int max_days;        /* case_decision_max_days */
  int stalled_days;    /* case_stalled_days */
};

struct case_filter {
  const char *village;   /* a region code: the village, or a township / county above it */
  const char *state;     /* a state code, or "open" (pending + monitored), or "pending" */
  int64_t household_id;
  bool overdue, stalled;
};

/* {items,total,page,page_size}; each item a case row with age_days, overdue, stalled,
 * last_step_on. page_size 0: all rows (export). */
json_t *cases_list_json(struct db *db, const struct scope *scope, const struct case_filter *f,
                        const struct case_limits *lim, int page, int page_size);
/* One case in scope, with the same computed columns; NULL when absent or out of scope. */
json_t *cases_get_json(struct db *db, const struct scope *scope, int64_t id, const struct case_limits *lim);
/* Its steps (oldest first) and measures. */
json_t *cases_steps_json(struct db *db, int64_t id);
json_t *cases_measures_json(struct db *db, int64_t id);
/* Counts for an official's overview: by state, pending by age band, overdue, stalled. */
json_t *cases_summary_json(struct db *db, const struct scope *scope, const char *village, const struct case_limits *lim);

/* The household, in scope: {id, village_code, head_name, household_no, able_bodied, schooling,
 * medical, housing, water, monitored, category, status}; NULL when absent or out of scope. */
json_t *cases_household_json(struct db *db, const struct scope *scope, int64_t household_id);
/* The visit, in scope: {id, household_id, village_code, visited_on, risks (array)}. */
json_t *cases_visit_json(struct db *db, const struct scope *scope, int64_t visit_id);
/* True (DB_OK, *open_id set) when the household has a case not yet dismissed or closed. */
int cases_open_of_household(struct db *db, int64_t household_id, int64_t *open_id);

struct case_new {
  int64_t household_id;
  const char *village_code;
  const char *source;
  int64_t visit_id, meeting_id;   /* 0 when none */
  const char *department;         /* NULL when none */
  const char *risks_json;         /* JSON array text */
  const char *description;
  const char *lead_on;
  int64_t user_id;
};
/* Inserts the case in state found and its first step; the caller holds the transaction. */
int cases_insert(struct db *db, const struct case_new *c, int64_t now, int64_t *id_out);

struct case_step_new {
  int64_t case_id;
  int64_t version;          /* the version the caller read: DB_CONFLICT when stale */
  enum case_action action;
  enum case_state from, to;
  const char *on_date;
  const char *note;
  const char *detail_json;  /* the fields of the step */
  /* what the step sets on the case (NULL / 0 when not this step's) */
  const char *review_participants, *result;  /* review / check / decide: "agree" | "disagree" */
  int notice_days;
  const char *category;
  int64_t user_id;
};
/* Records the step and moves the case (guarded by version). DB_CONFLICT when stale. */
int cases_step(struct db *db, const struct case_step_new *s, int64_t now);

struct case_measure_new {
  int64_t case_id;
  const char *type, *content, *responsible, *applied_on;
  int64_t user_id;
};
int cases_add_measure(struct db *db, const struct case_measure_new *m, int64_t now, int64_t *id_out);

/* Sets household.monitored (and category when not NULL), version + 1, with a household_history
 * row of source 'case' naming the fields changed. Nothing happens when nothing changes. */
int cases_household_set(struct db *db, int64_t household_id, bool monitored, const char *category,
                        int64_t user_id, int64_t now);

/* The facts of the closure check of a case: incomes (array of {year, per_capita}), measures. */
json_t *cases_incomes_json(struct db *db, int64_t household_id);
int cases_measure_count(struct db *db, int64_t case_id, int64_t *out);

/* The households of a village in public notice (公示), for the printed notice: never an ID
 * number, phone, bank account or health detail — only what the notice must show. */
json_t *cases_notice_rows(struct db *db, const struct scope *scope, const char *village);

/* A household of the village by its number (department lists name households so). */
int cases_household_by_no(struct db *db, const char *village, const char *household_no, int64_t *id);

/* The village of a held meeting in scope (a risk raised at a meeting): DB_NOT_FOUND otherwise. */
int cases_meeting_village(struct db *db, const struct scope *scope, int64_t meeting_id, char village[16]);
/* A village in scope: {code, name, path, township_name, county_name}; NULL otherwise. */
json_t *cases_village_json(struct db *db, const struct scope *scope, const char *village);

#endif
