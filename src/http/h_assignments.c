/* h_assignments — rotation batches (集中轮换, 1.1), nominations checked by the engine
 * (1.3, 1.9), the two departments' approvals (1.5), adjustments for a reason of 1.2, recalls
 * (1.8), and the 15-day handover (1.6). Every write is one transaction with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/eligibility.h"
#include "core/policy.h"
#include "http/not_found.h"
#include "http/sender.h"
#include "store/notifications.h"
#include "store/webhook_events.h"
#include "http/day_start.h"
#include "http/record_input.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/assignments.h"
#include "store/cadres.h"
#include "store/db.h"
#include "store/post_life.h"
#include "store/regions.h"


static int parse_iso_field(struct reply *rep, const json_t *body, const char *name, bool required, const char **s,
                           int *date)
{
  if (field_string(rep, body, name, required, 10, s) != 0) return -1;
  if (*s && (date_parse_iso(*s, date) != 0 || *date < 20000101 || *date > 21001231))
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", name);
  return 0;
}

/* A write on a post: a batch or a nomination created (its id set by the store), a decision, a
 * withdrawal, an adjustment or recall opened, a handover ticked or confirmed. */
struct post_write {
  int64_t id, new_id;
  const char *name, *opens, *closes, *start;
  const struct nomination *nomination;
  const struct decision *decision;
  const char *reason, *explanation, *accountability, *village;
  bool recall, done;
  int effective_on, item;
};

static int store_batch(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct post_write *p = ctx;
  return assignments_batch_create(req->db, p->name, req->user.region_code, p->opens, p->closes, p->start, &req->user,
                                  req->now, &p->new_id);
}

static int store_nominate(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct post_write *p = ctx;
  int w = assignments_insert(req->db, p->nomination, &req->user, req->now, &p->new_id);
  if (w == DB_OK) w = notifications_nomination_pending(req->db, p->new_id, p->nomination->post, req->now); /* 1.5: the approvers */
  return w;
}

static int decision_error(struct reply *rep, enum decision_result r);

static int store_decide(struct request *req, struct reply *rep, void *ctx)
{
  const struct post_write *p = ctx;
  enum decision_result result = DECISION_OK;
  int w = assignments_decide(req->db, p->id, p->decision, &req->user, req->now, &result);
  if ((w == DB_OK || w == DB_CONFLICT) && result != DECISION_OK) {
    decision_error(rep, result);
    return WRITE_TX_REPLIED;
  }
  if (w == DB_OK) w = notifications_nomination_decided(req->db, p->id, req->now); /* the unit, once decided */
  if (w == DB_OK) w = webhook_events_post_changed(req->db, p->id, "decided", req->now); /* 数据推送 (issue 13) */
  return w;
}

static int store_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return assignments_withdraw(req->db, ((const struct post_write *)ctx)->id, &req->user, req->now, "派出单位撤回");
}

static int store_adjustment(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct post_write *p = ctx;
  int w = assignments_open_adjustment(req->db, p->id, p->reason, p->explanation, p->recall, p->accountability,
                                      p->recall ? p->effective_on : 0, &req->user, req->now, &p->new_id);
  if (w == DB_OK && p->recall) { /* a recall effective today ends the post now */
    struct post_rules rules;
    day_post_rules(req, &rules);
    w = post_life_settle(req->db, &rules, req->today, req->now, p->village, NULL);
  }
  if (w == DB_OK) w = webhook_events_post_changed(req->db, p->id, p->recall ? "recall" : "adjustment", req->now);
  return w;
}

static int store_tick(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct post_write *p = ctx;
  return assignments_handover_tick(req->db, p->id, p->item, p->done, &req->user, req->now);
}

static int store_handover_confirm(struct request *req, struct reply *rep, void *ctx)
{
  const struct post_write *p = ctx;
  enum handover_result result;
  int w = assignments_handover_confirm(req->db, p->id, req->today, &req->user, req->now, &result);
  if (w == DB_OK && result != HANDOVER_OK) {
    reply_error(rep, 409, result == HANDOVER_CHECKLIST_OPEN ? "checklist_open" : "already_done",
                result == HANDOVER_CHECKLIST_OPEN ? "交接清单尚有未完成事项" : "交接清单已确认", NULL);
    return WRITE_TX_REPLIED;
  }
  return w;
}

static const struct write_error ALREADY_POSTED[] = {
    {DB_CONFLICT, 409, "conflict", "该干部已在岗或已有待审批的选派", "cadre_id"}, {0}};
static const struct write_error ADJUSTMENT_OPEN[] = {
    {DB_CONFLICT, 409, "conflict", "该驻村干部已有未办结的调整", NULL}, {0}};
static const struct write_error NO_ITEM[] = {
    {DB_NOT_FOUND, 409, "conflict", "交接已完成，或清单中没有该项", "item"}, {0}};

/* ---- batches ---- */

int api_batches_list(struct request *req, struct reply *rep)
{
  json_t *out = assignments_batches_json(req->db, &req->scope);
  if (!out) return reply_internal(rep);
  reply_json(rep, 200, out);
  return 0;
}

int api_batches_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"name", "opens_on", "closes_on", "term_start", NULL};
  const char *name, *opens, *closes, *start;
  int o, c, t, rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "name", true, 60, &name) != 0 ||
      parse_iso_field(rep, body, "opens_on", true, &opens, &o) != 0 ||
      parse_iso_field(rep, body, "closes_on", true, &closes, &c) != 0 ||
      parse_iso_field(rep, body, "term_start", true, &start, &t) != 0)
    goto out;
  if (c < o) { rc = reply_error(rep, 400, "field_invalid", "截止日期不能早于开始日期", "closes_on"); goto out; }
  if (t < o) { rc = reply_error(rep, 400, "field_invalid", "任期开始日期不能早于轮换开始日期", "term_start"); goto out; }
  /* the batch belongs to the official's own region: the city or the county */
  struct post_write p = {.name = name, .opens = opens, .closes = closes, .start = start};
  struct write_tx w = {.store = store_batch, .ctx = &p, .action = "batch.create", .entity = "rotation_batch",
                       .id = &p.new_id, .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 201, assignments_batches_json(req->db, &req->scope));
  return 0;
}

/* ---- nominations ---- */

struct nomination_input {
  int64_t cadre_id, unit_id, batch_id, adjustment_id;
  const char *village, *post_text, *justification, *start;
  enum post post;
  int start_date;
};

static int read_nomination(struct request *req, struct reply *rep, const json_t *body, struct nomination_input *n)
{
  static const char *const ALLOWED[] = {"cadre_id", "unit_id", "village_code", "post", "batch_id", "adjustment_id",
                                        "justification", "start_date", NULL};
  memset(n, 0, sizeof *n);
  bool has;
  if (fields_allowed(rep, body, ALLOWED) != 0 ||
      field_int(rep, body, "cadre_id", true, 1, INT64_MAX, &n->cadre_id, &has) != 0 ||
      field_int(rep, body, "unit_id", true, 1, INT64_MAX, &n->unit_id, &has) != 0 ||
      field_int(rep, body, "batch_id", false, 1, INT64_MAX, &n->batch_id, &has) != 0 ||
      field_int(rep, body, "adjustment_id", false, 1, INT64_MAX, &n->adjustment_id, &has) != 0 ||
      field_string(rep, body, "village_code", !n->adjustment_id, 12, &n->village) != 0 ||
      field_string(rep, body, "post", !n->adjustment_id, 20, &n->post_text) != 0 ||
      field_string(rep, body, "justification", false, 1000, &n->justification) != 0 ||
      parse_iso_field(rep, body, "start_date", false, &n->start, &n->start_date) != 0)
    return -1;
  if (n->post_text && eligibility_post_parse(n->post_text, &n->post) != 0)
    return reply_error(rep, 400, "field_invalid", "职务应为 first_secretary、team_leader 或 team_member", "post");
  if (!n->batch_id == !n->adjustment_id)
    return reply_error(rep, 400, "outside_rotation",
                       "选派须属于一个集中轮换批次（batch_id），轮换之外的变动须作为调整（adjustment_id）办理（1.1）", "batch_id");
  return 0;
}

/* Rotation: within the batch's window, a village under the batch's region. */
static int check_batch(struct request *req, struct reply *rep, struct nomination_input *n, char term_start[11])
{
  char opens[11], closes[11], region_path[96];
  int rc = assignments_batch_window(req->db, n->batch_id, opens, closes, term_start, region_path);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 400, "field_invalid", "轮换批次不存在", "batch_id");
  if (rc != DB_OK) return reply_internal(rep);
  char now[DATE_ISO_SIZE];
  date_format_iso(req->today, now);
  if (strcmp(now, opens) < 0 || strcmp(now, closes) > 0) {
    char msg[200];
    snprintf(msg, sizeof msg, "不在该批次的集中轮换时间内（%s 至 %s）；轮换之外的变动须作为调整办理（1.1）", opens, closes);
    return reply_error(rep, 409, "outside_window", msg, "batch_id");
  }
  struct scope all = {.kind = SCOPE_KIND_NONE};
  char path[96], level[16];
  if (regions_lookup(req->db, &all, n->village, path, level) != DB_OK || strcmp(level, "village") != 0)
    return reply_error(rep, 400, "field_invalid", "村（社区）代码不存在", "village_code");
  if (strncmp(path, region_path, strlen(region_path)) != 0)
    return reply_error(rep, 400, "field_invalid", "该村不在本批次的轮换范围内", "village_code");
  if (!n->start) date_parse_iso(term_start, &n->start_date);
  return 0;
}

/* Adjustment: the replacement takes the outgoing cadre's village and post. */
static int check_adjustment(struct request *req, struct reply *rep, struct nomination_input *n, json_t **outgoing)
{
  json_t *adj = assignments_adjustment_json(req->db, n->adjustment_id);
  if (!adj) return reply_error(rep, 400, "field_invalid", "调整申请不存在", "adjustment_id");
  const char *status = json_string_value(json_object_get(adj, "status"));
  int64_t out_id = json_integer_value(json_object_get(adj, "outgoing_assignment_id"));
  bool open = strcmp(status, "open") == 0;
  json_decref(adj);
  if (!open) return reply_error(rep, 409, "conflict", "该调整申请已有人选或已办结", "adjustment_id");
  *outgoing = assignments_get_json(req->db, &req->scope, out_id);
  if (!*outgoing) return reply_not_found(req, rep, "调整对象不在管辖范围内", "adjustment_id");
  n->village = json_string_value(json_object_get(*outgoing, "village_code"));
  n->post_text = json_string_value(json_object_get(*outgoing, "post"));
  eligibility_post_parse(n->post_text, &n->post);
  if (!n->start) n->start_date = req->today;
  return 0;
}

static json_t *reasons_array(json_t *judgement)
{
  return json_object_get(judgement, "reasons");
}

int api_assignments_create(struct request *req, struct reply *rep)
{
  json_t *body, *outgoing = NULL, *judgement = NULL;
  if (body_object(req, rep, &body) != 0) return -1;
  struct nomination_input n;
  char term_start[11] = "";
  int rc = -1;
  int64_t id = 0;
  if (read_nomination(req, rep, body, &n) != 0) goto out;
  if (n.batch_id ? check_batch(req, rep, &n, term_start) != 0 : check_adjustment(req, rep, &n, &outgoing) != 0) goto out;
  json_t *c = cadres_get_json(req->db, &req->scope, n.cadre_id);
  if (!c) { rc = reply_not_found(req, rep, "干部不存在或不在管辖范围内", "cadre_id"); goto out; }
  json_decref(c);
  if (handler_unit_in_scope(req, rep, n.unit_id) != 0) goto out;
  char approval[16];
  if (assignments_approval_region(req->db, n.unit_id, approval) != DB_OK) {
    rc = reply_error(rep, 400, "unit_township", "乡镇（街道）不得作为派出单位（1.3b）", "unit_id");
    goto out;
  }
  struct eligibility_result r;
  if (handler_judge(req, rep, n.cadre_id, n.unit_id, n.post, n.start_date, &r) != 0) goto out;
  judgement = eligibility_result_json(&r);
  if (r.verdict == VERDICT_BLOCKED) {
    rc = reply_error(rep, 422, "not_eligible", "该干部不得选派，原因见 reasons", "cadre_id");
    json_object_set(json_object_get(rep->json, "error"), "reasons", reasons_array(judgement));
    goto out;
  }
  if (r.verdict == VERDICT_NEEDS_JUSTIFICATION && (!n.justification || !*n.justification)) {
    rc = reply_error(rep, 400, "justification_required", "不符合“原则上”要求，须填写书面理由（justification）并经审批", "justification");
    json_object_set(json_object_get(rep->json, "error"), "reasons", reasons_array(judgement));
    goto out;
  }
  long years = policy_int(req->app->policy, "term_years", n.start_date);
  char start[DATE_ISO_SIZE], end[DATE_ISO_SIZE];
  date_format_iso(n.start_date, start);
  date_format_iso(date_add_days(date_add_months(n.start_date, 12 * (years > 0 ? years : 2)), -1), end);
  char *reasons_text = json_dumps(reasons_array(judgement), JSON_COMPACT);
  struct nomination nom = {n.cadre_id, n.unit_id, n.batch_id, n.adjustment_id, n.village, eligibility_post_name(n.post),
                           n.batch_id ? "rotation" : "adjustment",
                           r.verdict == VERDICT_NEEDS_JUSTIFICATION ? n.justification : NULL, start, end, approval,
                           eligibility_verdict_name(r.verdict), reasons_text, "pending"};
  struct post_write p = {.nomination = &nom};
  struct write_tx w = {.store = store_nominate, .ctx = &p, .errors = ALREADY_POSTED, .action = "assignment.nominate",
                       .entity = "assignment", .id = &p.new_id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  free(reasons_text);
  id = p.new_id;
  if (rc == 0) sender_wake();
out:
  json_decref(judgement);
  json_decref(outgoing);
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 201, assignments_get_json(req->db, &req->scope, id));
  return 0;
}

static const char *const ASSIGNMENT_EXPORT[][2] = {
  {"id", "编号"}, {"cadre_name", "姓名"}, {"id_number", "身份证号（脱敏）"}, {"unit_name", "派出单位"},
  {"township_name", "乡镇"}, {"village_name", "村"}, {"post_name", "职务"}, {"status_name", "状态"},
  {"verdict", "资格结论"}, {"org_decision", "组织部门"}, {"rrb_decision", "乡村振兴部门"},
  {"start_date", "任期开始"}, {"term_end", "任期结束"}, {NULL, NULL}};

int api_assignments_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *status, *village, *inbox;
  struct assignment_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "status", 16, &status) != 0 ||
      query_text(req, rep, "village", 12, &village) != 0 || query_text(req, rep, "inbox", 4, &inbox) != 0)
    return -1;
  f.status = status && *status ? status : NULL;
  f.village_code = village && *village ? village : NULL;
  const char *batch = request_query(req, "batch");
  if (batch && *batch) f.batch_id = atoll(batch);
  if (inbox && strcmp(inbox, "1") == 0) {
    /* the approval inbox of one of the two departments (1.5) */
    f.inbox_department = roles_department(req->user.role);
    if (!f.inbox_department) return reply_error(rep, 403, "forbidden", "只有组织部门和乡村振兴部门有审批待办", "inbox");
    f.inbox_region = req->user.region_code;
  }
  json_t *list = assignments_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, ASSIGNMENT_EXPORT, "选派");
}

int api_assignments_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *a = assignments_get_json(req->db, &req->scope, id);
  if (!a) return reply_not_found(req, rep, "选派记录不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, a);
  return 0;
}

/* The assignment named in the path, in scope; the caller owns *out. */
static int assignment_in_scope(struct request *req, struct reply *rep, int64_t *id, json_t **out)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  *out = assignments_get_json(req->db, &req->scope, *id);
  if (!*out) return reply_not_found(req, rep, "选派记录不存在或不在管辖范围内", NULL);
  return 0;
}

static int decision_error(struct reply *rep, enum decision_result r)
{
  switch (r) {
  case DECISION_STALE: return reply_error(rep, 409, "stale", "该记录已被他人更新，请刷新后再审批", "version");
  case DECISION_DUPLICATE: return reply_error(rep, 409, "duplicate_decision", "本部门已作出审批决定，不能重复审批", NULL);
  case DECISION_NOT_PENDING: return reply_error(rep, 409, "not_pending", "该选派不在待审批状态", NULL);
  case DECISION_NOT_APPROVER: return reply_error(rep, 403, "not_approver", "须由派出单位同级的组织部门和乡村振兴部门审批（1.5）", NULL);
  case DECISION_NEEDS_SIGNOFF:
    return reply_error(rep, 400, "exception_signoff_required", "该人选不符合“原则上”要求，同意前须确认例外审批（exception_approved）", "exception_approved");
  case DECISION_SEAT_TAKEN:
    return reply_error(rep, 409, "first_secretary_taken",
                       "该村第一书记岗位已有获批人选或正在交接，同一村同一时间只能有一名第一书记（交接过渡期除外）", NULL);
  case DECISION_OK: break;
  }
  return 0;
}

static json_t *handover_checklist(const struct policy *p, int today)
{
  const struct policy_param *param = policy_param(p, "handover_checklist", today);
  json_t *items = json_array();
  size_t i;
  json_t *v;
  if (param && json_is_array(param->value))
    json_array_foreach(param->value, i, v)
      if (json_is_string(v)) json_array_append_new(items, json_pack("{s:O, s:b}", "item", v, "done", 0));
  return items;
}

int api_assignments_decide(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *a, *body = NULL;
  if (assignment_in_scope(req, rep, &id, &a) != 0) return -1;
  int rc = -1;
  static const char *const ALLOWED[] = {"decision", "comment", "version", "exception_approved", NULL};
  const char *decision, *comment;
  int64_t version;
  bool has, signed_off = false;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_string(rep, body, "decision", true, 10, &decision) != 0 ||
      field_string(rep, body, "comment", false, 500, &comment) != 0 ||
      field_int(rep, body, "version", true, 1, INT64_MAX, &version, &has) != 0 ||
      field_bool(rep, body, "exception_approved", false, &signed_off, &has) != 0)
    goto out;
  if (strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0) {
    rc = reply_error(rep, 400, "field_invalid", "审批意见（decision）应为批准（approve）或不批准（reject）", "decision");
    goto out;
  }
  const char *dept = roles_department(req->user.role);
  const char *approval = json_string_value(json_object_get(a, "approval_region"));
  if (!dept || strcmp(req->user.region_code, approval) != 0) { rc = decision_error(rep, DECISION_NOT_APPROVER); goto out; }
  if (strcmp(decision, "reject") == 0 && (!comment || !*comment)) {
    rc = reply_error(rep, 400, "field_required", "不同意时须填写意见", "comment");
    goto out;
  }
  json_t *checklist = handover_checklist(req->app->policy, req->today);
  char *checklist_text = json_dumps(checklist, JSON_COMPACT);
  json_decref(checklist);
  struct post_rules rules;
  day_post_rules(req, &rules);
  struct decision d = {dept, strcmp(decision, "approve") == 0, comment, version, signed_off, req->today, &rules,
                       checklist_text};
  struct post_write p = {.id = id, .decision = &d};
  struct write_tx w = {.store = store_decide, .ctx = &p, .action = d.approve ? "assignment.approve" : "assignment.reject",
                       .entity = "assignment", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
  free(checklist_text);
  if (rc == 0) sender_wake();
out:
  json_decref(a);
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 200, assignments_get_json(req->db, &req->scope, id));
  return 0;
}

int api_assignments_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *a;
  if (assignment_in_scope(req, rep, &id, &a) != 0) return -1;
  bool pending = strcmp(json_string_value(json_object_get(a, "status")), "pending") == 0;
  json_decref(a);
  if (!pending) return reply_error(rep, 409, "not_pending", "只能撤回待审批的选派", NULL);
  struct post_write p = {.id = id};
  struct write_tx w = {.store = store_withdraw, .ctx = &p, .action = "assignment.withdraw", .entity = "assignment",
                       .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  reply_json(rep, 200, assignments_get_json(req->db, &req->scope, id));
  return 0;
}

/* ---- adjustments (1.2) and recalls (1.8) ---- */

static int open_adjustment(struct request *req, struct reply *rep, bool recall)
{
  int64_t id, adj_id = 0;
  json_t *a, *body = NULL;
  if (assignment_in_scope(req, rep, &id, &a) != 0) return -1;
  int rc = -1;
  static const char *const ADJUST[] = {"reason", "explanation", NULL};
  static const char *const RECALL[] = {"explanation", "accountability", "effective_on", NULL};
  const char *reason = "failing_duties", *explanation = NULL, *accountability = NULL, *effective = NULL;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, recall ? RECALL : ADJUST) != 0 ||
      (!recall && field_string(rep, body, "reason", true, 30, &reason) != 0) ||
      field_string(rep, body, "explanation", recall, 1000, &explanation) != 0 ||
      (recall && field_string(rep, body, "accountability", true, 1000, &accountability) != 0) ||
      (recall && field_string(rep, body, "effective_on", false, 10, &effective) != 0))
    goto out;
  /* 1.8: the recall takes effect on a day the county names, today at the earliest (a recall
   * cannot undo days already served); from that day the cadre no longer holds the post */
  int effective_on = req->today;
  if (effective && *effective) {
    if (rec_date(req, rep, effective, "effective_on", true, &effective_on) != 0) goto out;
    if (effective_on < req->today) {
      rc = reply_error(rep, 400, "field_invalid", "召回生效日期不能早于今天（1.8）", "effective_on");
      goto out;
    }
  }
  if (!policy_list_item(req->app->policy, "adjustment_reasons", req->today, reason)) {
    rc = reply_error(rep, 400, "field_invalid", "调整原因须为因病、工作单位变动、履职不力或其他（1.2）", "reason");
    goto out;
  }
  if (strcmp(reason, "other") == 0 && (!explanation || !*explanation)) {
    rc = reply_error(rep, 400, "field_required", "原因为“其他”时须书面说明（1.2）", "explanation");
    goto out;
  }
  if (strcmp(json_string_value(json_object_get(a, "status")), "active") != 0) {
    rc = reply_error(rep, 409, "not_active", "只能对在岗的驻村干部申请调整或召回", NULL);
    goto out;
  }
  int term_end = 0;
  date_parse_iso(json_string_value(json_object_get(a, "term_end")), &term_end);
  if (recall && effective_on > term_end) {
    rc = reply_error(rep, 400, "field_invalid", "召回生效日期晚于任期届满日，任期届满即自然离任（1.1）", "effective_on");
    goto out;
  }
  struct post_write p = {.id = id, .reason = reason, .explanation = explanation, .accountability = accountability,
                         .village = json_string_value(json_object_get(a, "village_code")), .recall = recall,
                         .effective_on = effective_on};
  struct write_tx w = {.store = store_adjustment, .ctx = &p, .errors = ADJUSTMENT_OPEN,
                       .action = recall ? "assignment.recall" : "assignment.adjustment", .entity = "assignment",
                       .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
  adj_id = p.new_id;
out:
  json_decref(a);
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 201, assignments_adjustment_json(req->db, adj_id));
  return 0;
}

int api_assignments_adjust(struct request *req, struct reply *rep) { return open_adjustment(req, rep, false); }
int api_assignments_recall(struct request *req, struct reply *rep) { return open_adjustment(req, rep, true); }

/* ---- handover (1.6) ---- */

int api_handovers_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *h = assignments_handover_json(req->db, &req->scope, id);
  if (!h) return reply_not_found(req, rep, "交接记录不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, h);
  return 0;
}

int api_handovers_tick(struct request *req, struct reply *rep)
{
  int64_t id, item;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *h = assignments_handover_json(req->db, &req->scope, id);
  if (!h) return reply_not_found(req, rep, "交接记录不存在或不在管辖范围内", NULL);
  json_decref(h);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"item", "done", NULL};
  bool done = false, has;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) == 0 && field_int(rep, body, "item", true, 0, 50, &item, &has) == 0 &&
      field_bool(rep, body, "done", true, &done, &has) == 0) {
    struct post_write p = {.id = id, .item = (int)item, .done = done};
    struct write_tx w = {.store = store_tick, .ctx = &p, .errors = NO_ITEM, .action = "handover.tick",
                         .entity = "handover", .entity_id = req->params[0], .detail = body};
    rc = write_tx_run(req, rep, &w);
  }
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 200, assignments_handover_json(req->db, &req->scope, id));
  return 0;
}

/* 1.6: confirming the checklist records what was handed over; it neither ends the handover early
 * nor extends it (day 16 belongs to the incoming cadre alone whatever the checklist says). */
int api_handovers_complete(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *h = assignments_handover_json(req->db, &req->scope, id);
  if (!h) return reply_not_found(req, rep, "交接记录不存在或不在管辖范围内", NULL);
  json_decref(h);
  struct post_write p = {.id = id};
  struct write_tx w = {.store = store_handover_confirm, .ctx = &p, .action = "handover.confirm", .entity = "handover",
                       .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  reply_json(rep, 200, assignments_handover_json(req->db, &req->scope, id));
  return 0;
}

/* ---- views ---- */

static const char *const COVERAGE_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"key_villages", "重点村数"}, {"with_first_secretary", "已派第一书记"},
  {"without_first_secretary", "缺第一书记"}, {"without_team", "无工作队"}, {"only_in_handover", "仅有交接中人员"},
  {NULL, NULL}};

int api_coverage_get(struct request *req, struct reply *rep)
{
  const char *region;
  if (query_text(req, rep, "region", 12, &region) != 0) return -1;
  json_t *out = assignments_coverage_json(req->db, &req->scope, region && *region ? region : NULL);
  /* the invariant the store keeps (one first secretary per village outside a handover), shown so
   * that anyone can see it holds today */
  json_t *doubles = out ? post_life_double_first_secretaries(req->db, &req->scope, region && *region ? region : NULL,
                                                             req->today) : NULL;
  if (out) json_object_set_new(out, "double_first_secretaries", doubles ? json_incref(json_object_get(doubles, "items"))
                                                                        : json_array());
  json_decref(doubles);
  return handler_reply_list(req, rep, out, COVERAGE_EXPORT, "选派覆盖情况");
}

/* 空缺 (1.7): villages whose post ended with nobody to follow, open until a successor arrives. */
static const char *const VACANCY_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"post_name", "岗位"},
  {"previous_cadre", "原任"}, {"cause_name", "离任原因"}, {"opened_on", "空缺起始"}, {"deadline", "应补齐日期"},
  {"successor", "继任人选"}, {"filled_on", "补齐日期"}, {"days_overdue", "逾期天数"}, {NULL, NULL}};

int api_vacancies_list(struct request *req, struct reply *rep)
{
  static const char *const STATUSES[] = {"open", "overdue", "filled", NULL};
  const char *region, *status;
  int page, page_size;
  if (query_page(req, rep, &page, &page_size) != 0 || rec_query_region(req, rep, &region) != 0 ||
      rec_query_enum(req, rep, "status", STATUSES, &status) != 0)
    return -1;
  json_t *out = post_life_vacancies_json(req->db, &req->scope, region, status, req->today, page,
                                         query_wants_xlsx(req) ? 0 : page_size);
  if (out) {
    struct post_rules rules;
    day_post_rules(req, &rules);
    json_object_set_new(out, "fill_days", json_integer(rules.vacancy_fill_days));
    json_object_set_new(out, "clause", json_string("1.7"));
  }
  return handler_reply_list(req, rep, out, VACANCY_EXPORT, "驻村岗位空缺");
}

/* 任期届满提醒 (1.1): posts whose two years end within the notice period and that nobody is yet
 * approved to follow — the county and the unit see them ahead of the day. */
static const char *const ENDING_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"cadre_name", "姓名"},
  {"post_name", "岗位"}, {"unit_name", "派出单位"}, {"term_end", "任期届满日"}, {"days_left", "剩余天数"},
  {"successor", "继任人选"}, {NULL, NULL}};

int api_terms_ending_list(struct request *req, struct reply *rep)
{
  const char *region;
  int page, page_size;
  if (query_page(req, rep, &page, &page_size) != 0 || rec_query_region(req, rep, &region) != 0) return -1;
  struct post_rules rules;
  day_post_rules(req, &rules);
  json_t *out = post_life_terms_ending_json(req->db, &req->scope, region, &rules, req->today, page,
                                            query_wants_xlsx(req) ? 0 : page_size);
  if (out) json_object_set_new(out, "clause", json_string("1.1"));
  return handler_reply_list(req, rep, out, ENDING_EXPORT, "任期届满提醒");
}

static const char *const STABILITY_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"unit_name", "派出单位"}, {"recall", "类型"}, {"reason_name", "原因"}, {"count", "次数"},
  {NULL, NULL}};

int api_stability_get(struct request *req, struct reply *rep)
{
  const char *region;
  if (query_text(req, rep, "region", 12, &region) != 0) return -1;
  json_t *out = assignments_stability_json(req->db, &req->scope, region && *region ? region : NULL);
  /* the reasons' Chinese names come from the policy's list (1.2) */
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(out, "items"), i, row) {
    const char *name = policy_list_name(req->app->policy, "adjustment_reasons", req->today,
                                        json_string_value(json_object_get(row, "reason")));
    if (name) json_object_set_new(row, "reason_name", json_string(name));
  }
  return handler_reply_list(req, rep, out, STABILITY_EXPORT, "轮换外调整情况");
}
