/* Tests of the kept scope of cadres (migration 173, store/scope's scope_cadre_list_sql, issue 15):
 * after a random sequence of new cadres, changes of village and unit, a unit moved to another region
 * and a county moved to another city (regions_move), cadre_scope equals what cadre_scope_rows derives
 * (EXCEPT both ways); the cadres list of the province and of each city holds exactly the cadres the
 * scope's own rule admits (stationed in the region or employed by a unit it administers, scope_sql's
 * SCOPE_CADRE), its total is that number, and a filtered total is its filtered list's length. And the
 * plans of a city's page and count: no full scan of cadre, no temporary B-tree for the ORDER BY, and
 * the count from the kept index alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/cadres.h"
#include "store/db_sqlite.h"
#include "store/regions.h"
#include "store/scope.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"
#include "scratch_db.h"

static char path[64];

static int64_t scalar(struct db *db, const char *sql)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  assert_non_null(st);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return v;
}

static uint32_t rng = 20260610;
static unsigned next(unsigned n) { rng = rng * 1103515245u + 12345u; return (rng >> 8) % n; }

/* 江西 36: 南昌 3601 (county 360102), 赣州 3607 (counties 360702, 360781), a township and two
 * villages under each county; units of the province, of each city and of each county. */
static const char *const VILLAGES[] = {"360102001001", "360102001002", "360702001001", "360702001002",
                                       "360781104001", "360781104002"};
#define N_VILLAGES 6
#define N_UNITS 6

static void seed(struct db *db)
{
  static const char *const REGIONS[][4] = {
    {"36", "江西省", "province", NULL},         {"3601", "南昌市", "city", "36"},
    {"3607", "赣州市", "city", "36"},           {"360102", "东湖区", "county", "3601"},
    {"360702", "章贡区", "county", "3607"},     {"360781", "瑞金市", "county", "3607"},
    {"360102001", "公园街道", "township", "360102"}, {"360702001", "解放街道", "township", "360702"},
    {"360781104", "沙洲坝镇", "township", "360781"}};
  char sql[512];
  for (size_t i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO region (code, name, level, parent_code, path) VALUES ('%s', '%s', '%s', %s%s%s,"
             " coalesce((SELECT path FROM region WHERE code = '%s'), '/') || '%s/')", REGIONS[i][0], REGIONS[i][1],
             REGIONS[i][2], REGIONS[i][3] ? "'" : "", REGIONS[i][3] ? REGIONS[i][3] : "NULL", REGIONS[i][3] ? "'" : "",
             REGIONS[i][3] ? REGIONS[i][3] : "", REGIONS[i][0]);
    assert_int_equal(db_exec(db, sql), DB_OK);
  }
  for (int i = 0; i < N_VILLAGES; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO region (code, name, level, parent_code, path) SELECT '%s', '村%d', 'village',"
             " code, path || '%s/' FROM region WHERE code = substr('%s', 1, 9)", VILLAGES[i], i, VILLAGES[i], VILLAGES[i]);
    assert_int_equal(db_exec(db, sql), DB_OK);
  }
  static const char *const UNIT_REGIONS[N_UNITS] = {"36", "3601", "3607", "360102", "360702", "360781"};
  for (int i = 0; i < N_UNITS; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO unit (id, name, level, type, region_code, created_at) VALUES (%d, '单位%d',"
             " 'county', 'party_gov', '%s', 0)", i + 1, i + 1, UNIT_REGIONS[i]);
    assert_int_equal(db_exec(db, sql), DB_OK);
  }
}

static void add_cadre(struct db *db, int k)
{
  char sql[400], village[24];
  snprintf(village, sizeof village, next(4) ? "'%s'" : "NULL", VILLAGES[next(N_VILLAGES)]);
  snprintf(sql, sizeof sql, "INSERT INTO cadre (name, id_cipher, id_lookup, id_masked, sex, birth_date, unit_id,"
           " village_code, created_at) VALUES ('干部%d', x'00', randomblob(16), '3607**', 'M', '1990-01-01', %u, %s, 0)",
           k, 1 + next(N_UNITS), village);
  assert_int_equal(db_exec(db, sql), DB_OK);
}

static void random_write(struct db *db, int k)
{
  char sql[300];
  int64_t n = scalar(db, "SELECT count(*) FROM cadre");
  int64_t id = n ? 1 + (int64_t)next((unsigned)n) : 0;
  switch (n < 10 ? 0 : next(8)) {
  case 0: case 1: case 2: add_cadre(db, k); return;
  case 3:
    if (next(3)) snprintf(sql, sizeof sql, "UPDATE cadre SET village_code = '%s' WHERE id = %lld", VILLAGES[next(N_VILLAGES)],
                          (long long)id);
    else snprintf(sql, sizeof sql, "UPDATE cadre SET village_code = NULL WHERE id = %lld", (long long)id);
    break;
  case 4: snprintf(sql, sizeof sql, "UPDATE cadre SET unit_id = %u WHERE id = %lld", 1 + next(N_UNITS), (long long)id); break;
  case 5:
    snprintf(sql, sizeof sql, "UPDATE unit SET region_code = '%s' WHERE id = %u", next(2) ? "3601" : "360781",
             1 + next(N_UNITS));
    break;
  case 6: snprintf(sql, sizeof sql, "DELETE FROM cadre WHERE id = (SELECT max(id) FROM cadre)"); break;
  default: {
    /* 章贡区 moves between the two cities, its township, villages and units with it */
    const char *to = scalar(db, "SELECT parent_code = '3607' FROM region WHERE code = '360702'") ? "3601" : "3607";
    char from[32]; /* each move starts after the one before it */
    snprintf(from, sizeof from, "%d-%02d-%02d", 2026 + k / 336, 1 + k % 336 / 28, 1 + k % 28);
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(regions_move(db, "360702", to, from), DB_OK);
    assert_int_equal(db_commit(db), DB_OK);
    return;
  }
  }
  assert_int_equal(db_exec(db, sql), DB_OK);
}

static void assert_kept_equals_rebuild(struct db *db)
{
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT path, cadre_id FROM cadre_scope"
                              " EXCEPT SELECT path, cadre_id FROM cadre_scope_rows)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT path, cadre_id FROM cadre_scope_rows"
                              " EXCEPT SELECT path, cadre_id FROM cadre_scope)"), 0);
}

static struct scope region_scope(const char *code, const char *lo)
{
  struct scope s = {.kind = SCOPE_KIND_REGION};
  snprintf(s.region_code, sizeof s.region_code, "%s", code);
  snprintf(s.path_lo, sizeof s.path_lo, "%s", lo);
  snprintf(s.path_hi, sizeof s.path_hi, "%s~", lo);
  return s;
}

/* The ids scope_sql's own rule admits, in id order, as a JSON array. */
static json_t *ids_by_rule(struct db *db, const struct scope *scope)
{
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  assert_int_equal(strbuf_appendf(&sql, "SELECT c.id AS id FROM cadre c LEFT JOIN region cr ON cr.code = c.village_code WHERE 1"), 0);
  assert_int_equal(scope_sql(scope, SCOPE_CADRE, &sql), 0);
  assert_int_equal(strbuf_appendf(&sql, " ORDER BY c.id"), 0);
  struct query *q = query_open(db, strbuf_cstr(&sql));
  assert_non_null(q);
  query_bind_scope(q, scope);
  json_t *ids = json_array();
  while (query_next(q)) json_array_append_new(ids, json_integer(query_get_int(q, "id")));
  assert_int_equal(query_close(q), DB_OK);
  strbuf_free(&sql);
  return ids;
}

static void assert_list_matches_rule(struct db *db, const struct scope *scope)
{
  json_t *want = ids_by_rule(db, scope);
  json_t *list = cadres_list_json(db, scope, NULL, 0, NULL, 1, 0);
  assert_non_null(list);
  json_t *items = json_object_get(list, "items");
  assert_int_equal(json_array_size(items), json_array_size(want));
  assert_int_equal(json_integer_value(json_object_get(list, "total")), (json_int_t)json_array_size(want));
  for (size_t i = 0; i < json_array_size(want); i++)
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, i), "id")),
                     json_integer_value(json_array_get(want, i)));
  json_decref(list);
  /* a filtered total (through the list's own rows, not the kept range) is its list's length */
  list = cadres_list_json(db, scope, NULL, 3, NULL, 1, 0);
  assert_non_null(list);
  assert_int_equal(json_integer_value(json_object_get(list, "total")),
                   (json_int_t)json_array_size(json_object_get(list, "items")));
  json_decref(list);
  json_decref(want);
}

static void test_kept_scope_follows_writes(void **state)
{
  (void)state;
  struct db *db = scratch_db_open(path, sizeof path, "cadre-scope");
  seed(db);
  const struct scope scopes[] = {region_scope("36", "/36/"), region_scope("3601", "/36/3601/"),
                                 region_scope("3607", "/36/3607/")};
  for (int k = 0; k < 400; k++) {
    random_write(db, k);
    if (k % 20 != 19) continue;
    assert_kept_equals_rebuild(db);
    for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++) assert_list_matches_rule(db, &scopes[s]);
  }
  assert_true(scalar(db, "SELECT count(*) FROM cadre") > 50);
  assert_true(scalar(db, "SELECT count(*) FROM cadre_scope WHERE path = '/36/3601/'") > 0);
  assert_true(scalar(db, "SELECT count(*) FROM cadre_scope WHERE path = '/36/3607/'") > 0);
  scratch_db_close(db, path);
}

#define MAX_SQL 16
struct caught { char *sql[MAX_SQL]; int n; };

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
  (void)x;
  struct caught *c = ctx;
  if (type == SQLITE_TRACE_STMT && c->n < MAX_SQL) c->sql[c->n++] = strdup(sqlite3_sql((sqlite3_stmt *)p));
  return 0;
}

static void assert_plan(struct db *db, const char *sql)
{
  struct strbuf eqp;
  strbuf_init(&eqp, 4096);
  assert_int_equal(strbuf_appendf(&eqp, "EXPLAIN QUERY PLAN %s", sql), 0);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), strbuf_cstr(&eqp), -1, &st, NULL), SQLITE_OK);
  bool counts = strncmp(sql, "SELECT count(*) AS n FROM cadre_scope ss WHERE", 46) == 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *line = (const char *)sqlite3_column_text(st, 3);
    if (strcmp(line, "SCAN c") == 0 || strncmp(line, "SCAN c ", 7) == 0 || strncmp(line, "SCAN cadre", 10) == 0)
      fail_msg("a full scan of the cadres (%s) in\n%s", line, sql);
    if (strstr(line, "TEMP B-TREE FOR ORDER BY")) fail_msg("the city's page is sorted (%s) in\n%s", line, sql);
    if (counts && strncmp(line, "SEARCH ss USING PRIMARY KEY (path=?)", 36) != 0)
      fail_msg("the count reads more than the kept index (%s) in\n%s", line, sql);
  }
  sqlite3_finalize(st);
  strbuf_free(&eqp);
}

static void test_city_page_plans(void **state)
{
  (void)state;
  struct db *db = scratch_db_open(path, sizeof path, "cadre-scope-plan");
  struct caught caught = {{0}, 0};
  sqlite3_trace_v2(db_sqlite(db), SQLITE_TRACE_STMT, on_trace, &caught);
  const struct scope city = region_scope("3607", "/36/3607/");
  json_t *list = cadres_list_json(db, &city, NULL, 0, NULL, 1, 20);
  assert_non_null(list);
  json_decref(list);
  list = cadres_list_json(db, &city, NULL, 0, "李", 2, 20);
  assert_non_null(list);
  json_decref(list);
  sqlite3_trace_v2(db_sqlite(db), 0, NULL, NULL);
  int counted_from_index = 0;
  for (int i = 0; i < caught.n; i++) {
    if (strncmp(caught.sql[i], "SELECT count(*) AS n FROM cadre_scope ss WHERE", 46) == 0) counted_from_index++;
    if (strstr(caught.sql[i], "cadre")) assert_plan(db, caught.sql[i]);
    free(caught.sql[i]);
  }
  assert_int_equal(counted_from_index, 1); /* the unfiltered page's; the filtered one counts its own rows */
  scratch_db_close(db, path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kept_scope_follows_writes),
      cmocka_unit_test(test_city_page_plans),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
