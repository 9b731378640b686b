/* h_plans — 年度定点帮扶计划 (5.9) and the unit's resources (3.3, 5.10).
 *
 * The village team drafts the year's plan with the village 两委 (PERM_PLAN_WRITE): goals and items
 * (projects, funds, people, other — each with a target and a due month). It submits the plan to
 * the party committee of the unit of the village's first secretary (PERM_PLAN_REVIEW, that unit
 * only: another unit finds no such plan), which approves it or returns it with comments; a
 * returned plan is edited and submitted again. Every write names the version it read, so a review
 * of a plan changed meanwhile is refused (409 stale). Once approved, progress is recorded against
 * each item. Resources the unit brings (funds, projects, talent, technology …) are recorded per
 * village, optionally against a plan item, and show in the plan's progress. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/roles.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "http/village_input.h"
#include "store/db.h"
#include "store/plans.h"
#include "store/village_profile.h"

#define ITEMS_MAX 50


static const char *status_zh(const char *s)
{
  if (!s) return "";
  if (strcmp(s, "draft") == 0) return "草稿";
  if (strcmp(s, "submitted") == 0) return "待审核";
  if (strcmp(s, "returned") == 0) return "已退回";
  if (strcmp(s, "approved") == 0) return "已批准";
  return s;
}

static void set_name(const struct request *req, json_t *row, const char *key, const char *list)
{
  char k[64];
  snprintf(k, sizeof k, "%s_name", key);
  const char *code = json_string_value(json_object_get(row, key));
  const char *name = code ? policy_list_name(req->app->policy, list, req->today, code) : NULL;
  json_object_set_new(row, k, name ? json_string(name) : json_null());
}

/* A write of a plan or a resource: its content, the version it expects, a state change, a progress
 * note, and the id the store sets for what it creates. */
struct plan_change {
  const struct plan_write *plan;
  const struct resource_new *resource;
  int64_t id, version, item;
  const char *from, *to, *action, *comment;
  const char *on, *amount_text, *note;
  int percent;
};

static int store_plan(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct plan_change *c = ctx;
  return plans_insert(req->db, c->plan, req->now, &c->id);
}

static int store_edit(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct plan_change *c = ctx;
  return plans_update(req->db, c->id, c->version, c->plan, req->now);
}

static int store_transition(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct plan_change *c = ctx;
  return plans_transition(req->db, c->id, c->version, c->from, c->to, c->action, c->comment, req->user.id, req->now);
}

static int store_progress(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct plan_change *c = ctx;
  int64_t progress_id;
  return plans_add_progress(req->db, c->item, c->on, c->percent, c->amount_text, c->note, req->user.id, req->now,
                            &progress_id);
}

static int store_resource(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct plan_change *c = ctx;
  return resources_insert(req->db, c->resource, req->now, &c->id);
}

static const struct write_error PLAN_DUPLICATE[] = {
    {DB_CONFLICT, 409, "duplicate", "本村该年度的帮扶计划已存在", "year"}, {0}};
static const struct write_error PLAN_STALE[] = {
    {DB_CONFLICT, 409, "stale", "计划已被修改，请刷新后查看最新版本再操作", "version"}, {0}};

static int query_region(struct request *req, struct reply *rep, const char *name, const char **out)
{
  if (query_text(req, rep, name, 12, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  for (const char *p = *out; *p; p++)
    if (*p < '0' || *p > '9') return reply_error(rep, 400, "field_invalid", "区划代码应为数字", name);
  return 0;
}

static int query_year(struct request *req, struct reply *rep, int *year)
{
  const char *s;
  *year = 0;
  if (query_text(req, rep, "year", 4, &s) != 0) return -1;
  if (!s || !*s) return 0;
  *year = atoi(s);
  if (*year < 2000 || *year > 2100) return reply_error(rep, 400, "field_invalid", "年份应为 2000—2100 的四位数字", "year");
  return 0;
}

/* ---- plan body ---- */

/* One item: {id?, kind, title, target, amount?, due_month (YYYY-MM of the plan's year), responsible?}. */
static int check_item(struct request *req, struct reply *rep, const json_t *it, int year)
{
  static const char *const ALLOWED[] = {"id", "kind", "title", "target", "amount", "due_month", "responsible", NULL};
  const char *kind, *title, *target, *due, *resp;
  int64_t id;
  double amount;
  bool has;
  if (!json_is_object(it)) return reply_error(rep, 400, "field_type", "计划事项应为对象", "items");
  if (fields_allowed(rep, it, ALLOWED) != 0 || field_int(rep, it, "id", false, 1, INT64_MAX, &id, &has) != 0 ||
      field_string(rep, it, "kind", true, 20, &kind) != 0 || field_string(rep, it, "title", true, 200, &title) != 0 ||
      field_string(rep, it, "target", true, 500, &target) != 0 ||
      field_number(rep, it, "amount", false, 0, 1e10, &amount, &has) != 0 ||
      field_string(rep, it, "due_month", true, 7, &due) != 0 ||
      field_string(rep, it, "responsible", false, 100, &resp) != 0)
    return -1;
  if (!policy_list_name(req->app->policy, "plan_item_kinds", req->today, kind))
    return reply_error(rep, 400, "field_invalid", "事项类别应为项目、资金、人员或其他", "items");
  if (!*title) return reply_error(rep, 400, "field_required", "请填写事项名称", "items");
  if (!*target) return reply_error(rep, 400, "field_required", "请填写事项目标", "items");
  char buf[11];
  int d;
  snprintf(buf, sizeof buf, "%.7s-01", due);
  if (strlen(due) != 7 || date_parse_iso(buf, &d) != 0 || date_year(d) != year)
    return reply_error(rep, 400, "field_invalid", "完成月份应为计划年度内的 YYYY-MM", "items");
  return 0;
}

/* weak_points (optional): texts from the village's current profile (短板弱项, 5.8) that the plan says it
 * addresses; anything else is refused, so a plan cannot cite a weak point nobody recorded. *out is
 * the canonical JSON text (malloc'd). */
static int plan_weak_points(struct request *req, struct reply *rep, const json_t *body, const char *village, char **out)
{
  *out = NULL;
  const json_t *wp = json_object_get(body, "weak_points");
  if (!wp || json_is_null(wp)) wp = NULL;
  if (wp && (!json_is_array(wp) || json_array_size(wp) > 20))
    return reply_error(rep, 400, "field_type", "短板弱项（weak_points）应从村情档案的短板弱项中选，至多 20 项", "weak_points");
  char today[DATE_ISO_SIZE];
  date_format_iso(req->today, today);
  json_t *known = wp && json_array_size(wp) ? village_profile_weak_points(req->db, village, today) : NULL;
  size_t i, j;
  const json_t *it, *k;
  if (wp) json_array_foreach(wp, i, it) {
    bool found = false;
    json_array_foreach(known, j, k) if (json_is_string(it) && json_equal(it, k)) found = true;
    if (!found) {
      json_decref(known);
      return reply_error(rep, 400, "field_invalid", "所列短板弱项须为本村村情档案中现有的短板弱项（5.8）", "weak_points");
    }
  }
  json_decref(known);
  *out = wp ? json_dumps(wp, JSON_COMPACT) : strdup("[]");
  return *out ? 0 : reply_internal(rep);
}

static int plan_body(struct request *req, struct reply *rep, const json_t *body, int year, const char **goals,
                     const char **with, const json_t **items)
{
  if (field_text(rep, body, "goals", true, 4000, goals) != 0 ||
      field_string(rep, body, "drafted_with", false, 500, with) != 0)
    return -1;
  if (!**goals) return reply_error(rep, 400, "field_required", "请填写年度帮扶目标", "goals");
  *items = json_object_get(body, "items");
  if (!*items) return reply_error(rep, 400, "field_required", "请至少列出一项帮扶事项", "items");
  if (!json_is_array(*items)) return reply_error(rep, 400, "field_type", "帮扶事项（items）应为事项的列表", "items");
  if (json_array_size(*items) == 0 || json_array_size(*items) > ITEMS_MAX)
    return reply_error(rep, 400, "field_invalid", "帮扶事项应为 1 至 50 项", "items");
  size_t i;
  json_t *it;
  json_array_foreach(*items, i, it) if (check_item(req, rep, it, year) != 0) return -1;
  return 0;
}

static json_t *plan_detail(struct request *req, int64_t id)
{
  json_t *p = plans_get_json(req->db, &req->scope, id);
  if (!p) return NULL;
  json_object_set_new(p, "status_name", json_string(status_zh(json_string_value(json_object_get(p, "status")))));
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(p, "item_list"), i, x) set_name(req, x, "kind", "plan_item_kinds");
  json_array_foreach(json_object_get(p, "resources"), i, x) set_name(req, x, "kind", "resource_types");
  json_object_set_new(p, "clause", json_string("5.9"));
  /* the weak points (5.8) the plan addresses: the store parses the column (weak_points_json) */
  if (!json_is_array(json_object_get(p, "weak_points"))) json_object_set_new(p, "weak_points", json_array());
  /* what the caller may do next (the UI shows only these) */
  const char *s = json_string_value(json_object_get(p, "status"));
  bool writer = roles_can(req->user.role, PERM_PLAN_WRITE);
  bool reviewer = roles_can(req->user.role, PERM_PLAN_REVIEW) && req->scope.kind == SCOPE_KIND_UNIT;
  json_object_set_new(p, "can_edit", json_boolean(writer && (strcmp(s, "draft") == 0 || strcmp(s, "returned") == 0)));
  json_object_set_new(p, "can_review", json_boolean(reviewer && strcmp(s, "submitted") == 0));
  json_object_set_new(p, "can_progress", json_boolean(writer && strcmp(s, "approved") == 0));
  return p;
}

static int reply_plan(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *p = plan_detail(req, id);
  if (!p) return reply_not_found(req, rep, "帮扶计划不存在或不在管辖范围内", NULL);
  reply_json(rep, status, p);
  return 0;
}

int api_plans_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"village_code", "year", "goals", "drafted_with", "items", "weak_points", NULL};
  const char *goals, *with;
  const json_t *items;
  char village[16], path[96], *weak = NULL;
  int64_t year, unit = 0, id = 0, existing = 0;
  int rc = -1, this_year = date_year(req->today);
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_int(rep, body, "year", true, 2000, 2100, &year, NULL) != 0)
    goto out;
  if (year < this_year - 1 || year > this_year + 1) {
    rc = reply_error(rep, 400, "field_invalid", "只能编制上一年、本年或下一年的年度计划", "year");
    goto out;
  }
  if (plan_body(req, rep, body, (int)year, &goals, &with, &items) != 0 || vw_write_village(req, rep, body, village, path) != 0 ||
      plan_weak_points(req, rep, body, village, &weak) != 0)
    goto out;
  if (plans_of_year(req->db, village, (int)year, &existing) == DB_OK) {
    reply_error(rep, 409, "duplicate", "本村该年度的帮扶计划已存在，请在原计划上修改", "year");
    json_object_set_new(json_object_get(rep->json, "error"), "existing", json_integer(existing));
    goto out;
  }
  /* 5.9: reviewed by the party committee of the unit of the village's first secretary */
  if (plans_reviewing_unit(req->db, village, &unit) != DB_OK) {
    rc = reply_error(rep, 409, "no_first_secretary", "本村没有在岗的第一书记，无法确定审核计划的派出单位（5.9）", "village_code");
    goto out;
  }
  struct plan_write w = {village, (int)year, unit, goals, with, items, weak, req->user.id};
  struct plan_change c = {.plan = &w};
  struct write_tx wt = {.store = store_plan, .ctx = &c, .errors = PLAN_DUPLICATE, .action = "plan.create",
                        .entity = "assistance_plan", .id = &c.id, .detail = body};
  rc = write_tx_run(req, rep, &wt);
  id = c.id;
out:
  free(weak);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_plan(req, rep, id, 201);
}

/* The plan in scope (404), with the version check (409 stale) and the states allowed (409 code). */
static int plan_for_write(struct request *req, struct reply *rep, int64_t id, int64_t version, const char *states,
                          const char *code, const char *msg, json_t **plan)
{
  *plan = plans_get_json(req->db, &req->scope, id);
  if (!*plan) return reply_not_found(req, rep, "帮扶计划不存在或不在管辖范围内", NULL);
  char list[64];
  snprintf(list, sizeof list, ",%s,", states);
  char status[24];
  snprintf(status, sizeof status, ",%s,", json_string_value(json_object_get(*plan, "status")));
  if (!strstr(list, status)) return reply_error(rep, 409, code, msg, NULL);
  if (json_integer_value(json_object_get(*plan, "version")) != version)
    return reply_error(rep, 409, "stale", "计划已被修改，请刷新后查看最新版本再操作", "version");
  return 0;
}

int api_plans_update(struct request *req, struct reply *rep)
{
  int64_t id, version;
  json_t *body = NULL, *plan = NULL;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"version", "goals", "drafted_with", "items", "weak_points", NULL};
  const char *goals, *with;
  const json_t *items;
  char *weak = NULL;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ||
      plan_for_write(req, rep, id, version, "draft,returned", "not_editable", "计划已提交或已批准，不能修改", &plan) != 0 ||
      plan_body(req, rep, body, (int)json_integer_value(json_object_get(plan, "year")), &goals, &with, &items) != 0 ||
      plan_weak_points(req, rep, body, json_string_value(json_object_get(plan, "village_code")), &weak) != 0)
    goto out;
  struct plan_write w = {NULL, 0, 0, goals, with, items, weak, req->user.id};
  struct plan_change c = {.plan = &w, .id = id, .version = version};
  struct write_tx wt = {.store = store_edit, .ctx = &c, .errors = PLAN_STALE, .action = "plan.edit",
                        .entity = "assistance_plan", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &wt);
out:
  free(weak);
  json_decref(plan);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_plan(req, rep, id, 200);
}

/* A state change: the body {version, comment?}. */
static int transition(struct request *req, struct reply *rep, const char *from, const char *to, const char *action,
                      const char *code, const char *msg, bool comment_required)
{
  int64_t id, version;
  json_t *body = NULL, *plan = NULL;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const SUBMIT[] = {"version", NULL};
  static const char *const REVIEW[] = {"version", "decision", "comment", NULL};
  const char *comment = NULL;
  int rc = -1;
  if (fields_allowed(rep, body, strcmp(action, "submit") == 0 ? SUBMIT : REVIEW) != 0 ||
      field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ||
      (strcmp(action, "submit") != 0 && field_text(rep, body, "comment", false, 2000, &comment) != 0))
    goto out;
  if (comment_required && (!comment || !*comment)) {
    rc = reply_error(rep, 400, "field_required", "退回计划须填写修改意见", "comment");
    goto out;
  }
  if (plan_for_write(req, rep, id, version, from, code, msg, &plan) != 0) goto out;
  char audit[32];
  snprintf(audit, sizeof audit, "plan.%s", action);
  struct plan_change c = {.id = id, .version = version, .from = from, .to = to, .action = action, .comment = comment};
  struct write_tx wt = {.store = store_transition, .ctx = &c, .errors = PLAN_STALE, .action = audit,
                        .entity = "assistance_plan", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &wt);
out:
  json_decref(plan);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_plan(req, rep, id, 200);
}

int api_plans_submit(struct request *req, struct reply *rep)
{
  return transition(req, rep, "draft,returned", "submitted", "submit", "not_editable", "计划已提交或已批准，不能再次提交", false);
}

int api_plans_review(struct request *req, struct reply *rep)
{
  /* 5.9: the unit's party committee reviews; the plan's scope for a unit is the plans it reviews */
  if (req->scope.kind != SCOPE_KIND_UNIT)
    return reply_error(rep, 403, "forbidden", "年度帮扶计划由派出单位党组织审核（5.9）", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  const char *decision;
  int rc = field_string(rep, body, "decision", true, 10, &decision);
  bool approve = rc == 0 && strcmp(decision, "approve") == 0, ret = rc == 0 && strcmp(decision, "return") == 0;
  json_decref(body);
  if (rc != 0) return -1;
  if (!approve && !ret) return reply_error(rep, 400, "field_invalid", "审核意见（decision）应为批准（approve）或退回（return）", "decision");
  return transition(req, rep, "submitted", approve ? "approved" : "returned", approve ? "approve" : "return",
                    "not_submitted", "计划未提交或已审核，不能审核", ret);
}

int api_plans_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_plan(req, rep, id, 200);
}

static const char *const PLAN_EXPORT[][2] = {
  {"year", "年度"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"unit_name", "审核单位"}, {"status_name", "状态"},
  {"version", "版本"}, {"items", "事项数"}, {"progress", "平均进度(%)"}, {"submitted_at", "提交时间"},
  {"reviewed_at", "审核时间"}, {"review_comment", "审核意见"}, {NULL, NULL}};

int api_plans_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct plan_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_region(req, rep, "village", &f.village) != 0 ||
      query_year(req, rep, &f.year) != 0 || query_text(req, rep, "status", 12, &f.status) != 0)
    return -1;
  if (f.status && *f.status && !strstr(",draft,submitted,returned,approved,", f.status))
    return reply_error(rep, 400, "field_invalid", "状态（status）应为草稿（draft）、已报审（submitted）、已退回（returned）或已批准（approved）", "status");
  json_t *list = plans_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row)
    json_object_set_new(row, "status_name", json_string(status_zh(json_string_value(json_object_get(row, "status")))));
  return handler_reply_list(req, rep, list, PLAN_EXPORT, "年度帮扶计划");
}

int api_plans_progress(struct request *req, struct reply *rep)
{
  int64_t id, item;
  json_t *body = NULL, *plan = NULL;
  if (param_id(req, rep, 0, &id) != 0 || param_id(req, rep, 1, &item) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"on_date", "percent", "amount", "note", NULL};
  const char *on_s, *note;
  int64_t percent;
  double amount;
  bool has_amount;
  int on, rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "on_date", true, 10, &on_s) != 0 ||
      field_int(rep, body, "percent", true, 0, 100, &percent, NULL) != 0 ||
      field_number(rep, body, "amount", false, 0, 1e10, &amount, &has_amount) != 0 ||
      field_text(rep, body, "note", true, 1000, &note) != 0)
    goto out;
  if (date_parse_iso(on_s, &on) != 0 || on > req->today) {
    rc = reply_error(rep, 400, "field_invalid", "日期应为不晚于今天的 YYYY-MM-DD", "on_date");
    goto out;
  }
  if (!*note) { rc = reply_error(rep, 400, "field_required", "请填写进展情况", "note"); goto out; }
  plan = plans_get_json(req->db, &req->scope, id);
  if (!plan) { rc = reply_not_found(req, rep, "帮扶计划不存在或不在管辖范围内", NULL); goto out; }
  if (strcmp(json_string_value(json_object_get(plan, "status")), "approved") != 0) {
    rc = reply_error(rep, 409, "not_approved", "计划批准后才能记录执行进度（5.9）", NULL);
    goto out;
  }
  if (plans_item_of(req->db, id, item) != DB_OK) { rc = reply_not_found(req, rep, "计划中没有该事项", NULL); goto out; }
  char amount_text[40] = "";
  if (has_amount) snprintf(amount_text, sizeof amount_text, "%.2f", amount);
  struct plan_change c = {.item = item, .on = on_s, .percent = (int)percent, .amount_text = amount_text, .note = note};
  struct write_tx wt = {.store = store_progress, .ctx = &c, .action = "plan.progress", .entity = "plan_item",
                        .entity_id = req->params[1], .detail = body};
  rc = write_tx_run(req, rep, &wt);
out:
  json_decref(plan);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_plan(req, rep, id, 201);
}

/* ---- resources (3.3, 5.10) ---- */

int api_resources_create(struct request *req, struct reply *rep)
{
  bool unit_leader = req->scope.kind == SCOPE_KIND_UNIT && roles_can(req->user.role, PERM_PLAN_REVIEW);
  if (!roles_can(req->user.role, PERM_VILLAGE_WORK_WRITE) && !unit_leader)
    return reply_error(rep, 403, "forbidden", "帮扶资源由驻村工作队、乡镇或派出单位领导记录（3.3、5.10）", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"village_code", "kind", "title", "amount", "brought_on", "plan_item_id", "note",
                                        "unit_id", NULL};
  const char *kind, *title, *on_s, *note;
  char village[16], path[96], amount_text[40] = "";
  double amount;
  bool has_amount, has_item, has_unit;
  int64_t item = 0, unit = 0, id = 0;
  int on, rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 20, &kind) != 0 ||
      field_string(rep, body, "title", true, 200, &title) != 0 || field_string(rep, body, "brought_on", true, 10, &on_s) != 0 ||
      field_text(rep, body, "note", false, 1000, &note) != 0 ||
      field_number(rep, body, "amount", false, 0, 1e10, &amount, &has_amount) != 0 ||
      field_int(rep, body, "plan_item_id", false, 1, INT64_MAX, &item, &has_item) != 0 ||
      field_int(rep, body, "unit_id", false, 1, INT64_MAX, &unit, &has_unit) != 0 ||
      vw_write_village(req, rep, body, village, path) != 0)
    goto out;
  if (!policy_list_name(req->app->policy, "resource_types", req->today, kind)) {
    rc = reply_error(rep, 400, "field_invalid", "资源类型应为资金、项目、人才、技术、物资、信息或政策（3.3、5.10）", "kind");
    goto out;
  }
  if (!*title) { rc = reply_error(rep, 400, "field_required", "请填写资源名称", "title"); goto out; }
  if (date_parse_iso(on_s, &on) != 0 || on > req->today) {
    rc = reply_error(rep, 400, "field_invalid", "日期应为不晚于今天的 YYYY-MM-DD", "brought_on");
    goto out;
  }
  if (strcmp(kind, "funds") == 0 && !has_amount) {
    rc = reply_error(rep, 400, "field_required", "资金须填写金额（元）", "amount");
    goto out;
  }
  if (has_amount) snprintf(amount_text, sizeof amount_text, "%.2f", amount);
  if (has_item && resources_item_in_village(req->db, village, item) != DB_OK) {
    rc = reply_not_found(req, rep, "本村的帮扶计划中没有该事项", "plan_item_id");
    goto out;
  }
  if (req->scope.kind == SCOPE_KIND_UNIT) {
    if (has_unit && unit != req->scope.unit_id) {
      rc = reply_error(rep, 400, "field_invalid", "派出单位只能记录本单位带来的资源", "unit_id");
      goto out;
    }
    unit = req->scope.unit_id;
  } else if (!has_unit && plans_reviewing_unit(req->db, village, &unit) != DB_OK) {
    unit = 0;
  } else if (has_unit && handler_unit_in_scope(req, rep, unit) != 0) {
    goto out;
  }
  struct resource_new r = {village, unit, kind, title, amount_text, on_s, note, item, req->user.id};
  struct plan_change c = {.resource = &r};
  struct write_tx wt = {.store = store_resource, .ctx = &c, .action = "resource.create", .entity = "village_resource",
                        .id = &c.id, .detail = body};
  rc = write_tx_run(req, rep, &wt);
  id = c.id;
  if (rc == 0) reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "village_code", village,
                                              "kind", kind, "title", title));
out:
  json_decref(body);
  return rc;
}

static const char *const RESOURCE_EXPORT[][2] = {
  {"brought_on", "日期"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"unit_name", "派出单位"}, {"kind_name", "类型"},
  {"title", "名称"}, {"amount", "金额（元）"}, {"plan_item_title", "对应计划事项"}, {"note", "说明"}, {NULL, NULL}};

int api_resources_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct resource_filter f = {0};
  const char *unit;
  if (query_page(req, rep, &page, &page_size) != 0 || query_region(req, rep, "village", &f.village) != 0 ||
      query_year(req, rep, &f.year) != 0 || query_text(req, rep, "kind", 20, &f.kind) != 0 ||
      query_text(req, rep, "unit", 20, &unit) != 0)
    return -1;
  if (unit && *unit) f.unit_id = atoll(unit);
  json_t *list = resources_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) set_name(req, row, "kind", "resource_types");
  return handler_reply_list(req, rep, list, RESOURCE_EXPORT, "派出单位帮扶资源");
}
