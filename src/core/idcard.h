/* idcard — 居民身份证号码 (GB 11643-1999): validation, masking for display, and age. */
#ifndef ZHUCUN_IDCARD_H
#define ZHUCUN_IDCARD_H

#include <stdbool.h>

#define IDCARD_LEN 18
#define IDCARD_SIZE 19 /* IDCARD_LEN and the NUL */

enum idcard_result {
  IDCARD_OK = 0,
  IDCARD_BAD_LENGTH,    /* not exactly 18 characters (15-digit first-generation numbers too) */
  IDCARD_BAD_CHAR,      /* 17 digits then a digit or X/x are required */
  IDCARD_BAD_REGION,    /* first two digits are not a province code (省级行政区划代码) */
  IDCARD_BAD_BIRTHDATE, /* not a real date, before 1900, or after the caller's today */
  IDCARD_BAD_CHECKSUM,  /* ISO 7064 MOD 11-2 check character (校验码) mismatch */
};

/* Sex codes as in GB/T 2261.1: 1 male, 2 female. */
enum idcard_sex {
  IDCARD_SEX_MALE = 1,
  IDCARD_SEX_FEMALE = 2,
};

struct idcard_info {
  char number[IDCARD_SIZE]; /* normalized: a trailing x becomes X */
  int region_code;          /* 6-digit 行政区划代码 of the place of first registration */
  int birth_date;           /* yyyymmdd */
  enum idcard_sex sex;      /* from the parity of the 17th digit (顺序码): odd is male */
};

/* Checks s against GB 11643-1999. today (yyyymmdd) bounds the birth date: a birth after it is
 * IDCARD_BAD_BIRTHDATE (an invalid today therefore rejects every number). out may be NULL;
 * it is filled on IDCARD_OK and zeroed otherwise. Checks run in the order of the enum, so the
 * first problem found is reported. */
enum idcard_result idcard_validate(const char *s, int today, struct idcard_info *out);

/* Human-readable reason for the form (Chinese) and a stable machine code ("id_checksum"). */
const char *idcard_result_message_zh(enum idcard_result r);
const char *idcard_result_code(enum idcard_result r);

/* "360702197506151234" -> "3607**********1234". Anything that is not 18 characters masks to
 * 18 asterisks so that a malformed number is never echoed. A trailing x is shown as X. */
void idcard_mask(const char *id, char out[IDCARD_SIZE]);

/* Completed years of age on on_date for someone born on birth_date (both yyyymmdd). A 29 Feb
 * birthday is reached on 1 Mar in common years. -1 if either date is invalid or on_date is
 * before birth_date. */
int idcard_age_on(int birth_date, int on_date);

/* The check character for 17 leading digits; false (and *out untouched) if any is not a
 * digit. For generators of test and demo data. */
bool idcard_make_check_char(const char first17[17], char *out);

#endif
