/* supervision — the records of the county, the township and the dispatching unit that feed the
 * obligation engine: meetings (2.2a, 2.3a), dispatches of the cadres' on-duty status (2.2b, 2.3b),
 * inquiries with the township and village (3.1a), report hearings (3.1b, 3.2a), leader visits to
 * the village (3.2b, 3.2c). Each insert writes its evidence row in the same transaction (the
 * caller holds it); a withdrawal revokes it. The record's place (region_code) bounds who sees it:
 * a region official sees the records of places in the region, a unit its own, a cadre none.
 * Queries use the aliases of SCOPE_ASSIGNMENT (the record as a, its place as ar). */
#ifndef ZHUCUN_SUPERVISION_H
#define ZHUCUN_SUPERVISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

struct supervision_new {
  const char *kind, *clause, *party_type, *party_id;
  const char *region_code;     /* the place: county, township, or the team's village */
  int64_t unit_id;             /* 0 for county / township records */
  const char *village_code;    /* NULL unless a team is concerned */
  const char *date, *title, *minutes, *contacts;
  const char *attendees_json;  /* "[...]" */
  const char *snapshot_json;   /* NULL unless a dispatch */
  bool has_geo;
  double lat, lng, accuracy_m, distance_m;
  int64_t created_by;
};

/* Inserts the record and its evidence. DB_CONFLICT: a live record of the kind for the same party,
 * day and village exists (a double submission). */
int supervision_insert(struct db *db, const struct supervision_new *s, int64_t now, int64_t *id_out);
/* Withdraws a live record and revokes its evidence; DB_CONFLICT when already withdrawn. */
int supervision_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now);

json_t *supervision_get_json(struct db *db, const struct scope *scope, int64_t id);

struct supervision_filter {
  const char *kind, *from, *to, *region_code, *status;
  int64_t unit_id;
};
json_t *supervision_list_json(struct db *db, const struct scope *scope, const struct supervision_filter *f, int page,
                              int page_size);

/* The region's path and level; DB_NOT_FOUND when unknown. */
int supervision_region(struct db *db, const char *code, char path[96], char level[12], char name[96]);
/* Fence of a village: *has_fence false when none is set. */
int supervision_village_fence(struct db *db, const char *code, bool *has_fence, double *lat, double *lng, double *radius);
/* True when unit has a cadre in post (active / handover) in the village. */
int supervision_unit_serves(struct db *db, int64_t unit_id, const char *village_code, bool *serves);
/* A cadre in post whose village lies under region_path (when given) or who is dispatched by unit
 * (when unit_id): {cadre_id, name, post, village_name}; NULL when not such a cadre. */
json_t *supervision_cadre_in(struct db *db, int64_t cadre_id, const char *region_path, int64_t unit_id);
/* The cadres in post under region_path / of unit (for the attendee pickers), at most 500; and the
 * villages where they serve {code, name, township_name, has_fence}. */
json_t *supervision_cadres_json(struct db *db, const char *region_path, int64_t unit_id);
json_t *supervision_villages_json(struct db *db, const char *region_path, int64_t unit_id);

/* 履职 of a dispatch (2.2b, 2.3b; issue 11): adds to each item of a board ({cadre_id, village_code,
 * ...}) what the cadre did from `from` to `to` (YYYY-MM-DD, both included): days_in_village (days with
 * an in-fence act), logs (work logs), visits (household visits), activities (village activities
 * attended), tasks_due (items of the village's approved plan due in those months) and
 * tasks_progressed (items with progress recorded in those days). */
int supervision_duty_add(struct db *db, json_t *items, const char *from, const char *to);

#endif
