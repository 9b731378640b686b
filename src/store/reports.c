/* reports — the work_report table's SQL. */
#include "store/reports.h"

#include <stdio.h>
#include <string.h>

#include "core/review_flow.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int reports_insert(struct db *db, const struct report_new *r, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO work_report (cadre_id, assignment_id, village_code, unit_id, period_from, period_to, text,"
      " log_count, submitted_at) VALUES (:cadre, :assignment, :village, :unit, :from, :to, :text, :log_count, :now) RETURNING id");
  query_bind_int(q, ":cadre", r->cadre_id);
  query_bind_int_or_null(q, ":assignment", r->assignment_id);
  query_bind_text(q, ":village", r->village_code);
  query_bind_int(q, ":unit", r->unit_id);
  query_bind_text(q, ":from", r->from);
  query_bind_text(q, ":to", r->to);
  query_bind_text(q, ":text", r->text);
  query_bind_int(q, ":log_count", r->log_count);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int reports_find_period(struct db *db, int64_t cadre_id, const char *from, const char *to, int64_t *id_out)
{
  *id_out = 0;
  struct query *q =
      query_open(db, "SELECT id FROM work_report WHERE cadre_id = :cadre AND period_from = :from AND period_to = :to");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  bool found = query_next(q);
  if (found) *id_out = query_get_int(q, "id");
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int reports_revise(struct db *db, int64_t id, int64_t cadre_id, const char *text, int64_t log_count, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE work_report SET text = :text, log_count = :log_count, revision = revision + 1, revised_at = :now,"
      " read_by_township_at = NULL, read_by_unit_at = NULL WHERE id = :id AND cadre_id = :cadre AND review_state != 'accepted'");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":text", text);
  query_bind_int(q, ":log_count", log_count);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

int reports_mark_read(struct db *db, int64_t id, enum report_reader reader, int64_t now)
{
  const char *sql = reader == REPORT_READER_TOWNSHIP
      ? "UPDATE work_report SET read_by_township_at = :now WHERE id = :id AND read_by_township_at IS NULL"
      : reader == REPORT_READER_UNIT
      ? "UPDATE work_report SET read_by_unit_at = :now WHERE id = :id AND read_by_unit_at IS NULL"
      : NULL;
  if (!sql) return DB_CONFLICT;
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

#define REPORT_COLUMNS \
  "rp.id AS id, rp.cadre_id AS cadre_id, c.name AS cadre_name, coalesce(rp.assignment_id, 0) AS assignment_id," \
  " rp.village_code AS village_code, rpv.name AS village_name, coalesce(tw.code, '') AS township_code," \
  " coalesce(tw.name, '') AS township_name, rp.unit_id AS unit_id, u.name AS unit_name, rp.period_from AS period_from," \
  " rp.period_to AS period_to, rp.text AS text, rp.log_count AS log_count, rp.revision AS revision," \
  " " SQL_CST_ISO("rp.submitted_at") " AS submitted_at, coalesce(" SQL_CST_ISO("rp.revised_at") ", '') AS revised_at," \
  " coalesce(" SQL_CST_ISO("rp.read_by_township_at") ", '') AS read_by_township_at," \
  " coalesce(" SQL_CST_ISO("rp.read_by_unit_at") ", '') AS read_by_unit_at, rp.review_state AS review_state"
#define REPORT_FROM \
  "work_report rp JOIN cadre c ON c.id = rp.cadre_id JOIN unit u ON u.id = rp.unit_id" \
  " JOIN region rpv ON rpv.code = rp.village_code LEFT JOIN region tw ON tw.code = rpv.parent_code"

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

static json_t *report_row(struct query *q)
{
  int64_t assignment = query_get_int(q, "assignment_id");
  const char *read_township = query_get_text(q, "read_by_township_at"), *read_unit = query_get_text(q, "read_by_unit_at");
  json_t *row = json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:I, s:s, s:s, s:s, s:s, s:I, s:I}",
                          "id", (json_int_t)query_get_int(q, "id"),
                          "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                          "cadre_name", query_get_text(q, "cadre_name"),
                          "assignment_id", assignment ? json_integer(assignment) : json_null(),
                          "village_code", query_get_text(q, "village_code"),
                          "village_name", query_get_text(q, "village_name"),
                          "township_code", text_or_null(query_get_text(q, "township_code")),
                          "township_name", text_or_null(query_get_text(q, "township_name")),
                          "unit_id", (json_int_t)query_get_int(q, "unit_id"),
                          "unit_name", query_get_text(q, "unit_name"),
                          "from", query_get_text(q, "period_from"),
                          "to", query_get_text(q, "period_to"),
                          "text", query_get_text(q, "text"),
                          "log_count", (json_int_t)query_get_int(q, "log_count"),
                          "revision", (json_int_t)query_get_int(q, "revision"));
  if (!row) return NULL;
  json_object_set_new(row, "submitted_at", json_string(query_get_text(q, "submitted_at")));
  json_object_set_new(row, "revised_at", text_or_null(query_get_text(q, "revised_at")));
  json_object_set_new(row, "read_by_township_at", text_or_null(read_township));
  json_object_set_new(row, "read_by_unit_at", text_or_null(read_unit));
  json_object_set_new(row, "read_by_township", json_boolean(*read_township));
  json_object_set_new(row, "read_by_unit", json_boolean(*read_unit));
  json_object_set_new(row, "review_state", json_string(query_get_text(q, "review_state")));
  json_object_set_new(row, "review_state_name", json_string(review_state_name(review_state_parse(query_get_text(q, "review_state")))));
  return row;
}

json_t *reports_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, REPORT_COLUMNS, REPORT_FROM, "rp.id", scope, SCOPE_REPORT, report_row, id);
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
  json_t *out = rc == 0 ? query_list(db, REPORT_COLUMNS, strbuf_cstr(&where),
                                     "coalesce(rp.revised_at, rp.submitted_at) DESC, rp.id DESC", params, 3, scope,
                                     report_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}
