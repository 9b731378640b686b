/* date — civil dates as int yyyymmdd (20260615), their day-count arithmetic, China Standard
 * Time (UTC+8, no DST) helpers and the calendar periods (周期) the obligation engine counts in.
 *
 * Value-returning functions answer DATE_NONE (0, never a real date) when the input is not a
 * date or the result leaves years 1..9999; functions with out-parameters return a
 * date_result code instead. */
#ifndef ZHUCUN_DATE_H
#define ZHUCUN_DATE_H

#include <stdbool.h>
#include <time.h>

#define DATE_NONE 0
#define DATE_MIN 10101    /* 0001-01-01 (proleptic Gregorian) */
#define DATE_MAX 99991231 /* 9999-12-31 */
#define DATE_ISO_SIZE 11  /* "YYYY-MM-DD" and its NUL */

enum date_result {
  DATE_OK = 0,
  DATE_INVALID = -1,      /* not a real calendar date, or an unknown name / argument */
  DATE_OUT_OF_RANGE = -2, /* the answer would fall outside DATE_MIN..DATE_MAX */
};

/* Reporting periods (填报周期) of recurring obligations. */
enum period {
  PERIOD_WEEK,      /* 周: ISO week, Monday to Sunday, may straddle a year end */
  PERIOD_MONTH,     /* 月 */
  PERIOD_QUARTER,   /* 季度 */
  PERIOD_HALF_YEAR, /* 半年 */
  PERIOD_YEAR,      /* 年 */
  PERIOD_TWO_YEARS, /* 两年: a 驻村 rotation term; even years unless anchored */
};

bool date_is_leap_year(int year);
/* Days in month (28..31); 0 when year is outside 1..9999 or month outside 1..12. */
int date_days_in_month(int year, int month);
bool date_valid(int date);
/* yyyymmdd from parts, or DATE_NONE when they do not name a real day. */
int date_make(int year, int month, int day);
int date_year(int date);
int date_month(int date);
int date_day(int date);

/* Days since 1970-01-01 (negative before). */
int date_to_days(int date, long *days);
int date_from_days(long days);

/* The calendar date in China Standard Time at instant t. */
int date_from_unix_cst(time_t t);

/* Exactly "YYYY-MM-DD" naming a real date: no sign, spaces or trailing characters. */
int date_parse_iso(const char *s, int *out);
int date_format_iso(int date, char out[DATE_ISO_SIZE]);

int date_add_days(int date, long n);
/* Adds whole months, clamping the day to the month's end (01-31 + 1 month = 02-28/29). */
int date_add_months(int date, long n);
/* *out = to - from in days. */
int date_diff_days(int from, int to, long *out);
/* ISO weekday: Monday = 1 ... Sunday = 7; 0 for a non-date. */
int date_weekday(int date);

/* Names as stored and sent over the API: "week", "month", "quarter", "half_year", "year",
 * "two_years". */
int date_period_parse(const char *name, enum period *out);
const char *date_period_name(enum period p);     /* NULL for an unknown value */
const char *date_period_name_zh(enum period p);  /* "周", "月", ...; NULL for an unknown value */

/* First and last day of the period containing date. Two-year periods start in even years. */
int date_period_bounds(enum period p, int date, int *first, int *last);
/* As date_period_bounds, but two-year periods start in anchor_year, anchor_year ± 2, ...
 * anchor_year 0 means the default (even years); it is ignored for other periods. */
int date_period_bounds_anchored(enum period p, int date, int anchor_year, int *first, int *last);
/* Bounds of the period following the one that contains date. */
int date_period_next(enum period p, int date, int anchor_year, int *first, int *last);

#endif
