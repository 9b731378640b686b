/* checkins — the raw in-village acts (考勤, 2.1) and what is derived from them on the fly: who is
 * in the village today (the board), and a cadre's own day. Raw events are never changed;
 * attendance is a query over them, so it can always be recomputed. */
#ifndef ZHUCUN_CHECKINS_H
#define ZHUCUN_CHECKINS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/checkin_rules.h"

struct db;
struct scope;

/* Where a cadre is stationed now: the live assignment and its village's fence. */
struct station {
  int64_t assignment_id;
  char village_code[16];
  char village_name[128];
  char cadre_name[128];        /* the cadre's own name (for the answer to a check-in) */
  char post[24];
  bool has_fence;
  double lat, lng;
  double radius_m;
};
/* DB_NOT_FOUND when the cadre holds no current post. */
int checkins_station(struct db *db, int64_t cadre_id, struct station *out);
/* The post the cadre held on `day` (yyyymmdd) by its dates — from its start to its last day, a
 * recall's eve or a handover's day 15 included (1.6, 1.8) — so that a check-in queued offline on
 * the last day still counts and one after it is refused. DB_NOT_FOUND when none. */
int checkins_station_on(struct db *db, int64_t cadre_id, int day, struct station *out);

/* The check-in before `at` (for the speed rule) and how many of the previous days had exactly
 * these coordinates (for the same-coordinates rule). */
int checkins_previous(struct db *db, int64_t cadre_id, int64_t at, double lat, double lng, int days,
                      struct checkin_previous *out);

struct new_checkin {
  int64_t cadre_id;
  const struct station *station;
  const char *client_id, *kind, *source, *reason, *flags;
  int64_t at, received_at;
  const char *date;            /* CST date of at */
  double lat, lng, accuracy_m, distance_m;
  bool in_fence, delayed;
};
/* DB_CONFLICT when the cadre already sent this client_id. */
int checkins_insert(struct db *db, const struct new_checkin *c, int64_t *id_out);
json_t *checkins_get_json(struct db *db, int64_t id);
/* The answer to the check-in c just written as row id: the object checkins_get_json makes of that row,
 * made from what was written instead of read back (issue 15: the read-back after the commit was a fifth
 * of the check-in's time, the worker's page cache being dropped by every commit of the writer). */
json_t *checkins_written_json(const struct new_checkin *c, int64_t id);
json_t *checkins_find_client_json(struct db *db, int64_t cadre_id, const char *client_id);

struct checkin_filter { int64_t cadre_id; const char *village_code, *from, *to; bool flagged; };
json_t *checkins_list_json(struct db *db, const struct scope *scope, const struct checkin_filter *f, int page,
                           int page_size);

/* Today's board: every cadre stationed in scope on date, present / leave / absent / rest. */
json_t *checkins_board_json(struct db *db, const struct scope *scope, const char *date, const char *region_code);
/* A cadre's own day: station, check-ins, the leave covering it, logs written. */
json_t *checkins_today_json(struct db *db, int64_t cadre_id, const char *date);

#endif
