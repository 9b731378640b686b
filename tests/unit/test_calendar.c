/* Tests of core/calendar (working days with the published exceptions) and of the loader in
 * store/calendar (chinese-days JSON into calendar_day, idempotent). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "store/calendar.h"
#include "store/db.h"
#include "scratch_db.h"

/* 春节 2026 as published: 02-15..02-23 holidays, Saturdays 02-14 and 02-28 working days. */
static const struct calendar_exception SPRING_2026[] = {
  {20260214, CALENDAR_WORKDAY}, {20260215, CALENDAR_HOLIDAY}, {20260216, CALENDAR_HOLIDAY},
  {20260217, CALENDAR_HOLIDAY}, {20260218, CALENDAR_HOLIDAY}, {20260219, CALENDAR_HOLIDAY},
  {20260220, CALENDAR_HOLIDAY}, {20260221, CALENDAR_HOLIDAY}, {20260222, CALENDAR_HOLIDAY},
  {20260223, CALENDAR_HOLIDAY}, {20260228, CALENDAR_WORKDAY},
};
static const struct calendar CAL = {SPRING_2026, sizeof SPRING_2026 / sizeof SPRING_2026[0]};

static void test_is_working_day(void **state)
{
  (void)state;
  static const struct { const char *name; int date; bool working; } CASES[] = {
    {"an ordinary Monday", 20260202, true},
    {"an ordinary Friday", 20260213, true},
    {"an ordinary Sunday", 20260208, false},
    {"Saturday 02-14, 调休上班", 20260214, true},
    {"Sunday 02-15, first day of 春节", 20260215, false},
    {"Monday 02-16, 春节", 20260216, false},
    {"Friday 02-20, 调休放假 (in lieu)", 20260220, false},
    {"Monday 02-23, last day of 春节", 20260223, false},
    {"Tuesday 02-24, back to work", 20260224, true},
    {"Saturday 02-28, 调休上班", 20260228, true},
    {"Sunday 03-01", 20260301, false},
    {"not a date", 20260230, false},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
    if (calendar_is_working_day(&CAL, CASES[i].date) != CASES[i].working) fail_msg("%s", CASES[i].name);
  /* without exceptions only the weekday counts */
  struct calendar none = {NULL, 0};
  assert_false(calendar_is_working_day(&none, 20260214));
  assert_true(calendar_is_working_day(&none, 20260216));
}

static void test_working_days(void **state)
{
  (void)state;
  static const struct { const char *name; int from, to, expect; } CASES[] = {
    {"February 2026: 20 weekdays - 6 holidays + 2 Saturdays", 20260201, 20260228, 16},
    {"1st to 14th (02-14 works)", 20260201, 20260214, 11},
    {"the holiday itself", 20260215, 20260223, 0},
    {"one working Saturday", 20260228, 20260228, 1},
    {"November 2026 (no exception)", 20261101, 20261130, 21},
    {"empty range", 20260210, 20260209, 0},
    {"not a date", 20260200, 20260210, -1},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    int got = calendar_working_days(&CAL, CASES[i].from, CASES[i].to);
    if (got != CASES[i].expect) fail_msg("%s: got %d, expected %d", CASES[i].name, got, CASES[i].expect);
  }
}

static void test_sort_and_names(void **state)
{
  (void)state;
  struct calendar_exception e[] = {{20260228, CALENDAR_WORKDAY}, {20260215, CALENDAR_HOLIDAY},
                                   {20260228, CALENDAR_HOLIDAY}, {20260101, CALENDAR_HOLIDAY}};
  size_t n = calendar_sort(e, 4);
  assert_int_equal(n, 3);
  assert_int_equal(e[0].date, 20260101);
  assert_int_equal(e[2].date, 20260228);
  assert_int_equal(e[2].kind, CALENDAR_HOLIDAY); /* the later entry wins */
  struct calendar c = {e, n};
  assert_int_equal(calendar_kind_of(&c, 20260215), CALENDAR_HOLIDAY);
  assert_int_equal(calendar_kind_of(&c, 20260216), CALENDAR_NORMAL);

  static const struct { const char *in, *out; } NAMES[] = {
    {"Spring Festival,春节,4", "春节"}, {"New Year's Day,元旦,1", "元旦"}, {"Labour Day", "Labour Day"},
    {"Mid-autumn Festival,中秋,1", "中秋"}, {"", NULL},
  };
  for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) {
    char out[32];
    int rc = calendar_name_zh(NAMES[i].in, out, sizeof out);
    if (!NAMES[i].out) assert_int_equal(rc, -1);
    else { assert_int_equal(rc, 0); assert_string_equal(out, NAMES[i].out); }
  }
  enum calendar_kind k;
  assert_int_equal(calendar_kind_parse("holiday", &k), 0);
  assert_int_equal(k, CALENDAR_HOLIDAY);
  assert_int_equal(calendar_kind_parse("workday", &k), 0);
  assert_int_equal(k, CALENDAR_WORKDAY);
  assert_int_equal(calendar_kind_parse("weekend", &k), -1);
  assert_string_equal(calendar_kind_name_zh(CALENDAR_WORKDAY), "调休上班");
  assert_null(calendar_kind_name(CALENDAR_NORMAL));
}

static void test_store_load(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "calendar");
  char err[256];
  json_t *doc = json_pack("{s:{s:s, s:s, s:s}, s:{s:s}, s:{s:s}}",
                          "holidays", "2026-02-15", "Spring Festival,春节,4", "2026-02-16", "Spring Festival,春节,4",
                          "2026-02-20", "Spring Festival,春节,4",
                          "workdays", "2026-02-14", "Spring Festival,春节,4",
                          "inLieuDays", "2026-02-20", "Spring Festival,春节,4");
  struct calendar_load_stats s;
  assert_int_equal(calendar_load_json(db, doc, &s, err, sizeof err), 0);
  assert_int_equal(s.added, 4); /* the in-lieu day repeats a holiday: once */
  assert_int_equal(calendar_load_json(db, doc, &s, err, sizeof err), 0);
  assert_int_equal(s.added, 0);
  assert_int_equal(s.unchanged, 4);
  struct calendar_exception *ex;
  size_t n;
  assert_int_equal(calendar_read(db, 20260201, 20260228, &ex, &n), DB_OK);
  assert_int_equal(n, 4);
  assert_int_equal(ex[0].date, 20260214);
  assert_int_equal(ex[0].kind, CALENDAR_WORKDAY);
  free(ex);
  /* a bad file changes nothing */
  json_t *bad = json_pack("{s:{s:s}, s:{s:s}}", "holidays", "2026-13-01", "X,甲,1", "workdays", "2026-02-21", "Y,乙,1");
  assert_int_equal(calendar_load_json(db, bad, &s, err, sizeof err), -1);
  json_t *clash = json_pack("{s:{s:s}, s:{s:s}}", "holidays", "2026-03-02", "X,甲,1", "workdays", "2026-03-02", "X,甲,1");
  assert_int_equal(calendar_load_json(db, clash, &s, err, sizeof err), -1);
  assert_int_equal(calendar_read(db, 20260101, 20261231, &ex, &n), DB_OK);
  assert_int_equal(n, 4);
  free(ex);
  json_t *year = calendar_year_json(db, 2026);
  assert_non_null(year);
  json_t *feb = json_array_get(json_object_get(year, "months"), 1);
  /* 02-14 works, 02-16 and 02-20 (weekdays) off; the other days of the holiday are not in this file */
  assert_int_equal(json_integer_value(json_object_get(feb, "working_days")), 20 - 2 + 1);
  json_decref(year);
  json_decref(doc);
  json_decref(bad);
  json_decref(clash);
  scratch_db_close(db, path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_is_working_day),
      cmocka_unit_test(test_working_days),
      cmocka_unit_test(test_sort_and_names),
      cmocka_unit_test(test_store_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
