/* plans — the annual assistance plan (年度定点帮扶计划, 5.9) and the resources the dispatching unit
 * brings to the village (3.3, 5.10).
 *
 * A plan belongs to a village and a year and is reviewed by the party committee of one unit —
 * the unit of the village's first secretary when the plan is drafted. States: draft → submitted →
 * approved, or returned → (edit) → submitted again. Each edit and each state change raises the
 * plan's version and leaves a plan_event row; a write names the version it read (DB_CONFLICT when
 * stale). Items are replaced as a whole while the plan is editable; after approval, progress is
 * recorded against each item. Scope: the plan's village (SCOPE_TEAM, tv). */
#ifndef ZHUCUN_PLANS_H
#define ZHUCUN_PLANS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct scope;

/* The unit of the village's first secretary in post (active or handover): DB_NOT_FOUND when none. */
int plans_reviewing_unit(struct db *db, const char *village, int64_t *unit_id);
/* The plan of a village and year: DB_NOT_FOUND when none. */
int plans_of_year(struct db *db, const char *village, int year, int64_t *id);

struct plan_write {
  const char *village_code;
  int year;
  int64_t unit_id;
  const char *goals, *drafted_with;
  const json_t *items;   /* [{kind,title,target,amount?,due_month,responsible?}], checked by the caller */
  const char *weak_points_json;  /* "[...]": the profile's weak points the plan addresses (5.8), checked */
  int64_t user_id;
};
int plans_insert(struct db *db, const struct plan_write *p, int64_t now, int64_t *id_out);
/* Replaces goals, drafted_with and the items of an editable plan at version (DB_CONFLICT: stale or
 * not editable). */
int plans_update(struct db *db, int64_t id, int64_t version, const struct plan_write *p, int64_t now);
/* A state change guarded by version and the states it may come from (a comma list such as
 * "draft,returned"): DB_CONFLICT when stale or not in one of them. */
int plans_transition(struct db *db, int64_t id, int64_t version, const char *from_states, const char *to,
                     const char *action, const char *comment, int64_t user_id, int64_t now);

struct plan_filter { const char *village; int year; const char *status; };
json_t *plans_list_json(struct db *db, const struct scope *scope, const struct plan_filter *f, int page, int page_size);
/* The plan with items (each with its progress entries, latest percent, amount spent and resources
 * linked), events, and the village's resources of the plan's year. */
json_t *plans_get_json(struct db *db, const struct scope *scope, int64_t id);

/* The item of a plan: DB_NOT_FOUND when it is not one of the plan's live items. */
int plans_item_of(struct db *db, int64_t plan_id, int64_t item_id);
int plans_add_progress(struct db *db, int64_t item_id, const char *on, int percent, const char *amount_text,
                       const char *note, int64_t user_id, int64_t now, int64_t *id_out);

/* ---- resources (3.3, 5.10) ---- */
struct resource_new {
  const char *village_code;
  int64_t unit_id;        /* 0: none */
  const char *kind, *title, *amount_text /* "" when none */, *brought_on, *note;
  int64_t plan_item_id;   /* 0: none */
  int64_t user_id;
};
int resources_insert(struct db *db, const struct resource_new *r, int64_t now, int64_t *id_out);
/* The plan item (in the village) a resource may be linked to: DB_NOT_FOUND otherwise. */
int resources_item_in_village(struct db *db, const char *village, int64_t item_id);
struct resource_filter { const char *village; int year; const char *kind; int64_t unit_id; };
json_t *resources_list_json(struct db *db, const struct scope *scope, const struct resource_filter *f, int page,
                            int page_size);

#endif
