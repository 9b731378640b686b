/* h_upward_reports — 上报材料 (upward_report): a township's 月报 / 半年报 / 年报 to its county and a
 * county's to the city (issue #12 part 3).
 *
 * The reporter (乡镇党委书记 / 组织委员 of the township, 组织部 / 乡村振兴局 of the county) opens the
 * report of a period that has ended: the server assembles the figures from the record
 * (http/upward_figures: the same store queries as the pages) and drafts the three texts from them;
 * the reporter edits the texts and submits, which freezes the figures into the report. The level
 * above (the county for its townships, the city for its counties) receives it (签收) or returns it
 * with a reason (退回); a returned report is edited and submitted again. Every write names the
 * version it read (409 when stale) and is audited. The list of a period is one query over the
 * regions that owe a report: the inbox, the 未报 list and the counts come from it. The days a
 * report is due are the local parameter upward_report_due (the notice sets none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/roles.h"
#include "core/upward_period.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/notify_events.h"
#include "store/todo.h"
#include "store/upward_figures.h"
#include "store/upward_reports.h"

#define TEXT_MAX_CHARS 8000
#define REASON_MAX_CHARS 1000

/* ---- who ---- */

static const char *level_of(const struct request *req)
{
  const struct role *r = req->user.role;
  return r && req->scope.kind == SCOPE_KIND_REGION && r->level ? r->level : "";
}

/* The townships' and counties' officials report; the counties and the city receive. */
static bool reporter_level(const struct request *req)
{
  return strcmp(level_of(req), "township") == 0 || strcmp(level_of(req), "county") == 0;
}

static bool party(const struct request *req)
{
  return reporter_level(req) || strcmp(level_of(req), "city") == 0;
}

static int refuse_party(struct reply *rep)
{
  return reply_error(rep, 403, "forbidden", "上报材料由乡镇党委和县、市组织部门、乡村振兴部门办理", NULL);
}

static struct upward_due due_rules(const struct request *req)
{
  struct upward_due d = {5, 7, 10, 1, 15};
  const struct policy_param *p = policy_param(req->app->policy, "upward_report_due", req->today);
  const json_t *v = p ? p->value : NULL;
  json_int_t day = json_integer_value(json_object_get(v, "monthly_day"));
  const char *half = json_string_value(json_object_get(v, "half_year"));
  const char *annual = json_string_value(json_object_get(v, "annual"));
  if (day >= 1 && day <= 28) d.monthly_day = (int)day;
  if (half && strlen(half) == 5) { d.half_month = atoi(half); d.half_day = atoi(half + 3); }
  if (annual && strlen(annual) == 5) { d.annual_month = atoi(annual); d.annual_day = atoi(annual + 3); }
  return d;
}

/* ---- the period ---- */

struct up_period {
  enum upward_kind kind;
  char name[12], from[DATE_ISO_SIZE], to[DATE_ISO_SIZE], due[DATE_ISO_SIZE], zh[32];
  int first, last;
};

static int period_of(struct request *req, struct reply *rep, const char *kind, const char *name, struct up_period *p)
{
  if (upward_kind_parse(kind && *kind ? kind : "monthly", &p->kind) != 0)
    return reply_error(rep, 400, "field_invalid", "报告类别应为月报（monthly）、半年报（half_year）或年报（annual）", "kind");
  if (!name || !*name) upward_period_last(p->kind, req->today, p->name, sizeof p->name);
  else snprintf(p->name, sizeof p->name, "%s", name);
  if (strlen(name ? name : "") > 8 || upward_period_parse(p->kind, p->name, &p->first, &p->last) != 0)
    return reply_error(rep, 400, "field_invalid",
                       p->kind == UPWARD_MONTHLY ? "月报的期别应为 YYYY-MM，如 2026-05"
                       : p->kind == UPWARD_HALF_YEAR ? "半年报的期别应为 YYYY-H1，如 2026-H1" : "年报的期别应为年份，如 2025",
                       "period");
  struct upward_due d = due_rules(req);
  date_format_iso(p->first, p->from);
  date_format_iso(p->last, p->to);
  date_format_iso(upward_period_due(p->kind, p->last, &d), p->due);
  upward_period_zh(p->kind, p->first, p->zh, sizeof p->zh);
  return 0;
}

static void period_json(json_t *o, const struct up_period *p)
{
  json_object_set_new(o, "kind", json_string(upward_kind_name(p->kind)));
  json_object_set_new(o, "kind_name", json_string(upward_kind_zh(p->kind)));
  json_object_set_new(o, "period", json_string(p->name));
  json_object_set_new(o, "period_name", json_string(p->zh));
  json_object_set_new(o, "period_from", json_string(p->from));
  json_object_set_new(o, "period_to", json_string(p->to));
  json_object_set_new(o, "due", json_string(p->due));
}

/* ---- the list of a period ---- */

static const char *state_zh(const char *s)
{
  if (!s || strcmp(s, "unreported") == 0) return "未报";
  if (strcmp(s, "submitted") == 0) return "已报送";
  if (strcmp(s, "received") == 0) return "已签收";
  if (strcmp(s, "returned") == 0) return "已退回";
  return "草稿";
}

/* The figures flattened for the workbook: one column per figure. */
static void flatten(json_t *row)
{
  static const char *const F[][2] = {{"presence", "posts"}, {"presence", "meets"}, {"presence", "rate"},
                                     {"duties", "expected"}, {"duties", "done"}, {"duties", "missing"}, {"duties", "rate"},
                                     {"funds", "teams"}, {"funds", "below_min"}, {"funds", "work_funds"},
                                     {"training", "cadres"}, {"training", "trained"}, {"training", "rate"},
                                     {"visits", "households"}, {"visits", "visited"}, {"visits", "rate"},
                                     {"cases", "opened"}, {"cases", "closed"}, {"plans", "plans"}, {"plans", "progress"}};
  json_t *f = json_object_get(row, "figures");
  json_object_set(row, "cadres", json_is_object(f) ? json_object_get(f, "cadres") : json_null());
  for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
    char key[48];
    snprintf(key, sizeof key, "%s_%s", F[i][0], F[i][1]);
    json_t *v = json_object_get(json_object_get(f, F[i][0]), F[i][1]);
    json_object_set_new(row, key, v ? json_incref(v) : json_null());
  }
}

static const char *const EXPORT[][2] = {
  {"region_name", "报送单位"}, {"parent_name", "报送至"}, {"state_name", "状态"}, {"submitted_at", "报送时间"},
  {"cadres", "在岗驻村干部"}, {"presence_posts", "在村统计人次"}, {"presence_meets", "在村达标人次"},
  {"presence_rate", "在村达标率（%）"}, {"duties_expected", "应完成履职事项"}, {"duties_done", "已完成履职事项"},
  {"duties_missing", "未完成履职事项"}, {"duties_rate", "履职完成率（%）"}, {"funds_teams", "工作队"},
  {"funds_below_min", "经费不足的队"}, {"funds_work_funds", "工作经费到位（元）"}, {"training_cadres", "应培训干部"},
  {"training_trained", "已培训干部"}, {"training_rate", "培训覆盖率（%）"}, {"visits_households", "应走访户"},
  {"visits_visited", "已走访户"}, {"visits_rate", "走访覆盖率（%）"}, {"cases_opened", "新发现监测线索"},
  {"cases_closed", "风险消除"}, {"plans_plans", "帮扶计划"}, {"plans_progress", "计划平均进度（%）"}, {NULL, NULL}};

/* ?kind=&period=&view=inbox|own|all&state= */
int api_upward_reports_list(struct request *req, struct reply *rep)
{
  static const char *const STATES[] = {"unreported", "draft", "submitted", "received", "returned", NULL};
  if (!party(req)) return refuse_party(rep);
  const char *kind, *name, *view, *state;
  int page, page_size;
  struct up_period p;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "kind", 12, &kind) != 0 ||
      query_text(req, rep, "period", 12, &name) != 0 || query_text(req, rep, "view", 8, &view) != 0 ||
      query_text(req, rep, "state", 12, &state) != 0 || period_of(req, rep, kind, name, &p) != 0)
    return -1;
  struct upward_period_query q = {upward_kind_name(p.kind), p.name, p.from, p.to, NULL, NULL, NULL};
  if (view && strcmp(view, "inbox") == 0) q.parent = req->user.region_code;
  else if (view && strcmp(view, "own") == 0) q.region = req->user.region_code;
  else if (view && *view && strcmp(view, "all") != 0)
    return reply_error(rep, 400, "field_invalid", "view 应为 inbox（下级报送）、own（本级）或 all", "view");
  bool ok = !state || !*state;
  for (int i = 0; !ok && STATES[i]; i++) ok = strcmp(STATES[i], state) == 0;
  if (!ok) return reply_error(rep, 400, "field_invalid", "state 应为 unreported、draft、submitted、received 或 returned", "state");
  q.state = state && *state ? state : NULL;
  json_t *list = upward_reports_period_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) {
    json_array_foreach(json_object_get(list, "items"), i, row) {
      json_object_set_new(row, "state_name", json_string(state_zh(json_string_value(json_object_get(row, "state")))));
      if (query_wants_xlsx(req)) flatten(row);
    }
    period_json(list, &p);
    json_object_set_new(list, "can_report", json_boolean(reporter_level(req) && p.last < req->today));
    json_object_set_new(list, "receives", json_boolean(strcmp(level_of(req), "township") != 0));
    json_object_set_new(list, "level", json_string(level_of(req)));
  }
  char file[80];
  snprintf(file, sizeof file, "上报材料%s%s", p.zh, upward_kind_zh(p.kind));
  return handler_reply_list(req, rep, list, EXPORT, file);
}

/* ---- one report ---- */

static bool is_reporter(const struct request *req, const json_t *r)
{
  return reporter_level(req) && strcmp(req->user.region_code, json_string_value(json_object_get(r, "region_code"))) == 0;
}

static bool is_receiver(const struct request *req, const json_t *r)
{
  return party(req) && strcmp(req->user.region_code, json_string_value(json_object_get(r, "receiver_code"))) == 0;
}

static bool status_is(const json_t *r, const char *s)
{
  return strcmp(json_string_value(json_object_get(r, "status")), s) == 0;
}

static json_t *live_figures(struct request *req, const json_t *r)
{
  struct upward_region reg;
  int from = 0, to = 0;
  if (upward_region_of(req->db, json_string_value(json_object_get(r, "region_code")), &reg) != DB_OK ||
      date_parse_iso(json_string_value(json_object_get(r, "period_from")), &from) != 0 ||
      date_parse_iso(json_string_value(json_object_get(r, "period_to")), &to) != 0)
    return NULL;
  return upward_figures(req->db, req->app->policy, req->today, &reg, from, to);
}

/* The report with the figures (frozen once submitted, live while a draft) and what the caller may do. */
static int reply_report(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *r = upward_reports_get_json(req->db, &req->scope, id);
  if (!r) return reply_not_found(req, rep, "上报材料不存在或不在管辖范围内", NULL);
  bool open = status_is(r, "draft") || status_is(r, "returned");
  if (open) {
    json_t *f = live_figures(req, r);
    if (!f) { json_decref(r); return reply_internal(rep); }
    json_object_set_new(r, "figures", f);
  }
  enum upward_kind k;
  struct up_period p;
  if (upward_kind_parse(json_string_value(json_object_get(r, "kind")), &k) == 0 &&
      period_of(req, rep, upward_kind_name(k), json_string_value(json_object_get(r, "period")), &p) == 0)
    period_json(r, &p);
  json_object_set_new(r, "figures_live", json_boolean(open));
  json_object_set_new(r, "status_name", json_string(state_zh(json_string_value(json_object_get(r, "status")))));
  json_object_set_new(r, "can_edit", json_boolean(open && is_reporter(req, r)));
  json_object_set_new(r, "can_receive", json_boolean(status_is(r, "submitted") && is_receiver(req, r)));
  reply_json(rep, status, r);
  return 0;
}

int api_upward_reports_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (!party(req)) return refuse_party(rep);
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_report(req, rep, id, 200);
}

static int create_input(struct request *req, struct reply *rep, const json_t *body, struct up_period *p)
{
  static const char *const ALLOWED[] = {"kind", "period", NULL};
  const char *kind, *name;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 12, &kind) != 0 ||
      field_string(rep, body, "period", true, 8, &name) != 0 || period_of(req, rep, kind, name, p) != 0)
    return -1;
  if (p->last >= req->today)
    return reply_error(rep, 400, "period_open", "该期尚未结束，结束后才能汇总上报", "period");
  return 0;
}

/* A write of a report: the draft created (its id set by the store), its texts, its submission with
 * the figures, or the receiver's step (received, or given back with a reason and the reporter told). */
struct upward_write {
  int (*call)(struct request *req, struct upward_write *u);
  const struct upward_new *draft;
  int64_t id, version;
  const char *work, *problems, *plans, *figures, *reason;
};

static int call_insert(struct request *req, struct upward_write *u)
{
  return upward_reports_insert(req->db, u->draft, req->now, &u->id);
}

static int call_texts(struct request *req, struct upward_write *u)
{
  return upward_reports_set_texts(req->db, u->id, u->version, u->work, u->problems, u->plans, req->now);
}

static int call_submit(struct request *req, struct upward_write *u)
{
  return upward_reports_submit(req->db, u->id, u->version, u->figures, req->user.id, req->now);
}

static int call_receive(struct request *req, struct upward_write *u)
{
  return upward_reports_receive(req->db, u->id, u->version, req->user.id, req->now);
}

static int call_return(struct request *req, struct upward_write *u)
{
  int w = upward_reports_return(req->db, u->id, u->version, u->reason, req->user.id, req->now);
  if (w == DB_OK) w = notify_upward_returned(req->db, u->id, req->now); /* issue 13: to the reporter */
  return w;
}

static int store_upward(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct upward_write *u = ctx;
  return u->call(req, u);
}

static const struct write_error DRAFT_EXISTS[] = {
    {DB_CONFLICT, 409, "duplicate", "本级该期的上报材料已经建立，请在列表中打开", "period"}, {0}};
static const struct write_error STALE[] = {
    {DB_CONFLICT, 409, "stale", "上报材料已被他人修改或已办理，请刷新后再试", "version"}, {0}};

/* The draft written with its audit row (detail: the request's body). */
static int insert_draft(struct request *req, struct reply *rep, const struct upward_region *reg, const struct up_period *p,
                        json_t *body, int64_t *id)
{
  json_t *f = upward_figures(req->db, req->app->policy, req->today, reg, p->first, p->last);
  char *work = NULL, *problems = NULL, *plans = NULL;
  if (!f || upward_draft_texts(f, reg->name, p->zh, &work, &problems, &plans) != 0) {
    json_decref(f);
    return reply_internal(rep);
  }
  json_decref(f);
  struct upward_new n = {reg->code, reg->parent, upward_kind_name(p->kind), p->name, p->from, p->to,
                         work, problems, plans, req->user.id};
  struct upward_write u = {.call = call_insert, .draft = &n};
  struct write_tx w = {.store = store_upward, .ctx = &u, .errors = DRAFT_EXISTS, .action = "upward_report.create",
                       .entity = "upward_report", .id = &u.id, .detail = body};
  int rc = write_tx_run(req, rep, &w);
  free(work);
  free(problems);
  free(plans);
  *id = u.id;
  return rc;
}

int api_upward_reports_create(struct request *req, struct reply *rep)
{
  if (!reporter_level(req)) return reply_error(rep, 403, "forbidden", "上报材料由乡镇党委或县（市、区）组织部门、乡村振兴部门报送", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct up_period p;
  struct upward_region reg;
  int64_t id = 0;
  int rc = create_input(req, rep, body, &p);
  if (rc == 0 && upward_region_of(req->db, req->user.region_code, &reg) != DB_OK) rc = reply_internal(rep);
  if (rc == 0) rc = insert_draft(req, rep, &reg, &p, body, &id);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_report(req, rep, id, 201);
}

/* The report in scope for a write: 404 outside the scope. */
static json_t *load(struct request *req, struct reply *rep, int64_t *id)
{
  if (!party(req)) { refuse_party(rep); return NULL; }
  if (param_id(req, rep, 0, id) != 0) return NULL;
  json_t *r = upward_reports_get_json(req->db, &req->scope, *id);
  if (!r) reply_not_found(req, rep, "上报材料不存在或不在管辖范围内", NULL);
  return r;
}

/* Runs the write u describes (a stale version → 409), audits, commits, answers the report. */
static int finish(struct request *req, struct reply *rep, struct upward_write *u, const char *action, json_t *detail)
{
  struct write_tx w = {.store = store_upward, .ctx = u, .errors = STALE, .action = action, .entity = "upward_report",
                       .id = &u->id, .detail = detail};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  return reply_report(req, rep, u->id, 200);
}

/* PUT {version, work_text, problems_text, plans_text} */
int api_upward_reports_texts(struct request *req, struct reply *rep)
{
  static const char *const ALLOWED[] = {"version", "work_text", "problems_text", "plans_text", NULL};
  int64_t id, version;
  json_t *r = load(req, rep, &id), *body = NULL;
  if (!r) return -1;
  bool mine = is_reporter(req, r);
  json_decref(r);
  if (!mine) return reply_error(rep, 403, "forbidden", "只有报送单位可以修改上报材料", NULL);
  if (body_object(req, rep, &body) != 0) return -1;
  const char *work, *problems, *plans;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ||
      field_text(rep, body, "work_text", true, TEXT_MAX_CHARS, &work) != 0 ||
      field_text(rep, body, "problems_text", true, TEXT_MAX_CHARS, &problems) != 0 ||
      field_text(rep, body, "plans_text", true, TEXT_MAX_CHARS, &plans) != 0) {
    json_decref(body);
    return -1;
  }
  struct upward_write u = {.call = call_texts, .id = id, .version = version, .work = work, .problems = problems,
                           .plans = plans};
  json_t *detail = json_pack("{s:I}", "version", (json_int_t)version);
  int out = finish(req, rep, &u, "upward_report.edit", detail);
  json_decref(detail);
  json_decref(body);
  return out;
}

static int version_only(struct request *req, struct reply *rep, int64_t *version, const char **reason)
{
  static const char *const ALLOWED[] = {"version", "reason", NULL};
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  int rc = fields_allowed(rep, body, ALLOWED) != 0 ||
           field_int(rep, body, "version", true, 1, INT64_MAX, version, NULL) != 0 ||
           (reason && field_text(rep, body, "reason", true, REASON_MAX_CHARS, reason) != 0) ? -1 : 0;
  if (rc == 0 && reason) *reason = strdup(*reason);
  json_decref(body);
  return rc == 0 && reason && !*reason ? reply_internal(rep) : rc;
}

int api_upward_reports_submit(struct request *req, struct reply *rep)
{
  int64_t id, version;
  json_t *r = load(req, rep, &id);
  if (!r) return -1;
  if (!is_reporter(req, r)) { json_decref(r); return reply_error(rep, 403, "forbidden", "只有报送单位可以报送上报材料", NULL); }
  json_t *f = version_only(req, rep, &version, NULL) == 0 ? live_figures(req, r) : NULL;
  json_decref(r);
  if (!f) return rep->json ? -1 : reply_internal(rep);
  char *text = json_dumps(f, JSON_COMPACT);
  json_decref(f);
  if (!text) return reply_internal(rep);
  struct upward_write u = {.call = call_submit, .id = id, .version = version, .figures = text};
  json_t *detail = json_pack("{s:I}", "version", (json_int_t)version);
  int out = finish(req, rep, &u, "upward_report.submit", detail);
  free(text);
  json_decref(detail);
  return out;
}

static int receiver_step(struct request *req, struct reply *rep, bool giving_back)
{
  int64_t id, version;
  json_t *r = load(req, rep, &id);
  if (!r) return -1;
  bool receiver = is_receiver(req, r);
  json_decref(r);
  if (!receiver) return reply_error(rep, 403, "forbidden", "上报材料由上一级签收或退回", NULL);
  const char *reason = NULL;
  if (version_only(req, rep, &version, giving_back ? &reason : NULL) != 0) return -1;
  if (giving_back && !*reason) { free((char *)reason); return reply_error(rep, 400, "field_required", "请填写退回原因", "reason"); }
  struct upward_write u = {.call = giving_back ? call_return : call_receive, .id = id, .version = version,
                           .reason = reason};
  json_t *detail = giving_back ? json_pack("{s:I, s:s}", "version", (json_int_t)version, "reason", reason)
                               : json_pack("{s:I}", "version", (json_int_t)version);
  int out = finish(req, rep, &u, giving_back ? "upward_report.return" : "upward_report.receive", detail);
  free((char *)reason);
  json_decref(detail);
  return out;
}

int api_upward_reports_receive(struct request *req, struct reply *rep) { return receiver_step(req, rep, false); }
int api_upward_reports_return(struct request *req, struct reply *rep) { return receiver_step(req, rep, true); }

/* ---- 待办 ---- */

/* A kind's last ended period is shown in 待办 until this many days after it was due: the report
 * of the month before replaces it by then, and an old 年报 does not sit on the home page forever. */
#define PENDING_DAYS_AFTER_DUE 31

static json_t *todo_item(const char *kind, const char *route, json_t *list, const struct up_period *p, int today)
{
  int due = 0;
  long late = 0;
  date_parse_iso(p->due, &due);
  if (date_diff_days(due, today, &late) != 0 || late < 0) late = 0;
  json_t *preview = json_array();
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(list, "items"), i, row) {
    char detail[80];
    snprintf(detail, sizeof detail, "%s%s · %s", p->zh, upward_kind_zh(p->kind),
             state_zh(json_string_value(json_object_get(row, "state"))));
    json_array_append_new(preview, json_pack("{s:O, s:s, s:s, s:I}", "label", json_object_get(row, "region_name"),
                                             "detail", detail, "due", p->due, "days_late", (json_int_t)late));
  }
  return json_pack("{s:s, s:O, s:s, s:I, s:o, s:s}", "kind", kind, "count", json_object_get(list, "total"), "due",
                   p->due, "days_late", (json_int_t)late, "preview", preview, "route", route);
}

/* One kind's last ended period: the caller's own report when it is not yet sent (or was sent
 * back), and the reports sent up to the caller and not yet received — each counted by the
 * period's list query (its total), as 上报材料 shows them. */
static int todo_kind(struct request *req, enum upward_kind k, json_t *items)
{
  struct up_period p;
  struct reply scratch = {0};
  if (period_of(req, &scratch, upward_kind_name(k), NULL, &p) != 0) { reply_free(&scratch); return -1; }
  int due = 0;
  long after = 0;
  if (date_parse_iso(p.due, &due) != 0 || date_diff_days(due, req->today, &after) != 0 || after > PENDING_DAYS_AFTER_DUE)
    return 0;
  char route[96];
  struct upward_period_query q = {upward_kind_name(k), p.name, p.from, p.to, NULL, NULL, NULL};
  static const char *const OWN_STATES[] = {"unreported", "returned"};
  for (int i = 0; reporter_level(req) && i < 2; i++) {
    q.region = req->user.region_code;
    q.state = OWN_STATES[i];
    json_t *list = upward_reports_period_json(req->db, &req->scope, &q, 1, PENDING_PREVIEW_ROWS);
    if (!list) return -1;
    snprintf(route, sizeof route, "/upward-reports?kind=%s&period=%s", upward_kind_name(k), p.name);
    if (json_integer_value(json_object_get(list, "total")) > 0)
      json_array_append_new(items, todo_item(i ? "upward_returned" : "upward_due", route, list, &p, req->today));
    json_decref(list);
  }
  if (strcmp(level_of(req), "township") == 0) return 0;
  q.region = NULL;
  q.parent = req->user.region_code;
  q.state = "submitted";
  json_t *list = upward_reports_period_json(req->db, &req->scope, &q, 1, PENDING_PREVIEW_ROWS);
  if (!list) return -1;
  snprintf(route, sizeof route, "/upward-reports?view=inbox&kind=%s&period=%s", upward_kind_name(k), p.name);
  if (json_integer_value(json_object_get(list, "total")) > 0)
    json_array_append_new(items, todo_item("upward_receive", route, list, &p, req->today));
  json_decref(list);
  return 0;
}

int upward_todo_items(struct request *req, json_t *items)
{
  if (!party(req)) return 0;
  for (int k = UPWARD_MONTHLY; k <= UPWARD_ANNUAL; k++)
    if (todo_kind(req, (enum upward_kind)k, items) != 0) return -1;
  return 0;
}
