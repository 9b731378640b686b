/* commendations — see commendations.h. */
#include "store/commendations.h"

#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int commendations_insert(struct db *db, const struct commendation_new *n, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO commendation (subject, cadre_id, unit_id, kind, level, date, doc_no, title, reason, recorded_by,"
      " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, n->subject, -1, SQLITE_TRANSIENT);
  if (n->cadre_id) sqlite3_bind_int64(st, 2, n->cadre_id); else sqlite3_bind_null(st, 2);
  if (n->unit_id) sqlite3_bind_int64(st, 3, n->unit_id); else sqlite3_bind_null(st, 3);
  sqlite3_bind_text(st, 4, n->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, n->level, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, n->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, n->doc_no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, n->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 9, n->reason, -1, SQLITE_TRANSIENT);
  if (n->recorded_by) sqlite3_bind_int64(st, 10, n->recorded_by); else sqlite3_bind_null(st, 10);
  sqlite3_bind_int64(st, 11, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int commendations_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE commendation SET withdrawn_at = ?2, withdrawn_by = ?3, withdraw_reason = ?4"
      " WHERE id = ?1 AND withdrawn_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  sqlite3_bind_int64(st, 3, user_id);
  sqlite3_bind_text(st, 4, reason, -1, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_CONFLICT;
}

int commendations_place(struct db *db, const char *subject, int64_t id, char path[96])
{
  sqlite3_stmt *st = db_stmt(db, strcmp(subject, "cadre") == 0
      ? "SELECT coalesce(cr.path, ur.path) FROM cadre c LEFT JOIN region cr ON cr.code = c.village_code"
        " JOIN unit u ON u.id = c.unit_id JOIN region ur ON ur.code = u.region_code WHERE c.id = ?1"
      : "SELECT ur.path FROM unit u JOIN region ur ON ur.code = u.region_code WHERE u.id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) snprintf(path, 96, "%s", db_col_text(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : DB_ERROR;
}

#define COLUMNS \
  "m.id AS id, m.subject AS subject, m.cadre_id AS cadre_id, c.name AS cadre_name, coalesce(cr.name, '') AS village_name," \
  " u.id AS unit_id, u.name AS unit_name, m.kind AS kind, m.level AS level, m.date AS date, m.doc_no AS doc_no," \
  " m.title AS title, m.reason AS reason, coalesce(ru.display_name, '') AS recorded_by_name," \
  " " SQL_CST_ISO("m.created_at") " AS created_at, CASE WHEN m.withdrawn_at IS NULL THEN 'valid' ELSE 'withdrawn' END AS status," \
  " m.withdraw_reason AS withdraw_reason," \
  " (SELECT r.year FROM evaluation e JOIN evaluation_round r ON r.id = e.round_id WHERE e.cadre_id = m.cadre_id" \
  "  AND r.status = 'confirmed' AND e.result IS NOT NULL ORDER BY r.year DESC, r.id DESC LIMIT 1) AS evaluation_year," \
  " (SELECT e.result FROM evaluation e JOIN evaluation_round r ON r.id = e.round_id WHERE e.cadre_id = m.cadre_id" \
  "  AND r.status = 'confirmed' AND e.result IS NOT NULL ORDER BY r.year DESC, r.id DESC LIMIT 1) AS evaluation_result"
#define FROM \
  "commendation m LEFT JOIN cadre c ON c.id = m.cadre_id LEFT JOIN region cr ON cr.code = c.village_code" \
  " JOIN unit u ON u.id = coalesce(m.unit_id, c.unit_id) JOIN region ur ON ur.code = u.region_code" \
  " LEFT JOIN user ru ON ru.id = m.recorded_by"

/* A cadre's record by the cadre's scope, a unit's by the unit's. */
static int scope_clause(const struct scope *scope, struct strbuf *sql)
{
  int rc = strbuf_appendf(sql, " AND ((m.subject = 'cadre'");
  rc |= scope_sql(scope, SCOPE_CADRE, sql);
  rc |= strbuf_appendf(sql, ") OR (m.subject = 'unit'");
  rc |= scope_sql(scope, SCOPE_UNIT, sql);
  return rc | strbuf_appendf(sql, "))");
}

json_t *commendations_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT %s FROM %s WHERE m.id = :id", COLUMNS, FROM);
  rc |= scope_clause(scope, &sql);
  sqlite3_stmt *st = rc ? NULL : db_stmt(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  if (!st) return NULL;
  scope_bind(scope, st);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
  json_t *out = db_step_row(db, st) ? rows_object(st) : NULL;
  sqlite3_reset(st);
  return out;
}

json_t *commendations_list_json(struct db *db, const struct scope *scope, const struct commendation_filter *f,
                                int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s WHERE 1", FROM);
  if (f->year) rc |= strbuf_appendf(&where, " AND substr(m.date, 1, 4) = :year");
  if (f->cadre_id) rc |= strbuf_appendf(&where, " AND m.cadre_id = :cadre");
  if (f->unit_id) rc |= strbuf_appendf(&where, " AND u.id = :unit");
  if (f->kind) rc |= strbuf_appendf(&where, " AND m.kind = :kind");
  if (!f->with_withdrawn) rc |= strbuf_appendf(&where, " AND m.withdrawn_at IS NULL");
  rc |= scope_clause(scope, &where);
  char year[8];
  snprintf(year, sizeof year, "%04d", f->year);
  struct sql_param p[] = {{":year", year, 0}, {":cadre", NULL, f->cadre_id}, {":unit", NULL, f->unit_id},
                          {":kind", f->kind, 0}};
  json_t *out = rc ? NULL : list_query(db, COLUMNS, strbuf_cstr(&where), "m.date DESC, m.id DESC", p, 4, scope,
                                       rows_object, page, page_size);
  strbuf_free(&where);
  return out;
}
