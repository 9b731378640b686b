/* reports — the work_report table's SQL. */
#include "store/reports.h"

#include <stdio.h>
#include <string.h>

#include "core/review_flow.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int reports_insert(struct db *db, const struct report_new *r, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO work_report (cadre_id, assignment_id, village_code, unit_id, period_from, period_to, text,"
      " log_count, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, r->cadre_id);
  if (r->assignment_id) sqlite3_bind_int64(st, 2, r->assignment_id); else sqlite3_bind_null(st, 2);
  sqlite3_bind_text(st, 3, r->village_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, r->unit_id);
  sqlite3_bind_text(st, 5, r->from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, r->to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, r->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 8, r->log_count);
  sqlite3_bind_int64(st, 9, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int reports_find_period(struct db *db, int64_t cadre_id, const char *from, const char *to, int64_t *id_out)
{
  *id_out = 0;
  sqlite3_stmt *st =
      db_stmt(db, "SELECT id FROM work_report WHERE cadre_id = ?1 AND period_from = ?2 AND period_to = ?3");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int reports_revise(struct db *db, int64_t id, int64_t cadre_id, const char *text, int64_t log_count, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE work_report SET text = ?3, log_count = ?4, revision = revision + 1, revised_at = ?5,"
      " read_by_township_at = NULL, read_by_unit_at = NULL WHERE id = ?1 AND cadre_id = ?2 AND review_state != 'accepted'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, cadre_id);
  sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, log_count);
  sqlite3_bind_int64(st, 5, now);
  return db_update_guarded(db, st);
}

int reports_mark_read(struct db *db, int64_t id, enum report_reader reader, int64_t now)
{
  const char *sql = reader == REPORT_READER_TOWNSHIP
      ? "UPDATE work_report SET read_by_township_at = ?2 WHERE id = ?1 AND read_by_township_at IS NULL"
      : reader == REPORT_READER_UNIT
      ? "UPDATE work_report SET read_by_unit_at = ?2 WHERE id = ?1 AND read_by_unit_at IS NULL"
      : NULL;
  if (!sql) return DB_CONFLICT;
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  return db_update_guarded(db, st);
}

#define REPORT_COLUMNS \
  "rp.id, rp.cadre_id, c.name, coalesce(rp.assignment_id, 0), rp.village_code, rpv.name, coalesce(tw.code, '')," \
  " coalesce(tw.name, ''), rp.unit_id, u.name, rp.period_from, rp.period_to, rp.text, rp.log_count, rp.revision," \
  " " SQL_CST_ISO("rp.submitted_at") ", coalesce(" SQL_CST_ISO("rp.revised_at") ", '')," \
  " coalesce(" SQL_CST_ISO("rp.read_by_township_at") ", ''), coalesce(" SQL_CST_ISO("rp.read_by_unit_at") ", '')," \
  " rp.review_state"
#define REPORT_FROM \
  "work_report rp JOIN cadre c ON c.id = rp.cadre_id JOIN unit u ON u.id = rp.unit_id" \
  " JOIN region rpv ON rpv.code = rp.village_code LEFT JOIN region tw ON tw.code = rpv.parent_code"

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

static json_t *report_row(sqlite3_stmt *st)
{
  int64_t assignment = sqlite3_column_int64(st, 3);
  const char *read_township = db_col_text(st, 17), *read_unit = db_col_text(st, 18);
  json_t *row = json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:I, s:s, s:s, s:s, s:s, s:I, s:I}",
                          "id", (json_int_t)sqlite3_column_int64(st, 0),
                          "cadre_id", (json_int_t)sqlite3_column_int64(st, 1),
                          "cadre_name", db_col_text(st, 2),
                          "assignment_id", assignment ? json_integer(assignment) : json_null(),
                          "village_code", db_col_text(st, 4),
                          "village_name", db_col_text(st, 5),
                          "township_code", text_or_null(db_col_text(st, 6)),
                          "township_name", text_or_null(db_col_text(st, 7)),
                          "unit_id", (json_int_t)sqlite3_column_int64(st, 8),
                          "unit_name", db_col_text(st, 9),
                          "from", db_col_text(st, 10),
                          "to", db_col_text(st, 11),
                          "text", db_col_text(st, 12),
                          "log_count", (json_int_t)sqlite3_column_int64(st, 13),
                          "revision", (json_int_t)sqlite3_column_int64(st, 14));
  if (!row) return NULL;
  json_object_set_new(row, "submitted_at", json_string(db_col_text(st, 15)));
  json_object_set_new(row, "revised_at", text_or_null(db_col_text(st, 16)));
  json_object_set_new(row, "read_by_township_at", text_or_null(read_township));
  json_object_set_new(row, "read_by_unit_at", text_or_null(read_unit));
  json_object_set_new(row, "read_by_township", json_boolean(*read_township));
  json_object_set_new(row, "read_by_unit", json_boolean(*read_unit));
  json_object_set_new(row, "review_state", json_string(db_col_text(st, 19)));
  json_object_set_new(row, "review_state_name", json_string(review_state_name(review_state_parse(db_col_text(st, 19)))));
  return row;
}

json_t *reports_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, REPORT_COLUMNS, REPORT_FROM, "rp.id", scope, SCOPE_REPORT, report_row, id);
}

json_t *reports_list_json(struct db *db, const struct scope *scope, const struct report_filter *f, int page,
                          int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, REPORT_FROM " WHERE (:cadre = 0 OR rp.cadre_id = :cadre)"
                                  " AND (:from = '' OR rp.period_to >= :from) AND (:to = '' OR rp.period_from <= :to)");
  if (f->unread == REPORT_READER_TOWNSHIP) rc |= strbuf_appendf(&where, " AND rp.read_by_township_at IS NULL");
  if (f->unread == REPORT_READER_UNIT) rc |= strbuf_appendf(&where, " AND rp.read_by_unit_at IS NULL");
  if (f->review == REPORT_REVIEW_WAITING)
    rc |= strbuf_appendf(&where, " AND rp.review_state IN ('pending', 'resubmitted')");
  if (f->review == REPORT_REVIEW_RETURNED) rc |= strbuf_appendf(&where, " AND rp.review_state = 'returned'");
  if (f->review == REPORT_REVIEW_ACCEPTED) rc |= strbuf_appendf(&where, " AND rp.review_state = 'accepted'");
  rc |= scope_sql(scope, SCOPE_REPORT, &where);
  const struct sql_param params[] = {{":cadre", NULL, f->cadre_id}, {":from", f->from ? f->from : "", 0},
                                     {":to", f->to ? f->to : "", 0}};
  json_t *out = rc == 0 ? list_query(db, REPORT_COLUMNS, strbuf_cstr(&where),
                                     "coalesce(rp.revised_at, rp.submitted_at) DESC, rp.id DESC", params, 3, scope,
                                     report_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}
