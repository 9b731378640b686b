/* Unit tests for core/clock: the instant parser behind --now, ZHUCUN_NOW and every check-in's
 * "at", its CST formatting, and the fixed clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"

static void test_parse_instant(void **state)
{
  int64_t t;
  /* 2027-01-01 09:00 in Beijing is 01:00 UTC */
  assert_int_equal(clock_parse_instant("2027-01-01T09:00:00+08:00", &t), 0);
  assert_int_equal(t, 1798765200);
  assert_int_equal(clock_parse_instant("2027-01-01T01:00:00Z", &t), 0);
  assert_int_equal(t, 1798765200);
  assert_int_equal(clock_parse_instant("2026-12-31T20:00:00-05:00", &t), 0);
  assert_int_equal(t, 1798765200);
  assert_int_equal(clock_parse_instant("2027-01-01T09:00:00.123+08:00", &t), 0);
  assert_int_equal(t, 1798765200);
  /* the leap day exists in 2028, not in 2027 */
  assert_int_equal(clock_parse_instant("2028-02-29T12:00:00+08:00", &t), 0);
  assert_int_equal(clock_parse_instant("2027-02-29T12:00:00+08:00", &t), -1);
}

static void test_parse_instant_refuses(void **state)
{
  static const char *const BAD[] = {
      "", "2027-01-01", "2027-01-01T09:00:00", "2027-01-01 09:00:00+08:00", "2027-1-01T09:00:00+08:00",
      "2027-01-01T24:00:00+08:00", "2027-01-01T09:60:00+08:00", "2027-01-01T09:00:60+08:00",
      "2027-01-01T09:00:00+0800", "2027-01-01T09:00:00+15:00", "2027-01-01T09:00:00+08:00x",
      "2027-01-01T09:00:00.+08:00", "2027-01-01T09:00:00ZZ", "1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z",
      "+027-01-01T09:00:00+08:00", "2027-01-01T09:00:00+08:60",
  };
  int64_t t = 42;
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    assert_int_equal(clock_parse_instant(BAD[i], &t), -1);
    assert_int_equal(t, 42); /* untouched */
  }
  assert_int_equal(clock_parse_instant(NULL, &t), -1);
}

static void test_format_cst(void **state)
{
  char out[CLOCK_ISO_SIZE];
  clock_format_cst(1798765200, out);
  assert_string_equal(out, "2027-01-01T09:00:00+08:00");
  /* 12-31 15:30 UTC is already 23:30 on 12-31 in Beijing; 16:00 UTC is the next day */
  int64_t t;
  assert_int_equal(clock_parse_instant("2026-12-31T15:30:00Z", &t), 0);
  clock_format_cst(t, out);
  assert_string_equal(out, "2026-12-31T23:30:00+08:00");
  assert_int_equal(clock_parse_instant("2026-12-31T16:00:00Z", &t), 0);
  clock_format_cst(t, out);
  assert_string_equal(out, "2027-01-01T00:00:00+08:00");
  /* round trip over a spread of instants */
  for (int64_t s = CLOCK_MIN_INSTANT; s < CLOCK_MAX_INSTANT; s += 86400 * 37 + 3607) {
    clock_format_cst(s, out);
    assert_int_equal(clock_parse_instant(out, &t), 0);
    assert_int_equal(t, s);
  }
}

static void test_fixed_clock(void **state)
{
  assert_int_equal(clock_fix(CLOCK_MIN_INSTANT - 1), -1);
  assert_false(clock_is_fixed());
  unsetenv("ZHUCUN_NOW");
  assert_int_equal(clock_fix_from(NULL), 0); /* neither given: the real clock */
  assert_false(clock_is_fixed());
  assert_int_equal(clock_fix_from("2027-03-31T23:59:00"), -1); /* no offset */
  assert_false(clock_is_fixed());
  setenv("ZHUCUN_NOW", "2027-03-31T23:59:00+08:00", 1);
  assert_int_equal(clock_fix_from(NULL), 0);
  assert_true(clock_is_fixed());
  assert_int_equal(clock_today(), 20270331);
  int64_t a = clock_now();
  assert_int_equal(clock_now(), a); /* fixed: it does not move */
  assert_int_equal(clock_fix_from("2027-04-01T00:00:00+08:00"), 0); /* the option wins over the variable */
  assert_int_equal(clock_today(), 20270401);
  assert_int_equal(clock_now(), a + 60);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_instant),
      cmocka_unit_test(test_parse_instant_refuses),
      cmocka_unit_test(test_format_cst),
      cmocka_unit_test(test_fixed_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
