/* allowance (store) — see allowance.h. The lines come from store/presence with the scope of the
 * sheet's unit, so a line's days are the days 在村情况 shows for the post. */
#include "store/allowance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/funds.h"
#include "store/list_sql.h"
#include "store/presence.h"
#include "store/rows.h"
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
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO allowance_line (sheet_id, assignment_id, cadre_id, village_code, period_days, days_in_village,"
      " leave_days, required_days, meets_minimum, living_computed, transport_computed)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (sheet_id, assignment_id) DO UPDATE SET"
      " period_days = excluded.period_days, days_in_village = excluded.days_in_village,"
      " leave_days = excluded.leave_days, required_days = excluded.required_days,"
      " meets_minimum = excluded.meets_minimum, living_computed = excluded.living_computed,"
      " transport_computed = excluded.transport_computed");
  int rc = st ? DB_OK : DB_ERROR;
  for (size_t i = 0; rc == DB_OK && i < posts.n; i++) {
    const struct presence_post *p = &posts.items[i];
    const struct presence_result *r = &p->result;
    if (r->period_days == 0) continue; /* starts after the day counted to */
    struct allowance_input in = {r->days_in_village, r->leave_days, r->meets_minimum};
    struct allowance_amounts a;
    if (allowance_compute(c->rules, &in, &a) != 0) { rc = DB_ERROR; break; }
    sqlite3_bind_int64(st, 1, sheet_id);
    sqlite3_bind_int64(st, 2, p->id);
    sqlite3_bind_int64(st, 3, p->cadre_id);
    sqlite3_bind_text(st, 4, p->village_code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, r->period_days);
    sqlite3_bind_int(st, 6, r->days_in_village);
    sqlite3_bind_int(st, 7, r->leave_days);
    sqlite3_bind_int(st, 8, r->required_days);
    sqlite3_bind_int(st, 9, r->meets_minimum);
    sqlite3_bind_int64(st, 10, a.living_fen);
    sqlite3_bind_int64(st, 11, a.transport_fen);
    rc = db_step_result(db, sqlite3_step(st));
    sqlite3_reset(st);
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
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO allowance_sheet (unit_id, month, rules, min_days, counted_to, drafted_by, drafted_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, c->unit_id);
  sqlite3_bind_text(st, 2, month, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, rules, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 4, c->presence->min_days);
  sqlite3_bind_text(st, 5, to, -1, SQLITE_TRANSIENT);
  if (user_id) sqlite3_bind_int64(st, 6, user_id); else sqlite3_bind_null(st, 6);
  sqlite3_bind_int64(st, 7, now);
  int rc = db_insert_returning(db, st, id_out);
  return rc == DB_OK ? fill_lines(db, *id_out, c) : rc;
}

/* Moves a draft at version to version + 1 (and sets what else the caller names); DB_CONFLICT
 * when it is not a draft at that version. */
static int bump(struct db *db, int64_t sheet_id, int64_t version, const char *rules, const char *to)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE allowance_sheet SET version = version + 1, rules = coalesce(?3, rules), counted_to = coalesce(?4, counted_to)"
      " WHERE id = ?1 AND version = ?2 AND status = 'draft'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, sheet_id);
  sqlite3_bind_int64(st, 2, version);
  db_bind_text_or_null(st, 3, rules);
  db_bind_text_or_null(st, 4, to);
  return db_update_guarded(db, st);
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
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE allowance_line SET living_adjusted = ?3, transport_adjusted = ?4, adjust_reason = ?5, adjusted_by = ?6,"
      " adjusted_at = ?7 WHERE id = ?2 AND sheet_id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, a->sheet_id);
  sqlite3_bind_int64(st, 2, a->line_id);
  sqlite3_bind_int64(st, 3, a->living_fen);
  sqlite3_bind_int64(st, 4, a->transport_fen);
  sqlite3_bind_text(st, 5, a->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, a->user_id);
  sqlite3_bind_int64(st, 7, a->now);
  rc = db_update_guarded(db, st);
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
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, cadre_id, village_code, coalesce(living_adjusted, living_computed),"
      " coalesce(transport_adjusted, transport_computed) FROM allowance_line WHERE sheet_id = ?1 ORDER BY id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, sheet_id);
  struct row { int64_t id, cadre, living, transport; char village[16]; } rows[512];
  size_t n = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < sizeof rows / sizeof rows[0]) {
    struct row *r = &rows[n++];
    r->id = sqlite3_column_int64(st, 0);
    r->cadre = sqlite3_column_int64(st, 1);
    snprintf(r->village, sizeof r->village, "%s", db_col_text(st, 2));
    r->living = sqlite3_column_int64(st, 3);
    r->transport = sqlite3_column_int64(st, 4);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return rc == SQLITE_ROW ? DB_ERROR : db_step_result(db, rc);
  sqlite3_stmt *up = db_stmt(db, "UPDATE allowance_line SET living_entry_id = ?2, transport_entry_id = ?3 WHERE id = ?1");
  if (!up) return DB_ERROR;
  int out = DB_OK;
  for (size_t i = 0; out == DB_OK && i < n; i++) {
    struct fund_new f = *base;
    f.village_code = rows[i].village;
    f.cadre_id = rows[i].cadre;
    int64_t living = 0, transport = 0;
    out = ledger_row(db, &f, "living_allowance", rows[i].living, now, &living);
    if (out == DB_OK) out = ledger_row(db, &f, "transport_subsidy", rows[i].transport, now, &transport);
    if (out != DB_OK) break;
    sqlite3_bind_int64(up, 1, rows[i].id);
    if (living) sqlite3_bind_int64(up, 2, living); else sqlite3_bind_null(up, 2);
    if (transport) sqlite3_bind_int64(up, 3, transport); else sqlite3_bind_null(up, 3);
    out = db_step_result(db, sqlite3_step(up));
    sqlite3_reset(up);
  }
  return out;
}

int allowance_confirm(struct db *db, int64_t sheet_id, int64_t version, const char *paid_on, const char *doc_no,
                      int64_t user_id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE allowance_sheet SET status = 'confirmed', version = version + 1, confirmed_by = ?3, confirmed_at = ?4,"
      " doc_no = ?5 WHERE id = ?1 AND version = ?2 AND status = 'draft' RETURNING unit_id, month");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, sheet_id);
  sqlite3_bind_int64(st, 2, version);
  sqlite3_bind_int64(st, 3, user_id);
  sqlite3_bind_int64(st, 4, now);
  sqlite3_bind_text(st, 5, doc_no, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  int64_t unit = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  char month[32] = "";
  if (rc == SQLITE_ROW) snprintf(month, sizeof month, "%s", db_col_text(st, 1));
  int done = rc == SQLITE_ROW ? sqlite3_step(st) : rc;
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) return DB_CONFLICT;
  if (rc != SQLITE_ROW || done != SQLITE_DONE) return db_step_result(db, rc == SQLITE_ROW ? done : rc);
  char payer[128], note[64];
  if (funds_unit_name(db, unit, payer, sizeof payer) != DB_OK) return DB_ERROR;
  snprintf(note, sizeof note, "%s 补助核算表", month);
  struct fund_new base = {NULL, NULL, paid_on, doc_no, payer, note, 0, unit, 0, user_id};
  return confirm_lines(db, sheet_id, &base, now);
}

/* ---- reads ---- */

#define SHEET_FROM \
  "allowance_sheet s JOIN unit u ON u.id = s.unit_id JOIN region ur ON ur.code = u.region_code" \
  " LEFT JOIN user du ON du.id = s.drafted_by LEFT JOIN user cu ON cu.id = s.confirmed_by"
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
  " LEFT JOIN user au ON au.id = l.adjusted_by"

static json_t *sheet_row(sqlite3_stmt *st)
{
  json_t *o = rows_object(st);
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
  json_t *list = list_query(db, LINE_COLUMNS, sql,
                            "l.village_code, CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1"
                            " ELSE 2 END, l.id", p, 1, &none, rows_object, 1, 0);
  if (!list) return NULL;
  json_t *items = json_incref(json_object_get(list, "items"));
  json_decref(list);
  return items;
}

json_t *allowance_sheet_json(struct db *db, const struct scope *scope, int64_t id)
{
  json_t *s = list_get_one(db, SHEET_COLUMNS, SHEET_FROM, "s.id", scope, SCOPE_UNIT, sheet_row, id);
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
  int rc = strbuf_appendf(&where, "%s WHERE 1", SHEET_FROM);
  if (month) rc |= strbuf_appendf(&where, " AND s.month = :month");
  if (status) rc |= strbuf_appendf(&where, " AND s.status = :status");
  if (unit_id) rc |= strbuf_appendf(&where, " AND s.unit_id = :unit");
  if (before) rc |= strbuf_appendf(&where, " AND s.month < :before");
  rc |= scope_sql(scope, SCOPE_UNIT, &where);
  struct sql_param p[] = {{":month", month, 0}, {":status", status, 0}, {":unit", NULL, unit_id}, {":before", before, 0}};
  json_t *out = rc ? NULL : list_query(db, SHEET_COLUMNS, strbuf_cstr(&where), "s.month DESC, u.name, s.id", p, 4,
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
  return list_query(db, LINE_COLUMNS ", s.id AS sheet_id, s.month AS month, s.status AS status, u.name AS unit_name,"
                    " s.counted_to AS counted_to", from, "s.month DESC, l.id", p, 1, &none, rows_object, page, page_size);
}

int64_t allowance_sheet_of(struct db *db, int64_t unit_id, const char *month)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT id FROM allowance_sheet WHERE unit_id = ?1 AND month = ?2");
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, unit_id);
  sqlite3_bind_text(st, 2, month, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
  sqlite3_reset(st);
  return id;
}

int allowance_draft_missing(struct db *db, const struct allowance_count *c, int64_t now, int *drafted)
{
  *drafted = 0;
  char first[DATE_ISO_SIZE], last[DATE_ISO_SIZE], month[32];
  date_format_iso(date_make(c->year, c->month, 1), first);
  date_format_iso(date_make(c->year, c->month, date_days_in_month(c->year, c->month)), last);
  snprintf(month, sizeof month, "%04d-%02d", c->year, c->month);
  sqlite3_stmt *st = db_stmt(db,
      "SELECT DISTINCT a.unit_id FROM assignment a WHERE a.status IN ('active','handover','ended')"
      " AND a.start_date <= ?2 AND coalesce(a.ended_on, a.term_end) >= ?1"
      " AND NOT EXISTS (SELECT 1 FROM allowance_sheet s WHERE s.unit_id = a.unit_id AND s.month = ?3) ORDER BY a.unit_id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, last, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, month, -1, SQLITE_TRANSIENT);
  int64_t units[4096];
  size_t n = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < sizeof units / sizeof units[0]) units[n++] = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return db_step_result(db, rc);
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
