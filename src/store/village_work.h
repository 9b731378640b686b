/* village_work — the village team's own records: the monthly monitoring meeting (防返贫监测研判
 * 专题会议, 5.7) with its attendees and the households discussed, village activities under the
 * five duties (5.1–5.5) with the cadres present, the five duties side by side over months (work
 * logs and activities), and the organization relation transfer (组织关系转接) of party-member
 * cadres with their attendance at the village's theme party days (5.3).
 *
 * Scope is the record's village (SCOPE_TEAM, the village as tv); the transfer list is by post
 * (SCOPE_ASSIGNMENT). */
#ifndef ZHUCUN_VILLAGE_WORK_H
#define ZHUCUN_VILLAGE_WORK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

/* ---- meetings ---- */

struct meeting_new {
  const char *village_code, *held_on, *attendees_json, *decisions, *household_ids_json;
  int64_t user_id;
};
/* DB_CONFLICT when the village already has a meeting that month (one per month, 5.7). */
int meetings_insert(struct db *db, const struct meeting_new *m, int64_t now, int64_t *id_out);
/* DB_CONFLICT when already withdrawn. */
int meetings_withdraw(struct db *db, int64_t id, int64_t now);
/* The held meeting of the village in that month (YYYY-MM), DB_NOT_FOUND when none. */
int meetings_of_month(struct db *db, const char *village, const char *month, int64_t *id);
/* How many of the ids (a JSON array text) are active households of the village. */
int meetings_households_in_village(struct db *db, const char *village, const char *ids_json, int64_t *count);
/* How many of the ids (JSON array text) are cadres holding a post in the village. */
int meetings_cadres_in_village(struct db *db, const char *village, const char *ids_json, int64_t *count);

struct meeting_filter { const char *village, *from, *to; bool withdrawn; };
json_t *meetings_list_json(struct db *db, const struct scope *scope, const struct meeting_filter *f, int page,
                           int page_size);
/* One meeting with households [{id,household_no,head_name}] and the cases raised at it. */
json_t *meetings_get_json(struct db *db, const struct scope *scope, int64_t id);
/* Villages with a team in scope (under region when given) × months from..to (YYYY-MM): rows
 * {village_code, village_name, township_name, month, meeting_id, held_on}, village by village. */
json_t *meetings_grid_json(struct db *db, const struct scope *scope, const char *region, const char *from,
                           const char *to);

/* ---- activities ---- */

struct activity_new {
  const char *village_code, *held_on, *duty, *type, *title, *note, *cadre_ids_json;
  int64_t participants;
  int64_t user_id;
};
int activities_insert(struct db *db, const struct activity_new *a, int64_t now, int64_t *id_out);
struct activity_filter { const char *village, *duty, *type, *from, *to; };
json_t *activities_list_json(struct db *db, const struct scope *scope, const struct activity_filter *f, int page,
                             int page_size);
json_t *activities_get_json(struct db *db, const struct scope *scope, int64_t id);

/* Counts per month (YYYY-MM) and duty for one village between from and to (YYYY-MM-DD):
 * rows {month, duty, logs, activities}. */
json_t *duties_counts_json(struct db *db, const char *village, const char *from, const char *to);

/* ---- organization relation transfer (5.3) ---- */

struct transfer_filter {
  const char *village;  /* a region code above or at the village */
  const char *today;    /* YYYY-MM-DD */
  int max_days;         /* org_transfer_max_days */
  bool flagged;         /* only those overdue */
};
/* Posts (active or in handover) of party-member cadres in scope, with the transfer status,
 * due date, overdue flag, theme party days held in the village since arrival and attended. */
json_t *transfers_list_json(struct db *db, const struct scope *scope, const struct transfer_filter *f, int page,
                            int page_size);
/* One post in scope: {assignment_id, cadre_id, party_member, start_date, status, village_code}. */
json_t *transfers_post_json(struct db *db, const struct scope *scope, int64_t assignment_id);
int transfers_put(struct db *db, int64_t assignment_id, int64_t cadre_id, const char *on, const char *note,
                  int64_t user_id, int64_t now);

#endif
