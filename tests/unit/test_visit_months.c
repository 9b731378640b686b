/* Tests of the coverage of any period (遍访覆盖, 5.6; issue 15): visit_month_first (migration 164)
 * equals its rebuild (visit_facts_months_rebuild) after random visits added, removed and moved and
 * random changes of the households (EXCEPT both ways); the coverage store/visits answers from the
 * facts and the edges' visits equals, child by child, the plain count of the target households with
 * a visit in the period, over hundreds of random periods and regions; visit_facts_split cuts a period
 * into whole months and edges; and the statements read no visit by a full scan (EXPLAIN QUERY PLAN). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "store/db.h"
#include "store/db_sqlite.h"
#include "store/scope.h"
#include "store/visit_facts.h"
#include "store/visits.h"
#include "util/strbuf.h"
#include "scratch_db.h"

static char path[64];
static uint32_t rng = 20260610;
static unsigned next(unsigned n) { rng = rng * 1103515245u + 12345u; return (rng >> 8) % n; }

static const char *const VILLAGES[] = {"360701001001", "360701001002", "360701002001", "360702001001"};

static int64_t scalar(struct db *db, const char *sql)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  assert_non_null(st);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return v;
}

static struct db *open_places(void)
{
  struct db *db = scratch_db_open(path, sizeof path, "visit-months");
  assert_int_equal(db_exec(db, "PRAGMA foreign_keys = OFF;" /* visits of made-up cadres */
      "INSERT INTO region (code, name, level, parent_code, path) VALUES"
      " ('36', '江西省', 'province', NULL, '/36/'), ('3607', '赣州市', 'city', '36', '/36/3607/'),"
      " ('360701', '甲县', 'county', '3607', '/36/3607/360701/'), ('360702', '乙县', 'county', '3607', '/36/3607/360702/'),"
      " ('360701001', '甲镇', 'township', '360701', '/36/3607/360701/360701001/'),"
      " ('360701002', '丙镇', 'township', '360701', '/36/3607/360701/360701002/'),"
      " ('360702001', '乙镇', 'township', '360702', '/36/3607/360702/360702001/'),"
      " ('360701001001', '一村', 'village', '360701001', '/36/3607/360701/360701001/360701001001/'),"
      " ('360701001002', '二村', 'village', '360701001', '/36/3607/360701/360701001/360701001002/'),"
      " ('360701002001', '三村', 'village', '360701002', '/36/3607/360701/360701002/360701002001/'),"
      " ('360702001001', '四村', 'village', '360702001', '/36/3607/360702/360702001/360702001001/')"),
      DB_OK);
  return db;
}

static void add_household(struct db *db, int k)
{
  static const char *const CATEGORY[] = {"alleviated", "unstable", "general"};
  char sql[400];
  snprintf(sql, sizeof sql, "INSERT INTO household (village_code, household_no, head_name, category, monitored,"
           " status, created_at, updated_at) VALUES ('%s', 'h%d', '户主', '%s', %u, '%s', 0, 0)",
           VILLAGES[next(4)], k, CATEGORY[next(3)], next(3) ? 0 : 1, next(8) ? "active" : "removed");
  assert_int_equal(db_exec(db, sql), DB_OK);
}

/* A visit on a day of 2025-12 .. 2026-09-15 (today in these tests), at its household's village. */
static void add_visit(struct db *db, int k)
{
  char sql[600];
  int64_t n = scalar(db, "SELECT count(*) FROM household");
  int64_t h = scalar(db, "SELECT min(id) FROM household") + (int64_t)next((unsigned)n);
  int day = date_add_days(20251201, (long)next(289));
  char on[DATE_ISO_SIZE];
  date_format_iso(day, on);
  snprintf(sql, sizeof sql, "INSERT INTO visit (household_id, cadre_id, village_code, client_id, visited_on, created_at)"
           " SELECT id, 1, village_code, 'c%d', '%s', 0 FROM household WHERE id = %lld", k, on, (long long)h);
  assert_int_equal(db_exec(db, sql), DB_OK);
}

static void random_write(struct db *db, int k)
{
  char sql[400];
  int64_t visits = scalar(db, "SELECT count(*) FROM visit");
  int64_t v = visits ? scalar(db, "SELECT max(id) FROM visit") - (int64_t)next((unsigned)visits) : 0;
  int64_t n = scalar(db, "SELECT count(*) FROM household");
  int64_t h = scalar(db, "SELECT max(id) FROM household") - (int64_t)next((unsigned)n);
  switch (visits < 30 ? 0 : next(10)) {
  case 0: case 1: case 2: case 3: case 4: add_visit(db, k); return;
  case 5: snprintf(sql, sizeof sql, "DELETE FROM visit WHERE id = %lld", (long long)v); break;
  case 6:
    snprintf(sql, sizeof sql, "UPDATE visit SET visited_on = '2026-%02u-%02u' WHERE id = %lld", 1 + next(8),
             1 + next(28), (long long)v);
    break;
  case 7:
    snprintf(sql, sizeof sql, "UPDATE household SET category = CASE category WHEN 'alleviated' THEN 'general'"
             " ELSE 'alleviated' END, monitored = %u WHERE id = %lld", next(2), (long long)h);
    break;
  case 8:
    snprintf(sql, sizeof sql, "UPDATE household SET status = CASE status WHEN 'active' THEN 'removed' ELSE 'active'"
             " END WHERE id = %lld", (long long)h);
    break;
  default: add_household(db, k); return;
  }
  assert_int_equal(db_exec(db, sql), DB_OK);
}

static void assert_equal_to_rebuild(struct db *db)
{
  assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS temp.kept;"
                               "CREATE TEMP TABLE kept AS SELECT * FROM visit_month_first"), DB_OK);
  assert_int_equal(visit_facts_months_rebuild(db), DB_OK);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM temp.kept EXCEPT SELECT * FROM visit_month_first)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM visit_month_first EXCEPT SELECT * FROM temp.kept)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM visit_month_first WHERE n <= 0"), 0);
}

/* The plain count: each target household of each child, visited when it has a visit in the period. */
#define PLAIN_SQL \
  "SELECT ch.code, h.monitored, count(*), sum(EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id" \
  "   AND v.visited_on >= ?2 AND v.visited_on <= ?3))" \
  " FROM region ch JOIN region tv ON tv.path >= ch.path AND tv.path < ch.path || '~' AND tv.level = 'village'" \
  " JOIN household h ON h.village_code = tv.code AND h.status = 'active'" \
  " WHERE (ch.parent_code = ?1 OR (ch.code = ?1 AND ch.level = 'village'))" \
  " AND (h.monitored = 1 OR h.category = 'alleviated') GROUP BY ch.code, h.monitored ORDER BY ch.code"

static json_t *plain(struct db *db, const char *region, const char *from, const char *to)
{
  sqlite3_stmt *st = db_stmt(db, PLAIN_SQL);
  assert_non_null(st);
  sqlite3_bind_text(st, 1, region, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
  json_t *out = json_object();
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *code = db_col_text(st, 0);
    json_t *row = json_object_get(out, code);
    if (!row) json_object_set_new(out, code, row = json_pack("{s:I, s:I, s:I, s:I}", "monitoring_total", 0,
                                                            "monitoring_visited", 0, "alleviated_total", 0,
                                                            "alleviated_visited", 0));
    const char *kind = sqlite3_column_int(st, 1) ? "monitoring" : "alleviated";
    char key[32];
    snprintf(key, sizeof key, "%s_total", kind);
    json_object_set_new(row, key, json_integer(sqlite3_column_int64(st, 2)));
    snprintf(key, sizeof key, "%s_visited", kind);
    json_object_set_new(row, key, json_integer(sqlite3_column_int64(st, 3)));
  }
  sqlite3_reset(st);
  return out;
}

static void assert_same_coverage(struct db *db, const struct scope *scope, const char *region, int from, int to)
{
  char f[DATE_ISO_SIZE], t[DATE_ISO_SIZE];
  date_format_iso(from, f);
  date_format_iso(to, t);
  json_t *fast = visits_coverage_json(db, scope, region, f, t, 20260915);
  json_t *expected = plain(db, region, f, t);
  assert_non_null(fast);
  json_t *items = json_object_get(fast, "items");
  assert_int_equal(json_array_size(items), json_object_size(expected));
  size_t i;
  json_t *item;
  static const char *const KEYS[] = {"monitoring_total", "monitoring_visited", "alleviated_total", "alleviated_visited"};
  json_array_foreach(items, i, item) {
    json_t *want = json_object_get(expected, json_string_value(json_object_get(item, "code")));
    assert_non_null(want);
    for (int k = 0; k < 4; k++)
      if (json_integer_value(json_object_get(item, KEYS[k])) != json_integer_value(json_object_get(want, KEYS[k])))
        fail_msg("%s %s..%s %s: %lld, plainly %lld", region, f, t, KEYS[k],
                 (long long)json_integer_value(json_object_get(item, KEYS[k])),
                 (long long)json_integer_value(json_object_get(want, KEYS[k])));
  }
  json_decref(fast);
  json_decref(expected);
}

static void random_periods(struct db *db, int count)
{
  static const char *const REGIONS[] = {"3607", "360701", "360701001", "360702001", "360701001002"};
  struct scope scope = {.kind = SCOPE_KIND_REGION, .region_code = "36", .path_lo = "/36/", .path_hi = "/36/~"};
  /* each household's latest visit, as store/visits keeps it (a period from a month's 1st to today reads it) */
  assert_int_equal(db_exec(db, "UPDATE household SET last_visit_on = (SELECT max(visited_on) FROM visit"
                               " WHERE household_id = household.id)"), DB_OK);
  for (int i = 0; i < count; i++) {
    int from = date_add_days(20251120, (long)next(320));
    if (next(4) == 0) from = date_make(date_year(from), date_month(from), 1);
    int to = date_add_days(from, (long)next(i % 3 ? 100 : 30));
    if (next(5) == 0) to = date_make(date_year(to), date_month(to), date_days_in_month(date_year(to), date_month(to)));
    assert_same_coverage(db, &scope, REGIONS[next(5)], from, to);
  }
}

static void test_facts_and_coverage(void **state)
{
  (void)state;
  struct db *db = open_places();
  for (int k = 1; k <= 60; k++) add_household(db, k);
  for (int k = 1; k <= 1500; k++) {
    if (k % 250 == 1) assert_int_equal(db_begin(db), DB_OK);
    random_write(db, 1000 + k);
    if (k % 250 == 0) {
      assert_int_equal(db_commit(db), DB_OK);
      assert_equal_to_rebuild(db);
      random_periods(db, 80);
    }
  }
  assert_true(scalar(db, "SELECT count(*) FROM visit_month_first WHERE prev_month <> ''") >= 20);
  assert_true(scalar(db, "SELECT count(*) FROM visit") >= 300);
  scratch_db_close(db, path);
}

static void assert_split(const char *from, const char *to, const char *months_from, const char *months_to,
                         const char *e1, const char *e2)
{
  struct visit_period_parts p;
  assert_int_equal(visit_facts_split(from, to, "2026-09-15", &p), 0);
  char edge1[32], edge2[32];
  snprintf(edge1, sizeof edge1, "%s%s%s", p.edge1_from, *p.edge1_from ? ".." : "", p.edge1_to);
  snprintf(edge2, sizeof edge2, "%s%s%s", p.edge2_from, *p.edge2_from ? ".." : "", p.edge2_to);
  assert_string_equal(p.month_from, months_from);
  assert_string_equal(p.month_to, months_to);
  assert_string_equal(edge1, e1);
  assert_string_equal(edge2, e2);
}

static void test_split(void **state)
{
  (void)state;
  assert_split("2025-07-01", "2025-09-30", "2025-07", "2025-09", "", "");                 /* last year's Q3 */
  assert_split("2026-03-15", "2026-09-15", "2026-04", "2026-09", "2026-03-15..2026-03-31", ""); /* to today */
  assert_split("2026-02-10", "2026-05-20", "2026-03", "2026-04", "2026-02-10..2026-02-28", "2026-05-01..2026-05-20");
  assert_split("2026-03-02", "2026-03-30", "", "", "2026-03-02..2026-03-30", "");         /* inside one month */
  assert_split("2026-03-20", "2026-04-10", "", "", "2026-03-20..2026-04-10", "");         /* no whole month */
  assert_split("2026-09-01", "2026-10-31", "2026-09", "2026-10", "", "");                 /* past today */
  struct visit_period_parts p;
  assert_int_equal(visit_facts_split("2026-02-30", "2026-03-01", "2026-09-15", &p), -1);
}

/* Every plan line of sql; fails on a full scan of visit, household or the facts. */
static void assert_no_scan(struct db *db, const char *sql, const char *must_use)
{
  struct strbuf q;
  strbuf_init(&q, 4096);
  assert_int_equal(strbuf_appendf(&q, "EXPLAIN QUERY PLAN %s", sql), 0);
  sqlite3_stmt *st = db_stmt(db, strbuf_cstr(&q));
  strbuf_free(&q);
  assert_non_null(st);
  bool used = false;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *detail = db_col_text(st, 3);
    if (strstr(detail, must_use)) used = true;
    if (strncmp(detail, "SCAN", 4) == 0 && (strstr(detail, "visit") || strstr(detail, "household") ||
                                            strcmp(detail, "SCAN f") == 0 || strcmp(detail, "SCAN v") == 0 ||
                                            strcmp(detail, "SCAN h") == 0))
      fail_msg("full scan: %s in %s", detail, sql);
  }
  sqlite3_reset(st);
  if (!used) fail_msg("the plan does not use %s: %s", must_use, sql);
}

static void test_plans(void **state)
{
  (void)state;
  struct db *db = open_places();
  typedef int (*sql_fn)(struct strbuf *);
  static const struct { sql_fn head, tail; const char *uses; } PARTS[] = {
      {visit_facts_totals_sql, NULL, "SEARCH f USING PRIMARY KEY (village_code=?)"},
      {visit_facts_months_sql, NULL, "SEARCH f USING PRIMARY KEY (village_code=? AND month>? AND month<?)"},
      {visit_facts_edge_sql, visit_facts_edge_tail, "COVERING INDEX visit_village_household"}};
  for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++) {
    struct strbuf sql;
    strbuf_init(&sql, 4096);
    assert_int_equal(PARTS[i].head(&sql), 0);
    assert_int_equal(strbuf_appendf(&sql, " AND (tv.path >= :scope_lo AND tv.path < :scope_hi)"), 0);
    if (PARTS[i].tail) assert_int_equal(PARTS[i].tail(&sql), 0);
    assert_no_scan(db, strbuf_cstr(&sql), PARTS[i].uses);
    strbuf_free(&sql);
  }
  scratch_db_close(db, path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_split),
      cmocka_unit_test(test_facts_and_coverage),
      cmocka_unit_test(test_plans),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
