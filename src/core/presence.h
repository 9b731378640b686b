/* presence — one cadre's month in the village (在村情况): attendance (考勤, clause 2.1) and the
 * 吃住在村 indicator (clause 3.6). Pure: the store gathers the acts, leaves and calendar, this
 * module counts.
 *
 * The period counted is the month cut to the post (assignment start .. end) and, for the month in
 * progress, to today. Each day of the period falls in exactly one class, in this order:
 *   in village  — at least one in-fence act: a check-in, a household visit or a log written with a
 *                 check-in (all three are rows of table checkin with in_fence = 1);
 *   leave       — inside an approved leave, or a closed one up to the day before returned_on (销假
 *                 that day: the cadre is back), and no act in the village;
 *   off site    — only out-of-fence check-ins, at least one with a reason (因公外出: a meeting in the
 *                 county ...);
 *   absent      — a working day with none of the above (an out-of-fence check-in without a reason
 *                 is no excuse);
 *   rest        — a day that is not a working day (weekend, 法定节假日) with none of the above.
 * So days_in_village + leave_days + off_site_days + absent_working_days + rest_days = period_days.
 *
 * Minimum (2.1, policy min_days_in_village_per_month, local): required_days =
 *   ceil(min_days × (period_days − leave_days) / days_in_month),
 * i.e. the full minimum for a whole month without leave, pro rata when the post starts or ends
 * inside the month, when the month is in progress, and for the days on leave; but never more than
 * the working days not on leave (a month with 春节 has 16 working days: nobody is required to stay
 * through the 法定节假日).
 * meets_minimum = days_in_village ≥ required_days.
 * The month in progress (issue 14) is judged on the days gone by, not the whole month: today counts only
 * once the cadre is in the village, and the pro rata minimum is rounded down (nobody owes a part of a day
 * yet), so nobody is 未达标 on the 5th for days they could not yet have spent. Beside it:
 *   month_required_days — the minimum for the whole month of the post (ceil, as above, with the leave
 *                         taken so far), what the month will be judged on when it ends;
 *   days_left           — the days still to come in the month of the post (today too, when not yet in
 *                         the village); 0 for a month that is over;
 *   reachable           — days_in_village + days_left ≥ month_required_days: the month's minimum can
 *                         still be met.
 *
 * 吃住在村 (3.6), a simple and explainable indicator, from the pattern of acts only (位置是证据
 * 而非证明: it points the township to whom to ask, it proves nothing):
 *   night d→d+1 "confirmed" — an in-fence act on d at or after the evening hour
 *     (stay_in_village_evening_hour, 18:00) followed by one on d+1 before the morning hour
 *     (stay_in_village_morning_hour, 09:00); both hours are local policy parameters of 3.6;
 *     nights touching a leave day are not counted; the evening dates are listed (confirmed_nights);
 *   nights — in-fence acts on d and on d+1 at any hours: shown, never scored (issue 11: two
 *     daytime check-ins say nothing of where the night was spent);
 *   nights_expected — the nights owed: between two working days, neither on leave (Monday→Tuesday
 *     ... Thursday→Friday in an ordinary week); a night touching a weekend or a 法定节假日 (the
 *     working calendar, 调休 included) is not owed; when confirmed it is counted apart
 *     (nights_confirmed_rest) and does not raise the score;
 *   present_share — working days in the village / working days not on leave;
 *   night_share   — min(1, confirmed owed nights / nights_expected) (present_share when no night is
 *     expected);
 *   stay_score    — round(50 × present_share + 50 × night_share), 0..100; -1 when the period has
 *     no working day off leave (nothing to judge);
 *   stay_label    — 好 when score ≥ stay_in_village_good_score (80), 一般 when ≥
 *     stay_in_village_fair_score (60), else 差. */
#ifndef ZHUCUN_PRESENCE_H
#define ZHUCUN_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"

/* The acts of one day at the post's village. */
struct presence_day {
  int date;              /* yyyymmdd */
  bool in_village;       /* at least one in-fence act */
  bool off_site;         /* at least one out-of-fence check-in with a reason */
  int first_minute;      /* China Standard Time minute of the day (0..1439) of the first in-fence act; -1 none */
  int last_minute;       /* ... of the last in-fence act; -1 none */
};

/* An approved or closed leave, as stored; the module clips it. */
struct presence_leave {
  int start, end;        /* yyyymmdd, both included */
  int returned_on;       /* 销假 date, 0 when none: the leave ends the day before when it is earlier than end + 1 */
};

struct presence_rules {
  int min_days;          /* min_days_in_village_per_month (2.1) */
  int evening_hour;      /* stay_in_village_evening_hour (3.6), 18 */
  int morning_hour;      /* stay_in_village_morning_hour (3.6), 9 */
  int good_score;        /* stay_in_village_good_score (3.6), 80 */
  int fair_score;        /* stay_in_village_fair_score (3.6), 60 */
};

struct presence_input {
  int year, month;
  int post_start;        /* the assignment's first day; 0: before the month */
  int post_end;          /* its last day (ended_on, else term_end); 0: open */
  int today;             /* days after today are not counted; 0: no limit */
  const struct presence_day *days;     /* any order, at most one per date; dates outside are ignored */
  size_t ndays;
  const struct presence_leave *leaves;
  size_t nleaves;
  const struct calendar *cal;
  const struct presence_rules *rules;
};

enum stay_label { STAY_NONE = 0, STAY_GOOD, STAY_FAIR, STAY_POOR };

struct presence_result {
  int first, last;          /* the period counted; both 0 when the post does not touch the month */
  bool in_progress;         /* the month is not over (cut at today) */
  int month_days, period_days, working_days;
  int days_in_village, leave_days, off_site_days, absent_working_days, rest_days;
  int required_days;
  bool meets_minimum;
  int month_required_days, days_left;
  bool reachable;
  int present_working_days, expected_working_days;
  int nights, nights_confirmed, nights_expected;
  int nights_confirmed_rest;      /* confirmed nights that were not owed (touching a rest day) */
  int confirmed_nights[31];       /* the evening date of each confirmed night, in order */
  int stay_score;           /* 0..100, -1: nothing to judge */
  enum stay_label stay_label;
};

/* -1 when the input is not usable (month, rules or a date invalid); 0 otherwise. A post that does
 * not touch the month gives an empty period (all counts 0, meets_minimum true, stay_score -1). */
int presence_compute(const struct presence_input *in, struct presence_result *out);

const char *presence_stay_label_name(enum stay_label l);  /* "good", "fair", "poor"; NULL for none */
const char *presence_stay_label_zh(enum stay_label l);    /* "好", "一般", "差"; "—" for none */

#endif
