/* idcard — the identity number is the key that ties a 帮扶对象 (assisted person) to the
 * national 防返贫监测 records, so a typo must be caught at the form, not discovered months
 * later when records fail to match. Validation is purely structural (GB 11643-1999): length,
 * alphabet, province code, a real birth date and the ISO 7064 MOD 11-2 check character. The
 * county-level part of the region code is not checked against a table because codes are
 * retired and renumbered (赣州 itself has changed several) while the numbers issued under
 * them remain valid for life.
 *
 * "Today" is a parameter rather than read from the clock so that the module stays pure and
 * its tests deterministic. Numbers are masked wherever they are shown (个人信息保护), so the
 * mask never reproduces a malformed input. */
#include "core/idcard.h"

#include <string.h>

#include "core/date.h"

#define MIN_BIRTH_YEAR 1900

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* 省级行政区划代码 (GB/T 2260): mainland provinces, then 台湾 71, 香港 81, 澳门 82. */
static bool province_valid(int code)
{
  static const int codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                              42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71,
                              81, 82};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    if (codes[i] == code) return true;
  return false;
}

static int digits_value(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

bool idcard_make_check_char(const char first17[17], char *out)
{
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  if (!first17 || !out) return false;
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    if (!is_digit(first17[i])) return false;
    sum += (first17[i] - '0') * weights[i];
  }
  *out = check[sum % 11];
  return true;
}

static enum idcard_result check_chars(const char *s)
{
  for (int i = 0; i < IDCARD_LEN - 1; i++)
    if (!is_digit(s[i])) return IDCARD_BAD_CHAR;
  char last = s[IDCARD_LEN - 1];
  if (!is_digit(last) && last != 'X' && last != 'x') return IDCARD_BAD_CHAR;
  return IDCARD_OK;
}

static enum idcard_result check_birth(int birth, int today)
{
  if (!date_valid(birth) || date_year(birth) < MIN_BIRTH_YEAR) return IDCARD_BAD_BIRTHDATE;
  if (!date_valid(today) || birth > today) return IDCARD_BAD_BIRTHDATE;
  return IDCARD_OK;
}

static enum idcard_result validate(const char *s, int today)
{
  if (!s || strnlen(s, IDCARD_SIZE) != IDCARD_LEN) return IDCARD_BAD_LENGTH;
  if (check_chars(s) != IDCARD_OK) return IDCARD_BAD_CHAR;
  if (!province_valid(digits_value(s, 2))) return IDCARD_BAD_REGION;
  if (check_birth(digits_value(s + 6, 8), today) != IDCARD_OK) return IDCARD_BAD_BIRTHDATE;
  char want;
  if (!idcard_make_check_char(s, &want)) return IDCARD_BAD_CHAR;
  char got = s[IDCARD_LEN - 1] == 'x' ? 'X' : s[IDCARD_LEN - 1];
  return got == want ? IDCARD_OK : IDCARD_BAD_CHECKSUM;
}

enum idcard_result idcard_validate(const char *s, int today, struct idcard_info *out)
{
  enum idcard_result r = validate(s, today);
  if (!out) return r;
  memset(out, 0, sizeof *out);
  if (r != IDCARD_OK) return r;
  memcpy(out->number, s, IDCARD_LEN);
  if (out->number[IDCARD_LEN - 1] == 'x') out->number[IDCARD_LEN - 1] = 'X';
  out->number[IDCARD_LEN] = '\0';
  out->region_code = digits_value(s, 6);
  out->birth_date = digits_value(s + 6, 8);
  out->sex = (s[16] - '0') % 2 == 1 ? IDCARD_SEX_MALE : IDCARD_SEX_FEMALE;
  return IDCARD_OK;
}

static const struct {
  enum idcard_result r;
  const char *code;
  const char *zh;
} results[] = {
    {IDCARD_OK, "ok", "身份证号码有效"},
    {IDCARD_BAD_LENGTH, "id_length", "身份证号码应为18位"},
    {IDCARD_BAD_CHAR, "id_char", "身份证号码前17位应为数字，最后一位为数字或X"},
    {IDCARD_BAD_REGION, "id_region", "身份证号码前两位不是有效的省级行政区划代码"},
    {IDCARD_BAD_BIRTHDATE, "id_birthdate", "身份证号码中的出生日期无效"},
    {IDCARD_BAD_CHECKSUM, "id_checksum", "身份证号码校验位错误，请核对"},
};

const char *idcard_result_message_zh(enum idcard_result r)
{
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (results[i].r == r) return results[i].zh;
  return "身份证号码校验出现未知错误";
}

const char *idcard_result_code(enum idcard_result r)
{
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (results[i].r == r) return results[i].code;
  return "id_unknown";
}

void idcard_mask(const char *id, char out[IDCARD_SIZE])
{
  if (!out) return;
  memset(out, '*', IDCARD_LEN);
  out[IDCARD_LEN] = '\0';
  if (!id || strnlen(id, IDCARD_SIZE) != IDCARD_LEN) return;
  memcpy(out, id, 4);
  memcpy(out + IDCARD_LEN - 4, id + IDCARD_LEN - 4, 4);
  if (out[IDCARD_LEN - 1] == 'x') out[IDCARD_LEN - 1] = 'X';
}

int idcard_age_on(int birth_date, int on_date)
{
  if (!date_valid(birth_date) || !date_valid(on_date) || on_date < birth_date) return -1;
  int age = date_year(on_date) - date_year(birth_date);
  /* Month-day as mmdd: a 0229 birthday is "not yet" on 0228 and reached on 0301. */
  if (on_date % 10000 < birth_date % 10000) age--;
  return age;
}
