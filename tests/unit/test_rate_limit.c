/* Unit tests for core/rate_limit: the burst, the refill judged by the time passed in, the wait
 * told, keys kept apart, forget, and sharing on a slot collision only ever being stricter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/rate_limit.h"

static void test_burst_then_wait(void **state)
{
  (void)state;
  struct rate_limit *rl = rate_limit_new(64, 3, 10, 42);
  assert_non_null(rl);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(rate_limit_wait(rl, "1.2.3.4", 0), 0);
    rate_limit_charge(rl, "1.2.3.4", 0);
  }
  assert_int_equal(rate_limit_wait(rl, "1.2.3.4", 0), 10);
  assert_int_equal(rate_limit_wait(rl, "1.2.3.4", 4000), 6);   /* 4 s of the 10 have passed */
  assert_int_equal(rate_limit_wait(rl, "1.2.3.4", 10000), 0);  /* one token back */
  rate_limit_charge(rl, "1.2.3.4", 10000);
  assert_int_equal(rate_limit_wait(rl, "1.2.3.4", 10000), 10);
  rate_limit_free(rl);
}

static void test_keys_apart_and_forget(void **state)
{
  (void)state;
  struct rate_limit *rl = rate_limit_new(4096, 1, 60, 7);
  rate_limit_charge(rl, "alice", 0);
  assert_int_equal(rate_limit_wait(rl, "alice", 0), 60);
  assert_int_equal(rate_limit_wait(rl, "bob", 0), 0);
  rate_limit_forget(rl, "alice");
  assert_int_equal(rate_limit_wait(rl, "alice", 0), 0);
  rate_limit_free(rl);
}

static void test_collision_is_stricter(void **state)
{
  (void)state;
  /* one slot: every key shares it while the occupant is not full again */
  struct rate_limit *rl = rate_limit_new(1, 2, 60, 1);
  rate_limit_charge(rl, "a", 0);
  rate_limit_charge(rl, "a", 0);
  assert_true(rate_limit_wait(rl, "b", 0) > 0);
  /* a full bucket is handed over: the newcomer starts with its own burst */
  assert_int_equal(rate_limit_wait(rl, "b", 120000), 0);
  rate_limit_free(rl);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_burst_then_wait),
      cmocka_unit_test(test_keys_apart_and_forget),
      cmocka_unit_test(test_collision_is_stricter),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
