/* Unit tests for core/allowance: the monthly living allowance and transport subsidy of a post (3.4b).
 * living = min(cap, daily × days in the village + floor(daily × leave days × paid percent / 100));
 * transport = the monthly amount when the month's minimum is met, else nothing; the rules of the
 * shipped policy are local (the notice names the allowances, not the amounts) and a malformed
 * formula is refused when the policy loads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/allowance.h"
#include "data/policy_fixture.h"

static const struct allowance_rules RULES = {8000, 0, 220000, 30000};

static struct allowance_amounts compute(const struct allowance_rules *r, int days, int leave, bool meets)
{
  struct allowance_input in = {days, leave, meets};
  struct allowance_amounts a;
  assert_int_equal(allowance_compute(r, &in, &a), 0);
  return a;
}

/* The daily rate for each day in the village; leave unpaid at 0 %. */
static void test_daily_rate(void **state)
{
  struct allowance_amounts a = compute(&RULES, 22, 0, true);
  assert_int_equal(a.living_fen, 22 * 8000);
  assert_int_equal(a.transport_fen, 30000);
  assert_false(a.capped);
  a = compute(&RULES, 10, 5, false);
  assert_int_equal(a.living_fen, 10 * 8000); /* leave days not paid */
  assert_int_equal(a.transport_fen, 0);      /* too few days: no transport subsidy */
  a = compute(&RULES, 0, 0, false);
  assert_int_equal(a.living_fen, 0);
}

/* Leave paid at a share of the daily rate, rounded down to the fen. */
static void test_leave_share(void **state)
{
  struct allowance_rules r = RULES;
  r.leave_paid_percent = 50;
  assert_int_equal(compute(&r, 10, 5, false).living_fen, 10 * 8000 + 5 * 4000);
  r.living_daily_fen = 3333;
  r.leave_paid_percent = 33;
  /* 3333 × 3 × 33 / 100 = 3299.67 → 3299 */
  assert_int_equal(compute(&r, 1, 3, false).living_fen, 3333 + 3299);
}

/* The monthly cap cuts the living allowance, never the transport subsidy. */
static void test_cap(void **state)
{
  struct allowance_amounts a = compute(&RULES, 31, 0, true);
  assert_int_equal(a.living_fen, 220000);
  assert_true(a.capped);
  assert_int_equal(a.transport_fen, 30000);
  a = compute(&RULES, 27, 0, true); /* 216,000 fen: under the cap */
  assert_int_equal(a.living_fen, 216000);
  assert_false(a.capped);
}

static void test_refused_input(void **state)
{
  struct allowance_input in = {-1, 0, true};
  struct allowance_amounts a;
  assert_int_equal(allowance_compute(&RULES, &in, &a), -1);
  in = (struct allowance_input){3, -2, true};
  assert_int_equal(allowance_compute(&RULES, &in, &a), -1);
}

static void test_yuan(void **state)
{
  char s[32];
  allowance_yuan(12345, s, sizeof s);
  assert_string_equal(s, "123.45");
  allowance_yuan(5, s, sizeof s);
  assert_string_equal(s, "0.05");
  allowance_yuan(220000, s, sizeof s);
  assert_string_equal(s, "2200.00");
  allowance_yuan(0, s, sizeof s);
  assert_string_equal(s, "0.00");
}

static void test_rules_json(void **state)
{
  static const char *const bad[] = {"8000", "{}", "{\"living_daily_fen\": 8000, \"leave_paid_percent\": 0,"
                                    " \"living_monthly_cap_fen\": 220000}",
                                    "{\"living_daily_fen\": 8000, \"leave_paid_percent\": 101,"
                                    " \"living_monthly_cap_fen\": 220000, \"transport_monthly_fen\": 30000}",
                                    "{\"living_daily_fen\": -1, \"leave_paid_percent\": 0,"
                                    " \"living_monthly_cap_fen\": 220000, \"transport_monthly_fen\": 30000}",
                                    "{\"living_daily_fen\": 80.5, \"leave_paid_percent\": 0,"
                                    " \"living_monthly_cap_fen\": 220000, \"transport_monthly_fen\": 30000}"};
  char why[160];
  struct allowance_rules r;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_error_t e;
    json_t *v = json_loads(bad[i], JSON_DECODE_ANY, &e);
    assert_non_null(v);
    if (allowance_rules_from_json(v, &r, why, sizeof why) == 0) fail_msg("%s accepted", bad[i]);
    json_decref(v);
  }
  json_t *good = allowance_rules_json(&RULES);
  assert_int_equal(allowance_rules_from_json(good, &r, why, sizeof why), 0);
  assert_memory_equal(&r, &RULES, sizeof r);
  json_decref(good);
}

/* The shipped policy: a local rule of 3.4b with a source; a malformed formula is refused at load. */
static void test_shipped_policy(void **state)
{
  char err[256] = "";
  struct policy *p = fixture_ganzhou(err, sizeof err);
  if (!p) fail_msg("refused: %s", err);
  const struct policy_param *pp = policy_param(p, "allowance_rules", 20260501);
  assert_non_null(pp);
  assert_string_equal(pp->clause, "3.4b");
  assert_true(pp->local);
  assert_non_null(pp->source);
  struct allowance_rules r;
  char why[160];
  assert_int_equal(allowance_rules_from_json(pp->value, &r, why, sizeof why), 0);
  assert_true(r.living_daily_fen > 0 && r.transport_monthly_fen > 0 && r.living_monthly_cap_fen >= r.living_daily_fen);
  policy_free(p);
  json_t *root = fixture_minimal_root();
  fixture_add(root, "{\"id\":\"allowance_rules\",\"clause\":\"3.4b\",\"from\":\"2023-01-01\",\"strictness\":\"strict\","
                    "\"local\":true,\"source\":\"本地参数\",\"value\":{\"living_daily_fen\":8000}}");
  assert_null(fixture_policy(root, err, sizeof err));
  assert_non_null(strstr(err, "(allowance_rules)"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_daily_rate),   cmocka_unit_test(test_leave_share), cmocka_unit_test(test_cap),
      cmocka_unit_test(test_refused_input), cmocka_unit_test(test_yuan),       cmocka_unit_test(test_rules_json),
      cmocka_unit_test(test_shipped_policy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
