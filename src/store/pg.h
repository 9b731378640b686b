/* pg — one connection to PostgreSQL (libpq) and its prepared statements: the server half under
 * store/query when the database is named by a URL (postgresql://…), as db_sqlite is the SQLite half.
 *
 * The store writes its SQL once, with named parameters (:name). PostgreSQL numbers its parameters
 * ($1, $2, …), so a statement's text is rewritten on its first use on a connection — each distinct :name
 * becomes the next $n, a name used twice keeps its number, string literals, quoted names, comments and
 * `::` casts are left alone — and prepared once (PQprepare) under a name of the connection's own; the
 * next use of the same text finds it in the connection's cache. Values travel as text, blobs as binary;
 * the server infers each parameter's type from where it stands, as SQLite's affinity did.
 *
 * A statement runs when its first row is asked for (or when a write is run), and its whole result is
 * kept until the statement is closed: the store's reads are pages, and a long export does not go through
 * here yet (see docs/DESIGN.md, "The store seam").
 *
 * Errors: a statement that fails is reported through db (logged, counted); a violated constraint
 * (SQLSTATE class 23: unique, check, foreign key, not null) is a conflict, as SQLite's
 * SQLITE_CONSTRAINT is. In a transaction, PostgreSQL aborts the whole transaction on a failed statement
 * where SQLite undoes only that statement; a write inside a transaction therefore runs under a savepoint
 * of its own, so a refused write (DB_CONFLICT) leaves the transaction usable, as the store expects.
 *
 * A connection the server closed is made again before the next statement (the one that met it closed
 * fails), its statements prepared again on the new session — but not inside a transaction: its statements
 * fail until the store ends it, and its COMMIT fails (docs/DESIGN.md, "The store seam").
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store). */
#ifndef ZHUCUN_PG_H
#define ZHUCUN_PG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct pg_conn;
struct pg_stmt;

/* zhucun's schema on the server (store/migrate_pg): pg_migrate brings it to the latest version (DB_OK,
 * DB_TOO_NEW or DB_ERROR with err filled); pg_schema_version answers the server's version (0 before the
 * baseline, -1 when it cannot be read); pg_schema_latest the binary's. */
int pg_migrate(struct db *db, char *err, size_t errlen);
int pg_schema_version(struct db *db);
int pg_schema_latest(void);

/* The connection of db when it is a PostgreSQL server's, NULL for a SQLite file (store/db). */
struct pg_conn *db_pg(struct db *db);

/* True when name is a PostgreSQL connection URL (postgresql://… or postgres://…), not a file. */
bool pg_is_url(const char *name);

/* Connects; *out owned by the caller (pg_disconnect). DB_OK or DB_ERROR (logged, the password never). */
int pg_connect(const char *url, struct pg_conn **out);
void pg_disconnect(struct pg_conn *c);
/* While *stop is set, the connection's statements fail without being sent (a ROLLBACK still is); NULL
 * forgets the flag. pg_interrupt, from any thread, asks the server to cancel the statement running now
 * (a wait for the write lock included): store/db's db_cancel_when and db_interrupt on a server. A statement
 * sent in the instant between the flag's check and the cancel's arrival runs to its end. */
void pg_cancel_when(struct pg_conn *c, const atomic_int *stop);
void pg_interrupt(struct pg_conn *c);
/* A command without parameters or rows (BEGIN, COMMIT, a schema's DDL); DB_OK, DB_CONFLICT or DB_ERROR
 * (reported through db). */
int pg_command(struct db *db, struct pg_conn *c, const char *sql);
/* True when the connection is inside a transaction block; pg_transaction_failed: one whose statement
 * failed, which PostgreSQL will only roll back. */
bool pg_in_transaction(struct pg_conn *c);
/* The server's current snapshot as text (pg_current_snapshot: xmin:xmax:the transactions in progress),
 * malloc'd, NULL when it cannot be read (reported). Two equal texts see the same committed transactions,
 * so the same rows: the memos' data_version on a server (store/db). A transaction's own writes are not in
 * its snapshot: inside one it does not tell them. */
char *pg_snapshot_text(struct db *db, struct pg_conn *c);
/* How many writes this process's connections have committed so far (a COMMIT, or a write run outside a
 * transaction): what may have changed since a snapshot was read, without asking the server (store/db's
 * memos, checked once a request). */
uint64_t pg_process_commits(void);
/* A bulk transaction (db_begin_bulk) runs its writes without savepoints: on for the transaction, off at
 * its end. */
void pg_set_bulk(struct pg_conn *c, bool on);
bool pg_transaction_failed(struct pg_conn *c);

/* The connection's statement for sql, prepared on first use; NULL when it cannot be (reported). Its
 * parameters are unbound (NULL) and it has not run. */
struct pg_stmt *pg_stmt_open(struct db *db, struct pg_conn *c, const char *sql);
/* The number of :name in the statement, 0 (not reported) when it has none. */
int pg_stmt_param(struct pg_stmt *s, const char *name);
/* What a bound value is: its text is sent as it is, bytes as binary. The kind matters only to a
 * statement whose parameter the server cannot type from where it stands (a name used as a bigint and
 * in `:at + 3`, or only where nothing says, as in json_object('k', :v)): that statement is prepared at
 * its run with the binds' types (integer bigint, real double precision, bytes bytea, text text). */
enum pg_value { PG_VALUE_TEXT, PG_VALUE_INT, PG_VALUE_REAL, PG_VALUE_BYTES };
/* Binds parameter n (1-based) to a copy of len bytes of that kind; v NULL binds NULL. false when out of
 * memory. */
bool pg_stmt_bind(struct pg_stmt *s, int n, const void *v, size_t len, enum pg_value kind);
/* Runs the statement (its parameters as bound): DB_OK, DB_CONFLICT or DB_ERROR (reported). */
int pg_stmt_run(struct db *db, struct pg_stmt *s);
/* After a run: the rows returned, the rows a write changed. */
int pg_stmt_rows(const struct pg_stmt *s);
int64_t pg_stmt_changes(const struct pg_stmt *s);
/* The column named alias, -1 when none; its count; a column's name. */
int pg_stmt_column(const struct pg_stmt *s, const char *alias);
int pg_stmt_columns(const struct pg_stmt *s);
const char *pg_stmt_column_name(const struct pg_stmt *s, int col);
/* Row row's value of col as the server's text ("" for NULL), whether it is NULL, and its kind. */
const char *pg_stmt_text(const struct pg_stmt *s, int row, int col);
bool pg_stmt_is_null(const struct pg_stmt *s, int row, int col);
/* PG_KIND_NUMERIC: numeric, what sum() of a bigint answers (SQLite's sum of integers is an integer). */
enum pg_kind { PG_KIND_TEXT, PG_KIND_INT, PG_KIND_REAL, PG_KIND_NUMERIC, PG_KIND_BOOL, PG_KIND_BYTES, PG_KIND_JSON };
enum pg_kind pg_stmt_kind(const struct pg_stmt *s, int col);
/* Ends a run: the result freed, the binds cleared; the statement stays prepared on the connection. */
void pg_stmt_close(struct pg_stmt *s);

/* The text of sql with each :name rewritten to $n (malloc'd) and the names in order of their numbers
 * (names[i] malloc'd, *nnames their count, at most max). NULL when out of memory or more than max names.
 * Exposed for its unit test. */
char *pg_rewrite_named(const char *sql, char **names, int max, int *nnames);

#endif
