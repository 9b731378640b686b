/* Unit tests for core/unit_score: the attendance component of a unit's 考评计分 (2.6) is weight ×
 * attendance rate, with the weight of the evaluating county (or city) taken from the policy data,
 * "default" for the others; a weights object without "default" or with a bad member is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/unit_score.h"
#include "data/policy_fixture.h"

/* A county that sets its own weight gets it; every other unit gets the default. */
static void test_weight_by_county(void **state)
{
  json_error_t e;
  json_t *w = json_loads("{\"default\": 40, \"360781\": 30, \"3607\": 50}", 0, &e);
  assert_non_null(w);
  char why[128];
  assert_true(unit_score_weights_check(w, why, sizeof why));
  assert_int_equal(unit_score_weight(w, "360781"), 30); /* 瑞金市 sets its own */
  assert_int_equal(unit_score_weight(w, "3607"), 50);   /* the city, for its own units */
  assert_int_equal(unit_score_weight(w, "360702"), 40); /* a county that did not: the default */
  assert_int_equal(unit_score_weight(w, NULL), 40);
  json_decref(w);
}

/* The component: weight × present ÷ due, in tenths, rounded; nothing due → 0. */
static void test_component(void **state)
{
  assert_int_equal(unit_score_attendance_tenths(40, 20, 20), 400);
  assert_int_equal(unit_score_attendance_tenths(40, 15, 20), 300);
  assert_int_equal(unit_score_attendance_tenths(30, 15, 20), 225);
  assert_int_equal(unit_score_attendance_tenths(40, 1, 3), 133);
  assert_int_equal(unit_score_attendance_tenths(40, 0, 20), 0);
  assert_int_equal(unit_score_attendance_tenths(40, 0, 0), 0);
}

static void test_refused(void **state)
{
  static const char *const bad[] = {"40", "{\"360781\": 30}", "{\"default\": \"40\"}", "{\"default\": 40, \"360781\": -1}",
                                    "{\"default\": 40, \"360781\": 1001}"};
  char why[128];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_error_t e;
    json_t *w = json_loads(bad[i], JSON_DECODE_ANY, &e);
    assert_non_null(w);
    if (unit_score_weights_check(w, why, sizeof why)) fail_msg("%s accepted", bad[i]);
    json_decref(w);
  }
}

/* The shipped policy: the weights are there, with a default, and the policy refuses a number. */
static void test_shipped_policy(void **state)
{
  char err[256] = "";
  struct policy *p = fixture_ganzhou(err, sizeof err);
  if (!p) fail_msg("refused: %s", err);
  const struct policy_param *pp = policy_param(p, "unit_score_attendance_weight", 20260610);
  assert_non_null(pp);
  assert_string_equal(pp->clause, "2.6");
  assert_true(pp->local);
  assert_true(unit_score_weight(pp->value, "360781") > 0);
  policy_free(p);
  json_t *root = fixture_minimal_root();
  fixture_add(root, "{\"id\":\"unit_score_attendance_weight\",\"clause\":\"2.6\",\"from\":\"2023-01-01\","
                    "\"strictness\":\"strict\",\"local\":true,\"source\":\"本地计分规则\",\"value\":40}");
  assert_null(fixture_policy(root, err, sizeof err));
  assert_non_null(strstr(err, "(unit_score_attendance_weight): \"value\" must be an object"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_weight_by_county),
      cmocka_unit_test(test_component),
      cmocka_unit_test(test_refused),
      cmocka_unit_test(test_shipped_policy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
