/* h_leaves — 请销假 (2.1, 2.4). A cadre asks for leave for themself; up to
 * leave_township_max_days days the township party committee decides (the secretary, who manages
 * the cadres directly, or the deputy secretary / organization member, who runs daily
 * attendance), longer leaves go to the county organization department or RRB. The cadre
 * reports back (销假); an approved leave past its end without 销假 is overdue.
 * Every write is one transaction with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "http/not_found.h"
#include "http/sender.h"
#include "store/notifications.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/no_post.h"
#include "http/record_input.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/leaves.h"



static void add_type_name(const struct request *req, json_t *row) { rec_add_name(req, row, "type", "leave_types"); }

static int parse_date(struct reply *rep, const char *s, const char *field, int *out)
{
  if (date_parse_iso(s, out) != 0 || *out < 20000101 || *out > 21001231)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", field);
  return 0;
}

static long days_between(int from, int to)
{
  long d = 0;
  date_diff_days(from, to, &d);
  return d;
}

/* A policy number the handler cannot do without; -1 after a 500 reply when it is missing. */
static long policy_number(struct request *req, struct reply *rep, const char *id)
{
  long v = policy_int(req->app->policy, id, req->today);
  if (v < 0) {
    reply_internal(rep);
    return -1;
  }
  return v;
}

/* ---- request ---- */

/* A leave asked for: the request, the dates it spans, and the id it gets. */
struct leave_ask {
  struct leave_request r;
  int start, end;
  const char *type_name;
  int64_t id;
};

/* Refused inside the transaction, so that two requests at once cannot both pass: dates that overlap
 * another leave, or past days with a check-in in the village. Then the request and the approvers'
 * message (store/notifications). */
static int store_request(struct request *req, struct reply *rep, void *ctx)
{
  struct leave_ask *a = ctx;
  int64_t other = 0;
  int w = leaves_overlap(req->db, req->user.cadre_id, a->r.start_date, a->r.end_date, &other);
  if (w == DB_OK && other) {
    reply_error(rep, 409, "overlap", "所选日期与您已有的请假（待审批、已批准或已销假）重叠", "start_date");
    json_object_set_new(json_object_get(rep->json, "error"), "existing", json_integer(other));
    return WRITE_TX_REPLIED;
  }
  /* the days already past: an in-fence check-in shows the cadre was in the village */
  if (w == DB_OK && a->start < req->today) {
    char last[DATE_ISO_SIZE], first[11], msg[256];
    date_format_iso(a->end < req->today ? a->end : date_add_days(req->today, -1), last);
    w = leaves_first_checkin(req->db, req->user.cadre_id, a->r.start_date, last, first);
    if (w == DB_OK && first[0]) {
      snprintf(msg, sizeof msg, "您 %s 已在村打卡，该日不能请假；请调整请假日期", first);
      reply_error(rep, 409, "checked_in", msg, "start_date");
      return WRITE_TX_REPLIED;
    }
  }
  if (w == DB_OK) w = leaves_insert(req->db, &a->r, req->now, &a->id);
  if (w == DB_OK) w = notifications_leave_pending(req->db, a->id, a->type_name, req->now);
  return w;
}

int api_leaves_create(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以请假", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"type", "start_date", "end_date", "reason", NULL};
  const char *type, *start_s, *end_s, *reason;
  int start, end, now_day = req->today;
  int rc = -1;
  int64_t id = 0;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "type", true, 32, &type) != 0 ||
      field_string(rep, body, "start_date", true, 10, &start_s) != 0 ||
      field_string(rep, body, "end_date", true, 10, &end_s) != 0 ||
      field_string(rep, body, "reason", true, 500, &reason) != 0 || parse_date(rep, start_s, "start_date", &start) != 0 ||
      parse_date(rep, end_s, "end_date", &end) != 0)
    goto out;
  if (!policy_list_name(req->app->policy, "leave_types", req->today, type)) {
    rc = reply_error(rep, 400, "field_invalid", "请假类型无效，应为政策参数 leave_types 所列类型之一", "type");
    goto out;
  }
  if (start > end) {
    rc = reply_error(rep, 400, "field_invalid", "结束日期不能早于开始日期", "end_date");
    goto out;
  }
  long max_days = policy_number(req, rep, "leave_max_days");
  long backdate = max_days < 0 ? -1 : policy_number(req, rep, "leave_backdate_max_days");
  long township_max = backdate < 0 ? -1 : policy_number(req, rep, "leave_township_max_days");
  if (township_max < 0) goto out;
  long days = days_between(start, end) + 1;
  char msg[256];
  if (days > max_days) {
    snprintf(msg, sizeof msg, "一次请假不能超过 %ld 天（本次 %ld 天），请分次申请", max_days, days);
    rc = reply_error(rep, 400, "field_invalid", msg, "end_date");
    goto out;
  }
  if (days_between(start, now_day) > backdate) {
    snprintf(msg, sizeof msg, "补办请假的开始日期不能早于今天前 %ld 天", backdate);
    rc = reply_error(rep, 400, "field_invalid", msg, "start_date");
    goto out;
  }
  struct cadre_station station;
  int s = leaves_station(req->db, req->user.cadre_id, &station);
  if (s == DB_NOT_FOUND) {
    rc = reply_no_post(req, rep, "您当前没有驻村岗位，无需请假");
    goto out;
  }
  if (s != DB_OK) { rc = reply_internal(rep); goto out; }

  struct leave_ask a = {{req->user.cadre_id, station.assignment_id, type, start_s, end_s, reason, (int)days,
                         days <= township_max ? "township" : "county"},
                        start, end, policy_list_name(req->app->policy, "leave_types", req->today, type), 0};
  struct write_tx w = {.store = store_request, .ctx = &a, .action = "leave.request", .entity = "leave",
                       .id = &a.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = a.id;
  if (rc == 0) sender_wake();
out:
  json_decref(body);
  if (rc != 0) return -1;
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  json_t *leave = leaves_get_json(req->db, &req->scope, id, t);
  if (!leave) return reply_internal(rep);
  add_type_name(req, leave);
  reply_json(rep, 201, leave);
  return 0;
}

/* ---- reads ---- */

static const char *const LEAVE_EXPORT[][2] = {
  {"id", "编号"}, {"cadre_name", "姓名"}, {"unit_name", "派出单位"}, {"township_name", "乡镇"}, {"village_name", "村"},
  {"type_name", "类型"}, {"start_date", "开始日期"}, {"end_date", "结束日期"}, {"days", "天数"}, {"reason", "事由"},
  {"approver_level_name", "审批层级"}, {"status_name", "状态"}, {"decided_by_name", "审批人"}, {"comment", "审批意见"},
  {"returned_on", "销假日期"}, {NULL, NULL}};

const char *leave_approver_level(const struct role *role)
{
  if (!role || !role->level || !roles_can(role, PERM_LEAVE_APPROVE)) return NULL;
  if (strcmp(role->level, "township") == 0) return "township";
  if (strcmp(role->level, "county") == 0 && roles_department(role)) return "county";
  return NULL;
}

int api_leaves_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *status, *inbox, *cadre, *overdue;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "status", 16, &status) != 0 ||
      query_text(req, rep, "inbox", 4, &inbox) != 0 || query_text(req, rep, "cadre", 20, &cadre) != 0 ||
      query_text(req, rep, "overdue", 4, &overdue) != 0)
    return -1;
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  struct leave_filter f = {status && *status ? status : NULL, 0, NULL, overdue && strcmp(overdue, "1") == 0, t};
  if (handler_cadre_filter(req, rep, cadre, &f.cadre_id) != 0) return -1;
  if (inbox && strcmp(inbox, "1") == 0) {
    f.inbox_level = leave_approver_level(req->user.role);
    if (!f.inbox_level)
      return reply_error(rep, 403, "forbidden", "只有乡镇党委书记、副书记（组织委员）和县级组织部门、乡村振兴局有请假审批待办",
                         "inbox");
  }
  json_t *list = leaves_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) add_type_name(req, row);
  return handler_reply_list(req, rep, list, LEAVE_EXPORT, "请销假");
}

/* The leave named in the path, in scope; the caller owns *out. */
static int leave_in_scope(struct request *req, struct reply *rep, int64_t *id, json_t **out)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  *out = leaves_get_json(req->db, &req->scope, *id, t);
  if (!*out) return reply_not_found(req, rep, "请假记录不存在或不在管辖范围内", NULL);
  add_type_name(req, *out);
  return 0;
}

int api_leaves_get(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *leave;
  if (leave_in_scope(req, rep, &id, &leave) != 0) return -1;
  reply_json(rep, 200, leave);
  return 0;
}

/* Replies with the leave after a write. */
static int reply_leave(struct request *req, struct reply *rep, int64_t id)
{
  json_t *leave;
  if (leave_in_scope(req, rep, &id, &leave) != 0) return -1;
  reply_json(rep, 200, leave);
  return 0;
}

static const char *status_of(const json_t *leave) { return json_string_value(json_object_get(leave, "status")); }

/* ---- decision (2.4) ---- */

/* True when the caller approves this leave: the township's secretary or deputy for a township
 * leave of a cadre stationed in their township; the county's org dept or RRB for a county one. */
static bool is_approver(const struct request *req, const json_t *leave)
{
  const char *level = json_string_value(json_object_get(leave, "approver_level"));
  const char *township = json_string_value(json_object_get(leave, "township_code"));
  const char *mine = leave_approver_level(req->user.role);
  if (!level || !township || !mine || strcmp(level, mine) != 0) return false;
  if (strcmp(level, "township") == 0) return strcmp(township, req->user.region_code) == 0;
  size_t n = strlen(req->user.region_code);
  return n > 0 && strncmp(township, req->user.region_code, n) == 0;
}

static int not_approver(struct request *req, struct reply *rep, const json_t *leave)
{
  const char *level = json_string_value(json_object_get(leave, "approver_level"));
  json_int_t days = json_integer_value(json_object_get(leave, "days"));
  const char *township = json_string_value(json_object_get(leave, "township_name"));
  char msg[400];
  if (level && strcmp(level, "township") == 0) {
    snprintf(msg, sizeof msg, "该请假共 %lld 天，由%s党委书记或副书记（组织委员）审批（2.4）", (long long)days,
             township ? township : "所在乡镇");
  } else {
    struct cadre_station st;
    bool known = leaves_station(req->db, json_integer_value(json_object_get(leave, "cadre_id")), &st) == DB_OK &&
                 st.county_name[0];
    long max = policy_int(req->app->policy, "leave_township_max_days", req->today);
    snprintf(msg, sizeof msg, "该请假共 %lld 天，超过 %ld 天，由%s委组织部或乡村振兴局审批（2.4）", (long long)days, max,
             known ? st.county_name : "县（市、区）");
  }
  return reply_error(rep, 403, "not_approver", msg, NULL);
}

/* A decision on a leave, and the cadre's message about it in the same transaction. */
struct leave_decision {
  int64_t id;
  bool approve;
  const char *comment, *type_name;
};

static const struct write_error DECIDED[] = {{DB_CONFLICT, 409, "not_pending", "该请假已处理，不能重复审批", NULL}, {0}};

static int store_decide(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct leave_decision *d = ctx;
  int w = leaves_decide(req->db, d->id, d->approve, d->comment, &req->user, req->now);
  if (w == DB_OK) w = notifications_leave_decided(req->db, d->id, d->type_name, req->now);
  return w;
}

int api_leaves_decide(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *leave, *body = NULL;
  if (leave_in_scope(req, rep, &id, &leave) != 0) return -1;
  int rc = -1;
  static const char *const ALLOWED[] = {"decision", "comment", NULL};
  const char *decision, *comment;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_string(rep, body, "decision", true, 10, &decision) != 0 ||
      field_string(rep, body, "comment", false, 500, &comment) != 0)
    goto out;
  bool approve = strcmp(decision, "approve") == 0;
  if (!approve && strcmp(decision, "refuse") != 0) {
    rc = reply_error(rep, 400, "field_invalid", "审批意见（decision）应为批准（approve）或不批准（refuse）", "decision");
    goto out;
  }
  if (!is_approver(req, leave)) { rc = not_approver(req, rep, leave); goto out; }
  if (!approve && (!comment || !*comment)) {
    rc = reply_error(rep, 400, "field_required", "不批准时须填写意见", "comment");
    goto out;
  }
  if (strcmp(status_of(leave), "pending") != 0) {
    rc = reply_error(rep, 409, "not_pending", "该请假已处理，不能重复审批", NULL);
    goto out;
  }
  struct leave_decision d = {id, approve, comment, json_string_value(json_object_get(leave, "type_name"))};
  struct write_tx w = {.store = store_decide, .ctx = &d, .errors = DECIDED, .action = approve ? "leave.approve" : "leave.refuse",
                       .entity = "leave", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
  if (rc == 0) sender_wake();
out:
  json_decref(leave);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_leave(req, rep, id);
}

/* ---- the cadre's own changes ---- */

static int own_leave(struct request *req, struct reply *rep, int64_t *id, json_t **leave)
{
  if (leave_in_scope(req, rep, id, leave) != 0) return -1;
  if (json_integer_value(json_object_get(*leave, "cadre_id")) != req->user.cadre_id || !req->user.cadre_id) {
    json_decref(*leave);
    return reply_error(rep, 403, "forbidden", "只能办理本人的请假", NULL);
  }
  return 0;
}

/* The cadre's own change of a leave: withdrawn, or reported back on a date. */
struct leave_change {
  int64_t id;
  const char *returned_on;
};

static int store_cancel(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return leaves_cancel(req->db, ((const struct leave_change *)ctx)->id);
}

static int store_close(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct leave_change *c = ctx;
  return leaves_close(req->db, c->id, c->returned_on);
}

static const struct write_error NOT_PENDING[] = {{DB_CONFLICT, 409, "not_pending", "只能撤销待审批的请假", NULL}, {0}};
static const struct write_error NOT_APPROVED[] = {
    {DB_CONFLICT, 409, "not_approved", "只有已批准且未销假的请假可以销假", NULL}, {0}};

int api_leaves_cancel(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *leave;
  if (own_leave(req, rep, &id, &leave) != 0) return -1;
  bool pending = strcmp(status_of(leave), "pending") == 0;
  json_decref(leave);
  if (!pending) return reply_error(rep, 409, "not_pending", "只能撤销待审批的请假", NULL);
  struct leave_change c = {id, NULL};
  struct write_tx w = {.store = store_cancel, .ctx = &c, .errors = NOT_PENDING, .action = "leave.cancel",
                       .entity = "leave", .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  return reply_leave(req, rep, id);
}

int api_leaves_close(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *leave, *body = NULL;
  if (own_leave(req, rep, &id, &leave) != 0) return -1;
  int rc = -1;
  static const char *const ALLOWED[] = {"returned_on", NULL};
  const char *returned_s;
  int returned, start;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_string(rep, body, "returned_on", true, 10, &returned_s) != 0 ||
      parse_date(rep, returned_s, "returned_on", &returned) != 0)
    goto out;
  if (date_parse_iso(json_string_value(json_object_get(leave, "start_date")), &start) != 0) {
    rc = reply_internal(rep);
    goto out;
  }
  if (returned < start) {
    rc = reply_error(rep, 400, "field_invalid", "返岗日期不能早于请假开始日期", "returned_on");
    goto out;
  }
  if (returned > req->today) {
    rc = reply_error(rep, 400, "field_invalid", "返岗日期不能晚于今天：回到村里后再销假", "returned_on");
    goto out;
  }
  if (strcmp(status_of(leave), "approved") != 0) {
    rc = reply_error(rep, 409, "not_approved", "只有已批准且未销假的请假可以销假", NULL);
    goto out;
  }
  struct leave_change c = {id, returned_s};
  struct write_tx w = {.store = store_close, .ctx = &c, .errors = NOT_APPROVED, .action = "leave.close",
                       .entity = "leave", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(leave);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_leave(req, rep, id);
}
