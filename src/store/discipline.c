/* discipline — violations (2.5), secondments (3.6), reminders (2.7) and the unit attendance
 * score (2.6). Writes are single INSERTs or guarded UPDATEs; the score lists the units of a page in
 * SQL and takes their days from store/score_facts (the month facts of the check-ins, issue 15). Every
 * statement runs through store/query (named parameters, columns read by alias). */
#include "store/discipline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/score_facts.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


static int cat(struct strbuf *b, const char *s) { return strbuf_append(b, s, strlen(s)); }

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

int discipline_post_of(struct db *db, int64_t cadre_id, struct discipline_post *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db,
      "SELECT a.id AS id, a.unit_id AS unit_id, a.village_code AS village_code, v.path AS village_path"
      " FROM assignment a JOIN region v ON v.code = a.village_code"
      " WHERE a.cadre_id = :cadre AND a.status IN ('active','handover')"
      " ORDER BY a.status = 'active' DESC, a.id DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  bool found = query_next(q);
  if (found) {
    out->assignment_id = query_get_int(q, "id");
    out->unit_id = query_get_int(q, "unit_id");
    snprintf(out->village_code, sizeof out->village_code, "%s", query_get_text(q, "village_code"));
    snprintf(out->village_path, sizeof out->village_path, "%s", query_get_text(q, "village_path"));
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The post a record is made on: :assignment (NULL when none), :unit, :village. */
static void bind_post(struct query *q, const struct discipline_post *p)
{
  query_bind_int_or_null(q, ":assignment", p->assignment_id);
  query_bind_int(q, ":unit", p->unit_id);
  query_bind_text(q, ":village", p->village_code);
}

/* ---- violations (2.5) ---- */

int violations_insert(struct db *db, const struct violation_new *v, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO violation (cadre_id, assignment_id, unit_id, village_code, date, kind, clause, description,"
      " recorded_by, created_at) VALUES (:cadre, :assignment, :unit, :village, :date, :kind, :clause, :description,"
      " :recorded_by, :now) RETURNING id");
  query_bind_int(q, ":cadre", v->cadre_id);
  bind_post(q, v->post);
  query_bind_text(q, ":date", v->date);
  query_bind_text(q, ":kind", v->kind);
  query_bind_text(q, ":clause", v->clause);
  query_bind_text(q, ":description", v->description);
  query_bind_int(q, ":recorded_by", v->recorded_by);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int violations_acknowledge(struct db *db, int64_t id, int64_t user_id, const char *note, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE violation SET acknowledged_by = :user, acknowledged_at = :now, ack_note = :note"
      " WHERE id = :id AND acknowledged_at IS NULL");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":note", note && *note ? note : NULL);
  return query_exec_guarded(q);
}

int violations_decide(struct db *db, int64_t id, int64_t user_id, const char *measure, const char *decided_on,
                      const char *note, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE violation SET measure = :measure, decided_on = :decided_on, decision_note = :note,"
      " decided_by = :user, decided_at = :now WHERE id = :id AND measure IS NULL");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":measure", measure);
  query_bind_text(q, ":decided_on", decided_on);
  query_bind_text(q, ":note", note && *note ? note : NULL);
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

#define VIOLATION_STATUS \
  "CASE WHEN v.measure IS NOT NULL THEN 'decided' WHEN v.acknowledged_at IS NOT NULL THEN 'acknowledged'" \
  " ELSE 'feedback' END"
#define VIOLATION_COLUMNS \
  "v.id AS id, v.cadre_id AS cadre_id, c.name AS cadre_name, v.unit_id AS unit_id, u.name AS unit_name," \
  " v.village_code AS village_code, coalesce(vr.name, '') AS village_name, coalesce(tw.name, '') AS township_name," \
  " v.date AS date, v.kind AS kind, v.clause AS clause, v.description AS description," \
  " coalesce(ru.display_name, '') AS recorded_by_name, " SQL_CST_ISO("v.created_at") " AS created_at," \
  " " VIOLATION_STATUS " AS status, coalesce(" SQL_CST_ISO("v.acknowledged_at") ", '') AS acknowledged_at," \
  " coalesce(au.display_name, '') AS acknowledged_by_name, coalesce(v.ack_note, '') AS ack_note," \
  " coalesce(v.measure, '') AS measure, coalesce(v.decided_on, '') AS decided_on," \
  " coalesce(v.decision_note, '') AS decision_note, coalesce(du.display_name, '') AS decided_by_name"
#define VIOLATION_FROM \
  "violation v JOIN cadre c ON c.id = v.cadre_id JOIN unit u ON u.id = v.unit_id" \
  " JOIN region vr ON vr.code = v.village_code LEFT JOIN region tw ON tw.code = vr.parent_code" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN \"user\" ru ON ru.id = v.recorded_by" \
  " LEFT JOIN \"user\" au ON au.id = v.acknowledged_by LEFT JOIN \"user\" du ON du.id = v.decided_by"

static const char *violation_status_zh(const char *s)
{
  if (strcmp(s, "decided") == 0) return "已追责问责";
  if (strcmp(s, "acknowledged") == 0) return "单位已确认";
  return "已反馈单位";
}

static json_t *violation_row(struct query *q)
{
  const char *status = query_get_text(q, "status");
  json_t *row = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
                          "id", (json_int_t)query_get_int(q, "id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                          "cadre_name", query_get_text(q, "cadre_name"), "unit_id", (json_int_t)query_get_int(q, "unit_id"),
                          "unit_name", query_get_text(q, "unit_name"), "village_code", query_get_text(q, "village_code"),
                          "village_name", text_or_null(query_get_text(q, "village_name")),
                          "township_name", text_or_null(query_get_text(q, "township_name")),
                          "date", query_get_text(q, "date"), "kind", query_get_text(q, "kind"),
                          "clause", query_get_text(q, "clause"), "description", query_get_text(q, "description"),
                          "recorded_by_name", text_or_null(query_get_text(q, "recorded_by_name")),
                          "created_at", query_get_text(q, "created_at"), "status", status,
                          "status_name", violation_status_zh(status));
  static const char *const LATER[] = {"acknowledged_at", "acknowledged_by_name", "ack_note", "measure", "decided_on",
                                      "decision_note", "decided_by_name"};
  for (size_t i = 0; i < sizeof LATER / sizeof LATER[0]; i++) /* each column's alias is its key */
    json_object_set_new(row, LATER[i], text_or_null(query_get_text(q, LATER[i])));
  return row;
}

json_t *violations_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, VIOLATION_COLUMNS, VIOLATION_FROM, "v.id", scope, SCOPE_CADRE, violation_row, id);
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
  json_t *out = rc == 0 ? query_list(db, VIOLATION_COLUMNS, strbuf_cstr(&where), "v.date DESC, v.id DESC", params, 5,
                                     scope, violation_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- secondments (3.6) ---- */

int secondments_insert(struct db *db, const struct secondment_new *s, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO secondment (cadre_id, assignment_id, unit_id, village_code, start_date, end_date, days, work, note,"
      " recorded_by, created_at) VALUES (:cadre, :assignment, :unit, :village, :start, :end, :days, :work, :note,"
      " :recorded_by, :now) RETURNING id");
  query_bind_int(q, ":cadre", s->cadre_id);
  bind_post(q, s->post);
  query_bind_text(q, ":start", s->start_date);
  query_bind_text(q, ":end", s->end_date);
  query_bind_int(q, ":days", s->days);
  query_bind_text(q, ":work", s->work);
  query_bind_text(q, ":note", s->note && *s->note ? s->note : NULL);
  query_bind_int(q, ":recorded_by", s->recorded_by);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

#define SECONDMENT_COLUMNS \
  "s.id AS id, s.cadre_id AS cadre_id, c.name AS cadre_name, s.unit_id AS unit_id, u.name AS unit_name," \
  " s.village_code AS village_code, coalesce(vr.name, '') AS village_name, coalesce(tw.name, '') AS township_name," \
  " s.start_date AS start_date, s.end_date AS end_date, s.days AS days, s.work AS work, coalesce(s.note, '') AS note," \
  " coalesce(ru.display_name, '') AS recorded_by_name, " SQL_CST_ISO("s.created_at") " AS created_at"
#define SECONDMENT_FROM \
  "secondment s JOIN cadre c ON c.id = s.cadre_id JOIN unit u ON u.id = s.unit_id" \
  " JOIN region vr ON vr.code = s.village_code LEFT JOIN region tw ON tw.code = vr.parent_code" \
  " LEFT JOIN region cr ON cr.code = c.village_code LEFT JOIN \"user\" ru ON ru.id = s.recorded_by"

static json_t *secondment_row(struct query *q)
{
  return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:i, s:s, s:o, s:o, s:s, s:s, s:s}",
                   "id", (json_int_t)query_get_int(q, "id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                   "cadre_name", query_get_text(q, "cadre_name"), "unit_id", (json_int_t)query_get_int(q, "unit_id"),
                   "unit_name", query_get_text(q, "unit_name"), "village_code", query_get_text(q, "village_code"),
                   "village_name", text_or_null(query_get_text(q, "village_name")),
                   "township_name", text_or_null(query_get_text(q, "township_name")),
                   "start_date", query_get_text(q, "start_date"), "end_date", query_get_text(q, "end_date"),
                   "days", (int)query_get_int(q, "days"), "work", query_get_text(q, "work"),
                   "note", text_or_null(query_get_text(q, "note")),
                   "recorded_by_name", text_or_null(query_get_text(q, "recorded_by_name")),
                   "created_at", query_get_text(q, "created_at"), "clause", "3.6", "violation_of", "unit");
}

json_t *secondments_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, SECONDMENT_COLUMNS, SECONDMENT_FROM, "s.id", scope, SCOPE_CADRE, secondment_row, id);
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
  json_t *out = rc == 0 ? query_list(db, SECONDMENT_COLUMNS, strbuf_cstr(&where), "s.start_date DESC, s.id DESC",
                                     params, 4, scope, secondment_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- reminders (2.7) ---- */

int reminders_insert(struct db *db, const struct reminder_new *r, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO reminder (cadre_id, assignment_id, unit_id, village_code, reason, text, sent_by, created_at)"
      " VALUES (:cadre, :assignment, :unit, :village, :reason, :text, :sent_by, :now) RETURNING id");
  query_bind_int(q, ":cadre", r->cadre_id);
  bind_post(q, r->post);
  query_bind_text(q, ":reason", r->reason);
  query_bind_text(q, ":text", r->text);
  query_bind_int(q, ":sent_by", r->sent_by);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int reminders_mark_read(struct db *db, int64_t id, int64_t now)
{
  struct query *q = query_open(db, "UPDATE reminder SET read_at = coalesce(read_at, :now) WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

#define REMINDER_COLUMNS \
  "m.id AS id, m.cadre_id AS cadre_id, c.name AS cadre_name, m.unit_id AS unit_id, u.name AS unit_name," \
  " m.village_code AS village_code, coalesce(vr.name, '') AS village_name, m.reason AS reason, m.text AS text," \
  " coalesce(su.display_name, '') AS sent_by_name, " SQL_CST_ISO("m.created_at") " AS created_at," \
  " coalesce(" SQL_CST_ISO("m.read_at") ", '') AS read_at"
#define REMINDER_FROM \
  "reminder m JOIN cadre c ON c.id = m.cadre_id JOIN unit u ON u.id = m.unit_id" \
  " JOIN region vr ON vr.code = m.village_code LEFT JOIN region cr ON cr.code = c.village_code" \
  " LEFT JOIN \"user\" su ON su.id = m.sent_by"

static json_t *reminder_row(struct query *q)
{
  const char *read_at = query_get_text(q, "read_at");
  return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:o, s:b, s:s}",
                   "id", (json_int_t)query_get_int(q, "id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                   "cadre_name", query_get_text(q, "cadre_name"), "unit_id", (json_int_t)query_get_int(q, "unit_id"),
                   "unit_name", query_get_text(q, "unit_name"), "village_code", query_get_text(q, "village_code"),
                   "village_name", text_or_null(query_get_text(q, "village_name")), "reason", query_get_text(q, "reason"),
                   "text", query_get_text(q, "text"), "sent_by_name", text_or_null(query_get_text(q, "sent_by_name")),
                   "created_at", query_get_text(q, "created_at"), "read_at", text_or_null(read_at),
                   "read", *read_at != '\0', "clause", "2.7");
}

json_t *reminders_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, REMINDER_COLUMNS, REMINDER_FROM, "m.id", scope, SCOPE_CADRE, reminder_row, id);
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
  json_t *out = rc == 0 ? query_list(db, REMINDER_COLUMNS, strbuf_cstr(&where), "m.created_at DESC, m.id DESC",
                                     params, 1, scope, reminder_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- the unit attendance score (2.6) ---- */

#define REGION_FILTER \
  " AND ar.path >= (SELECT path FROM region WHERE code = :region)" \
  " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~'"

/* The days (cadres … leave_days) are 0 here and filled in from store/score_facts (score_fill). */
static json_t *score_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s}",
                   "unit_id", (json_int_t)query_get_int(q, "unit_id"), "unit_name", query_get_text(q, "unit_name"),
                   "cadres", 0, "posts", 0, "working_days", 0, "days_in_village", 0, "leave_days", 0,
                   "violations", (int)query_get_int(q, "violations"), "secondments", (int)query_get_int(q, "secondments"),
                   "secondment_days", (int)query_get_int(q, "secondment_days"),
                   "unit_region", query_get_text(q, "unit_region"));
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
  rc |= cat(&from, ") s JOIN unit u ON u.id = s.uid WHERE 1 = 1");
  rc |= cat(&cols, "s.uid AS unit_id, u.name AS unit_name,"
                   " (SELECT count(*) FROM violation a JOIN region ar ON ar.code = a.village_code"
                   "  WHERE a.unit_id = s.uid AND a.date >= :first AND a.date <= :month_last");
  rc |= bounds(&cols, scope, q);
  rc |= cat(&cols, ") AS violations, (SELECT count(*) FROM secondment a JOIN region ar ON ar.code = a.village_code"
                   "  WHERE a.unit_id = s.uid AND a.start_date <= :month_last AND a.end_date >= :first");
  rc |= bounds(&cols, scope, q);
  rc |= cat(&cols, ") AS secondments, (SELECT coalesce(sum(CAST(julianday(min(a.end_date, :month_last))"
                   "  - julianday(max(a.start_date, :first)) AS INTEGER) + 1), 0)"
                   "  FROM secondment a JOIN region ar ON ar.code = a.village_code"
                   "  WHERE a.unit_id = s.uid AND a.start_date <= :month_last AND a.end_date >= :first");
  rc |= bounds(&cols, scope, q);
  rc |= cat(&cols, ") AS secondment_days, u.region_code AS unit_region");
  const struct sql_param params[] = {{":first", q->first, 0}, {":last", q->last, 0},
                                     {":month_last", q->month_last, 0},
                                     {":region", q->region_code ? q->region_code : "", 0}};
  struct unit_days *units = NULL;
  size_t n = 0;
  json_t *out = rc == 0 && score_facts_unit_days(db, scope, q, strbuf_cstr(&where), &units, &n) == DB_OK
                    ? query_list(db, strbuf_cstr(&cols), strbuf_cstr(&from), "u.name, u.id", params, 4, scope,
                                 score_row, page, page_size)
                    : NULL;
  if (out) score_fill(json_object_get(out, "items"), units, n);
  free(units);
  strbuf_free(&from);
  strbuf_free(&cols);
  strbuf_free(&where);
  return out;
}
