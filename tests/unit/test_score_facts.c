/* Tests of store/score_facts and store/visit_facts (issue 15): checkin_month_days (migration 146)
 * equals its rebuild (score_facts_rebuild) after a random sequence of check-ins, withdrawals and
 * changes of date, cadre and fence; household_visit_month (migration 147) equals its rebuild
 * (visit_facts_rebuild) after random households, visits, changes of category, monitoring, status
 * and village, and removals (EXCEPT both ways); and the statements of the unit scores and of the
 * coverage read no check-in, visit or evidence by a full scan (EXPLAIN QUERY PLAN). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db_sqlite.h"
#include "store/score_facts.h"
#include "store/visit_facts.h"
#include "util/strbuf.h"
#include "scratch_db.h"

static char path[64];

static struct db *open_fresh(void)
{
  struct db *db = scratch_db_open(path, sizeof path, "score-facts");
  assert_int_equal(db_exec(db, "PRAGMA foreign_keys = OFF"), DB_OK); /* acts of made-up cadres */
  return db;
}

static void close_fresh(struct db *db)
{
  scratch_db_close(db, path);
}

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

static void random_write(struct db *db, int k)
{
  char sql[400];
  int64_t n = scalar(db, "SELECT count(*) FROM checkin");
  int64_t id = n ? scalar(db, "SELECT max(id) FROM checkin") - (int64_t)next((unsigned)n) : 0;
  switch (n < 20 ? 0 : next(6)) {
  case 0: case 1: case 2:
    snprintf(sql, sizeof sql, "INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, at, received_at,"
             " date, in_fence) VALUES (%u, 1, 'v', 'c%d', 0, 0, '2026-%02u-%02u', %u)",
             1 + next(5), k, 3 + next(3), 1 + next(31), next(4) ? 1 : 0);
    break;
  case 3: snprintf(sql, sizeof sql, "DELETE FROM checkin WHERE id = %lld", (long long)id); break;
  case 4:
    snprintf(sql, sizeof sql, "UPDATE checkin SET in_fence = 1 - in_fence, cadre_id = %u WHERE id = %lld",
             1 + next(5), (long long)id);
    break;
  default:
    snprintf(sql, sizeof sql, "UPDATE checkin SET date = '2026-%02u-%02u' WHERE id = %lld", 3 + next(3), 1 + next(30),
             (long long)id);
  }
  assert_int_equal(db_exec(db, sql), DB_OK);
}

/* The incremental table against its rebuild: rows in one and not the other, both ways. */
static void assert_equal_to_rebuild(struct db *db)
{
  assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS temp.kept;"
                               "CREATE TEMP TABLE kept AS SELECT * FROM checkin_month_days"), DB_OK);
  assert_int_equal(score_facts_rebuild(db), DB_OK);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM temp.kept EXCEPT SELECT * FROM checkin_month_days)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM checkin_month_days EXCEPT SELECT * FROM temp.kept)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM checkin_month_days WHERE days = 0"), 0);
}

static void test_incremental_equals_rebuild(void **state)
{
  (void)state;
  struct db *db = open_fresh();
  for (int k = 1; k <= 1200; k++) {
    if (k % 150 == 1) assert_int_equal(db_begin(db), DB_OK);
    random_write(db, k);
    if (k % 150 == 0) {
      assert_int_equal(db_commit(db), DB_OK);
      assert_equal_to_rebuild(db);
    }
  }
  assert_true(scalar(db, "SELECT count(*) FROM checkin_month_days") >= 10);
  assert_true(scalar(db, "SELECT count(*) FROM checkin") >= 100);
  /* one transaction of many writes, rolled back: the facts go back with the acts */
  int64_t before = scalar(db, "SELECT sum(days) FROM checkin_month_days");
  assert_int_equal(db_exec(db, "BEGIN; DELETE FROM checkin WHERE cadre_id = 1;"
                               " UPDATE checkin SET in_fence = 1 WHERE cadre_id = 2; ROLLBACK"), DB_OK);
  assert_int_equal(scalar(db, "SELECT sum(days) FROM checkin_month_days"), before);
  assert_equal_to_rebuild(db);
  close_fresh(db);
}

static void random_household_write(struct db *db, int k)
{
  static const char *const CATEGORY[] = {"alleviated", "unstable", "general"};
  char sql[400];
  int64_t n = scalar(db, "SELECT count(*) FROM household");
  int64_t id = n ? scalar(db, "SELECT max(id) FROM household") - (int64_t)next((unsigned)n) : 0;
  switch (n < 20 ? 0 : next(7)) {
  case 0: case 1:
    snprintf(sql, sizeof sql, "INSERT INTO household (village_code, household_no, head_name, category, monitored,"
             " created_at, updated_at)"
             " VALUES ('v%u', 'h%d', '户主', '%s', %u, 0, 0)", next(3), k, CATEGORY[next(3)], next(3) ? 0 : 1);
    break;
  case 2: case 3: /* a visit: the latest visit moves forward only, as store/visits keeps it */
    snprintf(sql, sizeof sql, "UPDATE household SET last_visit_on = '2026-%02u-%02u' WHERE id = %lld"
             " AND (last_visit_on IS NULL OR last_visit_on < '2026-%02u-%02u')",
             1 + next(6), 1 + next(28), (long long)id, 1 + next(6), 1 + next(28));
    break;
  case 4:
    snprintf(sql, sizeof sql, "UPDATE household SET category = '%s', monitored = %u WHERE id = %lld",
             CATEGORY[next(3)], next(2), (long long)id);
    break;
  case 5:
    snprintf(sql, sizeof sql, "UPDATE household SET status = CASE status WHEN 'active' THEN 'removed' ELSE 'active' END,"
             " village_code = 'v%u', last_visit_on = NULL WHERE id = %lld", next(3), (long long)id);
    break;
  default: snprintf(sql, sizeof sql, "DELETE FROM household WHERE id = %lld", (long long)id);
  }
  assert_int_equal(db_exec(db, sql), DB_OK);
}

static void assert_visits_equal_to_rebuild(struct db *db)
{
  assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS temp.kept;"
                               "CREATE TEMP TABLE kept AS SELECT * FROM household_visit_month"), DB_OK);
  assert_int_equal(visit_facts_rebuild(db), DB_OK);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM temp.kept EXCEPT SELECT * FROM household_visit_month)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM household_visit_month EXCEPT SELECT * FROM temp.kept)"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM household_visit_month WHERE n <= 0"), 0);
}

static void test_visit_facts_equal_rebuild(void **state)
{
  (void)state;
  struct db *db = open_fresh();
  for (int k = 1; k <= 1200; k++) {
    if (k % 150 == 1) assert_int_equal(db_begin(db), DB_OK);
    random_household_write(db, k);
    if (k % 150 == 0) {
      assert_int_equal(db_commit(db), DB_OK);
      assert_visits_equal_to_rebuild(db);
    }
  }
  assert_true(scalar(db, "SELECT count(*) FROM household_visit_month WHERE month <> ''") >= 5);
  assert_true(scalar(db, "SELECT count(*) FROM household WHERE status = 'active'") >= 50);
  close_fresh(db);
}

/* Every plan line of sql; fails on a full scan of checkin, visit or evidence. */
static void assert_no_scan(struct db *db, const char *sql)
{
  struct strbuf q;
  strbuf_init(&q, 4096);
  assert_int_equal(strbuf_appendf(&q, "EXPLAIN QUERY PLAN %s", sql), 0);
  sqlite3_stmt *st = db_stmt(db, strbuf_cstr(&q));
  strbuf_free(&q);
  assert_non_null(st);
  int lines = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *detail = db_col_text(st, 3);
    lines++;
    if (strncmp(detail, "SCAN", 4) == 0 &&
        (strstr(detail, "checkin") || strstr(detail, "visit") || strstr(detail, "evidence") || strcmp(detail, "SCAN f") == 0))
      fail_msg("full scan: %s in %s", detail, sql);
  }
  sqlite3_reset(st);
  assert_true(lines > 0);
}

static void test_plans(void **state)
{
  (void)state;
  struct db *db = open_fresh();
  static const char *const BOUNDS[] = {"", " AND ar.path >= (SELECT path FROM region WHERE code = :region)"
                                           " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~'"};
  for (size_t i = 0; i < 2; i++) {
    struct strbuf sql;
    strbuf_init(&sql, 4096);
    assert_int_equal(score_facts_posts_sql(&sql, BOUNDS[i]), 0);
    assert_non_null(strstr(strbuf_cstr(&sql), "checkin_month_days"));
    assert_no_scan(db, strbuf_cstr(&sql));
    strbuf_free(&sql);
  }
  struct strbuf cover;
  strbuf_init(&cover, 4096);
  assert_int_equal(visit_facts_coverage_sql(&cover), 0);
  assert_int_equal(strbuf_appendf(&cover, " AND (tv.path >= :scope_lo AND tv.path < :scope_hi)"), 0);
  assert_no_scan(db, strbuf_cstr(&cover));
  strbuf_free(&cover);
  assert_true(visit_facts_answer("2026-06-01", "2026-06-10", "2026-06-10"));
  assert_false(visit_facts_answer("2026-06-02", "2026-06-10", "2026-06-10")); /* not a month's 1st */
  assert_false(visit_facts_answer("2026-03-01", "2026-03-31", "2026-06-10")); /* ends before today */
  assert_no_scan(db, SCORE_FACTS_CALENDAR_SQL);
  assert_no_scan(db, SCORE_FACTS_LEAVE_SQL);
  close_fresh(db);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_incremental_equals_rebuild),
      cmocka_unit_test(test_visit_facts_equal_rebuild),
      cmocka_unit_test(test_plans),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
