/* region_path — the path and level of one region (区划) by its code, whoever asks: for the checks
 * that bound a write by the place it names — the village a household sheet is imported into, the
 * month lock of a record's village — rather than by the reader's scope (store/scope), which the
 * caller applies to the path itself. A thin door on regions_lookup for handlers whose headers
 * would otherwise take all of store/regions in. The coverage
 * pages weigh the path of their ?region= against the reader's bounds (scope_covers_path) the same way. */
#ifndef ZHUCUN_REGION_PATH_H
#define ZHUCUN_REGION_PATH_H

struct db;

/* DB_OK with path (e.g. /36/3607/360781/) and level ("village", …); DB_NOT_FOUND when no region has
 * the code (path and level then ""); DB_ERROR on a database error (logged). */
int region_path_level(struct db *db, const char *code, char path[96], char level[16]);
/* The same, for a caller that needs only the path. */
int region_path(struct db *db, const char *code, char path[96]);

#endif
