/* allowance (store) — see allowance.h. The lines come from store/presence with the scope of the
 * sheet's unit, so a line's days are the days 在村情况 shows for the post. */
#include "store/allowance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/dialect.h"
#include "store/funds.h"
#include "store/list_sql.h"
#include "store/presence.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define YUAN(x) "printf('%d.%02d', (" x ") / 100, (" x ") % 100)"

static int rules_text(const struct allowance_rules *r, char *out, size_t size)
{
  json_t *j = allowance_rules_json(r);
  char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(j);
  if (!s) return DB_ERROR;
  snprintf(out, size, "%s", s);
  free(s);
  return DB_OK;
}

/* Writes (or, for a recount, updates) the line of each post of the unit in the month. */
static int fill_lines(struct db *db, int64_t sheet_id, const struct allowance_count *c)
{
  struct scope unit = {.kind = SCOPE_KIND_UNIT, .unit_id = c->unit_id};
  struct presence_query q = {c->year, c->month, NULL, c->today, c->presence};
  struct presence_posts posts;
  if (presence_posts_read(db, &unit, &q, 1, 0, &posts) != DB_OK) return DB_ERROR;
  int rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < posts.n; i++) {
    const struct presence_post *p = &posts.items[i];
    const struct presence_result *r = &p->result;
    if (r->period_days == 0) continue; /* starts after the day counted to */
    struct allowance_input in = {r->days_in_village, r->leave_days, r->meets_minimum};
    struct allowance_amounts a;
    if (allowance_compute(c->rules, &in, &a) != 0) { rc = DB_ERROR; break; }
    struct query *w = query_open(db,
        "INSERT INTO allowance_line (sheet_id, assignment_id, cadre_id, village_code, period_days, days_in_village,"
        " leave_days, required_days, meets_minimum, living_computed, transport_computed)"
        " VALUES (:sheet, :assignment, :cadre, :village, :period_days, :days_in_village, :leave_days, :required_days,"
        " :meets_minimum, :living, :transport) ON CONFLICT (sheet_id, assignment_id) DO UPDATE SET"
        " period_days = excluded.period_days, days_in_village = excluded.days_in_village,"
        " leave_days = excluded.leave_days, required_days = excluded.required_days,"
        " meets_minimum = excluded.meets_minimum, living_computed = excluded.living_computed,"
        " transport_computed = excluded.transport_computed");
    query_bind_int(w, ":sheet", sheet_id);
    query_bind_int(w, ":assignment", p->id);
    query_bind_int(w, ":cadre", p->cadre_id);
    query_bind_text(w, ":village", p->village_code);
    query_bind_int(w, ":period_days", r->period_days);
    query_bind_int(w, ":days_in_village", r->days_in_village);
    query_bind_int(w, ":leave_days", r->leave_days);
    query_bind_int(w, ":required_days", r->required_days);
    query_bind_int(w, ":meets_minimum", r->meets_minimum);
    query_bind_int(w, ":living", a.living_fen);
    query_bind_int(w, ":transport", a.transport_fen);
    rc = query_exec(w);
  }
  presence_posts_free(&posts);
  return rc;
}

static void counted_to(const struct allowance_count *c, char out[DATE_ISO_SIZE])
{
  int last = date_make(c->year, c->month, date_days_in_month(c->year, c->month));
  date_format_iso(c->today && c->today < last ? c->today : last, out);
}

int allowance_draft(struct db *db, const struct allowance_count *c, int64_t user_id, int64_t now, int64_t *id_out)
{
  char rules[256], month[32], to[DATE_ISO_SIZE];
  if (rules_text(c->rules, rules, sizeof rules) != DB_OK) return DB_ERROR;
  snprintf(month, sizeof month, "%04d-%02d", c->year, c->month);
  counted_to(c, to);
  struct query *q = query_open(db,
      "INSERT INTO allowance_sheet (unit_id, month, rules, min_days, counted_to, drafted_by, drafted_at)"
      " VALUES (:unit, :month, :rules, :min_days, :counted_to, :user, :now) RETURNING id");
  query_bind_int(q, ":unit", c->unit_id);
  query_bind_text(q, ":month", month);
  query_bind_text(q, ":rules", rules);
  query_bind_int(q, ":min_days", c->presence->min_days);
  query_bind_text(q, ":counted_to", to);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  return rc == DB_OK ? fill_lines(db, *id_out, c) : rc;
}

/* Moves a draft at version to version + 1 (and sets what else the caller names); DB_CONFLICT
 * when it is not a draft at that version. */
static int bump(struct db *db, int64_t sheet_id, int64_t version, const char *rules, const char *to)
{
  struct query *q = query_open(db,
      "UPDATE allowance_sheet SET version = version + 1, rules = coalesce(:rules, rules),"
      " counted_to = coalesce(:counted_to, counted_to) WHERE id = :id AND version = :version AND status = 'draft'");
  query_bind_int(q, ":id", sheet_id);
  query_bind_int(q, ":version", version);
  query_bind_text(q, ":rules", rules);
  query_bind_text(q, ":counted_to", to);
  return query_exec_guarded(q);
}

int allowance_recount(struct db *db, int64_t sheet_id, int64_t version, const struct allowance_count *c)
{
  char rules[256], to[DATE_ISO_SIZE];
  if (rules_text(c->rules, rules, sizeof rules) != DB_OK) return DB_ERROR;
  counted_to(c, to);
  int rc = bump(db, sheet_id, version, rules, to);
  return rc == DB_OK ? fill_lines(db, sheet_id, c) : rc;
}

int allowance_adjust_line(struct db *db, const struct allowance_adjust *a)
{
  int rc = bump(db, a->sheet_id, a->version, NULL, NULL);
  if (rc != DB_OK) return rc;
  struct query *q = query_open(db,
      "UPDATE allowance_line SET living_adjusted = :living, transport_adjusted = :transport, adjust_reason = :reason,"
      " adjusted_by = :user, adjusted_at = :now WHERE id = :line AND sheet_id = :sheet");
  query_bind_int(q, ":sheet", a->sheet_id);
  query_bind_int(q, ":line", a->line_id);
  query_bind_int(q, ":living", a->living_fen);
  query_bind_int(q, ":transport", a->transport_fen);
  query_bind_text(q, ":reason", a->reason);
  query_bind_int(q, ":user", a->user_id);
  query_bind_int(q, ":now", a->now);
  rc = query_exec_guarded(q);
  return rc == DB_CONFLICT ? DB_NOT_FOUND : rc;
}

/* One ledger row of a confirmed line; *id 0 when the amount is 0. */
static int ledger_row(struct db *db, const struct fund_new *base, const char *kind, int64_t fen, int64_t now,
                      int64_t *id)
{
  *id = 0;
  if (fen <= 0) return DB_OK;
  struct fund_new f = *base;
  f.kind = kind;
  f.amount = (double)fen / 100.0;
  return funds_insert(db, &f, now, id);
}

static int confirm_lines(struct db *db, int64_t sheet_id, const struct fund_new *base, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT id AS id, cadre_id AS cadre_id, village_code AS village_code,"
      " coalesce(living_adjusted, living_computed) AS living, coalesce(transport_adjusted, transport_computed) AS transport"
      " FROM allowance_line WHERE sheet_id = :sheet ORDER BY id");
  query_bind_int(q, ":sheet", sheet_id);
  struct row { int64_t id, cadre, living, transport; char village[16]; } rows[512];
  size_t n = 0;
  bool more;
  while ((more = query_next(q)) && n < sizeof rows / sizeof rows[0]) {
    struct row *r = &rows[n++];
    r->id = query_get_int(q, "id");
    r->cadre = query_get_int(q, "cadre_id");
    snprintf(r->village, sizeof r->village, "%s", query_get_text(q, "village_code"));
    r->living = query_get_int(q, "living");
    r->transport = query_get_int(q, "transport");
  }
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  if (more) return DB_ERROR; /* more lines than the sheet can hold */
  int out = DB_OK;
  for (size_t i = 0; out == DB_OK && i < n; i++) {
    struct fund_new f = *base;
    f.village_code = rows[i].village;
    f.cadre_id = rows[i].cadre;
    int64_t living = 0, transport = 0;
    out = ledger_row(db, &f, "living_allowance", rows[i].living, now, &living);
    if (out == DB_OK) out = ledger_row(db, &f, "transport_subsidy", rows[i].transport, now, &transport);
    if (out != DB_OK) break;
    struct query *up = query_open(db, "UPDATE allowance_line SET living_entry_id = :living, transport_entry_id = :transport"
                                      " WHERE id = :id");
    query_bind_int(up, ":id", rows[i].id);
    query_bind_int_or_null(up, ":living", living);
    query_bind_int_or_null(up, ":transport", transport);
    out = query_exec(up);
  }
  return out;
}

int allowance_confirm(struct db *db, int64_t sheet_id, int64_t version, const char *paid_on, const char *doc_no,
                      int64_t user_id, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE allowance_sheet SET status = 'confirmed', version = version + 1, confirmed_by = :user,"
      " confirmed_at = :now, doc_no = :doc_no WHERE id = :id AND version = :version AND status = 'draft'"
      " RETURNING unit_id AS unit_id, month AS month");
  query_bind_int(q, ":id", sheet_id);
  query_bind_int(q, ":version", version);
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":doc_no", doc_no);
  bool confirmed = query_next(q);
  int64_t unit = 0;
  char month[32] = "";
  if (confirmed) {
    unit = query_get_int(q, "unit_id");
    snprintf(month, sizeof month, "%s", query_get_text(q, "month"));
    query_next(q); /* finish the statement so that it commits */
  }
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  if (!confirmed) return DB_CONFLICT;
  char payer[128], note[64];
  if (funds_unit_name(db, unit, payer, sizeof payer) != DB_OK) return DB_ERROR;
  snprintf(note, sizeof note, "%s 补助核算表", month);
  struct fund_new base = {NULL, NULL, paid_on, doc_no, payer, note, 0, unit, 0, user_id};
  return confirm_lines(db, sheet_id, &base, now);
}

/* ---- reads ---- */

#define SHEET_FROM \
  "allowance_sheet s JOIN unit u ON u.id = s.unit_id JOIN region ur ON ur.code = u.region_code" \
  " LEFT JOIN \"user\" du ON du.id = s.drafted_by LEFT JOIN \"user\" cu ON cu.id = s.confirmed_by"
#define SHEET_TOTALS(x) \
  "(SELECT count(*) FROM allowance_line l WHERE l.sheet_id = " x ") AS lines," \
  " (SELECT coalesce(sum(coalesce(l.living_adjusted, l.living_computed)), 0) FROM allowance_line l" \
  "  WHERE l.sheet_id = " x ") AS living_fen," \
  " (SELECT coalesce(sum(coalesce(l.transport_adjusted, l.transport_computed)), 0) FROM allowance_line l" \
  "  WHERE l.sheet_id = " x ") AS transport_fen," \
  " (SELECT count(*) FROM allowance_line l WHERE l.sheet_id = " x " AND l.adjust_reason IS NOT NULL) AS adjusted"
#define SHEET_COLUMNS \
  "s.id AS id, s.unit_id AS unit_id, u.name AS unit_name, s.month AS month, s.status AS status," \
  " s.version AS version, s.rules AS rules, s.min_days AS min_days, s.counted_to AS counted_to," \
  " coalesce(du.display_name, '系统') AS drafted_by_name, " SQL_CST_ISO("s.drafted_at") " AS drafted_at," \
  " cu.display_name AS confirmed_by_name, " SQL_CST_ISO("s.confirmed_at") " AS confirmed_at, s.doc_no AS doc_no, " \
  SHEET_TOTALS("s.id")

/* living_fen / transport_fen of a line: the adjusted amount when set, else the computed one. */
#define LINE_COLUMNS \
  "l.id AS id, l.assignment_id AS assignment_id, l.cadre_id AS cadre_id, c.name AS name, a.post AS post," \
  " l.village_code AS village_code, v.name AS village_name, coalesce(tw.name, '') AS township_name," \
  " l.period_days AS period_days, l.days_in_village AS days_in_village, l.leave_days AS leave_days," \
  " l.required_days AS required_days, l.meets_minimum AS meets_minimum, l.living_computed AS living_computed," \
  " l.transport_computed AS transport_computed, l.living_adjusted AS living_adjusted," \
  " l.transport_adjusted AS transport_adjusted, coalesce(l.living_adjusted, l.living_computed) AS living_fen," \
  " coalesce(l.transport_adjusted, l.transport_computed) AS transport_fen," \
  " coalesce(l.living_adjusted, l.living_computed) + coalesce(l.transport_adjusted, l.transport_computed) AS total_fen," \
  " " YUAN("coalesce(l.living_adjusted, l.living_computed)") " AS living_yuan," \
  " " YUAN("coalesce(l.transport_adjusted, l.transport_computed)") " AS transport_yuan," \
  " " YUAN("coalesce(l.living_adjusted, l.living_computed) + coalesce(l.transport_adjusted, l.transport_computed)") \
  " AS total_yuan, l.adjust_reason AS adjust_reason, au.display_name AS adjusted_by_name," \
  " " SQL_CST_ISO("l.adjusted_at") " AS adjusted_at, l.living_entry_id AS living_entry_id," \
  " l.transport_entry_id AS transport_entry_id"
#define LINE_FROM \
  "allowance_line l JOIN cadre c ON c.id = l.cadre_id JOIN assignment a ON a.id = l.assignment_id" \
  " JOIN region v ON v.code = l.village_code LEFT JOIN region tw ON tw.code = v.parent_code" \
  " LEFT JOIN \"user\" au ON au.id = l.adjusted_by"

static json_t *sheet_row(struct query *q)
{
  json_t *o = query_row_object(q);
  if (!o) return NULL;
  json_t *rules = json_loads(json_string_value(json_object_get(o, "rules")), 0, NULL);
  json_object_set_new(o, "rules", rules ? rules : json_null());
  json_int_t living = json_integer_value(json_object_get(o, "living_fen"));
  json_int_t transport = json_integer_value(json_object_get(o, "transport_fen"));
  json_object_set_new(o, "total_fen", json_integer(living + transport));
  return o;
}

static json_t *sheet_lines(struct db *db, int64_t sheet_id)
{
  char sql[4096];
  snprintf(sql, sizeof sql, "%s WHERE l.sheet_id = :sheet", LINE_FROM);
  struct sql_param p[] = {{":sheet", NULL, sheet_id}};
  struct scope none = {.kind = SCOPE_KIND_NONE};
  json_t *list = query_list(db, LINE_COLUMNS, sql,
                            "l.village_code, CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1"
                            " ELSE 2 END, l.id", p, 1, &none, query_row_object, 1, 0);
  if (!list) return NULL;
  json_t *items = json_incref(json_object_get(list, "items"));
  json_decref(list);
  return items;
}

json_t *allowance_sheet_json(struct db *db, const struct scope *scope, int64_t id)
{
  json_t *s = query_get_one(db, SHEET_COLUMNS, SHEET_FROM, "s.id", scope, SCOPE_UNIT, sheet_row, id);
  if (!s) return NULL;
  json_t *lines = sheet_lines(db, id);
  if (!lines) { json_decref(s); return NULL; }
  json_object_set_new(s, "lines", lines);
  return s;
}

json_t *allowance_sheets_json(struct db *db, const struct scope *scope, const char *month, const char *status,
                              int64_t unit_id, const char *before, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", SHEET_FROM);
  if (month) rc |= strbuf_appendf(&where, " AND s.month = :month");
  if (status) rc |= strbuf_appendf(&where, " AND s.status = :status");
  if (unit_id) rc |= strbuf_appendf(&where, " AND s.unit_id = :unit");
  if (before) rc |= strbuf_appendf(&where, " AND s.month < :before");
  rc |= scope_sql(scope, SCOPE_UNIT, &where);
  struct sql_param p[] = {{":month", month, 0}, {":status", status, 0}, {":unit", NULL, unit_id}, {":before", before, 0}};
  json_t *out = rc ? NULL : query_list(db, SHEET_COLUMNS, strbuf_cstr(&where), "s.month DESC, u.name, s.id", p, 4,
                                       scope, sheet_row, page, page_size);
  strbuf_free(&where);
  return out;
}

json_t *allowance_cadre_lines_json(struct db *db, int64_t cadre_id, int page, int page_size)
{
  char from[4096];
  snprintf(from, sizeof from, "%s JOIN allowance_sheet s ON s.id = l.sheet_id JOIN unit u ON u.id = s.unit_id"
                              " WHERE l.cadre_id = :cadre", LINE_FROM);
  struct sql_param p[] = {{":cadre", NULL, cadre_id}};
  struct scope none = {.kind = SCOPE_KIND_NONE};
  return query_list(db, LINE_COLUMNS ", s.id AS sheet_id, s.month AS month, s.status AS status, u.name AS unit_name,"
                    " s.counted_to AS counted_to", from, "s.month DESC, l.id", p, 1, &none, query_row_object, page, page_size);
}

int64_t allowance_sheet_of(struct db *db, int64_t unit_id, const char *month)
{
  struct query *q = query_open(db, "SELECT id AS id FROM allowance_sheet WHERE unit_id = :unit AND month = :month");
  query_bind_int(q, ":unit", unit_id);
  query_bind_text(q, ":month", month);
  int64_t id = query_next(q) ? query_get_int(q, "id") : 0;
  if (query_close(q) != DB_OK) return -1;
  return id;
}

int allowance_draft_missing(struct db *db, const struct allowance_count *c, int64_t now, int *drafted)
{
  *drafted = 0;
  char first[DATE_ISO_SIZE], last[DATE_ISO_SIZE], month[32];
  date_format_iso(date_make(c->year, c->month, 1), first);
  date_format_iso(date_make(c->year, c->month, date_days_in_month(c->year, c->month)), last);
  snprintf(month, sizeof month, "%04d-%02d", c->year, c->month);
  struct query *q = query_open(db,
      "SELECT DISTINCT a.unit_id AS unit_id FROM assignment a WHERE a.status IN ('active','handover','ended')"
      " AND a.start_date <= :last AND coalesce(a.ended_on, a.term_end) >= :first"
      " AND NOT EXISTS (SELECT 1 FROM allowance_sheet s WHERE s.unit_id = a.unit_id AND s.month = :month)"
      " ORDER BY a.unit_id");
  query_bind_text(q, ":first", first);
  query_bind_text(q, ":last", last);
  query_bind_text(q, ":month", month);
  int64_t units[4096];
  size_t n = 0;
  while (n < sizeof units / sizeof units[0] && query_next(q)) units[n++] = query_get_int(q, "unit_id");
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  for (size_t i = 0; i < n; i++) {
    struct allowance_count one = *c;
    one.unit_id = units[i];
    int64_t id;
    int w = allowance_draft(db, &one, 0, now, &id);
    if (w != DB_OK) return w;
    (*drafted)++;
  }
  return DB_OK;
}
