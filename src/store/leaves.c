/* leaves — the leave table's SQL: station look-up, overlap and check-in checks, the state
 * changes (each a guarded UPDATE, so a second decision finds nothing to change) and the lists. */
#include "store/leaves.h"

#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "store/users.h"
#include "util/strbuf.h"

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
  snprintf(dst, size, "%s", db_col_text(st, col));
}

int leaves_station(struct db *db, int64_t cadre_id, struct cadre_station *out)
{
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = db_stmt(db,
      "SELECT a.id, a.village_code, v.name, coalesce(t.code, ''), coalesce(t.name, ''), coalesce(co.code, ''),"
      " coalesce(co.name, ''), c.name"
      " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region v ON v.code = a.village_code"
      " LEFT JOIN region t ON t.code = v.parent_code LEFT JOIN region co ON co.code = t.parent_code"
      " WHERE a.cadre_id = ?1 AND a.status IN ('active','handover')"
      " ORDER BY a.status = 'active' DESC, a.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->assignment_id = sqlite3_column_int64(st, 0);
    copy_col(st, 1, out->village_code, sizeof out->village_code);
    copy_col(st, 2, out->village_name, sizeof out->village_name);
    copy_col(st, 3, out->township_code, sizeof out->township_code);
    copy_col(st, 4, out->township_name, sizeof out->township_name);
    copy_col(st, 5, out->county_code, sizeof out->county_code);
    copy_col(st, 6, out->county_name, sizeof out->county_name);
    copy_col(st, 7, out->cadre_name, sizeof out->cadre_name);
  }
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int leaves_overlap(struct db *db, int64_t cadre_id, const char *start, const char *end, int64_t *other_id)
{
  *other_id = 0;
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id FROM leave WHERE cadre_id = ?1 AND status IN ('pending','approved','closed')"
      " AND start_date <= ?3"
      " AND (CASE WHEN status = 'closed' AND returned_on IS NOT NULL AND returned_on < end_date"
      "      THEN returned_on ELSE end_date END) >= ?2"
      " ORDER BY start_date LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, end, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *other_id = sqlite3_column_int64(st, 0);
  int result = rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int leaves_first_checkin(struct db *db, int64_t cadre_id, const char *start, const char *end, char first[11])
{
  first[0] = '\0';
  sqlite3_stmt *st = db_stmt(db,
      "SELECT min(date) FROM checkin WHERE cadre_id = ?1 AND date >= ?2 AND date <= ?3 AND in_fence = 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, end, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) snprintf(first, 11, "%s", db_col_text(st, 0));
  int result = rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int leaves_insert(struct db *db, const struct leave_request *r, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO leave (cadre_id, assignment_id, type, start_date, end_date, days, reason, approver_level, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, r->cadre_id);
  if (r->assignment_id) sqlite3_bind_int64(st, 2, r->assignment_id); else sqlite3_bind_null(st, 2);
  sqlite3_bind_text(st, 3, r->type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, r->start_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, r->end_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 6, r->days);
  sqlite3_bind_text(st, 7, r->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, r->approver_level, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 9, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int leaves_decide(struct db *db, int64_t id, bool approve, const char *comment, const struct auth_user *by,
                  int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE leave SET status = ?2, decided_by = ?3, decided_at = ?4, comment = ?5 WHERE id = ?1 AND status = 'pending'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, approve ? "approved" : "refused", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, by->id);
  sqlite3_bind_int64(st, 4, now);
  db_bind_text_or_null(st, 5, comment && *comment ? comment : NULL);
  return db_update_guarded(db, st);
}

int leaves_cancel(struct db *db, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE leave SET status = 'cancelled' WHERE id = ?1 AND status = 'pending'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  return db_update_guarded(db, st);
}

int leaves_close(struct db *db, int64_t id, const char *returned_on)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE leave SET status = 'closed', returned_on = ?2 WHERE id = ?1 AND status = 'approved'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, returned_on, -1, SQLITE_TRANSIENT);
  return db_update_guarded(db, st);
}

/* ---- reads ---- */

#define LEAVE_COLUMNS \
  "l.id, l.cadre_id, c.name, coalesce(c.village_code, ''), coalesce(cr.name, ''), coalesce(tw.code, '')," \
  " coalesce(tw.name, ''), u.name, l.type, l.start_date, l.end_date, l.days, l.reason, l.approver_level, l.status," \
  " coalesce(du.username, ''), coalesce(" SQL_CST_ISO("l.decided_at") ", '')," \
  " coalesce(l.comment, ''), coalesce(l.returned_on, ''), " SQL_CST_ISO("l.created_at") "," \
  " coalesce(du.display_name, '')"
#define LEAVE_FROM \
  "leave l JOIN cadre c ON c.id = l.cadre_id JOIN unit u ON u.id = c.unit_id" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN region tw ON tw.code = cr.parent_code" \
  " LEFT JOIN user du ON du.id = l.decided_by"

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

static const char *status_name_zh(const char *s)
{
  static const char *const NAMES[][2] = {{"pending", "待审批"}, {"approved", "已批准"}, {"refused", "未批准"},
                                         {"cancelled", "已撤销"}, {"closed", "已销假"}};
  for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
    if (strcmp(NAMES[i][0], s) == 0) return NAMES[i][1];
  return s;
}

static json_t *leave_row(sqlite3_stmt *st)
{
  const char *level = db_col_text(st, 13);
  json_t *row = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}",
                          "id", (json_int_t)sqlite3_column_int64(st, 0), "cadre_id",
                          (json_int_t)sqlite3_column_int64(st, 1), "cadre_name", db_col_text(st, 2), "village_code",
                          text_or_null(db_col_text(st, 3)), "village_name", text_or_null(db_col_text(st, 4)),
                          "township_code", text_or_null(db_col_text(st, 5)), "township_name",
                          text_or_null(db_col_text(st, 6)), "unit_name", db_col_text(st, 7), "type",
                          db_col_text(st, 8), "start_date", db_col_text(st, 9), "end_date", db_col_text(st, 10),
                          "days", sqlite3_column_int(st, 11), "reason", db_col_text(st, 12), "approver_level", level,
                          "approver_level_name",
                          strcmp(level, "township") == 0 ? "乡镇党委审批" : "县级组织部门审批", "status",
                          db_col_text(st, 14), "status_name", status_name_zh(db_col_text(st, 14)));
  json_object_set_new(row, "decided_by", text_or_null(db_col_text(st, 15)));
  json_object_set_new(row, "decided_by_name", text_or_null(db_col_text(st, 20)));
  json_object_set_new(row, "decided_at", text_or_null(db_col_text(st, 16)));
  json_object_set_new(row, "comment", text_or_null(db_col_text(st, 17)));
  json_object_set_new(row, "returned_on", text_or_null(db_col_text(st, 18)));
  json_object_set_new(row, "created_at", json_string(db_col_text(st, 19)));
  return row;
}

/* overdue: approved, its last day has passed, and no 销假 yet. */
static void mark_overdue(json_t *row, const char *today)
{
  const char *status = json_string_value(json_object_get(row, "status"));
  const char *end = json_string_value(json_object_get(row, "end_date"));
  bool overdue = status && end && strcmp(status, "approved") == 0 && strcmp(end, today) < 0;
  json_object_set_new(row, "overdue", json_boolean(overdue));
  if (overdue) json_object_set_new(row, "status_name", json_string("逾期未销假"));
}

json_t *leaves_get_json(struct db *db, const struct scope *scope, int64_t id, const char *today)
{
  json_t *out = list_get_one(db, LEAVE_COLUMNS, LEAVE_FROM, "l.id", scope, SCOPE_CADRE, leave_row, id);
  if (out) mark_overdue(out, today);
  return out;
}

json_t *leaves_list_json(struct db *db, const struct scope *scope, const struct leave_filter *f, int page,
                         int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, LEAVE_FROM " WHERE (:status = '' OR l.status = :status)"
                                  " AND (:cadre = 0 OR l.cadre_id = :cadre)");
  if (f->inbox_level) rc |= strbuf_appendf(&where, " AND l.status = 'pending' AND l.approver_level = :level");
  if (f->overdue) rc |= strbuf_appendf(&where, " AND l.status = 'approved' AND l.end_date < :today");
  rc |= scope_sql(scope, SCOPE_CADRE, &where);
  const struct sql_param params[] = {
    {":status", f->status ? f->status : "", 0}, {":cadre", NULL, f->cadre_id},
    {":level", f->inbox_level ? f->inbox_level : "", 0}, {":today", f->today, 0}};
  json_t *out = rc == 0 ? list_query(db, LEAVE_COLUMNS, strbuf_cstr(&where), "l.start_date DESC, l.id DESC", params, 4,
                                     scope, leave_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  size_t i;
  json_t *row;
  if (out) json_array_foreach(json_object_get(out, "items"), i, row) mark_overdue(row, f->today);
  return out;
}
