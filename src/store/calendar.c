/* calendar (store) — load chinese-days into calendar_day; read the exceptions of a range. */
#include "store/calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/query.h"

static int fail(char *err, size_t errlen, const char *msg, const char *detail)
{
  if (err && errlen) snprintf(err, errlen, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
  return -1;
}

/* One upsert; counts what changed. */
static int upsert(struct db *db, const char *date, const char *kind, const char *name, struct calendar_load_stats *s)
{
  struct query *get = query_open(db, "SELECT kind, name FROM calendar_day WHERE date = :date");
  query_bind_text(get, ":date", date);
  int state = 0; /* 0 new, 1 same, 2 changed */
  if (query_next(get))
    state = strcmp(query_get_text(get, "kind"), kind) == 0 && strcmp(query_get_text(get, "name"), name) == 0 ? 1 : 2;
  int rc = query_close(get);
  if (rc != DB_OK) return rc;
  if (state == 1) { s->unchanged++; return DB_OK; }
  struct query *put = query_open(db,
      "INSERT INTO calendar_day (date, kind, name) VALUES (:date, :kind, :name)"
      " ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, name = excluded.name");
  query_bind_text(put, ":date", date);
  query_bind_text(put, ":kind", kind);
  query_bind_text(put, ":name", name);
  rc = query_exec(put);
  if (rc == DB_OK) { if (state == 0) s->added++; else s->changed++; }
  return rc;
}

/* Checks every member of one section before anything is written. */
static int check_section(const json_t *root, const char *key, char *err, size_t errlen)
{
  const json_t *sec = json_object_get(root, key);
  if (!sec) return 0;
  if (!json_is_object(sec)) return fail(err, errlen, "not an object", key);
  const char *date;
  const json_t *v;
  json_object_foreach((json_t *)sec, date, v) {
    int d;
    char name[128];
    if (date_parse_iso(date, &d) != DATE_OK) return fail(err, errlen, "not a date (YYYY-MM-DD)", date);
    if (!json_is_string(v) || calendar_name_zh(json_string_value(v), name, sizeof name) != 0)
      return fail(err, errlen, "no name for", date);
  }
  return 0;
}

/* skip: a section whose dates are loaded already (inLieuDays repeat holidays' dates). */
static int load_section(struct db *db, const json_t *root, const char *key, const char *kind, const char *skip,
                        struct calendar_load_stats *s)
{
  const json_t *sec = json_object_get(root, key);
  const char *date;
  const json_t *v;
  json_object_foreach((json_t *)sec, date, v) {
    if (skip && json_object_get(json_object_get(root, skip), date)) continue;
    char name[128];
    calendar_name_zh(json_string_value(v), name, sizeof name);
    int rc = upsert(db, date, kind, name, s);
    if (rc != DB_OK) return rc;
    int d, y;
    date_parse_iso(date, &d);
    y = date_year(d);
    if (!s->first_year || y < s->first_year) s->first_year = y;
    if (y > s->last_year) s->last_year = y;
  }
  return DB_OK;
}

int calendar_load_json(struct db *db, const json_t *root, struct calendar_load_stats *stats, char *err, size_t errlen)
{
  memset(stats, 0, sizeof *stats);
  if (!json_is_object(root)) return fail(err, errlen, "the calendar file is not a JSON object", NULL);
  if (!json_object_get(root, "holidays") || !json_object_get(root, "workdays"))
    return fail(err, errlen, "the calendar file has no holidays or workdays", NULL);
  static const char *const SECTIONS[][3] = {
    {"holidays", "holiday", NULL}, {"inLieuDays", "holiday", "holidays"}, {"workdays", "workday", NULL}};
  for (size_t i = 0; i < 3; i++)
    if (check_section(root, SECTIONS[i][0], err, errlen) != 0) return -1;
  /* a date both a holiday and a working day cannot be right */
  const char *date;
  const json_t *v;
  json_object_foreach((json_t *)json_object_get(root, "workdays"), date, v) {
    if (json_object_get(json_object_get(root, "holidays"), date) ||
        json_object_get(json_object_get(root, "inLieuDays"), date))
      return fail(err, errlen, "a date is both a holiday and a working day", date);
  }
  int rc = db_begin(db);
  for (size_t i = 0; rc == DB_OK && i < 3; i++) rc = load_section(db, root, SECTIONS[i][0], SECTIONS[i][1], SECTIONS[i][2], stats);
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) {
    db_rollback(db);
    return fail(err, errlen, "database error while loading the calendar", NULL);
  }
  return 0;
}

int calendar_load_file(struct db *db, const char *path, struct calendar_load_stats *stats, char *err, size_t errlen)
{
  json_error_t jerr;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    if (err && errlen) snprintf(err, errlen, "cannot read %s: %s (line %d)", path, jerr.text, jerr.line);
    return -1;
  }
  int rc = calendar_load_json(db, root, stats, err, errlen);
  json_decref(root);
  return rc;
}

int calendar_read(struct db *db, int from, int to, struct calendar_exception **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  char lo[DATE_ISO_SIZE], hi[DATE_ISO_SIZE];
  if (date_format_iso(from, lo) != DATE_OK || date_format_iso(to, hi) != DATE_OK) return DB_ERROR;
  struct query *q = query_open(db, "SELECT date, kind FROM calendar_day WHERE date >= :lo AND date <= :hi ORDER BY date");
  query_bind_text(q, ":lo", lo);
  query_bind_text(q, ":hi", hi);
  size_t cap = 0;
  bool nomem = false;
  while (!nomem && query_next(q)) {
    int d;
    enum calendar_kind k;
    if (date_parse_iso(query_get_text(q, "date"), &d) != DATE_OK || calendar_kind_parse(query_get_text(q, "kind"), &k) != 0)
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 32;
      struct calendar_exception *grown = realloc(*out, cap * sizeof **out);
      if (!grown) { nomem = true; break; }
      *out = grown;
    }
    (*out)[(*n)++] = (struct calendar_exception){d, k};
  }
  int rc = query_close(q);
  if (nomem || rc != DB_OK) { free(*out); *out = NULL; *n = 0; return DB_ERROR; }
  return DB_OK;
}

json_t *calendar_year_json(struct db *db, int year)
{
  int first = date_make(year, 1, 1), last = date_make(year, 12, 31);
  if (!first || !last) return NULL;
  char lo[DATE_ISO_SIZE], hi[DATE_ISO_SIZE];
  date_format_iso(first, lo);
  date_format_iso(last, hi);
  struct query *q = query_open(db, "SELECT date, kind, name FROM calendar_day WHERE date >= :lo AND date <= :hi ORDER BY date");
  query_bind_text(q, ":lo", lo);
  query_bind_text(q, ":hi", hi);
  json_t *items = json_array();
  static const char *const WEEKDAYS[] = {"", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"};
  struct calendar_exception *ex = NULL;
  size_t n = 0, cap = 0;
  bool nomem = false;
  while (!nomem && query_next(q)) {
    int d;
    enum calendar_kind k;
    const char *date = query_get_text(q, "date");
    if (date_parse_iso(date, &d) != DATE_OK || calendar_kind_parse(query_get_text(q, "kind"), &k) != 0) continue;
    json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "date", date,
                                           "kind", calendar_kind_name(k), "kind_name", calendar_kind_name_zh(k),
                                           "name", query_get_text(q, "name"), "weekday", WEEKDAYS[date_weekday(d)]));
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      struct calendar_exception *grown = realloc(ex, cap * sizeof *ex);
      if (!grown) { nomem = true; break; }
      ex = grown;
    }
    ex[n++] = (struct calendar_exception){d, k};
  }
  int rc = query_close(q);
  if (nomem || rc != DB_OK || !items) { free(ex); json_decref(items); return NULL; }
  struct calendar cal = {ex, n};
  json_t *months = json_array();
  int total = 0;
  for (int m = 1; m <= 12; m++) {
    int mf = date_make(year, m, 1), days = date_days_in_month(year, m), ml = date_make(year, m, days);
    int working = calendar_working_days(&cal, mf, ml), holidays = 0, workdays = 0;
    for (size_t i = 0; i < n; i++)
      if (ex[i].date >= mf && ex[i].date <= ml) { holidays += ex[i].kind == CALENDAR_HOLIDAY; workdays += ex[i].kind == CALENDAR_WORKDAY; }
    total += working;
    json_array_append_new(months, json_pack("{s:i, s:i, s:i, s:i, s:i}", "month", m, "days", days,
                                            "working_days", working, "holidays", holidays, "workdays", workdays));
  }
  free(ex);
  return json_pack("{s:i, s:b, s:o, s:o, s:i}", "year", year, "loaded", n > 0, "items", items, "months", months,
                   "working_days", total);
}
