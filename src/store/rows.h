/* rows — a result row as a JSON object keyed by its column names (AS aliases), with each
 * value typed as SQLite holds it (integer, real, text, NULL → null). The records of funds,
 * training and commendations are read this way, so a column added to a SELECT reaches the
 * API without a hand-written mapping.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store);
 * tests/check_seam.sh fails on an include of it from anywhere else in src/. */
#ifndef ZHUCUN_ROWS_H
#define ZHUCUN_ROWS_H

#include <jansson.h>
#include <sqlite3.h>

/* A new object (owned by the caller); a column whose name ends in "_json" is parsed as JSON
 * text and stored under the name without the suffix. */
json_t *rows_object(sqlite3_stmt *st);

struct db;
/* Every row of st as rows_object, each passed to fix (NULL: none) to turn its flags and texts into
 * what the API answers; st is reset. NULL when a step fails (the error reported through db), so a
 * failed read is never taken for the end of the rows. */
json_t *rows_array(struct db *db, sqlite3_stmt *st, void (*fix)(json_t *row));
/* obj[key] = rows (stolen); -1 when rows is NULL (a read that failed), so that a record whose part could
 * not be read is not answered as if that part were empty. */
int rows_set(json_t *obj, const char *key, json_t *rows);
#endif
