/* leaves — the leave table's SQL: station look-up, overlap and check-in checks, the state
 * changes (each a guarded UPDATE, so a second decision finds nothing to change) and the lists. */
#include "store/leaves.h"

#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "store/users.h"
#include "util/strbuf.h"

static void copy_col(struct query *q, const char *alias, char *dst, size_t size)
{
  snprintf(dst, size, "%s", query_get_text(q, alias));
}

/* DB_OK when a row was found, DB_NOT_FOUND when none, or the failure. */
static int close_found(struct query *q, bool found)
{
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int leaves_station(struct db *db, int64_t cadre_id, struct cadre_station *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db,
      "SELECT a.id AS id, a.village_code AS village_code, v.name AS village_name, coalesce(t.code, '') AS township_code,"
      " coalesce(t.name, '') AS township_name, coalesce(co.code, '') AS county_code,"
      " coalesce(co.name, '') AS county_name, c.name AS cadre_name"
      " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region v ON v.code = a.village_code"
      " LEFT JOIN region t ON t.code = v.parent_code LEFT JOIN region co ON co.code = t.parent_code"
      " WHERE a.cadre_id = :cadre AND a.status IN ('active','handover')"
      " ORDER BY a.status = 'active' DESC, a.id DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  bool found = query_next(q);
  if (found) {
    out->assignment_id = query_get_int(q, "id");
    copy_col(q, "village_code", out->village_code, sizeof out->village_code);
    copy_col(q, "village_name", out->village_name, sizeof out->village_name);
    copy_col(q, "township_code", out->township_code, sizeof out->township_code);
    copy_col(q, "township_name", out->township_name, sizeof out->township_name);
    copy_col(q, "county_code", out->county_code, sizeof out->county_code);
    copy_col(q, "county_name", out->county_name, sizeof out->county_name);
    copy_col(q, "cadre_name", out->cadre_name, sizeof out->cadre_name);
  }
  return close_found(q, found);
}

int leaves_overlap(struct db *db, int64_t cadre_id, const char *start, const char *end, int64_t *other_id)
{
  *other_id = 0;
  struct query *q = query_open(db,
      "SELECT id FROM leave WHERE cadre_id = :cadre AND status IN ('pending','approved','closed')"
      " AND start_date <= :end"
      " AND (CASE WHEN status = 'closed' AND returned_on IS NOT NULL AND returned_on < end_date"
      "      THEN returned_on ELSE end_date END) >= :start"
      " ORDER BY start_date LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":start", start);
  query_bind_text(q, ":end", end);
  if (query_next(q)) *other_id = query_get_int(q, "id");
  return query_close(q);
}

int leaves_first_checkin(struct db *db, int64_t cadre_id, const char *start, const char *end, char first[11])
{
  first[0] = '\0';
  struct query *q = query_open(db,
      "SELECT min(date) AS first FROM checkin WHERE cadre_id = :cadre AND date >= :start AND date <= :end"
      " AND in_fence = 1");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":start", start);
  query_bind_text(q, ":end", end);
  if (query_next(q)) snprintf(first, 11, "%s", query_get_text(q, "first"));
  return query_close(q);
}

int leaves_insert(struct db *db, const struct leave_request *r, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO leave (cadre_id, assignment_id, type, start_date, end_date, days, reason, approver_level, created_at)"
      " VALUES (:cadre, :assignment, :type, :start, :end, :days, :reason, :level, :now) RETURNING id");
  query_bind_int(q, ":cadre", r->cadre_id);
  query_bind_int_or_null(q, ":assignment", r->assignment_id);
  query_bind_text(q, ":type", r->type);
  query_bind_text(q, ":start", r->start_date);
  query_bind_text(q, ":end", r->end_date);
  query_bind_int(q, ":days", r->days);
  query_bind_text(q, ":reason", r->reason);
  query_bind_text(q, ":level", r->approver_level);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int leaves_decide(struct db *db, int64_t id, bool approve, const char *comment, const struct auth_user *by,
                  int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE leave SET status = :status, decided_by = :by, decided_at = :now, comment = :comment"
      " WHERE id = :id AND status = 'pending'");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":status", approve ? "approved" : "refused");
  query_bind_int(q, ":by", by->id);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":comment", comment && *comment ? comment : NULL);
  return query_exec_guarded(q);
}

int leaves_cancel(struct db *db, int64_t id)
{
  struct query *q = query_open(db, "UPDATE leave SET status = 'cancelled' WHERE id = :id AND status = 'pending'");
  query_bind_int(q, ":id", id);
  return query_exec_guarded(q);
}

int leaves_close(struct db *db, int64_t id, const char *returned_on)
{
  struct query *q = query_open(db,
      "UPDATE leave SET status = 'closed', returned_on = :returned_on WHERE id = :id AND status = 'approved'");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":returned_on", returned_on);
  return query_exec_guarded(q);
}

/* ---- reads ---- */

#define LEAVE_COLUMNS \
  "l.id AS id, l.cadre_id AS cadre_id, c.name AS cadre_name, coalesce(c.village_code, '') AS village_code," \
  " coalesce(cr.name, '') AS village_name, coalesce(tw.code, '') AS township_code," \
  " coalesce(tw.name, '') AS township_name, u.name AS unit_name, l.type AS type, l.start_date AS start_date," \
  " l.end_date AS end_date, l.days AS days, l.reason AS reason, l.approver_level AS approver_level," \
  " l.status AS status, coalesce(du.username, '') AS decided_by," \
  " coalesce(" SQL_CST_ISO("l.decided_at") ", '') AS decided_at, coalesce(l.comment, '') AS comment," \
  " coalesce(l.returned_on, '') AS returned_on, " SQL_CST_ISO("l.created_at") " AS created_at," \
  " coalesce(du.display_name, '') AS decided_by_name"
#define LEAVE_FROM \
  "leave l JOIN cadre c ON c.id = l.cadre_id JOIN unit u ON u.id = c.unit_id" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN region tw ON tw.code = cr.parent_code" \
  " LEFT JOIN \"user\" du ON du.id = l.decided_by"

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

static const char *status_name_zh(const char *s)
{
  static const char *const NAMES[][2] = {{"pending", "待审批"}, {"approved", "已批准"}, {"refused", "未批准"},
                                         {"cancelled", "已撤销"}, {"closed", "已销假"}};
  for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
    if (strcmp(NAMES[i][0], s) == 0) return NAMES[i][1];
  return s;
}

static json_t *leave_row(struct query *q)
{
  const char *level = query_get_text(q, "approver_level");
  json_t *row = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}",
                          "id", (json_int_t)query_get_int(q, "id"), "cadre_id",
                          (json_int_t)query_get_int(q, "cadre_id"), "cadre_name", query_get_text(q, "cadre_name"), "village_code",
                          text_or_null(query_get_text(q, "village_code")), "village_name", text_or_null(query_get_text(q, "village_name")),
                          "township_code", text_or_null(query_get_text(q, "township_code")), "township_name",
                          text_or_null(query_get_text(q, "township_name")), "unit_name", query_get_text(q, "unit_name"), "type",
                          query_get_text(q, "type"), "start_date", query_get_text(q, "start_date"), "end_date", query_get_text(q, "end_date"),
                          "days", (int)query_get_int(q, "days"), "reason", query_get_text(q, "reason"), "approver_level", level,
                          "approver_level_name",
                          strcmp(level, "township") == 0 ? "乡镇党委审批" : "县级组织部门审批", "status",
                          query_get_text(q, "status"), "status_name", status_name_zh(query_get_text(q, "status")));
  json_object_set_new(row, "decided_by", text_or_null(query_get_text(q, "decided_by")));
  json_object_set_new(row, "decided_by_name", text_or_null(query_get_text(q, "decided_by_name")));
  json_object_set_new(row, "decided_at", text_or_null(query_get_text(q, "decided_at")));
  json_object_set_new(row, "comment", text_or_null(query_get_text(q, "comment")));
  json_object_set_new(row, "returned_on", text_or_null(query_get_text(q, "returned_on")));
  json_object_set_new(row, "created_at", json_string(query_get_text(q, "created_at")));
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
  json_t *out = query_get_one(db, LEAVE_COLUMNS, LEAVE_FROM, "l.id", scope, SCOPE_CADRE, leave_row, id);
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
  json_t *out = rc == 0 ? query_list(db, LEAVE_COLUMNS, strbuf_cstr(&where), "l.start_date DESC, l.id DESC", params, 4,
                                     scope, leave_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  size_t i;
  json_t *row;
  if (out) json_array_foreach(json_object_get(out, "items"), i, row) mark_overdue(row, f->today);
  return out;
}
