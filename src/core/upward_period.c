/* upward_period — see upward_period.h. */
#include "core/upward_period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

static const char *const NAMES[] = {"monthly", "half_year", "annual"};
static const char *const NAMES_ZH[] = {"月报", "半年报", "年报"};

int upward_kind_parse(const char *s, enum upward_kind *out)
{
  for (int i = 0; s && i < 3; i++)
    if (strcmp(s, NAMES[i]) == 0) { *out = (enum upward_kind)i; return 0; }
  return -1;
}

const char *upward_kind_name(enum upward_kind k) { return NAMES[k]; }
const char *upward_kind_zh(enum upward_kind k) { return NAMES_ZH[k]; }

static int digits(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return -1;
  return 0;
}

int upward_period_parse(enum upward_kind k, const char *text, int *first, int *last)
{
  size_t len = text ? strlen(text) : 0;
  if (len < 4 || digits(text, 4) != 0) return -1;
  int year = atoi(text);
  if (year < 2000 || year > 2100) return -1;
  if (k == UPWARD_ANNUAL) {
    if (len != 4) return -1;
    *first = date_make(year, 1, 1);
    *last = date_make(year, 12, 31);
    return 0;
  }
  if (k == UPWARD_HALF_YEAR) {
    if (len != 7 || strcmp(text + 4, "-H1") != 0) return -1;
    *first = date_make(year, 1, 1);
    *last = date_make(year, 6, 30);
    return 0;
  }
  if (len != 7 || text[4] != '-' || digits(text + 5, 2) != 0) return -1;
  int month = atoi(text + 5);
  if (month < 1 || month > 12) return -1;
  *first = date_make(year, month, 1);
  *last = date_make(year, month, date_days_in_month(year, month));
  return 0;
}

void upward_period_last(enum upward_kind k, int today, char *out, size_t size)
{
  int y = date_year(today), m = date_month(today);
  if (k == UPWARD_ANNUAL) { snprintf(out, size, "%04d", y - 1); return; }
  if (k == UPWARD_HALF_YEAR) { snprintf(out, size, "%04d-H1", m > 6 ? y : y - 1); return; }
  if (m == 1) snprintf(out, size, "%04d-12", y - 1);
  else snprintf(out, size, "%04d-%02d", y, m - 1);
}

void upward_period_zh(enum upward_kind k, int first, char *out, size_t size)
{
  int y = date_year(first);
  if (k == UPWARD_ANNUAL) snprintf(out, size, "%d年", y);
  else if (k == UPWARD_HALF_YEAR) snprintf(out, size, "%d年上半年", y);
  else snprintf(out, size, "%d年%d月", y, date_month(first));
}

/* month/day of year y, the day clipped to the month's length */
static int clipped(int y, int m, int d)
{
  int max = date_days_in_month(y, m);
  return date_make(y, m, d < 1 ? 1 : d > max ? max : d);
}

int upward_period_due(enum upward_kind k, int last, const struct upward_due *due)
{
  int y = date_year(last);
  if (k == UPWARD_ANNUAL) return clipped(y + 1, due->annual_month, due->annual_day);
  if (k == UPWARD_HALF_YEAR) return clipped(y, due->half_month, due->half_day);
  int next = date_add_days(last, 1);
  return clipped(date_year(next), date_month(next), due->monthly_day);
}
