/* h_todo — GET /api/v1/me/todo: one 待办 for the caller, whatever their role. The role decides
 * which kinds of work wait on them (this file); store/todo counts each kind with the same query
 * as the list the item opens, so "请假待审批 3" is the number of rows 请销假 then shows. Each item
 * has a Chinese title, its count, the earliest due date with the days it is late, and the UI
 * route to act on it. A role with nothing to do gets an empty list, never a 403. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/roles.h"
#include "http/day_start.h"
#include "http/handlers.h"
#include "core/policy.h"
#include "http/server.h"
#include "store/todo.h"

struct kind_text { const char *kind, *title, *route; };

static const struct kind_text KINDS[] = {
  {"leave", "请假待审批", "/leaves?inbox=1"},
  {"nomination", "选派人选待审批", "/inbox"},
  {"adjustment", "调整、召回后待选派继任人选", "/assignments"},
  {"handover", "工作交接待确认", "/assignments?status=handover"},
  {"case_found", "监测线索待民主评议", "/cases?state=found"},
  {"case_reviewed", "民主评议后待公示", "/cases?state=reviewed"},
  {"case_noticed", "监测对象待乡镇审核", "/cases?state=noticed"},
  {"case_checked", "监测对象待县级审定", "/cases?state=checked"},
  {"case_close_verified", "风险消除：已入户核实，待民主评议", "/cases?state=close_verified"},
  {"case_close_reviewed", "风险消除：已民主评议，待公示", "/cases?state=close_reviewed"},
  {"case_close_noticed", "风险消除待县级审核确认", "/cases?state=close_noticed"},
  {"plan_review", "年度帮扶计划待审核", "/plans?status=submitted"},
  {"vacancy", "驻村岗位空缺待补派", "/coverage"},
  {"term_ending", "任期即将届满、尚无继任人选", "/coverage"},
  {"evaluation_report", "考核述职报告待提交", "/evaluations"},
  {"evaluation_votes", "驻村干部考核待录入民主测评", "/evaluations?waiting=votes"},
  {"evaluation_township", "驻村干部考核待填写乡镇党委意见", "/evaluations?waiting=township"},
  {"evaluation_unit", "驻村干部考核待填写派出单位意见", "/evaluations?waiting=unit"},
  {"evaluation_result", "驻村干部考核待确定等次", "/evaluations?waiting=result"},
  {"report_review", "工作报告待批阅", "/reports?review=waiting"},
  {"report_returned", "工作报告被退回、待修改", "/reports?review=returned"},
  {"log_returned", "驻村日志被退回、待修改", "/reports?tab=logs&review=returned"},
  {"upward_due", "上报材料待报送", "/upward-reports"},
  {"upward_returned", "上报材料被退回、待修改后重新报送", "/upward-reports"},
  {"upward_receive", "下级上报材料待签收", "/upward-reports?view=inbox"},
  {"allowance_confirm", "补助核算表待核对确认", "/allowances?waiting=1"},
};

static const struct kind_text *kind_text(const char *kind)
{
  for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
    if (strcmp(KINDS[i].kind, kind) == 0) return &KINDS[i];
  return NULL;
}

static bool is_level(const struct role *r, const char *level)
{
  return r->level && strcmp(r->level, level) == 0;
}

/* The monitoring-case states whose next step is this role's (5.7). */
static void case_states(const struct role *r, struct todo_who *w)
{
  int n = 0;
  if (roles_can(r, PERM_CASE_CHECK)) w->case_states[n++] = "noticed";
  if (roles_can(r, PERM_CASE_DECIDE)) {
    w->case_states[n++] = "checked";
    w->case_states[n++] = "close_noticed"; /* 风险消除's 审核确认 */
  }
  if (n == 0 && roles_can(r, PERM_CASE_WRITE)) {
    w->case_states[n++] = "found";
    w->case_states[n++] = "reviewed";
    w->case_states[n++] = "close_verified"; /* 风险消除: 民主评议, then 公示, by the team */
    w->case_states[n++] = "close_reviewed";
  }
}

/* The 考核 steps this role takes (h_evaluations.c checks the same roles on the write). */
static void evaluation_steps(const struct request *req, struct todo_who *w)
{
  const struct role *r = req->user.role;
  const char *d = roles_department(r);
  if (req->scope.kind == SCOPE_KIND_SELF && roles_can(r, PERM_REPORT_SUBMIT)) w->evaluation_steps[0] = "report";
  if (is_level(r, "township") && roles_can(r, PERM_DISCIPLINE_WRITE)) {
    w->evaluation_steps[0] = "votes";
    w->evaluation_steps[1] = "township";
  }
  if (req->scope.kind == SCOPE_KIND_UNIT && roles_can(r, PERM_PLAN_REVIEW)) w->evaluation_steps[0] = "unit";
  if (d && strcmp(d, "org") == 0 && is_level(r, "county")) w->evaluation_steps[0] = "result";
}

static void who_of(const struct request *req, struct todo_who *w)
{
  const struct role *r = req->user.role;
  w->today = req->today;
  if (!r) return;
  w->leave_level = leave_approver_level(r);
  w->department = roles_can(r, PERM_ASSIGN_APPROVE) ? roles_department(r) : NULL;
  w->region_code = req->user.region_code;
  w->adjustments = roles_can(r, PERM_ASSIGN_NOMINATE);
  w->handovers = roles_can(r, PERM_HANDOVER_CONFIRM) && is_level(r, "township");
  w->plan_review = roles_can(r, PERM_PLAN_REVIEW);
  /* vacancies and terms ending: the county's and city's departments and the dispatching units */
  w->posts = roles_can(r, PERM_ASSIGN_READ) &&
             (r->scope_kind == SCOPE_KIND_UNIT ||
              (roles_department(r) && (is_level(r, "county") || is_level(r, "city"))));
  if (r->scope_kind != SCOPE_KIND_NONE) case_states(r, w);
  evaluation_steps(req, w);
  /* 批阅: the township decides on reports (policy review_decide_readers); a cadre revises */
  const char *reader = review_reader_of(r);
  w->report_review = reader && roles_can(r, PERM_REPORT_READ) &&
                     policy_list_contains(req->app->policy, "review_decide_readers", req->today, reader);
  w->returned_to_me = req->user.cadre_id != 0;
  /* 3.4b: the unit's HR (and leader) confirm the month's allowance sheet once the month is over */
  if (r->scope_kind == SCOPE_KIND_UNIT && roles_can(r, PERM_FUNDS_WRITE)) {
    snprintf(w->allowance_month, sizeof w->allowance_month, "%04d-%02d", date_year(req->today), date_month(req->today));
    w->allowance_before = w->allowance_month;
  }
}

/* Title and route; a unit acts on posts from 选派管理 (it has no 覆盖与稳定). */
static int decorate(const struct request *req, json_t *items)
{
  size_t i;
  json_t *it;
  bool coverage = roles_can(req->user.role, PERM_REGION_READ);
  json_array_foreach(items, i, it) {
    const struct kind_text *k = kind_text(json_string_value(json_object_get(it, "kind")));
    if (!k) return -1;
    const char *route = json_string_value(json_object_get(it, "route")); /* set by the kind itself */
    if (!route) route = k->route;
    if (strcmp(route, "/coverage") == 0 && !coverage) route = "/assignments";
    json_object_set_new(it, "title", json_string(k->title));
    json_object_set_new(it, "route", json_string(route));
  }
  return 0;
}

int api_me_todo(struct request *req, struct reply *rep)
{
  struct todo_who w = {0};
  struct post_rules rules;
  day_post_rules(req, &rules);
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  struct case_limits lim = {t, (int)policy_int(req->app->policy, "case_decision_max_days", req->today),
                            (int)policy_int(req->app->policy, "case_stalled_days", req->today)};
  if (lim.max_days <= 0) lim.max_days = 15;
  if (lim.stalled_days <= 0) lim.stalled_days = 7;
  w.rules = &rules;
  w.case_limits = &lim;
  who_of(req, &w);
  json_t *items = todo_json(req->db, &req->scope, &w);
  if (!items || upward_todo_items(req, items) != 0 || decorate(req, items) != 0) { json_decref(items); return reply_internal(rep); }
  json_int_t total = 0;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) total += json_integer_value(json_object_get(it, "count"));
  reply_json(rep, 200, json_pack("{s:s, s:I, s:o}", "today", t, "total", total, "items", items));
  return 0;
}
