/* Tests of core/checkin_rules: the times a check-in may carry (2.1), the fence, and the patterns
 * flagged for the township's review (3.6). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/checkin_rules.h"

static const struct checkin_limits LIMITS = {600, 72 * 3600, 150.0, 5};
#define NOW 1795000000LL

static void test_times(void **state)
{
  (void)state;
  static const struct {
    const char *name;
    int64_t at, sent_at;
    enum checkin_time_result expect;
    bool delayed;
  } CASES[] = {
    {"now", NOW, NOW, CHECKIN_TIME_OK, false},
    {"sent a minute later: not delayed", NOW - 60, NOW, CHECKIN_TIME_OK, false},
    {"kept two hours offline: delayed", NOW - 7200, NOW, CHECKIN_TIME_OK, true},
    {"kept exactly the maximum", NOW - 72 * 3600, NOW, CHECKIN_TIME_OK, true},
    {"one second past the maximum", NOW - 72 * 3600 - 1, NOW, CHECKIN_TIME_TOO_LATE, false},
    {"phone clock 10 minutes fast: tolerated", NOW + 600, NOW + 600, CHECKIN_TIME_OK, false},
    {"phone clock 11 minutes fast", NOW + 660, NOW + 660, CHECKIN_TIME_CLOCK_SKEW, false},
    {"phone clock 11 minutes slow", NOW - 660, NOW - 660, CHECKIN_TIME_CLOCK_SKEW, false},
    {"happened in the future", NOW + 3600, NOW, CHECKIN_TIME_IN_FUTURE, false},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    bool delayed = !CASES[i].delayed;
    enum checkin_time_result r = checkin_judge_time(CASES[i].at, CASES[i].sent_at, NOW, &LIMITS, &delayed);
    if (r != CASES[i].expect || (r == CHECKIN_TIME_OK && delayed != CASES[i].delayed))
      fail_msg("%s: got %s delayed=%d", CASES[i].name, checkin_time_code(r), delayed);
  }
}

static void test_fence(void **state)
{
  (void)state;
  double d;
  /* 0.009 degrees of latitude is about 1,000 m */
  assert_true(checkin_in_fence(25.809, 116.0, 25.8, 116.0, 1500, &d));
  assert_true(d > 990 && d < 1010);
  assert_false(checkin_in_fence(25.9, 116.0, 25.8, 116.0, 1500, &d));
  assert_true(d > 11000);
  char msg[160];
  checkin_message_zh(true, 320, "沙洲坝村", msg, sizeof msg);
  assert_string_equal(msg, "已在沙洲坝村范围内（距村部 320 米）");
  checkin_message_zh(false, 5200, "沙洲坝村", msg, sizeof msg);
  assert_string_equal(msg, "不在沙洲坝村范围内（距村部 5.2 公里）");
}

static void test_flags(void **state)
{
  (void)state;
  struct checkin_previous none = {0};
  char text[64];
  assert_int_equal(checkin_flags(&none, NOW, 25.8, 116.0, 20, 1500, &LIMITS), 0);
  assert_int_equal(checkin_flags(&none, NOW, 25.8, 116.0, 2000, 1500, &LIMITS), CHECKIN_FLAG_POOR_ACCURACY);
  /* 110 km in half an hour: 220 km/h */
  struct checkin_previous far = {true, NOW - 1800, 24.8, 116.0, 0};
  assert_int_equal(checkin_flags(&far, NOW, 25.8, 116.0, 20, 1500, &LIMITS), CHECKIN_FLAG_SPEED);
  /* the same 110 km in an hour: 110 km/h, plausible by car */
  struct checkin_previous drove = {true, NOW - 3600, 24.8, 116.0, 0};
  assert_int_equal(checkin_flags(&drove, NOW, 25.8, 116.0, 20, 1500, &LIMITS), 0);
  /* GPS jitter seconds apart is not a jump */
  struct checkin_previous jitter = {true, NOW - 5, 25.8001, 116.0, 0};
  assert_int_equal(checkin_flags(&jitter, NOW, 25.8, 116.0, 20, 1500, &LIMITS), 0);
  struct checkin_previous same = {true, NOW - 86400, 25.8, 116.0, 5};
  assert_int_equal(checkin_flags(&same, NOW, 25.8, 116.0, 20, 1500, &LIMITS), CHECKIN_FLAG_SAME_COORDS);
  struct checkin_previous four = {true, NOW - 86400, 25.8, 116.0, 4};
  assert_int_equal(checkin_flags(&four, NOW, 25.8, 116.0, 20, 1500, &LIMITS), 0);
  checkin_flags_text(CHECKIN_FLAG_SPEED | CHECKIN_FLAG_POOR_ACCURACY, text, sizeof text);
  assert_string_equal(text, "speed,poor_accuracy");
  checkin_flags_text(CHECKIN_FLAG_SAME_COORDS, text, sizeof text);
  assert_string_equal(text, "same_coords");
  checkin_flags_text(0, text, sizeof text);
  assert_string_equal(text, "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_times),
    cmocka_unit_test(test_fence),
    cmocka_unit_test(test_flags),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
