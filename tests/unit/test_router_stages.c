/* Unit tests for the stages of the day's settlement a request waits for (issue 15), as the router's
 * table states them (http/router, READS in each entry): health, the interface document and the session
 * wait for none; the named reads of the posts wait for the posts' stage only; the notification reads
 * for the posts and the notices; the allowance reads for the posts and the sheets; the check-in for the
 * posts only; every other write, a route that states nothing, a path no route matches and a path that
 * only begins like a route wait for every stage (the safe direction). Then the table whole: no write
 * but the check-in and the session's own waits for less than every stage. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "http/day_start.h"
#include "http/router.h"

static void test_none_for_health_and_session(void **state)
{
  (void)state;
  assert_int_equal(router_day_needs("GET", "/api/v1/health"), 0);
  assert_int_equal(router_day_needs("GET", "/api/v1/openapi.json"), 0);
  assert_int_equal(router_day_needs("POST", "/api/v1/session"), 0);
  assert_int_equal(router_day_needs("POST", "/api/v1/session/totp"), 0);
  assert_int_equal(router_day_needs("DELETE", "/api/v1/session"), 0);
  assert_int_equal(router_day_needs("GET", "/api/v1/sessions-of-someone"), DAY_ALL);
}

static void test_posts_only_for_the_named_reads(void **state)
{
  (void)state;
  assert_int_equal(router_day_needs("GET", "/api/v1/cadres"), DAY_POSTS);
  assert_int_equal(router_day_needs("GET", "/api/v1/cadres/12"), DAY_POSTS);
  assert_int_equal(router_day_needs("GET", "/api/v1/presence"), DAY_POSTS);
  assert_int_equal(router_day_needs("GET", "/api/v1/me/today"), DAY_POSTS);
  assert_int_equal(router_day_needs("GET", "/api/v1/villages/360781100201/profile"), DAY_POSTS);
  /* a path that only begins like a route is not it */
  assert_int_equal(router_day_needs("GET", "/api/v1/cadresX"), DAY_ALL);
  assert_int_equal(router_day_needs("GET", "/api/v1/me/todayish"), DAY_ALL);
}

static void test_notices_and_sheets(void **state)
{
  (void)state;
  assert_int_equal(router_day_needs("GET", "/api/v1/notifications"), DAY_POSTS | DAY_NOTICES);
  assert_int_equal(router_day_needs("GET", "/api/v1/notifications/unread"), DAY_POSTS | DAY_NOTICES);
  assert_int_equal(router_day_needs("GET", "/api/v1/allowance-sheets"), DAY_POSTS | DAY_ALLOWANCE);
  assert_int_equal(router_day_needs("GET", "/api/v1/allowance-sheets/7"), DAY_POSTS | DAY_ALLOWANCE);
  assert_int_equal(router_day_needs("GET", "/api/v1/me/allowances"), DAY_POSTS | DAY_ALLOWANCE);
}

static void test_the_checkin_waits_for_the_posts_only(void **state)
{
  (void)state;
  assert_int_equal(router_day_needs("POST", "/api/v1/checkins"), DAY_POSTS);
  /* a write under it, or another method on it, waits for every stage */
  assert_int_equal(router_day_needs("POST", "/api/v1/checkins/12/review"), DAY_ALL);
  assert_int_equal(router_day_needs("PATCH", "/api/v1/checkins"), DAY_ALL);
}

static void test_everything_else_waits_for_every_stage(void **state)
{
  (void)state;
  /* 待办 reads the notices' duties and the sheets to confirm; upward reports read 待办 */
  assert_int_equal(router_day_needs("GET", "/api/v1/me/todo"), DAY_ALL);
  assert_int_equal(router_day_needs("GET", "/api/v1/upward-reports"), DAY_ALL);
  assert_int_equal(router_day_needs("GET", "/api/v1/reviews/month"), DAY_ALL);
  assert_int_equal(router_day_needs("GET", "/api/v1/webhooks"), DAY_ALL);
  assert_int_equal(router_day_needs("GET", "/api/v1/no-such-route"), DAY_ALL);
  /* a write waits for every stage, even on a path whose reads need only the posts */
  assert_int_equal(router_day_needs("POST", "/api/v1/cadres"), DAY_ALL);
  assert_int_equal(router_day_needs("PATCH", "/api/v1/cadres/12"), DAY_ALL);
  assert_int_equal(router_day_needs("POST", "/api/v1/notifications/read-all"), DAY_ALL);
}

/* An entry that states nothing among its flags waits for every stage; a stated none is none; the other
 * flags do not change what it reads. */
static void test_the_default_is_every_stage(void **state)
{
  (void)state;
  const struct route unstated = {"GET", "/api/v1/x", NULL, 0, 0};
  const struct route public = {"GET", "/api/v1/x", NULL, 0, ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_DURING_ENROL};
  const struct route none = {"GET", "/api/v1/x", NULL, 0, ROUTE_PUBLIC | READS_NONE};
  const struct route posts = {"GET", "/api/v1/x", NULL, 0, READS(DAY_POSTS)};
  const struct route notices = {"GET", "/api/v1/x", NULL, 0,
                                ROUTE_DURING_PW_CHANGE | READS(DAY_POSTS | DAY_NOTICES)};
  assert_int_equal(route_day_needs(&unstated), DAY_ALL);
  assert_int_equal(route_day_needs(&public), DAY_ALL);
  assert_int_equal(route_day_needs(&none), 0);
  assert_int_equal(route_day_needs(&posts), DAY_POSTS);
  assert_int_equal(route_day_needs(&notices), DAY_POSTS | DAY_NOTICES);
  assert_int_equal(route_day_needs(NULL), DAY_ALL);
  /* READS touches no other flag */
  assert_int_equal(READS_NONE & (ROUTE_PUBLIC | ROUTE_DURING_PW_CHANGE | ROUTE_NO_CSRF | ROUTE_DURING_ENROL), 0);
}

static bool under_session(const char *pattern)
{
  static const char SESSION[] = "/api/v1/session";
  size_t n = sizeof SESSION - 1;
  return strncmp(pattern, SESSION, n) == 0 && (pattern[n] == '\0' || pattern[n] == '/');
}

/* The table whole: every entry that waits for less than every stage is a GET, the check-in, or the
 * session's own (which reads none of the day); a write that states less is refused here. Every entry
 * that reads none is health, the interface document or the session. */
static void test_the_table_whole(void **state)
{
  (void)state;
  size_t n = 0;
  const struct route *routes = router_table(&n);
  assert_true(n > 100);
  size_t less = 0;
  for (size_t i = 0; i < n; i++) {
    const struct route *r = &routes[i];
    unsigned needs = route_day_needs(r);
    assert_int_equal(needs & ~(unsigned)DAY_ALL, 0);
    if (needs == DAY_ALL) continue;
    less++;
    bool none_of_the_day = strcmp(r->pattern, "/api/v1/health") == 0 ||
                           strcmp(r->pattern, "/api/v1/openapi.json") == 0 || under_session(r->pattern);
    if (needs == 0 && !none_of_the_day) fail_msg("%s %s reads none of the day", r->method, r->pattern);
    if (needs != 0 && !(needs & DAY_POSTS)) fail_msg("%s %s skips the posts' stage", r->method, r->pattern);
    if (strcmp(r->method, "GET") == 0 || none_of_the_day) continue;
    if (strcmp(r->method, "POST") == 0 && strcmp(r->pattern, "/api/v1/checkins") == 0 && needs == DAY_POSTS) continue;
    fail_msg("the write %s %s waits for less than every stage (%u)", r->method, r->pattern, needs);
  }
  /* the table states some: the test above is not vacuous */
  assert_true(less > 50);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_none_for_health_and_session),
    cmocka_unit_test(test_posts_only_for_the_named_reads),
    cmocka_unit_test(test_notices_and_sheets),
    cmocka_unit_test(test_the_checkin_waits_for_the_posts_only),
    cmocka_unit_test(test_everything_else_waits_for_every_stage),
    cmocka_unit_test(test_the_default_is_every_stage),
    cmocka_unit_test(test_the_table_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
