/* village_profile (store) — the dated changes of a village's profile (村情, 5.8; migration 040).
 * Append only: a change is a new row with the day it took effect (as_of), who recorded it and
 * when; earlier values are never overwritten, so the profile on any day and its whole history
 * can be answered. Values arrive already checked (core/village_profile.c). The caller checks that
 * the village is in the user's scope. */
#ifndef ZHUCUN_STORE_VILLAGE_PROFILE_H
#define ZHUCUN_STORE_VILLAGE_PROFILE_H

#include <jansson.h>
#include <stdint.h>

struct db;

struct profile_change {
  const char *village_code, *field, *value_json, *as_of, *note;
  int64_t user_id;
};

int village_profile_insert(struct db *db, const struct profile_change *c, int64_t now, int64_t *id_out);

/* {fields: {code: {value, as_of, note, recorded_by_name, recorded_at} | null}, history: [...]} as of
 * the day `on` (YYYY-MM-DD): the current value of each field is its latest change on or before that
 * day; history lists every change, newest first ({id, field, value, as_of, note, recorded_by_name,
 * recorded_at}). NULL on a database error. */
json_t *village_profile_json(struct db *db, const char *village_code, const char *on);

/* The village's current weak points (短板弱项) on the day `on`: a new array of texts, empty when
 * none are recorded; NULL on a database error. A plan may name only these (5.9). */
json_t *village_profile_weak_points(struct db *db, const char *village_code, const char *on);

#endif
