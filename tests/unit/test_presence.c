/* Tests of core/presence: one cadre's month — days in the village, leave, off site, absent, rest,
 * the minimum (2.1) and the 吃住在村 indicator (3.6). Each case draws the month as a string, one
 * character a day:  v  in-fence act at 08:00 (a morning act);  d  in-fence acts at 10:00 and 15:00
 * (daytime only);  e  one in-fence act at 19:00 (an evening);  n  in-fence acts at 07:30 and 19:00
 * (evening and morning);  o  only an out-of-fence check-in with a reason;  x  only an out-of-fence check-in
 * without a reason;  .  nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/date.h"
#include "core/presence.h"

static const struct calendar_exception SPRING_2026[] = {
  {20260214, CALENDAR_WORKDAY}, {20260215, CALENDAR_HOLIDAY}, {20260216, CALENDAR_HOLIDAY},
  {20260217, CALENDAR_HOLIDAY}, {20260218, CALENDAR_HOLIDAY}, {20260219, CALENDAR_HOLIDAY},
  {20260220, CALENDAR_HOLIDAY}, {20260221, CALENDAR_HOLIDAY}, {20260222, CALENDAR_HOLIDAY},
  {20260223, CALENDAR_HOLIDAY}, {20260228, CALENDAR_WORKDAY},
};
static const struct calendar CAL = {SPRING_2026, sizeof SPRING_2026 / sizeof SPRING_2026[0]};
static const struct presence_rules RULES = {20, 18, 9, 80, 60};

/* November 2026 begins on a Sunday: its 21 working days. */
#define NOV_ALL ".vvvvv..vvvvv..vvvvv..vvvvv..v"

struct expect {
  int in_village, leave, off_site, absent, rest, required;
  bool meets;
  int nights, confirmed, expected_nights, score;
  enum stay_label label;
};

struct leave3 { int start, end, returned_on; };

static const struct {
  const char *name;
  int year, month, post_start, post_end, today;
  const char *days;
  struct leave3 leaves[2];
  struct expect e;
} CASES[] = {
  {"weekend rest, every working day in the village", 2026, 11, 0, 0, 0, NOV_ALL, {{0}},
   {21, 0, 0, 0, 9, 20, true, 16, 0, 16, 50, STAY_POOR}},
  {"exactly the minimum: 20 days", 2026, 11, 0, 0, 0, ".vvvvv..vvvvv..vvvvv..vvvvv...", {{0}},
   {20, 0, 0, 1, 9, 20, true, 16, 0, 16, 48, STAY_POOR}},
  {"one day under: 19 days", 2026, 11, 0, 0, 0, ".vvvvv..vvvvv..vvvvv..vvvv....", {{0}},
   {19, 0, 0, 2, 9, 20, false, 15, 0, 16, 45, STAY_POOR}},
  {"a leave across the month's start (10-26..11-06)", 2026, 11, 0, 0, 0, "........vvvvv..vvvvv..vvvvv..v",
   {{20261026, 20261106, 0}}, {16, 6, 0, 0, 8, 16, true, 12, 0, 12, 50, STAY_POOR}},
  {"a post starting mid-month (11-16)", 2026, 11, 20261116, 0, 0, NOV_ALL, {{0}},
   {11, 0, 0, 0, 4, 10, true, 8, 0, 8, 50, STAY_POOR}},
  {"a post starting mid-month, one day under its pro-rata minimum", 2026, 11, 20261116, 0, 0,
   ".vvvvv..vvvvv..vvvvv..vvvv....", {{0}}, {9, 0, 0, 2, 4, 10, false, 7, 0, 8, 41, STAY_POOR}},
  {"a post ending mid-month (11-13)", 2026, 11, 0, 20261113, 0, NOV_ALL, {{0}},
   {10, 0, 0, 0, 3, 9, true, 8, 0, 8, 50, STAY_POOR}},
  {"a leave 11-09..11-20 closed early: back on 11-13", 2026, 11, 0, 0, 0, ".vvvvv......v..vvvvv..vvvvv..v",
   {{20261109, 20261120, 20261113}}, {17, 4, 0, 0, 9, 17, true, 12, 0, 12, 50, STAY_POOR}},
  {"in the village on a day of leave: counts in the village", 2026, 11, 0, 0, 0, NOV_ALL,
   {{20261102, 20261106, 0}}, {21, 0, 0, 0, 9, 20, true, 16, 0, 16, 50, STAY_POOR}},
  {"春节 2026: 16 working days, all in the village", 2026, 2, 0, 0, 0, ".vvvvv..vvvvvv.........vvvvv", {{0}},
   {16, 0, 0, 0, 12, 16, true, 13, 0, 13, 50, STAY_POOR}},
  {"春节 2026: the working Saturday 02-28 missed", 2026, 2, 0, 0, 0, ".vvvvv..vvvvvv.........vvvv.", {{0}},
   {15, 0, 0, 1, 12, 16, false, 12, 0, 13, 47, STAY_POOR}},
  {"overnight: evening and next morning in the village, week of 11-09", 2026, 11, 0, 0, 0,
   ".vvvvv..nnnnn..vvvvv..vvvvv..v", {{0}}, {21, 0, 0, 0, 9, 20, true, 16, 4, 16, 63, STAY_FAIR}},
  {"Mondays to Thursdays only, mornings only: 差", 2026, 11, 0, 0, 0, ".vvvv...vvvv...vvvv...vvvv...v", {{0}},
   {17, 0, 0, 4, 9, 20, false, 12, 0, 16, 40, STAY_POOR}},
  {"every other day, never two in a row: 差", 2026, 11, 0, 0, 0, ".v.v.v..v.v.v..v.v.v..v.v.v..v", {{0}},
   {13, 0, 0, 8, 9, 20, false, 0, 0, 16, 31, STAY_POOR}},
  {"off site with a reason; out of the fence without one is absent", 2026, 11, 0, 0, 0,
   ".vvvvv..vvvvv..vvvvv..vvvvo..x", {{0}}, {19, 0, 1, 1, 9, 20, false, 15, 0, 16, 45, STAY_POOR}},
  /* issue 14: judged on the days gone by — today (a Sunday, not in the village) not yet, rounded down */
  {"the month in progress: counted to today (11-15)", 2026, 11, 0, 0, 20261115, NOV_ALL, {{0}},
   {10, 0, 0, 0, 5, 9, true, 8, 0, 8, 50, STAY_POOR}},
  /* issue 11: a night is judged from an evening act and the next morning's, never from daytime acts */
  {"daytime acts only (10:00-15:00) every working day: no night confirmed", 2026, 11, 0, 0, 0,
   ".ddddd..ddddd..ddddd..ddddd..d", {{0}}, {21, 0, 0, 0, 9, 20, true, 16, 0, 16, 50, STAY_POOR}},
  {"evening and morning every working day: every owed night confirmed", 2026, 11, 0, 0, 0,
   ".nnnnn..nnnnn..nnnnn..nnnnn..n", {{0}}, {21, 0, 0, 0, 9, 20, true, 16, 16, 16, 100, STAY_GOOD}},
  {"evenings without the next morning (19:00, then 10:00): not confirmed", 2026, 11, 0, 0, 0,
   ".edede..edede..edede..edede..e", {{0}}, {21, 0, 0, 0, 9, 20, true, 16, 0, 16, 50, STAY_POOR}},
  {"the post does not touch the month", 2026, 11, 20261201, 0, 0, NOV_ALL, {{0}},
   {0, 0, 0, 0, 0, 0, true, 0, 0, 0, -1, STAY_NONE}},
  {"on leave the whole month: nothing to judge", 2026, 11, 0, 0, 0, "..............................",
   {{20261101, 20261130, 0}}, {0, 30, 0, 0, 0, 0, true, 0, 0, 0, -1, STAY_NONE}},
};

static size_t build_days(int year, int month, const char *pattern, struct presence_day *out)
{
  size_t n = 0;
  for (int i = 0; pattern[i]; i++) {
    int date = date_make(year, month, i + 1);
    switch (pattern[i]) {
    case 'v': out[n++] = (struct presence_day){date, true, false, 480, 480}; break;
    case 'd': out[n++] = (struct presence_day){date, true, false, 600, 900}; break;
    case 'e': out[n++] = (struct presence_day){date, true, false, 1140, 1140}; break;
    case 'n': out[n++] = (struct presence_day){date, true, false, 450, 1140}; break;
    case 'o': out[n++] = (struct presence_day){date, false, true, -1, -1}; break;
    case 'x': out[n++] = (struct presence_day){date, false, false, -1, -1}; break;
    default: break;
    }
  }
  return n;
}

static void test_cases(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    struct presence_day days[31];
    struct presence_leave leaves[2];
    size_t nleaves = 0;
    for (int k = 0; k < 2; k++)
      if (CASES[i].leaves[k].start)
        leaves[nleaves++] = (struct presence_leave){CASES[i].leaves[k].start, CASES[i].leaves[k].end,
                                                    CASES[i].leaves[k].returned_on};
    struct presence_input in = {CASES[i].year, CASES[i].month, CASES[i].post_start, CASES[i].post_end,
                                CASES[i].today, days, build_days(CASES[i].year, CASES[i].month, CASES[i].days, days),
                                leaves, nleaves, &CAL, &RULES};
    struct presence_result r;
    if (presence_compute(&in, &r) != 0) fail_msg("%s: refused", CASES[i].name);
    const struct expect *e = &CASES[i].e;
    if (r.days_in_village != e->in_village || r.leave_days != e->leave || r.off_site_days != e->off_site ||
        r.absent_working_days != e->absent || r.rest_days != e->rest || r.required_days != e->required ||
        r.meets_minimum != e->meets || r.nights != e->nights || r.nights_confirmed != e->confirmed ||
        r.nights_expected != e->expected_nights || r.stay_score != e->score || r.stay_label != e->label)
      fail_msg("%s: got village %d leave %d off %d absent %d rest %d required %d meets %d nights %d/%d/%d score %d "
               "label %d", CASES[i].name, r.days_in_village, r.leave_days, r.off_site_days, r.absent_working_days,
               r.rest_days, r.required_days, r.meets_minimum, r.nights, r.nights_confirmed, r.nights_expected,
               r.stay_score, r.stay_label);
    /* every day of the period is in exactly one class */
    int sum = r.days_in_village + r.leave_days + r.off_site_days + r.absent_working_days + r.rest_days;
    if (sum != r.period_days) fail_msg("%s: classes sum to %d, period has %d days", CASES[i].name, sum, r.period_days);
  }
}

/* Issue 11 (3.6): the confirmed nights are listed by their evening date; a confirmed night that
 * touches a weekend is shown but not owed, so it neither raises the score nor makes up a missed one. */
static void test_confirmed_nights(void **state)
{
  (void)state;
  struct presence_day days[31];
  /* Mon 11-09 .. Sat 11-14 evenings and mornings, Sun 11-15 a morning act: nights 9→10 … 12→13
   * owed and confirmed; 13→14 (Fri→Sat) and 14→15 (Sat→Sun) confirmed but not owed */
  struct presence_input in = {2026, 11, 0, 0, 0, days, build_days(2026, 11, "........nnnnnnv", days), NULL, 0,
                              &CAL, &RULES};
  struct presence_result r;
  assert_int_equal(presence_compute(&in, &r), 0);
  assert_int_equal(r.nights_confirmed, 6);
  assert_int_equal(r.nights_confirmed_rest, 2);
  const int want[] = {20261109, 20261110, 20261111, 20261112, 20261113, 20261114};
  for (int i = 0; i < 6; i++) assert_int_equal(r.confirmed_nights[i], want[i]);
  /* present 5 of 21 working days, 4 of 16 owed nights: round(50 × 5/21 + 50 × 4/16) = 24 */
  assert_int_equal(r.stay_score, 24);
  /* the hours are the policy's: with the evening at 20:00 the 19:00 acts confirm nothing */
  struct presence_rules late = RULES;
  late.evening_hour = 20;
  in.rules = &late;
  assert_int_equal(presence_compute(&in, &r), 0);
  assert_int_equal(r.nights_confirmed, 0);
  assert_int_equal(r.stay_score, 12);
}

static void test_period_and_labels(void **state)
{
  (void)state;
  struct presence_day days[31];
  struct presence_input in = {2026, 11, 0, 0, 20261115, days, build_days(2026, 11, NOV_ALL, days), NULL, 0, &CAL, &RULES};
  struct presence_result r;
  assert_int_equal(presence_compute(&in, &r), 0);
  assert_true(r.in_progress);
  assert_int_equal(r.first, 20261101);
  assert_int_equal(r.last, 20261115);
  assert_int_equal(r.working_days, 10);
  in.today = 0;
  assert_int_equal(presence_compute(&in, &r), 0);
  assert_false(r.in_progress);
  assert_int_equal(r.month_days, 30);
  assert_int_equal(r.working_days, 21);
  /* refused input */
  in.month = 13;
  assert_int_equal(presence_compute(&in, &r), -1);
  in.month = 11;
  struct presence_rules bad = {20, 18, 9, 50, 60}; /* good below fair */
  in.rules = &bad;
  assert_int_equal(presence_compute(&in, &r), -1);
  assert_string_equal(presence_stay_label_zh(STAY_GOOD), "好");
  assert_string_equal(presence_stay_label_zh(STAY_FAIR), "一般");
  assert_string_equal(presence_stay_label_zh(STAY_POOR), "差");
  assert_string_equal(presence_stay_label_name(STAY_POOR), "poor");
  assert_null(presence_stay_label_name(STAY_NONE));
}

/* Issue 14: a month in progress is judged on what was possible so far — nobody is 未达标 on the 1st at
 * 10:00 before checking in, nor on the 5th for missing one of four working days — and whether the whole
 * month's minimum can still be met is told apart. December 2026 begins on a Tuesday: 23 working days. */
static void test_month_in_progress(void **state)
{
  (void)state;
  static const struct {
    const char *name;
    int today;
    const char *days;
    int required, month_required, days_left;
    bool meets, reachable;
  } C[] = {
    {"the 1st at 10:00, not yet checked in", 20261201, "", 0, 20, 31, true, true},
    {"the 1st, checked in", 20261201, "v", 0, 20, 30, true, true},
    {"the 5th (Saturday): three of four working days", 20261205, "vvv", 2, 20, 27, true, true},
    {"the 25th with two days: behind, and the month is lost", 20261225, "vv", 15, 20, 7, false, false},
    {"the 25th with fourteen days: behind pace, still within reach", 20261225, "vvvvvvvvvvvvvv", 15, 20, 7, false, true},
  };
  for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
    struct presence_day days[31];
    size_t n = build_days(2026, 12, C[i].days, days);
    struct presence_input in = {2026, 12, 0, 0, C[i].today, days, n, NULL, 0, &CAL, &RULES};
    struct presence_result r;
    assert_int_equal(presence_compute(&in, &r), 0);
    if (!r.in_progress || r.required_days != C[i].required || r.month_required_days != C[i].month_required ||
        r.days_left != C[i].days_left || r.meets_minimum != C[i].meets || r.reachable != C[i].reachable)
      fail_msg("%s: got required %d month %d left %d meets %d reachable %d", C[i].name, r.required_days,
               r.month_required_days, r.days_left, r.meets_minimum, r.reachable);
  }
  /* a month that is over: nothing left, judged on the whole month */
  struct presence_day days[31];
  struct presence_input in = {2026, 11, 0, 0, 0, days, build_days(2026, 11, NOV_ALL, days), NULL, 0, &CAL, &RULES};
  struct presence_result r;
  assert_int_equal(presence_compute(&in, &r), 0);
  assert_false(r.in_progress);
  assert_int_equal(r.days_left, 0);
  assert_int_equal(r.month_required_days, r.required_days);
  assert_true(r.reachable);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_month_in_progress),
      cmocka_unit_test(test_period_and_labels),
      cmocka_unit_test(test_confirmed_nights),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
