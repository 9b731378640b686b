/* case_flow — see case_flow.h. The path is one chain of states (found → reviewed → noticed →
 * checked → monitored → close_verified → close_reviewed → close_noticed → closed, closed →
 * monitored again on a reversal) plus the dismissed end;
 * each action has the one state it starts from, so a skipped step is the distance between the
 * case's state and that state. All rules of 5.7. */
#include "core/case_flow.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"

static const char *const STATE_CODE[CASE_STATE_COUNT] = {"found", "reviewed", "noticed", "checked", "monitored",
                                                         "dismissed", "closed", "close_verified",
                                                         "close_reviewed", "close_noticed"};
static const char *const STATE_ZH[CASE_STATE_COUNT] = {"发现风险", "已民主评议", "公示中", "乡镇已审核", "已纳入监测",
                                                       "不纳入监测", "风险已消除",
                                                       "风险消除已入户核实", "风险消除已民主评议", "风险消除公示中"};
static const char *const ACTION_CODE[CASE_ACTION_COUNT] = {"review", "notice", "objection", "check", "decide",
                                                           "measure", "close", "reopen",
                                                           "close_verify", "close_review", "close_notice"};
static const char *const ACTION_ZH[CASE_ACTION_COUNT] = {"民主评议", "公示", "公示异议", "乡镇审核", "县级审定",
                                                         "帮扶措施", "风险消除审核确认", "返贫重新纳入",
                                                         "风险消除入户核实", "风险消除民主评议", "风险消除公示"};

/* The state each action starts from (5.7: the order of the procedure). */
static const enum case_state FROM[CASE_ACTION_COUNT] = {
  [CASE_REVIEW] = CASE_FOUND,      [CASE_NOTICE] = CASE_REVIEWED,   [CASE_OBJECTION] = CASE_NOTICED,
  [CASE_CHECK] = CASE_NOTICED,     [CASE_DECIDE] = CASE_CHECKED,    [CASE_MEASURE] = CASE_MONITORED,
  [CASE_CLOSE] = CASE_CLOSE_NOTICED, [CASE_REOPEN] = CASE_CLOSED,
  /* 风险消除 goes through the entry's kind of procedure: 入户核实 → 民主评议 → 公示 → 审核确认 */
  [CASE_CLOSE_VERIFY] = CASE_MONITORED, [CASE_CLOSE_REVIEW] = CASE_CLOSE_VERIFIED,
  [CASE_CLOSE_NOTICE] = CASE_CLOSE_REVIEWED,
};

/* Position on the chain; dismissed is off it. */
static int rank(enum case_state s)
{
  switch (s) {
  case CASE_FOUND: return 0;
  case CASE_REVIEWED: return 1;
  case CASE_NOTICED: return 2;
  case CASE_CHECKED: return 3;
  case CASE_MONITORED: return 4;
  case CASE_CLOSE_VERIFIED: return 5;
  case CASE_CLOSE_REVIEWED: return 6;
  case CASE_CLOSE_NOTICED: return 7;
  case CASE_CLOSED: return 8;
  default: return -1;
  }
}

const char *case_state_code(enum case_state s) { return (unsigned)s < CASE_STATE_COUNT ? STATE_CODE[s] : NULL; }
const char *case_state_name_zh(enum case_state s) { return (unsigned)s < CASE_STATE_COUNT ? STATE_ZH[s] : NULL; }
const char *case_action_code(enum case_action a) { return (unsigned)a < CASE_ACTION_COUNT ? ACTION_CODE[a] : NULL; }
const char *case_action_name_zh(enum case_action a) { return (unsigned)a < CASE_ACTION_COUNT ? ACTION_ZH[a] : NULL; }

int case_state_parse(const char *code, enum case_state *out)
{
  for (int i = 0; code && i < CASE_STATE_COUNT; i++)
    if (strcmp(code, STATE_CODE[i]) == 0) { *out = (enum case_state)i; return 0; }
  return CASE_ERR_INVALID;
}

int case_action_parse(const char *code, enum case_action *out)
{
  for (int i = 0; code && i < CASE_ACTION_COUNT; i++)
    if (strcmp(code, ACTION_CODE[i]) == 0) { *out = (enum case_action)i; return 0; }
  return CASE_ERR_INVALID;
}

int case_flow_next(enum case_state s)
{
  switch (s) {
  case CASE_FOUND: return CASE_REVIEW;
  case CASE_REVIEWED: return CASE_NOTICE;
  case CASE_NOTICED: return CASE_CHECK;
  case CASE_CHECKED: return CASE_DECIDE;
  case CASE_MONITORED: return CASE_CLOSE_VERIFY;
  case CASE_CLOSE_VERIFIED: return CASE_CLOSE_REVIEW;
  case CASE_CLOSE_REVIEWED: return CASE_CLOSE_NOTICE;
  case CASE_CLOSE_NOTICED: return CASE_CLOSE;
  case CASE_CLOSED: return CASE_REOPEN;
  default: return -1;
  }
}

bool case_flow_pending(enum case_state s) { return s == CASE_FOUND || s == CASE_REVIEWED || s == CASE_NOTICED || s == CASE_CHECKED; }

bool case_flow_closing(enum case_state s)
{
  return s == CASE_CLOSE_VERIFIED || s == CASE_CLOSE_REVIEWED || s == CASE_CLOSE_NOTICED;
}

int case_flow_step(enum case_state from, enum case_action action, bool agreed, enum case_state *to,
                   enum case_action *missing)
{
  if ((unsigned)from >= CASE_STATE_COUNT || (unsigned)action >= CASE_ACTION_COUNT) return CASE_ERR_INVALID;
  enum case_state need = FROM[action];
  if (from != need) {
    /* behind on the chain: the step that leads on from where the case is, is missing */
    if (rank(from) >= 0 && rank(from) < rank(need)) {
      if (missing) *missing = (enum case_action)case_flow_next(from);
      return CASE_ERR_SKIPPED;
    }
    return CASE_ERR_STATE;
  }
  switch (action) {
  case CASE_REVIEW: *to = agreed ? CASE_REVIEWED : CASE_DISMISSED; break;
  case CASE_NOTICE: *to = CASE_NOTICED; break;
  case CASE_OBJECTION: *to = CASE_NOTICED; break;
  case CASE_CHECK: *to = agreed ? CASE_CHECKED : CASE_DISMISSED; break;
  case CASE_DECIDE: *to = agreed ? CASE_MONITORED : CASE_DISMISSED; break;
  case CASE_MEASURE: *to = CASE_MONITORED; break;
  case CASE_CLOSE: *to = agreed ? CASE_CLOSED : CASE_MONITORED; break;
  case CASE_REOPEN: *to = CASE_MONITORED; break;
  case CASE_CLOSE_VERIFY: *to = CASE_CLOSE_VERIFIED; break;
  case CASE_CLOSE_REVIEW: *to = agreed ? CASE_CLOSE_REVIEWED : CASE_MONITORED; break;
  case CASE_CLOSE_NOTICE: *to = CASE_CLOSE_NOTICED; break;
  default: return CASE_ERR_INVALID;
  }
  return CASE_OK;
}

int case_notice_ends(int start, int min_days) { return date_add_days(start, min_days); }

int case_flow_confirm(int on, int notice_start, int notice_days, bool agreed, bool criteria_met)
{
  if (!notice_start || notice_days <= 0 || on < case_notice_ends(notice_start, notice_days)) return CASE_ERR_NOTICE;
  if (agreed && !criteria_met) return CASE_ERR_CRITERIA;
  return CASE_OK;
}

int case_flow_elapsed(enum case_state s, int lead_on, int decision_on, int today, int max_days, long *days,
                      bool *overdue)
{
  int until = case_flow_pending(s) || !decision_on ? today : decision_on;
  *days = 0;
  *overdue = false;
  if (date_diff_days(lead_on, until, days) != 0) return -1;
  /* a dismissed case without a county decision (refused at review or check) ran no clock to a decision */
  if (s == CASE_DISMISSED && !decision_on) return 0;
  *overdue = *days > max_days;
  return 0;
}

bool case_flow_stalled(enum case_state s, int last_step_on, int today, int stalled_days)
{
  long idle;
  if (!case_flow_pending(s) || date_diff_days(last_step_on, today, &idle) != 0) return false;
  return idle > stalled_days;
}

/* ---- closure ---- */

static void say(struct closure_result *r, bool met, const char *fmt, double a, double b)
{
  r->met = met;
  snprintf(r->detail, sizeof r->detail, fmt, a, b);
}

/* Income records are yearly: stable above the threshold means every record from the year of
 * identification on is above it, the latest is of this year or the last, and the household has
 * been watched at least `months` since identification. */
static void income_stable(const struct closure_criterion *c, const struct closure_facts *f, struct closure_result *r)
{
  if (!f->identified_on) { say(r, false, "尚未纳入监测", 0, 0); return; }
  int from_year = date_year(f->identified_on), latest = 0;
  double lowest = 0, latest_income = 0;
  size_t n = 0;
  for (size_t i = 0; i < f->nincomes; i++) {
    const struct income_record *x = &f->incomes[i];
    if (x->year < from_year) continue;
    if (n == 0 || x->per_capita < lowest) lowest = x->per_capita;
    if (x->year > latest) { latest = x->year; latest_income = x->per_capita; }
    n++;
  }
  if (n == 0) { say(r, false, "纳入监测以来没有收入记录", 0, 0); return; }
  if (latest < date_year(f->today) - 1) { say(r, false, "最近的收入记录为 %.0f 年，已过时", latest, 0); return; }
  if (lowest <= f->threshold) {
    say(r, false, "纳入监测以来有年度人均纯收入 %.0f 元，未超过监测标准 %.0f 元", lowest, f->threshold);
    return;
  }
  int since = date_add_months(f->identified_on, c->months);
  if (since > f->today) {
    say(r, false, "收入超过标准的时间不足 %.0f 个月（监测标准 %.0f 元）", c->months, f->threshold);
    return;
  }
  say(r, true, "%.0f 年人均纯收入 %.0f 元", latest, latest_income);
  size_t len = strlen(r->detail);
  snprintf(r->detail + len, sizeof r->detail - len, "，高于监测标准 %.0f 元", f->threshold);
}

static void long_enough(const struct closure_criterion *c, const struct closure_facts *f, struct closure_result *r)
{
  if (!f->identified_on) { say(r, false, "尚未纳入监测", 0, 0); return; }
  long days = 0;
  date_diff_days(f->identified_on, f->today, &days);
  bool met = date_add_months(f->identified_on, c->months) <= f->today;
  say(r, met, met ? "已纳入监测 %.0f 天（要求满 %.0f 个月）" : "纳入监测仅 %.0f 天，不满 %.0f 个月", (double)days, c->months);
}

static void secure(const struct closure_facts *f, struct closure_result *r)
{
  static const char *const NAMES[] = {"义务教育", "基本医疗", "住房安全", "饮水安全"};
  const int v[] = {f->schooling, f->medical, f->housing, f->water};
  char missing[120] = "";
  for (int i = 0; i < 4; i++) {
    if (v[i] == 1) continue;
    size_t len = strlen(missing);
    snprintf(missing + len, sizeof missing - len, "%s%s%s", len ? "、" : "", NAMES[i], v[i] == 0 ? "未保障" : "未核实");
  }
  r->met = missing[0] == '\0';
  snprintf(r->detail, sizeof r->detail, "%s", r->met ? "三保障和饮水安全均有保障" : missing);
}

int case_flow_closure(const struct closure_criterion *criteria, size_t n, const struct closure_facts *f,
                      struct closure_result *out, bool *all_met)
{
  if (n > CASE_CLOSURE_MAX) return -1;
  *all_met = true;
  for (size_t i = 0; i < n; i++) {
    const struct closure_criterion *c = &criteria[i];
    struct closure_result *r = &out[i];
    memset(r, 0, sizeof *r);
    r->code = c->code;
    if (strcmp(c->code, "income_stable") == 0) income_stable(c, f, r);
    else if (strcmp(c->code, "monitored_long_enough") == 0) long_enough(c, f, r);
    else if (strcmp(c->code, "measure_applied") == 0)
      say(r, f->measures >= (c->min_count > 0 ? c->min_count : 1), "已落实帮扶措施 %.0f 项（至少 %.0f 项）", f->measures,
          c->min_count > 0 ? c->min_count : 1);
    else if (strcmp(c->code, "guarantees_secure") == 0) secure(f, r);
    else if (strcmp(c->code, "has_labour") == 0)
      say(r, f->able_bodied > 0, f->able_bodied > 0 ? "有劳动力 %.0f 人" : "无劳动力户，不标注风险消除", f->able_bodied, 0);
    else say(r, false, "未知的消除条件", 0, 0);
    if (!r->met) *all_met = false;
  }
  return 0;
}
