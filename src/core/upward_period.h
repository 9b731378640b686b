/* upward_period — the periods of 上报材料 (issue #12 part 3): a month (月报, "2026-05"), the first
 * half of a year (半年报, "2026-H1", 1 January to 30 June) and a year (年报, "2026"); their first
 * and last days, their names in Chinese and the day each report is due.
 *
 * The notice sets no reporting calendar: the days a report is due are the local parameter
 * upward_report_due (policy/ganzhou.json, marked local) — {monthly_day: the day of the next
 * month, half_year: "MM-DD" after 30 June, annual: "MM-DD" of the next year}. Pure: no I/O. */
#ifndef ZHUCUN_UPWARD_PERIOD_H
#define ZHUCUN_UPWARD_PERIOD_H

#include <stddef.h>

enum upward_kind { UPWARD_MONTHLY, UPWARD_HALF_YEAR, UPWARD_ANNUAL };

struct upward_due { int monthly_day; int half_month, half_day; int annual_month, annual_day; };

/* "monthly" | "half_year" | "annual" → kind; -1 otherwise. */
int upward_kind_parse(const char *s, enum upward_kind *out);
const char *upward_kind_name(enum upward_kind k);     /* "monthly", ... */
const char *upward_kind_zh(enum upward_kind k);       /* "月报", "半年报", "年报" */

/* The period named by text for kind, its first and last day (yyyymmdd): -1 when malformed. */
int upward_period_parse(enum upward_kind k, const char *text, int *first, int *last);
/* The last period of kind that ended before today, its name in out (size >= 8). */
void upward_period_last(enum upward_kind k, int today, char *out, size_t size);
/* "2026年5月", "2026年上半年", "2026年" */
void upward_period_zh(enum upward_kind k, int first, char *out, size_t size);
/* The day the report of the period ending `last` is due (yyyymmdd). */
int upward_period_due(enum upward_kind k, int last, const struct upward_due *due);

#endif
