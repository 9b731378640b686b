/* Unit tests for core/upward_period (上报材料, issue 12 part 3): the periods' bounds, the last ended
 * period of each kind, their Chinese names, and the days each report is due (upward_report_due). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/upward_period.h"

static const struct upward_due DUE = {5, 7, 10, 1, 15};

static void test_parse(void **state)
{
  (void)state;
  int a, b;
  assert_int_equal(upward_period_parse(UPWARD_MONTHLY, "2024-02", &a, &b), 0);
  assert_int_equal(a, 20240201);
  assert_int_equal(b, 20240229); /* a leap year's February */
  assert_int_equal(upward_period_parse(UPWARD_HALF_YEAR, "2026-H1", &a, &b), 0);
  assert_int_equal(a, 20260101);
  assert_int_equal(b, 20260630);
  assert_int_equal(upward_period_parse(UPWARD_ANNUAL, "2025", &a, &b), 0);
  assert_int_equal(b, 20251231);
  const char *bad_month[] = {"2026-13", "2026-00", "2026-5", "2026/05", "26-05", "2026-H1", "", "1999-12"};
  for (size_t i = 0; i < sizeof bad_month / sizeof bad_month[0]; i++)
    assert_int_equal(upward_period_parse(UPWARD_MONTHLY, bad_month[i], &a, &b), -1);
  assert_int_equal(upward_period_parse(UPWARD_HALF_YEAR, "2026-H2", &a, &b), -1);
  assert_int_equal(upward_period_parse(UPWARD_HALF_YEAR, "2026-05", &a, &b), -1);
  assert_int_equal(upward_period_parse(UPWARD_ANNUAL, "2026-01", &a, &b), -1);
  assert_int_equal(upward_period_parse(UPWARD_ANNUAL, NULL, &a, &b), -1);
}

static void test_last(void **state)
{
  (void)state;
  char p[12];
  upward_period_last(UPWARD_MONTHLY, 20260610, p, sizeof p);
  assert_string_equal(p, "2026-05");
  upward_period_last(UPWARD_MONTHLY, 20260101, p, sizeof p);
  assert_string_equal(p, "2025-12");
  upward_period_last(UPWARD_HALF_YEAR, 20260630, p, sizeof p);
  assert_string_equal(p, "2025-H1"); /* 30 June: this half-year has not ended */
  upward_period_last(UPWARD_HALF_YEAR, 20260701, p, sizeof p);
  assert_string_equal(p, "2026-H1");
  upward_period_last(UPWARD_ANNUAL, 20260610, p, sizeof p);
  assert_string_equal(p, "2025");
}

static void test_due_and_names(void **state)
{
  (void)state;
  assert_int_equal(upward_period_due(UPWARD_MONTHLY, 20260531, &DUE), 20260605);
  assert_int_equal(upward_period_due(UPWARD_MONTHLY, 20251231, &DUE), 20260105); /* across the year */
  assert_int_equal(upward_period_due(UPWARD_HALF_YEAR, 20260630, &DUE), 20260710);
  assert_int_equal(upward_period_due(UPWARD_ANNUAL, 20251231, &DUE), 20260115);
  const struct upward_due late = {31, 6, 31, 2, 30};
  assert_int_equal(upward_period_due(UPWARD_MONTHLY, 20260131, &late), 20260228); /* clipped to February */
  assert_int_equal(upward_period_due(UPWARD_HALF_YEAR, 20260630, &late), 20260630);
  char zh[32];
  upward_period_zh(UPWARD_MONTHLY, 20260501, zh, sizeof zh);
  assert_string_equal(zh, "2026年5月");
  upward_period_zh(UPWARD_HALF_YEAR, 20260101, zh, sizeof zh);
  assert_string_equal(zh, "2026年上半年");
  upward_period_zh(UPWARD_ANNUAL, 20250101, zh, sizeof zh);
  assert_string_equal(zh, "2025年");
  enum upward_kind k;
  assert_int_equal(upward_kind_parse("half_year", &k), 0);
  assert_int_equal(k, UPWARD_HALF_YEAR);
  assert_string_equal(upward_kind_zh(k), "半年报");
  assert_int_equal(upward_kind_parse("weekly", &k), -1);
  assert_int_equal(upward_kind_parse(NULL, &k), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_parse),
    cmocka_unit_test(test_last),
    cmocka_unit_test(test_due_and_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
