/* Unit tests for core/common_passwords: the list, the stem (case, leetspeak, digits and symbols at the
 * ends), too little variety, and passwords that must still pass. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/common_passwords.h"

static const char LIST[] = "# comment\npassword\nqwerty\nzhucun\nwoaini1314\n";

static void test_reviewed_passwords_refused(void **state)
{
  (void)state;
  struct common_passwords *c = NULL;
  assert_int_equal(common_passwords_parse(LIST, strlen(LIST), &c), 0);
  assert_int_equal(common_passwords_count(c), 4);
  const char *common[] = {"Password1", "Passw0rd!", "P@ssw0rd", "Qwerty123!", "Aaaaaaa1!", "aaaaaaa1!",
                          "12345678Aa", "Aa1!Aa1!", "Zhucun@2026", "WOAINI1314", "#Password#"};
  for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
    if (!common_passwords_has(c, common[i])) fail_msg("%s should be common", common[i]);
  const char *fine[] = {"Qx7#k2m9zLm9", "Ganzhou-Ruijin#7", "tR4!vq8Lp", "Sha2Zhou$Ba9"};
  for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
    if (common_passwords_has(c, fine[i])) fail_msg("%s should pass", fine[i]);
  common_passwords_free(c);
}

static void test_empty_list_refused(void **state)
{
  (void)state;
  struct common_passwords *c = NULL;
  assert_int_equal(common_passwords_parse("# only a comment\n", 17, &c), -1);
  assert_null(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reviewed_passwords_refused),
      cmocka_unit_test(test_empty_list_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
