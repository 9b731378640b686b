/* presence (store) — one pass over the posts in scope (issue 15): a single statement gives each post
 * of the page with its month's facts (one row of post_month: the days packed, never the raw
 * check-ins nor a row per day) and its cadre's leaves that touch the month, and each post is counted
 * as it is read; plus the month's calendar, and the count of the posts when only a page is asked. */
#include "store/presence.h"
#include "store/presence_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/cadres.h"
#include "store/calendar.h"
#include "store/db.h"
#include "store/list.h"
#include "store/post_month.h"
#include "store/query.h"
#include "store/scope.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

/* Posts that held the village some day of the month: the tables, then (after any joins an extra
 * brings) the conditions. */
#define POST_TABLES \
  "assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code" \
  " LEFT JOIN region tw ON tw.code = ar.parent_code JOIN unit u ON u.id = a.unit_id"
#define POST_WHERE \
  " WHERE a.status IN ('active','handover','ended') AND a.start_date <= :last" \
  " AND coalesce(a.ended_on, a.term_end) >= :first"
#define POST_ORDER \
  "a.village_code, CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1 ELSE 2 END, a.id"

/* The order of POST_ORDER, in memory: the whole list is read unsorted (no sorter of ten thousand wide
 * rows in SQLite) and sorted here. */
static int post_rank(const char *post)
{
  return !strcmp(post, "first_secretary") ? 0 : !strcmp(post, "team_leader") ? 1 : 2;
}
static int cmp_posts(const void *a, const void *b)
{
  const struct presence_post *x = a, *y = b;
  int c = strcmp(x->village_code, y->village_code);
  if (!c) c = post_rank(x->post) - post_rank(y->post);
  return c ? c : (x->id > y->id) - (x->id < y->id);
}

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

static char *dup_col(struct query *q, const char *alias) { return strdup(query_get_text(q, alias)); }

static int parse_date_col(struct query *q, const char *alias)
{
  int d = 0;
  return date_parse_iso(query_get_text(q, alias), &d) == DATE_OK ? d : 0;
}

/* The month's bounds and the page of the statements built on POST_TABLES and POST_WHERE. */
struct post_bounds {
  const char *first, *last, *month, *region;   /* region NULL: no region asked */
  int64_t limit, offset;
};

/* Binds what a statement built on POST_TABLES and POST_WHERE names: the month's bounds, the region
 * when one is asked, the scope's bounds; and the read of the posts (read) also the month, a page
 * (paged) its limit and offset. */
static void bind_posts(struct query *qy, const struct scope *scope, const struct post_bounds *b, bool read,
                       bool paged)
{
  query_bind_text(qy, ":first", b->first);
  query_bind_text(qy, ":last", b->last);
  if (b->region) query_bind_text(qy, ":region", b->region);
  if (read) query_bind_text(qy, ":month", b->month);
  if (paged) {
    query_bind_int(qy, ":limit", b->limit);
    query_bind_int(qy, ":offset", b->offset);
  }
  query_bind_scope(qy, scope);
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

/* The month's leaves of the post's cadre, as the posts' query gives them: "start end [returned]"
 * per leave (ISO dates run together), comma-separated. */
static size_t parse_leaves(const char *s, struct presence_leave *out, size_t cap)
{
  size_t n = 0;
  while (s && *s && n < cap) {
    char d[DATE_ISO_SIZE] = "";
    int start = 0, end = 0, back = 0;
    const size_t w = DATE_ISO_SIZE - 1;
    if (strlen(s) < 2 * w) break;
    memcpy(d, s, w); date_parse_iso(d, &start);
    memcpy(d, s + w, w); date_parse_iso(d, &end);
    s += 2 * w;
    if (*s && *s != ',') { memcpy(d, s, w); date_parse_iso(d, &back); s += w; }
    out[n++] = (struct presence_leave){start, end, back};
    if (*s == ',') s++;
  }
  return n;
}

#define POST_LEAVES_MAX 64

/* One row of the posts' query into r, its month counted (the days from post_month, the leaves from
 * the row). */
static int post_from_row(struct query *qy, const struct presence_query *q, const struct calendar *cal,
                         struct presence_post *r)
{
  memset(r, 0, sizeof *r);
  r->id = query_get_int(qy, "id");
  r->cadre_id = query_get_int(qy, "cadre_id");
  r->name = dup_col(qy, "name"); r->village_code = dup_col(qy, "village_code");
  r->village_name = dup_col(qy, "village_name"); r->township_name = dup_col(qy, "township_name");
  r->unit_name = dup_col(qy, "unit_name"); r->post = dup_col(qy, "post");
  r->start = parse_date_col(qy, "start_date");
  r->end = parse_date_col(qy, "end_date");
  r->unit_id = query_get_int(qy, "unit_id");
  if (!r->name || !r->village_code || !r->village_name || !r->township_name || !r->unit_name || !r->post) return -1;
  struct presence_day days[POST_MONTH_DAYS];
  struct presence_leave leaves[POST_LEAVES_MAX];
  /* a NULL (no post_month row, no leave) reads as "", which both decode as nothing */
  size_t ndays = post_month_decode(query_get_text(qy, "days"), q->year, q->month, days);
  size_t nleaves = parse_leaves(query_get_text(qy, "leaves"), leaves, POST_LEAVES_MAX);
  struct presence_input in = {q->year, q->month, r->start, r->end, q->today, days, ndays, leaves, nleaves, cal, q->rules};
  presence_compute(&in, &r->result);
  return 0;
}

/* The count of the posts in scope (only when a page is asked: a whole list counts its rows). */
static int count_posts(struct db *db, const struct scope *scope, const char *where, const struct post_bounds *b,
                       int64_t *total)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "SELECT count(*) AS n FROM " POST_TABLES " %s", where);
  struct query *qy = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!qy) return DB_ERROR;
  bind_posts(qy, scope, b, false, false);
  bool found = query_next(qy);
  if (found) *total = query_get_int(qy, "n");
  rc = query_close(qy);
  return rc == DB_OK && found ? DB_OK : DB_ERROR;
}

/* The posts of the page, each with its month's facts (one row of post_month) and its cadre's leaves
 * that touch the month, in one statement: one pass over the posts in scope. A page is chosen by the
 * ids of its posts (the sort of SQLite holds only the order's columns); the whole list is not
 * sorted by SQLite at all. Either way the rows are put in order here. */
static int read_posts(struct db *db, const struct scope *scope, const char *where, const struct post_bounds *b,
                      const struct presence_query *q, const struct calendar *cal,
                      const struct presence_extra *extra, bool paged, struct presence_posts *out)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql,
      "SELECT a.id AS id, a.cadre_id AS cadre_id, c.name AS name, a.village_code AS village_code,"
      " ar.name AS village_name, coalesce(tw.name, '') AS township_name, u.name AS unit_name, a.post AS post,"
      " a.start_date AS start_date, coalesce(a.ended_on, a.term_end) AS end_date, a.unit_id AS unit_id,"
      " (SELECT pm.days FROM post_month pm WHERE pm.assignment_id = a.id AND pm.month = :month) AS days,"
      " (SELECT group_concat(l.start_date || l.end_date || coalesce(l.returned_on, ''), ',') FROM leave l"
      "   WHERE l.cadre_id = a.cadre_id AND l.status IN ('approved','closed') AND l.start_date <= :last"
      "   AND l.end_date >= :first) AS leaves%s FROM " POST_TABLES " %s",
      extra && extra->columns ? extra->columns : "", extra && extra->joins ? extra->joins : "");
  if (paged)
    rc |= strbuf_appendf(&sql, " WHERE a.id IN (SELECT a.id FROM " POST_TABLES " %s ORDER BY " POST_ORDER
                               " LIMIT :limit OFFSET :offset)", where);
  else
    rc |= strbuf_appendf(&sql, " %s", where);
  struct query *qy = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!qy) return DB_ERROR;
  bind_posts(qy, scope, b, true, paged);
  size_t cap = 0;
  bool failed = false;
  while (!failed && query_next(qy)) {
    if (out->n == cap) {
      cap = cap ? cap * 2 : 64;
      struct presence_post *grown = realloc(out->items, cap * sizeof *out->items);
      if (!grown) {
        failed = true;
        break;
      }
      out->items = grown;
    }
    struct presence_post *r = &out->items[out->n++];
    failed = post_from_row(qy, q, cal, r) != 0 || (extra && extra->read && extra->read(qy, r) != 0);
  }
  if (query_close(qy) != DB_OK || failed) return DB_ERROR;
  if (out->n > 1) qsort(out->items, out->n, sizeof *out->items, cmp_posts);
  if (out->n > LIST_EXPORT_MAX_ROWS) {
    struct presence_posts rest = {out->items + LIST_EXPORT_MAX_ROWS, out->n - LIST_EXPORT_MAX_ROWS, 0};
    for (size_t i = 0; i < rest.n; i++) {
      struct presence_post *r = &rest.items[i];
      free(r->name); free(r->village_code); free(r->village_name);
      free(r->township_name); free(r->unit_name); free(r->post);
    }
    out->n = LIST_EXPORT_MAX_ROWS;
  }
  return DB_OK;
}

int presence_posts_read(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                        int page_size, struct presence_posts *out)
{
  return presence_posts_read_with(db, scope, q, page, page_size, NULL, out);
}

int presence_posts_read_with(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                             int page_size, const struct presence_extra *extra, struct presence_posts *out)
{
  *out = (struct presence_posts){0};
  int days = date_days_in_month(q->year, q->month);
  if (!days) return DB_ERROR;
  int first = date_make(q->year, q->month, 1), last = date_make(q->year, q->month, days);
  char first_s[DATE_ISO_SIZE], last_s[DATE_ISO_SIZE], month_s[8];
  date_format_iso(first, first_s);
  date_format_iso(last, last_s);
  snprintf(month_s, sizeof month_s, "%.7s", first_s);
  const struct post_bounds b = {first_s, last_s, month_s, q->region_code,
                                 page_size > 0 ? page_size : LIST_EXPORT_MAX_ROWS,
                                 page_size > 0 ? (int64_t)(page - 1) * page_size : 0};

  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, POST_WHERE);
  if (q->region_code)
    rc |= strbuf_appendf(&where, " AND ar.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  struct calendar_exception *cal_items = NULL;
  size_t cal_n = 0;
  int result = rc == 0 ? calendar_read(db, first, last, &cal_items, &cal_n) : DB_ERROR;
  struct calendar cal = {cal_items, cal_n};
  if (result == DB_OK) result = read_posts(db, scope, strbuf_cstr(&where), &b, q, &cal, extra, page_size > 0, out);
  out->total = (int64_t)out->n;
  if (result == DB_OK && page_size > 0)
    result = count_posts(db, scope, strbuf_cstr(&where), &b, &out->total);
  strbuf_free(&where);
  free(cal_items);
  if (result != DB_OK) presence_posts_free(out);
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
