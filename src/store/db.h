/* db — one SQLite connection, its pragmas, its statement cache and the migrations.
 *
 * Every thread owns its own connection (SQLite's NOMUTEX mode): the HTTP
 * workers get one each through db_thread(), the command-line tools open one
 * directly. Statements are prepared once per connection and reused. */
#ifndef ZHUCUN_DB_H
#define ZHUCUN_DB_H

#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum db_result {
  DB_OK = 0,
  DB_ERROR = -1,        /* SQLite failed; the message is in the log */
  DB_NOT_FOUND = -2,
  DB_CONFLICT = -3,     /* a UNIQUE or CHECK constraint refused the write */
  DB_TOO_NEW = -4,      /* the file was written by a newer zhucun */
};

/* Opens (creating if needed) the database at path. *out is owned by the caller: db_close(). */
int db_open(const char *path, struct db **out);
void db_close(struct db *db);
sqlite3 *db_sqlite(struct db *db);
/* Work on db stops (its statements fail with DB_ERROR, SQLITE_INTERRUPT) from the moment *stop is
 * non-zero: a long background job (http/day_start) cut short at shutdown. NULL: never. */
void db_cancel_when(struct db *db, const atomic_int *stop);
const char *db_path(const struct db *db);

/* A cached prepared statement for sql, reset and with its bindings cleared.
 * The connection owns it; callers must not finalize it. NULL on error. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Write transactions are always BEGIN IMMEDIATE: a deferred one that reads and then
 * writes fails with SQLITE_BUSY instead of waiting. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Runs sql (several statements allowed, no results). */
int db_exec(struct db *db, const char *sql);

/* Migrations compiled into the binary: applies the missing ones in order, each once, each
 * in its own transaction. Refuses (DB_TOO_NEW) a database newer than this binary. */
int db_migrate(struct db *db, char *err, size_t errlen);
/* A step in C that runs inside the transaction of migration `version`, after its SQL: what SQL alone
 * cannot do, e.g. encrypt or key rows with the key file. The migration commits only if it returns DB_OK. */
struct db_migration_step {
  int version;
  int (*run)(struct db *db, void *ctx);
  void *ctx;
};
int db_migrate_with(struct db *db, const struct db_migration_step *steps, size_t nsteps, char *err, size_t errlen);
int db_schema_version(struct db *db);
int db_schema_latest(void);

/* Maps the last SQLite error of a step to a db_result. */
int db_step_result(struct db *db, int rc);
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
 * about the others' commits, total_changes about this connection's own writes. */
bool db_count_cache_get(struct db *db, const char *key, int64_t *count);
void db_count_cache_put(struct db *db, const char *key, int64_t count);
/* The same memo for a text result (e.g. a JSON answer); *text is malloc'd, owned by the caller. */
bool db_memo_get(struct db *db, const char *key, char **text);
void db_memo_put(struct db *db, const char *key, const char *text);

/* The connection of the calling worker thread, opened on first use against the path given
 * to db_thread_init(); closed when the thread ends. */
int db_thread_init(const char *path);
struct db *db_thread(void);
void db_thread_release(void);

#endif
