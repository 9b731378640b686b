/* Unit tests for core/idcard: GB 11643-1999 validation (each failure class and its
 * boundaries), the parsed info, messages, masking, exact age and the check-character
 * generator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/idcard.h"

#define TODAY 20260615

struct validate_case {
  const char *id;
  int today;
  enum idcard_result want;
};

static void run_cases(const struct validate_case *c, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    enum idcard_result got = idcard_validate(c[i].id, c[i].today, NULL);
    if (got != c[i].want)
      fail_msg("\"%s\" today %d: got %d (%s), want %d", c[i].id ? c[i].id : "(null)",
               c[i].today, got, idcard_result_code(got), c[i].want);
  }
}

static void test_valid_numbers(void **state)
{
  static const struct validate_case cases[] = {
      {"11010519491231002X", TODAY, IDCARD_OK}, /* the standard's own example */
      {"11010519491231002x", TODAY, IDCARD_OK}, /* lowercase check character */
      {"360702197506151231", TODAY, IDCARD_OK}, /* 赣州 章贡区 */
      {"360781190001010015", TODAY, IDCARD_OK}, /* earliest accepted birth date */
      {"360734202402290020", TODAY, IDCARD_OK}, /* leap day */
      {"810000202606150019", TODAY, IDCARD_OK}, /* born today, 香港 */
      {"650102199912319998", TODAY, IDCARD_OK}, /* highest mainland province */
      {"710000190001010006", TODAY, IDCARD_OK}, /* 台湾 */
      {"820000200002290013", TODAY, IDCARD_OK}, /* 澳门, 2000 is a leap year */
      {"360702202606141237", TODAY, IDCARD_OK}, /* born yesterday */
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_bad_length(void **state)
{
  static const struct validate_case cases[] = {
      {NULL, TODAY, IDCARD_BAD_LENGTH},
      {"", TODAY, IDCARD_BAD_LENGTH},
      {"11010519491231002", TODAY, IDCARD_BAD_LENGTH},    /* 17 */
      {"11010519491231002X0", TODAY, IDCARD_BAD_LENGTH},  /* 19 */
      {"110105491231002", TODAY, IDCARD_BAD_LENGTH},      /* first-generation 15 digits */
      {"11010519491231002X ", TODAY, IDCARD_BAD_LENGTH},  /* trailing space */
      {" 11010519491231002X", TODAY, IDCARD_BAD_LENGTH},
      {"11010519491231002X11010519491231002X", TODAY, IDCARD_BAD_LENGTH},
      /* 6 Chinese characters are 18 bytes: length passes, the alphabet does not. */
      {"一二三四五六", TODAY, IDCARD_BAD_CHAR},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_bad_char(void **state)
{
  static const struct validate_case cases[] = {
      {"X10105194912310021", TODAY, IDCARD_BAD_CHAR},
      {"1101051949123100X2", TODAY, IDCARD_BAD_CHAR}, /* X only as the last character */
      {"11010519491231002Y", TODAY, IDCARD_BAD_CHAR},
      {"11010519491231002-", TODAY, IDCARD_BAD_CHAR},
      {"110105 9491231002X", TODAY, IDCARD_BAD_CHAR},
      {"11010519491231002\xff", TODAY, IDCARD_BAD_CHAR},
      {"-11010519491231002", TODAY, IDCARD_BAD_CHAR},
      {"１1010519491231002", TODAY, IDCARD_BAD_LENGTH}, /* full-width digit: 3 bytes */
      /* A bad character wins over a bad region: checks run in order. */
      {"00010519491231002a", TODAY, IDCARD_BAD_CHAR},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_bad_region(void **state)
{
  /* Valid check characters throughout, so only the province code is wrong. */
  char id[IDCARD_SIZE];
  static const int bad[] = {0, 1, 10, 16, 19, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72,
                            80, 83, 90, 91, 99};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    memcpy(id, "000000197506151231", IDCARD_SIZE);
    id[0] = (char)('0' + bad[i] / 10);
    id[1] = (char)('0' + bad[i] % 10);
    assert_true(idcard_make_check_char(id, &id[17]));
    if (idcard_validate(id, TODAY, NULL) != IDCARD_BAD_REGION) fail_msg("province %d", bad[i]);
  }
  static const int good[] = {11, 15, 21, 23, 31, 36, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    memcpy(id, "000000197506151231", IDCARD_SIZE);
    id[0] = (char)('0' + good[i] / 10);
    id[1] = (char)('0' + good[i] % 10);
    assert_true(idcard_make_check_char(id, &id[17]));
    if (idcard_validate(id, TODAY, NULL) != IDCARD_OK) fail_msg("province %d", good[i]);
  }
}

/* Builds 360702 + birth + "123" + check character. */
static void with_birth(const char birth[8], char id[IDCARD_SIZE])
{
  memcpy(id, "360702", 6);
  memcpy(id + 6, birth, 8);
  memcpy(id + 14, "123", 3);
  assert_true(idcard_make_check_char(id, &id[17]));
  id[18] = '\0';
}

static void test_bad_birthdate(void **state)
{
  static const struct { const char *birth; int today; enum idcard_result want; } cases[] = {
      {"19000101", TODAY, IDCARD_OK},
      {"18991231", TODAY, IDCARD_BAD_BIRTHDATE}, /* before 1900 */
      {"00000000", TODAY, IDCARD_BAD_BIRTHDATE},
      {"20260229", TODAY, IDCARD_BAD_BIRTHDATE}, /* 2026 is not a leap year */
      {"19000229", TODAY, IDCARD_BAD_BIRTHDATE}, /* nor is 1900 */
      {"20000229", TODAY, IDCARD_OK},
      {"19751301", TODAY, IDCARD_BAD_BIRTHDATE},
      {"19750001", TODAY, IDCARD_BAD_BIRTHDATE},
      {"19750100", TODAY, IDCARD_BAD_BIRTHDATE},
      {"19750431", TODAY, IDCARD_BAD_BIRTHDATE},
      {"19750132", TODAY, IDCARD_BAD_BIRTHDATE},
      {"20260615", TODAY, IDCARD_OK},            /* born today */
      {"20260616", TODAY, IDCARD_BAD_BIRTHDATE}, /* born tomorrow */
      {"20270101", TODAY, IDCARD_BAD_BIRTHDATE},
      {"19750615", 0, IDCARD_BAD_BIRTHDATE},     /* an invalid today fails closed */
      {"19750615", 20260230, IDCARD_BAD_BIRTHDATE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char id[IDCARD_SIZE];
    with_birth(cases[i].birth, id);
    enum idcard_result got = idcard_validate(id, cases[i].today, NULL);
    if (got != cases[i].want) fail_msg("birth %s: got %d", cases[i].birth, got);
  }
}

static void test_bad_checksum(void **state)
{
  /* Every wrong check character for the standard's example is caught. */
  static const char alphabet[] = "0123456789Xx";
  char id[IDCARD_SIZE];
  memcpy(id, "11010519491231002X", IDCARD_SIZE);
  for (const char *c = alphabet; *c; c++) {
    id[17] = *c;
    enum idcard_result want = (*c == 'X' || *c == 'x') ? IDCARD_OK : IDCARD_BAD_CHECKSUM;
    assert_int_equal(idcard_validate(id, TODAY, NULL), want);
  }
  static const struct validate_case cases[] = {
      {"360702197506151232", TODAY, IDCARD_BAD_CHECKSUM},
      {"360702197506151321", TODAY, IDCARD_BAD_CHECKSUM}, /* transposed digits */
      {"360702197506151241", TODAY, IDCARD_BAD_CHECKSUM}, /* one digit changed */
      {"11010519491231003X", TODAY, IDCARD_BAD_CHECKSUM},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_info(void **state)
{
  struct idcard_info info;
  assert_int_equal(idcard_validate("11010519491231002x", TODAY, &info), IDCARD_OK);
  assert_string_equal(info.number, "11010519491231002X");
  assert_int_equal(info.region_code, 110105);
  assert_int_equal(info.birth_date, 19491231);
  assert_int_equal(info.sex, IDCARD_SEX_FEMALE); /* 17th digit 2 */

  assert_int_equal(idcard_validate("360702197506151231", TODAY, &info), IDCARD_OK);
  assert_string_equal(info.number, "360702197506151231");
  assert_int_equal(info.region_code, 360702);
  assert_int_equal(info.birth_date, 19750615);
  assert_int_equal(info.sex, IDCARD_SEX_MALE); /* 17th digit 3 */

  /* Parity decides, including 0 (female) and 9 (male). */
  char id[IDCARD_SIZE] = "36070219750615120?";
  assert_true(idcard_make_check_char(id, &id[17]));
  assert_int_equal(idcard_validate(id, TODAY, &info), IDCARD_OK);
  assert_int_equal(info.sex, IDCARD_SEX_FEMALE);
  id[16] = '9';
  assert_true(idcard_make_check_char(id, &id[17]));
  assert_int_equal(idcard_validate(id, TODAY, &info), IDCARD_OK);
  assert_int_equal(info.sex, IDCARD_SEX_MALE);

  /* On failure the info is zeroed, never half-filled. */
  memset(&info, 0x5a, sizeof info);
  assert_int_equal(idcard_validate("360702197506151232", TODAY, &info), IDCARD_BAD_CHECKSUM);
  assert_int_equal(info.region_code, 0);
  assert_int_equal(info.birth_date, 0);
  assert_int_equal(info.number[0], '\0');
}

static void test_messages(void **state)
{
  static const struct { enum idcard_result r; const char *code; } cases[] = {
      {IDCARD_OK, "ok"},
      {IDCARD_BAD_LENGTH, "id_length"},
      {IDCARD_BAD_CHAR, "id_char"},
      {IDCARD_BAD_REGION, "id_region"},
      {IDCARD_BAD_BIRTHDATE, "id_birthdate"},
      {IDCARD_BAD_CHECKSUM, "id_checksum"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_string_equal(idcard_result_code(cases[i].r), cases[i].code);
    const char *zh = idcard_result_message_zh(cases[i].r);
    assert_non_null(zh);
    assert_non_null(strstr(zh, "身份证"));
    for (size_t j = 0; j < i; j++) /* distinct messages */
      assert_string_not_equal(zh, idcard_result_message_zh(cases[j].r));
  }
  assert_string_equal(idcard_result_code((enum idcard_result)99), "id_unknown");
  assert_non_null(idcard_result_message_zh((enum idcard_result)-1));
}

static void test_mask(void **state)
{
  static const struct { const char *id; const char *want; } cases[] = {
      {"360702197506151234", "3607**********1234"},
      {"11010519491231002x", "1101**********002X"},
      {"11010519491231002X", "1101**********002X"},
      {"", "******************"},
      {"3607021975061512", "******************"},
      {"3607021975061512345", "******************"},
      {NULL, "******************"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char out[IDCARD_SIZE];
    memset(out, '#', sizeof out);
    idcard_mask(cases[i].id, out);
    assert_string_equal(out, cases[i].want);
  }
  idcard_mask("360702197506151234", NULL); /* no crash */
}

static void test_age(void **state)
{
  static const struct { int birth; int on; int age; } cases[] = {
      {19750615, 20260614, 50},
      {19750615, 20260615, 51},
      {19750615, 20260616, 51},
      {19750615, 19750615, 0},
      {19750615, 19760614, 0},
      {19750615, 19760615, 1},
      {20000229, 20250228, 24}, /* Feb-29 birth, common year: not yet on the 28th */
      {20000229, 20250301, 25}, /* ... a year older on 1 March */
      {20000229, 20240228, 23},
      {20000229, 20240229, 24}, /* leap year: the birthday itself */
      {19991231, 20000101, 0},
      {19991231, 20001231, 1},
      {19000101, 99991231, 8099},
      {19750615, 19750614, -1}, /* before birth */
      {19750230, 20260615, -1},
      {19750615, 20260230, -1},
      {0, 20260615, -1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = idcard_age_on(cases[i].birth, cases[i].on);
    if (got != cases[i].age)
      fail_msg("born %d on %d: %d, want %d", cases[i].birth, cases[i].on, got, cases[i].age);
  }
}

static void test_make_check_char(void **state)
{
  static const struct { const char *first17; char want; } cases[] = {
      {"11010519491231002", 'X'}, {"36070219750615123", '1'}, {"36078119000101001", '5'},
      {"36073420240229002", '0'}, {"65010219991231999", '8'}, {"00000000000000000", '1'},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char c = '?';
    assert_true(idcard_make_check_char(cases[i].first17, &c));
    assert_int_equal(c, cases[i].want);
  }
  char c = '?';
  assert_false(idcard_make_check_char("1101051949123100X", &c));
  assert_false(idcard_make_check_char("1101051949123100 ", &c));
  assert_false(idcard_make_check_char(NULL, &c));
  assert_false(idcard_make_check_char("11010519491231002", NULL));
  assert_int_equal(c, '?');

  /* Every generated number validates: all eleven check characters occur. */
  bool seen[11] = {false};
  for (int seq = 0; seq < 1000; seq++) {
    char id[IDCARD_SIZE];
    memcpy(id, "36070219750615", 14);
    id[14] = (char)('0' + seq / 100);
    id[15] = (char)('0' + seq / 10 % 10);
    id[16] = (char)('0' + seq % 10);
    assert_true(idcard_make_check_char(id, &id[17]));
    id[18] = '\0';
    assert_int_equal(idcard_validate(id, TODAY, NULL), IDCARD_OK);
    seen[id[17] == 'X' ? 10 : id[17] - '0'] = true;
  }
  for (int i = 0; i < 11; i++) assert_true(seen[i]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_numbers), cmocka_unit_test(test_bad_length),
      cmocka_unit_test(test_bad_char),      cmocka_unit_test(test_bad_region),
      cmocka_unit_test(test_bad_birthdate), cmocka_unit_test(test_bad_checksum),
      cmocka_unit_test(test_info),          cmocka_unit_test(test_messages),
      cmocka_unit_test(test_mask),          cmocka_unit_test(test_age),
      cmocka_unit_test(test_make_check_char),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
