/* date — dates travel as int yyyymmdd because that is what the database stores, what sorts
 * correctly and what a person can read in a log. Arithmetic goes through a day count
 * (Howard Hinnant's days_from_civil / civil_from_days, exact for the proleptic Gregorian
 * calendar) rather than through struct tm and mktime, which depend on the process's time
 * zone and locale; the server must behave the same wherever it is deployed, and 驻村 work
 * is always reckoned in Beijing time (UTC+8, no daylight saving).
 *
 * Periods are computed from the calendar, not stored: every period is a run of whole
 * months (or seven days for a week), so "next" is simply the day after "last". */
#include "core/date.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#define CST_OFFSET_S (8L * 3600L)
#define SECONDS_PER_DAY 86400L

static long floor_div(long a, long b)
{
  long q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

/* For b > 0; computed without multiplying so that no long overflows. */
static long floor_mod(long a, long b)
{
  long r = a % b;
  return r < 0 ? r + b : r;
}

bool date_is_leap_year(int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || year > 9999 || month < 1 || month > 12) return 0;
  if (month == 2 && date_is_leap_year(year)) return 29;
  return days[month - 1];
}

int date_year(int date) { return date / 10000; }
int date_month(int date) { return date / 100 % 100; }
int date_day(int date) { return date % 100; }

bool date_valid(int date)
{
  if (date < DATE_MIN || date > DATE_MAX) return false;
  int d = date_day(date);
  return d >= 1 && d <= date_days_in_month(date_year(date), date_month(date));
}

int date_make(int year, int month, int day)
{
  if (day < 1 || day > date_days_in_month(year, month)) return DATE_NONE;
  return year * 10000 + month * 100 + day;
}

/* Hinnant's days_from_civil, for a date already known to be valid. */
static long days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  long era = floor_div(y, 400);
  long yoe = y - era * 400;
  long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int date_to_days(int date, long *days)
{
  if (!days) return DATE_INVALID;
  if (!date_valid(date)) return DATE_INVALID;
  *days = days_from_civil(date_year(date), date_month(date), date_day(date));
  return DATE_OK;
}

int date_from_days(long days)
{
  /* The range check first keeps the arithmetic below far from overflow. */
  if (days < days_from_civil(1, 1, 1) || days > days_from_civil(9999, 12, 31)) return DATE_NONE;
  long z = days + 719468;
  long era = floor_div(z, 146097);
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  int y = (int)(yoe + era * 400) + (m <= 2);
  return y * 10000 + m * 100 + d;
}

int date_from_unix_cst(time_t t)
{
  /* Split before adding the offset so that no time_t value can overflow. */
  long days = floor_div((long)t, SECONDS_PER_DAY);
  long secs = floor_mod((long)t, SECONDS_PER_DAY);
  if (secs + CST_OFFSET_S >= SECONDS_PER_DAY) days++;
  return date_from_days(days);
}

static bool parse_digits(const char *s, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int date_parse_iso(const char *s, int *out)
{
  int y, m, d;
  if (!s || !out) return DATE_INVALID;
  if (strnlen(s, DATE_ISO_SIZE) != DATE_ISO_SIZE - 1 || s[4] != '-' || s[7] != '-')
    return DATE_INVALID;
  if (!parse_digits(s, 4, &y) || !parse_digits(s + 5, 2, &m) || !parse_digits(s + 8, 2, &d))
    return DATE_INVALID;
  int date = date_make(y, m, d);
  if (date == DATE_NONE) return DATE_INVALID;
  *out = date;
  return DATE_OK;
}

/* Writes the n low decimal digits of v, zero-padded; v is non-negative. */
static void put_digits(char *out, int v, int n)
{
  for (int i = n - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

int date_format_iso(int date, char out[DATE_ISO_SIZE])
{
  if (!out) return DATE_INVALID;
  if (!date_valid(date)) {
    out[0] = '\0';
    return DATE_INVALID;
  }
  put_digits(out, date_year(date), 4);
  out[4] = '-';
  put_digits(out + 5, date_month(date), 2);
  out[7] = '-';
  put_digits(out + 8, date_day(date), 2);
  out[10] = '\0';
  return DATE_OK;
}

int date_add_days(int date, long n)
{
  long days;
  if (date_to_days(date, &days) != DATE_OK) return DATE_NONE;
  /* |days| < 800 000, so only n itself can push the sum out of range. */
  if (n > LONG_MAX / 2 || n < LONG_MIN / 2) return DATE_NONE;
  return date_from_days(days + n);
}

int date_add_months(int date, long n)
{
  if (!date_valid(date)) return DATE_NONE;
  if (n > 12L * 10000 || n < -12L * 10000) return DATE_NONE;
  long index = (long)date_year(date) * 12 + (date_month(date) - 1) + n;
  long y = floor_div(index, 12);
  int m = (int)floor_mod(index, 12) + 1;
  if (y < 1 || y > 9999) return DATE_NONE;
  int last = date_days_in_month((int)y, m);
  int d = date_day(date) < last ? date_day(date) : last;
  return date_make((int)y, m, d);
}

int date_diff_days(int from, int to, long *out)
{
  long a, b;
  if (!out) return DATE_INVALID;
  if (date_to_days(from, &a) != DATE_OK || date_to_days(to, &b) != DATE_OK) return DATE_INVALID;
  *out = b - a;
  return DATE_OK;
}

int date_weekday(int date)
{
  long days;
  if (date_to_days(date, &days) != DATE_OK) return 0;
  return (int)floor_mod(days + 3, 7) + 1; /* 1970-01-01 was a Thursday (4) */
}

static const struct {
  enum period p;
  const char *name;
  const char *zh;
  int months; /* 0 for the week */
} periods[] = {
    {PERIOD_WEEK, "week", "周", 0},
    {PERIOD_MONTH, "month", "月", 1},
    {PERIOD_QUARTER, "quarter", "季度", 3},
    {PERIOD_HALF_YEAR, "half_year", "半年", 6},
    {PERIOD_YEAR, "year", "年", 12},
    {PERIOD_TWO_YEARS, "two_years", "两年", 24},
};

#define PERIOD_COUNT (sizeof periods / sizeof periods[0])

static int period_index(enum period p)
{
  for (size_t i = 0; i < PERIOD_COUNT; i++)
    if (periods[i].p == p) return (int)i;
  return -1;
}

int date_period_parse(const char *name, enum period *out)
{
  if (!name || !out) return DATE_INVALID;
  for (size_t i = 0; i < PERIOD_COUNT; i++) {
    if (strcmp(name, periods[i].name) == 0) {
      *out = periods[i].p;
      return DATE_OK;
    }
  }
  return DATE_INVALID;
}

const char *date_period_name(enum period p)
{
  int i = period_index(p);
  return i < 0 ? NULL : periods[i].name;
}

const char *date_period_name_zh(enum period p)
{
  int i = period_index(p);
  return i < 0 ? NULL : periods[i].zh;
}

static int week_bounds(int date, int *first, int *last)
{
  int f = date_add_days(date, 1 - date_weekday(date));
  int l = date_add_days(date, 7 - date_weekday(date));
  if (f == DATE_NONE || l == DATE_NONE) return DATE_OUT_OF_RANGE;
  *first = f;
  *last = l;
  return DATE_OK;
}

/* The first month of the span containing date, as a month index year * 12 + (month - 1). */
static long span_start_index(int date, int months, int anchor_year)
{
  long index = (long)date_year(date) * 12 + date_month(date) - 1;
  long origin = (long)anchor_year * 12; /* January of the anchor year */
  return index - floor_mod(index - origin, months);
}

static int month_span_bounds(int date, int months, int anchor_year, int *first, int *last)
{
  long start = span_start_index(date, months, anchor_year);
  long end = start + months - 1;
  if (start < 12 || end >= 12L * 10000) return DATE_OUT_OF_RANGE;
  int ey = (int)(end / 12), em = (int)(end % 12) + 1;
  *first = date_make((int)(start / 12), (int)(start % 12) + 1, 1);
  *last = date_make(ey, em, date_days_in_month(ey, em));
  return DATE_OK;
}

int date_period_bounds_anchored(enum period p, int date, int anchor_year, int *first, int *last)
{
  int i = period_index(p);
  if (i < 0 || !first || !last || !date_valid(date)) return DATE_INVALID;
  if (anchor_year < 0 || anchor_year > 9999) return DATE_INVALID;
  if (periods[i].months == 0) return week_bounds(date, first, last);
  /* Spans shorter than two years align to January of any year; two-year terms to the anchor. */
  int anchor = (p == PERIOD_TWO_YEARS && anchor_year != 0) ? anchor_year : 2000;
  return month_span_bounds(date, periods[i].months, anchor, first, last);
}

int date_period_bounds(enum period p, int date, int *first, int *last)
{
  return date_period_bounds_anchored(p, date, 0, first, last);
}

int date_period_next(enum period p, int date, int anchor_year, int *first, int *last)
{
  int f, l;
  if (!first || !last) return DATE_INVALID;
  int rc = date_period_bounds_anchored(p, date, anchor_year, &f, &l);
  if (rc != DATE_OK) return rc;
  int next = date_add_days(l, 1);
  if (next == DATE_NONE) return DATE_OUT_OF_RANGE;
  return date_period_bounds_anchored(p, next, anchor_year, first, last);
}
