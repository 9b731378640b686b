/* Tests of core/person_message: the SMS text (at most 70 characters, cut with "…", no run of 11+
 * digits), the gateway template filled in JSON-escaped and its check, WeCom's application message body,
 * the gettoken answer and the token-refused codes (40014, 42001), and the URL escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/person_message.h"

static size_t chars(const char *s)
{
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) n += (*p & 0xC0) != 0x80;
  return n;
}

static void test_sms_text(void **state)
{
  (void)state;
  char *t = sms_text("请假已批准", "您 6月12日 的事假（1 天）已批准。");
  assert_string_equal(t, "【请假已批准】您 6月12日 的事假（1 天）已批准。");
  free(t);
  char long_body[400] = "";
  for (int i = 0; i < 40; i++) strcat(long_body, "驻村");
  t = sms_text("提醒", long_body);
  assert_int_equal(chars(t), SMS_TEXT_MAX);
  assert_non_null(strstr(t, "…"));
  assert_int_equal(strcmp(t + strlen(t) - strlen("…"), "…"), 0);
  free(t);
  t = sms_text("违规", "联系 13812345678，证件 360781199001011234 已登记");
  assert_string_equal(t, "【违规】联系 ，证件  已登记");
  free(t);
}

static void test_sms_template(void **state)
{
  (void)state;
  assert_true(sms_template_ok("{\"mobile\":\"{phone}\",\"content\":\"{text}\"}"));
  assert_false(sms_template_ok("{\"mobile\":\"{phone}\"}"));
  assert_false(sms_template_ok("mobile={phone}&text={text}"));
  assert_false(sms_template_ok(NULL));
  char *b = sms_body("{\"to\":\"{phone}\",\"msg\":\"{text}\",\"again\":\"{text}\"}", "13800001111", "【提醒】\"引号\"");
  json_t *o = json_loads(b, 0, NULL);
  assert_non_null(o);
  assert_string_equal(json_string_value(json_object_get(o, "to")), "13800001111");
  assert_string_equal(json_string_value(json_object_get(o, "msg")), "【提醒】\"引号\"");
  assert_string_equal(json_string_value(json_object_get(o, "again")), "【提醒】\"引号\"");
  json_decref(o);
  free(b);
}

static void test_wecom(void **state)
{
  (void)state;
  char *b = wecom_app_body("LiuJianguo", 1000002, "请假已批准", "您的事假已批准。");
  assert_string_equal(b, "{\"touser\":\"LiuJianguo\",\"msgtype\":\"text\",\"agentid\":1000002,"
                         "\"text\":{\"content\":\"【请假已批准】您的事假已批准。\"}}");
  free(b);
  char token[64], reason[200];
  int64_t exp = 0;
  assert_int_equal(wecom_token_answer("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"abc\",\"expires_in\":7200}",
                                      token, sizeof token, &exp, reason, sizeof reason), 0);
  assert_string_equal(token, "abc");
  assert_int_equal(exp, 7200);
  assert_int_equal(wecom_token_answer("{\"errcode\":40013,\"errmsg\":\"invalid corpid\"}", token, sizeof token, &exp,
                                      reason, sizeof reason), -1);
  assert_non_null(strstr(reason, "40013"));
  assert_true(wecom_token_refused("{\"errcode\":42001,\"errmsg\":\"access_token expired\"}"));
  assert_true(wecom_token_refused("{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}"));
  assert_false(wecom_token_refused("{\"errcode\":0,\"errmsg\":\"ok\"}"));
  assert_false(wecom_token_refused("not json"));
  char out[32];
  assert_int_equal(url_escape("a b&c=d/中", out, sizeof out), 0);
  assert_string_equal(out, "a%20b%26c%3Dd%2F%E4%B8%AD");
  assert_int_equal(url_escape("abcdef", out, 4), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sms_text), cmocka_unit_test(test_sms_template), cmocka_unit_test(test_wecom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
