/* Unit tests for core/eligibility, written from section 一 of the notice (clauses 1.3a–d, 1.4,
 * 1.9): each rule at its boundaries against the shipped policy/ganzhou.json, then inline
 * policies showing that the file, not the code, decides the numbers and the severity. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/eligibility.h"
#include "core/policy.h"
#include "data/policy_fixture.h"

/* Rows start from BASE and override some fields; C17 6.7.9p19 makes the last initializer of a
 * member win, which GCC's -Woverride-init (in -Wextra) reports. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define DAY 20260615 /* the date of dispatch in most rows */

/* A cadre who passes every check: a 46-year-old 在编 正科级 party member of a 市级机关, sent by
 * her own unit as a team member, 称职 last year, no sanction. */
#define BASE                                                                                  \
  .date = DAY, .post = POST_TEAM_MEMBER, .unit_level = "city", .unit_type = "party_gov",      \
  .employer = EMPLOYER_SAME_UNIT, .birth_date = 19800301, .employment_type = "established",   \
  .rank = "section", .last_appraisal = "competent", .last_appraisal_year = 2025,              \
  .excellent_appraisals_recent = 0, .party_member = false, .rural_experience = false,        \
  .agri_expertise = false, .sanction_count = 0

#define FIRST_SECRETARY .post = POST_FIRST_SECRETARY

enum { AGE_ANY = -2 };

struct row {
  const char *name;
  struct eligibility_input in;
  enum verdict verdict;      /* the overall verdict */
  const char *check;         /* the check looked at */
  enum verdict outcome;      /* its outcome */
  const char *code;          /* its code */
  int age;                   /* AGE_ANY: not checked */
  const char *parameter;     /* NULL: not checked */
  const char *message_has;   /* NULL: not checked; a substring of its message_zh */
};

static const char *const CHECK_ORDER[] = {"age", "employer", "sanction", "appraisal", "employment", "rank"};
static const char *const CLAUSE_ORDER[] = {"1.3a", "1.3b", "1.3c", "1.3c", "1.3d", "1.9"};
#define NCHECKS 6

static struct policy *ganzhou(void)
{
  char err[256] = "";
  struct policy *p = fixture_ganzhou(err, sizeof err);
  if (!p) fail_msg("policy/ganzhou.json refused: %s", err);
  return p;
}

static struct policy *inline_policy(json_t *root)
{
  char err[256] = "";
  struct policy *p = fixture_policy(root, err, sizeof err);
  if (!p) fail_msg("inline policy refused: %s", err);
  return p;
}

/* What every result must satisfy, whatever the case. */
static void check_invariants(const char *name, const struct eligibility_result *r)
{
  if (r->nreasons != NCHECKS) fail_msg("%s: %d reasons", name, r->nreasons);
  enum verdict worst = VERDICT_ELIGIBLE;
  for (int i = 0; i < NCHECKS; i++) {
    const struct eligibility_reason *x = &r->reasons[i];
    if (strcmp(x->check, CHECK_ORDER[i]) != 0) fail_msg("%s: reason %d is %s", name, i, x->check);
    if (strcmp(x->clause, CLAUSE_ORDER[i]) != 0) fail_msg("%s: %s clause %s", name, x->check, x->clause);
    if ((x->outcome == VERDICT_ELIGIBLE) != (strcmp(x->code, "ok") == 0))
      fail_msg("%s: %s outcome %d code %s", name, x->check, x->outcome, x->code);
    if (!x->message_zh[0]) fail_msg("%s: %s has no message", name, x->check);
    if (strlen(x->message_zh) >= sizeof x->message_zh - 1)
      fail_msg("%s: %s message truncated: %s", name, x->check, x->message_zh);
    if (strlen(x->parameter) >= sizeof x->parameter - 1)
      fail_msg("%s: %s parameter truncated: %s", name, x->check, x->parameter);
    if (x->outcome > worst) worst = x->outcome;
  }
  if (r->verdict != worst) fail_msg("%s: verdict %d, worst reason %d", name, r->verdict, worst);
}

static const struct eligibility_reason *reason(const struct eligibility_result *r, const char *check)
{
  for (int i = 0; i < r->nreasons; i++)
    if (strcmp(r->reasons[i].check, check) == 0) return &r->reasons[i];
  return NULL;
}

static void run_rows(const struct policy *p, const struct row *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const struct row *c = &rows[i];
    struct eligibility_result r;
    if (eligibility_check(p, &c->in, &r) != 0)
      fail_msg("%s: refused: %s", c->name, r.reasons[0].message_zh);
    check_invariants(c->name, &r);
    if (r.verdict != c->verdict)
      fail_msg("%s: verdict %s, want %s", c->name, eligibility_verdict_name(r.verdict),
               eligibility_verdict_name(c->verdict));
    if (c->age != AGE_ANY && r.age != c->age) fail_msg("%s: age %d, want %d", c->name, r.age, c->age);
    if (!c->check) continue;
    const struct eligibility_reason *x = reason(&r, c->check);
    if (x->outcome != c->outcome || strcmp(x->code, c->code) != 0)
      fail_msg("%s: %s is %s/%s, want %s/%s (%s)", c->name, c->check,
               eligibility_verdict_name(x->outcome), x->code, eligibility_verdict_name(c->outcome),
               c->code, x->message_zh);
    if (c->parameter && strcmp(x->parameter, c->parameter) != 0)
      fail_msg("%s: parameter \"%s\", want \"%s\"", c->name, x->parameter, c->parameter);
    if (c->message_has && !strstr(x->message_zh, c->message_has))
      fail_msg("%s: message \"%s\" lacks \"%s\"", c->name, x->message_zh, c->message_has);
  }
}

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))
#define OK VERDICT_ELIGIBLE
#define JUSTIFY VERDICT_NEEDS_JUSTIFICATION
#define BLOCK VERDICT_BLOCKED

/* --- 1.3a 不得选派超龄干部 ---------------------------------------------------------------- */

static void test_age(void **state)
{
  static const struct row rows[] = {
      {"baseline: every check passes", {BASE}, OK, "age", OK, "ok", 46, "age_limit_city=50",
       "派出单位为市级，选派时年龄 46 岁，未超过原则上不超过 50 岁的要求"},
      {"city: 50, the day before the 51st birthday", {BASE, .birth_date = 19750616}, OK, "age", OK,
       "ok", 50, "age_limit_city=50", NULL},
      {"city: the 51st birthday", {BASE, .birth_date = 19750615}, JUSTIFY, "age", JUSTIFY,
       "age_over_limit", 51, "age_limit_city=50",
       "派出单位为市级，选派时年龄 51 岁，超过原则上不超过 50 岁的要求，须书面说明理由并经审批"},
      {"city: the 50th birthday", {BASE, .birth_date = 19760615}, OK, "age", OK, "ok", 50, NULL, NULL},
      {"county: 55, the day before the 56th birthday",
       {BASE, .unit_level = "county", .birth_date = 19700616}, OK, "age", OK, "ok", 55,
       "age_limit_county=55", NULL},
      {"county: the 56th birthday", {BASE, .unit_level = "county", .birth_date = 19700615}, JUSTIFY,
       "age", JUSTIFY, "age_over_limit", 56, "age_limit_county=55",
       "派出单位为县级，选派时年龄 56 岁，超过原则上不超过 55 岁的要求，须书面说明理由并经审批"},
      {"53: over the city limit", {BASE, .birth_date = 19730101}, JUSTIFY, "age", JUSTIFY,
       "age_over_limit", 53, NULL, NULL},
      {"53: within the county limit", {BASE, .unit_level = "county", .birth_date = 19730101}, OK,
       "age", OK, "ok", 53, NULL, NULL},
      {"province: 50 (the city's limit applies)", {BASE, .unit_level = "province", .birth_date = 19760101},
       OK, "age", OK, "ok", 50, "age_limit_province=50", "本地规定"},
      {"province: 51", {BASE, .unit_level = "province", .birth_date = 19750101}, JUSTIFY, "age",
       JUSTIFY, "age_over_limit", 51, "age_limit_province=50", "派出单位为省级，选派时年龄 51 岁"},
      /* Born 29 Feb 1976: 51 in a common year on 1 March, not on 28 February. */
      {"29 Feb birthday: 28 Feb 2027 is still 50",
       {BASE, .birth_date = 19760229, .date = 20270228}, OK, "age", OK, "ok", 50, NULL, NULL},
      {"29 Feb birthday: 1 Mar 2027 is 51", {BASE, .birth_date = 19760229, .date = 20270301},
       JUSTIFY, "age", JUSTIFY, "age_over_limit", 51, NULL, NULL},
      {"29 Feb birthday: 29 Feb 2024 is 48", {BASE, .birth_date = 19760229, .date = 20240229}, OK,
       "age", OK, "ok", 48, NULL, NULL},
      {"29 Feb birthday, county: 56 on 1 Mar 2027",
       {BASE, .unit_level = "county", .birth_date = 19710301, .date = 20270301}, JUSTIFY, "age",
       JUSTIFY, "age_over_limit", 56, NULL, NULL},
      {"township unit: no age limit applies, the unit is blocked",
       {BASE, .unit_level = "township", .birth_date = 19600101}, BLOCK, "age", OK, "ok", 66, "",
       "不适用年龄上限"},
      {"over age alone is never blocking", {BASE, .birth_date = 19500101}, JUSTIFY, "age", JUSTIFY,
       "age_over_limit", 76, NULL, NULL},
  };
  struct policy *p = ganzhou();
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

/* --- 1.3b 不得向下级单位或乡镇（街道）转嫁选派任务 ------------------------------------------ */

static void test_employer(void **state)
{
  static const struct row rows[] = {
      {"own unit", {BASE}, OK, "employer", OK, "ok", AGE_ANY, "", "本单位"},
      {"own unit, county", {BASE, .unit_level = "county"}, OK, "employer", OK, "ok", AGE_ANY, "", NULL},
      {"employed by a subordinate unit", {BASE, .employer = EMPLOYER_SUBORDINATE_UNIT}, BLOCK,
       "employer", BLOCK, "employer_subordinate", AGE_ANY, "", "不得向下级单位转嫁选派任务"},
      {"employed by a township", {BASE, .unit_level = "county", .employer = EMPLOYER_TOWNSHIP}, BLOCK,
       "employer", BLOCK, "employer_township", AGE_ANY, "", "不得向乡镇（街道）转嫁选派任务"},
      {"employed by another unit", {BASE, .employer = EMPLOYER_OTHER_UNIT}, BLOCK, "employer", BLOCK,
       "employer_other", AGE_ANY, "", NULL},
      {"township dispatching unit, own staff", {BASE, .unit_level = "township"}, BLOCK, "employer",
       BLOCK, "unit_township", AGE_ANY, "", "派出单位为乡镇（街道）级单位"},
      {"township dispatching unit, first secretary",
       {BASE, FIRST_SECRETARY, .unit_level = "township", .rank = "clerk"}, BLOCK, "employer", BLOCK,
       "unit_township", AGE_ANY, "", NULL},
  };
  struct policy *p = ganzhou();
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

/* --- 1.3c 不得选派表现较差、正受处分的干部 --------------------------------------------------- */

static void test_sanction(void **state)
{
  static const struct row rows[] = {
      {"no sanction", {BASE}, OK, "sanction", OK, "ok", AGE_ANY, "", "无处分记录"},
      {"sanction in force", {BASE, .sanction_count = 1, .sanctions = {{20250101, 20261231}}}, BLOCK,
       "sanction", BLOCK, "sanction_in_force", AGE_ANY, "",
       "选派之日（2026-06-15）正受处分（处分期 2025-01-01 至 2026-12-31），不得选派正受处分的干部"},
      {"sanction ended yesterday", {BASE, .sanction_count = 1, .sanctions = {{20250615, 20260614}}}, OK,
       "sanction", OK, "ok", AGE_ANY, "", "均不在处分期内"},
      {"sanction ends today (end inclusive)",
       {BASE, .sanction_count = 1, .sanctions = {{20250615, 20260615}}}, BLOCK, "sanction", BLOCK,
       "sanction_in_force", AGE_ANY, NULL, NULL},
      {"sanction starts tomorrow", {BASE, .sanction_count = 1, .sanctions = {{20260616, 20270615}}},
       OK, "sanction", OK, "ok", AGE_ANY, NULL, NULL},
      {"sanction starts today", {BASE, .sanction_count = 1, .sanctions = {{20260615, 20270615}}},
       BLOCK, "sanction", BLOCK, "sanction_in_force", AGE_ANY, NULL, NULL},
      {"open-ended sanction", {BASE, .sanction_count = 1, .sanctions = {{20200101, 0}}}, BLOCK,
       "sanction", BLOCK, "sanction_in_force", AGE_ANY, NULL, "自 2020-01-01 起"},
      {"open-ended sanction starting tomorrow", {BASE, .sanction_count = 1, .sanctions = {{20260616, 0}}},
       OK, "sanction", OK, "ok", AGE_ANY, NULL, NULL},
      {"two old sanctions and one in force",
       {BASE, .sanction_count = 3,
        .sanctions = {{20180101, 20190101}, {20200101, 20210101}, {20260101, 20260701}}},
       BLOCK, "sanction", BLOCK, "sanction_in_force", AGE_ANY, NULL, "2026-01-01 至 2026-07-01"},
      {"the sanction count bounds the list",
       {BASE, .sanction_count = 1, .sanctions = {{20180101, 20190101}, {20260101, 20260701}}}, OK,
       "sanction", OK, "ok", AGE_ANY, NULL, "有 1 项处分记录"},
  };
  struct policy *p = ganzhou();
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

static void test_appraisal(void **state)
{
  static const struct row rows[] = {
      {"competent last year", {BASE}, OK, "appraisal", OK, "ok", AGE_ANY,
       "poor_appraisal_results=basically_competent,incompetent;appraisal_window_years=1",
       "最近一次年度考核（2025 年度）为称职"},
      {"basically competent this year",
       {BASE, .last_appraisal = "basically_competent", .last_appraisal_year = 2026}, BLOCK, "appraisal",
       BLOCK, "appraisal_poor", AGE_ANY, NULL, "最近一次年度考核（2026 年度）为基本称职，属于表现较差，不得选派"},
      {"incompetent last year", {BASE, .last_appraisal = "incompetent", .last_appraisal_year = 2025},
       BLOCK, "appraisal", BLOCK, "appraisal_poor", AGE_ANY, NULL, "不称职"},
      {"basically competent two years ago",
       {BASE, .last_appraisal = "basically_competent", .last_appraisal_year = 2024}, OK, "appraisal",
       OK, "ok", AGE_ANY, NULL, "早于回看期限（1 年）"},
      {"incompetent two years ago", {BASE, .last_appraisal = "incompetent", .last_appraisal_year = 2024},
       OK, "appraisal", OK, "ok", AGE_ANY, NULL, NULL},
      {"excellent this year", {BASE, .last_appraisal = "excellent", .last_appraisal_year = 2026}, OK,
       "appraisal", OK, "ok", AGE_ANY, NULL, "优秀"},
      {"no appraisal recorded", {BASE, .last_appraisal = NULL, .last_appraisal_year = 0}, OK,
       "appraisal", OK, "ok", AGE_ANY, NULL, "无考核记录"},
      {"appraisal without a year", {BASE, .last_appraisal = "incompetent", .last_appraisal_year = 0},
       OK, "appraisal", OK, "ok", AGE_ANY, NULL, "无考核记录"},
      {"empty appraisal", {BASE, .last_appraisal = "", .last_appraisal_year = 2025}, OK, "appraisal",
       OK, "ok", AGE_ANY, NULL, "无考核记录"},
      /* issue 12: the result of a confirmed 驻村考核 says so */
      {"basically competent by the 驻村考核",
       {BASE, .last_appraisal = "basically_competent", .last_appraisal_year = 2026, .last_appraisal_by_evaluation = true},
       BLOCK, "appraisal", BLOCK, "appraisal_poor", AGE_ANY, NULL,
       "最近一次年度考核（2026 年度，驻村考核确定）为基本称职，属于表现较差，不得选派"},
  };
  struct policy *p = ganzhou();
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

/* --- 1.3d 不得选派临聘、勤杂人员 ------------------------------------------------------------ */

static void test_employment(void **state)
{
  static const struct row rows[] = {
      {"established (在编)", {BASE}, OK, "employment", OK, "ok", AGE_ANY,
       "blocked_employment_types=temporary,odd_job", "用工类型为在编"},
      {"contract (聘用)", {BASE, .employment_type = "contract"}, OK, "employment", OK, "ok", AGE_ANY,
       NULL, "聘用"},
      {"temporary (临聘)", {BASE, .employment_type = "temporary"}, BLOCK, "employment", BLOCK,
       "employment_blocked", AGE_ANY, NULL, "用工类型为临聘，属于不得选派的人员"},
      {"odd job (勤杂)", {BASE, .employment_type = "odd_job"}, BLOCK, "employment", BLOCK,
       "employment_blocked", AGE_ANY, NULL, "勤杂"},
      {"agency (劳务派遣): the local default allows it", {BASE, .employment_type = "agency"}, OK,
       "employment", OK, "ok", AGE_ANY, NULL, "劳务派遣"},
      {"not recorded", {BASE, .employment_type = NULL}, BLOCK, "employment", BLOCK,
       "employment_unknown", AGE_ANY, NULL, "未记录"},
      {"a type the policy does not list", {BASE, .employment_type = "volunteer"}, BLOCK, "employment",
       BLOCK, "employment_unknown", AGE_ANY, NULL, "volunteer"},
  };
  struct policy *p = ganzhou();
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

/* --- 1.9 第一书记的职级 ------------------------------------------------------------------- */

static void test_rank(void **state)
{
  static const struct row rows[] = {
      {"county organ: clerk (科员) as first secretary",
       {BASE, FIRST_SECRETARY, .unit_level = "county", .rank = "clerk"}, JUSTIFY, "rank", JUSTIFY,
       "rank_below_minimum", AGE_ANY, "first_secretary_min_rank_level[party_gov.county]=2",
       "县级机关第一书记人选职级为科员及以下，原则上应为副科级（三、四级主任科员）及以上，须书面说明理由并经审批"},
      {"county organ: deputy section (副科)",
       {BASE, FIRST_SECRETARY, .unit_level = "county", .rank = "deputy_section"}, OK, "rank", OK, "ok",
       AGE_ANY, "first_secretary_min_rank_level[party_gov.county]=2", "达到副科级（三、四级主任科员）及以上的要求"},
      {"county organ: section (正科)", {BASE, FIRST_SECRETARY, .unit_level = "county", .rank = "section"},
       OK, "rank", OK, "ok", AGE_ANY, NULL, NULL},
      {"city organ: deputy section (副科)", {BASE, FIRST_SECRETARY, .rank = "deputy_section"}, JUSTIFY,
       "rank", JUSTIFY, "rank_below_minimum", AGE_ANY,
       "first_secretary_min_rank_level[party_gov.city]=3", "原则上应为正科级（一、二级主任科员）及以上"},
      {"city organ: section (正科)", {BASE, FIRST_SECRETARY, .rank = "section"}, OK, "rank", OK, "ok",
       AGE_ANY, NULL, NULL},
      {"city organ: division (副处)", {BASE, FIRST_SECRETARY, .rank = "division"}, OK, "rank", OK, "ok",
       AGE_ANY, NULL, NULL},
      {"province organ: deputy section", {BASE, FIRST_SECRETARY, .unit_level = "province",
       .birth_date = 19800101, .rank = "deputy_section"}, JUSTIFY, "rank", JUSTIFY, "rank_below_minimum",
       AGE_ANY, "first_secretary_min_rank_level[party_gov.province]=3", NULL},
      {"SOE: middle manager (中层)", {BASE, FIRST_SECRETARY, .unit_type = "soe", .rank = "middle_manager"},
       OK, "rank", OK, "ok", AGE_ANY, "first_secretary_min_rank_level[soe]=3", "达到中层管理人员及以上的要求"},
      {"SOE: staff", {BASE, FIRST_SECRETARY, .unit_type = "soe", .rank = "staff"}, JUSTIFY, "rank",
       JUSTIFY, "rank_below_minimum", AGE_ANY, NULL, NULL},
      {"institution: staff (一般管理人员)",
       {BASE, FIRST_SECRETARY, .unit_type = "institution", .unit_level = "county", .rank = "staff"},
       JUSTIFY, "rank", JUSTIFY, "rank_below_minimum", AGE_ANY, "first_secretary_min_rank_level[institution]=3",
       "县级事业单位第一书记人选职级为一般管理人员，原则上应为中层管理人员及以上"},
      {"institution: senior manager", {BASE, FIRST_SECRETARY, .unit_type = "institution",
       .rank = "senior_manager"}, OK, "rank", OK, "ok", AGE_ANY, NULL, NULL},
      {"rank not recorded", {BASE, FIRST_SECRETARY, .rank = NULL}, JUSTIFY, "rank", JUSTIFY,
       "rank_unknown", AGE_ANY, NULL, "未记录"},
      {"rank empty", {BASE, FIRST_SECRETARY, .rank = ""}, JUSTIFY, "rank", JUSTIFY, "rank_unknown",
       AGE_ANY, NULL, NULL},
      {"rank not on the scale", {BASE, FIRST_SECRETARY, .rank = "general"}, JUSTIFY, "rank", JUSTIFY,
       "rank_unknown", AGE_ANY, NULL, "general"},
      {"rank of another unit type: middle manager in an organ",
       {BASE, FIRST_SECRETARY, .rank = "middle_manager"}, JUSTIFY, "rank", JUSTIFY, "rank_unknown",
       AGE_ANY, NULL, NULL},
      {"rank of another unit type: section in an SOE",
       {BASE, FIRST_SECRETARY, .unit_type = "soe", .rank = "section"}, JUSTIFY, "rank", JUSTIFY,
       "rank_unknown", AGE_ANY, NULL, NULL},
      {"other unit type: no requirement", {BASE, FIRST_SECRETARY, .unit_type = "other", .rank = NULL},
       OK, "rank", OK, "ok", AGE_ANY, "first_secretary_min_rank_level[other]=0", "未对第一书记人选的职级作要求"},
      {"team member: the rank rule does not apply",
       {BASE, .post = POST_TEAM_MEMBER, .unit_level = "county", .rank = "clerk"}, OK, "rank", OK, "ok",
       AGE_ANY, "", "岗位为工作队员，职级要求只适用于驻村第一书记"},
      {"team leader: the rank rule does not apply",
       {BASE, .post = POST_TEAM_LEADER, .unit_type = "institution", .rank = "staff"}, OK, "rank", OK,
       "ok", AGE_ANY, "", "工作队长"},
      {"team member without a rank", {BASE, .rank = NULL}, OK, "rank", OK, "ok", AGE_ANY, "", NULL},
  };
  struct policy *p = ganzhou();
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

/* --- several failures at once ------------------------------------------------------------- */

static void test_multiple_failures(void **state)
{
  struct policy *p = ganzhou();
  const struct eligibility_input in = {
      BASE, FIRST_SECRETARY, .unit_level = "county", .birth_date = 19700101,
      .employer = EMPLOYER_SUBORDINATE_UNIT, .sanction_count = 1, .sanctions = {{20260101, 0}},
      .last_appraisal = "incompetent", .last_appraisal_year = 2025, .employment_type = "temporary",
      .rank = "clerk"};
  struct eligibility_result r;
  assert_int_equal(eligibility_check(p, &in, &r), 0);
  check_invariants("all", &r);
  static const struct {
    enum verdict outcome;
    const char *code;
  } want[NCHECKS] = {
      {JUSTIFY, "age_over_limit"}, {BLOCK, "employer_subordinate"}, {BLOCK, "sanction_in_force"},
      {BLOCK, "appraisal_poor"},   {BLOCK, "employment_blocked"},   {JUSTIFY, "rank_below_minimum"},
  };
  for (int i = 0; i < NCHECKS; i++) {
    assert_int_equal(r.reasons[i].outcome, want[i].outcome);
    assert_string_equal(r.reasons[i].code, want[i].code);
  }
  assert_int_equal(r.verdict, VERDICT_BLOCKED);
  assert_int_equal(r.age, 56);

  /* only 原则上 failures: the verdict is "needs justification", with both reasons */
  const struct eligibility_input soft = {BASE, FIRST_SECRETARY, .unit_level = "county",
                                         .birth_date = 19700101, .rank = "clerk"};
  assert_int_equal(eligibility_check(p, &soft, &r), 0);
  check_invariants("soft", &r);
  assert_int_equal(r.verdict, VERDICT_NEEDS_JUSTIFICATION);
  assert_string_equal(reason(&r, "age")->code, "age_over_limit");
  assert_string_equal(reason(&r, "rank")->code, "rank_below_minimum");
  policy_free(p);
}

/* --- 1.4 四个优先 ------------------------------------------------------------------------- */

static void test_priority(void **state)
{
  static const struct {
    const char *name;
    struct eligibility_input in;
    bool excellent, young, party_member, rural;
    int score;
  } rows[] = {
      {"none (46, not a member)", {BASE}, false, false, false, false, 0},
      {"young: 40 on the date", {BASE, .birth_date = 19860615}, false, true, false, false, 1},
      {"not young: 41 on the 41st birthday", {BASE, .birth_date = 19850615}, false, false, false, false, 0},
      {"young: 40, the day before the 41st birthday", {BASE, .birth_date = 19850616}, false, true,
       false, false, 1},
      {"excellent once", {BASE, .excellent_appraisals_recent = 1}, true, false, false, false, 1},
      {"party member", {BASE, .party_member = true}, false, false, true, false, 1},
      {"rural experience", {BASE, .rural_experience = true}, false, false, false, true, 1},
      {"agricultural expertise", {BASE, .agri_expertise = true}, false, false, false, true, 1},
      {"both rural factors count once", {BASE, .rural_experience = true, .agri_expertise = true},
       false, false, false, true, 1},
      {"all four",
       {BASE, .birth_date = 19900101, .excellent_appraisals_recent = 3, .party_member = true,
        .agri_expertise = true},
       true, true, true, true, 4},
      {"priority is computed for a blocked cadre too",
       {BASE, .birth_date = 19900101, .party_member = true, .employment_type = "odd_job"}, false,
       true, true, false, 2},
  };
  struct policy *p = ganzhou();
  for (size_t i = 0; i < NROWS(rows); i++) {
    struct eligibility_result r;
    assert_int_equal(eligibility_check(p, &rows[i].in, &r), 0);
    const struct priority *pr = &r.priority;
    if (pr->excellent != rows[i].excellent || pr->young != rows[i].young ||
        pr->party_member != rows[i].party_member || pr->rural != rows[i].rural ||
        pr->score != rows[i].score)
      fail_msg("%s: %d%d%d%d score %d", rows[i].name, pr->excellent, pr->young, pr->party_member,
               pr->rural, pr->score);
  }
  policy_free(p);
}

/* --- another file, another behaviour ------------------------------------------------------ */

static void test_inline_age_limit(void **state)
{
  /* A 46-year-old from a city organ: fine under the notice, not under a limit of 45. */
  const struct eligibility_input in46 = {BASE, .birth_date = 19800101};
  const struct eligibility_input in45 = {BASE, .birth_date = 19810101};
  struct eligibility_result r;

  struct policy *g = ganzhou();
  assert_int_equal(eligibility_check(g, &in46, &r), 0);
  assert_int_equal(r.verdict, VERDICT_ELIGIBLE);
  policy_free(g);

  struct policy *p = inline_policy(fixture_set(fixture_minimal_root(), "age_limit_city", "value", "45"));
  assert_int_equal(eligibility_check(p, &in46, &r), 0);
  check_invariants("limit 45", &r);
  assert_int_equal(r.verdict, VERDICT_NEEDS_JUSTIFICATION);
  assert_string_equal(reason(&r, "age")->parameter, "age_limit_city=45");
  assert_string_equal(reason(&r, "age")->message_zh,
                      "派出单位为市级，选派时年龄 46 岁，超过原则上不超过 45 岁的要求，须书面说明理由并经审批");
  assert_int_equal(eligibility_check(p, &in45, &r), 0);
  assert_int_equal(r.verdict, VERDICT_ELIGIBLE);
  policy_free(p);

  /* A strict age limit blocks. */
  json_t *root = fixture_minimal_root();
  fixture_set(root, "age_limit_county", "strictness", "\"strict\"");
  p = inline_policy(root);
  const struct eligibility_input in56 = {BASE, .unit_level = "county", .birth_date = 19700101};
  assert_int_equal(eligibility_check(p, &in56, &r), 0);
  check_invariants("strict age", &r);
  assert_int_equal(r.verdict, VERDICT_BLOCKED);
  assert_string_equal(reason(&r, "age")->message_zh,
                      "派出单位为县级，选派时年龄 56 岁，超过不得超过 55 岁的要求，不得选派");
  policy_free(p);
}

static void test_inline_strict_rank(void **state)
{
  json_t *root = fixture_minimal_root();
  fixture_set(root, "first_secretary_min_rank_level", "strictness", "\"strict\"");
  struct policy *p = inline_policy(root);
  static const struct row rows[] = {
      {"strict 1.9: clerk from a county organ is blocked",
       {BASE, FIRST_SECRETARY, .unit_level = "county", .rank = "clerk"}, BLOCK, "rank", BLOCK,
       "rank_below_minimum", AGE_ANY, NULL, "应为副科级及以上，不得选派"},
      {"strict 1.9: unknown rank is blocked", {BASE, FIRST_SECRETARY, .rank = NULL}, BLOCK, "rank",
       BLOCK, "rank_unknown", AGE_ANY, NULL, "不得选派"},
      {"strict 1.9: deputy section from a county organ passes",
       {BASE, FIRST_SECRETARY, .unit_level = "county", .rank = "deputy_section"}, OK, "rank", OK, "ok",
       AGE_ANY, NULL, NULL},
      {"strict 1.9: team members are still exempt",
       {BASE, .unit_level = "county", .rank = "clerk"}, OK, "rank", OK, "ok", AGE_ANY, NULL, NULL},
  };
  run_rows(p, rows, NROWS(rows));
  policy_free(p);
}

static void test_inline_other_rules(void **state)
{
  struct policy *p;
  json_t *root;

  /* 劳务派遣 blocked by local choice. */
  p = inline_policy(fixture_set(fixture_minimal_root(), "blocked_employment_types", "value",
                                "[\"temporary\",\"odd_job\",\"agency\"]"));
  static const struct row agency[] = {
      {"agency blocked locally", {BASE, .employment_type = "agency"}, BLOCK, "employment", BLOCK,
       "employment_blocked", AGE_ANY, "blocked_employment_types=temporary,odd_job,agency", "劳务派遣"},
  };
  run_rows(p, agency, NROWS(agency));
  policy_free(p);

  /* 1.3d made 原则上: a temporary hire needs justification instead. */
  p = inline_policy(fixture_set(fixture_minimal_root(), "blocked_employment_types", "strictness",
                                "\"in_principle\""));
  static const struct row soft[] = {
      {"temporary, in principle", {BASE, .employment_type = "temporary"}, JUSTIFY, "employment",
       JUSTIFY, "employment_blocked", AGE_ANY, NULL, "须书面说明理由并经审批"},
  };
  run_rows(p, soft, NROWS(soft));
  policy_free(p);

  /* A three-year appraisal window reaches back to 2023; "competent" counted as poor. */
  root = fixture_minimal_root();
  fixture_set(root, "appraisal_window_years", "value", "3");
  fixture_set(root, "poor_appraisal_results", "value", "[\"competent\",\"basically_competent\",\"incompetent\"]");
  p = inline_policy(root);
  static const struct row window[] = {
      {"window 3: 2023 counts", {BASE, .last_appraisal = "basically_competent", .last_appraisal_year = 2023},
       BLOCK, "appraisal", BLOCK, "appraisal_poor", AGE_ANY,
       "poor_appraisal_results=competent,basically_competent,incompetent;appraisal_window_years=3", NULL},
      {"window 3: 2022 does not", {BASE, .last_appraisal = "incompetent", .last_appraisal_year = 2022},
       OK, "appraisal", OK, "ok", AGE_ANY, NULL, NULL},
      {"competent is poor here", {BASE}, BLOCK, "appraisal", BLOCK, "appraisal_poor", AGE_ANY, NULL, NULL},
  };
  run_rows(p, window, NROWS(window));
  policy_free(p);

  /* Window 0: only an appraisal of the year of dispatch counts. */
  p = inline_policy(fixture_set(fixture_minimal_root(), "appraisal_window_years", "value", "0"));
  static const struct row window0[] = {
      {"window 0: last year's poor result does not count",
       {BASE, .last_appraisal = "incompetent", .last_appraisal_year = 2025}, OK, "appraisal", OK, "ok",
       AGE_ANY, NULL, NULL},
  };
  run_rows(p, window0, NROWS(window0));
  policy_free(p);

  /* Young up to 35; a county organ's first secretary needs 正科 too; no key for county. */
  root = fixture_minimal_root();
  fixture_set(root, "young_max_age", "value", "35");
  fixture_set(root, "first_secretary_min_rank_level", "value", "{\"party_gov.city\":3,\"soe\":1}");
  p = inline_policy(root);
  struct eligibility_result r;
  const struct eligibility_input y36 = {BASE, .birth_date = 19900101};
  assert_int_equal(eligibility_check(p, &y36, &r), 0);
  assert_false(r.priority.young);
  const struct eligibility_input y35 = {BASE, .birth_date = 19910101};
  assert_int_equal(eligibility_check(p, &y35, &r), 0);
  assert_true(r.priority.young);
  static const struct row ranks[] = {
      {"no requirement written for county organs",
       {BASE, FIRST_SECRETARY, .unit_level = "county", .rank = "clerk"}, OK, "rank", OK, "ok", AGE_ANY,
       "first_secretary_min_rank_level[party_gov.county]=unset", NULL},
      {"SOE staff enough at level 1", {BASE, FIRST_SECRETARY, .unit_type = "soe", .rank = "staff"}, OK,
       "rank", OK, "ok", AGE_ANY, "first_secretary_min_rank_level[soe]=1", NULL},
  };
  run_rows(p, ranks, NROWS(ranks));
  policy_free(p);
}

/* The version in force on the date of dispatch decides. */
static void test_versions_by_date(void **state)
{
  json_t *root = fixture_minimal_root();
  fixture_add(root, "{\"id\":\"age_limit_city\",\"clause\":\"1.3a\",\"from\":\"2026-07-01\","
                    "\"strictness\":\"in_principle\",\"value\":45}");
  struct policy *p = inline_policy(root);
  static const struct row rows[] = {
      {"47 on 30 June 2026: limit 50", {BASE, .birth_date = 19790101, .date = 20260630}, OK, "age", OK,
       "ok", 47, "age_limit_city=50", NULL},
      {"47 on 1 July 2026: limit 45", {BASE, .birth_date = 19790101, .date = 20260701}, JUSTIFY, "age",
       JUSTIFY, "age_over_limit", 47, "age_limit_city=45", NULL},
  };
  run_rows(p, rows, NROWS(rows));

  /* Before the notice there is no policy: no judgement. */
  const struct eligibility_input early = {BASE, .date = 20221231};
  struct eligibility_result r;
  assert_int_equal(eligibility_check(p, &early, &r), -1);
  assert_int_equal(r.nreasons, 1);
  assert_int_equal(r.verdict, VERDICT_BLOCKED);
  assert_string_equal(r.reasons[0].code, "policy_missing");
  assert_string_equal(r.reasons[0].parameter, "age_limit_city");
  assert_string_equal(r.reasons[0].message_zh,
                      "政策文件中没有 2022-12-31 生效的参数 age_limit_city，无法判断是否符合选派条件");
  policy_free(p);

  /* A parameter that starts later than the others. */
  root = fixture_minimal_root();
  fixture_set(root, "young_max_age", "from", "\"2027-01-01\"");
  p = inline_policy(root);
  const struct eligibility_input in = {BASE};
  assert_int_equal(eligibility_check(p, &in, &r), -1);
  assert_string_equal(r.reasons[0].parameter, "young_max_age");
  policy_free(p);
}

/* --- input that cannot be judged ---------------------------------------------------------- */

static void test_invalid_input(void **state)
{
  static const struct {
    const char *name;
    struct eligibility_input in;
    const char *message_has;
  } rows[] = {
      {"no date", {BASE, .date = 0}, "选派日期无效"},
      {"31 June", {BASE, .date = 20260631}, "选派日期无效"},
      {"no unit level", {BASE, .unit_level = NULL}, "派出单位层级"},
      {"village unit level", {BASE, .unit_level = "village"}, "派出单位层级"},
      {"no unit type", {BASE, .unit_type = NULL}, "派出单位类型"},
      {"unknown unit type", {BASE, .unit_type = "ngo"}, "派出单位类型"},
      {"bad post", {BASE, .post = (enum post)7}, "驻村岗位无效"},
      {"bad employer relation", {BASE, .employer = (enum employer_relation)9}, "关系无效"},
      {"no birth date", {BASE, .birth_date = 0}, "出生日期"},
      {"born after the date", {BASE, .birth_date = 20260616}, "出生日期"},
      {"negative sanction count", {BASE, .sanction_count = -1}, "处分记录数量无效"},
      {"too many sanctions", {BASE, .sanction_count = ELIGIBILITY_MAX_SANCTIONS + 1}, "处分记录数量无效"},
  };
  struct policy *p = ganzhou();
  for (size_t i = 0; i < NROWS(rows); i++) {
    struct eligibility_result r;
    if (eligibility_check(p, &rows[i].in, &r) != -1) fail_msg("%s: accepted", rows[i].name);
    assert_int_equal(r.nreasons, 1);
    assert_int_equal(r.verdict, VERDICT_BLOCKED);
    assert_string_equal(r.reasons[0].code, "input_invalid");
    if (!strstr(r.reasons[0].message_zh, rows[i].message_has))
      fail_msg("%s: \"%s\"", rows[i].name, r.reasons[0].message_zh);
  }
  /* born on the date itself is age 0, a valid (if odd) input */
  const struct eligibility_input born = {BASE, .birth_date = DAY};
  struct eligibility_result r;
  assert_int_equal(eligibility_check(p, &born, &r), 0);
  assert_int_equal(r.age, 0);
  const struct eligibility_input in = {BASE};
  assert_int_equal(eligibility_check(NULL, &in, &r), -1);
  assert_string_equal(r.reasons[0].code, "input_invalid");
  assert_int_equal(eligibility_check(p, NULL, &r), -1);
  assert_int_equal(eligibility_check(p, &in, NULL), -1);
  policy_free(p);
}

/* --- names -------------------------------------------------------------------------------- */

static void test_names(void **state)
{
  assert_string_equal(eligibility_verdict_name(VERDICT_ELIGIBLE), "eligible");
  assert_string_equal(eligibility_verdict_name(VERDICT_NEEDS_JUSTIFICATION), "needs_justification");
  assert_string_equal(eligibility_verdict_name(VERDICT_BLOCKED), "blocked");
  assert_null(eligibility_verdict_name((enum verdict)3));
  assert_string_equal(eligibility_verdict_name_zh(VERDICT_ELIGIBLE), "符合条件");
  assert_string_equal(eligibility_verdict_name_zh(VERDICT_NEEDS_JUSTIFICATION), "需说明理由并经审批");
  assert_string_equal(eligibility_verdict_name_zh(VERDICT_BLOCKED), "不得选派");
  assert_null(eligibility_verdict_name_zh((enum verdict)-1));

  static const struct {
    const char *name;
    enum post post;
  } posts[] = {
      {"first_secretary", POST_FIRST_SECRETARY},
      {"team_leader", POST_TEAM_LEADER},
      {"team_member", POST_TEAM_MEMBER},
  };
  for (size_t i = 0; i < NROWS(posts); i++) {
    enum post got = (enum post)-1;
    assert_int_equal(eligibility_post_parse(posts[i].name, &got), 0);
    assert_int_equal(got, posts[i].post);
    assert_string_equal(eligibility_post_name(posts[i].post), posts[i].name);
  }
  enum post untouched = POST_TEAM_LEADER;
  static const char *const bad[] = {"", "First_Secretary", "first_secretary ", "secretary", NULL};
  for (size_t i = 0; i < NROWS(bad); i++) {
    assert_int_equal(eligibility_post_parse(bad[i], &untouched), -1);
    assert_int_equal(untouched, POST_TEAM_LEADER);
  }
  assert_int_equal(eligibility_post_parse("team_member", NULL), -1);
  assert_null(eligibility_post_name((enum post)5));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_age),
      cmocka_unit_test(test_employer),
      cmocka_unit_test(test_sanction),
      cmocka_unit_test(test_appraisal),
      cmocka_unit_test(test_employment),
      cmocka_unit_test(test_rank),
      cmocka_unit_test(test_multiple_failures),
      cmocka_unit_test(test_priority),
      cmocka_unit_test(test_inline_age_limit),
      cmocka_unit_test(test_inline_strict_rank),
      cmocka_unit_test(test_inline_other_rules),
      cmocka_unit_test(test_versions_by_date),
      cmocka_unit_test(test_invalid_input),
      cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
