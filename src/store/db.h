/* db — one connection to the database, its transactions and the migrations: the public face of the
 * store's connection, which the HTTP layer, the exports, main.c and the CLI include.
 *
 * Every thread owns its own connection (SQLite's NOMUTEX mode): the HTTP
 * workers get one each through db_thread(), the command-line tools open one
 * directly. struct db is opaque here, and nothing in this header speaks SQL or names SQLite: the
 * statements, their columns and the SQLite handle are in store/db_sqlite.h, which only src/store
 * includes (docs/DESIGN.md, "The store seam"; tests/check_seam.sh). */
#ifndef ZHUCUN_DB_H
#define ZHUCUN_DB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum db_result {
  DB_OK = 0,
  DB_ERROR = -1,        /* the database failed; the message is in the log */
  DB_NOT_FOUND = -2,
  DB_CONFLICT = -3,     /* a UNIQUE or CHECK constraint refused the write */
  DB_TOO_NEW = -4,      /* the file was written by a newer zhucun */
};

/* True when name is a database server's URL (postgresql://…), not a file: its key file is not beside it. */
bool db_names_server(const char *name);
/* Opens (creating if needed) the database at path — or connects to the server a postgresql:// URL names.
 * *out is owned by the caller: db_close(). */
int db_open(const char *path, struct db **out);
void db_close(struct db *db);
/* Work on db stops (its statements fail with DB_ERROR, as interrupted) from the moment *stop is
 * non-zero: a long background job (http/day_start) cut short at shutdown. NULL: never. */
void db_cancel_when(struct db *db, const atomic_int *stop);
/* Called from another thread once *stop is set: on a server, the statement running now is cancelled there
 * (SQLite's statements find the flag themselves). */
void db_interrupt(struct db *db);
const char *db_path(const struct db *db);

/* A write transaction takes the write lock when it begins (SQLite's BEGIN IMMEDIATE): one that
 * read first and wanted the lock later would fail as busy instead of waiting for it. */
int db_begin(struct db *db);
/* A write transaction where any failed statement fails the whole (the demo's, a generator's): on SQLite
 * db_begin; on PostgreSQL its statements run without a savepoint each (store/pg). */
int db_begin_bulk(struct db *db);
/* Within a bulk transaction, before statements that read what it has written: the planner's statistics
 * of every table (PostgreSQL's ANALYZE, which counts the transaction's own rows). Without them the server
 * plans over tables it believes empty: the demo's visit_month_first rebuild took 70 s instead of 0.1 s.
 * SQLite plans without statistics here, as before. */
int db_bulk_analyze(struct db *db);
/* After a bulk load has committed: the planner's statistics and the space of old row versions (PostgreSQL). */
int db_after_bulk_load(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* How many failures the connection has reported (each logged where it happened: a statement that
 * could not be prepared, run or stepped). A single-record read answers NULL both for a row that is not
 * there and for a read that failed; the count taken before the read tells the two apart — unchanged:
 * not found (404); grown: the read failed (a logged 500, never a 404). See http/not_found. */
int64_t db_failures(const struct db *db);

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

/* The connection of the calling worker thread, opened on first use against the path given
 * to db_thread_init(); closed when the thread ends. */
int db_thread_init(const char *path);
struct db *db_thread(void);
void db_thread_release(void);
/* A request begins on this thread: on a server the memos (list counts, text answers) are checked against
 * its snapshot once for the request, and again after any commit of this process, instead of at every
 * look-up. Other processes' commits during the request are seen by the next request. */
void db_request_start(void);
/* The reports' database (issue 16): a hot standby of the PostgreSQL server (serve --read-db URL), read by
 * the routes whose answers may lag the primary by the standby's replay (http/router's ROUTE_STALE_OK).
 * db_thread_reports_init(NULL) names none; db_thread_reports() answers this thread's connection to it, or
 * NULL when none is named or it cannot be opened (logged): the caller then reads the primary. */
int db_thread_reports_init(const char *url);
struct db *db_thread_reports(void);

#endif
