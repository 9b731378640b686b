/* Unit tests for core/password_policy: each rule at its boundary, the order in which rules
 * are applied, UTF-8 handling, policy parameters and the messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/password_policy.h"

struct check_case {
  const char *username;
  const char *password;
  enum password_verdict want;
};

static void run_cases(const struct password_policy *policy, const struct check_case *c,
                      size_t n)
{
  for (size_t i = 0; i < n; i++) {
    enum password_verdict got = password_policy_check(policy, c[i].username, c[i].password);
    if (got != c[i].want)
      fail_msg("case %zu user \"%s\" password \"%s\": got %s, want %s", i,
               c[i].username ? c[i].username : "(null)",
               c[i].password ? c[i].password : "(null)", password_policy_code(got),
               password_policy_code(c[i].want));
  }
}

static void test_default_policy(void **state)
{
  struct password_policy p = password_policy_default();
  assert_int_equal(p.min_length, 8);
  assert_int_equal(p.min_classes, 3);
  static const struct check_case cases[] = {
      {"zhangsan", "Abcdef1!", PASSWORD_OK},
      {"zhangsan", "Abcdefg1", PASSWORD_OK},           /* upper, lower, digit */
      {"zhangsan", "abcdef1!", PASSWORD_OK},           /* lower, digit, symbol */
      {"zhangsan", "ABCDEF1!", PASSWORD_OK},           /* upper, digit, symbol */
      {"zhangsan", "Abcdefg!", PASSWORD_OK},           /* upper, lower, symbol */
      {"zhangsan", "Abcde1!", PASSWORD_TOO_SHORT},     /* 7 */
      {"zhangsan", "", PASSWORD_TOO_SHORT},
      {"zhangsan", NULL, PASSWORD_TOO_SHORT},
      {"zhangsan", "abcdefgh", PASSWORD_TOO_FEW_CLASSES},
      {"zhangsan", "abcdefg1", PASSWORD_TOO_FEW_CLASSES},
      {"zhangsan", "12345678", PASSWORD_TOO_FEW_CLASSES},
      {"zhangsan", "!@#$%^&*", PASSWORD_TOO_FEW_CLASSES},
      {"zhangsan", "ABCDEFG1", PASSWORD_TOO_FEW_CLASSES},
      {"zhangsan", "Pass word1", PASSWORD_OK},         /* a space is a symbol */
  };
  run_cases(NULL, cases, sizeof cases / sizeof cases[0]);
  run_cases(&p, cases, sizeof cases / sizeof cases[0]);
}

static void test_username(void **state)
{
  static const struct check_case cases[] = {
      {"zhangsan", "Zhangsan1!", PASSWORD_CONTAINS_USERNAME},
      {"zhangsan", "1!ZHANGSAN", PASSWORD_CONTAINS_USERNAME},
      {"ZhangSan", "x1!zhangsanX", PASSWORD_CONTAINS_USERNAME},
      {"zhangsan", "Zhang1!san", PASSWORD_OK},         /* split up: not contained */
      {"zhangsan", "Zhangsa1!n", PASSWORD_OK},
      {"zhangsan", "Zhangsa1!", PASSWORD_OK},          /* a prefix only */
      {"admin", "Admin@2026", PASSWORD_CONTAINS_USERNAME},
      {"admin", "Adm1n@2026", PASSWORD_OK},
      {"", "Abcdef1!", PASSWORD_OK},                   /* no user name: rule skipped */
      {NULL, "Abcdef1!", PASSWORD_OK},
      {"张三", "张三Abc123!", PASSWORD_CONTAINS_USERNAME},
      {"张三", "张四Abc123!", PASSWORD_OK},
      /* Shortness is reported before the user name. */
      {"zhangsan", "Zhangs1", PASSWORD_TOO_SHORT},
      {"abcdefgh", "abcdefgh", PASSWORD_TOO_FEW_CLASSES},
      /* A user name longer than the password cannot be inside it. */
      {"averyveryverylongname", "Abcdef1!", PASSWORD_OK},
  };
  run_cases(NULL, cases, sizeof cases / sizeof cases[0]);
}

static void test_length_limits(void **state)
{
  char pw[600];
  /* 128 characters is accepted, 129 is not. */
  memset(pw, 'a', 128);
  memcpy(pw, "A1!", 3);
  pw[128] = '\0';
  assert_int_equal(password_policy_check(NULL, "AAA", pw), PASSWORD_CONTAINS_USERNAME);
  assert_int_equal(password_policy_check(NULL, "zhangsan", pw), PASSWORD_OK);
  pw[128] = 'a';
  pw[129] = '\0';
  assert_int_equal(password_policy_check(NULL, "zhangsan", pw), PASSWORD_TOO_LONG);

  /* Counted in characters: 128 Chinese characters (384 bytes) pass, 129 do not. */
  size_t off = 0;
  memcpy(pw, "A1", 2);
  off = 2;
  for (int i = 0; i < 126; i++, off += 3) memcpy(pw + off, "帮", 3);
  pw[off] = '\0';
  assert_int_equal(password_policy_check(NULL, "zhangsan", pw), PASSWORD_OK);
  memcpy(pw + off, "帮", 4);
  assert_int_equal(password_policy_check(NULL, "zhangsan", pw), PASSWORD_TOO_LONG);

  /* Eight Chinese characters are eight characters, not 24; they are one class (symbol). */
  assert_int_equal(password_policy_check(NULL, "u", "驻村帮扶工作队A1"), PASSWORD_OK);
  assert_int_equal(password_policy_check(NULL, "u", "驻村帮A1"), PASSWORD_TOO_SHORT);
  assert_int_equal(password_policy_check(NULL, "u", "驻村帮扶工作队员"),
                   PASSWORD_TOO_FEW_CLASSES);

  /* A very long input is judged too long without reading it all as characters. */
  static char huge[100000];
  memset(huge, 'a', sizeof huge - 1);
  assert_int_equal(password_policy_check(NULL, "u", huge), PASSWORD_TOO_LONG);
}

static void test_bad_input(void **state)
{
  static const struct check_case cases[] = {
      {"u", "Abcdef1!\xff", PASSWORD_BAD_ENCODING},
      {"u", "Abcdef1!\xc0\xaf", PASSWORD_BAD_ENCODING},         /* overlong '/' */
      {"u", "Abcdef1!\xe0\x80\xaf", PASSWORD_BAD_ENCODING},     /* overlong */
      {"u", "Abcdef1!\xed\xa0\x80", PASSWORD_BAD_ENCODING},     /* surrogate U+D800 */
      {"u", "Abcdef1!\xf4\x90\x80\x80", PASSWORD_BAD_ENCODING}, /* above U+10FFFF */
      {"u", "Abcdef1!\xe5\xb8", PASSWORD_BAD_ENCODING},         /* truncated 帮 */
      {"u", "Abcdef1!\x80", PASSWORD_BAD_ENCODING},             /* lone continuation */
      {"u", "Abcdef1!\xf0\x9f\x98\x80", PASSWORD_OK},           /* emoji U+1F600 */
      {"u", "Abcdef1!\xef\xbf\xbf", PASSWORD_OK},               /* U+FFFF */
      {"u", "Abcdef1!\xc2\x80", PASSWORD_OK},                   /* U+0080, smallest 2-byte */
      {"u", "Abcdef1\t!", PASSWORD_CONTROL_CHAR},
      {"u", "Abcdef1!\n", PASSWORD_CONTROL_CHAR},
      {"u", "Abcdef1!\r", PASSWORD_CONTROL_CHAR},
      {"u", "Abcdef1!\x7f", PASSWORD_CONTROL_CHAR},
      {"u", "\x1b" "Abcdef1!", PASSWORD_CONTROL_CHAR},
      {"u", "\x01", PASSWORD_CONTROL_CHAR},     /* reported before shortness */
      {"u", "\xff", PASSWORD_BAD_ENCODING},
  };
  run_cases(NULL, cases, sizeof cases / sizeof cases[0]);
}

static void test_parameters(void **state)
{
  struct password_policy strict = {12, 4};
  static const struct check_case strict_cases[] = {
      {"u", "Abcdefgh12!", PASSWORD_TOO_SHORT},     /* 11 */
      {"u", "Abcdefgh123!", PASSWORD_OK},           /* 12, four classes */
      {"u", "Abcdefgh1234", PASSWORD_TOO_FEW_CLASSES},
  };
  run_cases(&strict, strict_cases, sizeof strict_cases / sizeof strict_cases[0]);

  struct password_policy lax = {1, 1};
  static const struct check_case lax_cases[] = {
      {"u", "a", PASSWORD_OK},
      {"u", "", PASSWORD_TOO_SHORT},
      {"u", "U", PASSWORD_CONTAINS_USERNAME},
  };
  run_cases(&lax, lax_cases, sizeof lax_cases / sizeof lax_cases[0]);

  struct password_policy max = {128, 2};
  char pw[129];
  memset(pw, 'a', 127);
  pw[127] = '1';
  pw[128] = '\0';
  assert_int_equal(password_policy_check(&max, "u", pw), PASSWORD_OK);
  pw[127] = '\0';
  assert_int_equal(password_policy_check(&max, "u", pw), PASSWORD_TOO_SHORT);

  static const struct password_policy bad[] = {
      {0, 3}, {-1, 3}, {129, 3}, {8, 0}, {8, 5}, {8, -1},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(password_policy_check(&bad[i], "u", "Abcdef1!"), PASSWORD_BAD_POLICY);
}

static void test_messages(void **state)
{
  static const struct { enum password_verdict v; const char *code; } cases[] = {
      {PASSWORD_OK, "ok"},
      {PASSWORD_BAD_ENCODING, "password_encoding"},
      {PASSWORD_CONTROL_CHAR, "password_control_char"},
      {PASSWORD_TOO_LONG, "password_too_long"},
      {PASSWORD_TOO_SHORT, "password_too_short"},
      {PASSWORD_TOO_FEW_CLASSES, "password_too_few_classes"},
      {PASSWORD_CONTAINS_USERNAME, "password_contains_username"},
      {PASSWORD_BAD_POLICY, "password_bad_policy"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_string_equal(password_policy_code(cases[i].v), cases[i].code);
    const char *zh = password_policy_message_zh(cases[i].v);
    assert_non_null(strstr(zh, "密码"));
    for (size_t j = 0; j < i; j++)
      assert_string_not_equal(zh, password_policy_message_zh(cases[j].v));
  }
  assert_string_equal(password_policy_code((enum password_verdict)99), "password_unknown");
  assert_non_null(password_policy_message_zh((enum password_verdict)-1));
}

static void test_explained(void **state)
{
  (void)state;
  /* a weak password is told the numbers to meet, not only "密码长度不足" (issue 14) */
  struct password_policy p = {12, 3};
  char buf[200];
  assert_non_null(strstr(password_policy_explain_zh(PASSWORD_TOO_SHORT, &p, buf, sizeof buf), "至少 12 位"));
  assert_non_null(strstr(buf, "至少 3 种"));
  assert_non_null(strstr(password_policy_explain_zh(PASSWORD_TOO_FEW_CLASSES, &p, buf, sizeof buf), "至少 3 种"));
  assert_string_equal(password_policy_explain_zh(PASSWORD_CONTAINS_USERNAME, &p, buf, sizeof buf), "密码不能包含用户名");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_policy), cmocka_unit_test(test_username),
      cmocka_unit_test(test_length_limits),  cmocka_unit_test(test_bad_input),
      cmocka_unit_test(test_parameters),     cmocka_unit_test(test_messages), cmocka_unit_test(test_explained),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
