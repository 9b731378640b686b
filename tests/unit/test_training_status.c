/* Tests of core/training_status: a cadre's year of required trainings against 4.4 (9月底前基本完成). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/training_status.h"

#define DEADLINE "2026-09-30"

static void none_attended_is_untrained_and_overdue_after_the_deadline(void **state)
{
  (void)state;
  const char *const done[] = {NULL, NULL, NULL};
  struct training_verdict v = training_judge(done, 3, DEADLINE, true);
  assert_int_equal(v.status, TRAINING_UNTRAINED);
  assert_string_equal(training_status_name(v.status), "untrained");
  assert_true(v.overdue);
  v = training_judge(done, 3, DEADLINE, false); /* before 30 September: not yet overdue */
  assert_int_equal(v.status, TRAINING_UNTRAINED);
  assert_false(v.overdue);
}

static void some_attended_is_partial(void **state)
{
  (void)state;
  const char *const done[] = {"2026-05-15", NULL};
  struct training_verdict v = training_judge(done, 2, DEADLINE, true);
  assert_int_equal(v.status, TRAINING_PARTIAL);
  assert_int_equal(v.done, 1);
  assert_true(v.overdue);
}

static void all_by_the_deadline_is_complete_the_deadline_day_included(void **state)
{
  (void)state;
  const char *const done[] = {"2026-04-20", "2026-09-30"};
  struct training_verdict v = training_judge(done, 2, DEADLINE, true);
  assert_int_equal(v.status, TRAINING_COMPLETE);
  assert_int_equal(v.late, 0);
  assert_false(v.overdue);
}

static void all_but_one_after_the_deadline_is_late_not_overdue(void **state)
{
  (void)state;
  const char *const done[] = {"2026-04-20", "2026-10-01"};
  struct training_verdict v = training_judge(done, 2, DEADLINE, true);
  assert_int_equal(v.status, TRAINING_LATE);
  assert_string_equal(training_status_name(v.status), "late");
  assert_int_equal(v.late, 1);
  assert_false(v.overdue);
}

static void no_required_training_is_complete(void **state)
{
  (void)state;
  struct training_verdict v = training_judge(NULL, 0, DEADLINE, true);
  assert_int_equal(v.status, TRAINING_COMPLETE);
  assert_false(v.overdue);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(none_attended_is_untrained_and_overdue_after_the_deadline),
    cmocka_unit_test(some_attended_is_partial),
    cmocka_unit_test(all_by_the_deadline_is_complete_the_deadline_day_included),
    cmocka_unit_test(all_but_one_after_the_deadline_is_late_not_overdue),
    cmocka_unit_test(no_required_training_is_complete),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
