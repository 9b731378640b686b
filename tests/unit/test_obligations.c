/* Unit tests of core/obligations: every row of the shipped policy/ganzhou.json is read and judged
 * (met / met_late / missing / not_yet_due), the period instances at their boundaries — the ISO week
 * across a year end (2026-12-28..2027-01-03), Q4 2026 → Q1 2027, half-years, two-year periods from
 * the anchor — deadlines (3.5: by 03-31; 4.4: by 09-30) and amounts (3.4a: 10,000 yuan summed), and
 * the refusal of malformed rows at policy load. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/obligations.h"
#include "core/policy.h"
#include "data/policy_fixture.h"

#define LOCK 10 /* record_lock_days in the tests */

static struct obligation ROWS[OBLIGATIONS_MAX];
static size_t NROWS;

static int load(void **state)
{
  (void)state;
  char err[300];
  struct policy *p = fixture_ganzhou(err, sizeof err);
  if (!p) fail_msg("policy/ganzhou.json refused: %s", err);
  const struct policy_param *param = policy_param(p, "obligations", 20261129);
  assert_non_null(param);
  /* the rows borrow strings from the document: keep it alive for the whole file */
  json_incref((json_t *)policy_document(p));
  json_t *doc = (json_t *)policy_document(p);
  const json_t *value = json_object_get(fixture_param(doc, "obligations"), "value");
  assert_int_equal(obligations_parse(value, ROWS, OBLIGATIONS_MAX, &NROWS, err, sizeof err), 0);
  assert_true(NROWS >= 15);
  assert_int_equal(policy_int(p, "record_lock_days", 20261129), 10);
  assert_int_equal(policy_int(p, "obligation_two_year_anchor", 20261129), 2023);
  policy_free(p);
  *state = doc;
  return 0;
}

static int unload(void **state)
{
  json_decref(*state);
  return 0;
}

static const struct obligation *row(const char *code)
{
  for (size_t i = 0; i < NROWS; i++)
    if (strcmp(ROWS[i].code, code) == 0) return &ROWS[i];
  fail_msg("no obligation %s in the policy", code);
  return NULL;
}

static struct obligation_period one_period(const struct obligation *o, int date)
{
  struct obligation_period p[4];
  int n = obligation_periods(o, date, date, 2023, p, 4);
  assert_int_equal(n, 1);
  return p[0];
}

static enum cell_status judge(const struct obligation *o, int period_date, const struct obligation_fact *f, size_t n,
                              int today)
{
  struct obligation_period p = one_period(o, period_date);
  struct cell_result r;
  obligation_evaluate(o, &p, f, n, today, LOCK, &r);
  return r.status;
}

/* Every row of the policy: a fact on the first day of its period, entered the same day, meets it;
 * the same fact entered long after the grace is late; nothing is missing once the due day passed,
 * and not yet due until then. */
static void test_every_obligation_is_evaluated(void **state)
{
  (void)state;
  static const char *const EXPECTED[] = {
    "county_leader_meeting", "county_dispatch", "township_meeting", "township_dispatch", "unit_inquiry",
    "unit_report_hearing", "principal_report_hearing", "principal_visit", "deputy_visit", "work_funds",
    "accident_insurance", "county_training_plan", "training_demo_first_secretary", "training_lecture_hall",
    "training_county_rotation", "policy_training_biennial", "monitoring_meeting"};
  for (size_t k = 0; k < sizeof EXPECTED / sizeof EXPECTED[0]; k++) row(EXPECTED[k]);
  for (size_t i = 0; i < NROWS; i++) {
    const struct obligation *o = &ROWS[i];
    struct obligation_period p = one_period(o, 20260615);
    assert_true(p.first <= 20260615 && 20260615 <= p.last);
    assert_true(p.due >= p.first && p.due <= p.last);
    double amount = o->min_amount > 0 ? o->min_amount : 0;
    struct obligation_fact on_time[1000];
    for (int k = 0; k < o->min_count; k++) on_time[k] = (struct obligation_fact){p.first, p.first, amount};
    struct cell_result r;
    obligation_evaluate(o, &p, on_time, (size_t)o->min_count, date_add_days(p.last, 400), LOCK, &r);
    if (r.status != CELL_MET) fail_msg("%s (%s): a fact on the first day is %s", o->code, o->clause,
                                       obligation_status_name(r.status));
    struct obligation_fact late[1000];
    for (int k = 0; k < o->min_count; k++) late[k] = (struct obligation_fact){p.first, date_add_days(p.due, LOCK + 1), amount};
    obligation_evaluate(o, &p, late, (size_t)o->min_count, date_add_days(p.last, 400), LOCK, &r);
    if (r.status != CELL_MET_LATE) fail_msg("%s: entered after the grace is %s", o->code, obligation_status_name(r.status));
    obligation_evaluate(o, &p, NULL, 0, date_add_days(p.due, 1), LOCK, &r);
    if (r.status != CELL_MISSING) fail_msg("%s: nothing after the due day is %s", o->code, obligation_status_name(r.status));
    obligation_evaluate(o, &p, NULL, 0, p.due, LOCK, &r);
    if (r.status != CELL_NOT_YET_DUE) fail_msg("%s: nothing on the due day is %s", o->code, obligation_status_name(r.status));
    assert_non_null(obligation_owner_name(o->owner));
    assert_true(strlen(o->clause) <= 7);
  }
}

/* 2.3b: the ISO week of 2026-12-28 (Monday) runs to 2027-01-03 (Sunday) — one period across the year. */
static void test_week_across_year_end(void **state)
{
  (void)state;
  const struct obligation *o = row("township_dispatch");
  assert_string_equal(o->clause, "2.3b");
  assert_int_equal(o->period, PERIOD_WEEK);
  struct obligation_period p = one_period(o, 20270102);
  assert_int_equal(p.first, 20261228);
  assert_int_equal(p.last, 20270103);
  assert_int_equal(p.due, 20270103);
  /* a dispatch on 2027-01-02 counts for the week that began in 2026 */
  struct obligation_fact f = {20270102, 20270102, 0};
  assert_int_equal(judge(o, 20261230, &f, 1, 20270110), CELL_MET);
  /* but not for the week before */
  assert_int_equal(judge(o, 20261227, &f, 1, 20270110), CELL_MISSING);
  /* the weeks of December 2026 to January 2027: 21 Dec, 28 Dec, 4 Jan, 11 Jan */
  struct obligation_period ps[8];
  int n = obligation_periods(o, 20261221, 20270111, 2023, ps, 8);
  assert_int_equal(n, 4);
  assert_int_equal(ps[0].first, 20261221);
  assert_int_equal(ps[1].first, 20261228);
  assert_int_equal(ps[2].first, 20270104);
  assert_int_equal(ps[3].first, 20270111);
  /* entered on 2027-01-13 (the grace of 10 days runs to 01-13) is on time; on 01-14 it is late */
  f = (struct obligation_fact){20261229, 20270113, 0};
  assert_int_equal(judge(o, 20261229, &f, 1, 20270120), CELL_MET);
  f.recorded_on = 20270114;
  assert_int_equal(judge(o, 20261229, &f, 1, 20270120), CELL_MET_LATE);
  /* during the week, nothing yet: not yet due */
  assert_int_equal(judge(o, 20261229, NULL, 0, 20270103), CELL_NOT_YET_DUE);
  assert_int_equal(judge(o, 20261229, NULL, 0, 20270104), CELL_MISSING);
}

/* Issue 11: the week of 2026-12-28 … 2027-01-03 is counted once, in 2026 (its Thursday is
 * 2026-12-31: the ISO week-year); the week of 2025-12-29 … 2026-01-04 in 2026 too (Thursday
 * 2026-01-01), not in 2025. Every week of 2026 and 2027 lies in exactly one of the two views. */
static void test_week_year_views(void **state)
{
  (void)state;
  const struct obligation *o = row("township_dispatch");
  static struct obligation_period y26[60], y27[60], y25[60];
  int n26 = obligation_periods(o, 20260101, 20261231, 2023, y26, 60);
  int n27 = obligation_periods(o, 20270101, 20271231, 2023, y27, 60);
  int n25 = obligation_periods(o, 20250101, 20251231, 2023, y25, 60);
  assert_int_equal(n26, 53); /* 2026 is an ISO year of 53 weeks (it begins on a Thursday) */
  assert_int_equal(n27, 52);
  assert_int_equal(y26[0].first, 20251229);
  assert_int_equal(y26[n26 - 1].first, 20261228);
  assert_int_equal(y26[n26 - 1].last, 20270103);
  assert_int_equal(y27[0].first, 20270104);
  assert_int_equal(y25[n25 - 1].first, 20251222);
  for (int i = 0; i < n26; i++)
    for (int j = 0; j < n27; j++) assert_true(y26[i].first != y27[j].first);
  /* consecutive views meet without a gap: the last week of one is followed by the first of the next */
  assert_int_equal(date_add_days(y26[n26 - 1].first, 7), y27[0].first);
  assert_int_equal(date_add_days(y25[n25 - 1].first, 7), y26[0].first);
  /* an edge that is not a year's keeps every overlapping week (a month, a range from today) */
  struct obligation_period m[8];
  assert_int_equal(obligation_periods(o, 20261201, 20270110, 2023, m, 8), 6);
  assert_int_equal(m[0].first, 20261130);
}

/* 2.2a and 3.1b: quarters; Q4 2026 ends on 12-31 and Q1 2027 begins on 01-01. */
static void test_quarters_across_year_end(void **state)
{
  (void)state;
  const struct obligation *o = row("county_leader_meeting");
  assert_string_equal(o->clause, "2.2a");
  struct obligation_period ps[4];
  int n = obligation_periods(o, 20261115, 20270215, 2023, ps, 4);
  assert_int_equal(n, 2);
  assert_int_equal(ps[0].first, 20261001);
  assert_int_equal(ps[0].last, 20261231);
  assert_int_equal(ps[1].first, 20270101);
  assert_int_equal(ps[1].last, 20270331);
  struct obligation_fact dec31 = {20261231, 20261231, 0}, jan1 = {20270101, 20270101, 0};
  assert_int_equal(judge(o, 20261115, &dec31, 1, 20270215), CELL_MET);
  assert_int_equal(judge(o, 20261115, &jan1, 1, 20270215), CELL_MISSING);
  assert_int_equal(judge(o, 20270215, &jan1, 1, 20270215), CELL_MET);
  assert_int_equal(judge(o, 20270215, &dec31, 1, 20270215), CELL_NOT_YET_DUE);
  const struct obligation *h = row("unit_report_hearing");
  assert_string_equal(h->clause, "3.1b");
  assert_int_equal(one_period(h, 20260930).last, 20260930);
  assert_int_equal(one_period(h, 20261001).first, 20261001);
}

/* 2.2b, 2.3a, 3.1a, 5.7: months; two meetings in a month count once toward min_count 1, and a
 * month with a late entry is met late. */
static void test_months(void **state)
{
  (void)state;
  static const char *const MONTHLY[] = {"county_dispatch", "township_meeting", "unit_inquiry", "monitoring_meeting"};
  for (size_t k = 0; k < 4; k++) {
    const struct obligation *o = row(MONTHLY[k]);
    assert_int_equal(o->period, PERIOD_MONTH);
    struct obligation_period p = one_period(o, 20260215);
    assert_int_equal(p.first, 20260201);
    assert_int_equal(p.last, 20260228);
    struct obligation_fact f[2] = {{20260203, 20260203, 0}, {20260227, 20260227, 0}};
    struct cell_result r;
    obligation_evaluate(o, &p, f, 2, 20260401, LOCK, &r);
    assert_int_equal(r.status, CELL_MET);
    assert_int_equal(r.count, 2);
    f[0].recorded_on = f[1].recorded_on = 20260311; /* 02-28 + 10 = 03-10 */
    obligation_evaluate(o, &p, f, 2, 20260401, LOCK, &r);
    assert_int_equal(r.status, CELL_MET_LATE);
    assert_int_equal(r.on_time, 0);
  }
}

/* 3.2a, 3.2c: half-years; 3.2b: the year. */
static void test_half_years_and_years(void **state)
{
  (void)state;
  const struct obligation *hearing = row("principal_report_hearing"), *deputy = row("deputy_visit"),
                          *visit = row("principal_visit");
  assert_int_equal(hearing->owner, OWNER_UNIT_PRINCIPAL);
  assert_int_equal(deputy->owner, OWNER_UNIT_DEPUTY);
  struct obligation_period ps[4];
  assert_int_equal(obligation_periods(deputy, 20260601, 20260701, 2023, ps, 4), 2);
  assert_int_equal(ps[0].first, 20260101);
  assert_int_equal(ps[0].last, 20260630);
  assert_int_equal(ps[1].first, 20260701);
  assert_int_equal(ps[1].last, 20261231);
  struct obligation_fact f = {20260701, 20260701, 0};
  assert_int_equal(judge(deputy, 20260630, &f, 1, 20260801), CELL_MISSING);
  assert_int_equal(judge(deputy, 20260701, &f, 1, 20260801), CELL_MET);
  assert_int_equal(judge(hearing, 20260101, &f, 1, 20260801), CELL_MISSING);
  assert_int_equal(judge(visit, 20260101, &f, 1, 20260801), CELL_MET);
  assert_int_equal(judge(visit, 20260101, NULL, 0, 20261231), CELL_NOT_YET_DUE);
  assert_int_equal(judge(visit, 20260101, NULL, 0, 20270101), CELL_MISSING);
}

/* 4.5: every two years from the anchor 2023 — 2023–2024, 2025–2026, 2027–2028. */
static void test_two_year_periods(void **state)
{
  (void)state;
  const struct obligation *o = row("policy_training_biennial");
  assert_string_equal(o->clause, "4.5");
  assert_int_equal(o->period, PERIOD_TWO_YEARS);
  struct obligation_period ps[4];
  assert_int_equal(obligation_periods(o, 20240601, 20270601, 2023, ps, 4), 3);
  assert_int_equal(ps[0].first, 20230101);
  assert_int_equal(ps[0].last, 20241231);
  assert_int_equal(ps[1].first, 20250101);
  assert_int_equal(ps[1].last, 20261231);
  assert_int_equal(ps[2].first, 20270101);
  /* a training in 2025 covers 2026 too */
  struct obligation_fact f = {20250310, 20250310, 0};
  assert_int_equal(judge(o, 20261115, &f, 1, 20261129), CELL_MET);
  assert_int_equal(judge(o, 20240101, &f, 1, 20261129), CELL_MISSING);
  /* another anchor moves the periods */
  assert_int_equal(obligation_periods(o, 20260101, 20260101, 2024, ps, 4), 1);
  assert_int_equal(ps[0].first, 20260101);
  assert_int_equal(ps[0].last, 20271231);
}

/* 3.4a with its deadline of 3.5: 10,000 yuan of work funds in place by 03-31, summed. */
static void test_funds_deadline_and_amount(void **state)
{
  (void)state;
  const struct obligation *o = row("work_funds");
  assert_string_equal(o->clause, "3.4a");
  assert_string_equal(o->deadline_clause, "3.5");
  assert_int_equal(o->owner, OWNER_TEAM);
  struct obligation_period p = one_period(o, 20260815);
  assert_int_equal(p.first, 20260101);
  assert_int_equal(p.last, 20261231);
  assert_int_equal(p.due, 20260331);
  struct obligation_fact two[2] = {{20260115, 20260115, 6000}, {20260330, 20260330, 4000}};
  struct cell_result r;
  obligation_evaluate(o, &p, two, 2, 20260401, LOCK, &r);
  assert_int_equal(r.status, CELL_MET);
  assert_true(r.amount == 10000);
  /* 9,999 yuan is not enough: missing after 03-31, not yet due before */
  two[1].amount = 3999;
  obligation_evaluate(o, &p, two, 2, 20260401, LOCK, &r);
  assert_int_equal(r.status, CELL_MISSING);
  obligation_evaluate(o, &p, two, 2, 20260331, LOCK, &r);
  assert_int_equal(r.status, CELL_NOT_YET_DUE);
  /* the rest paid in June: met late */
  struct obligation_fact three[3] = {{20260115, 20260115, 6000}, {20260330, 20260330, 3999}, {20260610, 20260610, 1}};
  obligation_evaluate(o, &p, three, 3, 20260701, LOCK, &r);
  assert_int_equal(r.status, CELL_MET_LATE);
  /* funds of the year before do not count */
  struct obligation_fact last_year = {20251220, 20251220, 20000};
  obligation_evaluate(o, &p, &last_year, 1, 20260701, LOCK, &r);
  assert_int_equal(r.status, CELL_MISSING);
  /* 3.5: insurance by 03-31 */
  const struct obligation *ins = row("accident_insurance");
  struct obligation_fact policy_bought = {20260401, 20260401, 0};
  assert_int_equal(judge(ins, 20260101, &policy_bought, 1, 20260501), CELL_MET_LATE);
  policy_bought.done_on = policy_bought.recorded_on = 20260331;
  assert_int_equal(judge(ins, 20260101, &policy_bought, 1, 20260501), CELL_MET);
}

/* 4.1a, 4.1b, 4.2a with the deadline of 4.4: training by the end of September; 4.1a binds first
 * secretaries only. */
static void test_training_deadline_and_posts(void **state)
{
  (void)state;
  const struct obligation *demo = row("training_demo_first_secretary"), *hall = row("training_lecture_hall"),
                          *plan = row("county_training_plan");
  assert_int_equal(demo->owner, OWNER_CADRE);
  assert_true(obligation_binds_post(demo, "first_secretary"));
  assert_false(obligation_binds_post(demo, "team_member"));
  assert_true(obligation_binds_post(hall, "team_member"));
  assert_string_equal(hall->deadline_clause, "4.4");
  assert_int_equal(one_period(hall, 20260101).due, 20260930);
  assert_int_equal(one_period(plan, 20260101).due, 20260630);
  struct obligation_fact sept30 = {20260930, 20260930, 0}, oct1 = {20261001, 20261001, 0};
  assert_int_equal(judge(hall, 20260101, &sept30, 1, 20261129), CELL_MET);
  assert_int_equal(judge(hall, 20260101, &oct1, 1, 20261129), CELL_MET_LATE);
  assert_int_equal(judge(hall, 20260101, NULL, 0, 20261001), CELL_MISSING);
  assert_int_equal(judge(hall, 20260101, NULL, 0, 20260930), CELL_NOT_YET_DUE);
}

/* Malformed rows are refused at policy load, naming the row. */
static void test_refusals(void **state)
{
  (void)state;
  static const struct { const char *rows, *want; } cases[] = {
    {"[]", "non-empty array"},
    {"[{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"village\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"week\",\"min_count\":1}]", "unknown \"owner\""},
    {"[{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"fortnight\",\"min_count\":1}]", "unknown \"period\""},
    {"[{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"week\"}]", "needs \"min_count\" or \"min_amount\""},
    {"[{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"week\",\"min_count\":0}]", "\"min_count\" must be"},
    {"[{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"a\",\"period\":\"week\",\"min_count\":1}]", "missing \"evidence\""},
    {"[{\"code\":\"x\",\"clause\":\"3.5\",\"owner\":\"team\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"year\",\"deadline\":\"02-29\",\"min_count\":1}]", "\"deadline\" must be"},
    {"[{\"code\":\"x\",\"clause\":\"3.5\",\"owner\":\"team\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"month\",\"deadline\":\"03-31\",\"min_count\":1}]", "needs \"period\": \"year\""},
    {"[{\"code\":\"x\",\"clause\":\"3.4a\",\"owner\":\"team\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"year\",\"min_amount\":100}]", "alone needs a \"deadline\""},
    {"[{\"code\":\"x\",\"clause\":\"4.1a\",\"owner\":\"county\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"year\",\"min_count\":1,\"posts\":[\"first_secretary\"]}]", "for owner \"cadre\" only"},
    {"[{\"code\":\"x\",\"clause\":\"4.1a\",\"owner\":\"cadre\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"year\",\"min_count\":1,\"posts\":[\"mayor\"]}]", "posts[0] must be"},
    {"[{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"week\",\"min_count\":1},"
     "{\"code\":\"x\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"a\",\"evidence\":\"e\",\"period\":\"week\",\"min_count\":1}]", "appears twice"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_error_t e;
    json_t *rows = json_loads(cases[i].rows, 0, &e);
    assert_non_null(rows);
    char why[300] = "";
    if (obligations_check(rows, why, sizeof why)) fail_msg("case %zu accepted", i);
    if (!strstr(why, cases[i].want)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, why, cases[i].want);
    /* the same row in a whole policy refuses the file */
    json_t *root = fixture_minimal_root();
    json_object_set(fixture_param(root, "obligations"), "value", rows);
    char err[300];
    struct policy *p = fixture_policy(root, err, sizeof err);
    if (p) fail_msg("case %zu: policy accepted", i);
    if (!strstr(err, "(obligations)")) fail_msg("case %zu: policy error \"%s\" does not name obligations", i, err);
    json_decref(rows);
  }
  /* and the parameters are required */
  json_t *root = fixture_minimal_root();
  json_array_remove(json_object_get(root, "parameters"), json_array_size(json_object_get(root, "parameters")) - 1);
  char err[300];
  assert_null(fixture_policy(root, err, sizeof err));
  assert_non_null(strstr(err, "record_lock_days"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_obligation_is_evaluated),
    cmocka_unit_test(test_week_across_year_end),
    cmocka_unit_test(test_week_year_views),
    cmocka_unit_test(test_quarters_across_year_end),
    cmocka_unit_test(test_months),
    cmocka_unit_test(test_half_years_and_years),
    cmocka_unit_test(test_two_year_periods),
    cmocka_unit_test(test_funds_deadline_and_amount),
    cmocka_unit_test(test_training_deadline_and_posts),
    cmocka_unit_test(test_refusals),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
