/* region_path — any region's path by its code, over the whole map and whoever asks: for a caller
 * that then weighs the path against its own bounds (scope_covers_path), as the coverage pages do
 * with the ?region= they are given. The regions themselves are store/regions. */
#ifndef ZHUCUN_REGION_PATH_H
#define ZHUCUN_REGION_PATH_H

struct db;

/* DB_NOT_FOUND when no region has this code; DB_ERROR on a database error. */
int region_path(struct db *db, const char *code, char path[96]);

#endif
