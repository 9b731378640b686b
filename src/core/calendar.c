/* calendar — weekdays plus the published exceptions; binary search over the sorted list. */
#include "core/calendar.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"

/* Sorting keeps the input position so that, of two entries for one date, the later one wins. */
struct keyed { struct calendar_exception e; size_t pos; };

static int by_date_then_pos(const void *a, const void *b)
{
  const struct keyed *x = a, *y = b;
  if (x->e.date != y->e.date) return x->e.date < y->e.date ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

size_t calendar_sort(struct calendar_exception *items, size_t n)
{
  if (n == 0 || !items) return 0;
  struct keyed *k = malloc(n * sizeof *k);
  if (!k) return 0;
  for (size_t i = 0; i < n; i++) k[i] = (struct keyed){items[i], i};
  qsort(k, n, sizeof *k, by_date_then_pos);
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    if (out > 0 && items[out - 1].date == k[i].e.date) items[out - 1] = k[i].e;
    else items[out++] = k[i].e;
  }
  free(k);
  return out;
}

enum calendar_kind calendar_kind_of(const struct calendar *cal, int date)
{
  if (!cal || !cal->items) return CALENDAR_NORMAL;
  size_t lo = 0, hi = cal->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cal->items[mid].date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo < cal->n && cal->items[lo].date == date ? cal->items[lo].kind : CALENDAR_NORMAL;
}

bool calendar_is_working_day(const struct calendar *cal, int date)
{
  int wd = date_weekday(date);
  if (wd == 0) return false;
  switch (calendar_kind_of(cal, date)) {
  case CALENDAR_HOLIDAY: return false;
  case CALENDAR_WORKDAY: return true;
  case CALENDAR_NORMAL: break;
  }
  return wd <= 5;
}

int calendar_working_days(const struct calendar *cal, int from, int to)
{
  if (!date_valid(from) || !date_valid(to)) return -1;
  int count = 0;
  for (int d = from; d != DATE_NONE && d <= to; d = date_add_days(d, 1))
    count += calendar_is_working_day(cal, d);
  return count;
}

const char *calendar_kind_name(enum calendar_kind kind)
{
  switch (kind) {
  case CALENDAR_HOLIDAY: return "holiday";
  case CALENDAR_WORKDAY: return "workday";
  case CALENDAR_NORMAL: break;
  }
  return NULL;
}

const char *calendar_kind_name_zh(enum calendar_kind kind)
{
  switch (kind) {
  case CALENDAR_HOLIDAY: return "法定节假日";
  case CALENDAR_WORKDAY: return "调休上班";
  case CALENDAR_NORMAL: break;
  }
  return NULL;
}

int calendar_kind_parse(const char *name, enum calendar_kind *out)
{
  if (!name) return -1;
  if (strcmp(name, "holiday") == 0) *out = CALENDAR_HOLIDAY;
  else if (strcmp(name, "workday") == 0) *out = CALENDAR_WORKDAY;
  else return -1;
  return 0;
}

int calendar_name_zh(const char *value, char *out, size_t outlen)
{
  if (!value || !*value || outlen == 0) return -1;
  const char *start = value, *comma = strchr(value, ',');
  if (comma && comma[1] && comma[1] != ',') start = comma + 1;
  size_t len = strcspn(start, ",");
  while (len > 0 && start[len - 1] == ' ') len--;
  while (len > 0 && *start == ' ') { start++; len--; }
  if (len == 0 || len >= outlen) return -1;
  memcpy(out, start, len);
  out[len] = '\0';
  return 0;
}
