/* h_cases — 防返贫监测帮扶 (5.7): a risk becomes a monitoring case and follows the statutory path.
 *
 * A lead (self-reported, screened by cadres, flagged by a department — a list may be imported —,
 * seen on a visit, or raised at the monthly meeting) → 民主评议 → 公示 (at least
 * public_notice_min_days) → 乡镇审核 (PERM_CASE_CHECK) → 县级审定 (PERM_CASE_DECIDE, the county
 * rural revitalization department only: taken into monitoring with a category, or not). The
 * procedure is the national 防止返贫动态监测和帮扶机制's, not the notice's (the notice asks only for
 * the monthly meeting and prompt monitoring); the policy's 5.7 parameters name that source. Then 帮扶措施, and 风险消除 by the
 * same kind of procedure, the national mechanism's: 入户核实 (PERM_CASE_WRITE, the team or the
 * township) → 民主评议 → 公示 (at least public_notice_min_days) → 审核确认 (PERM_CASE_DECIDE), which
 * closes the case only when every closure criterion of the policy holds that day (each shown with
 * its clause); a closure may be reversed. The
 * order is core/case_flow's: a skipped step is refused (409 step_skipped naming the missing step).
 * Every step is a row of the timeline; writes are one transaction with their audit row; the
 * household's monitored flag and category change with the decision, closure and reversal,
 * version + 1 and a household_history row (source 'case'). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_flow.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/roles.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/webhook_events.h"
#include "store/cases.h"
#include "store/db.h"
#include "util/strbuf.h"

#define LEAD_MAX_BACK_DAYS 730   /* a lead older than two years is a data entry error */
#define NOTICE_MAX_DAYS 30


static long param(const struct request *req, const char *id, long fallback)
{
  long v = policy_int(req->app->policy, id, req->today);
  return v >= 0 ? v : fallback;
}

/* The 5.7 limits in force today; buf holds today's date. */
static void limits_of(const struct request *req, struct case_limits *lim, char buf[DATE_ISO_SIZE])
{
  date_format_iso(req->today, buf);
  lim->today = buf;
  lim->max_days = (int)param(req, "case_decision_max_days", 15);
  lim->stalled_days = (int)param(req, "case_stalled_days", 7);
}

static const char *list_name(const struct request *req, const char *list, const char *code)
{
  return code ? policy_list_name(req->app->policy, list, req->today, code) : NULL;
}

static void set_name(const struct request *req, json_t *row, const char *key, const char *list)
{
  char k[64];
  snprintf(k, sizeof k, "%s_name", key);
  const char *name = list_name(req, list, json_string_value(json_object_get(row, key)));
  json_object_set_new(row, k, name ? json_string(name) : json_null());
}

static int iso_of(const json_t *row, const char *key)
{
  int d = 0;
  const char *s = json_string_value(json_object_get(row, key));
  if (!s || date_parse_iso(s, &d) != 0) return 0;
  return d;
}

/* Names, the next step and the flags recomputed by case_flow (the same rules as the SQL filter). */
static void decorate(const struct request *req, json_t *c, const struct case_limits *lim)
{
  enum case_state s = CASE_FOUND;
  case_state_parse(json_string_value(json_object_get(c, "state")), &s);
  json_object_set_new(c, "state_name", json_string(case_state_name_zh(s)));
  set_name(req, c, "source", "case_sources");
  set_name(req, c, "category", "monitoring_categories");
  json_t *names = json_array(), *risks = json_object_get(c, "risks");
  size_t i;
  json_t *r;
  json_array_foreach(risks, i, r) {
    const char *n = list_name(req, "risk_types", json_string_value(r));
    json_array_append_new(names, json_string(n ? n : json_string_value(r) ? json_string_value(r) : ""));
  }
  json_object_set_new(c, "risk_names", names);
  int next = case_flow_next(s);
  json_object_set_new(c, "next_step", next >= 0 ? json_string(case_action_code((enum case_action)next)) : json_null());
  json_object_set_new(c, "next_step_name",
                      next >= 0 ? json_string(case_action_name_zh((enum case_action)next)) : json_null());
  json_object_set_new(c, "pending", json_boolean(case_flow_pending(s)));
  long days = 0;
  bool overdue = false;
  int t = 0;
  date_parse_iso(lim->today, &t);
  case_flow_elapsed(s, iso_of(c, "lead_on"), iso_of(c, "decision_on"), t, lim->max_days, &days, &overdue);
  json_object_set_new(c, "age_days", json_integer(days));
  json_object_set_new(c, "overdue", json_boolean(overdue));
  json_object_set_new(c, "max_days", json_integer(lim->max_days));
  int last = iso_of(c, "last_step_on");
  json_object_set_new(c, "stalled", json_boolean(last && case_flow_stalled(s, last, t, lim->stalled_days)));
  int start = iso_of(c, "notice_start");
  json_int_t nd = json_integer_value(json_object_get(c, "notice_days"));
  if (start && nd > 0) {
    char ends[DATE_ISO_SIZE];
    date_format_iso(case_notice_ends(start, (int)nd), ends);
    json_object_set_new(c, "notice_ends", json_string(ends));
  }
  json_object_set_new(c, "closing", json_boolean(case_flow_closing(s)));
  start = iso_of(c, "close_notice_start");
  nd = json_integer_value(json_object_get(c, "close_notice_days"));
  if (start && nd > 0) {
    char ends[DATE_ISO_SIZE];
    date_format_iso(case_notice_ends(start, (int)nd), ends);
    json_object_set_new(c, "close_notice_ends", json_string(ends));
  }
}

/* ---- closure criteria (风险消除, 5.7) ---- */

static int income_records(json_t *incomes, struct income_record *out, size_t max)
{
  size_t i, n = 0;
  json_t *row;
  json_array_foreach(incomes, i, row) {
    if (n == max) break;
    out[n].year = (int)json_integer_value(json_object_get(row, "year"));
    out[n].per_capita = json_number_value(json_object_get(row, "per_capita"));
    n++;
  }
  return (int)n;
}

static int item_int(const json_t *o, const char *key, int fallback)
{
  const json_t *v = json_object_get(o, key);
  return json_is_integer(v) ? (int)json_integer_value(v) : fallback;
}

/* The closure check of a monitored case: [{code,name_zh,clause,met,detail}], *all_met. NULL on error. */
static json_t *closure_check(struct request *req, const json_t *c, bool *all_met)
{
  const struct policy_param *pp = policy_param(req->app->policy, "closure_criteria", req->today);
  const json_t *list = pp ? pp->value : NULL;
  struct closure_criterion crit[CASE_CLOSURE_MAX];
  size_t n = 0, i;
  json_t *item;
  json_array_foreach(list, i, item) {
    if (n == CASE_CLOSURE_MAX) break;
    crit[n].code = json_string_value(json_object_get(item, "code"));
    crit[n].months = item_int(item, "months", 6);
    crit[n].min_count = item_int(item, "min_count", 1);
    if (crit[n].code) n++;
  }
  int64_t household_id = json_integer_value(json_object_get(c, "household_id"));
  json_t *h = cases_household_json(req->db, &req->scope, household_id);
  json_t *incomes = cases_incomes_json(req->db, household_id);
  int64_t measures = 0;
  if (!h || !incomes || cases_measure_count(req->db, json_integer_value(json_object_get(c, "id")), &measures) != DB_OK) {
    json_decref(h);
    json_decref(incomes);
    return NULL;
  }
  struct income_record rec[64];
  struct closure_facts f = {
    .today = req->today, .identified_on = iso_of(c, "identified_on"),
    .threshold = (double)param(req, "monitoring_income_threshold", 0), .incomes = rec,
    .measures = (int)measures, .schooling = item_int(h, "schooling", -1), .medical = item_int(h, "medical", -1),
    .housing = item_int(h, "housing", -1), .water = item_int(h, "water", -1), .able_bodied = item_int(h, "able_bodied", 0)};
  f.nincomes = (size_t)income_records(incomes, rec, 64);
  struct closure_result res[CASE_CLOSURE_MAX];
  case_flow_closure(crit, n, &f, res, all_met);
  json_t *out = json_array();
  for (size_t k = 0; k < n; k++) {
    const json_t *src = json_array_get(list, k);
    json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:b, s:s}", "code", res[k].code, "name_zh",
                                         json_object_get(src, "name_zh"), "clause", json_object_get(src, "clause"),
                                         "met", res[k].met, "detail", res[k].detail));
  }
  json_decref(h);
  json_decref(incomes);
  return out;
}

/* The whole case: the row, its timeline, measures, and the closure check while monitored. */
static json_t *case_detail(struct request *req, int64_t id)
{
  struct case_limits lim;
  char buf[DATE_ISO_SIZE];
  limits_of(req, &lim, buf);
  json_t *c = cases_get_json(req->db, &req->scope, id, &lim);
  if (!c) return NULL;
  decorate(req, c, &lim);
  json_t *steps = cases_steps_json(req->db, id), *measures = cases_measures_json(req->db, id);
  size_t i;
  json_t *s;
  json_array_foreach(steps, i, s) {
    enum case_action a;
    const char *code = json_string_value(json_object_get(s, "step"));
    json_object_set_new(s, "step_name", json_string(strcmp(code, "found") == 0 ? "发现风险"
                                                    : case_action_parse(code, &a) == 0 ? case_action_name_zh(a) : code));
    enum case_state st;
    if (case_state_parse(json_string_value(json_object_get(s, "to_state")), &st) == 0)
      json_object_set_new(s, "to_state_name", json_string(case_state_name_zh(st)));
  }
  json_array_foreach(measures, i, s) set_name(req, s, "type", "measure_types");
  json_object_set_new(c, "steps", steps ? steps : json_array());
  json_object_set_new(c, "measures", measures ? measures : json_array());
  enum case_state st = CASE_FOUND;
  case_state_parse(json_string_value(json_object_get(c, "state")), &st);
  if (st == CASE_MONITORED || case_flow_closing(st)) {
    bool all = false;
    json_t *check = closure_check(req, c, &all);
    json_object_set_new(c, "closure", check ? json_pack("{s:o, s:b}", "criteria", check, "all_met", all) : json_null());
  } else {
    json_object_set_new(c, "closure", json_null());
  }
  return c;
}

static int reply_case(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *c = case_detail(req, id);
  if (!c) return reply_not_found(req, rep, "监测案件不存在或不在管辖范围内", NULL);
  reply_json(rep, status, c);
  return 0;
}

/* ---- lists ---- */

static const char *const CASE_EXPORT[][2] = {
  {"id", "编号"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"household_no", "户编号"}, {"head_name", "户主"},
  {"source_name", "线索来源"}, {"risk_text", "风险类型"}, {"lead_on", "发现日期"}, {"state_name", "状态"},
  {"next_step_name", "下一步"}, {"age_days", "已用天数"}, {"overdue_text", "超时"}, {"stalled_text", "停滞"},
  {"category_name", "监测类别"}, {"identified_on", "纳入监测日期"}, {"closed_on", "风险消除日期"}, {NULL, NULL}};

static void export_text(json_t *c)
{
  struct strbuf b;
  strbuf_init(&b, 1024);
  size_t i;
  json_t *n;
  json_array_foreach(json_object_get(c, "risk_names"), i, n) strbuf_appendf(&b, "%s%s", i ? "、" : "", json_string_value(n));
  json_object_set_new(c, "risk_text", json_string(strbuf_cstr(&b)));
  strbuf_free(&b);
  json_object_set_new(c, "overdue_text", json_string(json_is_true(json_object_get(c, "overdue")) ? "是" : ""));
  json_object_set_new(c, "stalled_text", json_string(json_is_true(json_object_get(c, "stalled")) ? "是" : ""));
}

static int query_region(struct request *req, struct reply *rep, const char *name, const char **out)
{
  if (query_text(req, rep, name, 12, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  for (const char *p = *out; *p; p++)
    if (*p < '0' || *p > '9') return reply_error(rep, 400, "field_invalid", "区划代码应为数字", name);
  return 0;
}

static bool flag(const struct request *req, const char *name)
{
  const char *v = request_query(req, name);
  return v && strcmp(v, "1") == 0;
}

int api_cases_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct case_filter f = {0};
  const char *household;
  if (query_page(req, rep, &page, &page_size) != 0 || query_region(req, rep, "village", &f.village) != 0 ||
      query_text(req, rep, "state", 16, &f.state) != 0 || query_text(req, rep, "household", 20, &household) != 0)
    return -1;
  enum case_state s;
  if (f.state && *f.state && strcmp(f.state, "open") != 0 && strcmp(f.state, "pending") != 0 &&
      case_state_parse(f.state, &s) != 0)
    return reply_error(rep, 400, "field_invalid", "案件状态（state）应为未办结（open）、尚未作出纳入监测决定（pending）或某一环节：found、reviewed、noticed、checked、monitored、close_verified、close_reviewed、close_noticed、dismissed、closed", "state");
  if (household && *household) {
    f.household_id = atoll(household);
    if (f.household_id <= 0) return reply_error(rep, 400, "field_invalid", "农户（household）应为农户编号", "household");
  }
  f.overdue = flag(req, "overdue");
  f.stalled = flag(req, "stalled");
  struct case_limits lim;
  char buf[DATE_ISO_SIZE];
  limits_of(req, &lim, buf);
  bool xlsx = query_wants_xlsx(req);
  json_t *list = cases_list_json(req->db, &req->scope, &f, &lim, page, xlsx ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) {
    json_array_foreach(json_object_get(list, "items"), i, row) {
      decorate(req, row, &lim);
      if (xlsx) export_text(row);
    }
    json_object_set_new(list, "clause", json_string("5.7"));
    json_object_set_new(list, "max_days", json_integer(lim.max_days));
    json_object_set_new(list, "stalled_days", json_integer(lim.stalled_days));
  }
  return handler_reply_list(req, rep, list, CASE_EXPORT, "监测帮扶案件");
}

int api_cases_summary(struct request *req, struct reply *rep)
{
  const char *village;
  if (query_region(req, rep, "village", &village) != 0) return -1;
  struct case_limits lim;
  char buf[DATE_ISO_SIZE];
  limits_of(req, &lim, buf);
  json_t *s = cases_summary_json(req->db, &req->scope, village, &lim);
  if (!s) return reply_internal(rep);
  json_object_set_new(s, "clause", json_string("5.7"));
  json_object_set_new(s, "max_days", json_integer(lim.max_days));
  json_object_set_new(s, "stalled_days", json_integer(lim.stalled_days));
  reply_json(rep, 200, s);
  return 0;
}

int api_cases_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_case(req, rep, id, 200);
}

/* ---- raising a risk ---- */

/* A date YYYY-MM-DD not after today and not older than back_days. */
static int past_date(const struct request *req, struct reply *rep, const char *s, const char *field, int back_days, int *out)
{
  if (date_parse_iso(s, out) != 0)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期", field);
  if (*out > req->today) return reply_error(rep, 400, "field_invalid", "日期不能晚于今天", field);
  if (*out < date_add_days(req->today, -back_days)) {
    char msg[96];
    snprintf(msg, sizeof msg, "日期不能早于 %d 天前", back_days);
    return reply_error(rep, 400, "field_invalid", msg, field);
  }
  return 0;
}

/* risks: a non-empty array of codes of risk_types; out: its JSON text (malloc'd). */
static int risks_field(struct request *req, struct reply *rep, const json_t *risks, char **out)
{
  *out = NULL;
  if (!json_is_array(risks)) return reply_error(rep, 400, "field_type", "风险类型（risks）应为风险类型代码的列表", "risks");
  if (json_array_size(risks) == 0 || json_array_size(risks) > 11)
    return reply_error(rep, 400, "field_invalid", "请选择 1 至 11 项风险类型", "risks");
  size_t i;
  json_t *r;
  json_array_foreach(risks, i, r) {
    if (!json_is_string(r)) return reply_error(rep, 400, "field_type", "风险类型（risks）应为风险类型代码的列表", "risks");
    if (!list_name(req, "risk_types", json_string_value(r)))
      return reply_error(rep, 400, "field_invalid", "风险类型不在政策参数 risk_types 所列范围内（5.7）", "risks");
    for (size_t k = 0; k < i; k++)
      if (json_equal(json_array_get(risks, k), r)) return reply_error(rep, 400, "field_invalid", "风险类型重复", "risks");
  }
  *out = json_dumps(risks, JSON_COMPACT);
  return *out ? 0 : reply_internal(rep);
}

static int case_open_conflict(struct request *req, struct reply *rep, int64_t household_id)
{
  int64_t open = 0;
  int rc = cases_open_of_household(req->db, household_id, &open);
  if (rc == DB_NOT_FOUND) return 0;
  if (rc != DB_OK) return reply_internal(rep);
  reply_error(rep, 409, "case_open", "该户已有未办结的监测帮扶案件，请在原案件中继续办理", "household_id");
  json_object_set_new(json_object_get(rep->json, "error"), "existing", json_integer(open));
  return -1;
}

/* The household (from the body or the visit), in scope and active; fills village. */
static int case_household(struct request *req, struct reply *rep, const json_t *body, const char *source,
                          int64_t *household_id, char village[16], json_t **visit)
{
  int64_t visit_id = 0;
  bool has_visit = false, has_household = false;
  *visit = NULL;
  if (field_int(rep, body, "visit_id", false, 1, INT64_MAX, &visit_id, &has_visit) != 0 ||
      field_int(rep, body, "household_id", false, 1, INT64_MAX, household_id, &has_household) != 0)
    return -1;
  if (strcmp(source, "visit") == 0) {
    if (!has_visit) return reply_error(rep, 400, "field_required", "走访发现的风险须指明走访记录（visit_id）", "visit_id");
    *visit = cases_visit_json(req->db, &req->scope, visit_id);
    if (!*visit) return reply_not_found(req, rep, "走访记录不存在或不在管辖范围内", "visit_id");
    int64_t from_visit = json_integer_value(json_object_get(*visit, "household_id"));
    if (has_household && *household_id != from_visit)
      return reply_error(rep, 400, "field_invalid", "所选农户与走访记录的农户不一致", "household_id");
    *household_id = from_visit;
  } else if (has_visit) {
    return reply_error(rep, 400, "field_invalid", "只有来源为走访发现（visit）时才填写走访记录", "visit_id");
  } else if (!has_household) {
    return reply_error(rep, 400, "field_required", "请选择农户", "household_id");
  }
  json_t *h = cases_household_json(req->db, &req->scope, *household_id);
  if (!h) return reply_not_found(req, rep, "农户不存在或不在管辖范围内", "household_id");
  bool active = strcmp(json_string_value(json_object_get(h, "status")), "active") == 0;
  snprintf(village, 16, "%s", json_string_value(json_object_get(h, "village_code")));
  json_decref(h);
  if (!active) return reply_error(rep, 409, "household_removed", "该户已从台账中移除", "household_id");
  return 0;
}

/* A case opened (its id set by the store). */
struct case_insert {
  const struct case_new *c;
  int64_t id;
};

static int store_insert(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct case_insert *ci = ctx;
  return cases_insert(req->db, ci->c, req->now, &ci->id);
}

/* The cases of a checked warning list, one per household planned. */
struct case_import {
  const char *village;
  const json_t *plan;
};

static int store_import(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct case_import *ci = ctx;
  int w = DB_OK;
  size_t i;
  json_t *p;
  json_array_foreach(ci->plan, i, p) {
    if (w != DB_OK) break;
    char *risks = json_dumps(json_object_get(p, "risks"), JSON_COMPACT);
    int64_t id;
    struct case_new c = {json_integer_value(json_object_get(p, "household_id")), ci->village, "department", 0, 0,
                         json_string_value(json_object_get(p, "department")), risks,
                         json_string_value(json_object_get(p, "description")),
                         json_string_value(json_object_get(p, "lead_on")), req->user.id};
    w = cases_insert(req->db, &c, req->now, &id);
    free(risks);
  }
  return w;
}

int api_cases_create(struct request *req, struct reply *rep)
{
  json_t *body, *visit = NULL;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"household_id", "visit_id", "meeting_id", "source", "department", "risks",
                                        "description", "lead_on", NULL};
  const char *source, *department, *description, *lead_s;
  char *risks = NULL, village[16] = "";
  int64_t household_id = 0, meeting_id = 0, id = 0;
  bool has_meeting;
  int lead, rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "source", true, 32, &source) != 0 ||
      field_string(rep, body, "department", false, 100, &department) != 0 ||
      field_text(rep, body, "description", false, 1000, &description) != 0 ||
      field_string(rep, body, "lead_on", false, 10, &lead_s) != 0 ||
      field_int(rep, body, "meeting_id", false, 1, INT64_MAX, &meeting_id, &has_meeting) != 0)
    goto out;
  if (!list_name(req, "case_sources", source)) {
    rc = reply_error(rep, 400, "field_invalid", "线索来源应为自主申报、干部排查、部门预警、走访发现或研判会议提出（5.7）", "source");
    goto out;
  }
  if (case_household(req, rep, body, source, &household_id, village, &visit) != 0) goto out;
  if (strcmp(source, "department") == 0 && (!department || !*department)) {
    rc = reply_error(rep, 400, "field_required", "部门预警须填写预警部门", "department");
    goto out;
  }
  if (strcmp(source, "meeting") == 0) {
    char mv[16];
    if (!has_meeting) { rc = reply_error(rep, 400, "field_required", "研判会议提出的风险须指明会议（meeting_id）", "meeting_id"); goto out; }
    if (cases_meeting_village(req->db, &req->scope, meeting_id, mv) != DB_OK || strcmp(mv, village) != 0) {
      rc = reply_not_found(req, rep, "该村没有这次研判会议", "meeting_id");
      goto out;
    }
  } else if (has_meeting) {
    rc = reply_error(rep, 400, "field_invalid", "只有来源为研判会议提出（meeting）时才填写会议", "meeting_id");
    goto out;
  }
  const json_t *rj = json_object_get(body, "risks");
  if (!rj && visit) rj = json_object_get(visit, "risks"); /* the risks seen on the visit */
  if (!rj) { rc = reply_error(rep, 400, "field_required", "请选择风险类型", "risks"); goto out; }
  if (risks_field(req, rep, rj, &risks) != 0) goto out;
  if (!lead_s || !*lead_s) lead_s = visit ? json_string_value(json_object_get(visit, "visited_on")) : NULL;
  char today_s[DATE_ISO_SIZE];
  date_format_iso(req->today, today_s);
  if (!lead_s) lead_s = today_s;
  if (past_date(req, rep, lead_s, "lead_on", LEAD_MAX_BACK_DAYS, &lead) != 0 || case_open_conflict(req, rep, household_id) != 0)
    goto out;
  struct case_new c = {household_id, village, source, visit ? json_integer_value(json_object_get(visit, "id")) : 0,
                       meeting_id, department, risks, description, lead_s, req->user.id};
  struct case_insert ci = {.c = &c};
  struct write_tx w = {.store = store_insert, .ctx = &ci, .action = "case.create", .entity = "monitoring_case",
                       .id = &ci.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = ci.id;
out:
  free(risks);
  json_decref(visit);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_case(req, rep, id, 201);
}

/* ---- steps ---- */

/* Who may take which step (5.7): the village side records review, notice, objections and
 * measures, and the closure's home check (the team or the township), review and notice; the
 * township checks; the county decides, confirms the closure and reopens. */
static perm_t step_perm(enum case_action a)
{
  switch (a) {
  case CASE_CHECK: return PERM_CASE_CHECK;
  case CASE_DECIDE: case CASE_CLOSE: case CASE_REOPEN: return PERM_CASE_DECIDE;
  default: return PERM_CASE_WRITE;
  }
}

static const char *const *step_fields(enum case_action a)
{
  static const char *const REVIEW[] = {"action", "version", "on_date", "note", "result", "participants", NULL};
  static const char *const NOTICE[] = {"action", "version", "on_date", "note", "days", NULL};
  static const char *const VERDICT[] = {"action", "version", "on_date", "note", "result", NULL};
  static const char *const DECIDE[] = {"action", "version", "on_date", "note", "result", "category", NULL};
  static const char *const MEASURE[] = {"action", "version", "on_date", "note", "type", "content", "responsible", NULL};
  static const char *const PLAIN[] = {"action", "version", "on_date", "note", NULL};
  static const char *const VERIFY[] = {"action", "version", "on_date", "note", "verifiers", NULL};
  switch (a) {
  case CASE_REVIEW: case CASE_CLOSE_REVIEW: return REVIEW;
  case CASE_NOTICE: case CASE_CLOSE_NOTICE: return NOTICE;
  case CASE_CHECK: case CASE_CLOSE: return VERDICT;
  case CASE_CLOSE_VERIFY: return VERIFY;
  case CASE_DECIDE: return DECIDE;
  case CASE_MEASURE: return MEASURE;
  default: return PLAIN;
  }
}

static int result_field(struct reply *rep, const json_t *body, bool required, const char **out, bool *agreed)
{
  if (field_string(rep, body, "result", required, 16, out) != 0) return -1;
  if (!required && !json_object_get(body, "result")) *out = "agree";
  if (strcmp(*out, "agree") != 0 && strcmp(*out, "disagree") != 0)
    return reply_error(rep, 400, "field_invalid", "评议结果（result）应为同意（agree）或不同意（disagree）", "result");
  *agreed = strcmp(*out, "agree") == 0;
  return 0;
}

static int refuse_order(struct reply *rep, int flow, enum case_state from, enum case_action a, enum case_action missing)
{
  char msg[240];
  if (flow == CASE_ERR_SKIPPED) {
    bool closure = a == CASE_CLOSE || a == CASE_CLOSE_VERIFY || a == CASE_CLOSE_REVIEW || a == CASE_CLOSE_NOTICE ||
                   a == CASE_REOPEN;
    snprintf(msg, sizeof msg, "尚未完成「%s」，不能进行「%s」：%s不得跳过（5.7）", case_action_name_zh(missing),
             case_action_name_zh(a), closure && from >= CASE_MONITORED ? "风险消除程序" : "监测对象识别程序");
    reply_error(rep, 409, "step_skipped", msg, "action");
    json_object_set_new(json_object_get(rep->json, "error"), "missing", json_string(case_action_code(missing)));
    return -1;
  }
  snprintf(msg, sizeof msg, "案件当前为「%s」，不能进行「%s」", case_state_name_zh(from), case_action_name_zh(a));
  return reply_error(rep, 409, "wrong_state", msg, "action");
}

struct step_input {
  const char *on_s, *note, *result, *participants, *category, *type, *content, *responsible, *verifiers;
  int on, days;
  bool agreed;
};

/* The fields of the action, checked. */
/* 公示 (of the entry or of the closure): days, at least the policy's minimum. */
static int notice_days_read(struct request *req, struct reply *rep, const json_t *body, struct step_input *in)
{
  int64_t days;
  bool has;
  long min = param(req, "public_notice_min_days", 5);
  if (field_int(rep, body, "days", false, 1, NOTICE_MAX_DAYS, &days, &has) != 0) return -1;
  in->days = has ? (int)days : (int)min;
  if (in->days < min) {
    char msg[120];
    snprintf(msg, sizeof msg, "公示不得少于 %ld 天（5.7，public_notice_min_days）", min);
    return reply_error(rep, 400, "field_invalid", msg, "days");
  }
  return 0;
}

/* 风险消除 入户核实: who checked the home, and what they found. */
static int verify_read(struct reply *rep, const json_t *body, struct step_input *in)
{
  if (field_string(rep, body, "verifiers", true, 500, &in->verifiers) != 0) return -1;
  if (!*in->verifiers) return reply_error(rep, 400, "field_required", "请填写入户核实人员", "verifiers");
  if (!*in->note) return reply_error(rep, 400, "field_required", "请填写入户核实情况", "note");
  return 0;
}

static int step_fields_read(struct request *req, struct reply *rep, const json_t *body, enum case_action a,
                            struct step_input *in)
{
  bool note_required = a == CASE_OBJECTION || a == CASE_REOPEN || a == CASE_CLOSE_VERIFY;
  if (field_text(rep, body, "note", note_required, 1000, &in->note) != 0) return -1;
  if (a == CASE_CLOSE_VERIFY) return verify_read(rep, body, in);
  if (a == CASE_CLOSE) return result_field(rep, body, false, &in->result, &in->agreed);
  if (a == CASE_CLOSE_NOTICE) return notice_days_read(req, rep, body, in);
  if (a == CASE_OBJECTION && !*in->note) return reply_error(rep, 400, "field_required", "请填写异议内容", "note");
  if (a == CASE_REOPEN && !*in->note) return reply_error(rep, 400, "field_required", "请填写返贫或重新纳入的原因", "note");
  bool review = a == CASE_REVIEW || a == CASE_CLOSE_REVIEW;
  if (review || a == CASE_CHECK || a == CASE_DECIDE) {
    if (result_field(rep, body, true, &in->result, &in->agreed) != 0) return -1;
  }
  if (review && field_string(rep, body, "participants", true, 500, &in->participants) != 0) return -1;
  if (review && !*in->participants)
    return reply_error(rep, 400, "field_required", "请填写参加民主评议的人员", "participants");
  if (a == CASE_NOTICE && notice_days_read(req, rep, body, in) != 0) return -1;
  if (a == CASE_DECIDE && in->agreed) {
    if (field_string(rep, body, "category", true, 32, &in->category) != 0) return -1;
    if (!list_name(req, "monitoring_categories", in->category))
      return reply_error(rep, 400, "field_invalid", "监测类别应为脱贫不稳定户、边缘易致贫户或突发严重困难户", "category");
  } else if (a == CASE_DECIDE && json_object_get(body, "category")) {
    return reply_error(rep, 400, "field_invalid", "不纳入监测时不填写监测类别", "category");
  }
  if (a == CASE_MEASURE) {
    if (field_string(rep, body, "type", true, 40, &in->type) != 0 ||
        field_text(rep, body, "content", true, 1000, &in->content) != 0 ||
        field_string(rep, body, "responsible", true, 100, &in->responsible) != 0)
      return -1;
    if (!list_name(req, "measure_types", in->type))
      return reply_error(rep, 400, "field_invalid", "帮扶措施类型不在政策参数 measure_types 所列范围内", "type");
    if (!*in->content) return reply_error(rep, 400, "field_required", "请填写帮扶措施内容", "content");
    if (!*in->responsible) return reply_error(rep, 400, "field_required", "请填写帮扶责任人", "responsible");
  }
  return 0;
}

/* Dates run forward: not after today, not before the case's last step. */
static int step_date(const struct request *req, struct reply *rep, const json_t *c, const char *on_s, int *on)
{
  if (past_date(req, rep, on_s, "on_date", LEAD_MAX_BACK_DAYS, on) != 0) return -1;
  int last = iso_of(c, "last_step_on");
  if (last && *on < last) {
    char msg[120];
    snprintf(msg, sizeof msg, "日期不能早于上一步骤的日期（%s）", json_string_value(json_object_get(c, "last_step_on")));
    return reply_error(rep, 400, "field_invalid", msg, "on_date");
  }
  return 0;
}

/* 审核确认 of a closure: its 公示 over, and every closure criterion met on the day (core's rule). */
static int confirm_preconditions(struct request *req, struct reply *rep, const json_t *c, const struct step_input *in)
{
  bool all = false;
  json_t *check = closure_check(req, c, &all);
  if (!check) return reply_internal(rep);
  int start = iso_of(c, "close_notice_start");
  int days = (int)json_integer_value(json_object_get(c, "close_notice_days"));
  int rc = case_flow_confirm(in->on, start, days, in->agreed, all);
  if (rc == CASE_ERR_NOTICE) {
    char e[DATE_ISO_SIZE] = "", msg[200];
    if (start && days > 0) date_format_iso(case_notice_ends(start, days), e);
    snprintf(msg, sizeof msg, "风险消除公示 %d 天，%s 起方可审核确认：公示期未满（5.7）", days, e);
    json_decref(check);
    return reply_error(rep, 409, "notice_not_over", msg, "on_date");
  }
  if (rc == CASE_ERR_CRITERIA) {
    reply_error(rep, 409, "closure_criteria_unmet", "风险消除条件未全部满足，不能确认风险消除（5.7）", "action");
    json_object_set_new(json_object_get(rep->json, "error"), "criteria", check);
    return -1;
  }
  json_decref(check);
  return 0;
}

/* The checks of time and content a step needs beyond the order: the notice's minimum days
 * before the township's check, the closure criteria before closing. */
static int step_preconditions(struct request *req, struct reply *rep, const json_t *c, enum case_action a,
                              const struct step_input *in)
{
  if (a == CASE_CHECK) {
    int start = iso_of(c, "notice_start");
    int days = (int)json_integer_value(json_object_get(c, "notice_days"));
    int ends = case_notice_ends(start, days);
    if (in->on < ends) {
      char e[DATE_ISO_SIZE], msg[200];
      date_format_iso(ends, e);
      snprintf(msg, sizeof msg, "公示 %d 天，%s 起方可乡镇审核：公示期未满（5.7）", days, e);
      return reply_error(rep, 409, "notice_not_over", msg, "on_date");
    }
  }
  if (a == CASE_CLOSE) return confirm_preconditions(req, rep, c, in);
  return 0;
}

/* What the step does to the household (5.7, 5.8): taken in, closed, taken in again. */
static int step_household(struct request *req, const json_t *c, enum case_action a, enum case_state to,
                          const struct step_input *in, int64_t now)
{
  int64_t h = json_integer_value(json_object_get(c, "household_id"));
  if (a == CASE_DECIDE && to == CASE_MONITORED) return cases_household_set(req->db, h, true, in->category, req->user.id, now);
  if (a == CASE_CLOSE && to == CASE_CLOSED) return cases_household_set(req->db, h, false, NULL, req->user.id, now);
  if (a == CASE_REOPEN) return cases_household_set(req->db, h, true, json_string_value(json_object_get(c, "category")), req->user.id, now);
  return DB_OK;
}

/* 数据推送 (issue 13): the county's decision, closure or reversal, and the household it takes in or lets go. */
static int step_webhooks(struct request *req, const json_t *c, enum case_action a, enum case_state to, int64_t id,
                         int64_t now)
{
  if (a != CASE_DECIDE && a != CASE_CLOSE && a != CASE_REOPEN) return DB_OK;
  int w = webhook_events_case_decided(req->db, id, case_action_code(a), now);
  bool household = a == CASE_REOPEN || (a == CASE_DECIDE && to == CASE_MONITORED) || (a == CASE_CLOSE && to == CASE_CLOSED);
  if (w == DB_OK && household) /* as step_household changed it */
    w = webhook_events_household_risk(req->db, json_integer_value(json_object_get(c, "household_id")), now);
  return w;
}

/* A step: a measure first when the step records one, the step itself, what it does to the household,
 * and what it pushes out. */
struct case_step_write {
  const struct case_step_new *s;
  const json_t *c;
  const struct step_input *in;
};

static int store_step(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct case_step_write *cs = ctx;
  const struct case_step_new *s = cs->s;
  int w = DB_OK;
  if (s->action == CASE_MEASURE) {
    int64_t mid = 0;
    struct case_measure_new m = {s->case_id, cs->in->type, cs->in->content, cs->in->responsible, cs->in->on_s,
                                 req->user.id};
    w = cases_add_measure(req->db, &m, req->now, &mid);
  }
  if (w == DB_OK) w = cases_step(req->db, s, req->now);
  if (w == DB_OK) w = step_household(req, cs->c, s->action, s->to, cs->in, req->now);
  if (w == DB_OK) w = step_webhooks(req, cs->c, s->action, s->to, s->case_id, req->now);
  return w;
}

static const struct write_error CASE_STALE[] = {
    {DB_CONFLICT, 409, "stale", "案件已被他人更新，请刷新后重试", "version"}, {0}};

int api_cases_step(struct request *req, struct reply *rep)
{
  int64_t id, version;
  json_t *body = NULL, *c = NULL;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  const char *action_s;
  enum case_action a;
  enum case_state from, to;
  enum case_action missing = CASE_REVIEW;
  struct step_input in = {0};
  int rc = -1;
  if (field_string(rep, body, "action", true, 16, &action_s) != 0) goto out;
  if (case_action_parse(action_s, &a) != 0) {
    rc = reply_error(rep, 400, "field_invalid",
                     "办理环节（action）应为 review、notice、objection、check、decide、measure、close_verify、close_review、"
                     "close_notice、close 或 reopen 之一", "action");
    goto out;
  }
  if (!roles_can(req->user.role, step_perm(a))) {
    char msg[120];
    snprintf(msg, sizeof msg, "「%s」由%s办理（5.7）", case_action_name_zh(a),
             a == CASE_CHECK ? "乡镇" : step_perm(a) == PERM_CASE_DECIDE ? "县级乡村振兴部门" : "驻村工作队或乡镇");
    rc = reply_error(rep, 403, "forbidden", msg, "action");
    goto out;
  }
  if (fields_allowed(rep, body, step_fields(a)) != 0 ||
      field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ||
      field_string(rep, body, "on_date", true, 10, &in.on_s) != 0 || step_fields_read(req, rep, body, a, &in) != 0)
    goto out;
  struct case_limits lim;
  char buf[DATE_ISO_SIZE];
  limits_of(req, &lim, buf);
  c = cases_get_json(req->db, &req->scope, id, &lim);
  if (!c) { rc = reply_not_found(req, rep, "监测案件不存在或不在管辖范围内", NULL); goto out; }
  case_state_parse(json_string_value(json_object_get(c, "state")), &from);
  int flow = case_flow_step(from, a, in.agreed, &to, &missing);
  if (flow != CASE_OK) { rc = refuse_order(rep, flow, from, a, missing); goto out; }
  if (json_integer_value(json_object_get(c, "version")) != version) {
    rc = reply_error(rep, 409, "stale", "案件已被他人更新，请刷新后重试", "version");
    goto out;
  }
  if (step_date(req, rep, c, in.on_s, &in.on) != 0 || step_preconditions(req, rep, c, a, &in) != 0) goto out;
  json_t *detail = json_deep_copy(body);
  json_object_del(detail, "action");
  json_object_del(detail, "version");
  json_object_del(detail, "note");
  json_object_del(detail, "on_date");
  if (a == CASE_NOTICE || a == CASE_CLOSE_NOTICE) json_object_set_new(detail, "days", json_integer(in.days));
  if (a == CASE_CLOSE) json_object_set_new(detail, "result", json_string(in.result));
  char *detail_s = json_dumps(detail, JSON_COMPACT);
  json_decref(detail);
  struct case_step_new s = {id, version, a, from, to, in.on_s, in.note, detail_s, in.participants, in.result, in.days,
                            in.category, req->user.id};
  struct case_step_write cs = {&s, c, &in};
  char action[40];
  snprintf(action, sizeof action, "case.%s", case_action_code(a));
  struct write_tx w = {.store = store_step, .ctx = &cs, .errors = CASE_STALE, .action = action,
                       .entity = "monitoring_case", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
  free(detail_s);
out:
  json_decref(c);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_case(req, rep, id, 200);
}

/* ---- the printed 公示 ---- */

static void html_escape(struct strbuf *b, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '<': strbuf_appendf(b, "&lt;"); break;
    case '>': strbuf_appendf(b, "&gt;"); break;
    case '&': strbuf_appendf(b, "&amp;"); break;
    case '"': strbuf_appendf(b, "&quot;"); break;
    case '\'': strbuf_appendf(b, "&#39;"); break;
    default: strbuf_append(b, s, 1);
    }
  }
}

static void html_text(struct strbuf *b, const json_t *row, const char *key)
{
  const json_t *v = json_object_get(row, key);
  if (json_is_string(v)) html_escape(b, json_string_value(v));
  else if (json_is_integer(v)) strbuf_appendf(b, "%lld", (long long)json_integer_value(v));
}

/* GET /cases/notice?village=CODE: the 公示 of the households to be taken into monitoring, as a
 * page to print. By construction it holds only the head's name, the household size, the risk
 * types, the source and the dates: no ID number, phone, bank account or health detail (5.7). */
int api_cases_notice(struct request *req, struct reply *rep)
{
  const char *village;
  if (query_region(req, rep, "village", &village) != 0) return -1;
  if (!village) return reply_error(rep, 400, "field_required", "请指定村（?village=）", "village");
  json_t *v = cases_village_json(req->db, &req->scope, village);
  if (!v) return reply_not_found(req, rep, "村不存在或不在管辖范围内", "village");
  json_t *rows = cases_notice_rows(req->db, &req->scope, village);
  if (!rows) { json_decref(v); return reply_internal(rep); }
  struct strbuf b;
  strbuf_init(&b, 1 << 20);
  strbuf_appendf(&b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
  html_text(&b, v, "name");
  strbuf_appendf(&b, "防返贫监测对象公示</title></head><body><h1 align=\"center\">");
  html_text(&b, v, "township_name");
  html_text(&b, v, "name");
  strbuf_appendf(&b, "拟纳入防返贫监测对象公示</h1><p>经农户申请（或干部排查、部门预警）、村民主评议，以下农户拟纳入防返贫监测"
                     "对象，现予以公示。公示期间如有异议，请向村委会或乡镇人民政府反映。</p>"
                     "<table border=\"1\" cellpadding=\"6\" cellspacing=\"0\" width=\"100%%\"><thead><tr><th>序号</th>"
                     "<th>户主姓名</th><th>家庭人口</th><th>主要风险</th><th>线索来源</th><th>民主评议日期</th>"
                     "<th>公示期</th></tr></thead><tbody>");
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    strbuf_appendf(&b, "<tr><td>%zu</td><td>", i + 1);
    html_text(&b, row, "head_name");
    strbuf_appendf(&b, "</td><td>");
    html_text(&b, row, "members_count");
    strbuf_appendf(&b, "</td><td>");
    size_t k;
    json_t *r;
    json_array_foreach(json_object_get(row, "risks"), k, r) {
      const char *n = list_name(req, "risk_types", json_string_value(r));
      if (k) strbuf_appendf(&b, "、");
      html_escape(&b, n ? n : json_string_value(r));
    }
    strbuf_appendf(&b, "</td><td>");
    const char *src = list_name(req, "case_sources", json_string_value(json_object_get(row, "source")));
    html_escape(&b, src ? src : "");
    strbuf_appendf(&b, "</td><td>");
    html_text(&b, row, "review_on");
    strbuf_appendf(&b, "</td><td>");
    int start = iso_of(row, "notice_start");
    int days = (int)json_integer_value(json_object_get(row, "notice_days"));
    char ends[DATE_ISO_SIZE];
    date_format_iso(date_add_days(case_notice_ends(start, days), -1), ends);
    html_text(&b, row, "notice_start");
    strbuf_appendf(&b, " 至 %s（%d 天）</td></tr>", ends, days);
  }
  if (json_array_size(rows) == 0) strbuf_appendf(&b, "<tr><td colspan=\"7\" align=\"center\">目前没有公示中的农户</td></tr>");
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  strbuf_appendf(&b, "</tbody></table><p align=\"right\">");
  html_text(&b, v, "name");
  strbuf_appendf(&b, "村民委员会<br>%s</p></body></html>", t);
  json_decref(rows);
  json_decref(v);
  size_t len;
  rep->raw = strbuf_take(&b, &len);
  strbuf_free(&b);
  if (!rep->raw) return reply_internal(rep);
  rep->status = 200;
  rep->raw_len = len;
  rep->content_type = "text/html; charset=utf-8";
  return 0;
}

/* ---- a department's list (部门预警名单) ---- */

enum { COL_NO, COL_RISKS, COL_DEPT, COL_DATE, COL_NOTE, NCOLS };
static const char *const HEADERS[NCOLS] = {"户编号", "风险类型", "预警部门", "预警日期", "说明"};

static void row_error(json_t *errors, int row, const char *field, const char *code, const char *msg)
{
  json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s}", "row", row, "field", field, "code", code, "message", msg));
}

static const char *cell(const json_t *row, int index)
{
  const char *s = index >= 0 ? json_string_value(json_array_get(row, (size_t)index)) : NULL;
  return s ? s : "";
}

/* 风险类型 as names or codes, separated by 、，, or ; → a JSON array of codes, or NULL. */
static json_t *parse_risks(struct request *req, const char *text)
{
  const struct policy_param *pp = policy_param(req->app->policy, "risk_types", req->today);
  json_t *out = json_array();
  char buf[512];
  snprintf(buf, sizeof buf, "%s", text);
  /* turn the Chinese separators into commas */
  for (char *p; (p = strstr(buf, "、")) || (p = strstr(buf, "，")) || (p = strstr(buf, "；"));) {
    *p = ',';
    memmove(p + 1, p + 3, strlen(p + 3) + 1);
  }
  for (char *save = NULL, *tok = strtok_r(buf, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
    while (*tok == ' ') tok++;
    size_t len = strlen(tok);
    while (len && tok[len - 1] == ' ') tok[--len] = '\0';
    if (!len) continue;
    const char *code = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(pp ? pp->value : NULL, i, item) {
      const char *c = json_string_value(json_object_get(item, "code"));
      const char *n = json_string_value(json_object_get(item, "name_zh"));
      if ((c && strcmp(c, tok) == 0) || (n && strcmp(n, tok) == 0)) code = c;
    }
    if (!code) { json_decref(out); return NULL; }
    json_t *s = json_string(code);
    bool dup = false;
    size_t k;
    json_t *x;
    json_array_foreach(out, k, x) dup |= json_equal(x, s);
    if (dup) json_decref(s); else json_array_append_new(out, s);
  }
  if (json_array_size(out) == 0) { json_decref(out); return NULL; }
  return out;
}

int api_cases_import(struct request *req, struct reply *rep)
{
  const char *village;
  if (query_region(req, rep, "village", &village) != 0) return -1;
  if (!village) return reply_error(rep, 400, "field_required", "请指定村（?village=）", "village");
  json_t *v = cases_village_json(req->db, &req->scope, village);
  if (!v) return reply_not_found(req, rep, "村不存在或不在管辖范围内", "village");
  json_decref(v);
  json_t *rows = json_array(), *errors = json_array(), *plan = json_array(), *skipped = json_array();
  /* read as the roster and the household sheet are (h_import.c) */
  int rc = handler_import_rows(req, rep, rows);
  if (rc != 0) goto out;
  rc = -1;
  int index[NCOLS];
  const json_t *head = json_array_get(rows, 0);
  for (int k = 0; k < NCOLS; k++) {
    index[k] = -1;
    for (size_t i = 0; i < json_array_size(head); i++)
      if (strcmp(cell(head, (int)i), HEADERS[k]) == 0) index[k] = (int)i;
    if (index[k] < 0 && k != COL_NOTE) {
      char msg[80];
      snprintf(msg, sizeof msg, "缺少表头“%s”", HEADERS[k]);
      row_error(errors, 1, HEADERS[k], "header_missing", msg);
    }
  }
  for (size_t i = 1; json_array_size(errors) == 0 && i < json_array_size(rows); i++) {
    const json_t *row = json_array_get(rows, i);
    if (json_array_size(row) == 0) continue;
    int n = (int)i + 1, d;
    int64_t hid = 0, open = 0;
    json_t *risks = parse_risks(req, cell(row, index[COL_RISKS]));
    if (cases_household_by_no(req->db, village, cell(row, index[COL_NO]), &hid) != DB_OK)
      row_error(errors, n, "户编号", "household_unknown", "本村台账中没有该户编号");
    if (!risks) row_error(errors, n, "风险类型", "risk_invalid", "风险类型不在政策参数 risk_types 所列范围内");
    if (!*cell(row, index[COL_DEPT])) row_error(errors, n, "预警部门", "field_required", "请填写预警部门");
    if (date_parse_iso(cell(row, index[COL_DATE]), &d) != 0 || d > req->today || d < date_add_days(req->today, -LEAD_MAX_BACK_DAYS))
      row_error(errors, n, "预警日期", "date_invalid", "预警日期应为两年内且不晚于今天的 YYYY-MM-DD 日期");
    if (hid && cases_open_of_household(req->db, hid, &open) == DB_OK)
      json_array_append_new(skipped, json_pack("{s:i, s:s, s:I}", "row", n, "household_no", cell(row, index[COL_NO]),
                                               "existing", (json_int_t)open));
    else if (hid && risks)
      json_array_append_new(plan, json_pack("{s:I, s:O, s:s, s:s, s:s}", "household_id", (json_int_t)hid, "risks",
                                            risks, "department", cell(row, index[COL_DEPT]), "lead_on",
                                            cell(row, index[COL_DATE]), "description", cell(row, index[COL_NOTE])));
    json_decref(risks);
  }
  if (json_array_size(errors) > 0) {
    reply_error(rep, 422, "import_invalid", "预警名单有错误，未导入任何一行，请按提示修改后重新上传", NULL);
    json_object_set(json_object_get(rep->json, "error"), "errors", errors);
    goto out;
  }
  struct case_import ci = {village, plan};
  json_t *detail = json_pack("{s:s, s:I, s:I}", "village", village, "created", (json_int_t)json_array_size(plan),
                             "skipped", (json_int_t)json_array_size(skipped));
  struct write_tx w = {.store = store_import, .ctx = &ci, .action = "case.import", .entity = "region",
                       .entity_id = village, .detail = detail};
  rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  if (rc == 0)
    reply_json(rep, 200, json_pack("{s:I, s:O}", "created", (json_int_t)json_array_size(plan), "skipped", skipped));
out:
  json_decref(rows);
  json_decref(errors);
  json_decref(plan);
  json_decref(skipped);
  return rc;
}
