/* training — 驻村干部培训 (4.1–4.5): the county's annual plan, the training events by type, their
 * participants, and the coverage of the cadres in post against the end of September.
 *
 * Types are the policy's training_types (code, organizer_levels, participants, evidence,
 * required, posts): the store takes them as data, so the coverage columns follow the policy.
 * A filed plan writes county_training_plan evidence (party county); each cadre who attended an
 * event writes the type's evidence (party cadre, done on the event's last day); a 4.5 policy
 * training with unit staff writes policy_training_biennial for the organizing county. A changed
 * participant list or a withdrawn event revokes the event's evidence and writes it anew.
 *
 * Plans are bounded by SCOPE_REGION (the county as r); events by their organizer region (r) in
 * scope, an organizer above the user's region (the city's classes reach every county), or a
 * participant in scope (SCOPE_CADRE); coverage by SCOPE_ASSIGNMENT. The caller holds the write
 * transaction. */
#ifndef ZHUCUN_TRAINING_H
#define ZHUCUN_TRAINING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct scope;

/* ---- plans (4.2a) ---- */
struct plan_new {
  const char *county_code, *title, *content, *doc_no, *filed_on; /* filed_on NULL: a draft */
  int year;
  int64_t recorded_by; /* 0: generated (demo) */
};
/* DB_CONFLICT when the county already has a plan for the year. */
int training_plan_insert(struct db *db, const struct plan_new *n, int64_t now, int64_t *id_out);
/* Files (印发) a draft; DB_CONFLICT when already filed. */
int training_plan_file(struct db *db, int64_t id, const char *doc_no, const char *filed_on, int64_t now);
json_t *training_plan_get_json(struct db *db, const struct scope *scope, int64_t id);
json_t *training_plans_list_json(struct db *db, const struct scope *scope, int year, int page, int page_size);

/* ---- events (4.1a, 4.1b, 4.2a, 4.2b, 4.5) ---- */
struct participant {
  const char *role;   /* cadre | unit_deputy | unit_hr */
  int64_t cadre_id;   /* role cadre */
  const char *name;   /* unit staff: typed; a cadre: filled by the store */
  int64_t unit_id;    /* unit staff: their unit */
  bool attended;
};
struct event_new {
  const char *type, *title, *organizer_code, *start_date, *end_date, *place, *topics_json, *doc_no;
  double hours;
  const char *evidence;          /* the type's evidence kind (policy), or NULL */
  bool county_evidence;          /* 4.5: the evidence is the organizing county's, not each cadre's */
  const struct participant *participants;
  size_t nparticipants;
  int64_t recorded_by; /* 0: generated (demo) */
};
/* DB_CONFLICT: the document number is already an event's. */
int training_event_insert(struct db *db, const struct event_new *n, int64_t now, int64_t *id_out);
/* Replaces the participants (n: only evidence, participants, nparticipants used, and the
 * event's organizer/end date as stored). DB_CONFLICT when version is not the current one. */
int training_event_set_participants(struct db *db, int64_t id, int64_t version, const struct event_new *n,
                                    int64_t now);
/* DB_CONFLICT when already withdrawn. */
int training_event_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now);
/* With {participants:[{role, cadre_id, name, unit_id, unit_name, attended, village_name}]} in scope. */
json_t *training_event_get_json(struct db *db, const struct scope *scope, int64_t id);
struct event_filter {
  int year;                 /* 0: any */
  const char *type;
  const char *region_path;  /* organized in or above this region; NULL: any */
  int64_t cadre_id;         /* events the cadre attended */
  bool with_withdrawn;
};
json_t *training_events_list_json(struct db *db, const struct scope *scope, const struct event_filter *f, int page,
                                  int page_size);

/* DB_OK when the cadre held a post between start and end, in scope, in a village under
 * under_path; *post set ("first_secretary", ...). */
int training_cadre_eligible(struct db *db, const struct scope *scope, int64_t cadre_id, const char *start,
                            const char *end, const char *under_path, char post[24]);
/* DB_OK when the unit's region lies under under_path; level gets the unit's level (city, county, ...). */
int training_unit_under(struct db *db, int64_t unit_id, const char *under_path, char level[16]);
/* The region's path and level. */
int training_region(struct db *db, const char *code, char path[96], char level[16]);

/* ---- coverage (4.1, 4.2a, 4.4, 4.5) ---- */
struct coverage_query {
  int year;
  const char *today;          /* ISO */
  const char *complete_by;    /* "MM-DD" (policy training_deadline.complete_by, 4.4) */
  const char *start_by;       /* "MM-DD" (start_by, 4.4) */
  const json_t *types;        /* policy training_types (borrowed) */
  const char *region_code;    /* narrows to a county, township or village */
  const char *status;         /* untrained | incomplete; NULL: all */
  int anchor_year;            /* obligation_two_year_anchor (4.5) */
};
/* Per cadre in post on the deadline (or today, if earlier): {cadre_id, cadre_name, post, unit_name,
 * county/township/village, hours, first_trained, types:{code:{required, done_on, on_time}},
 * missing:[codes], status: complete|late|partial|untrained, overdue}, with summary. */
json_t *training_coverage_json(struct db *db, const struct scope *scope, const struct coverage_query *q, int page,
                               int page_size);
/* Per county in scope: {county_code, county_name, cadres, trained, trained_on_time, rate,
 * first_secretaries, first_secretaries_demo, plan_filed_on, started_on, started_in_time,
 * policy_training_on}. */
json_t *training_counties_json(struct db *db, const struct scope *scope, const struct coverage_query *q, int page,
                               int page_size);

#endif
