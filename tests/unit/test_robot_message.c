/* Tests of core/robot_message: DingTalk's 加签 signature against a value computed independently
 * (Python's hmac/base64/quote_plus, as DingTalk's documentation shows), the URLs and the body of
 * each platform, the answer check, the webhooks allowed and the quiet hours (China Standard Time). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/robot_message.h"

static void test_dingtalk_sign(void **state)
{
  (void)state;
  char sign[128];
  assert_int_equal(robot_dingtalk_sign(1700000000000LL, "SECtest", sign, sizeof sign), 0);
  assert_string_equal(sign, "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D");
  assert_int_equal(robot_dingtalk_sign(1700000000000LL, "SECtest", sign, 10), -1);
}

static void test_urls(void **state)
{
  (void)state;
  char *u = robot_url("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", "SECtest", 1700000000000LL);
  assert_non_null(u);
  assert_string_equal(u, "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000"
                         "&sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D");
  free(u);
  u = robot_url("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", NULL, 1700000000000LL);
  assert_string_equal(u, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1");
  free(u);
}

static void test_body_and_answer(void **state)
{
  (void)state;
  char *b = robot_body("请假待审批", "张三申请事假 1 天");
  assert_string_equal(b, "{\"msgtype\":\"text\",\"text\":{\"content\":\"【请假待审批】张三申请事假 1 天\"}}");
  free(b);
  char reason[128];
  assert_int_equal(robot_answer_ok("{\"errcode\":0,\"errmsg\":\"ok\"}", reason, sizeof reason), 0);
  assert_int_equal(robot_answer_ok("{\"errcode\":310000,\"errmsg\":\"sign not match\"}", reason, sizeof reason), -1);
  assert_non_null(strstr(reason, "310000"));
  assert_int_equal(robot_answer_ok("<html>", reason, sizeof reason), -1);
}

static void test_webhook_allowed(void **state)
{
  (void)state;
  assert_true(robot_webhook_allowed("https://oapi.dingtalk.com/robot/send?access_token=x"));
  assert_true(robot_webhook_allowed("http://127.0.0.1:18424/robot/send?access_token=x"));
  assert_false(robot_webhook_allowed("http://oapi.dingtalk.com/robot/send"));
  assert_false(robot_webhook_allowed("http://127.0.0.10/x"));
  assert_false(robot_webhook_allowed("https://user:pw@example.com/x"));
  assert_false(robot_webhook_allowed("file:///etc/passwd"));
  assert_false(robot_webhook_allowed("https:///x"));
}

static void test_quiet_hours(void **state)
{
  (void)state;
  const int64_t midnight_cst = 1781020800LL; /* 2026-06-10T00:00+08:00 */
  assert_true(robot_in_quiet_hours(midnight_cst + 23 * 3600, "22:00", "07:00"));
  assert_true(robot_in_quiet_hours(midnight_cst + 6 * 3600 + 59 * 60, "22:00", "07:00"));
  assert_false(robot_in_quiet_hours(midnight_cst + 7 * 3600, "22:00", "07:00"));
  assert_false(robot_in_quiet_hours(midnight_cst + 10 * 3600, "22:00", "07:00"));
  assert_true(robot_in_quiet_hours(midnight_cst + 13 * 3600, "12:00", "14:00"));
  assert_false(robot_in_quiet_hours(midnight_cst + 23 * 3600, "", ""));
  assert_false(robot_hhmm_valid("24:00"));
  assert_true(robot_hhmm_valid("23:59"));
}

int main(void)
{
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_dingtalk_sign), cmocka_unit_test(test_urls), cmocka_unit_test(test_body_and_answer),
    cmocka_unit_test(test_webhook_allowed), cmocka_unit_test(test_quiet_hours),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
