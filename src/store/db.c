/* db — SQLite connection, statement cache, migrations.
 *
 * Pragmas: WAL so that readers never wait for the writer; synchronous=FULL so a write
 * acknowledged to a user is on disk; busy_timeout so that writers queue rather than fail;
 * foreign_keys on; a 2 MB page cache per connection, since every worker thread has one and the
 * operating system's file cache is shared by all of them (the memory budget is 100 MB). The statement cache is a small open-addressed table keyed by the SQL text,
 * so that handlers can keep their SQL next to the code that uses it and still prepare it once.
 *
 * The migrations come from src/store/schema/NNN_name.sql, embedded at build time by
 * scripts/embed_schema.sh; PRAGMA user_version records the last one applied.
 *
 * A database named by a URL (postgresql://…) is a PostgreSQL server instead (store/pg): the connection,
 * its transactions and store/query run there; what only SQLite has (its statements, its migrations) answers a
 * failure on such a connection; the count and text memos hold there too, told stale by the server's snapshot
 * (docs/DESIGN.md, "The store seam"). */
#include "store/db.h"
#include "store/db_sqlite.h"
#include "store/pg.h"
#include "store/sql_trace.h"
#include "util/log.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

struct migration { int version; const char *name; const char *sql; };
#include "store/schema_sql.h"

#define STMT_CACHE_SIZE 128

struct cached_stmt {
  char *sql;
  sqlite3_stmt *stmt;
};

#define COUNT_CACHE_SIZE 64

struct cached_count {
  char *key;
  int64_t count;
  char *text;
};

struct db {
  sqlite3 *sqlite;
  char *path;
  struct cached_stmt cache[STMT_CACHE_SIZE];
  struct cached_count counts[COUNT_CACHE_SIZE];
  int64_t counts_data_version;   /* the data_version and total_changes the counts were taken at */
  int64_t counts_changes;
  char *counts_snapshot;         /* on a server: the snapshot the memos were checked against (memo_validate) */
  uint64_t checked_request;      /* on a server: the request (db_request_start) and this process's commits */
  uint64_t checked_commits;      /* (pg_process_commits) at that check */
  int64_t failures;              /* failures reported so far (db_failures) */
  struct pg_conn *pg;            /* a PostgreSQL server's connection; sqlite is NULL then */
};

static void memo_flush(struct db *db);

/* A database made by an older zhucun (umask 022) is 0644: narrow it, and its WAL, to the owner.
 * SQLite gives a new WAL the mode of the database file. */
static void owner_only(const char *path)
{
  char wal[4096];
  struct stat sb;
  if (stat(path, &sb) == 0 && (sb.st_mode & 077)) chmod(path, 0600);
  snprintf(wal, sizeof wal, "%s-wal", path);
  if (stat(wal, &sb) == 0 && (sb.st_mode & 077)) chmod(wal, 0600);
}

bool db_names_server(const char *name) { return pg_is_url(name); }

static int open_pg(struct db *db, const char *url, struct db **out)
{
  if (!db->path || pg_connect(url, &db->pg) != DB_OK) {
    db_close(db);
    return DB_ERROR;
  }
  *out = db;
  return DB_OK;
}

int db_open(const char *path, struct db **out)
{
  *out = NULL;
  struct db *db = calloc(1, sizeof *db);
  if (!db) return DB_ERROR;
  db->path = strdup(path);
  if (pg_is_url(path)) return open_pg(db, path, out);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (!db->path || sqlite3_open_v2(path, &db->sqlite, flags, NULL) != SQLITE_OK) {
    log_error("db", "cannot open %s: %s", path, db->sqlite ? sqlite3_errmsg(db->sqlite) : "out of memory");
    db_close(db);
    return DB_ERROR;
  }
  owner_only(path);
  sqlite3_busy_timeout(db->sqlite, 10000);
  sqlite3_extended_result_codes(db->sqlite, 1);
  if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                  "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-2000; PRAGMA secure_delete=FAST;") != DB_OK) {
    db_close(db);
    return DB_ERROR;
  }
  *out = db;
  return DB_OK;
}

void db_close(struct db *db)
{
  if (!db) return;
  for (int i = 0; i < STMT_CACHE_SIZE; i++) {
    sqlite3_finalize(db->cache[i].stmt);
    free(db->cache[i].sql);
  }
  memo_flush(db);
  free(db->counts_snapshot);
  if (db->sqlite) sqlite3_close(db->sqlite);
  pg_disconnect(db->pg);
  free(db->path);
  free(db);
}

sqlite3 *db_sqlite(struct db *db) { return db->sqlite; }

struct pg_conn *db_pg(struct db *db) { return db->pg; }

static int stop_requested(void *flag) { return atomic_load((const atomic_int *)flag) != 0; }

void db_cancel_when(struct db *db, const atomic_int *stop)
{
  /* asked every 1000 virtual machine steps of any statement: an interrupt can never be missed
   * between two statements, as sqlite3_interrupt's can */
  if (db->sqlite) sqlite3_progress_handler(db->sqlite, stop ? 1000 : 0, stop ? stop_requested : NULL, (void *)stop);
  /* a server's statement runs there, out of reach of a flag: the flag stops the next ones, and
   * db_interrupt cancels the one running */
  if (db->pg) pg_cancel_when(db->pg, stop);
}

void db_interrupt(struct db *db)
{
  if (db->pg) pg_interrupt(db->pg);  /* on SQLite the progress handler finds the flag by itself */
}
const char *db_path(const struct db *db) { return db->path; }

static uint32_t hash_sql(const char *s)
{
  uint32_t h = 2166136261u;  /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
  if (!db->sqlite) {
    db_report_failure(db, "a statement of the store not yet on store/query, on PostgreSQL", sql);
    return NULL;
  }
  uint32_t h = hash_sql(sql);
  for (int probe = 0; probe < STMT_CACHE_SIZE; probe++) {
    struct cached_stmt *c = &db->cache[(h + probe) % STMT_CACHE_SIZE];
    if (c->sql && strcmp(c->sql, sql) == 0) {
      sqlite3_reset(c->stmt);
      sqlite3_clear_bindings(c->stmt);
      return c->stmt;
    }
    if (!c->sql) {
      sqlite3_stmt *st = NULL;
      sql_trace(sql);
      if (sqlite3_prepare_v3(db->sqlite, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("db", "prepare failed: %s — %s", sqlite3_errmsg(db->sqlite), sql);
        db->failures++;
        return NULL;
      }
      c->sql = strdup(sql);
      if (!c->sql) { sqlite3_finalize(st); return NULL; }
      c->stmt = st;
      return st;
    }
  }
  /* Cache full (dynamic SQL with many shapes): evict the home slot. */
  struct cached_stmt *c = &db->cache[h % STMT_CACHE_SIZE];
  sqlite3_finalize(c->stmt);
  free(c->sql);
  c->sql = NULL;
  c->stmt = NULL;
  return db_stmt(db, sql);
}

int db_exec(struct db *db, const char *sql)
{
  if (db->pg) return pg_command(db, db->pg, sql) == DB_OK ? DB_OK : DB_ERROR;
  char *msg = NULL;
  if (sqlite3_exec(db->sqlite, sql, NULL, NULL, &msg) != SQLITE_OK) {
    log_error("db", "exec failed: %s", msg ? msg : sqlite3_errmsg(db->sqlite));
    sqlite3_free(msg);
    db->failures++;
    return DB_ERROR;
  }
  return DB_OK;
}

/* On PostgreSQL the transaction-scoped advisory lock keeps BEGIN IMMEDIATE's promise: one write
 * transaction at a time, taken when it begins, so that what a write read before it wrote still holds
 * (a leave's overlap, a version) as on SQLite. The lock's key is zhucun's own. */
#define PG_WRITE_LOCK "SELECT pg_advisory_xact_lock(7283461)"

int db_begin(struct db *db)
{
  if (db->pg) return db_exec(db, "BEGIN; " PG_WRITE_LOCK);
  return db_exec(db, "BEGIN IMMEDIATE");
}

int db_begin_bulk(struct db *db)
{
  int rc = db_begin(db);
  if (rc == DB_OK && db->pg) pg_set_bulk(db->pg, true);
  return rc;
}

/* Inside the bulk transaction, before it reads what it wrote: ANALYZE (db.h). */
int db_bulk_analyze(struct db *db)
{
  if (!db->pg) return DB_OK;
  return db_exec(db, "ANALYZE");
}

/* After a bulk load has committed (the demo, a generator's city or province): on PostgreSQL VACUUM (ANALYZE),
 * so that the planner has each table's statistics at once rather than whenever autovacuum next wakes (a bench
 * or a first screen right after the load met plans made for empty tables), and the old versions of the rows
 * the load's triggers rewrote again and again (post_month: 6,000 rows in 130 MB) are free for reuse. SQLite's
 * plans do not wait on statistics (zhucun never runs ANALYZE there; where a plan mattered, its query names
 * the index), so there it does nothing. */
int db_after_bulk_load(struct db *db)
{
  if (!db->pg) return DB_OK;
  return db_exec(db, "VACUUM (ANALYZE)");
}

int db_commit(struct db *db)
{
  if (db->pg) pg_set_bulk(db->pg, false);
  /* PostgreSQL answers COMMIT of a failed transaction with a rollback, not an error */
  if (db->pg && pg_transaction_failed(db->pg)) {
    db_rollback(db);
    db_report_failure(db, "commit", "the transaction had failed; rolled back");
    return DB_ERROR;
  }
  return db_exec(db, "COMMIT");
}

void db_rollback(struct db *db)
{
  if (db->pg) {
    pg_set_bulk(db->pg, false);
    if (pg_in_transaction(db->pg)) pg_command(db, db->pg, "ROLLBACK");
    return;
  }
  if (!sqlite3_get_autocommit(db->sqlite))
    sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
}

int db_step_result(struct db *db, int rc)
{
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return DB_OK;
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return DB_CONFLICT;
  log_error("db", "step failed (%d): %s", rc, sqlite3_errmsg(db->sqlite));
  db->failures++;
  return DB_ERROR;
}

int64_t db_failures(const struct db *db) { return db->failures; }

void db_report_failure(struct db *db, const char *what, const char *detail)
{
  log_error("db", "%s: %s", what, detail);
  db->failures++;
}

bool db_step_row(struct db *db, sqlite3_stmt *st)
{
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) return true;
  db_step_result(db, rc);
  return false;
}

int db_insert_returning(struct db *db, sqlite3_stmt *st, int64_t *id_out)
{
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int db_update_guarded(struct db *db, sqlite3_stmt *st)
{
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_CONFLICT;
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
  const unsigned char *t = sqlite3_column_text(st, col);
  return t ? (const char *)t : "";
}

int db_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
  return s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, idx);
}

/* The request this thread is answering (db_request_start); 0 outside one (the CLI, the writer's jobs):
 * there every look-up asks the server. */
static _Thread_local uint64_t thread_request;

void db_request_start(void) { thread_request++; }

/* The memos below (list counts, text answers) are the connection's own and hold until anybody writes.
 * Who has written since they were filled: on SQLite, data_version (the other connections' commits) and
 * total_changes (this one's own writes); on a server, its snapshot (pg_snapshot_text: the committed
 * transactions are the same exactly when the snapshot's text is). A transaction's own writes are not in
 * its snapshot on a server, so there the memos are neither read nor filled inside one. */
static void memo_flush(struct db *db)
{
  for (int i = 0; i < COUNT_CACHE_SIZE; i++) {
    free(db->counts[i].key);
    free(db->counts[i].text);
    db->counts[i].key = db->counts[i].text = NULL;
  }
}

/* True when the memo may be used now; empties it first when anybody has written since it was filled. */
static bool memo_validate(struct db *db)
{
  if (db->pg) {
    if (pg_in_transaction(db->pg)) return false;
    /* once a request: a page that reads twenty memos asks the server once; again after any commit of this
     * process (the writer's included: a request's own write is seen by its next read) */
    uint64_t commits = pg_process_commits();
    if (db->counts_snapshot && thread_request != 0 && db->checked_request == thread_request &&
        db->checked_commits == commits)
      return true;
    char *snapshot = pg_snapshot_text(db, db->pg);
    if (!snapshot) return false;
    db->checked_request = thread_request;
    db->checked_commits = commits;
    if (db->counts_snapshot && strcmp(snapshot, db->counts_snapshot) == 0) { free(snapshot); return true; }
    memo_flush(db);
    free(db->counts_snapshot);
    db->counts_snapshot = snapshot;
    return true;
  }
  int64_t version = -1;
  sqlite3_stmt *st = db_stmt(db, "PRAGMA data_version");
  if (st && sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int64(st, 0);
  if (st) sqlite3_reset(st);
  int64_t changes = sqlite3_total_changes64(db->sqlite);
  if (version == db->counts_data_version && changes == db->counts_changes && version >= 0) return true;
  memo_flush(db);
  db->counts_data_version = version;
  db->counts_changes = changes;
  return true;
}

/* A put follows the get that validated the memo (the answer was read after that check, so it is no older
 * than the state the check saw); on a server only outside a transaction and after a check that read the
 * snapshot. */
static bool memo_may_put(struct db *db)
{
  return !db->pg || (db->counts_snapshot && !pg_in_transaction(db->pg));
}

bool db_count_cache_get(struct db *db, const char *key, int64_t *count)
{
  if (!memo_validate(db)) return false;
  struct cached_count *c = &db->counts[hash_sql(key) % COUNT_CACHE_SIZE];
  if (!c->key || strcmp(c->key, key) != 0) return false;
  *count = c->count;
  return true;
}

void db_count_cache_put(struct db *db, const char *key, int64_t count)
{
  if (!memo_may_put(db)) return;
  struct cached_count *c = &db->counts[hash_sql(key) % COUNT_CACHE_SIZE];
  free(c->key);
  free(c->text);
  c->key = strdup(key);
  c->text = NULL;
  c->count = count;
}

bool db_memo_get(struct db *db, const char *key, char **text)
{
  if (!memo_validate(db)) return false;
  struct cached_count *c = &db->counts[hash_sql(key) % COUNT_CACHE_SIZE];
  if (!c->key || !c->text || strcmp(c->key, key) != 0) return false;
  *text = strdup(c->text);
  return *text != NULL;
}

void db_memo_put(struct db *db, const char *key, const char *text)
{
  if (!memo_may_put(db)) return;
  struct cached_count *c = &db->counts[hash_sql(key) % COUNT_CACHE_SIZE];
  free(c->key);
  free(c->text);
  c->key = strdup(key);
  c->text = strdup(text);
}

int db_schema_latest(void)
{
  int n = (int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]);
  return MIGRATIONS[n - 1].version;
}

int db_schema_version(struct db *db)
{
  if (db->pg) return pg_schema_version(db);
  sqlite3_stmt *st = db_stmt(db, "PRAGMA user_version");
  if (!st || sqlite3_step(st) != SQLITE_ROW) return -1;
  int v = sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return v;
}

/* True when PRAGMA foreign_key_check finds no row that points nowhere. */
static bool foreign_keys_hold(struct db *db)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db->sqlite, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) return false;
  bool ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  return ok;
}

/* A migration may rebuild a table (SQLite's way to change a constraint), which needs foreign
 * keys off while the old table is dropped and the new one renamed; so each runs with them off
 * and must leave every reference valid before it commits. */
static int apply_migration(struct db *db, const struct migration *m, const struct db_migration_step *step,
                           char *err, size_t errlen)
{
  char pragma[64];
  snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", m->version);
  const char *why = NULL;
  if (db_exec(db, "PRAGMA foreign_keys=OFF") != DB_OK) why = "foreign keys";
  else if (db_begin(db) != DB_OK || db_exec(db, m->sql) != DB_OK) why = sqlite3_errmsg(db->sqlite);
  else if (step && step->run(db, step->ctx) != DB_OK) why = "its step over the rows (see the log)";
  else if (!foreign_keys_hold(db)) why = "a row refers to a missing row (PRAGMA foreign_key_check)";
  else if (db_exec(db, pragma) != DB_OK || db_commit(db) != DB_OK) why = sqlite3_errmsg(db->sqlite);
  if (why) {
    snprintf(err, errlen, "migration %s failed: %s", m->name, why);
    db_rollback(db);
  }
  if (db_exec(db, "PRAGMA foreign_keys=ON") != DB_OK && !why) {
    snprintf(err, errlen, "migration %s: cannot turn foreign keys back on", m->name);
    return DB_ERROR;
  }
  if (why) return DB_ERROR;
  log_info("db", "applied migration %s", m->name);
  return DB_OK;
}

int db_migrate(struct db *db, char *err, size_t errlen) { return db_migrate_with(db, NULL, 0, err, errlen); }

static const struct db_migration_step *step_for(const struct db_migration_step *steps, size_t n, int version)
{
  for (size_t i = 0; i < n; i++)
    if (steps[i].version == version) return &steps[i];
  return NULL;
}

int db_migrate_with(struct db *db, const struct db_migration_step *steps, size_t nsteps, char *err, size_t errlen)
{
  if (db->pg) return pg_migrate(db, err, errlen);
  int current = db_schema_version(db);
  if (current < 0) {
    snprintf(err, errlen, "cannot read the schema version of %s", db->path);
    return DB_ERROR;
  }
  if (current > db_schema_latest()) {
    snprintf(err, errlen,
             "数据库版本 %d 高于本程序支持的 %d：请使用更新的 zhucun (database schema %d is newer than this binary's %d)",
             current, db_schema_latest(), current, db_schema_latest());
    return DB_TOO_NEW;
  }
  size_t n = sizeof MIGRATIONS / sizeof MIGRATIONS[0];
  for (size_t i = 0; i < n; i++) {
    if (MIGRATIONS[i].version <= current) continue;
    const struct db_migration_step *step = step_for(steps, nsteps, MIGRATIONS[i].version);
    if (apply_migration(db, &MIGRATIONS[i], step, err, errlen) != DB_OK) return DB_ERROR;
  }
  return DB_OK;
}

/* Per-thread connections for the HTTP workers. */
static char *thread_db_path;
static pthread_key_t thread_db_key;
static pthread_once_t thread_db_once = PTHREAD_ONCE_INIT;

static void close_thread_db(void *p) { db_close(p); }
static void make_thread_key(void) { pthread_key_create(&thread_db_key, close_thread_db); }

/* issue 15: the server's connections share one budget for SQLite's heap. Each of the 32 workers'
 * connections may keep a 2 MB page cache, and under a load that spreads over every worker they all
 * fill (the city's cadre list at 200 connections took the peak RSS past 100 MB); past this soft limit
 * a connection's page cache recycles its own least recently used pages instead of growing, so the
 * total stays near the limit and the pages come back from the operating system's file cache. */
#define DB_SERVER_HEAP_LIMIT (24LL * 1024 * 1024)

int db_thread_init(const char *path)
{
  sqlite3_soft_heap_limit64(DB_SERVER_HEAP_LIMIT);
  pthread_once(&thread_db_once, make_thread_key);
  free(thread_db_path);
  thread_db_path = strdup(path);
  return thread_db_path ? DB_OK : DB_ERROR;
}

struct db *db_thread(void)
{
  struct db *db = pthread_getspecific(thread_db_key);
  if (db) return db;
  if (db_open(thread_db_path, &db) != DB_OK) return NULL;
  pthread_setspecific(thread_db_key, db);
  return db;
}

static char *thread_reports_url;
static pthread_key_t thread_reports_key;
static pthread_once_t thread_reports_once = PTHREAD_ONCE_INIT;

static void make_reports_key(void) { pthread_key_create(&thread_reports_key, close_thread_db); }

int db_thread_reports_init(const char *url)
{
  pthread_once(&thread_reports_once, make_reports_key);
  free(thread_reports_url);
  thread_reports_url = url ? strdup(url) : NULL;
  return !url || thread_reports_url ? DB_OK : DB_ERROR;
}

struct db *db_thread_reports(void)
{
  if (!thread_reports_url) return NULL;
  struct db *db = pthread_getspecific(thread_reports_key);
  if (db) return db;
  if (db_open(thread_reports_url, &db) != DB_OK) return NULL;  /* logged by db_open; the primary answers */
  pthread_setspecific(thread_reports_key, db);
  return db;
}

void db_thread_release(void)
{
  struct db *db = pthread_getspecific(thread_db_key);
  if (db) { db_close(db); pthread_setspecific(thread_db_key, NULL); }
  if (!thread_reports_url) return;
  db = pthread_getspecific(thread_reports_key);
  if (db) { db_close(db); pthread_setspecific(thread_reports_key, NULL); }
}
