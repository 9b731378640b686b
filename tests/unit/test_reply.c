/* Unit tests for http/request's reply rule: a success status with a NULL body (a store call that
 * failed) is answered 500 with the house error body, never an empty 200/201; a body given is kept,
 * and an error status keeps its own body. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/request.h"
#include "util/log.h"

static void assert_internal(const struct reply *rep)
{
  assert_int_equal(rep->status, 500);
  assert_non_null(rep->json);
  json_t *err = json_object_get(rep->json, "error");
  assert_string_equal(json_string_value(json_object_get(err, "code")), "internal");
  assert_string_equal(json_string_value(json_object_get(err, "message")), "服务器内部错误，请稍后重试");
  assert_true(json_is_null(json_object_get(err, "field")));
}

static void test_null_success_is_500(void **state)
{
  (void)state;
  static const int SUCCESS[] = {200, 201, 202};
  for (size_t i = 0; i < sizeof SUCCESS / sizeof SUCCESS[0]; i++) {
    struct reply rep = {0};
    rep.method = "GET";
    rep.route = "/api/v1/units/:id";
    reply_json(&rep, SUCCESS[i], NULL);
    assert_internal(&rep);
    reply_free(&rep);
  }
}

static void test_null_replaces_earlier_body(void **state)
{
  (void)state;
  struct reply rep = {0};
  reply_json(&rep, 200, json_pack("{s:i}", "id", 7)); /* no route: the log says "-" */
  reply_json(&rep, 201, NULL);
  assert_internal(&rep);
  reply_free(&rep);
}

static void test_body_kept(void **state)
{
  (void)state;
  struct reply rep = {0};
  reply_json(&rep, 201, json_pack("{s:i}", "id", 7));
  assert_int_equal(rep.status, 201);
  assert_int_equal(json_integer_value(json_object_get(rep.json, "id")), 7);
  reply_free(&rep);
}

static void test_error_status_untouched(void **state)
{
  (void)state;
  struct reply rep = {0};
  assert_int_equal(reply_error(&rep, 404, "not_found", "单位不存在或不在管辖范围内", NULL), -1);
  assert_int_equal(rep.status, 404);
  assert_string_equal(json_string_value(json_object_get(json_object_get(rep.json, "error"), "code")), "not_found");
  reply_free(&rep);
}

int main(void)
{
  log_set_quiet(1);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_null_success_is_500),
    cmocka_unit_test(test_null_replaces_earlier_body),
    cmocka_unit_test(test_body_kept),
    cmocka_unit_test(test_error_status_untouched),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
