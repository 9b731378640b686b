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

static void test_keys_apart_within_the_window(void **state)
{
  (void)state;
  /* eight keys in eight slots, each charged once of a burst of two: each still has a token of its
   * own (by the hash alone two of them would share a slot almost surely, and the second charge of
   * that slot would leave one of them with nothing — a fresh name inheriting a spent bucket) */
  char keys[8][16];
  for (uint64_t seed = 1; seed <= 20; seed++) {
    struct rate_limit *rl = rate_limit_new(8, 2, 60, seed);
    for (int i = 0; i < 8; i++) {
      snprintf(keys[i], sizeof keys[i], "user%d", i);
      rate_limit_charge(rl, keys[i], 0);
    }
    for (int i = 0; i < 8; i++) assert_int_equal(rate_limit_wait(rl, keys[i], 0), 0);
    /* a ninth key while all eight count: it shares a bucket, so its charge spends that one */
    rate_limit_charge(rl, "user8", 0);
    assert_int_equal(rate_limit_wait(rl, "user8", 0), 60);
    rate_limit_free(rl);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_burst_then_wait),
      cmocka_unit_test(test_keys_apart_and_forget),
      cmocka_unit_test(test_collision_is_stricter),
      cmocka_unit_test(test_keys_apart_within_the_window),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
