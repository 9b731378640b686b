/* vw_sql — see vw_sql.h. Statements come from the connection's cache (db_stmt), so each is
 * prepared once; every runner resets its statement before returning. */
#include "store/list_sql.h"
#include "store/vw_sql.h"

#include "store/db_sqlite.h"
#include "store/rows.h"
#include "store/scope_sql.h"

static sqlite3_stmt *prepare(struct db *db, const char *sql, const struct sql_param *params, int n,
                             const struct scope *scope)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return NULL;
  list_bind(st, params, n);
  if (scope) scope_bind(scope, st);
  return st;
}

json_t *vw_rows(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope)
{
  sqlite3_stmt *st = prepare(db, sql, params, n, scope);
  if (!st) return NULL;
  json_t *out = json_array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(out, rows_object(st));
  if (rc != SQLITE_DONE) {
    db_step_result(db, rc);
    json_decref(out);
    out = NULL;
  }
  sqlite3_reset(st);
  return out;
}

json_t *vw_row(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope)
{
  sqlite3_stmt *st = prepare(db, sql, params, n, scope);
  if (!st) return NULL;
  int step = sqlite3_step(st);
  json_t *out = step == SQLITE_ROW ? rows_object(st) : NULL;
  if (step != SQLITE_ROW) db_step_result(db, step); /* a failure is reported (db_failures), not a missing row */
  sqlite3_reset(st);
  return out;
}

int vw_int(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope,
           int64_t *out)
{
  sqlite3_stmt *st = prepare(db, sql, params, n, scope);
  if (!st) return DB_ERROR;
  int rc = sqlite3_step(st);
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return result;
}

int vw_exec(struct db *db, const char *sql, const struct sql_param *params, int n, int64_t *id)
{
  sqlite3_stmt *st = prepare(db, sql, params, n, NULL);
  if (!st) return DB_ERROR;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && id) *id = sqlite3_column_int64(st, 0);
  while (rc == SQLITE_ROW) rc = sqlite3_step(st);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int vw_update(struct db *db, const char *sql, const struct sql_param *params, int n)
{
  int rc = vw_exec(db, sql, params, n, NULL);
  if (rc != DB_OK) return rc;
  return sqlite3_changes(db_sqlite(db)) ? DB_OK : DB_CONFLICT;
}
