/* visits — SQL of the visits and of coverage. Coverage is summed from store/visit_facts (issue 15):
 * a period from a month's 1st to today from the month of each household's latest visit; any other
 * period from its whole months' first visits and the visits of its partial months at the edges,
 * read by visit(village_code, visited_on, household_id) for the region's villages. The list of
 * households not visited walks the villages under the region by their path and each village's target households by the
 * covering index household(village_code, status, category, monitored, last_visit_on): for a period
 * that reaches today that is all (every visit keeps household.last_visit_on); for an older period
 * each household costs one probe of visit(household_id, visited_on). No scan of the visits. */
#include "store/visits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/household_sheet.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "store/visit_facts.h"
#include "util/strbuf.h"

int visits_insert(struct db *db, const struct new_visit *v, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO visit (household_id, cadre_id, village_code, checkin_id, client_id, visited_on, findings, risks,"
      " created_at) VALUES (:household, :cadre, :village, :checkin, :client, :visited_on, :findings, :risks, :now)"
      " RETURNING id");
  query_bind_int(q, ":household", v->household_id);
  query_bind_int(q, ":cadre", v->cadre_id);
  query_bind_text(q, ":village", v->village_code);
  query_bind_int_or_null(q, ":checkin", v->checkin_id);
  query_bind_text(q, ":client", v->client_id);
  query_bind_text(q, ":visited_on", v->visited_on);
  query_bind_text(q, ":findings", v->findings ? v->findings : "");
  query_bind_text(q, ":risks", v->risks_json ? v->risks_json : "[]");
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  if (rc != DB_OK) return rc;
  /* the household's latest visit, which coverage up to today reads instead of the visits */
  q = query_open(db, "UPDATE household SET last_visit_on = :visited_on WHERE id = :household"
                     " AND (last_visit_on IS NULL OR last_visit_on < :visited_on)");
  query_bind_int(q, ":household", v->household_id);
  query_bind_text(q, ":visited_on", v->visited_on);
  return query_exec(q);
}

/* "Visited in [:from, :to]": a period that reaches today is answered by the household's latest
 * visit (its covering index, no look at the visits); an older period by one probe of
 * visit(household_id, visited_on). Visits are never dated after today (2.1's clock rules). */
#define VISITED_IN_PERIOD \
  "(CASE WHEN :to >= :today THEN coalesce(h.last_visit_on, '') >= :from" \
  " ELSE EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id AND v.visited_on >= :from" \
  " AND v.visited_on <= :to) END)"

#define VISIT_COLUMNS \
  "v.id AS id, v.household_id AS household_id, h.household_no AS household_no, h.head_name AS head_name," \
  " h.category AS category, h.monitored AS monitored, v.village_code AS village_code, tv.name AS village_name," \
  " v.cadre_id AS cadre_id, c.name AS cadre_name, v.visited_on AS visited_on, v.findings AS findings," \
  " v.risks AS risks, v.checkin_id AS checkin_id, k.in_fence AS in_fence, v.client_id AS client_id"
#define VISIT_FROM \
  "visit v JOIN household h ON h.id = v.household_id JOIN region tv ON tv.code = v.village_code" \
  " JOIN cadre c ON c.id = v.cadre_id LEFT JOIN checkin k ON k.id = v.checkin_id"

static json_t *visit_row(struct query *q)
{
  json_t *risks = json_loads(query_get_text(q, "risks"), 0, NULL);
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s}",
                   "id", (json_int_t)query_get_int(q, "id"), "household_id", (json_int_t)query_get_int(q, "household_id"),
                   "household_no", query_get_text(q, "household_no"), "head_name", query_get_text(q, "head_name"),
                   "category", query_get_text(q, "category"), "monitored", (int)query_get_int(q, "monitored"),
                   "village_code", query_get_text(q, "village_code"), "village_name", query_get_text(q, "village_name"),
                   "cadre_id", (json_int_t)query_get_int(q, "cadre_id"), "cadre_name", query_get_text(q, "cadre_name"),
                   "visited_on", query_get_text(q, "visited_on"), "findings", query_get_text(q, "findings"),
                   "risks", risks ? risks : json_array(),
                   "checkin_id", query_is_null(q, "checkin_id") ? json_null() : json_integer(query_get_int(q, "checkin_id")),
                   "in_fence", query_is_null(q, "in_fence") ? json_null() : json_boolean(query_get_int(q, "in_fence")),
                   "client_id", query_get_text(q, "client_id"));
}

/* The one visit that where (its parameters still to bind) selects. */
static struct query *one_query(struct db *db, const char *where)
{
  char sql[2048];
  snprintf(sql, sizeof sql, "SELECT " VISIT_COLUMNS " FROM " VISIT_FROM " WHERE %s", where);
  return query_open(db, sql);
}

/* The visit of q's first row, NULL when there is none or the read failed (reported through db). */
static json_t *one(struct query *q)
{
  json_t *out = query_next(q) ? visit_row(q) : NULL;
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

/* read back after the cadre's own write, or for the cadre's own duplicate: no scope needed */
json_t *visits_get_json(struct db *db, int64_t id)
{
  struct query *q = one_query(db, "v.id = :id");
  query_bind_int(q, ":id", id);
  return one(q);
}

json_t *visits_find_client_json(struct db *db, int64_t cadre_id, const char *client_id)
{
  struct query *q = one_query(db, "v.cadre_id = :cadre AND v.client_id = :client");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":client", client_id);
  return one(q);
}

json_t *visits_list_json(struct db *db, const struct scope *scope, const struct visit_filter *f, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, VISIT_FROM " WHERE (:household = 0 OR v.household_id = :household)"
                                  " AND (:cadre = 0 OR v.cadre_id = :cadre)"
                                  " AND (:from = '' OR v.visited_on >= :from) AND (:to = '' OR v.visited_on <= :to)");
  if (f->region_code)
    rc |= strbuf_appendf(&where, " AND tv.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND tv.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {{":household", NULL, f->household_id}, {":cadre", NULL, f->cadre_id},
                                     {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0},
                                     {":region", f->region_code ? f->region_code : "", 0}};
  json_t *out = rc == 0 ? query_list(db, VISIT_COLUMNS, strbuf_cstr(&where), "v.visited_on DESC, v.id DESC", params,
                                     5, scope, visit_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- coverage ---- */

static double rate(int64_t visited, int64_t total) { return total ? (double)visited / (double)total : 0.0; }

static json_t *coverage_row(const char *code, const char *name, const int64_t n[4])
{
  /* n: monitoring total, monitoring visited, alleviated total, alleviated visited */
  return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "code", code, "name", name, "monitoring_total",
                   (json_int_t)n[0], "monitoring_visited", (json_int_t)n[1], "alleviated_total", (json_int_t)n[2],
                   "alleviated_visited", (json_int_t)n[3], "total", (json_int_t)(n[0] + n[2]), "visited",
                   (json_int_t)(n[1] + n[3]), "rate", rate(n[1] + n[3], n[0] + n[2]));
}

/* The coverage of each child, summed from the rows of one or more statements in any order. */
struct child_sum {
  char code[16], name[128];
  int64_t n[4]; /* monitoring total, monitoring visited, alleviated total, alleviated visited */
};
struct child_sums {
  struct child_sum *rows;
  size_t len, cap;
};

static struct child_sum *child_of(struct child_sums *s, const char *code, const char *name)
{
  for (size_t i = s->len; i > 0; i--) /* a child's rows mostly come together: look from the end */
    if (strcmp(s->rows[i - 1].code, code) == 0) return &s->rows[i - 1];
  if (s->len == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 32;
    struct child_sum *rows = realloc(s->rows, cap * sizeof *rows);
    if (!rows) return NULL;
    s->rows = rows;
    s->cap = cap;
  }
  struct child_sum *c = &s->rows[s->len++];
  memset(c, 0, sizeof *c);
  snprintf(c->code, sizeof c->code, "%s", code);
  snprintf(c->name, sizeof c->name, "%s", name);
  return c;
}

/* One statement's rows (code, name, monitored, households, visited: store/visit_facts) into the sums;
 * params are each one the statement names. */
static int sum_rows(struct db *db, struct strbuf *sql, const struct scope *scope, const struct sql_param *params,
                    int nparams, struct child_sums *s)
{
  struct query *q = query_open(db, strbuf_cstr(sql));
  query_bind_params(q, params, nparams);
  query_bind_scope(q, scope);
  int rc = DB_OK;
  while (query_next(q)) {
    struct child_sum *c = child_of(s, query_get_text(q, "code"), query_get_text(q, "name"));
    if (!c) {
      rc = DB_ERROR;
      break;
    }
    int base = query_get_int(q, "monitored") ? 0 : 2;
    c->n[base] += query_get_int(q, "households");
    c->n[base + 1] += query_get_int(q, "visited");
  }
  int read = query_close(q);
  return rc != DB_OK ? rc : read;
}

typedef int (*sql_fn)(struct strbuf *sql);

/* A statement of store/visit_facts with the scope's bounds (and its tail), summed into s. */
static int sum_part(struct db *db, const struct scope *scope, sql_fn head, sql_fn tail, const struct sql_param *params,
                    int nparams, struct child_sums *s)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = head(&sql);
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  if (tail) rc |= tail(&sql);
  int result = rc == 0 ? sum_rows(db, &sql, scope, params, nparams, s) : DB_ERROR;
  strbuf_free(&sql);
  return result;
}

/* One edge's households into the sums: sign 1, those visited in [edge_from, edge_to] and neither in
 * [excl_from, excl_to] nor in [other_from, other_to]; sign -1 takes them away. */
struct edge_run {
  int sign;
  const char *edge_from, *edge_to, *excl_from, *excl_to, *other_from, *other_to;
};

static int sum_edge(struct db *db, const struct scope *scope, const char *region_code, const struct edge_run *e,
                    struct child_sums *s)
{
  const struct sql_param params[] = {
      {":region", region_code, 0}, {":sign", NULL, e->sign}, {":edge_from", e->edge_from, 0},
      {":edge_to", e->edge_to, 0}, {":months_from", e->excl_from, 0}, {":months_to", e->excl_to, 0},
      {":other_from", e->other_from ? e->other_from : "~", 0}, {":other_to", e->other_to ? e->other_to : "", 0}};
  return sum_part(db, scope, visit_facts_edge_sql, visit_facts_edge_tail, params, 8, s);
}

/* A period that is not from a month's 1st to today: the households, the whole months' first visits
 * and each edge's visits not counted already. An edge longer than the rest of its month is read the
 * other way round: its whole month is summed with the months, and the households visited only in
 * the rest of that month (and nowhere in the period) are taken away, so that no edge reads more
 * than half a month of visits. */
static int sum_period(struct db *db, const struct scope *scope, const char *region_code, const char *from,
                      const char *to, const struct visit_period_parts *p, struct child_sums *s)
{
  char first[8], last[8], rest1_to[11] = "", rest2_from[11] = "";
  snprintf(first, sizeof first, "%s", p->month_from);
  snprintf(last, sizeof last, "%s", p->month_to);
  int d;
  /* the rest of the first edge's month: its days before the edge */
  bool turn1 = *p->month_from && *p->edge1_from && date_parse_iso(p->edge1_from, &d) == 0 &&
               date_day(d) - 1 < date_days_in_month(date_year(d), date_month(d)) - date_day(d) + 1;
  if (turn1) { snprintf(first, sizeof first, "%.7s", p->edge1_from); date_format_iso(date_add_days(d, -1), rest1_to); }
  /* the rest of the last edge's month: its days after the edge */
  bool turn2 = *p->month_from && *p->edge2_from && date_parse_iso(p->edge2_to, &d) == 0 &&
               date_days_in_month(date_year(d), date_month(d)) - date_day(d) < date_day(d);
  if (turn2) { snprintf(last, sizeof last, "%.7s", p->edge2_to); date_format_iso(date_add_days(d, 1), rest2_from); }
  char months_from[11] = "~", months_to[11] = "", rest1_from[11], rest2_to[11]; /* "~" after any date: none */
  if (*first) {
    snprintf(months_from, sizeof months_from, "%s-01", first);
    snprintf(months_to, sizeof months_to, "%s-99", last);
  }
  snprintf(rest1_from, sizeof rest1_from, "%.7s-01", p->edge1_from);
  snprintf(rest2_to, sizeof rest2_to, "%.7s-99", p->edge2_to);
  const struct sql_param params[] = {{":region", region_code, 0}, {":month_from", first, 0}, {":month_to", last, 0}};
  int rc = sum_part(db, scope, visit_facts_totals_sql, NULL, params, 1, s);
  if (rc == DB_OK && *first) rc = sum_part(db, scope, visit_facts_months_sql, NULL, params, 3, s);
  struct edge_run e1 = {1, p->edge1_from, p->edge1_to, months_from, months_to, NULL, NULL};
  struct edge_run e2 = {1, p->edge2_from, p->edge2_to, months_from, months_to, turn1 ? NULL : p->edge1_from,
                        turn1 ? NULL : p->edge1_to};
  if (turn1) e1 = (struct edge_run){-1, rest1_from, rest1_to, from, to, NULL, NULL};
  if (turn2) e2 = (struct edge_run){-1, rest2_from, rest2_to, from, to, turn1 ? rest1_from : NULL, turn1 ? rest1_to : NULL};
  if (rc == DB_OK && *p->edge1_from) rc = sum_edge(db, scope, region_code, &e1, s);
  if (rc == DB_OK && *p->edge2_from) rc = sum_edge(db, scope, region_code, &e2, s);
  return rc;
}

static int code_order(const void *a, const void *b)
{
  return strcmp(((const struct child_sum *)a)->code, ((const struct child_sum *)b)->code);
}

/* The children by code, each with its figures, and the total of them all. */
static json_t *coverage_out(struct child_sums *s, const char *region_code, const char *from, const char *to)
{
  if (s->len) qsort(s->rows, s->len, sizeof *s->rows, code_order);
  json_t *items = json_array();
  int64_t all[4] = {0};
  for (size_t i = 0; i < s->len; i++) {
    json_array_append_new(items, coverage_row(s->rows[i].code, s->rows[i].name, s->rows[i].n));
    for (int k = 0; k < 4; k++) all[k] += s->rows[i].n[k];
  }
  return json_pack("{s:s, s:s, s:s, s:o, s:o}", "region", region_code, "from", from, "to", to, "total",
                   coverage_row(region_code, "合计", all), "items", items);
}

json_t *visits_coverage_json(struct db *db, const struct scope *scope, const char *region_code, const char *from,
                             const char *to, int today_date)
{
  char today[DATE_ISO_SIZE];
  date_format_iso(today_date, today);
  struct child_sums s = {NULL, 0, 0};
  struct visit_period_parts parts;
  int rc;
  if (visit_facts_answer(from, to, today)) { /* the month of each household's latest visit */
    const struct sql_param params[] = {{":from", from, 0}, {":region", region_code, 0}};
    rc = sum_part(db, scope, visit_facts_coverage_sql, NULL, params, 2, &s);
  } else {
    rc = visit_facts_split(from, to, today, &parts) == 0 ? sum_period(db, scope, region_code, from, to, &parts, &s) : DB_ERROR;
  }
  json_t *out = rc == DB_OK ? coverage_out(&s, region_code, from, to) : NULL;
  free(s.rows);
  return out;
}

#define UNVISITED_COLUMNS \
  "h.id AS id, h.household_no AS household_no, h.head_name AS head_name, h.category AS category," \
  " h.monitored AS monitored, tv.code AS village_code, tv.name AS village_name," \
  " coalesce(tt.name, '') AS township_name, h.last_visit_on AS last_visit," \
  " (SELECT c.name || '（' || CASE a.post WHEN 'first_secretary' THEN '第一书记' WHEN 'team_leader' THEN '工作队长'" \
  "   ELSE '工作队员' END || '）' FROM assignment a JOIN cadre c ON c.id = a.cadre_id" \
  "   WHERE a.village_code = h.village_code AND a.status IN ('active','handover')" \
  "   ORDER BY CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1 ELSE 2 END, a.id LIMIT 1)" \
  "   AS responsible," \
  " (SELECT group_concat(c.name, '、') FROM assignment a JOIN cadre c ON c.id = a.cadre_id" \
  "   WHERE a.village_code = h.village_code AND a.status IN ('active','handover')) AS team"

static json_t *unvisited_row(struct query *q)
{
  const char *category = query_get_text(q, "category");
  const char *category_name = household_category_name_zh(category);
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:o, s:s, s:s}",
                   "id", (json_int_t)query_get_int(q, "id"), "household_no", query_get_text(q, "household_no"),
                   "head_name", query_get_text(q, "head_name"), "category", category, "category_name", category_name,
                   "monitored", (int)query_get_int(q, "monitored"), "village_code", query_get_text(q, "village_code"),
                   "village_name", query_get_text(q, "village_name"), "township_name", query_get_text(q, "township_name"),
                   "last_visit", query_is_null(q, "last_visit") ? json_null() : json_string(query_get_text(q, "last_visit")),
                   "responsible", query_is_null(q, "responsible") ? "（无驻村干部）" : query_get_text(q, "responsible"),
                   "team", query_get_text(q, "team"));
}

json_t *visits_unvisited_json(struct db *db, const struct scope *scope, const char *region_code, const char *from,
                              const char *to, int today_date, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where,
      "region rr JOIN region tv ON tv.path >= rr.path AND tv.path < rr.path || '~' AND tv.level = 'village'"
      " JOIN household h ON h.village_code = tv.code AND h.status = 'active'"
      " LEFT JOIN region tt ON tt.code = tv.parent_code"
      " WHERE rr.code = :region AND " VISIT_TARGET
      " AND NOT " VISITED_IN_PERIOD);
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  char today[DATE_ISO_SIZE];
  date_format_iso(today_date, today);
  const struct sql_param params[] = {{":from", from, 0}, {":to", to, 0}, {":region", region_code, 0}, {":today", today, 0}};
  json_t *out = rc == 0 ? query_list(db, UNVISITED_COLUMNS, strbuf_cstr(&where),
                                     "h.monitored DESC, tv.code, h.household_no", params, 4, scope, unvisited_row, page,
                                     page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *visits_monthly_json(struct db *db, const char *village_code, const char *first_month, const char *last_month)
{
  struct query *q = query_open(db, "SELECT count(*) AS n FROM household h WHERE h.village_code = :village"
                                   " AND h.status = 'active' AND " VISIT_TARGET);
  query_bind_text(q, ":village", village_code);
  int64_t total = query_next(q) ? query_get_int(q, "n") : 0;
  if (query_close(q) != DB_OK) return NULL;
  q = query_open(db,
      "SELECT substr(v.visited_on, 1, 7) AS m, count(DISTINCT v.household_id) AS n FROM visit v"
      " JOIN household h ON h.id = v.household_id WHERE v.village_code = :village AND v.visited_on >= :first || '-01'"
      " AND v.visited_on <= :last || '-31' AND h.status = 'active' AND " VISIT_TARGET " GROUP BY m ORDER BY m");
  query_bind_text(q, ":village", village_code);
  query_bind_text(q, ":first", first_month);
  query_bind_text(q, ":last", last_month);
  json_t *visited = json_object();
  while (query_next(q)) json_object_set_new(visited, query_get_text(q, "m"), json_integer(query_get_int(q, "n")));
  if (query_close(q) != DB_OK) { json_decref(visited); return NULL; }
  json_t *out = json_array();
  int y, m, ly, lm;
  if (sscanf(first_month, "%4d-%2d", &y, &m) == 2 && sscanf(last_month, "%4d-%2d", &ly, &lm) == 2) {
    for (int guard = 0; (y < ly || (y == ly && m <= lm)) && guard < 120; guard++) {
      char key[16];
      snprintf(key, sizeof key, "%04d-%02d", y % 10000, m % 100);
      json_int_t n = json_integer_value(json_object_get(visited, key));
      json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:f}", "month", key, "total", (json_int_t)total,
                                           "visited", n, "rate", rate(n, total)));
      if (++m > 12) { m = 1; y++; }
    }
  }
  json_decref(visited);
  return out;
}
