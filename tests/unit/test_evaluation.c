/* Unit tests for core/evaluation: the order of the 考核 steps (述职 first; 民主测评 before the
 * township's opinion; every step once, the result changeable until the round is confirmed), the
 * 民主测评 counts typed or read from a sheet, the 优秀 cap and the days owed over part of a year. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/evaluation.h"

static json_t *groups(void)
{
  json_error_t e;
  return json_loads("[{\"code\":\"party_members\",\"name_zh\":\"党员代表\"},{\"code\":\"villagers\",\"name_zh\":\"群众代表\"}]",
                    0, &e);
}

static void test_step_order(void **state)
{
  (void)state;
  struct eval_state s = {0};
  const char *code;
  char msg[160];
  assert_int_equal(eval_step_allowed(&s, EVAL_REPORT, &code, msg, sizeof msg), 0);
  assert_int_equal(eval_step_allowed(&s, EVAL_VOTES, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "report_first");
  assert_int_equal(eval_step_allowed(&s, EVAL_UNIT, &code, msg, sizeof msg), -1);
  assert_string_equal(eval_waiting_step(&s), "report");
  s.report = true;
  assert_int_equal(eval_step_allowed(&s, EVAL_REPORT, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "already_done");
  assert_int_equal(eval_step_allowed(&s, EVAL_TOWNSHIP, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "votes_first");
  assert_int_equal(eval_step_allowed(&s, EVAL_UNIT, &code, msg, sizeof msg), 0);
  assert_int_equal(eval_step_allowed(&s, EVAL_RESULT, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "steps_missing");
  s.votes = s.township = s.unit = true;
  assert_string_equal(eval_waiting_step(&s), "result");
  assert_int_equal(eval_step_allowed(&s, EVAL_RESULT, &code, msg, sizeof msg), 0);
  s.result = true;
  assert_null(eval_waiting_step(&s));
  assert_int_equal(eval_step_allowed(&s, EVAL_RESULT, &code, msg, sizeof msg), 0); /* changed until confirmed */
  s.round_confirmed = true;
  assert_int_equal(eval_step_allowed(&s, EVAL_RESULT, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "round_confirmed");
}

static void test_votes_json(void **state)
{
  (void)state;
  json_t *g = groups();
  json_error_t e;
  struct eval_votes v;
  char msg[160];
  json_t *ok = json_loads("[{\"group\":\"villagers\",\"good\":10,\"fair\":5,\"average\":3,\"poor\":2},"
                          "{\"group\":\"党员代表\",\"good\":8,\"fair\":2,\"average\":0,\"poor\":0}]", 0, &e);
  assert_int_equal(eval_votes_from_json(ok, g, &v, msg, sizeof msg), 0);
  assert_int_equal(v.n, 2);
  assert_string_equal(v.g[1].group, "party_members"); /* by its Chinese name */
  int voters, good, fair, average, poor, permille;
  eval_votes_totals(&v, &voters, &good, &fair, &average, &poor, &permille);
  assert_int_equal(voters, 30);
  assert_int_equal(good, 18);
  assert_int_equal(permille, 833); /* (18 + 7) / 30 */
  json_t *dup = json_loads("[{\"group\":\"villagers\",\"good\":1,\"fair\":0,\"average\":0,\"poor\":0},"
                           "{\"group\":\"群众代表\",\"good\":1,\"fair\":0,\"average\":0,\"poor\":0}]", 0, &e);
  assert_int_equal(eval_votes_from_json(dup, g, &v, msg, sizeof msg), -1);
  assert_non_null(strstr(msg, "重复"));
  json_t *none = json_loads("[{\"group\":\"villagers\",\"good\":0,\"fair\":0,\"average\":0,\"poor\":0}]", 0, &e);
  assert_int_equal(eval_votes_from_json(none, g, &v, msg, sizeof msg), -1);
  json_t *neg = json_loads("[{\"group\":\"villagers\",\"good\":-1,\"fair\":0,\"average\":0,\"poor\":0}]", 0, &e);
  assert_int_equal(eval_votes_from_json(neg, g, &v, msg, sizeof msg), -1);
  json_t *unknown = json_loads("[{\"group\":\"mayors\",\"good\":1,\"fair\":0,\"average\":0,\"poor\":0}]", 0, &e);
  assert_int_equal(eval_votes_from_json(unknown, g, &v, msg, sizeof msg), -1);
  json_decref(ok);
  json_decref(dup);
  json_decref(none);
  json_decref(neg);
  json_decref(unknown);
  json_decref(g);
}

static void test_votes_sheet(void **state)
{
  (void)state;
  json_t *g = groups(), *errors = json_array();
  json_error_t e;
  struct eval_votes v;
  json_t *good = json_loads("[[\"投票人类别\",\"好\",\"较好\",\"一般\",\"差\"],[\"党员代表\",\"9\",\"3\",\"1\",\"0\"],"
                            "[\"\",\"\",\"\",\"\",\"\"],[\" 群众代表 \",\"15\",\"5\",\"2\",\"1\"]]", 0, &e);
  assert_int_equal(eval_votes_from_rows(good, g, &v, errors), 0);
  assert_int_equal(v.n, 2);
  assert_int_equal(v.g[1].poor, 1);
  json_t *bad = json_loads("[[\"投票人类别\",\"好\",\"较好\",\"一般\",\"差\"],[\"党员代表\",\"九\",\"3\",\"1\",\"0\"],"
                           "[\"乡贤\",\"1\",\"0\",\"0\",\"0\"]]", 0, &e);
  assert_int_equal(eval_votes_from_rows(bad, g, &v, errors), -1);
  assert_int_equal(json_array_size(errors), 2);
  json_array_clear(errors);
  json_t *header = json_loads("[[\"类别\",\"好\"],[\"党员代表\",\"1\"]]", 0, &e);
  assert_int_equal(eval_votes_from_rows(header, g, &v, errors), -1);
  assert_int_equal(json_array_size(errors), 3); /* 较好, 一般, 差 missing */
  json_decref(good);
  json_decref(bad);
  json_decref(header);
  json_decref(errors);
  json_decref(g);
}

static void test_cap(void **state)
{
  (void)state;
  assert_int_equal(eval_excellent_cap(263, 20), 52);
  assert_int_equal(eval_excellent_cap(10, 20), 2);
  assert_int_equal(eval_excellent_cap(4, 20), 0); /* floor: 0.8 allows none */
  assert_int_equal(eval_excellent_cap(5, 20), 1);
  assert_int_equal(eval_excellent_cap(0, 20), 0);
  assert_int_equal(eval_excellent_cap(7, 100), 7);
}

static void test_min_days(void **state)
{
  (void)state;
  assert_int_equal(eval_min_days(20250101, 20251231, 20), 240);       /* a whole year */
  assert_int_equal(eval_min_days(20250601, 20251231, 20), 140);       /* June to December */
  assert_int_equal(eval_min_days(20250616, 20250630, 20), 10);        /* half of June */
  assert_int_equal(eval_min_days(20240201, 20240229, 20), 20);        /* a leap February whole */
  assert_int_equal(eval_min_days(20251231, 20250101, 20), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_step_order), cmocka_unit_test(test_votes_json), cmocka_unit_test(test_votes_sheet),
    cmocka_unit_test(test_cap), cmocka_unit_test(test_min_days),
  };
  return cmocka_run_group_tests_name("evaluation", tests, NULL, NULL);
}
