/* work_logs — the work_log table's SQL. */
#include "store/work_logs.h"

#include <stdio.h>
#include <string.h>

#include "core/review_flow.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

int work_logs_find_checkin(struct db *db, int64_t cadre_id, const char *client_id, const char *date, int64_t *id_out)
{
  *id_out = 0;
  sqlite3_stmt *st = db_stmt(db, "SELECT id FROM checkin WHERE cadre_id = ?1 AND client_id = ?2 AND date = ?3");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, client_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int work_logs_insert(struct db *db, const struct work_log *w, int64_t now, int64_t *id_out)
{
  return work_logs_insert_subject(db, w, NULL, now, id_out);
}

int work_logs_insert_subject(struct db *db, const struct work_log *w, const char *subject, int64_t now,
                             int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO work_log (cadre_id, village_code, date, duty, text, checkin_id, created_at, subject)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, w->cadre_id);
  sqlite3_bind_text(st, 2, w->village_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, w->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, w->duty, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, w->text, -1, SQLITE_TRANSIENT);
  if (w->checkin_id) sqlite3_bind_int64(st, 6, w->checkin_id); else sqlite3_bind_null(st, 6);
  sqlite3_bind_int64(st, 7, now);
  db_bind_text_or_null(st, 8, subject && *subject ? subject : NULL);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

#define LOG_COLUMNS \
  "w.id, w.cadre_id, c.name, w.village_code, wv.name, w.date, w.duty, w.text, coalesce(w.checkin_id, 0)," \
  " coalesce(k.in_fence, -1), " SQL_CST_ISO("w.created_at") "," \
  " coalesce(w.subject, ''), w.review_state, w.revision"
#define LOG_FROM \
  "work_log w JOIN cadre c ON c.id = w.cadre_id JOIN region wv ON wv.code = w.village_code" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN checkin k ON k.id = w.checkin_id"

static json_t *log_row(sqlite3_stmt *st)
{
  int64_t checkin = sqlite3_column_int64(st, 8);
  int in_fence = sqlite3_column_int(st, 9);
  const char *subject = db_col_text(st, 11);
  json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id",
                   (json_int_t)sqlite3_column_int64(st, 0), "cadre_id", (json_int_t)sqlite3_column_int64(st, 1),
                   "cadre_name", db_col_text(st, 2), "village_code", db_col_text(st, 3), "village_name",
                   db_col_text(st, 4), "date", db_col_text(st, 5), "duty", db_col_text(st, 6), "text",
                   db_col_text(st, 7), "checkin_id", checkin ? json_integer(checkin) : json_null(), "in_fence",
                   in_fence < 0 ? json_null() : json_boolean(in_fence), "created_at", db_col_text(st, 10), "subject",
                   *subject ? json_string(subject) : json_null());
  if (!row) return NULL;
  json_object_set_new(row, "review_state", json_string(db_col_text(st, 12)));
  json_object_set_new(row, "review_state_name", json_string(review_state_name(review_state_parse(db_col_text(st, 12)))));
  json_object_set_new(row, "revision", json_integer(sqlite3_column_int64(st, 13)));
  return row;
}

json_t *work_logs_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, LOG_COLUMNS, LOG_FROM, "w.id", scope, SCOPE_CADRE, log_row, id);
}

json_t *work_logs_list_json(struct db *db, const struct scope *scope, const struct work_log_filter *f, int page,
                            int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, LOG_FROM " WHERE (:cadre = 0 OR w.cadre_id = :cadre)"
                                  " AND (:from = '' OR w.date >= :from) AND (:to = '' OR w.date <= :to)"
                                  " AND (:duty = '' OR w.duty = :duty)"
                                  " AND (:review = '' OR w.review_state = :review)");
  rc |= scope_sql(scope, SCOPE_CADRE, &where);
  const struct sql_param params[] = {{":cadre", NULL, f->cadre_id}, {":from", f->from ? f->from : "", 0},
                                     {":to", f->to ? f->to : "", 0}, {":duty", f->duty ? f->duty : "", 0},
                                     {":review", f->review_state ? f->review_state : "", 0}};
  json_t *out = rc == 0 ? list_query(db, LOG_COLUMNS, strbuf_cstr(&where), "w.date DESC, w.id DESC", params, 5, scope,
                                     log_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *work_logs_period(struct db *db, int64_t cadre_id, const char *from, const char *to)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, date, duty, text, coalesce(subject, '') FROM work_log"
      " WHERE cadre_id = ?1 AND date >= ?2 AND date <= ?3 ORDER BY date, id");
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
  json_t *out = json_array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *subject = db_col_text(st, 4);
    json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                                         "date", db_col_text(st, 1), "duty", db_col_text(st, 2), "text",
                                         db_col_text(st, 3), "subject", *subject ? json_string(subject) : json_null()));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    json_decref(out);
    return NULL;
  }
  return out;
}

int64_t work_logs_count(struct db *db, int64_t cadre_id, const char *from, const char *to)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM work_log WHERE cadre_id = ?1 AND date >= ?2 AND date <= ?3");
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
  int64_t n = db_step_row(db, st) ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return n;
}

int work_logs_revise(struct db *db, int64_t id, int64_t cadre_id, const char *text, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE work_log SET text = ?3, revision = revision + 1, revised_at = ?4 WHERE id = ?1 AND cadre_id = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, cadre_id);
  sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 4, now);
  return db_update_guarded(db, st);
}
