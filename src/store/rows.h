/* rows — a result row as a JSON object keyed by its column names (AS aliases), with each
 * value typed as SQLite holds it (integer, real, text, NULL → null). The records of funds,
 * training and commendations are read this way, so a column added to a SELECT reaches the
 * API without a hand-written mapping. */
#ifndef ZHUCUN_ROWS_H
#define ZHUCUN_ROWS_H

#include <jansson.h>
#include <sqlite3.h>

/* A new object (owned by the caller); a column whose name ends in "_json" is parsed as JSON
 * text and stored under the name without the suffix. */
json_t *rows_object(sqlite3_stmt *st);

#endif
