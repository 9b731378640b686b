/* demo_village_work — see demo_village_work.h. Cached statements inside the generator's one
 * transaction; the cases go through the same store functions as the API (cases_insert,
 * cases_step, cases_household_set), so the timeline and the household's history are real. */
#include "store/demo_village_work.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/case_flow.h"
#include "core/date.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/evidence.h"
#include "store/list_sql.h"
#include "store/plans.h"
#include "store/village_profile.h"
#include "store/village_work.h"
#include "store/vw_sql.h"

#define DEMO_VILLAGE "360781104200" /* 沙洲坝村 */
#define DEMO_COUNTY "360781"        /* 瑞金市 */
#define MONTHS 12

static unsigned next(unsigned *s)
{
  unsigned x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

struct gen {
  struct db *db;
  unsigned *rng;
  int today;
  int64_t now;
  struct demo_village_work_counts *out;
};

static void iso(int date, char out[DATE_ISO_SIZE]) { date_format_iso(date, out); }

/* ---- meetings (5.7) ---- */

static const char *const DECISIONS[] = {
  "逐户研判监测户收入和“三保障”情况，未发现新的返贫风险；对务工不稳定户继续跟踪。",
  "研判因病支出骤增户 1 户，提出风险线索，启动识别程序；落实医保报销政策宣传。",
  "对照部门预警名单逐一核实，均已消除疑点；安排干部下月走访边缘户。",
  "研判受灾农户损失情况，申请临时救助；协调派出单位落实产业帮扶资金。"};

/* The team of a village as attendees [{name, side, cadre_id}] plus two village cadres. */
static char *attendees(struct gen *g, const char *village)
{
  const struct sql_param p[] = {{":v", village, 0}};
  json_t *team = vw_rows(g->db, "SELECT c.id AS id, c.name AS name FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
                                " WHERE a.village_code = :v AND a.status = 'active' ORDER BY a.id", p, 1, NULL);
  json_t *a = json_array();
  size_t i;
  json_t *c;
  json_array_foreach(team, i, c)
    json_array_append_new(a, json_pack("{s:O, s:s, s:O}", "name", json_object_get(c, "name"), "side", "team", "cadre_id",
                                       json_object_get(c, "id")));
  json_array_append_new(a, json_pack("{s:s, s:s}", "name", "村党支部书记", "side", "village"));
  json_array_append_new(a, json_pack("{s:s, s:s}", "name", "村委会主任", "side", "village"));
  json_decref(team);
  char *text = json_dumps(a, JSON_COMPACT);
  json_decref(a);
  return text;
}

static int meetings(struct gen *g)
{
  json_t *villages = vw_rows(g->db, "SELECT DISTINCT village_code AS code FROM assignment WHERE status = 'active'"
                                    " ORDER BY village_code", NULL, 0, NULL);
  if (!villages) return DB_ERROR;
  int first = date_add_months(date_make(date_year(g->today), date_month(g->today), 1), -MONTHS);
  int rc = DB_OK;
  size_t i;
  json_t *v;
  json_array_foreach(villages, i, v) {
    const char *code = json_string_value(json_object_get(v, "code"));
    bool demo = strcmp(code, DEMO_VILLAGE) == 0;
    char *people = attendees(g, code);
    const struct sql_param hp[] = {{":v", code, 0}};
    json_t *monitored = vw_rows(g->db, "SELECT json_group_array(id) AS ids FROM (SELECT id FROM household"
                                       " WHERE village_code = :v AND monitored = 1 ORDER BY id LIMIT 3) AS first_three", hp, 1, NULL);
    const char *ids = json_string_value(json_object_get(json_array_get(monitored, 0), "ids"));
    for (int m = 0; rc == DB_OK && m <= MONTHS; m++) {
      int month = date_add_months(first, m);
      unsigned lot = next(g->rng) % 100;
      /* most months held; some missing (the demo village misses one, two months back) */
      if (demo ? m == MONTHS - 2 : lot >= 88) continue;
      int day = date_add_days(month, 4 + (int)(next(g->rng) % 20));
      if (day > g->today) continue; /* this month: not yet */
      char held[DATE_ISO_SIZE];
      iso(day, held);
      struct meeting_new mt = {code, held, people ? people : "[]", DECISIONS[next(g->rng) % 4],
                               ids ? ids : "[]", 0};
      int64_t id;
      rc = meetings_insert(g->db, &mt, g->now, &id);
      struct evidence e = {"monitoring_meeting", PARTY_TEAM, code, held, 0, false, "monitoring_meeting", id};
      if (rc == DB_OK) rc = evidence_add(g->db, &e, g->now);
      g->out->meetings++;
    }
    json_decref(monitored);
    free(people);
    if (rc != DB_OK) break;
  }
  json_decref(villages);
  return rc;
}

/* ---- activities (5.1–5.5) and organization relation transfer (5.3) ---- */

static const struct { const char *type, *duty, *title; } ACTS[] = {
  {"organizational_life", "party_building", "召开支部委员会和党员大会，落实“三会一课”"},
  {"reserve_forces", "party_building", "与村级后备力量谈心，制定培养计划"},
  {"member_development", "party_building", "组织党员集中学习，开展党员积分管理"},
  {"monitoring_visit", "consolidation", "集中走访监测户，核实收入和“三保障”情况"},
  {"industry_support", "industry", "对接脐橙合作社销售渠道，组织电商培训"},
  {"collective_economy", "industry", "谋划村集体光伏项目，召开村民代表会议"},
  {"village_construction", "construction", "督导村组道路硬化和安全饮水工程"},
  {"environment", "construction", "组织人居环境整治，清理房前屋后"},
  {"self_government", "governance", "修订村规民约，开展“四议两公开”"},
  {"mediation", "governance", "调解山林权属纠纷，化解矛盾"},
  {"rule_of_law", "governance", "开展法律明白人培训和普法宣传"},
};

static int activities(struct gen *g)
{
  const struct sql_param p[] = {{":county", DEMO_COUNTY "%", 0}};
  json_t *villages = vw_rows(g->db, "SELECT DISTINCT village_code AS code FROM assignment WHERE status = 'active'"
                                    " AND village_code LIKE :county ORDER BY village_code", p, 1, NULL);
  if (!villages) return DB_ERROR;
  int first = date_add_months(date_make(date_year(g->today), date_month(g->today), 1), -(MONTHS - 1));
  int rc = DB_OK;
  size_t i;
  json_t *v;
  json_array_foreach(villages, i, v) {
    const char *code = json_string_value(json_object_get(v, "code"));
    const struct sql_param q[] = {{":v", code, 0}};
    json_t *team = vw_rows(g->db, "SELECT cadre_id AS id, start_date AS start, a.id AS post, c.party_member AS party"
                                  " FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
                                  " WHERE a.village_code = :v AND a.status = 'active' ORDER BY a.id", q, 1, NULL);
    for (int m = 0; rc == DB_OK && m < MONTHS; m++) {
      int month = date_add_months(first, m);
      /* 主题党日 each month, most of the team present (5.3); two more activities of other duties */
      for (int k = 0; rc == DB_OK && k < 3; k++) {
        int day = date_add_days(month, k == 0 ? 9 : 3 + (int)(next(g->rng) % 24));
        if (day > g->today) continue;
        char held[DATE_ISO_SIZE];
        iso(day, held);
        size_t a = k == 0 ? 0 : 1 + next(g->rng) % (sizeof ACTS / sizeof ACTS[0] - 1);
        const char *type = k == 0 ? "theme_party_day" : ACTS[a].type;
        const char *duty = k == 0 ? "party_building" : ACTS[a].duty;
        const char *title = k == 0 ? "主题党日：重温入党誓词，学习中央一号文件精神" : ACTS[a].title;
        json_t *present = json_array();
        size_t j;
        json_t *c;
        json_array_foreach(team, j, c) if (next(g->rng) % 10 < 8) json_array_append(present, json_object_get(c, "id"));
        char *ids = json_dumps(present, JSON_COMPACT);
        json_decref(present);
        struct activity_new act = {code, held, duty, type, title, "", ids ? ids : "[]",
                                   (int64_t)(12 + next(g->rng) % 40), 0};
        int64_t id;
        rc = activities_insert(g->db, &act, g->now, &id);
        free(ids);
        g->out->activities++;
      }
    }
    /* 组织关系转接 (5.3): most party members transferred within a month or so of arrival */
    size_t j;
    json_t *c;
    json_array_foreach(team, j, c) {
      if (rc != DB_OK || !json_integer_value(json_object_get(c, "party")) || next(g->rng) % 4 == 0) continue;
      int start = 0;
      date_parse_iso(json_string_value(json_object_get(c, "start")), &start);
      int on = date_add_days(start, 3 + (int)(next(g->rng) % 40));
      if (on > g->today) on = g->today;
      char s[DATE_ISO_SIZE];
      iso(on, s);
      rc = transfers_put(g->db, json_integer_value(json_object_get(c, "post")), json_integer_value(json_object_get(c, "id")),
                         s, "组织关系已转入村党支部", 0, g->now);
    }
    json_decref(team);
    if (rc != DB_OK) break;
  }
  json_decref(villages);
  return rc;
}

/* ---- cases (5.7) ---- */

/* A path of steps: the day offsets (from today) of review, notice, check, decision, and, when
 * set, a measure, the closure and the reversal. 0 = the case stops before that step. */
struct path {
  const char *risk;
  int lead, review, notice, check, decide, measure, close, reopen;
  bool review_no;
  const char *category;
};

static int step_with(struct gen *g, int64_t id, int64_t *version, enum case_action a, enum case_state *state, int day,
                     bool agreed, const char *category, const char *note, const char *detail)
{
  enum case_state to;
  if (case_flow_step(*state, a, agreed, &to, NULL) != CASE_OK) return DB_ERROR;
  char on[DATE_ISO_SIZE];
  iso(date_add_days(g->today, -day), on);
  bool review = a == CASE_REVIEW || a == CASE_CLOSE_REVIEW, notice = a == CASE_NOTICE || a == CASE_CLOSE_NOTICE;
  struct case_step_new s = {id, *version, a, *state, to, on, note, detail, review ? "村两委成员、党员代表、村民代表 12 人" : NULL,
                            agreed ? "agree" : "disagree", notice ? 5 : 0, category, 0};
  int rc = cases_step(g->db, &s, g->now);
  (*version)++;
  *state = to;
  return rc;
}

static int step(struct gen *g, int64_t id, int64_t *version, enum case_action a, enum case_state *state, int day,
                bool agreed, const char *category, const char *note)
{
  return step_with(g, id, version, a, state, day, agreed, category, note, "{}");
}

/* 风险消除 by its procedure (5.7, the national mechanism): the home check 8 days before the
 * county's confirmation, the village's review the next day, a 5-day notice, then the confirmation. */
static int close_path(struct gen *g, int64_t id, int64_t *version, enum case_state *s, int day)
{
  int rc = step_with(g, id, version, CASE_CLOSE_VERIFY, s, day + 8, true, NULL,
                     "入户核实：家庭成员稳定务工，年人均纯收入高于监测标准，三保障和饮水安全均有保障",
                     "{\"verifiers\":\"驻村第一书记、村监督委员会主任\"}");
  if (rc == DB_OK)
    rc = step_with(g, id, version, CASE_CLOSE_REVIEW, s, day + 7, true, NULL, "",
                   "{\"result\":\"agree\",\"participants\":\"村两委成员、党员代表、村民代表 12 人\"}");
  if (rc == DB_OK) rc = step_with(g, id, version, CASE_CLOSE_NOTICE, s, day + 6, true, NULL, "", "{\"days\":5}");
  if (rc == DB_OK) rc = step_with(g, id, version, CASE_CLOSE, s, day, true, NULL, "审核确认：收入稳定超过监测标准，风险已消除",
                                  "{\"result\":\"agree\"}");
  return rc;
}

static int walk(struct gen *g, int64_t household, const char *village, const char *source, const struct path *p)
{
  char lead[DATE_ISO_SIZE], risks[48];
  iso(date_add_days(g->today, -p->lead), lead);
  snprintf(risks, sizeof risks, "[\"%s\"]", p->risk);
  struct case_new c = {household, village, source, 0, 0, strcmp(source, "department") == 0 ? "县医保局" : NULL, risks,
                       "家庭医疗支出骤增，收入下降", lead, 0};
  int64_t id, version = 1;
  enum case_state s = CASE_FOUND;
  int rc = cases_insert(g->db, &c, g->now, &id);
  g->out->cases++;
  if (rc == DB_OK && p->review) rc = step(g, id, &version, CASE_REVIEW, &s, p->review, !p->review_no, NULL, "");
  if (rc == DB_OK && p->notice && s == CASE_REVIEWED) rc = step(g, id, &version, CASE_NOTICE, &s, p->notice, true, NULL, "");
  if (rc == DB_OK && p->check) rc = step(g, id, &version, CASE_CHECK, &s, p->check, true, NULL, "材料齐全，程序规范");
  if (rc == DB_OK && p->decide) {
    rc = step(g, id, &version, CASE_DECIDE, &s, p->decide, true, p->category, "");
    if (rc == DB_OK) rc = cases_household_set(g->db, household, true, p->category, 0, g->now);
  }
  if (rc == DB_OK && p->measure) {
    char on[DATE_ISO_SIZE];
    iso(date_add_days(g->today, -p->measure), on);
    struct case_measure_new m = {id, "health", "落实医疗保障“三重保障”，申请临时救助 3000 元", "驻村第一书记", on, 0};
    int64_t mid;
    rc = cases_add_measure(g->db, &m, g->now, &mid);
    if (rc == DB_OK) rc = step(g, id, &version, CASE_MEASURE, &s, p->measure, true, NULL, "落实医疗保障和临时救助");
  }
  if (rc == DB_OK && p->close) {
    rc = close_path(g, id, &version, &s, p->close);
    if (rc == DB_OK) rc = cases_household_set(g->db, household, false, NULL, 0, g->now);
  }
  if (rc == DB_OK && p->reopen) {
    rc = step(g, id, &version, CASE_REOPEN, &s, p->reopen, true, NULL, "户主再次患病住院，返贫风险重现");
    if (rc == DB_OK) rc = cases_household_set(g->db, household, true, p->category, 0, g->now);
  }
  return rc;
}

static const struct path DEMO_PATHS[] = {
  {"illness", 2, 0, 0, 0, 0, 0, 0, 0, false, NULL},                   /* found */
  {"accident", 4, 3, 0, 0, 0, 0, 0, 0, false, NULL},                  /* reviewed */
  {"disaster", 5, 4, 2, 0, 0, 0, 0, 0, false, NULL},                  /* in notice */
  {"unstable_work", 20, 18, 14, 5, 0, 0, 0, 0, false, NULL},          /* checked, overdue (20 > 15 days) */
  {"schooling", 12, 10, 0, 0, 0, 0, 0, 0, false, NULL},               /* stalled: no step for 10 days */
  {"illness", 40, 38, 37, 31, 30, 28, 0, 0, false, "sudden"},         /* monitored, a measure */
  {"illness", 300, 298, 297, 290, 288, 280, 20, 0, false, "marginal"},/* closed */
  {"disability", 420, 418, 417, 410, 409, 400, 200, 30, false, "unstable"}, /* closed, then reopened */
  {"industry_failure", 15, 14, 0, 0, 0, 0, 0, 0, true, NULL},         /* dismissed at the review */
};

static int cases(struct gen *g)
{
  const struct sql_param p[] = {{":v", DEMO_VILLAGE, 0}};
  json_t *hh = vw_rows(g->db, "SELECT id FROM household WHERE village_code = :v AND monitored = 0 AND status = 'active'"
                              " ORDER BY id LIMIT 12", p, 1, NULL);
  if (!hh) return DB_ERROR;
  int rc = DB_OK;
  static const char *const SOURCES[] = {"self_reported", "cadre_screening", "department"};
  for (size_t i = 0; rc == DB_OK && i < sizeof DEMO_PATHS / sizeof DEMO_PATHS[0] && i < json_array_size(hh); i++) {
    int64_t id = json_integer_value(json_object_get(json_array_get(hh, i), "id"));
    if (DEMO_PATHS[i].close) {
      /* the closed cases met the criteria: income above the threshold, 三保障 and water secure */
      const struct sql_param u[] = {{":h", NULL, id}, {":y", NULL, date_year(g->today)}};
      rc = vw_exec(g->db, "UPDATE household SET able_bodied = max(able_bodied, 1), schooling = 1, medical = 1,"
                          " housing = 1, water = 1 WHERE id = :h", u, 2, NULL);
      if (rc == DB_OK)
        rc = vw_exec(g->db, "INSERT INTO household_income (household_id, year, per_capita) VALUES (:h, :y, 11800)"
                            " ON CONFLICT (household_id, year) DO UPDATE SET per_capita = 11800", u, 2, NULL);
    }
    if (rc == DB_OK) rc = walk(g, id, DEMO_VILLAGE, SOURCES[i % 3], &DEMO_PATHS[i]);
  }
  json_decref(hh);
  /* a few pending cases in other villages of 瑞金市, of various ages (some overdue) */
  const struct sql_param q[] = {{":c", DEMO_COUNTY "%", 0}, {":v", DEMO_VILLAGE, 0}};
  json_t *others = vw_rows(g->db, "SELECT min(id) AS id, village_code AS village FROM household WHERE village_code LIKE :c"
                                  " AND village_code <> :v AND monitored = 0 GROUP BY village_code ORDER BY village_code", q, 2, NULL);
  size_t i;
  json_t *o;
  json_array_foreach(others, i, o) {
    if (rc != DB_OK || next(g->rng) % 3 != 0) continue;
    int lead = 1 + (int)(next(g->rng) % 25);
    struct path path = {"illness", lead, lead > 3 ? lead - 2 : 0, 0, 0, 0, 0, 0, 0, false, NULL};
    rc = walk(g, json_integer_value(json_object_get(o, "id")), json_string_value(json_object_get(o, "village")),
              "cadre_screening", &path);
  }
  json_decref(others);
  return rc;
}

/* ---- plans (5.9) and resources (3.3, 5.10) ---- */

static const struct { const char *kind, *title, *target; double amount; int due; } ITEMS[] = {
  {"project", "脐橙标准化种植基地提升", "新改建标准化果园 200 亩，带动脱贫户 30 户", 300000, 6},
  {"funds", "派出单位帮扶资金", "全年落实帮扶资金 20 万元", 200000, 9},
  {"people", "技术人才驻点指导", "农技专家到村指导 12 次，培训农户 150 人次", 0, 11},
  {"project", "村组道路硬化", "硬化村组道路 2.5 公里", 450000, 10},
};
static const char *const STATES[] = {"approved", "submitted", "draft", "returned"};

static int plan_for(struct gen *g, const char *village, int64_t unit, const char *state, bool progress)
{
  json_t *items = json_array();
  for (size_t k = 0; k < sizeof ITEMS / sizeof ITEMS[0]; k++) {
    char due[8];
    snprintf(due, sizeof due, "%04d-%02d", date_year(g->today), ITEMS[k].due);
    json_t *it = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", ITEMS[k].kind, "title", ITEMS[k].title, "target",
                           ITEMS[k].target, "due_month", due, "responsible", "驻村工作队");
    if (ITEMS[k].amount > 0) json_object_set_new(it, "amount", json_real(ITEMS[k].amount));
    json_array_append_new(items, it);
  }
  struct plan_write w = {village, date_year(g->today), unit, "巩固拓展脱贫攻坚成果，发展脐橙主导产业，壮大村集体经济，改善人居环境。",
                         "村党支部书记、村委会主任、村监委会主任", items, NULL, 0};
  /* the plan addresses the weak points of the village's profile (5.8; demo_village_profile runs first) */
  char today[DATE_ISO_SIZE];
  date_format_iso(g->today, today);
  json_t *weak = village_profile_weak_points(g->db, village, today);
  char *weak_text = weak ? json_dumps(weak, JSON_COMPACT) : NULL;
  json_decref(weak);
  if (!weak_text) { json_decref(items); return DB_ERROR; }
  w.weak_points_json = weak_text;
  int64_t id;
  int rc = plans_insert(g->db, &w, g->now, &id);
  free(weak_text);
  json_decref(items);
  g->out->plans++;
  if (rc != DB_OK || strcmp(state, "draft") == 0) return rc;
  rc = plans_transition(g->db, id, 1, "draft", "submitted", "submit", NULL, 0, g->now);
  if (rc == DB_OK && strcmp(state, "returned") == 0)
    rc = plans_transition(g->db, id, 2, "submitted", "returned", "return", "资金来源不明确，请补充帮扶资金的筹措渠道", 0, g->now);
  if (rc == DB_OK && strcmp(state, "approved") == 0)
    rc = plans_transition(g->db, id, 2, "submitted", "approved", "approve", "同意", 0, g->now);
  if (rc != DB_OK || !progress) return rc;
  const struct sql_param p[] = {{":p", NULL, id}};
  json_t *its = vw_rows(g->db, "SELECT id FROM plan_item WHERE plan_id = :p ORDER BY seq", p, 1, NULL);
  size_t i;
  json_t *it;
  json_array_foreach(its, i, it) {
    if (rc != DB_OK) break;
    int64_t item = json_integer_value(json_object_get(it, "id")), pid;
    for (int k = 1; rc == DB_OK && k <= 2; k++) {
      int on = date_add_days(g->today, -(int)(60 / k) - (int)i);
      if (date_year(on) != date_year(g->today)) on = date_make(date_year(g->today), 1, 2);
      char s[DATE_ISO_SIZE];
      iso(on, s);
      rc = plans_add_progress(g->db, item, s, (int)(k * 25 + (next(g->rng) % 20)), "", k == 1 ? "已启动，完成前期准备" : "按计划推进",
                              0, g->now, &pid);
    }
    char on[DATE_ISO_SIZE];
    iso(date_add_days(g->today, -45 - (int)i), on);
    if (rc == DB_OK && i < 2) {
      struct resource_new r = {village, unit, i == 0 ? "project" : "funds", i == 0 ? "派出单位争取脐橙产业项目" : "派出单位帮扶资金拨付",
                               i == 0 ? "150000.00" : "100000.00", on, "", item, 0};
      int64_t rid;
      rc = resources_insert(g->db, &r, g->now, &rid);
      g->out->resources++;
    }
  }
  json_decref(its);
  return rc;
}

static int plans(struct gen *g)
{
  const struct sql_param p[] = {{":c", DEMO_COUNTY "%", 0}};
  json_t *villages = vw_rows(g->db, "SELECT village_code AS code, unit_id AS unit FROM assignment WHERE status = 'active'"
                                    " AND post = 'first_secretary' AND village_code LIKE :c ORDER BY village_code", p, 1, NULL);
  if (!villages) return DB_ERROR;
  int rc = DB_OK;
  size_t i;
  json_t *v;
  json_array_foreach(villages, i, v) {
    if (rc != DB_OK) break;
    const char *code = json_string_value(json_object_get(v, "code"));
    int64_t unit = json_integer_value(json_object_get(v, "unit"));
    bool demo = strcmp(code, DEMO_VILLAGE) == 0;
    rc = plan_for(g, code, unit, demo ? "approved" : STATES[i % 4], demo || i % 4 == 0);
    /* talent and technology the unit brought (3.3, 5.10), outside the plan's items */
    char on[DATE_ISO_SIZE];
    int day = date_add_days(g->today, -20 - (int)(next(g->rng) % 100));
    iso(date_year(day) == date_year(g->today) ? day : g->today, on);
    struct resource_new r = {code, unit, i % 2 ? "talent" : "technology", i % 2 ? "选派农技人员驻村指导" : "引进脐橙黄龙病防控技术",
                             "", on, "", 0, 0};
    int64_t rid;
    if (rc == DB_OK) rc = resources_insert(g->db, &r, g->now, &rid);
    g->out->resources++;
  }
  json_decref(villages);
  return rc;
}

int demo_village_work(struct db *db, unsigned *rng, int64_t now, struct demo_village_work_counts *out)
{
  memset(out, 0, sizeof *out);
  struct gen g = {db, rng, date_from_unix_cst((time_t)now), now, out};
  int rc = meetings(&g);
  if (rc == DB_OK) rc = activities(&g);
  if (rc == DB_OK) rc = cases(&g);
  if (rc == DB_OK) rc = plans(&g);
  return rc;
}
