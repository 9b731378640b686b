/* Unit tests for core/case_flow (5.7): the order of the procedure and the skipped step it names,
 * dismissal at each check, reversal of a closure, the notice's minimum days, the time limit and
 * stalling, and each closure criterion failing on its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/case_flow.h"
#include "core/date.h"

static void test_full_path(void **state)
{
  enum case_state s = CASE_FOUND, to;
  const enum case_action path[] = {CASE_REVIEW, CASE_NOTICE, CASE_OBJECTION, CASE_CHECK, CASE_DECIDE,
                                   CASE_MEASURE, CASE_CLOSE_VERIFY, CASE_CLOSE_REVIEW, CASE_CLOSE_NOTICE, CASE_CLOSE,
                                   CASE_REOPEN, CASE_MEASURE, CASE_CLOSE_VERIFY, CASE_CLOSE_REVIEW, CASE_CLOSE_NOTICE,
                                   CASE_CLOSE};
  const enum case_state want[] = {CASE_REVIEWED, CASE_NOTICED, CASE_NOTICED, CASE_CHECKED, CASE_MONITORED,
                                  CASE_MONITORED, CASE_CLOSE_VERIFIED, CASE_CLOSE_REVIEWED, CASE_CLOSE_NOTICED,
                                  CASE_CLOSED, CASE_MONITORED, CASE_MONITORED, CASE_CLOSE_VERIFIED,
                                  CASE_CLOSE_REVIEWED, CASE_CLOSE_NOTICED, CASE_CLOSED};
  for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
    assert_int_equal(case_flow_step(s, path[i], true, &to, NULL), CASE_OK);
    assert_int_equal(to, want[i]);
    s = to;
  }
}

static void test_skipped_step_named(void **state)
{
  enum case_state to;
  enum case_action missing = CASE_ACTION_COUNT;
  /* notice straight after the lead: the democratic review is missing */
  assert_int_equal(case_flow_step(CASE_FOUND, CASE_NOTICE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_REVIEW);
  /* the county decides before the township checked */
  assert_int_equal(case_flow_step(CASE_NOTICED, CASE_DECIDE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CHECK);
  assert_int_equal(case_flow_step(CASE_FOUND, CASE_DECIDE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_REVIEW);
  /* a measure before the household is taken in */
  assert_int_equal(case_flow_step(CASE_CHECKED, CASE_MEASURE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_DECIDE);
  assert_int_equal(case_flow_step(CASE_REVIEWED, CASE_CLOSE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_NOTICE);
  /* reopening a case that was never closed: the closure procedure's first step is missing */
  assert_int_equal(case_flow_step(CASE_MONITORED, CASE_REOPEN, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CLOSE_VERIFY);
}

/* 风险消除 goes through 入户核实 → 民主评议 → 公示 → 审核确认, none skipped, each named. */
static void test_closure_order(void **state)
{
  enum case_state to;
  enum case_action missing = CASE_ACTION_COUNT;
  /* the county cannot close a monitored case in one step: the home check is missing */
  assert_int_equal(case_flow_step(CASE_MONITORED, CASE_CLOSE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CLOSE_VERIFY);
  assert_int_equal(case_flow_step(CASE_MONITORED, CASE_CLOSE_NOTICE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CLOSE_VERIFY);
  /* verified, then noticed without the village's review */
  assert_int_equal(case_flow_step(CASE_CLOSE_VERIFIED, CASE_CLOSE_NOTICE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CLOSE_REVIEW);
  assert_int_equal(case_flow_step(CASE_CLOSE_VERIFIED, CASE_CLOSE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CLOSE_REVIEW);
  /* reviewed, then confirmed without the notice */
  assert_int_equal(case_flow_step(CASE_CLOSE_REVIEWED, CASE_CLOSE, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_CLOSE_NOTICE);
  /* no closure before the household is taken in */
  assert_int_equal(case_flow_step(CASE_CHECKED, CASE_CLOSE_VERIFY, true, &to, &missing), CASE_ERR_SKIPPED);
  assert_int_equal(missing, CASE_DECIDE);
  /* back steps and measures once the closure is under way are past */
  assert_int_equal(case_flow_step(CASE_CLOSE_NOTICED, CASE_CLOSE_VERIFY, true, &to, NULL), CASE_ERR_STATE);
  assert_int_equal(case_flow_step(CASE_CLOSE_REVIEWED, CASE_MEASURE, true, &to, NULL), CASE_ERR_STATE);
  /* the village's review or the county's confirmation against closing: monitored again */
  assert_int_equal(case_flow_step(CASE_CLOSE_VERIFIED, CASE_CLOSE_REVIEW, false, &to, NULL), CASE_OK);
  assert_int_equal(to, CASE_MONITORED);
  assert_int_equal(case_flow_step(CASE_CLOSE_NOTICED, CASE_CLOSE, false, &to, NULL), CASE_OK);
  assert_int_equal(to, CASE_MONITORED);
  assert_int_equal(case_flow_next(CASE_MONITORED), CASE_CLOSE_VERIFY);
  assert_int_equal(case_flow_next(CASE_CLOSE_NOTICED), CASE_CLOSE);
  assert_true(case_flow_closing(CASE_CLOSE_REVIEWED));
  assert_false(case_flow_closing(CASE_MONITORED));
  assert_false(case_flow_pending(CASE_CLOSE_VERIFIED));
}

/* The confirmation: the closure's notice over, and the criteria still met on that day. */
static void test_closure_confirmation(void **state)
{
  /* 公示 from 2026-06-01 for 5 days: over on 2026-06-06 */
  assert_int_equal(case_flow_confirm(20260605, 20260601, 5, true, true), CASE_ERR_NOTICE);
  assert_int_equal(case_flow_confirm(20260606, 20260601, 5, true, true), CASE_OK);
  assert_int_equal(case_flow_confirm(20260606, 0, 0, true, true), CASE_ERR_NOTICE);
  /* every step taken, but a criterion no longer holds: not closed */
  assert_int_equal(case_flow_confirm(20260610, 20260601, 5, true, false), CASE_ERR_CRITERIA);
  /* refusing the closure does not need the criteria */
  assert_int_equal(case_flow_confirm(20260610, 20260601, 5, false, false), CASE_OK);
}

static void test_past_or_dismissed(void **state)
{
  enum case_state to;
  assert_int_equal(case_flow_step(CASE_CHECKED, CASE_REVIEW, true, &to, NULL), CASE_ERR_STATE);
  assert_int_equal(case_flow_step(CASE_MONITORED, CASE_DECIDE, true, &to, NULL), CASE_ERR_STATE);
  assert_int_equal(case_flow_step(CASE_CLOSED, CASE_MEASURE, true, &to, NULL), CASE_ERR_STATE);
  for (int a = 0; a < CASE_ACTION_COUNT; a++)
    assert_int_equal(case_flow_step(CASE_DISMISSED, (enum case_action)a, true, &to, NULL), CASE_ERR_STATE);
  assert_int_equal(case_flow_next(CASE_DISMISSED), -1);
  assert_int_equal(case_flow_step(CASE_STATE_COUNT, CASE_REVIEW, true, &to, NULL), CASE_ERR_INVALID);
}

static void test_dismissal(void **state)
{
  enum case_state to;
  assert_int_equal(case_flow_step(CASE_FOUND, CASE_REVIEW, false, &to, NULL), CASE_OK);
  assert_int_equal(to, CASE_DISMISSED);
  assert_int_equal(case_flow_step(CASE_NOTICED, CASE_CHECK, false, &to, NULL), CASE_OK);
  assert_int_equal(to, CASE_DISMISSED);
  assert_int_equal(case_flow_step(CASE_CHECKED, CASE_DECIDE, false, &to, NULL), CASE_OK);
  assert_int_equal(to, CASE_DISMISSED);
  /* agreed is ignored where there is no verdict */
  assert_int_equal(case_flow_step(CASE_REVIEWED, CASE_NOTICE, false, &to, NULL), CASE_OK);
  assert_int_equal(to, CASE_NOTICED);
}

static void test_codes(void **state)
{
  enum case_state s;
  enum case_action a;
  for (int i = 0; i < CASE_STATE_COUNT; i++) {
    assert_int_equal(case_state_parse(case_state_code((enum case_state)i), &s), 0);
    assert_int_equal(s, i);
    assert_non_null(case_state_name_zh((enum case_state)i));
  }
  for (int i = 0; i < CASE_ACTION_COUNT; i++) {
    assert_int_equal(case_action_parse(case_action_code((enum case_action)i), &a), 0);
    assert_int_equal(a, i);
  }
  assert_int_equal(case_state_parse("approved", &s), CASE_ERR_INVALID);
  assert_int_equal(case_action_parse(NULL, &a), CASE_ERR_INVALID);
  assert_string_equal(case_action_name_zh(CASE_REVIEW), "民主评议");
}

static void test_notice_and_limits(void **state)
{
  assert_int_equal(case_notice_ends(20261101, 5), 20261106);
  assert_int_equal(case_notice_ends(20261230, 5), 20270104);
  long days;
  bool overdue;
  assert_int_equal(case_flow_elapsed(CASE_NOTICED, 20261101, 0, 20261116, 15, &days, &overdue), 0);
  assert_int_equal(days, 15);
  assert_false(overdue);
  case_flow_elapsed(CASE_NOTICED, 20261101, 0, 20261117, 15, &days, &overdue);
  assert_int_equal(days, 16);
  assert_true(overdue);
  /* decided on day 20: decided late, whatever today is */
  case_flow_elapsed(CASE_MONITORED, 20261101, 20261121, 20261201, 15, &days, &overdue);
  assert_int_equal(days, 20);
  assert_true(overdue);
  case_flow_elapsed(CASE_MONITORED, 20261101, 20261110, 20270101, 15, &days, &overdue);
  assert_false(overdue);
  /* refused at the review: no clock to a decision */
  case_flow_elapsed(CASE_DISMISSED, 20260101, 0, 20261101, 15, &days, &overdue);
  assert_false(overdue);
  assert_true(case_flow_stalled(CASE_REVIEWED, 20261101, 20261109, 7));
  assert_false(case_flow_stalled(CASE_REVIEWED, 20261101, 20261108, 7));
  assert_false(case_flow_stalled(CASE_MONITORED, 20260101, 20261109, 7));
}

static const struct closure_criterion CRITERIA[] = {
  {"income_stable", 6, 0}, {"monitored_long_enough", 6, 0}, {"measure_applied", 0, 1},
  {"guarantees_secure", 0, 0}, {"has_labour", 0, 0},
};
#define NCRIT (sizeof CRITERIA / sizeof CRITERIA[0])

static const struct income_record INCOMES[] = {{2025, 6800}, {2026, 9200}};

static struct closure_facts good_facts(void)
{
  struct closure_facts f = {.today = 20261129, .identified_on = 20260301, .threshold = 7500, .incomes = INCOMES + 1,
                            .nincomes = 1, .measures = 2, .schooling = 1, .medical = 1, .housing = 1, .water = 1,
                            .able_bodied = 2};
  return f;
}

/* Runs the check and returns the index of the only failing criterion, -1 when all are met. */
static int only_failure(const struct closure_facts *f)
{
  struct closure_result r[NCRIT];
  bool all;
  assert_int_equal(case_flow_closure(CRITERIA, NCRIT, f, r, &all), 0);
  int failing = -1, count = 0;
  for (size_t i = 0; i < NCRIT; i++) {
    assert_string_equal(r[i].code, CRITERIA[i].code);
    assert_true(strlen(r[i].detail) > 0);
    if (!r[i].met) { failing = (int)i; count++; }
  }
  assert_int_equal(all, count == 0);
  assert_true(count <= 1);
  return failing;
}

static void test_closure_each_criterion(void **state)
{
  struct closure_facts f = good_facts();
  assert_int_equal(only_failure(&f), -1);

  f = good_facts(); /* the 2025 record (below the threshold) counts once identified in 2025 */
  f.incomes = INCOMES; f.nincomes = 2; f.identified_on = 20250501;
  assert_int_equal(only_failure(&f), 0);
  f = good_facts();
  f.nincomes = 0;
  assert_int_equal(only_failure(&f), 0);
  f = good_facts();
  f.threshold = 9200; /* equal is not above */
  assert_int_equal(only_failure(&f), 0);

  f = good_facts();
  f.today = 20260830; /* five months: both the income and the time criteria fail */
  struct closure_result r[NCRIT];
  bool all;
  case_flow_closure(CRITERIA, NCRIT, &f, r, &all);
  assert_false(all);
  assert_false(r[0].met);
  assert_false(r[1].met);
  assert_true(r[2].met);
  f.today = 20260901; /* six months to the day */
  assert_int_equal(only_failure(&f), -1);

  f = good_facts();
  f.measures = 0;
  assert_int_equal(only_failure(&f), 2);
  f = good_facts();
  f.water = 0;
  assert_int_equal(only_failure(&f), 3);
  f = good_facts();
  f.housing = -1; /* unknown is not secure */
  assert_int_equal(only_failure(&f), 3);
  f = good_facts();
  f.able_bodied = 0; /* 无劳动力户 are never closed */
  assert_int_equal(only_failure(&f), 4);

  const struct closure_criterion unknown[] = {{"moon_phase", 0, 0}};
  case_flow_closure(unknown, 1, &f, r, &all);
  assert_false(all);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_full_path),        cmocka_unit_test(test_skipped_step_named),
    cmocka_unit_test(test_past_or_dismissed), cmocka_unit_test(test_dismissal),
    cmocka_unit_test(test_codes),            cmocka_unit_test(test_notice_and_limits),
    cmocka_unit_test(test_closure_each_criterion), cmocka_unit_test(test_closure_order),
    cmocka_unit_test(test_closure_confirmation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
