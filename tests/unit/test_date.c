/* Unit tests for core/date: calendar validity, day-count round trips, CST day boundaries,
 * ISO parsing, and the period arithmetic the obligation engine relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "core/date.h"

static void test_leap_years(void **state)
{
  static const struct { int year; bool leap; } cases[] = {
      {1900, false}, {2000, true}, {2024, true}, {2026, false}, {2100, false},
      {2400, true},  {1, false},   {4, true},    {1996, true},  {2023, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(date_is_leap_year(cases[i].year), cases[i].leap);
}

static void test_days_in_month(void **state)
{
  assert_int_equal(date_days_in_month(2026, 1), 31);
  assert_int_equal(date_days_in_month(2026, 2), 28);
  assert_int_equal(date_days_in_month(2024, 2), 29);
  assert_int_equal(date_days_in_month(1900, 2), 28);
  assert_int_equal(date_days_in_month(2000, 2), 29);
  assert_int_equal(date_days_in_month(2026, 4), 30);
  assert_int_equal(date_days_in_month(2026, 12), 31);
  assert_int_equal(date_days_in_month(2026, 0), 0);
  assert_int_equal(date_days_in_month(2026, 13), 0);
  assert_int_equal(date_days_in_month(0, 1), 0);
  assert_int_equal(date_days_in_month(10000, 1), 0);
}

static void test_valid(void **state)
{
  static const struct { int date; bool ok; } cases[] = {
      {20260615, true},  {20240229, true},  {20260229, false}, {19000229, false},
      {20000229, true},  {20261301, false}, {20260001, false}, {20260100, false},
      {20260132, false}, {20260431, false}, {20260430, true},  {10101, true},
      {99991231, true},  {0, false},        {-20260101, false}, {100000101, false},
      {101, false},      {2026061, false},  {20261231, true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (date_valid(cases[i].date) != cases[i].ok) fail_msg("date %d", cases[i].date);
  }
}

static void test_make_and_parts(void **state)
{
  assert_int_equal(date_make(2026, 6, 15), 20260615);
  assert_int_equal(date_make(2026, 2, 29), DATE_NONE);
  assert_int_equal(date_make(2024, 2, 29), 20240229);
  assert_int_equal(date_make(2026, 0, 1), DATE_NONE);
  assert_int_equal(date_make(2026, 1, 0), DATE_NONE);
  assert_int_equal(date_make(-1, 1, 1), DATE_NONE);
  assert_int_equal(date_year(20260615), 2026);
  assert_int_equal(date_month(20260615), 6);
  assert_int_equal(date_day(20260615), 15);
}

static void test_days_conversion(void **state)
{
  static const struct { int date; long days; } cases[] = {
      {19700101, 0},        {19691231, -1},       {20260615, 20619},
      {10101, -719162},     {99991231, 2932896},  {20000301, 11017},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long d = 12345;
    assert_int_equal(date_to_days(cases[i].date, &d), DATE_OK);
    assert_int_equal(d, cases[i].days);
    assert_int_equal(date_from_days(cases[i].days), cases[i].date);
  }
  long d;
  assert_int_equal(date_to_days(20260229, &d), DATE_INVALID);
  assert_int_equal(date_to_days(20260101, NULL), DATE_INVALID);
  assert_int_equal(date_from_days(-719163), DATE_NONE);
  assert_int_equal(date_from_days(2932897), DATE_NONE);
  assert_int_equal(date_from_days(LONG_MAX), DATE_NONE);
}

/* Every day for 1899..2101 survives the round trip and days are consecutive. */
static void test_days_round_trip_exhaustive(void **state)
{
  long prev;
  assert_int_equal(date_to_days(18990101, &prev), DATE_OK);
  prev--;
  for (int y = 1899; y <= 2101; y++) {
    for (int m = 1; m <= 12; m++) {
      for (int dd = 1; dd <= date_days_in_month(y, m); dd++) {
        int date = date_make(y, m, dd);
        long days;
        assert_int_equal(date_to_days(date, &days), DATE_OK);
        assert_int_equal(days, prev + 1);
        assert_int_equal(date_from_days(days), date);
        prev = days;
      }
    }
  }
}

static void test_cst(void **state)
{
  /* 2026-06-14T16:00:00Z is midnight 2026-06-15 in Beijing. */
  assert_int_equal(date_from_unix_cst(1781452800), 20260615);
  assert_int_equal(date_from_unix_cst(1781452799), 20260614);
  assert_int_equal(date_from_unix_cst(0), 19700101);
  assert_int_equal(date_from_unix_cst(-28800), 19700101);
  assert_int_equal(date_from_unix_cst(-28801), 19691231);
  assert_int_equal(date_from_unix_cst(57599), 19700101);
  assert_int_equal(date_from_unix_cst(57600), 19700102);
  /* Far outside 1..9999 gives no date rather than overflowing. */
  assert_int_equal(date_from_unix_cst((time_t)INT64_MAX), DATE_NONE);
  assert_int_equal(date_from_unix_cst((time_t)INT64_MIN), DATE_NONE);
}

static void test_parse_iso(void **state)
{
  static const struct { const char *s; int rc; int date; } cases[] = {
      {"2026-06-15", DATE_OK, 20260615},    {"2024-02-29", DATE_OK, 20240229},
      {"0001-01-01", DATE_OK, 10101},       {"9999-12-31", DATE_OK, 99991231},
      {"2026-02-29", DATE_INVALID, 0},      {"2026-13-01", DATE_INVALID, 0},
      {"2026-00-10", DATE_INVALID, 0},      {"2026-04-31", DATE_INVALID, 0},
      {"0000-01-01", DATE_INVALID, 0},      {"2026-06-15 ", DATE_INVALID, 0},
      {"2026-06-15T00:00", DATE_INVALID, 0},{" 2026-06-15", DATE_INVALID, 0},
      {"2026-6-15", DATE_INVALID, 0},       {"2026/06/15", DATE_INVALID, 0},
      {"20260615", DATE_INVALID, 0},        {"", DATE_INVALID, 0},
      {"+026-06-15", DATE_INVALID, 0},      {"2026-06-1x", DATE_INVALID, 0},
      {"2026--6-15", DATE_INVALID, 0},      {"2026-06-", DATE_INVALID, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int out = -7;
    int rc = date_parse_iso(cases[i].s, &out);
    if (rc != cases[i].rc) fail_msg("\"%s\": rc %d", cases[i].s, rc);
    assert_int_equal(out, rc == DATE_OK ? cases[i].date : -7); /* untouched on failure */
  }
  int out;
  assert_int_equal(date_parse_iso(NULL, &out), DATE_INVALID);
  assert_int_equal(date_parse_iso("2026-06-15", NULL), DATE_INVALID);
}

static void test_format_iso(void **state)
{
  char buf[DATE_ISO_SIZE];
  assert_int_equal(date_format_iso(20260615, buf), DATE_OK);
  assert_string_equal(buf, "2026-06-15");
  assert_int_equal(date_format_iso(10101, buf), DATE_OK);
  assert_string_equal(buf, "0001-01-01");
  assert_int_equal(date_format_iso(99991231, buf), DATE_OK);
  assert_string_equal(buf, "9999-12-31");
  assert_int_equal(date_format_iso(20260229, buf), DATE_INVALID);
  assert_string_equal(buf, "");
  assert_int_equal(date_format_iso(20260615, NULL), DATE_INVALID);

  /* Round trip through text. */
  int back;
  assert_int_equal(date_format_iso(20240229, buf), DATE_OK);
  assert_int_equal(date_parse_iso(buf, &back), DATE_OK);
  assert_int_equal(back, 20240229);
}

static void test_add_days(void **state)
{
  static const struct { int date; long n; int want; } cases[] = {
      {20260615, 0, 20260615},   {20260615, 1, 20260616},   {20261231, 1, 20270101},
      {20270101, -1, 20261231},  {20240228, 1, 20240229},   {20260228, 1, 20260301},
      {20240229, 365, 20250228}, {20260615, -20619, 19700101},
      {99991231, 1, DATE_NONE},  {10101, -1, DATE_NONE},    {20260229, 1, DATE_NONE},
      {20260615, 1L << 40, DATE_NONE}, {20260615, -(1L << 40), DATE_NONE},
      {10101, 2932896L + 719162L, 99991231},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = date_add_days(cases[i].date, cases[i].n);
    if (got != cases[i].want) fail_msg("%d + %ld = %d", cases[i].date, cases[i].n, got);
  }
}

static void test_add_months(void **state)
{
  static const struct { int date; long n; int want; } cases[] = {
      {20260131, 1, 20260228},  {20240131, 1, 20240229},  {20260315, -3, 20251215},
      {20261215, 1, 20270115},  {20260115, -1, 20251215}, {20240229, 12, 20250228},
      {20260615, 0, 20260615},  {20260531, -1, 20260430}, {99991215, 1, DATE_NONE},
      {10115, -1, DATE_NONE},   {20260230, 1, DATE_NONE}, {20260615, 1L << 40, DATE_NONE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = date_add_months(cases[i].date, cases[i].n);
    if (got != cases[i].want) fail_msg("%d + %ld months = %d", cases[i].date, cases[i].n, got);
  }
}

static void test_diff_days(void **state)
{
  long d = 99;
  assert_int_equal(date_diff_days(20260101, 20261231, &d), DATE_OK);
  assert_int_equal(d, 364);
  assert_int_equal(date_diff_days(20240101, 20241231, &d), DATE_OK);
  assert_int_equal(d, 365);
  assert_int_equal(date_diff_days(20261231, 20260101, &d), DATE_OK);
  assert_int_equal(d, -364);
  assert_int_equal(date_diff_days(20260615, 20260615, &d), DATE_OK);
  assert_int_equal(d, 0);
  assert_int_equal(date_diff_days(10101, 99991231, &d), DATE_OK);
  assert_int_equal(d, 2932896L + 719162L);
  assert_int_equal(date_diff_days(20260229, 20260301, &d), DATE_INVALID);
  assert_int_equal(date_diff_days(20260301, 20260229, &d), DATE_INVALID);
  assert_int_equal(date_diff_days(20260301, 20260302, NULL), DATE_INVALID);
}

static void test_weekday(void **state)
{
  static const struct { int date; int wd; } cases[] = {
      {19700101, 4}, {20260615, 1}, {20260621, 7}, {20270101, 5}, {20240229, 4},
      {10101, 1},    {99991231, 5}, {19691231, 3}, {20260229, 0}, {0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(date_weekday(cases[i].date), cases[i].wd);
}

static void test_period_names(void **state)
{
  static const struct { const char *name; enum period p; const char *zh; } cases[] = {
      {"week", PERIOD_WEEK, "周"},           {"month", PERIOD_MONTH, "月"},
      {"quarter", PERIOD_QUARTER, "季度"},   {"half_year", PERIOD_HALF_YEAR, "半年"},
      {"year", PERIOD_YEAR, "年"},           {"two_years", PERIOD_TWO_YEARS, "两年"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    enum period p = (enum period)-1;
    assert_int_equal(date_period_parse(cases[i].name, &p), DATE_OK);
    assert_int_equal(p, cases[i].p);
    assert_string_equal(date_period_name(p), cases[i].name);
    assert_string_equal(date_period_name_zh(p), cases[i].zh);
  }
  static const char *bad[] = {"", "Week", "weekly", "half-year", "two_year", " year", "year "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    enum period p = PERIOD_MONTH;
    assert_int_equal(date_period_parse(bad[i], &p), DATE_INVALID);
    assert_int_equal(p, PERIOD_MONTH);
  }
  enum period p;
  assert_int_equal(date_period_parse(NULL, &p), DATE_INVALID);
  assert_int_equal(date_period_parse("week", NULL), DATE_INVALID);
  assert_null(date_period_name((enum period)99));
  assert_null(date_period_name_zh((enum period)-1));
}

struct bounds_case { enum period p; int date; int anchor; int first; int last; };

static void check_bounds(const struct bounds_case *c, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    int f = -1, l = -1;
    int rc = date_period_bounds_anchored(c[i].p, c[i].date, c[i].anchor, &f, &l);
    if (rc != DATE_OK || f != c[i].first || l != c[i].last)
      fail_msg("period %d date %d anchor %d: rc %d [%d, %d], want [%d, %d]", c[i].p,
               c[i].date, c[i].anchor, rc, f, l, c[i].first, c[i].last);
  }
}

static void test_period_bounds(void **state)
{
  static const struct bounds_case cases[] = {
      /* ISO weeks, including those that straddle a year end. */
      {PERIOD_WEEK, 20260615, 0, 20260615, 20260621},
      {PERIOD_WEEK, 20260621, 0, 20260615, 20260621},
      {PERIOD_WEEK, 20260618, 0, 20260615, 20260621},
      {PERIOD_WEEK, 20270101, 0, 20261228, 20270103},
      {PERIOD_WEEK, 20261231, 0, 20261228, 20270103},
      {PERIOD_WEEK, 20210103, 0, 20201228, 20210103},
      {PERIOD_WEEK, 20240229, 0, 20240226, 20240303},
      {PERIOD_WEEK, 10101, 0, 10101, 10107},
      {PERIOD_MONTH, 20240215, 0, 20240201, 20240229},
      {PERIOD_MONTH, 20260201, 0, 20260201, 20260228},
      {PERIOD_MONTH, 20261231, 0, 20261201, 20261231},
      {PERIOD_QUARTER, 20260101, 0, 20260101, 20260331},
      {PERIOD_QUARTER, 20260331, 0, 20260101, 20260331},
      {PERIOD_QUARTER, 20260401, 0, 20260401, 20260630},
      {PERIOD_QUARTER, 20260815, 0, 20260701, 20260930},
      {PERIOD_QUARTER, 20261231, 0, 20261001, 20261231},
      {PERIOD_HALF_YEAR, 20260630, 0, 20260101, 20260630},
      {PERIOD_HALF_YEAR, 20260701, 0, 20260701, 20261231},
      {PERIOD_YEAR, 20260615, 0, 20260101, 20261231},
      {PERIOD_YEAR, 99991231, 0, 99990101, 99991231},
      {PERIOD_TWO_YEARS, 20260615, 0, 20260101, 20271231},
      {PERIOD_TWO_YEARS, 20271231, 0, 20260101, 20271231},
      {PERIOD_TWO_YEARS, 20280101, 0, 20280101, 20291231},
      {PERIOD_TWO_YEARS, 20250101, 0, 20240101, 20251231},
      /* Anchored two-year terms: a rotation that began in 2025. */
      {PERIOD_TWO_YEARS, 20250101, 2025, 20250101, 20261231},
      {PERIOD_TWO_YEARS, 20261231, 2025, 20250101, 20261231},
      {PERIOD_TWO_YEARS, 20270101, 2025, 20270101, 20281231},
      {PERIOD_TWO_YEARS, 20240615, 2025, 20230101, 20241231},
      {PERIOD_TWO_YEARS, 20260615, 2024, 20260101, 20271231},
      {PERIOD_TWO_YEARS, 20260615, 1, 20250101, 20261231},
      /* The anchor does not move other periods. */
      {PERIOD_YEAR, 20260615, 2025, 20260101, 20261231},
      {PERIOD_QUARTER, 20260515, 2025, 20260401, 20260630},
      {PERIOD_WEEK, 20260615, 2025, 20260615, 20260621},
  };
  check_bounds(cases, sizeof cases / sizeof cases[0]);

  int f, l;
  assert_int_equal(date_period_bounds(PERIOD_QUARTER, 20260515, &f, &l), DATE_OK);
  assert_int_equal(f, 20260401);
  assert_int_equal(l, 20260630);
}

static void test_period_bounds_errors(void **state)
{
  int f = 5, l = 6;
  assert_int_equal(date_period_bounds(PERIOD_MONTH, 20260229, &f, &l), DATE_INVALID);
  assert_int_equal(date_period_bounds((enum period)42, 20260615, &f, &l), DATE_INVALID);
  assert_int_equal(date_period_bounds(PERIOD_MONTH, 20260615, NULL, &l), DATE_INVALID);
  assert_int_equal(date_period_bounds(PERIOD_MONTH, 20260615, &f, NULL), DATE_INVALID);
  assert_int_equal(date_period_bounds_anchored(PERIOD_TWO_YEARS, 20260615, -2, &f, &l),
                   DATE_INVALID);
  assert_int_equal(date_period_bounds_anchored(PERIOD_TWO_YEARS, 20260615, 10000, &f, &l),
                   DATE_INVALID);
  assert_int_equal(f, 5);
  assert_int_equal(l, 6);
  /* The last week of 9999 ends in 10000; year 1 is odd so its even-aligned term starts in 0. */
  assert_int_equal(date_period_bounds(PERIOD_WEEK, 99991231, &f, &l), DATE_OUT_OF_RANGE);
  assert_int_equal(date_period_bounds(PERIOD_TWO_YEARS, 10101, &f, &l), DATE_OUT_OF_RANGE);
  /* 9999 is odd: its even-aligned term is 9998-9999, while one anchored on odd years overflows. */
  assert_int_equal(date_period_bounds(PERIOD_TWO_YEARS, 99990101, &f, &l), DATE_OK);
  assert_int_equal(f, 99980101);
  assert_int_equal(date_period_bounds_anchored(PERIOD_TWO_YEARS, 99990101, 1, &f, &l),
                   DATE_OUT_OF_RANGE);
  assert_int_equal(date_period_bounds_anchored(PERIOD_TWO_YEARS, 99990101, 2, &f, &l), DATE_OK);
  assert_int_equal(f, 99980101);
  assert_int_equal(l, 99991231);
  assert_int_equal(date_period_bounds_anchored(PERIOD_TWO_YEARS, 10101, 1, &f, &l), DATE_OK);
  assert_int_equal(f, 10101);
  assert_int_equal(l, 21231);
}

static void test_period_next(void **state)
{
  static const struct { enum period p; int date; int anchor; int first; int last; } cases[] = {
      {PERIOD_WEEK, 20261231, 0, 20270104, 20270110},
      {PERIOD_WEEK, 20260615, 0, 20260622, 20260628},
      {PERIOD_MONTH, 20240115, 0, 20240201, 20240229},
      {PERIOD_MONTH, 20261215, 0, 20270101, 20270131},
      {PERIOD_QUARTER, 20261115, 0, 20270101, 20270331},
      {PERIOD_HALF_YEAR, 20260301, 0, 20260701, 20261231},
      {PERIOD_YEAR, 20260615, 0, 20270101, 20271231},
      {PERIOD_TWO_YEARS, 20260615, 0, 20280101, 20291231},
      {PERIOD_TWO_YEARS, 20260615, 2025, 20270101, 20281231},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int f = -1, l = -1;
    assert_int_equal(date_period_next(cases[i].p, cases[i].date, cases[i].anchor, &f, &l),
                     DATE_OK);
    assert_int_equal(f, cases[i].first);
    assert_int_equal(l, cases[i].last);
  }
  int f, l;
  assert_int_equal(date_period_next(PERIOD_YEAR, 99990615, 0, &f, &l), DATE_OUT_OF_RANGE);
  assert_int_equal(date_period_next(PERIOD_YEAR, 20260230, 0, &f, &l), DATE_INVALID);
  assert_int_equal(date_period_next(PERIOD_YEAR, 20260615, 0, NULL, &l), DATE_INVALID);
}

/* Periods tile the calendar: walking "next" from any start never skips or overlaps a day. */
static void test_periods_tile(void **state)
{
  for (int p = PERIOD_WEEK; p <= PERIOD_TWO_YEARS; p++) {
    int f, l;
    assert_int_equal(date_period_bounds((enum period)p, 19991115, &f, &l), DATE_OK);
    for (int i = 0; i < 200; i++) {
      int nf, nl;
      assert_int_equal(date_period_next((enum period)p, l, 0, &nf, &nl), DATE_OK);
      assert_int_equal(nf, date_add_days(l, 1));
      assert_true(nl > nf);
      /* Every day of the period maps back to the same bounds. */
      int bf, bl;
      assert_int_equal(date_period_bounds((enum period)p, nl, &bf, &bl), DATE_OK);
      assert_int_equal(bf, nf);
      assert_int_equal(bl, nl);
      f = nf;
      l = nl;
    }
    (void)f;
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_leap_years),
      cmocka_unit_test(test_days_in_month),
      cmocka_unit_test(test_valid),
      cmocka_unit_test(test_make_and_parts),
      cmocka_unit_test(test_days_conversion),
      cmocka_unit_test(test_days_round_trip_exhaustive),
      cmocka_unit_test(test_cst),
      cmocka_unit_test(test_parse_iso),
      cmocka_unit_test(test_format_iso),
      cmocka_unit_test(test_add_days),
      cmocka_unit_test(test_add_months),
      cmocka_unit_test(test_diff_days),
      cmocka_unit_test(test_weekday),
      cmocka_unit_test(test_period_names),
      cmocka_unit_test(test_period_bounds),
      cmocka_unit_test(test_period_bounds_errors),
      cmocka_unit_test(test_period_next),
      cmocka_unit_test(test_periods_tile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
