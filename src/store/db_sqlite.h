/* db_sqlite — the SQLite face of a store connection: its handle, its cached statements and the
 * helpers that step, bind and read them, and the per-connection memos that SQLite's data_version keeps
 * valid.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store). Everything
 * outside the store reaches the database through store/db.h and the domain functions of the other
 * store headers; tests/check_seam.sh fails on an include of this header from anywhere else in src/. */
#ifndef ZHUCUN_DB_SQLITE_H
#define ZHUCUN_DB_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

sqlite3 *db_sqlite(struct db *db);

/* A cached prepared statement for sql, reset and with its bindings cleared.
 * The connection owns it; callers must not finalize it. NULL on error. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Runs sql (several statements allowed, no results). */
int db_exec(struct db *db, const char *sql);

/* Maps the last SQLite error of a step to a db_result. */
int db_step_result(struct db *db, int rc);
/* Reports a failure that is not SQLite's own (a parameter or column the statement does not have, see
 * store/query): logged, counted in db_failures. */
void db_report_failure(struct db *db, const char *what, const char *detail);
/* Steps st once: true when it gave a row. Anything else but the end of the rows is reported (logged,
 * counted in db_failures), so that a single-record read that failed is never taken for a missing row. */
bool db_step_row(struct db *db, sqlite3_stmt *st);
/* Steps an INSERT … RETURNING id once and resets it: *id_out set on DB_OK. */
int db_insert_returning(struct db *db, sqlite3_stmt *st, int64_t *id_out);
/* Steps a guarded UPDATE (one whose WHERE states the state it expects) and resets it: DB_CONFLICT
 * when the WHERE matched nothing — a stale version, a record already decided or withdrawn. */
int db_update_guarded(struct db *db, sqlite3_stmt *st);

/* Small helpers over a statement's columns: text columns never NULL (empty string). */
const char *db_col_text(sqlite3_stmt *st, int col);
int db_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);

/* A per-connection memo of list counts (SELECT count(*) …), keyed by the statement text and its
 * parameters. A count stays valid while no connection has written: SQLite's data_version tells
 * about the others' commits, total_changes about this connection's own writes; on a server, its
 * snapshot (pg_snapshot_text), and never inside a transaction. */
bool db_count_cache_get(struct db *db, const char *key, int64_t *count);
void db_count_cache_put(struct db *db, const char *key, int64_t count);
/* The same memo for a text result (e.g. a JSON answer); *text is malloc'd, owned by the caller. */
bool db_memo_get(struct db *db, const char *key, char **text);
void db_memo_put(struct db *db, const char *key, const char *text);

#endif
