/* discipline — violations (2.5), secondments (3.6), reminders (2.7) and the unit attendance
 * score (2.6). Writes are single INSERTs or guarded UPDATEs; the score lists the units of a page in
 * SQL and takes their days from store/score_facts (the month facts of the check-ins, issue 15). */
#include "store/discipline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/score_facts.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


static int cat(struct strbuf *b, const char *s) { return strbuf_append(b, s, strlen(s)); }

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

int discipline_post_of(struct db *db, int64_t cadre_id, struct discipline_post *out)
{
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = db_stmt(db,
      "SELECT a.id, a.unit_id, a.village_code, v.path FROM assignment a JOIN region v ON v.code = a.village_code"
      " WHERE a.cadre_id = ?1 AND a.status IN ('active','handover')"
      " ORDER BY a.status = 'active' DESC, a.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->assignment_id = sqlite3_column_int64(st, 0);
    out->unit_id = sqlite3_column_int64(st, 1);
    snprintf(out->village_code, sizeof out->village_code, "%s", db_col_text(st, 2));
    snprintf(out->village_path, sizeof out->village_path, "%s", db_col_text(st, 3));
  }
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

static void bind_post(sqlite3_stmt *st, int first, const struct discipline_post *p)
{
  if (p->assignment_id) sqlite3_bind_int64(st, first, p->assignment_id); else sqlite3_bind_null(st, first);
  sqlite3_bind_int64(st, first + 1, p->unit_id);
  sqlite3_bind_text(st, first + 2, p->village_code, -1, SQLITE_TRANSIENT);
}

/* ---- violations (2.5) ---- */

int violations_insert(struct db *db, const struct violation_new *v, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO violation (cadre_id, assignment_id, unit_id, village_code, date, kind, clause, description,"
      " recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, v->cadre_id);
  bind_post(st, 2, v->post);
  sqlite3_bind_text(st, 5, v->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, v->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 7, v->clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, v->description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 9, v->recorded_by);
  sqlite3_bind_int64(st, 10, now);
  return db_insert_returning(db, st, id_out);
}

int violations_acknowledge(struct db *db, int64_t id, int64_t user_id, const char *note, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE violation SET acknowledged_by = ?2, acknowledged_at = ?3, ack_note = ?4"
      " WHERE id = ?1 AND acknowledged_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, user_id);
  sqlite3_bind_int64(st, 3, now);
  db_bind_text_or_null(st, 4, note && *note ? note : NULL);
  return db_update_guarded(db, st);
}

int violations_decide(struct db *db, int64_t id, int64_t user_id, const char *measure, const char *decided_on,
                      const char *note, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE violation SET measure = ?2, decided_on = ?3, decision_note = ?4, decided_by = ?5, decided_at = ?6"
      " WHERE id = ?1 AND measure IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, measure, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, decided_on, -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 4, note && *note ? note : NULL);
  sqlite3_bind_int64(st, 5, user_id);
  sqlite3_bind_int64(st, 6, now);
  return db_update_guarded(db, st);
}

#define VIOLATION_STATUS \
  "CASE WHEN v.measure IS NOT NULL THEN 'decided' WHEN v.acknowledged_at IS NOT NULL THEN 'acknowledged'" \
  " ELSE 'feedback' END"
#define VIOLATION_COLUMNS \
  "v.id, v.cadre_id, c.name, v.unit_id, u.name, v.village_code, coalesce(vr.name, ''), coalesce(tw.name, '')," \
  " v.date, v.kind, v.clause, v.description, coalesce(ru.display_name, ''), " SQL_CST_ISO("v.created_at") "," \
  " " VIOLATION_STATUS ", coalesce(" SQL_CST_ISO("v.acknowledged_at") ", ''), coalesce(au.display_name, '')," \
  " coalesce(v.ack_note, ''), coalesce(v.measure, ''), coalesce(v.decided_on, ''), coalesce(v.decision_note, '')," \
  " coalesce(du.display_name, '')"
#define VIOLATION_FROM \
  "violation v JOIN cadre c ON c.id = v.cadre_id JOIN unit u ON u.id = v.unit_id" \
  " JOIN region vr ON vr.code = v.village_code LEFT JOIN region tw ON tw.code = vr.parent_code" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN user ru ON ru.id = v.recorded_by" \
  " LEFT JOIN user au ON au.id = v.acknowledged_by LEFT JOIN user du ON du.id = v.decided_by"

static const char *violation_status_zh(const char *s)
{
  if (strcmp(s, "decided") == 0) return "已追责问责";
  if (strcmp(s, "acknowledged") == 0) return "单位已确认";
  return "已反馈单位";
}

static json_t *violation_row(sqlite3_stmt *st)
{
  const char *status = db_col_text(st, 14);
  json_t *row = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
                          "id", (json_int_t)sqlite3_column_int64(st, 0), "cadre_id",
                          (json_int_t)sqlite3_column_int64(st, 1), "cadre_name", db_col_text(st, 2), "unit_id",
                          (json_int_t)sqlite3_column_int64(st, 3), "unit_name", db_col_text(st, 4), "village_code",
                          db_col_text(st, 5), "village_name", text_or_null(db_col_text(st, 6)), "township_name",
                          text_or_null(db_col_text(st, 7)), "date", db_col_text(st, 8), "kind", db_col_text(st, 9),
                          "clause", db_col_text(st, 10), "description", db_col_text(st, 11), "recorded_by_name",
                          text_or_null(db_col_text(st, 12)), "created_at", db_col_text(st, 13), "status", status,
                          "status_name", violation_status_zh(status));
  json_object_set_new(row, "acknowledged_at", text_or_null(db_col_text(st, 15)));
  json_object_set_new(row, "acknowledged_by_name", text_or_null(db_col_text(st, 16)));
  json_object_set_new(row, "ack_note", text_or_null(db_col_text(st, 17)));
  json_object_set_new(row, "measure", text_or_null(db_col_text(st, 18)));
  json_object_set_new(row, "decided_on", text_or_null(db_col_text(st, 19)));
  json_object_set_new(row, "decision_note", text_or_null(db_col_text(st, 20)));
  json_object_set_new(row, "decided_by_name", text_or_null(db_col_text(st, 21)));
  return row;
}

json_t *violations_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, VIOLATION_COLUMNS, VIOLATION_FROM, "v.id", scope, SCOPE_CADRE, violation_row, id);
}

json_t *violations_list_json(struct db *db, const struct scope *scope, const struct violation_filter *f, int page,
                             int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, VIOLATION_FROM " WHERE (:cadre = 0 OR v.cadre_id = :cadre) AND (:unit = 0 OR v.unit_id = :unit)"
                       " AND (:from = '' OR v.date >= :from) AND (:to = '' OR v.date <= :to)"
                       " AND (:status = '' OR " VIOLATION_STATUS " = :status)");
  if (f->inbox) rc |= cat(&where, " AND v.acknowledged_at IS NULL AND v.measure IS NULL");
  rc |= scope_sql(scope, SCOPE_CADRE, &where);
  const struct sql_param params[] = {
    {":cadre", NULL, f->cadre_id}, {":unit", NULL, f->unit_id}, {":from", f->from ? f->from : "", 0},
    {":to", f->to ? f->to : "", 0}, {":status", f->status ? f->status : "", 0}};
  json_t *out = rc == 0 ? list_query(db, VIOLATION_COLUMNS, strbuf_cstr(&where), "v.date DESC, v.id DESC", params, 5,
                                     scope, violation_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- secondments (3.6) ---- */

int secondments_insert(struct db *db, const struct secondment_new *s, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO secondment (cadre_id, assignment_id, unit_id, village_code, start_date, end_date, days, work, note,"
      " recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, s->cadre_id);
  bind_post(st, 2, s->post);
  sqlite3_bind_text(st, 5, s->start_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, s->end_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 7, s->days);
  sqlite3_bind_text(st, 8, s->work, -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 9, s->note && *s->note ? s->note : NULL);
  sqlite3_bind_int64(st, 10, s->recorded_by);
  sqlite3_bind_int64(st, 11, now);
  return db_insert_returning(db, st, id_out);
}

#define SECONDMENT_COLUMNS \
  "s.id, s.cadre_id, c.name, s.unit_id, u.name, s.village_code, coalesce(vr.name, ''), coalesce(tw.name, '')," \
  " s.start_date, s.end_date, s.days, s.work, coalesce(s.note, ''), coalesce(ru.display_name, '')," \
  " " SQL_CST_ISO("s.created_at")
#define SECONDMENT_FROM \
  "secondment s JOIN cadre c ON c.id = s.cadre_id JOIN unit u ON u.id = s.unit_id" \
  " JOIN region vr ON vr.code = s.village_code LEFT JOIN region tw ON tw.code = vr.parent_code" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN user ru ON ru.id = s.recorded_by"

static json_t *secondment_row(sqlite3_stmt *st)
{
  json_t *row = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:i, s:s, s:o, s:o, s:s, s:s, s:s}",
                          "id", (json_int_t)sqlite3_column_int64(st, 0), "cadre_id",
                          (json_int_t)sqlite3_column_int64(st, 1), "cadre_name", db_col_text(st, 2), "unit_id",
                          (json_int_t)sqlite3_column_int64(st, 3), "unit_name", db_col_text(st, 4), "village_code",
                          db_col_text(st, 5), "village_name", text_or_null(db_col_text(st, 6)), "township_name",
                          text_or_null(db_col_text(st, 7)), "start_date", db_col_text(st, 8), "end_date",
                          db_col_text(st, 9), "days", sqlite3_column_int(st, 10), "work", db_col_text(st, 11), "note",
                          text_or_null(db_col_text(st, 12)), "recorded_by_name", text_or_null(db_col_text(st, 13)),
                          "created_at", db_col_text(st, 14), "clause", "3.6", "violation_of", "unit");
  return row;
}

json_t *secondments_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, SECONDMENT_COLUMNS, SECONDMENT_FROM, "s.id", scope, SCOPE_CADRE, secondment_row, id);
}

json_t *secondments_list_json(struct db *db, const struct scope *scope, const struct secondment_filter *f, int page,
                              int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, SECONDMENT_FROM " WHERE (:cadre = 0 OR s.cadre_id = :cadre) AND (:unit = 0 OR s.unit_id = :unit)"
                        " AND (:from = '' OR s.end_date >= :from) AND (:to = '' OR s.start_date <= :to)");
  rc |= scope_sql(scope, SCOPE_CADRE, &where);
  const struct sql_param params[] = {{":cadre", NULL, f->cadre_id}, {":unit", NULL, f->unit_id},
                                     {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0}};
  json_t *out = rc == 0 ? list_query(db, SECONDMENT_COLUMNS, strbuf_cstr(&where), "s.start_date DESC, s.id DESC",
                                     params, 4, scope, secondment_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- reminders (2.7) ---- */

int reminders_insert(struct db *db, const struct reminder_new *r, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO reminder (cadre_id, assignment_id, unit_id, village_code, reason, text, sent_by, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, r->cadre_id);
  bind_post(st, 2, r->post);
  sqlite3_bind_text(st, 5, r->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, r->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 7, r->sent_by);
  sqlite3_bind_int64(st, 8, now);
  return db_insert_returning(db, st, id_out);
}

int reminders_mark_read(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE reminder SET read_at = coalesce(read_at, ?2) WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  return db_update_guarded(db, st);
}

#define REMINDER_COLUMNS \
  "m.id, m.cadre_id, c.name, m.unit_id, u.name, m.village_code, coalesce(vr.name, ''), m.reason, m.text," \
  " coalesce(su.display_name, ''), " SQL_CST_ISO("m.created_at") ", coalesce(" SQL_CST_ISO("m.read_at") ", '')"
#define REMINDER_FROM \
  "reminder m JOIN cadre c ON c.id = m.cadre_id JOIN unit u ON u.id = m.unit_id" \
  " JOIN region vr ON vr.code = m.village_code LEFT JOIN region cr ON cr.code = c.village_code" \
  " LEFT JOIN user su ON su.id = m.sent_by"

static json_t *reminder_row(sqlite3_stmt *st)
{
  const char *read_at = db_col_text(st, 11);
  json_t *row = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:o, s:b, s:s}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "cadre_id", (json_int_t)sqlite3_column_int64(st, 1),
                          "cadre_name", db_col_text(st, 2), "unit_id", (json_int_t)sqlite3_column_int64(st, 3),
                          "unit_name", db_col_text(st, 4), "village_code", db_col_text(st, 5), "village_name",
                          text_or_null(db_col_text(st, 6)), "reason", db_col_text(st, 7), "text", db_col_text(st, 8),
                          "sent_by_name", text_or_null(db_col_text(st, 9)), "created_at", db_col_text(st, 10),
                          "read_at", text_or_null(read_at), "read", *read_at != '\0', "clause", "2.7");
  return row;
}

json_t *reminders_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, REMINDER_COLUMNS, REMINDER_FROM, "m.id", scope, SCOPE_CADRE, reminder_row, id);
}

json_t *reminders_list_json(struct db *db, const struct scope *scope, const struct reminder_filter *f, int page,
                            int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, REMINDER_FROM " WHERE (:cadre = 0 OR m.cadre_id = :cadre)");
  if (f->unread) rc |= cat(&where, " AND m.read_at IS NULL");
  rc |= scope_sql(scope, SCOPE_CADRE, &where);
  const struct sql_param params[] = {{":cadre", NULL, f->cadre_id}};
  json_t *out = rc == 0 ? list_query(db, REMINDER_COLUMNS, strbuf_cstr(&where), "m.created_at DESC, m.id DESC",
                                     params, 1, scope, reminder_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- the unit attendance score (2.6) ---- */

#define REGION_FILTER \
  " AND ar.path >= (SELECT path FROM region WHERE code = :region)" \
  " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~'"

static json_t *score_row(sqlite3_stmt *st)
{
  return json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s}", "unit_id",
                   (json_int_t)sqlite3_column_int64(st, 0), "unit_name", db_col_text(st, 1), "cadres",
                   sqlite3_column_int(st, 2), "posts", sqlite3_column_int(st, 3), "working_days",
                   sqlite3_column_int(st, 4), "days_in_village", sqlite3_column_int(st, 5), "leave_days",
                   sqlite3_column_int(st, 6), "violations", sqlite3_column_int(st, 7), "secondments",
                   sqlite3_column_int(st, 8), "secondment_days", sqlite3_column_int(st, 9), "unit_region",
                   db_col_text(st, 10));
}

/* The bounds of a record (alias a, its village ar) by region filter and scope. */
static int bounds(struct strbuf *b, const struct scope *scope, const struct score_query *q)
{
  int rc = q->region_code ? cat(b, REGION_FILTER) : 0;
  return rc | scope_sql(scope, SCOPE_ASSIGNMENT, b);
}

/* The posts of the period in scope, for the units' figures and for the list of units. */
#define SCORE_POSTS \
  " FROM assignment a JOIN region ar ON ar.code = a.village_code" \
  " WHERE a.status IN ('active','handover','ended') AND a.start_date <= :last" \
  " AND coalesce(a.ended_on, a.term_end) >= :first"

static void score_fill(json_t *items, const struct unit_days *units, size_t n)
{
  size_t i;
  json_t *row;
  json_array_foreach(items, i, row) {
    int64_t id = (int64_t)json_integer_value(json_object_get(row, "unit_id"));
    for (size_t k = 0; k < n; k++)
      if (units[k].unit_id == id) {
        json_object_set_new(row, "cadres", json_integer(units[k].cadres));
        json_object_set_new(row, "posts", json_integer(units[k].posts));
        json_object_set_new(row, "working_days", json_integer(units[k].working_days));
        json_object_set_new(row, "days_in_village", json_integer(units[k].days_in_village));
        json_object_set_new(row, "leave_days", json_integer(units[k].leave_days));
      }
  }
}

/* The units (a page of them, by name) from SQL with their violations and secondments; their days
 * counted by store/score_facts from the month facts (issue 15). */
json_t *scores_list_json(struct db *db, const struct scope *scope, const struct score_query *q, int page,
                         int page_size)
{
  struct strbuf from, cols, where;
  strbuf_init(&from, 4096);
  strbuf_init(&cols, 8192);
  strbuf_init(&where, 2048);
  int rc = bounds(&where, scope, q);
  rc |= cat(&from, "(SELECT DISTINCT a.unit_id AS uid" SCORE_POSTS);
  rc |= cat(&from, strbuf_cstr(&where));
  rc |= cat(&from, ") s JOIN unit u ON u.id = s.uid WHERE 1");
  rc |= cat(&cols, "s.uid, u.name, 0, 0, 0, 0, 0,"
                   " (SELECT count(*) FROM violation a JOIN region ar ON ar.code = a.village_code"
                   "  WHERE a.unit_id = s.uid AND a.date >= :first AND a.date <= :month_last");
  rc |= bounds(&cols, scope, q);
  rc |= cat(&cols, "), (SELECT count(*) FROM secondment a JOIN region ar ON ar.code = a.village_code"
                   "  WHERE a.unit_id = s.uid AND a.start_date <= :month_last AND a.end_date >= :first");
  rc |= bounds(&cols, scope, q);
  rc |= cat(&cols, "), (SELECT coalesce(sum(CAST(julianday(min(a.end_date, :month_last))"
                   "  - julianday(max(a.start_date, :first)) AS INTEGER) + 1), 0)"
                   "  FROM secondment a JOIN region ar ON ar.code = a.village_code"
                   "  WHERE a.unit_id = s.uid AND a.start_date <= :month_last AND a.end_date >= :first");
  rc |= bounds(&cols, scope, q);
  rc |= cat(&cols, "), u.region_code");
  const struct sql_param params[] = {{":first", q->first, 0}, {":last", q->last, 0},
                                     {":month_last", q->month_last, 0},
                                     {":region", q->region_code ? q->region_code : "", 0}};
  struct unit_days *units = NULL;
  size_t n = 0;
  json_t *out = rc == 0 && score_facts_unit_days(db, scope, q, strbuf_cstr(&where), &units, &n) == DB_OK
                    ? list_query(db, strbuf_cstr(&cols), strbuf_cstr(&from), "u.name, u.id", params, 4, scope,
                                 score_row, page, page_size)
                    : NULL;
  if (out) score_fill(json_object_get(out, "items"), units, n);
  free(units);
  strbuf_free(&from);
  strbuf_free(&cols);
  strbuf_free(&where);
  return out;
}
