/* presence — classify each day of the period, then count (see presence.h for the definitions). */
#include "core/presence.h"

#include <string.h>

#include "core/date.h"

#define MAX_DAYS 31

static bool rules_valid(const struct presence_rules *r)
{
  return r && r->min_days >= 0 && r->min_days <= 31 && r->evening_hour >= 0 && r->evening_hour <= 24 &&
         r->morning_hour >= 0 && r->morning_hour <= 24 && r->good_score >= r->fair_score && r->fair_score >= 0 &&
         r->good_score <= 100;
}

/* Index of date in the period, or -1. */
static int index_of(int first, int last, int date)
{
  if (date < first || date > last) return -1;
  long diff;
  if (date_diff_days(first, date, &diff) != DATE_OK) return -1;
  return (int)diff;
}

/* Working days from `from` to `to` (both included); 0 when to < from. */
static int working_days_between(const struct calendar *cal, int from, int to)
{
  int w = 0;
  for (int d = from; d != DATE_NONE && d <= to; d = date_add_days(d, 1)) w += calendar_is_working_day(cal, d);
  return w;
}

/* The minimum (2.1), see presence.h. A month in progress is judged on the days gone by: today counts once
 * the cadre is in the village, and a part of a day owed is not owed yet (rounded down), so that nobody is
 * behind on the 1st at 10:00 or on the 5th for days they could not yet have spent. Whether the whole
 * month's minimum can still be reached is told apart (days_left, month_required_days, reachable). */
static void judge_minimum(const struct presence_input *in, struct presence_result *out, int n, bool present_today,
                          bool leave_today, bool working_today)
{
  int min = in->rules->min_days, month_days = out->month_days;
  int judged = n, judged_leave = out->leave_days, judged_working = out->expected_working_days;
  if (out->in_progress && !present_today) {
    judged--;
    judged_leave -= leave_today;
    judged_working -= working_today && !leave_today;
  }
  long num = (long)min * (judged - judged_leave);
  out->required_days = (int)(out->in_progress ? num / month_days : (num + month_days - 1) / month_days);
  if (out->required_days > judged_working) out->required_days = judged_working;
  out->meets_minimum = out->days_in_village >= out->required_days;

  /* the whole month of the post: the days still to come may all be spent in the village */
  int end = date_make(in->year, in->month, month_days);
  if (in->post_end && in->post_end < end) end = in->post_end;
  long left = 0;
  if (out->in_progress) date_diff_days(out->last, end, &left);
  out->days_left = (int)left + (out->in_progress && !present_today && !leave_today);
  int full = n + (int)left;
  long whole = (long)min * (full - out->leave_days);
  out->month_required_days = (int)((whole + month_days - 1) / month_days);
  int cap = out->expected_working_days + (out->in_progress ? working_days_between(in->cal, date_add_days(out->last, 1), end) : 0);
  if (out->month_required_days > cap) out->month_required_days = cap;
  out->reachable = out->days_in_village + out->days_left >= out->month_required_days;
}

int presence_compute(const struct presence_input *in, struct presence_result *out)
{
  memset(out, 0, sizeof *out);
  out->stay_score = -1;
  out->meets_minimum = true;
  if (!in || !rules_valid(in->rules)) return -1;
  int month_days = date_days_in_month(in->year, in->month);
  if (month_days == 0) return -1;
  if ((in->post_start && !date_valid(in->post_start)) || (in->post_end && !date_valid(in->post_end)) ||
      (in->today && !date_valid(in->today)))
    return -1;
  out->month_days = month_days;
  int first = date_make(in->year, in->month, 1), last = date_make(in->year, in->month, month_days);
  if (in->post_start > first) first = in->post_start;
  if (in->post_end && in->post_end < last) last = in->post_end;
  if (in->today && in->today < last) { last = in->today; out->in_progress = true; }
  if (last < first) { out->in_progress = false; return 0; }
  out->first = first;
  out->last = last;
  long span;
  date_diff_days(first, last, &span);
  int n = (int)span + 1;
  out->period_days = n;

  bool present[MAX_DAYS] = {0}, off[MAX_DAYS] = {0}, evening[MAX_DAYS] = {0}, morning[MAX_DAYS] = {0};
  bool leave[MAX_DAYS] = {0}, working[MAX_DAYS] = {0};
  int evening_minute = in->rules->evening_hour * 60, morning_minute = in->rules->morning_hour * 60;
  for (size_t i = 0; i < in->ndays; i++) {
    const struct presence_day *d = &in->days[i];
    int k = index_of(first, last, d->date);
    if (k < 0) continue;
    present[k] |= d->in_village;
    off[k] |= d->off_site;
    if (d->in_village && d->last_minute >= evening_minute) evening[k] = true;
    if (d->in_village && d->first_minute >= 0 && d->first_minute < morning_minute) morning[k] = true;
  }
  for (size_t i = 0; i < in->nleaves; i++) {
    const struct presence_leave *l = &in->leaves[i];
    int end = l->end;
    if (l->returned_on && l->returned_on <= end) end = date_add_days(l->returned_on, -1);
    for (int d = l->start > first ? l->start : first; d != DATE_NONE && d <= end && d <= last; d = date_add_days(d, 1))
      leave[index_of(first, last, d)] = true;
  }
  for (int k = 0, d = first; k < n; k++, d = date_add_days(d, 1)) {
    working[k] = calendar_is_working_day(in->cal, d);
    out->working_days += working[k];
    leave[k] = leave[k] && !present[k];  /* in the village while on leave: it counts as in the village */
    if (present[k]) out->days_in_village++;
    else if (leave[k]) out->leave_days++;
    else if (off[k]) out->off_site_days++;
    else if (working[k]) out->absent_working_days++;
    else out->rest_days++;
    if (working[k] && !leave[k]) out->expected_working_days++;
    if (working[k] && present[k]) out->present_working_days++;
  }
  judge_minimum(in, out, n, present[n - 1], leave[n - 1], working[n - 1]);

  for (int k = 0; k + 1 < n; k++) {
    if (leave[k] || leave[k + 1]) continue;
    bool owed = working[k] && working[k + 1];
    if (owed) out->nights_expected++;
    if (present[k] && present[k + 1]) out->nights++;
    if (evening[k] && morning[k + 1]) {
      out->confirmed_nights[out->nights_confirmed++] = date_add_days(first, k);
      if (!owed) out->nights_confirmed_rest++;
    }
  }
  if (out->expected_working_days == 0) return 0;
  double present_share = (double)out->present_working_days / out->expected_working_days;
  if (present_share > 1) present_share = 1;
  double night_share = present_share;
  if (out->nights_expected > 0) {
    night_share = (double)(out->nights_confirmed - out->nights_confirmed_rest) / out->nights_expected;
    if (night_share > 1) night_share = 1;
  }
  out->stay_score = (int)(50 * present_share + 50 * night_share + 0.5);
  out->stay_label = out->stay_score >= in->rules->good_score   ? STAY_GOOD
                    : out->stay_score >= in->rules->fair_score ? STAY_FAIR
                                                               : STAY_POOR;
  return 0;
}

const char *presence_stay_label_name(enum stay_label l)
{
  switch (l) {
  case STAY_GOOD: return "good";
  case STAY_FAIR: return "fair";
  case STAY_POOR: return "poor";
  case STAY_NONE: break;
  }
  return NULL;
}

const char *presence_stay_label_zh(enum stay_label l)
{
  switch (l) {
  case STAY_GOOD: return "好";
  case STAY_FAIR: return "一般";
  case STAY_POOR: return "差";
  case STAY_NONE: break;
  }
  return "—";
}
