/* Unit tests for core/review_flow (批阅, 2.1/2.4): the path pending → returned → resubmitted →
 * accepted, each refused act with its reason, and comments allowed in every state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/review_flow.h"

static void test_return_resubmit_accept(void **state)
{
  (void)state;
  enum review_state to;
  assert_int_equal(review_flow_step(REVIEW_PENDING, REVIEW_RETURN, &to), REVIEW_OK);
  assert_int_equal(to, REVIEW_RETURNED);
  assert_int_equal(review_flow_step(REVIEW_RETURNED, REVIEW_RESUBMIT, &to), REVIEW_OK);
  assert_int_equal(to, REVIEW_RESUBMITTED);
  assert_int_equal(review_flow_step(REVIEW_RESUBMITTED, REVIEW_RETURN, &to), REVIEW_OK);
  assert_int_equal(to, REVIEW_RETURNED);
  assert_int_equal(review_flow_step(REVIEW_RESUBMITTED, REVIEW_ACCEPT, &to), REVIEW_OK);
  assert_int_equal(to, REVIEW_ACCEPTED);
  assert_int_equal(review_flow_step(REVIEW_PENDING, REVIEW_ACCEPT, &to), REVIEW_OK);
  assert_int_equal(to, REVIEW_ACCEPTED);
}

static void test_refusals(void **state)
{
  (void)state;
  enum review_state to;
  assert_int_equal(review_flow_step(REVIEW_ACCEPTED, REVIEW_ACCEPT, &to), REVIEW_ALREADY_ACCEPTED);
  assert_int_equal(to, REVIEW_ACCEPTED);
  assert_int_equal(review_flow_step(REVIEW_ACCEPTED, REVIEW_RETURN, &to), REVIEW_ALREADY_ACCEPTED);
  assert_int_equal(review_flow_step(REVIEW_ACCEPTED, REVIEW_RESUBMIT, &to), REVIEW_ALREADY_ACCEPTED);
  assert_int_equal(review_flow_step(REVIEW_RETURNED, REVIEW_RETURN, &to), REVIEW_ALREADY_RETURNED);
  assert_int_equal(review_flow_step(REVIEW_RETURNED, REVIEW_ACCEPT, &to), REVIEW_ALREADY_RETURNED);
  assert_int_equal(review_flow_step(REVIEW_PENDING, REVIEW_RESUBMIT, &to), REVIEW_NOT_RETURNED);
  assert_int_equal(review_flow_step(REVIEW_RESUBMITTED, REVIEW_RESUBMIT, &to), REVIEW_NOT_RETURNED);
}

static void test_comment_anywhere(void **state)
{
  (void)state;
  enum review_state to;
  for (int s = 0; s < REVIEW_STATE_COUNT; s++) {
    assert_int_equal(review_flow_step((enum review_state)s, REVIEW_COMMENT, &to), REVIEW_OK);
    assert_int_equal(to, s);
  }
}

static void test_codes(void **state)
{
  (void)state;
  assert_int_equal(review_state_parse("resubmitted"), REVIEW_RESUBMITTED);
  assert_int_equal(review_state_parse("done"), -1);
  assert_int_equal(review_action_parse("return"), REVIEW_RETURN);
  assert_int_equal(review_action_parse(NULL), -1);
  assert_string_equal(review_state_name(REVIEW_RETURNED), "已退回");
  assert_string_equal(review_action_code(REVIEW_ACCEPT), "accept");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_return_resubmit_accept),
    cmocka_unit_test(test_refusals),
    cmocka_unit_test(test_comment_anywhere),
    cmocka_unit_test(test_codes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
