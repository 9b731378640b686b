/* Unit tests for http/day_needs, which stages of the day's settlement a request waits for (issue 15):
 * health, the interface document and the session wait for none; the named reads of the posts wait
 * for the posts' stage only; the notification reads for the posts and the notices; the allowance reads
 * for the posts and the sheets; a write, a route not named, and a path that only begins like a named
 * one wait for every stage (the safe direction). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/day_needs.h"

static void test_none_for_health_and_session(void **state)
{
  (void)state;
  assert_int_equal(day_needs("GET", "/api/v1/health"), 0);
  assert_int_equal(day_needs("GET", "/api/v1/openapi.json"), 0);
  assert_int_equal(day_needs("POST", "/api/v1/session"), 0);
  assert_int_equal(day_needs("POST", "/api/v1/session/totp"), 0);
  assert_int_equal(day_needs("DELETE", "/api/v1/session"), 0);
  assert_int_equal(day_needs("GET", "/api/v1/sessions-of-someone"), DAY_ALL);
}

static void test_posts_only_for_the_named_reads(void **state)
{
  (void)state;
  assert_int_equal(day_needs("GET", "/api/v1/cadres"), DAY_POSTS);
  assert_int_equal(day_needs("GET", "/api/v1/cadres/12"), DAY_POSTS);
  assert_int_equal(day_needs("GET", "/api/v1/presence"), DAY_POSTS);
  assert_int_equal(day_needs("GET", "/api/v1/me/today"), DAY_POSTS);
  assert_int_equal(day_needs("GET", "/api/v1/villages/360781100201/profile"), DAY_POSTS);
  /* a path that only begins like a named one is not it */
  assert_int_equal(day_needs("GET", "/api/v1/cadresX"), DAY_ALL);
  assert_int_equal(day_needs("GET", "/api/v1/me/todayish"), DAY_ALL);
}

static void test_notices_and_sheets(void **state)
{
  (void)state;
  assert_int_equal(day_needs("GET", "/api/v1/notifications"), DAY_POSTS | DAY_NOTICES);
  assert_int_equal(day_needs("GET", "/api/v1/notifications/unread"), DAY_POSTS | DAY_NOTICES);
  assert_int_equal(day_needs("GET", "/api/v1/allowance-sheets"), DAY_POSTS | DAY_ALLOWANCE);
  assert_int_equal(day_needs("GET", "/api/v1/allowance-sheets/7"), DAY_POSTS | DAY_ALLOWANCE);
  assert_int_equal(day_needs("GET", "/api/v1/me/allowances"), DAY_POSTS | DAY_ALLOWANCE);
}

static void test_the_checkin_waits_for_the_posts_only(void **state)
{
  (void)state;
  assert_int_equal(day_needs("POST", "/api/v1/checkins"), DAY_POSTS);
  /* by its exact path: a write under it (a review of a check-in) waits for every stage */
  assert_int_equal(day_needs("POST", "/api/v1/checkins/12/review"), DAY_ALL);
  assert_int_equal(day_needs("PATCH", "/api/v1/checkins"), DAY_ALL);
}

static void test_everything_else_waits_for_every_stage(void **state)
{
  (void)state;
  /* 待办 reads the notices' duties and the sheets to confirm; upward reports read 待办 */
  assert_int_equal(day_needs("GET", "/api/v1/me/todo"), DAY_ALL);
  assert_int_equal(day_needs("GET", "/api/v1/upward-reports"), DAY_ALL);
  assert_int_equal(day_needs("GET", "/api/v1/reviews/month"), DAY_ALL);
  assert_int_equal(day_needs("GET", "/api/v1/webhooks"), DAY_ALL);
  assert_int_equal(day_needs("GET", "/api/v1/no-such-route"), DAY_ALL);
  /* a write waits for every stage, even on a path whose reads need only the posts */
  assert_int_equal(day_needs("POST", "/api/v1/cadres"), DAY_ALL);
  assert_int_equal(day_needs("PATCH", "/api/v1/cadres/12"), DAY_ALL);
  assert_int_equal(day_needs("POST", "/api/v1/notifications/read-all"), DAY_ALL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_none_for_health_and_session),
    cmocka_unit_test(test_posts_only_for_the_named_reads),
    cmocka_unit_test(test_notices_and_sheets),
    cmocka_unit_test(test_the_checkin_waits_for_the_posts_only),
    cmocka_unit_test(test_everything_else_waits_for_every_stage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
