/* work_logs — the work_log table's SQL. */
#include "store/work_logs.h"

#include <stdio.h>
#include <string.h>

#include "core/review_flow.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

int work_logs_find_checkin(struct db *db, int64_t cadre_id, const char *client_id, const char *date, int64_t *id_out)
{
  *id_out = 0;
  struct query *q =
      query_open(db, "SELECT id FROM checkin WHERE cadre_id = :cadre AND client_id = :client_id AND date = :date");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":client_id", client_id);
  query_bind_text(q, ":date", date);
  bool found = query_next(q);
  if (found) *id_out = query_get_int(q, "id");
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int work_logs_insert(struct db *db, const struct work_log *w, int64_t now, int64_t *id_out)
{
  return work_logs_insert_subject(db, w, NULL, now, id_out);
}

int work_logs_insert_subject(struct db *db, const struct work_log *w, const char *subject, int64_t now,
                             int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO work_log (cadre_id, village_code, date, duty, text, checkin_id, created_at, subject)"
      " VALUES (:cadre, :village, :date, :duty, :text, :checkin, :now, :subject) RETURNING id");
  query_bind_int(q, ":cadre", w->cadre_id);
  query_bind_text(q, ":village", w->village_code);
  query_bind_text(q, ":date", w->date);
  query_bind_text(q, ":duty", w->duty);
  query_bind_text(q, ":text", w->text);
  query_bind_int_or_null(q, ":checkin", w->checkin_id);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":subject", subject && *subject ? subject : NULL);
  return query_insert_id(q, id_out);
}

#define LOG_COLUMNS \
  "w.id AS id, w.cadre_id AS cadre_id, c.name AS cadre_name, w.village_code AS village_code, wv.name AS village_name," \
  " w.date AS date, w.duty AS duty, w.text AS text, coalesce(w.checkin_id, 0) AS checkin_id," \
  " coalesce(k.in_fence, -1) AS in_fence, " SQL_CST_ISO("w.created_at") " AS created_at," \
  " coalesce(w.subject, '') AS subject, w.review_state AS review_state, w.revision AS revision"
#define LOG_FROM \
  "work_log w JOIN cadre c ON c.id = w.cadre_id JOIN region wv ON wv.code = w.village_code" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN checkin k ON k.id = w.checkin_id"

static json_t *log_row(struct query *q)
{
  int64_t checkin = query_get_int(q, "checkin_id");
  int in_fence = (int)query_get_int(q, "in_fence");
  const char *subject = query_get_text(q, "subject");
  json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id",
                   (json_int_t)query_get_int(q, "id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                   "cadre_name", query_get_text(q, "cadre_name"), "village_code", query_get_text(q, "village_code"), "village_name",
                   query_get_text(q, "village_name"), "date", query_get_text(q, "date"), "duty", query_get_text(q, "duty"), "text",
                   query_get_text(q, "text"), "checkin_id", checkin ? json_integer(checkin) : json_null(), "in_fence",
                   in_fence < 0 ? json_null() : json_boolean(in_fence), "created_at", query_get_text(q, "created_at"), "subject",
                   *subject ? json_string(subject) : json_null());
  if (!row) return NULL;
  json_object_set_new(row, "review_state", json_string(query_get_text(q, "review_state")));
  json_object_set_new(row, "review_state_name", json_string(review_state_name(review_state_parse(query_get_text(q, "review_state")))));
  json_object_set_new(row, "revision", json_integer(query_get_int(q, "revision")));
  return row;
}

json_t *work_logs_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, LOG_COLUMNS, LOG_FROM, "w.id", scope, SCOPE_CADRE, log_row, id);
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
  json_t *out = rc == 0 ? query_list(db, LOG_COLUMNS, strbuf_cstr(&where), "w.date DESC, w.id DESC", params, 5, scope,
                                     log_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *work_logs_period(struct db *db, int64_t cadre_id, const char *from, const char *to)
{
  struct query *q = query_open(db,
      "SELECT id, date, duty, text, coalesce(subject, '') AS subject FROM work_log"
      " WHERE cadre_id = :cadre AND date >= :from AND date <= :to ORDER BY date, id");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  json_t *out = json_array();
  while (out && query_next(q)) {
    const char *subject = query_get_text(q, "subject");
    json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)query_get_int(q, "id"),
                                         "date", query_get_text(q, "date"), "duty", query_get_text(q, "duty"), "text",
                                         query_get_text(q, "text"), "subject", *subject ? json_string(subject) : json_null()));
  }
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

int64_t work_logs_count(struct db *db, int64_t cadre_id, const char *from, const char *to)
{
  struct query *q = query_open(db,
      "SELECT count(*) AS n FROM work_log WHERE cadre_id = :cadre AND date >= :from AND date <= :to");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  int64_t n = query_next(q) ? query_get_int(q, "n") : -1;
  return query_close(q) == DB_OK ? n : -1;
}

int work_logs_revise(struct db *db, int64_t id, int64_t cadre_id, const char *text, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE work_log SET text = :text, revision = revision + 1, revised_at = :now WHERE id = :id AND cadre_id = :cadre");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":text", text);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}
