/* evaluations — the rounds of 年度考核 / 任期考核 and each cadre's evaluation in them (issue #12,
 * feeding 1.3c, 1.4 and 3.7), and the facts from the record shown beside the decision.
 *
 * A round (evaluation_round) belongs to a county and a year; opening it writes one evaluation per
 * cadre in post in the county's villages during the year (annual) or whose term ends in it (term),
 * with the post's village, dispatching unit and term as they were. Every step is a guarded UPDATE
 * (the version read, and the step's column still empty), so a double submission changes nothing
 * (DB_CONFLICT). Scope: an evaluation by its village (rpv) and dispatching unit (rp), like a work
 * report (SCOPE_REPORT); a round by the evaluations of it the caller may see. The caller holds the
 * write transaction. */
#ifndef ZHUCUN_EVALUATIONS_H
#define ZHUCUN_EVALUATIONS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct scope;

/* The region path of a county: DB_NOT_FOUND when code is not a county. */
int evaluations_county_path(struct db *db, const char *code, char path[96]);

struct eval_round_new {
  const char *county_code, *county_path, *kind; /* annual | term */
  int year;
  int64_t user_id;                              /* 0: generated (demo) */
};
/* DB_CONFLICT when the county already has this round; *count = the evaluations written (0 leaves
 * the round in place: the caller rolls back). */
int evaluations_open_round(struct db *db, const struct eval_round_new *n, int64_t now, int64_t *id_out, int *count);

json_t *evaluations_rounds_json(struct db *db, const struct scope *scope);
/* The round with its totals and its progress per township, or NULL when out of scope. */
json_t *evaluations_round_json(struct db *db, const struct scope *scope, int64_t id);
/* Every evaluation of the round (whatever the caller's scope — the cap counts the whole county):
 * how many, how many with a result, how many 优秀. */
int evaluations_round_counts(struct db *db, int64_t round_id, int *evaluated, int *decided, int *excellent);
int evaluations_confirm(struct db *db, int64_t round_id, int cap, int64_t user_id, int64_t now);

struct eval_filter {
  int64_t round_id, cadre_id;
  const char *township;   /* a township code */
  const char *waiting;    /* report | votes | township | unit | result: open rounds, that step waiting */
  const char *result;
};
json_t *evaluations_list_json(struct db *db, const struct scope *scope, const struct eval_filter *f, int page,
                              int page_size);
json_t *evaluations_get_json(struct db *db, const struct scope *scope, int64_t id);

/* The steps; each DB_CONFLICT when the version is stale or the step already taken. */
int evaluations_save_report(struct db *db, int64_t id, int64_t version, const char *text, int submit, int64_t now);
int evaluations_set_votes(struct db *db, int64_t id, int64_t version, const char *votes_json, const char *source,
                          int64_t user_id, int64_t now);
int evaluations_set_opinion(struct db *db, int64_t id, int64_t version, const char *who /* township | unit */,
                            const char *text, int64_t user_id, int64_t now);
int evaluations_set_result(struct db *db, int64_t id, int64_t version, const char *result, const char *comment,
                           int64_t user_id, int64_t now);

/* The facts of a cadre's record over [from, to] (ISO dates) in the village, one query per figure:
 * {days_in_village, violations, accountability, training_events, training_hours, households,
 * households_visited, own_visits, cases_raised, cases_closed, plan:{status, items, progress}|null,
 * logs:{duty: n}, log_total, reports}. */
json_t *evaluations_facts_json(struct db *db, int64_t cadre_id, const char *village, const char *from,
                               const char *to, int year);

#endif
