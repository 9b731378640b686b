/* migrate_pg — zhucun's schema on a PostgreSQL server (issue 16).
 *
 * SQLite's migrations (src/store/schema) run from 001 on an empty file; a PostgreSQL database starts at
 * the baseline (src/store/schema_pg/173_baseline.sql: the schema as SQLite's 001 to 173 leave it, with
 * the SQLite functions the store's SQL calls) and takes every later migration in its PostgreSQL text,
 * which has the same number as the SQLite one. A binary whose PostgreSQL texts do not reach the SQLite
 * schema's latest version refuses to migrate rather than serve an older schema.
 *
 * The version is the one row of zhucun_schema. Each migration runs in one transaction under zhucun's
 * write lock (db_begin), so two processes that start at once apply it once; DDL is transactional on
 * PostgreSQL, so a migration that fails leaves nothing behind. The steps some SQLite migrations run over
 * the rows (db_migration_step: sealing old plain-text columns) have nothing to do here: those columns
 * were gone before the baseline. */
#include <stdio.h>

#include "store/db.h"
#include "store/db_sqlite.h"  /* db_exec: a migration is a script of statements */
#include "store/pg.h"
#include "store/query.h"
#include "util/log.h"

struct migration { int version; const char *name; const char *sql; };
#include "store/schema_pg_sql.h"

#define PG_MIGRATION_COUNT ((int)(sizeof PG_MIGRATIONS / sizeof PG_MIGRATIONS[0]))

int pg_schema_latest(void) { return PG_MIGRATIONS[PG_MIGRATION_COUNT - 1].version; }

int pg_schema_version(struct db *db)
{
  struct query *q = query_open(db, "SELECT to_regclass('zhucun_schema') IS NOT NULL AS made");
  bool made = query_next(q) && query_get_int(q, "made");
  if (query_close(q) != DB_OK) return -1;
  if (!made) return 0;
  q = query_open(db, "SELECT coalesce(max(version), 0) AS version FROM zhucun_schema");
  int version = query_next(q) ? (int)query_get_int(q, "version") : -1;
  return query_close(q) == DB_OK ? version : -1;
}

static int apply(struct db *db, int index, char *err, size_t errlen)
{
  const struct migration *m = &PG_MIGRATIONS[index];
  if (db_begin(db) != DB_OK) {
    snprintf(err, errlen, "migration %s: cannot begin a transaction", m->name);
    return DB_ERROR;
  }
  /* under the lock: another process may have applied it while this one waited */
  int current = pg_schema_version(db);
  if (current >= m->version) return db_commit(db);
  struct query *q = NULL;
  if (current < 0 || db_exec(db, m->sql) != DB_OK
      || query_exec(query_open(db, "DELETE FROM zhucun_schema")) != DB_OK
      || (q = query_open(db, "INSERT INTO zhucun_schema (version) VALUES (:version)")) == NULL
      || (query_bind_int(q, ":version", m->version), query_exec(q)) != DB_OK
      || db_commit(db) != DB_OK) {
    db_rollback(db);
    snprintf(err, errlen, "migration %s failed on PostgreSQL (see the log)", m->name);
    return DB_ERROR;
  }
  log_info("db", "applied migration %s (PostgreSQL)", m->name);
  return DB_OK;
}

int pg_migrate(struct db *db, char *err, size_t errlen)
{
  if (pg_schema_latest() != db_schema_latest()) {
    snprintf(err, errlen, "schema version %d has no PostgreSQL text (src/store/schema_pg reaches %d)",
             db_schema_latest(), pg_schema_latest());
    return DB_ERROR;
  }
  int current = pg_schema_version(db);
  if (current < 0) {
    snprintf(err, errlen, "cannot read the schema version on the PostgreSQL server");
    return DB_ERROR;
  }
  if (current > pg_schema_latest()) {
    snprintf(err, errlen,
             "数据库版本 %d 高于本程序支持的 %d：请使用更新的 zhucun (database schema %d is newer than this binary's %d)",
             current, pg_schema_latest(), current, pg_schema_latest());
    return DB_TOO_NEW;
  }
  for (int i = 0; i < PG_MIGRATION_COUNT; i++) {
    if (PG_MIGRATIONS[i].version <= current) continue;
    if (apply(db, i, err, errlen) != DB_OK) return DB_ERROR;
  }
  return DB_OK;
}
