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
  long num = (long)in->rules->min_days * (n - out->leave_days);
  out->required_days = (int)((num + month_days - 1) / month_days);
  if (out->required_days > out->expected_working_days) out->required_days = out->expected_working_days;
  out->meets_minimum = out->days_in_village >= out->required_days;

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
