/* The plans of the hot roll-ups (issue 15): every statement that presence (2.1, 3.6), the
 * full-coverage analysis (2.7) and the board run for a whole city is caught with sqlite3_trace_v2
 * while they run, then explained (EXPLAIN QUERY PLAN). None may read the raw check-ins at all, none
 * may SCAN a table of acts (checkin, visit, evidence, work_log) or the facts (post_day, post_month),
 * the months of the posts must come from post_month by its key and the board's days from post_day
 * by its index. Without ANALYZE statistics (zhucun keeps none) SQLite
 * plans the same on an empty database as on a full one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/presence.h"
#include "store/analysis.h"
#include "store/board.h"
#include "store/checkins.h"
#include "store/db_sqlite.h"
#include "store/facts.h"
#include "store/presence.h"
#include "store/scope.h"
#include "scratch_db.h"

#define MAX_SQL 64
struct caught { char *sql[MAX_SQL]; int n; };

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
  (void)x;
  struct caught *c = ctx;
  if (type != SQLITE_TRACE_STMT || c->n >= MAX_SQL) return 0;
  const char *sql = sqlite3_sql((sqlite3_stmt *)p);
  for (int i = 0; i < c->n; i++) if (strcmp(c->sql[i], sql) == 0) return 0;
  c->sql[c->n++] = strdup(sql);
  return 0;
}

/* The alias a statement gives table (" FROM t x" / " JOIN t x"), or the table's own name. */
static void alias_of(const char *sql, const char *table, char *out, size_t len)
{
  snprintf(out, len, "%s", table);
  char pat[64];
  snprintf(pat, sizeof pat, " %s ", table);
  const char *at = strstr(sql, pat);
  if (!at) return;
  at += strlen(pat);
  size_t n = strspn(at, "abcdefghijklmnopqrstuvwxyz_");
  if (n > 0 && n < len) snprintf(out, len, "%.*s", (int)n, at);
}

/* Each line of the plan of sql, through check(line, ctx). */
static void explain(struct db *db, const char *sql, void (*check)(const char *, const char *, void *), void *ctx)
{
  char *eqp = malloc(strlen(sql) + 32);
  assert_non_null(eqp);
  sprintf(eqp, "EXPLAIN QUERY PLAN %s", sql);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), eqp, -1, &st, NULL), SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) check((const char *)sqlite3_column_text(st, 3), sql, ctx);
  sqlite3_finalize(st);
  free(eqp);
}

struct verdict { int facts_searched, months_searched; };

static void no_scan_of_acts(const char *line, const char *sql, void *ctx)
{
  struct verdict *v = ctx;
  static const char *const TABLES[] = {"checkin", "visit", "evidence", "post_day", "post_month", "work_log"};
  for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++) {
    char alias[32], scan[48];
    alias_of(sql, TABLES[t], alias, sizeof alias);
    snprintf(scan, sizeof scan, "SCAN %s", alias);
    size_t n = strlen(scan);
    if (strncmp(line, scan, n) == 0 && (line[n] == '\0' || line[n] == ' '))
      fail_msg("a full scan of %s (%s) in\n%s", TABLES[t], line, sql);
  }
  char facts[48], alias[32];
  alias_of(sql, "post_day", alias, sizeof alias);
  snprintf(facts, sizeof facts, "SEARCH %s USING", alias);
  if (strstr(sql, "post_day") && strncmp(line, facts, strlen(facts)) == 0) v->facts_searched++;
  /* the posts' months by their key (assignment, month), one look-up per post */
  char month_key[128];
  alias_of(sql, "post_month", alias, sizeof alias);
  snprintf(month_key, sizeof month_key, "SEARCH %s USING PRIMARY KEY (assignment_id=? AND month=?)", alias);
  if (strstr(sql, "post_month") && strcmp(line, month_key) == 0) v->months_searched++;
}

static void test_rollup_plans(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "facts");
  struct caught caught = {{0}, 0};
  sqlite3_trace_v2(db_sqlite(db), SQLITE_TRACE_STMT, on_trace, &caught);

  /* the whole city of 赣州, a month: what GET /analysis, /presence and /board run */
  struct scope city = {.kind = SCOPE_KIND_REGION, .region_code = "3607", .path_lo = "/36/3607/",
                       .path_hi = "/36/3607/~"};
  const struct presence_rules rules = {20, 18, 9, 80, 60};
  struct presence_query q = {2026, 5, NULL, 20260610, &rules};
  struct presence_posts posts;
  assert_int_equal(presence_posts_read(db, &city, &q, 1, 0, &posts), DB_OK);
  presence_posts_free(&posts);
  assert_int_equal(analysis_posts_read(db, &city, &q, &posts), DB_OK);
  struct analysis_row *rows = NULL;
  assert_int_equal(analysis_rows_build(&posts, &rows), DB_OK);
  free(rows);
  presence_posts_free(&posts);
  q.region_code = "360781104";
  assert_int_equal(presence_posts_read(db, &city, &q, 2, 50, &posts), DB_OK);
  presence_posts_free(&posts);
  /* the board as GET /board writes it (store/board) and its totals for 数据大屏 */
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(board_json_text(db, &city, "2026-06-10", NULL, &text, &len), DB_OK);
  free(text);
  int counts[BOARD_STATUSES];
  assert_int_equal(board_totals(db, &city, "2026-06-10", "360781", counts), DB_OK);
  json_t *board = checkins_board_json(db, &city, "2026-06-10", NULL);
  assert_non_null(board);
  json_decref(board);
  board = checkins_board_json(db, &city, "2026-06-10", "360781");
  assert_non_null(board);
  json_decref(board);
  sqlite3_trace_v2(db_sqlite(db), 0, NULL, NULL);

  assert_true(caught.n >= 6);
  struct verdict v = {0};
  for (int i = 0; i < caught.n; i++) {
    /* the raw acts are not read at all: the days come from the facts */
    if (strstr(caught.sql[i], "FROM checkin") || strstr(caught.sql[i], "JOIN checkin"))
      fail_msg("a roll-up reads the raw check-ins:\n%s", caught.sql[i]);
    explain(db, caught.sql[i], no_scan_of_acts, &v);
  }
  /* the board's two look-ups of the day's facts (one statement: store/board writes the board that
   * store/checkins exports, with the same SQL): by key, never scanned */
  assert_true(v.facts_searched >= 2);
  /* presence's and the analysis' months of the posts (the whole city, a page of a township): by key */
  assert_true(v.months_searched >= 3);
  for (int i = 0; i < caught.n; i++) free(caught.sql[i]);
  scratch_db_close(db, path);
}

/* facts_rebuild on an empty database: no rows, and DB_OK. */
static void test_rebuild_empty(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "facts");
  long n = -1;
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(facts_rebuild(db, &n), DB_OK);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(n, 0);
  scratch_db_close(db, path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rollup_plans),
      cmocka_unit_test(test_rebuild_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
