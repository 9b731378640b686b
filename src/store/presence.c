/* presence (store) — four statements per request whatever the number of cadres: count, page of
 * posts, the posts' days from the facts post_day (store/facts: one row per post and day, never the
 * raw check-ins), leaves; plus the calendar of the month. */
#include "store/presence.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/cadres.h"
#include "store/calendar.h"
#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

/* Posts that held the village some day of the month. */
#define POST_FROM \
  "assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code" \
  " LEFT JOIN region tw ON tw.code = ar.parent_code JOIN unit u ON u.id = a.unit_id" \
  " WHERE a.status IN ('active','handover','ended') AND a.start_date <= :last" \
  " AND coalesce(a.ended_on, a.term_end) >= :first"
#define POST_ORDER \
  "a.village_code, CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1 ELSE 2 END, a.id"

void presence_posts_free(struct presence_posts *posts)
{
  for (size_t i = 0; i < posts->n; i++) {
    struct presence_post *r = &posts->items[i];
    free(r->name); free(r->village_code); free(r->village_name);
    free(r->township_name); free(r->unit_name); free(r->post);
  }
  free(posts->items);
  *posts = (struct presence_posts){0};
}

static char *dup_col(sqlite3_stmt *st, int col) { return strdup(db_col_text(st, col)); }

static int parse_date_col(sqlite3_stmt *st, int col)
{
  int d = 0;
  return date_parse_iso(db_col_text(st, col), &d) == DATE_OK ? d : 0;
}

/* Binds the shared parameters of the statements built on POST_FROM. */
static void bind_all(sqlite3_stmt *st, const struct scope *scope, const struct sql_param *params, int nparams)
{
  list_bind(st, params, nparams);
  scope_bind(scope, st);
}

/* A sorted index of the rows by assignment id, to attach acts and leaves. */
struct by_id { int64_t id; size_t row; };
static int cmp_by_id(const void *a, const void *b)
{
  const struct by_id *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}
static long find_row(const struct by_id *idx, size_t n, int64_t id)
{
  struct by_id key = {id, 0};
  const struct by_id *hit = bsearch(&key, idx, n, sizeof *idx, cmp_by_id);
  return hit ? (long)hit->row : -1;
}

json_t *presence_post_json(const struct presence_post *r, const struct presence_rules *rules)
{
  const struct presence_result *p = &r->result;
  char start[DATE_ISO_SIZE] = "", end[DATE_ISO_SIZE] = "", first[DATE_ISO_SIZE] = "", last[DATE_ISO_SIZE] = "";
  date_format_iso(r->start, start);
  if (r->end) date_format_iso(r->end, end);
  if (p->first) { date_format_iso(p->first, first); date_format_iso(p->last, last); }
  json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                        "assignment_id", (json_int_t)r->id, "cadre_id", (json_int_t)r->cadre_id,
                        "unit_id", (json_int_t)r->unit_id, "name", r->name,
                        "village_code", r->village_code, "village_name", r->village_name,
                        "township_name", r->township_name, "unit_name", r->unit_name, "post", r->post,
                        "post_name", cadres_post_name_zh(r->post), "start_date", start, "end_date", end);
  json_object_set_new(o, "period_first", p->first ? json_string(first) : json_null());
  json_object_set_new(o, "period_last", p->first ? json_string(last) : json_null());
  json_object_set_new(o, "in_progress", json_boolean(p->in_progress));
  static const char *const KEYS[] = {"period_days", "working_days", "days_in_village", "leave_days", "off_site_days",
                                     "absent_working_days", "rest_days", "min_days", "required_days", "nights",
                                     "nights_confirmed", "nights_expected", "present_working_days",
                                     "expected_working_days"};
  const int values[] = {p->period_days, p->working_days, p->days_in_village, p->leave_days, p->off_site_days,
                        p->absent_working_days, p->rest_days, rules->min_days, p->required_days, p->nights,
                        p->nights_confirmed, p->nights_expected, p->present_working_days,
                        p->expected_working_days};
  for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) json_object_set_new(o, KEYS[i], json_integer(values[i]));
  json_object_set_new(o, "nights_confirmed_rest", json_integer(p->nights_confirmed_rest));
  /* the evidence of 3.6: the evening date of each confirmed night (issue 11) */
  json_t *nights = json_array();
  for (int i = 0; i < p->nights_confirmed; i++) {
    char d[DATE_ISO_SIZE];
    date_format_iso(p->confirmed_nights[i], d);
    json_array_append_new(nights, json_string(d));
  }
  json_object_set_new(o, "confirmed_nights", nights);
  json_object_set_new(o, "meets_minimum", json_boolean(p->meets_minimum));
  /* issue 14: a month in progress is judged so far; whether its whole minimum can still be met */
  json_object_set_new(o, "month_required_days", json_integer(p->month_required_days));
  json_object_set_new(o, "days_left", json_integer(p->days_left));
  json_object_set_new(o, "reachable", json_boolean(p->reachable));
  json_object_set_new(o, "stay_score", p->stay_score >= 0 ? json_integer(p->stay_score) : json_null());
  const char *label = presence_stay_label_name(p->stay_label);
  json_object_set_new(o, "stay_label", label ? json_string(label) : json_null());
  json_object_set_new(o, "stay_label_name", json_string(presence_stay_label_zh(p->stay_label)));
  return o;
}

int presence_posts_read(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                        int page_size, struct presence_posts *out)
{
  *out = (struct presence_posts){0};
  int days = date_days_in_month(q->year, q->month);
  if (!days) return DB_ERROR;
  int first = date_make(q->year, q->month, 1), last = date_make(q->year, q->month, days);
  char first_s[DATE_ISO_SIZE], last_s[DATE_ISO_SIZE];
  date_format_iso(first, first_s);
  date_format_iso(last, last_s);
  int64_t limit = page_size > 0 ? page_size : LIST_EXPORT_MAX_ROWS;
  int64_t offset = page_size > 0 ? (int64_t)(page - 1) * page_size : 0;
  const struct sql_param params[] = {{":first", first_s, 0}, {":last", last_s, 0},
                                     {":region", q->region_code ? q->region_code : "", 0},
                                     {":limit", NULL, limit}, {":offset", NULL, offset}};
  const int nparams = sizeof params / sizeof params[0];

  struct strbuf where, sql;
  strbuf_init(&where, 4096);
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&where, POST_FROM);
  if (q->region_code)
    rc |= strbuf_appendf(&where, " AND ar.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  int result = DB_ERROR;
  struct presence_post *rows = NULL;
  size_t nrows = 0, cap = 0;
  struct presence_day *acts = NULL;
  size_t nacts = 0, acts_cap = 0;
  struct presence_leave *leaves = NULL;
  size_t nleaves = 0, leaves_cap = 0;
  struct by_id *idx = NULL;
  struct calendar_exception *cal_items = NULL;
  size_t cal_n = 0;
  int64_t total = 0;
  if (rc != 0) goto done;

  /* 1. the count */
  rc = strbuf_appendf(&sql, "SELECT count(*) FROM %s", strbuf_cstr(&where));
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (!st) goto done;
  bind_all(st, scope, params, nparams);
  if (sqlite3_step(st) == SQLITE_ROW) total = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);

  /* 2. the page of posts */
  strbuf_reset(&sql);
  rc = strbuf_appendf(&sql,
      "SELECT a.id, a.cadre_id, c.name, a.village_code, ar.name, coalesce(tw.name, ''), u.name, a.post, a.start_date,"
      " coalesce(a.ended_on, a.term_end), a.unit_id FROM %s ORDER BY " POST_ORDER " LIMIT :limit OFFSET :offset",
      strbuf_cstr(&where));
  st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (!st) goto done;
  bind_all(st, scope, params, nparams);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (nrows == cap) {
      cap = cap ? cap * 2 : 64;
      struct presence_post *grown = realloc(rows, cap * sizeof *rows);
      if (!grown) break;
      rows = grown;
    }
    struct presence_post *r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->cadre_id = sqlite3_column_int64(st, 1);
    r->name = dup_col(st, 2); r->village_code = dup_col(st, 3); r->village_name = dup_col(st, 4);
    r->township_name = dup_col(st, 5); r->unit_name = dup_col(st, 6); r->post = dup_col(st, 7);
    r->start = parse_date_col(st, 8);
    r->end = parse_date_col(st, 9);
    r->unit_id = sqlite3_column_int64(st, 10);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) goto done;
  idx = malloc((nrows ? nrows : 1) * sizeof *idx);
  if (!idx) goto done;
  for (size_t i = 0; i < nrows; i++) idx[i] = (struct by_id){rows[i].id, i};
  qsort(idx, nrows, sizeof *idx, cmp_by_id);

  /* 3. the acts of the page's posts, one row per post and day, from the day's facts */
  strbuf_reset(&sql);
  rc = strbuf_appendf(&sql,
      "SELECT f.assignment_id, f.date, f.in_fence_acts > 0, f.outside_reasoned > 0,"
      " coalesce((f.first_in_at + 28800) %% 86400 / 60, -1), coalesce((f.last_in_at + 28800) %% 86400 / 60, -1)"
      " FROM (SELECT a.id AS aid FROM %s ORDER BY " POST_ORDER " LIMIT :limit OFFSET :offset) p"
      " JOIN post_day f ON f.assignment_id = p.aid AND f.date >= :first AND f.date <= :last"
      " ORDER BY f.assignment_id, f.date",
      strbuf_cstr(&where));
  st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (!st) goto done;
  bind_all(st, scope, params, nparams);
  int64_t current = -1;
  long row = -1;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t aid = sqlite3_column_int64(st, 0);
    if (aid != current) {
      current = aid;
      row = find_row(idx, nrows, aid);
      if (row >= 0) rows[row].acts_off = nacts;
    }
    if (row < 0) continue;
    if (nacts == acts_cap) {
      acts_cap = acts_cap ? acts_cap * 2 : 256;
      struct presence_day *grown = realloc(acts, acts_cap * sizeof *acts);
      if (!grown) break;
      acts = grown;
    }
    acts[nacts++] = (struct presence_day){parse_date_col(st, 1), sqlite3_column_int(st, 2) != 0,
                                          sqlite3_column_int(st, 3) != 0, sqlite3_column_int(st, 4),
                                          sqlite3_column_int(st, 5)};
    rows[row].acts_n++;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) goto done;

  /* 4. the leaves of the page's cadres that touch the month */
  strbuf_reset(&sql);
  rc = strbuf_appendf(&sql,
      "SELECT p.aid, l.start_date, l.end_date, coalesce(l.returned_on, '')"
      " FROM (SELECT a.id AS aid, a.cadre_id AS cid FROM %s ORDER BY " POST_ORDER " LIMIT :limit OFFSET :offset) p"
      " JOIN leave l ON l.cadre_id = p.cid"
      " WHERE l.status IN ('approved','closed') AND l.start_date <= :last AND l.end_date >= :first"
      " ORDER BY p.aid, l.start_date",
      strbuf_cstr(&where));
  st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (!st) goto done;
  bind_all(st, scope, params, nparams);
  current = -1;
  row = -1;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t aid = sqlite3_column_int64(st, 0);
    if (aid != current) {
      current = aid;
      row = find_row(idx, nrows, aid);
      if (row >= 0) rows[row].leaves_off = nleaves;
    }
    if (row < 0) continue;
    if (nleaves == leaves_cap) {
      leaves_cap = leaves_cap ? leaves_cap * 2 : 64;
      struct presence_leave *grown = realloc(leaves, leaves_cap * sizeof *leaves);
      if (!grown) break;
      leaves = grown;
    }
    leaves[nleaves++] = (struct presence_leave){parse_date_col(st, 1), parse_date_col(st, 2), parse_date_col(st, 3)};
    rows[row].leaves_n++;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) goto done;

  /* 5. the calendar of the month, then each post */
  if (calendar_read(db, first, last, &cal_items, &cal_n) != DB_OK) goto done;
  struct calendar cal = {cal_items, cal_n};
  for (size_t i = 0; i < nrows; i++) {
    struct presence_post *r = &rows[i];
    struct presence_input in = {q->year, q->month, r->start, r->end, q->today,
                                acts ? acts + r->acts_off : NULL, r->acts_n,
                                leaves ? leaves + r->leaves_off : NULL, r->leaves_n, &cal, q->rules};
    presence_compute(&in, &r->result);
  }
  *out = (struct presence_posts){rows, nrows, total};
  rows = NULL;
  nrows = 0;
  result = DB_OK;

done:
  strbuf_free(&where);
  strbuf_free(&sql);
  struct presence_posts unused = {rows, nrows, 0};
  presence_posts_free(&unused);
  free(acts);
  free(leaves);
  free(idx);
  free(cal_items);
  return result;
}

json_t *presence_list_json(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                           int page_size)
{
  struct presence_posts posts;
  if (presence_posts_read(db, scope, q, page, page_size, &posts) != DB_OK) return NULL;
  json_t *items = json_array();
  for (size_t i = 0; i < posts.n; i++) json_array_append_new(items, presence_post_json(&posts.items[i], q->rules));
  json_t *out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)posts.total, "page", page,
                          "page_size", page_size);
  presence_posts_free(&posts);
  return out;
}
