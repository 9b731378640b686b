/* assignments — who is stationed where (选派), and every change to it: nominations in a
 * rotation window (集中轮换, 1.1), adjustments outside one (1.2), the two departments'
 * approvals (1.5), the 15-day handover (1.6) and recalls (1.8). Each state change is one
 * transaction that also writes the timeline (assignment_event).
 *
 * States: pending → (both approve) active | (either rejects) rejected | (nominator) withdrawn;
 * an adjustment's replacement goes pending → handover (both cadres hold the post, the outgoing
 * one too) → the handover completes → incoming active, outgoing ended. */
#ifndef ZHUCUN_ASSIGNMENTS_H
#define ZHUCUN_ASSIGNMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/eligibility.h"

struct db;
struct scope;
struct auth_user;
struct post_rules;

/* The facts the eligibility engine needs, with the storage its strings point into. */
struct cadre_facts {
  struct eligibility_input in;
  char employment_type[24], rank[32], last_appraisal[24], unit_level[16], unit_type[16];
  char cadre_name[64], unit_name[128];
};

/* Reads the facts of cadre_id dispatched by unit_id on date (yyyymmdd). appraisal_window_years
 * bounds the count of recent 优秀. DB_NOT_FOUND when either is absent. */
int assignments_facts(struct db *db, int64_t cadre_id, int64_t unit_id, int date, int appraisal_window_years,
                      struct cadre_facts *out);

struct nomination {
  int64_t cadre_id, unit_id, batch_id, adjustment_id;
  const char *village_code, *post, *kind;       /* kind: rotation | adjustment | initial */
  const char *justification;
  const char *start_date, *term_end;            /* ISO dates */
  const char *approval_region;                  /* the city or county whose departments approve */
  const char *verdict, *reasons_json;           /* the engine's judgement at nomination */
  const char *status;                           /* "pending" (or "active" for the demo's initial posts) */
};
/* DB_CONFLICT when the cadre already holds or awaits a post. */
int assignments_insert(struct db *db, const struct nomination *n, const struct auth_user *by, int64_t now,
                       int64_t *id_out);

/* The level whose departments approve a unit's nominations: the city for city units, the county
 * for county units (its region code), NULL when the unit cannot dispatch (township). */
int assignments_approval_region(struct db *db, int64_t unit_id, char out[16]);

enum decision_result {
  DECISION_OK = 0,
  DECISION_STALE = 1,        /* the assignment changed since the approver looked (version) */
  DECISION_DUPLICATE = 2,    /* that department has decided already */
  DECISION_NOT_PENDING = 3,
  DECISION_NOT_APPROVER = 4, /* wrong level or outside the approver's scope */
  DECISION_NEEDS_SIGNOFF = 5,/* a needs_justification nomination approved without signing the exception */
  DECISION_SEAT_TAKEN = 6,   /* a first secretary's seat already promised: the store refuses two (1.7) */
};

struct decision {
  const char *department;    /* "org" | "rrb" */
  bool approve;
  const char *comment;
  int64_t version;           /* as read by the approver */
  bool exception_signed;     /* 原则上: the approver signs off the justified exception */
  int today;                 /* yyyymmdd */
  const struct post_rules *rules; /* 1.6 handover days, vacancy and team parameters */
  const char *checklist_json;/* the handover checklist to start with */
};
/* Records a decision; when both departments have approved, the nomination takes effect: a
 * rotation post becomes active, an adjustment's replacement starts the handover. *result tells
 * why a decision was refused. */
int assignments_decide(struct db *db, int64_t id, const struct decision *d, const struct auth_user *by, int64_t now,
                       enum decision_result *result);

int assignments_withdraw(struct db *db, int64_t id, const struct auth_user *by, int64_t now, const char *note);

/* One assignment in scope, with its timeline and handover; NULL when absent or out of scope. */
json_t *assignments_get_json(struct db *db, const struct scope *scope, int64_t id);

struct assignment_filter {
  const char *status;        /* NULL: any */
  const char *village_code;
  int64_t batch_id;
  const char *inbox_department; /* "org"/"rrb": pending ones that department has not decided */
  const char *inbox_region;     /* ...whose approval region is this one */
};
json_t *assignments_list_json(struct db *db, const struct scope *scope, const struct assignment_filter *f, int page,
                              int page_size);

/* Adjustments (1.2) and recalls (1.8). A recall takes effect on recall_from (yyyymmdd; 0 for an
 * adjustment): the post's last day is the day before (post_life_settle applies it). */
int assignments_open_adjustment(struct db *db, int64_t assignment_id, const char *reason, const char *explanation,
                                bool recall, const char *accountability, int recall_from, const struct auth_user *by,
                                int64_t now, int64_t *id_out);
json_t *assignments_adjustment_json(struct db *db, int64_t adjustment_id);

/* Handover (1.6): tick items; confirm the checklist once every item is done. The handover's
 * dates, not the confirmation, decide who holds the post (store/post_life). */
json_t *assignments_handover_json(struct db *db, const struct scope *scope, int64_t id);
int assignments_handover_tick(struct db *db, int64_t id, int item, bool done, const struct auth_user *by, int64_t now);
enum handover_result { HANDOVER_OK, HANDOVER_CHECKLIST_OPEN, HANDOVER_ALREADY_DONE };
int assignments_handover_confirm(struct db *db, int64_t id, int today, const struct auth_user *by, int64_t now,
                                 enum handover_result *result);

/* Rotation batches (集中轮换). */
int assignments_batch_create(struct db *db, const char *name, const char *region_code, const char *opens_on,
                             const char *closes_on, const char *term_start, const struct auth_user *by, int64_t now,
                             int64_t *id_out);
json_t *assignments_batches_json(struct db *db, const struct scope *scope);
/* The batch's window and region; DB_NOT_FOUND if absent. */
int assignments_batch_window(struct db *db, int64_t batch_id, char opens[11], char closes[11], char term_start[11],
                             char region_path[96]);

/* Views: coverage of key villages per county (1.7), adjustments outside rotation (1.1). */
json_t *assignments_coverage_json(struct db *db, const struct scope *scope, const char *region_code);
json_t *assignments_stability_json(struct db *db, const struct scope *scope, const char *region_code);

#endif
