/* Unit tests for core/crosscheck_rules: a rule of the policy file is accepted only when the code
 * names a query for it and the store holds that query's SQL (store/crosscheck_queries) — a row of
 * data never promises a check that does not run — and the rows are checked like any policy
 * parameter (distinct codes, clause length, factor). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/crosscheck_rules.h"
#include "store/crosscheck_queries.h"

static bool check(const char *text, char *why, size_t len)
{
  json_error_t e;
  json_t *v = json_loads(text, 0, &e);
  if (!v) fail_msg("bad JSON in the test: %s", e.text);
  bool ok = crosscheck_rules_check(v, why, len);
  json_decref(v);
  return ok;
}

#define RULE(code, extra) "{\"code\":\"" code "\",\"number\":1,\"name_zh\":\"规则\",\"description_zh\":\"说明\",\"clause\":\"5.6\"" extra "}"

static void test_known_rules(void **state)
{
  (void)state;
  char why[256] = "";
  static const char *const CODES[] = {"dup_id_same_village", "member_two_villages", "monitored_high_income",
                                      "low_income_not_monitored", "no_household_head", "cadre_two_villages"};
  for (size_t i = 0; i < sizeof CODES / sizeof CODES[0]; i++) {
    const struct crosscheck_rule_def *r = crosscheck_rule(CODES[i]);
    assert_non_null(r);
    assert_string_equal(r->code, CODES[i]);
    const struct crosscheck_sql *q = crosscheck_sql(r->query);
    assert_non_null(q);
    assert_non_null(strstr(q->sql, "WHERE"));  /* the store appends the scope with AND */
    if (q->sql_local) assert_non_null(strstr(q->sql_local, "WHERE"));
  }
  /* every named query has its SQL, and no two codes share one */
  for (int k = 0; k < CROSSCHECK_RULE_COUNT; k++) assert_non_null(crosscheck_sql((enum crosscheck_rule)k));
  assert_null(crosscheck_sql(CROSSCHECK_RULE_COUNT));
  for (size_t i = 0; i < sizeof CODES / sizeof CODES[0]; i++)
    for (size_t j = 0; j < i; j++) assert_int_not_equal(crosscheck_rule(CODES[i])->query, crosscheck_rule(CODES[j])->query);
  assert_int_equal(crosscheck_rule("cadre_two_villages")->entity, CROSSCHECK_ASSIGNMENT);
  assert_true(check("[" RULE("dup_id_same_village", "") "," RULE("monitored_high_income", ",\"factor\":2") "]", why, sizeof why));
  assert_true(crosscheck_rule("monitored_high_income")->open_cases_excluded);
  assert_false(crosscheck_rule("no_household_head")->open_cases_excluded);
  assert_null(crosscheck_rule("nope"));
  assert_null(crosscheck_rule(NULL));
}

static void test_refusals(void **state)
{
  (void)state;
  char why[256];
  assert_false(check("[" RULE("rich_households", "") "]", why, sizeof why));
  assert_non_null(strstr(why, "rich_households"));
  assert_non_null(strstr(why, "no query"));
  assert_false(check("[" RULE("no_household_head", "") "," RULE("no_household_head", "") "]", why, sizeof why));
  assert_non_null(strstr(why, "twice"));
  assert_false(check("[{\"code\":\"no_household_head\",\"number\":1,\"name_zh\":\"x\",\"description_zh\":\"y\",\"clause\":\"5.6-5.8-9\"}]", why, sizeof why));
  assert_false(check("[" RULE("monitored_high_income", ",\"factor\":0") "]", why, sizeof why));
  assert_false(check("[{\"code\":\"no_household_head\",\"name_zh\":\"x\",\"description_zh\":\"y\",\"clause\":\"5.8\"}]", why, sizeof why));
  assert_false(check("[]", why, sizeof why));
  assert_false(check("{}", why, sizeof why));
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_known_rules), cmocka_unit_test(test_refusals)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
