/* calendar — the working calendar (工作日历) as pure logic: Monday to Friday are working days,
 * Saturday and Sunday are not, except for the exceptions the State Council publishes each year:
 * 法定节假日 (a holiday, also a holiday in lieu 调休放假, is not a working day) and 调休上班 (a
 * weekend day that is a working day). The exceptions come from the store (table calendar_day,
 * loaded from chinese-days); this module only answers questions about dates (int yyyymmdd). */
#ifndef ZHUCUN_CALENDAR_H
#define ZHUCUN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

enum calendar_kind {
  CALENDAR_NORMAL = 0,   /* no exception: the weekday decides */
  CALENDAR_HOLIDAY,      /* 法定节假日 / 调休放假: not a working day, whatever the weekday */
  CALENDAR_WORKDAY,      /* 调休上班: a working day, whatever the weekday */
};

struct calendar_exception {
  int date;                 /* yyyymmdd */
  enum calendar_kind kind;  /* CALENDAR_HOLIDAY or CALENDAR_WORKDAY */
};

/* A view over exceptions sorted by date (calendar_sort), borrowed. items may be NULL when n is 0:
 * then only the weekday counts. */
struct calendar {
  const struct calendar_exception *items;
  size_t n;
};

/* Sorts in place by date; of two entries for one date the later one in the input is kept
 * and the duplicate dropped. Returns the new count. */
size_t calendar_sort(struct calendar_exception *items, size_t n);

/* The exception of date, or CALENDAR_NORMAL. */
enum calendar_kind calendar_kind_of(const struct calendar *cal, int date);
/* True for a working day; false also for a non-date. */
bool calendar_is_working_day(const struct calendar *cal, int date);
/* Working days in from..to, both included; 0 when to < from; -1 when either is not a date. */
int calendar_working_days(const struct calendar *cal, int from, int to);

/* "holiday", "workday" (as stored in calendar_day.kind); NULL for CALENDAR_NORMAL. */
const char *calendar_kind_name(enum calendar_kind kind);
const char *calendar_kind_name_zh(enum calendar_kind kind); /* "法定节假日", "调休上班" */
/* The stored name back to the kind: -1 for an unknown name. */
int calendar_kind_parse(const char *name, enum calendar_kind *out);

/* chinese-days writes each day as "English name,中文名,N" (e.g. "Spring Festival,春节,4"): copies
 * the Chinese name (the second field), or the first field when there is no second, into out.
 * -1 when value is empty or the name does not fit. */
int calendar_name_zh(const char *value, char *out, size_t outlen);

#endif
