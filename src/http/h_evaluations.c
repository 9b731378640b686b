/* h_evaluations — 年度考核 / 任期考核 of the cadres in the villages (issue #12 part 1).
 *
 * The county organization department opens a round for its county (every cadre in post in its
 * villages that year, or whose term ends in it). Each evaluation then goes step by step, each
 * step by its own role and in its scope (the router's PERM_CADRE_READ, then the checks here):
 *   述职        the cadre, from a draft the server assembles from the cadre's own record of the
 *               year (days in the village, logs by duty, reports, visits); saved, then submitted;
 *   民主测评    the township (乡镇党委), per voter group (policy evaluation_voter_groups), typed or
 *               imported from a sheet; then the township committee's opinion;
 *   单位意见    the dispatching unit's leaders (PERM_PLAN_REVIEW in a unit scope);
 *   考核等次    the county organization department, 优秀/称职/基本称职/不称职, changeable until it
 *               confirms the round — refused (409) when 优秀 exceeds evaluation_excellent_max_percent
 *               of those evaluated in the county.
 * Every write names the version it read: a double submission is refused (409) and changes nothing.
 * Beside each evaluation, the facts of the record over the part of the year the post covered. A
 * confirmed annual round is the 年度考核 that eligibility (1.3c, 1.4) and commendations (3.7) read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/evaluation.h"
#include "core/policy.h"
#include "core/roles.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/evaluations.h"

#define REPORT_MAX_CHARS 8000
#define OPINION_MAX_CHARS 2000

/* ---- who may do what ---- */

static bool is_level(const struct request *req, const char *level)
{
  const struct role *r = req->user.role;
  return r && r->level && strcmp(r->level, level) == 0;
}

static bool county_org(const struct request *req)
{
  const char *d = roles_department(req->user.role);
  return d && strcmp(d, "org") == 0 && is_level(req, "county");
}

static bool township(const struct request *req)
{
  return is_level(req, "township") && roles_can(req->user.role, PERM_DISCIPLINE_WRITE);
}

static bool unit_leader(const struct request *req)
{
  return req->scope.kind == SCOPE_KIND_UNIT && roles_can(req->user.role, PERM_PLAN_REVIEW);
}

static bool the_cadre(const struct request *req)
{
  return req->scope.kind == SCOPE_KIND_SELF && roles_can(req->user.role, PERM_REPORT_SUBMIT);
}

static const char *result_zh(const char *code)
{
  if (!code) return NULL;
  if (strcmp(code, "excellent") == 0) return "优秀";
  if (strcmp(code, "competent") == 0) return "称职";
  if (strcmp(code, "basically_competent") == 0) return "基本称职";
  if (strcmp(code, "incompetent") == 0) return "不称职";
  return NULL;
}

static const char *post_zh(const char *post)
{
  if (post && strcmp(post, "first_secretary") == 0) return "第一书记";
  if (post && strcmp(post, "team_leader") == 0) return "工作队队长";
  return "工作队队员";
}

static const char *kind_zh(const char *kind)
{
  return kind && strcmp(kind, "term") == 0 ? "任期考核" : "年度考核";
}

static long max_percent(const struct request *req)
{
  return policy_int(req->app->policy, "evaluation_excellent_max_percent", req->today);
}

static const json_t *voter_groups(const struct request *req)
{
  const struct policy_param *pp = policy_param(req->app->policy, "evaluation_voter_groups", req->today);
  return pp ? pp->value : NULL;
}

/* ---- rounds ---- */

static void decorate_round(const struct request *req, json_t *r)
{
  int evaluated = (int)json_integer_value(json_object_get(r, "evaluated"));
  long pct = max_percent(req);
  json_object_set_new(r, "kind_name", json_string(kind_zh(json_string_value(json_object_get(r, "kind")))));
  json_object_set_new(r, "excellent_max_percent", json_integer(pct));
  json_object_set_new(r, "excellent_cap_now", json_integer(eval_excellent_cap(evaluated, pct)));
  const char *status = json_string_value(json_object_get(r, "status"));
  json_object_set_new(r, "status_name", json_string(status && strcmp(status, "confirmed") == 0 ? "已确认" : "进行中"));
  json_object_set_new(r, "can_confirm", json_boolean(county_org(req) && status && strcmp(status, "open") == 0));
}

int api_evaluation_rounds_list(struct request *req, struct reply *rep)
{
  json_t *rounds = evaluations_rounds_json(req->db, &req->scope);
  if (!rounds) return reply_internal(rep);
  size_t i;
  json_t *r;
  json_array_foreach(rounds, i, r) decorate_round(req, r);
  reply_json(rep, 200, json_pack("{s:o, s:b}", "items", rounds, "can_open", county_org(req)));
  return 0;
}

static int reply_round(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *r = evaluations_round_json(req->db, &req->scope, id);
  if (!r) return reply_not_found(req, rep, "考核不存在或不在管辖范围内", NULL);
  decorate_round(req, r);
  reply_json(rep, status, r);
  return 0;
}

int api_evaluation_rounds_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_round(req, rep, id, 200);
}

/* {kind, year}: the round of the caller's county. */
static int round_input(struct request *req, struct reply *rep, const json_t *body, const char **kind, int64_t *year)
{
  static const char *const ALLOWED[] = {"kind", "year", NULL};
  int this_year = date_year(req->today);
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 10, kind) != 0 ||
      field_int(rep, body, "year", true, 2000, 2100, year, NULL) != 0)
    return -1;
  if (strcmp(*kind, "annual") != 0 && strcmp(*kind, "term") != 0)
    return reply_error(rep, 400, "field_invalid", "考核类别应为年度考核（annual）或任期考核（term）", "kind");
  if (*year > this_year || *year < this_year - 2)
    return reply_error(rep, 400, "field_invalid", "只能组织本年度或前两年的考核", "year");
  return 0;
}

/* A round opened (its id set by the store, with the number of evaluations it made) or confirmed. */
struct round_write {
  const struct eval_round_new *n;
  int64_t id;
  int count, cap;
};

static int store_open(struct request *req, struct reply *rep, void *ctx)
{
  struct round_write *r = ctx;
  int w = evaluations_open_round(req->db, r->n, req->now, &r->id, &r->count);
  if (w == DB_OK && r->count == 0) {
    reply_error(rep, 409, "nobody", "该年度本县没有需要参加这类考核的驻村干部", "year");
    return WRITE_TX_REPLIED;
  }
  return w;
}

static int store_confirm(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct round_write *r = ctx;
  return evaluations_confirm(req->db, r->id, r->cap, req->user.id, req->now);
}

static const struct write_error ROUND_EXISTS[] = {
    {DB_CONFLICT, 409, "duplicate", "本县该年度的这类考核已经组织，不能重复组织", "year"}, {0}};
static const struct write_error ROUND_CONFIRMED[] = {
    {DB_CONFLICT, 409, "already_confirmed", "本轮考核已经确认，不能重复确认", NULL}, {0}};

int api_evaluation_rounds_create(struct request *req, struct reply *rep)
{
  if (!county_org(req))
    return reply_error(rep, 403, "forbidden", "驻村干部考核由县（市、区）委组织部组织", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  const char *kind;
  int64_t year;
  char path[96];
  int rc = round_input(req, rep, body, &kind, &year);
  if (rc == 0 && evaluations_county_path(req->db, req->user.region_code, path) != DB_OK)
    rc = reply_error(rep, 403, "scope_invalid", "账号的管辖范围不是县（市、区）", NULL);
  if (rc != 0) { json_decref(body); return -1; }
  struct eval_round_new n = {req->user.region_code, path, kind, (int)year, req->user.id};
  struct round_write r = {.n = &n};
  struct write_tx w = {.store = store_open, .ctx = &r, .errors = ROUND_EXISTS, .action = "evaluation.round_open",
                       .entity = "evaluation_round", .id = &r.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_round(req, rep, r.id, 201);
}

/* 409 unless every evaluation has a result and 优秀 is within the cap. */
static int confirmable(struct request *req, struct reply *rep, int64_t id, int *cap)
{
  int evaluated = 0, decided = 0, excellent = 0;
  if (evaluations_round_counts(req->db, id, &evaluated, &decided, &excellent) != DB_OK) return reply_internal(rep);
  char msg[400];
  if (decided < evaluated) {
    snprintf(msg, sizeof msg, "本轮考核共 %d 人，还有 %d 人未确定考核等次，不能确认", evaluated, evaluated - decided);
    return reply_error(rep, 409, "undecided", msg, NULL);
  }
  long pct = max_percent(req);
  *cap = eval_excellent_cap(evaluated, pct);
  if (excellent > *cap) {
    snprintf(msg, sizeof msg,
             "优秀等次不得超过参加考核人数的 %ld%%（evaluation_excellent_max_percent）：本轮全县参加考核 %d 人，"
             "优秀至多 %d 人，现定为优秀的有 %d 人，请调整后再确认",
             pct, evaluated, *cap, excellent);
    reply_error(rep, 409, "excellent_over_cap", msg, "result");
    json_t *e = json_object_get(rep->json, "error");
    json_object_set_new(e, "cap", json_integer(*cap));
    json_object_set_new(e, "excellent", json_integer(excellent));
    json_object_set_new(e, "evaluated", json_integer(evaluated));
    return -1;
  }
  return 0;
}

int api_evaluation_rounds_confirm(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  if (!county_org(req)) return reply_error(rep, 403, "forbidden", "考核结果由县（市、区）委组织部确认", NULL);
  json_t *round = evaluations_round_json(req->db, &req->scope, id);
  if (!round) return reply_not_found(req, rep, "考核不存在或不在管辖范围内", NULL);
  bool open = strcmp(json_string_value(json_object_get(round, "status")), "open") == 0;
  json_decref(round);
  if (!open) return reply_error(rep, 409, "already_confirmed", "本轮考核已经确认，不能重复确认", NULL);
  int cap = 0;
  if (confirmable(req, rep, id, &cap) != 0) return -1;
  struct round_write r = {.id = id, .cap = cap};
  json_t *detail = json_pack("{s:i}", "excellent_cap", cap);
  struct write_tx w = {.store = store_confirm, .ctx = &r, .errors = ROUND_CONFIRMED,
                       .action = "evaluation.round_confirm", .entity = "evaluation_round", .entity_id = req->params[0],
                       .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  if (rc != 0) return -1;
  return reply_round(req, rep, id, 200);
}

/* ---- one evaluation ---- */

static bool set(const json_t *e, const char *key)
{
  return json_is_string(json_object_get(e, key));
}

static struct eval_state state_of(const json_t *e)
{
  struct eval_state s = {set(e, "report_at"), set(e, "votes_at"), set(e, "township_at"), set(e, "unit_at"),
                         set(e, "result"), strcmp(json_string_value(json_object_get(e, "round_status")), "confirmed") == 0};
  return s;
}

/* The part of the round's year the post covered, as ISO dates. */
static void covered(const json_t *e, char from[DATE_ISO_SIZE], char to[DATE_ISO_SIZE])
{
  const char *pf = json_string_value(json_object_get(e, "period_from")), *pt = json_string_value(json_object_get(e, "period_to"));
  const char *ts = json_string_value(json_object_get(e, "term_start")), *te = json_string_value(json_object_get(e, "term_end"));
  snprintf(from, DATE_ISO_SIZE, "%s", strcmp(ts, pf) > 0 ? ts : pf);
  snprintf(to, DATE_ISO_SIZE, "%s", strcmp(te, pt) < 0 ? te : pt);
}

static const char *duty_zh(const struct request *req, const char *code)
{
  const char *n = policy_list_name(req->app->policy, "duties", req->today, code);
  return n ? n : code;
}

/* The 述职 draft: the cadre's own record of the period, in the first person, to be edited. */
static char *draft_report(const struct request *req, const json_t *e, const json_t *f, const char *from, const char *to)
{
  char logs[600] = "";
  size_t used = 0;
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)json_object_get(f, "logs"), k, v) {
    int w = snprintf(logs + used, sizeof logs - used, "%s%s %lld 篇", used ? "、" : "", duty_zh(req, k),
                     (long long)json_integer_value(v));
    if (w < 0 || (size_t)w >= sizeof logs - used) break;
    used += (size_t)w;
  }
  const json_t *plan = json_object_get(f, "plan");
  char plan_text[200] = "本村本年度帮扶计划尚未录入。";
  if (json_is_object(plan))
    snprintf(plan_text, sizeof plan_text, "本村本年度帮扶计划共 %lld 项事项，平均完成进度 %lld%%。",
             (long long)json_integer_value(json_object_get(plan, "items")),
             (long long)json_integer_value(json_object_get(plan, "progress")));
  char *out = NULL;
  int n = asprintf(&out,
      "%s至%s，本人在%s%s任%s。\n"
      "一、在岗履职：在村 %lld 天；撰写驻村日志 %lld 篇%s%s%s；报送工作报告 %lld 份。\n"
      "二、入户走访：本人走访农户 %lld 户次，全村 %lld 户中本期已走访 %lld 户。\n"
      "三、防返贫监测帮扶：本期本村发现监测线索 %lld 条，风险消除 %lld 户。\n"
      "四、帮扶计划：%s\n"
      "五、学习培训：参加培训 %lld 次，共 %g 学时。\n"
      "六、存在的不足和下一步打算：（请本人填写）",
      from, to, json_string_value(json_object_get(e, "township_name")), json_string_value(json_object_get(e, "village_name")),
      post_zh(json_string_value(json_object_get(e, "post"))),
      (long long)json_integer_value(json_object_get(f, "days_in_village")),
      (long long)json_integer_value(json_object_get(f, "log_total")), used ? "（" : "", logs, used ? "）" : "",
      (long long)json_integer_value(json_object_get(f, "reports")),
      (long long)json_integer_value(json_object_get(f, "own_visits")),
      (long long)json_integer_value(json_object_get(f, "households")),
      (long long)json_integer_value(json_object_get(f, "households_visited")),
      (long long)json_integer_value(json_object_get(f, "cases_raised")),
      (long long)json_integer_value(json_object_get(f, "cases_closed")), plan_text,
      (long long)json_integer_value(json_object_get(f, "training_events")),
      json_number_value(json_object_get(f, "training_hours")));
  return n < 0 ? NULL : out;
}

/* Adds the votes' totals and the groups' Chinese names. */
static void votes_summary(const struct request *req, json_t *e)
{
  json_t *arr = json_object_get(e, "votes");
  if (!json_is_array(arr)) { json_object_set_new(e, "votes", json_array()); return; }
  struct eval_votes v;
  char msg[160];
  const json_t *groups = voter_groups(req);
  /* groups named by an earlier policy: no totals rather than wrong ones */
  if (!groups || eval_votes_from_json(arr, groups, &v, msg, sizeof msg) != 0) memset(&v, 0, sizeof v);
  size_t i;
  json_t *g;
  json_array_foreach(arr, i, g) {
    const char *name = policy_list_name(req->app->policy, "evaluation_voter_groups", req->today,
                                        json_string_value(json_object_get(g, "group")));
    json_object_set_new(g, "group_name", json_string(name ? name : json_string_value(json_object_get(g, "group"))));
  }
  int voters, good, fair, average, poor, permille;
  eval_votes_totals(&v, &voters, &good, &fair, &average, &poor, &permille);
  json_object_set_new(e, "votes_total", json_pack("{s:i, s:i, s:i, s:i, s:i, s:f}", "voters", voters, "good", good,
                                                  "fair", fair, "average", average, "poor", poor, "approval",
                                                  permille / 10.0));
}

/* The facts of the record beside the decision, with the minimum days owed. */
static json_t *facts_of(struct request *req, const json_t *e, char from[DATE_ISO_SIZE], char to[DATE_ISO_SIZE])
{
  covered(e, from, to);
  json_t *f = evaluations_facts_json(req->db, json_integer_value(json_object_get(e, "cadre_id")),
                                     json_string_value(json_object_get(e, "village_code")), from, to,
                                     (int)json_integer_value(json_object_get(e, "year")));
  if (!f) return NULL;
  int a, b;
  long per_month = policy_int(req->app->policy, "min_days_in_village_per_month", req->today);
  int min = date_parse_iso(from, &a) == 0 && date_parse_iso(to, &b) == 0 ? eval_min_days(a, b, per_month) : 0;
  json_object_set_new(f, "from", json_string(from));
  json_object_set_new(f, "to", json_string(to));
  json_object_set_new(f, "min_days_in_village", json_integer(min));
  json_object_set_new(f, "min_days_per_month", json_integer(per_month));
  return f;
}

static void can_flags(const struct request *req, json_t *e)
{
  struct eval_state s = state_of(e);
  const char *code;
  char msg[160];
  bool report = the_cadre(req) && eval_step_allowed(&s, EVAL_REPORT, &code, msg, sizeof msg) == 0;
  json_object_set_new(e, "can_report", json_boolean(report));
  json_object_set_new(e, "can_votes", json_boolean(township(req) && eval_step_allowed(&s, EVAL_VOTES, &code, msg, sizeof msg) == 0));
  json_object_set_new(e, "can_township", json_boolean(township(req) && eval_step_allowed(&s, EVAL_TOWNSHIP, &code, msg, sizeof msg) == 0));
  json_object_set_new(e, "can_unit", json_boolean(unit_leader(req) && eval_step_allowed(&s, EVAL_UNIT, &code, msg, sizeof msg) == 0));
  json_object_set_new(e, "can_result", json_boolean(county_org(req) && eval_step_allowed(&s, EVAL_RESULT, &code, msg, sizeof msg) == 0));
  const char *w = s.round_confirmed ? NULL : eval_waiting_step(&s);
  json_object_set_new(e, "waiting", w ? json_string(w) : json_null());
}

static void names(json_t *e)
{
  const char *r = result_zh(json_string_value(json_object_get(e, "result")));
  json_object_set_new(e, "result_name", r ? json_string(r) : json_null());
  json_object_set_new(e, "round_kind_name", json_string(kind_zh(json_string_value(json_object_get(e, "round_kind")))));
  json_object_set_new(e, "post_name", json_string(post_zh(json_string_value(json_object_get(e, "post")))));
}

static json_t *detail(struct request *req, int64_t id)
{
  json_t *e = evaluations_get_json(req->db, &req->scope, id);
  if (!e) return NULL;
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];
  json_t *f = facts_of(req, e, from, to);
  if (!f) { json_decref(e); return NULL; }
  names(e);
  votes_summary(req, e);
  can_flags(req, e);
  /* the draft only for the cadre, while the 述职 is not submitted and was never saved */
  if (!set(e, "report_text") && json_is_true(json_object_get(e, "can_report"))) {
    char *draft = draft_report(req, e, f, from, to);
    if (draft) json_object_set_new(e, "report_draft", json_string(draft));
    free(draft);
  }
  json_object_set_new(e, "facts", f);
  const json_t *groups = voter_groups(req);
  json_object_set_new(e, "voter_groups", groups ? json_deep_copy(groups) : json_array());
  json_object_set_new(e, "clauses", json_pack("[s, s, s]", "1.3c", "1.4", "3.7"));
  return e;
}

static int reply_evaluation(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *e = detail(req, id);
  if (!e) return reply_not_found(req, rep, "考核记录不存在或不在管辖范围内", NULL);
  reply_json(rep, status, e);
  return 0;
}

int api_evaluations_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_evaluation(req, rep, id, 200);
}

static int query_id(struct request *req, struct reply *rep, const char *name, int64_t *out)
{
  const char *s;
  *out = 0;
  if (query_text(req, rep, name, 19, &s) != 0) return -1;
  if (!s || !*s) return 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v <= 0) return reply_error(rep, 400, "field_invalid", "编号应为正整数", name);
  *out = v;
  return 0;
}

int api_evaluations_list(struct request *req, struct reply *rep)
{
  struct eval_filter f = {0};
  int page, page_size;
  enum eval_step step;
  if (query_page(req, rep, &page, &page_size) != 0 || query_id(req, rep, "round", &f.round_id) != 0 ||
      query_text(req, rep, "township", 12, &f.township) != 0 || query_text(req, rep, "waiting", 10, &f.waiting) != 0 ||
      query_text(req, rep, "result", 24, &f.result) != 0 || query_id(req, rep, "cadre", &f.cadre_id) != 0)
    return -1;
  if (f.township && !*f.township) f.township = NULL;
  if (f.waiting && !*f.waiting) f.waiting = NULL;
  if (f.result && !*f.result) f.result = NULL;
  if (f.waiting && (eval_step_parse(f.waiting, &step) != 0))
    return reply_error(rep, 400, "field_invalid", "所处环节（waiting）应为述职（report）、民主测评（votes）、乡镇党委意见（township）、派出单位意见（unit）或考核结果（result）", "waiting");
  if (f.result && !result_zh(f.result))
    return reply_error(rep, 400, "field_invalid", "考核等次应为 excellent、competent、basically_competent 或 incompetent", "result");
  json_t *list = evaluations_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  if (!list) return reply_internal(rep);
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(list, "items"), i, e) {
    names(e);
    votes_summary(req, e);
    can_flags(req, e);
    json_object_del(e, "report_text");
  }
  static const char *const COLUMNS[][2] = {{"year", "年度"}, {"round_kind_name", "考核类别"}, {"township_name", "乡镇"},
                                           {"village_name", "村"}, {"cadre_name", "姓名"}, {"post_name", "岗位"},
                                           {"unit_name", "派出单位"}, {"result_name", "考核等次"}, {NULL, NULL}};
  return handler_reply_list(req, rep, list, COLUMNS, "驻村干部考核");
}

/* ---- the steps ---- */

static bool role_for(const struct request *req, enum eval_step step)
{
  switch (step) {
  case EVAL_REPORT: return the_cadre(req);
  case EVAL_VOTES:
  case EVAL_TOWNSHIP: return township(req);
  case EVAL_UNIT: return unit_leader(req);
  case EVAL_RESULT: return county_org(req);
  }
  return false;
}

static const char *const WHO_ZH[] = {"述职报告由驻村干部本人提交", "民主测评由乡镇党委组织并录入",
                                     "乡镇党委意见由乡镇党委书记或组织委员填写", "派出单位意见由派出单位主要领导或分管领导填写",
                                     "考核等次由县（市、区）委组织部确定"};

/* The evaluation in scope (404), the caller's role for the step (403), the step's turn (409) and the
 * version read (409 stale). */
static int step_gate(struct request *req, struct reply *rep, int64_t id, enum eval_step step, int64_t version)
{
  json_t *e = evaluations_get_json(req->db, &req->scope, id);
  if (!e) return reply_not_found(req, rep, "考核记录不存在或不在管辖范围内", NULL);
  struct eval_state s = state_of(e);
  int64_t current = json_integer_value(json_object_get(e, "version"));
  json_decref(e);
  if (!role_for(req, step)) return reply_error(rep, 403, "forbidden", WHO_ZH[step], NULL);
  const char *code;
  char msg[200];
  if (eval_step_allowed(&s, step, &code, msg, sizeof msg) != 0) return reply_error(rep, 409, code, msg, NULL);
  if (current != version) return reply_error(rep, 409, "stale", "考核记录已被他人更新，请刷新后再办理", "version");
  return 0;
}

/* A step's write on one evaluation, guarded by the version it was read at. */
struct step_write {
  int (*call)(struct request *req, const struct step_write *s);
  int64_t id, version;
  const char *text, *who, *source, *result, *comment;
  bool submit;
};

static int call_report(struct request *req, const struct step_write *s)
{
  return evaluations_save_report(req->db, s->id, s->version, s->text, s->submit, req->now);
}

static int call_votes(struct request *req, const struct step_write *s)
{
  return evaluations_set_votes(req->db, s->id, s->version, s->text, s->source, req->user.id, req->now);
}

static int call_opinion(struct request *req, const struct step_write *s)
{
  return evaluations_set_opinion(req->db, s->id, s->version, s->who, s->text, req->user.id, req->now);
}

static int call_result(struct request *req, const struct step_write *s)
{
  return evaluations_set_result(req->db, s->id, s->version, s->result, s->comment, req->user.id, req->now);
}

static int store_step(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct step_write *s = ctx;
  return s->call(req, s);
}

/* A guarded update that matched nothing was a double submission. */
static const struct write_error STEP_STALE[] = {
    {DB_CONFLICT, 409, "stale", "考核记录已被他人更新或已提交，请刷新后查看", "version"}, {0}};

/* Runs a step's write with its audit row, and answers the evaluation. */
static int finish_step(struct request *req, struct reply *rep, struct step_write *s, const char *action, json_t *body)
{
  char audit[40];
  snprintf(audit, sizeof audit, "evaluation.%s", action);
  struct write_tx w = {.store = store_step, .ctx = s, .errors = STEP_STALE, .action = audit, .entity = "evaluation",
                       .entity_id = req->params[0], .detail = body};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  return reply_evaluation(req, rep, s->id, 200);
}

int api_evaluations_report(struct request *req, struct reply *rep)
{
  int64_t id, version;
  json_t *body;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"version", "text", "submit", NULL};
  const char *text;
  bool submit = false, has = false;
  int rc = fields_allowed(rep, body, ALLOWED) != 0 || field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ||
           field_text(rep, body, "text", true, REPORT_MAX_CHARS, &text) != 0 ||
           field_bool(rep, body, "submit", false, &submit, &has) != 0 ? -1 : 0;
  if (rc == 0 && submit && strlen(text) < 30)
    rc = reply_error(rep, 400, "field_invalid", "述职报告过短，请如实写明一年来的履职情况（不少于 10 个字）", "text");
  if (rc == 0) rc = step_gate(req, rep, id, EVAL_REPORT, version);
  if (rc != 0) { json_decref(body); return -1; }
  struct step_write s = {.call = call_report, .id = id, .version = version, .text = text, .submit = submit};
  rc = finish_step(req, rep, &s, submit ? "report_submit" : "report_save", body);
  json_decref(body);
  return rc;
}

static int votes_step(struct request *req, struct reply *rep, int64_t id, int64_t version, const json_t *body)
{
  struct eval_votes v;
  char msg[200];
  const json_t *groups = voter_groups(req);
  if (!groups) return reply_internal(rep);
  if (eval_votes_from_json(json_object_get(body, "votes"), groups, &v, msg, sizeof msg) != 0)
    return reply_error(rep, 400, "field_invalid", msg, "votes");
  if (step_gate(req, rep, id, EVAL_VOTES, version) != 0) return -1;
  json_t *arr = eval_votes_json(&v);
  char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
  json_decref(arr);
  if (!text) return reply_internal(rep);
  struct step_write s = {.call = call_votes, .id = id, .version = version, .text = text, .source = "form"};
  int rc = finish_step(req, rep, &s, "votes", (json_t *)body);
  free(text);
  return rc;
}

static int opinion_step(struct request *req, struct reply *rep, int64_t id, int64_t version, enum eval_step step,
                        const json_t *body)
{
  const char *text;
  if (field_text(rep, body, "opinion", true, OPINION_MAX_CHARS, &text) != 0) return -1;
  if (!*text) return reply_error(rep, 400, "field_required", "请填写意见", "opinion");
  if (step_gate(req, rep, id, step, version) != 0) return -1;
  const char *who = step == EVAL_TOWNSHIP ? "township" : "unit";
  struct step_write s = {.call = call_opinion, .id = id, .version = version, .text = text, .who = who};
  return finish_step(req, rep, &s, step == EVAL_TOWNSHIP ? "township_opinion" : "unit_opinion", (json_t *)body);
}

static int result_step(struct request *req, struct reply *rep, int64_t id, int64_t version, const json_t *body)
{
  const char *result, *comment = NULL;
  if (field_string(rep, body, "result", true, 24, &result) != 0 ||
      field_text(rep, body, "comment", false, OPINION_MAX_CHARS, &comment) != 0)
    return -1;
  if (!result_zh(result))
    return reply_error(rep, 400, "field_invalid", "考核等次应为优秀、称职、基本称职或不称职", "result");
  if (step_gate(req, rep, id, EVAL_RESULT, version) != 0) return -1;
  struct step_write s = {.call = call_result, .id = id, .version = version, .result = result, .comment = comment};
  return finish_step(req, rep, &s, "result", (json_t *)body);
}

int api_evaluations_step(struct request *req, struct reply *rep)
{
  int64_t id, version;
  json_t *body;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"step", "version", "votes", "opinion", "result", "comment", NULL};
  const char *name;
  enum eval_step step = EVAL_REPORT;
  int rc = fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "step", true, 10, &name) != 0 ||
           field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ? -1 : 0;
  if (rc == 0 && (eval_step_parse(name, &step) != 0 || step == EVAL_REPORT))
    rc = reply_error(rep, 400, "field_invalid", "办理环节（step）应为民主测评（votes）、乡镇党委意见（township）、派出单位意见（unit）或考核结果（result）；述职报告另行提交", "step");
  if (rc == 0) {
    if (step == EVAL_VOTES) rc = votes_step(req, rep, id, version, body);
    else if (step == EVAL_RESULT) rc = result_step(req, rep, id, version, body);
    else rc = opinion_step(req, rep, id, version, step, body);
  }
  json_decref(body);
  return rc;
}

/* POST /evaluations/:id/votes/import?version=N: the 民主测评 sheet (.xlsx or .csv), all or nothing. */
int api_evaluations_votes_import(struct request *req, struct reply *rep)
{
  int64_t id, version;
  if (param_id(req, rep, 0, &id) != 0 || query_id(req, rep, "version", &version) != 0) return -1;
  if (!version) return reply_error(rep, 400, "field_required", "须注明所依据的考核记录版本（?version=）", "version");
  const json_t *groups = voter_groups(req);
  if (!groups) return reply_internal(rep);
  json_t *rows = json_array(), *errors = json_array();
  struct eval_votes v;
  int rc = handler_import_rows(req, rep, rows);
  if (rc == 0 && eval_votes_from_rows(rows, groups, &v, errors) != 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "共发现 %zu 处错误，未导入；请按行列修改后重新导入", json_array_size(errors));
    rc = reply_error(rep, 422, "import_invalid", msg, NULL);
    json_object_set(json_object_get(rep->json, "error"), "errors", errors);
  }
  if (rc == 0) rc = step_gate(req, rep, id, EVAL_VOTES, version);
  json_decref(rows);
  json_decref(errors);
  if (rc != 0) return -1;
  json_t *arr = eval_votes_json(&v);
  char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
  if (!text) { json_decref(arr); return reply_internal(rep); }
  struct step_write s = {.call = call_votes, .id = id, .version = version, .text = text, .source = "sheet"};
  json_t *audit = json_pack("{s:o}", "votes", arr);
  rc = finish_step(req, rep, &s, "votes_import", audit);
  free(text);
  json_decref(audit);
  return rc;
}
