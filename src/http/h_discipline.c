/* h_discipline — 纪律与提醒 and 考评计分.
 *
 * 2.5: a township (secretary, deputy / organization member) or a county/city organization
 * department / RRB records that a cadre stationed in its area broke discipline or failed their
 * duties; the record is fed back to the cadre's dispatching unit (its inbox), the unit
 * acknowledges it, and the county or city department records the accountability (追责问责).
 * 3.6: a secondment (抽调) — the unit pulled its cadre to work unrelated to the village — is a
 * violation of the unit. 2.7: education reminders (教育提醒), between the cadre and their managers
 * only: no public list, no ranking of cadres. 2.6: the attendance of each dispatching unit's
 * cadres as a score of the unit, with every part shown. Every write is one transaction with its
 * audit row (http/write_tx). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/roles.h"
#include "core/unit_score.h"
#include "http/not_found.h"
#include "http/sender.h"
#include "store/notifications.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/record_input.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/discipline.h"
#include "store/scope.h"


/* The writes of this file (http/write_tx): what each store callback needs, and the record it made. */
struct discipline_write {
  const struct violation_new *violation;
  const struct secondment_new *secondment;
  const struct reminder_new *reminder;
  const char *kind_zh;                    /* a new violation's kind, for the unit's message */
  const char *note, *measure, *decided_on; /* a unit's acknowledgement, a department's decision */
  int64_t id;                             /* the record written */
};

/* A new violation and, 2.5: fed back to the unit, its message in the same transaction. */
static int store_violation(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct discipline_write *d = ctx;
  int rc = violations_insert(req->db, d->violation, req->now, &d->id);
  if (rc == DB_OK) rc = notifications_violation(req->db, d->id, d->kind_zh, req->now);
  return rc;
}

static int store_acknowledge(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct discipline_write *d = ctx;
  return violations_acknowledge(req->db, d->id, req->user.id, d->note, req->now);
}

static int store_decide(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct discipline_write *d = ctx;
  return violations_decide(req->db, d->id, req->user.id, d->measure, d->decided_on, d->note, req->now);
}

static int store_secondment(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct discipline_write *d = ctx;
  return secondments_insert(req->db, d->secondment, req->now, &d->id);
}

static int store_reminder(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct discipline_write *d = ctx;
  return reminders_insert(req->db, d->reminder, req->now, &d->id);
}

static int store_reminder_read(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct discipline_write *d = ctx;
  return reminders_mark_read(req->db, d->id, req->now);
}

static const struct write_error ACKNOWLEDGE_ERRORS[] = {
    {DB_CONFLICT, 409, "already_acknowledged", "该违纪反馈已确认", NULL}, {0}};
static const struct write_error DECIDE_ERRORS[] = {
    {DB_CONFLICT, 409, "already_decided", "该违纪记录已有追责问责结果", NULL}, {0}};

static const char *item_text(const json_t *item, const char *key)
{
  return item ? json_string_value(json_object_get(item, key)) : NULL;
}

/* A code that must be in a policy list: 400 field_invalid otherwise. */
static int coded(struct request *req, struct reply *rep, const char *list_id, const char *code, const char *field,
                 const json_t **item)
{
  *item = policy_list_item(req->app->policy, list_id, req->today, code);
  if (*item) return 0;
  char msg[200];
  snprintf(msg, sizeof msg, "%s 的取值不在政策参数 %s 所列范围内", field, list_id);
  return reply_error(rep, 400, "field_invalid", msg, field);
}

/* A date YYYY-MM-DD, not after today. */
static int past_date(const struct request *req, struct reply *rep, const char *s, const char *field, int *out)
{
  if (date_parse_iso(s, out) != 0 || *out < 20000101 || *out > 21001231)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", field);
  if (*out > req->today) return reply_error(rep, 400, "field_invalid", "日期不能晚于今天", field);
  return 0;
}

/* An optional ?name=ID: 0 when absent. */
static int query_id(struct request *req, struct reply *rep, const char *name, int64_t *out)
{
  const char *s;
  *out = 0;
  if (query_text(req, rep, name, 20, &s) != 0) return -1;
  if (!s || !*s) return 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v <= 0) return reply_error(rep, 400, "field_invalid", "查询参数应为正整数编号", name);
  *out = v;
  return 0;
}

/* An optional ?name=YYYY-MM-DD: NULL when absent. */
static int query_iso(struct request *req, struct reply *rep, const char *name, const char **out)
{
  int d;
  if (query_text(req, rep, name, 10, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  if (date_parse_iso(*out, &d) != 0)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期", name);
  return 0;
}

/* The cadre's current post, which must lie in the caller's region: 404 otherwise, so that a
 * cadre of another township looks absent. */
static int post_in_scope(struct request *req, struct reply *rep, int64_t cadre_id, struct discipline_post *post)
{
  int rc = discipline_post_of(req->db, cadre_id, post);
  if (rc != DB_OK && rc != DB_NOT_FOUND) return reply_internal(rep);
  if (rc == DB_NOT_FOUND || req->scope.kind != SCOPE_KIND_REGION || !scope_covers_path(&req->scope, post->village_path))
    return reply_not_found(req, rep, "该干部不存在、当前未驻村或不在管辖范围内", "cadre_id");
  return 0;
}

/* Reads {cadre_id} and its post. */
static int body_cadre(struct request *req, struct reply *rep, const json_t *body, int64_t *cadre_id,
                      struct discipline_post *post)
{
  if (field_int(rep, body, "cadre_id", true, 1, INT64_MAX, cadre_id, NULL) != 0) return -1;
  return post_in_scope(req, rep, *cadre_id, post);
}

/* "2.5", "1.3a": digits, a dot, digits, an optional letter. */
static bool clause_valid(const char *s)
{
  const char *p = s;
  if (!(*p >= '0' && *p <= '9')) return false;
  while (*p >= '0' && *p <= '9') p++;
  if (*p++ != '.') return false;
  if (!(*p >= '0' && *p <= '9')) return false;
  while (*p >= '0' && *p <= '9') p++;
  if (*p >= 'a' && *p <= 'z') p++;
  return *p == '\0';
}

/* ---- violations (2.5) ---- */

static void violation_names(const struct request *req, json_t *row)
{
  rec_add_name(req, row, "kind", "violation_kinds");
  rec_add_name(req, row, "measure", "accountability_measures");
}

static int reply_violation(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *v = violations_get_json(req->db, &req->scope, id);
  if (!v) return reply_not_found(req, rep, "违纪记录不存在或不在管辖范围内", NULL);
  violation_names(req, v);
  reply_json(rep, status, v);
  return 0;
}

int api_violations_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"cadre_id", "date", "kind", "description", "clause", NULL};
  const char *date_s, *kind, *description, *clause;
  const json_t *item;
  int64_t cadre_id, id = 0;
  int date, rc = -1;
  struct discipline_post post;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "date", true, 10, &date_s) != 0 ||
      field_string(rep, body, "kind", true, 40, &kind) != 0 ||
      field_string(rep, body, "description", true, 1000, &description) != 0 ||
      field_string(rep, body, "clause", false, 8, &clause) != 0 || past_date(req, rep, date_s, "date", &date) != 0 ||
      coded(req, rep, "violation_kinds", kind, "kind", &item) != 0)
    goto out;
  if (clause && *clause && !clause_valid(clause)) {
    rc = reply_error(rep, 400, "field_invalid", "条款编号格式应为 2.5、1.3a 等", "clause");
    goto out;
  }
  if (!clause || !*clause) clause = item_text(item, "clause");
  if (!clause) clause = "2.5";
  if (body_cadre(req, rep, body, &cadre_id, &post) != 0) goto out;
  struct violation_new v = {cadre_id, req->user.id, &post, date_s, kind, clause, description};
  struct discipline_write d = {.violation = &v, .kind_zh = item_text(item, "name_zh")};
  struct write_tx w = {.store = store_violation, .ctx = &d, .action = "violation.create", .entity = "violation",
                       .id = &d.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = d.id;
  if (rc == 0) sender_wake();
out:
  json_decref(body);
  if (rc != 0) return -1;
  return reply_violation(req, rep, id, 201);
}

static const char *const VIOLATION_EXPORT[][2] = {
  {"id", "编号"}, {"date", "日期"}, {"cadre_name", "姓名"}, {"unit_name", "派出单位"}, {"township_name", "乡镇"},
  {"village_name", "村"}, {"kind_name", "情形"}, {"clause", "条款"}, {"description", "情况说明"},
  {"recorded_by_name", "记录人"}, {"status_name", "状态"}, {"acknowledged_at", "单位确认时间"}, {"ack_note", "单位意见"},
  {"measure_name", "追责问责方式"}, {"decided_on", "决定日期"}, {"decision_note", "追责说明"}, {NULL, NULL}};

int api_violations_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *status, *inbox;
  struct violation_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_id(req, rep, "cadre", &f.cadre_id) != 0 ||
      query_id(req, rep, "unit", &f.unit_id) != 0 || query_iso(req, rep, "from", &f.from) != 0 ||
      query_iso(req, rep, "to", &f.to) != 0 || query_text(req, rep, "status", 16, &status) != 0 ||
      query_text(req, rep, "inbox", 4, &inbox) != 0)
    return -1;
  if (status && *status) {
    if (strcmp(status, "feedback") != 0 && strcmp(status, "acknowledged") != 0 && strcmp(status, "decided") != 0)
      return reply_error(rep, 400, "field_invalid", "status 应为 feedback（已反馈）、acknowledged（已确认）或 decided（已追责）",
                         "status");
    f.status = status;
  }
  if (inbox && strcmp(inbox, "1") == 0) {
    if (req->scope.kind != SCOPE_KIND_UNIT)
      return reply_error(rep, 403, "forbidden", "只有派出单位有违纪反馈待办", "inbox");
    f.inbox = true;
  }
  json_t *list = violations_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) violation_names(req, row);
  return handler_reply_list(req, rep, list, VIOLATION_EXPORT, "违纪记录");
}

int api_violations_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_violation(req, rep, id, 200);
}

/* The violation of the path, in scope; the caller owns *out. */
static int violation_in_scope(struct request *req, struct reply *rep, int64_t *id, json_t **out)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  *out = violations_get_json(req->db, &req->scope, *id);
  if (!*out) return reply_not_found(req, rep, "违纪记录不存在或不在管辖范围内", NULL);
  return 0;
}

int api_violations_acknowledge(struct request *req, struct reply *rep)
{
  if (req->scope.kind != SCOPE_KIND_UNIT)
    return reply_error(rep, 403, "forbidden", "违纪反馈由派出单位确认（2.5）", NULL);
  int64_t id;
  json_t *v, *body = NULL;
  if (violation_in_scope(req, rep, &id, &v) != 0) return -1;
  static const char *const ALLOWED[] = {"note", NULL};
  const char *note;
  int rc = -1;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_string(rep, body, "note", false, 500, &note) != 0)
    goto out;
  struct discipline_write d = {.note = note, .id = id};
  struct write_tx w = {.store = store_acknowledge, .ctx = &d, .errors = ACKNOWLEDGE_ERRORS,
                       .action = "violation.acknowledge", .entity = "violation", .entity_id = req->params[0],
                       .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(v);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_violation(req, rep, id, 200);
}

int api_violations_accountability(struct request *req, struct reply *rep)
{
  const struct role *role = req->user.role;
  if (!roles_department(role) || !role->level || (strcmp(role->level, "county") != 0 && strcmp(role->level, "city") != 0))
    return reply_error(rep, 403, "forbidden", "追责问责由县级以上组织部门、乡村振兴部门记录（2.5）", NULL);
  int64_t id;
  json_t *v, *body = NULL;
  if (violation_in_scope(req, rep, &id, &v) != 0) return -1;
  static const char *const ALLOWED[] = {"measure", "decided_on", "note", NULL};
  const char *measure, *decided_s, *note;
  const json_t *item;
  int decided, vdate = 0, rc = -1;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_string(rep, body, "measure", true, 40, &measure) != 0 ||
      field_string(rep, body, "decided_on", true, 10, &decided_s) != 0 ||
      field_string(rep, body, "note", false, 1000, &note) != 0 ||
      coded(req, rep, "accountability_measures", measure, "measure", &item) != 0 ||
      past_date(req, rep, decided_s, "decided_on", &decided) != 0)
    goto out;
  date_parse_iso(json_string_value(json_object_get(v, "date")), &vdate);
  if (decided < vdate) {
    rc = reply_error(rep, 400, "field_invalid", "决定日期不能早于违纪发生日期", "decided_on");
    goto out;
  }
  if (json_string_value(json_object_get(v, "measure"))) {
    rc = reply_error(rep, 409, "already_decided", "该违纪记录已有追责问责结果", NULL);
    goto out;
  }
  struct discipline_write d = {.note = note, .measure = measure, .decided_on = decided_s, .id = id};
  struct write_tx w = {.store = store_decide, .ctx = &d, .errors = DECIDE_ERRORS, .action = "violation.accountability",
                       .entity = "violation", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(v);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_violation(req, rep, id, 200);
}

/* ---- secondments (3.6) ---- */

#define SECONDMENT_MAX_DAYS 366

int api_secondments_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"cadre_id", "start_date", "end_date", "work", "note", NULL};
  const char *start_s, *end_s, *work, *note;
  int64_t cadre_id, id = 0;
  int start, end, rc = -1;
  struct discipline_post post;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "start_date", true, 10, &start_s) != 0 ||
      field_string(rep, body, "end_date", true, 10, &end_s) != 0 ||
      field_string(rep, body, "work", true, 500, &work) != 0 || field_string(rep, body, "note", false, 1000, &note) != 0 ||
      past_date(req, rep, start_s, "start_date", &start) != 0)
    goto out;
  if (date_parse_iso(end_s, &end) != 0 || end > 21001231) {
    rc = reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", "end_date");
    goto out;
  }
  if (end < start) {
    rc = reply_error(rep, 400, "field_invalid", "结束日期不能早于开始日期", "end_date");
    goto out;
  }
  long days = 0;
  date_diff_days(start, end, &days);
  days += 1;
  if (days > SECONDMENT_MAX_DAYS) {
    rc = reply_error(rep, 400, "field_invalid", "一次抽调记录不能超过 366 天，请分段记录", "end_date");
    goto out;
  }
  if (body_cadre(req, rep, body, &cadre_id, &post) != 0) goto out;
  struct secondment_new s = {cadre_id, req->user.id, &post, start_s, end_s, work, note, (int)days};
  struct discipline_write d = {.secondment = &s};
  struct write_tx w = {.store = store_secondment, .ctx = &d, .action = "secondment.create", .entity = "secondment",
                       .id = &d.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = d.id;
out:
  json_decref(body);
  if (rc != 0) return -1;
  json_t *out = secondments_get_json(req->db, &req->scope, id);
  if (!out) return reply_internal(rep);
  reply_json(rep, 201, out);
  return 0;
}

static const char *const SECONDMENT_EXPORT[][2] = {
  {"id", "编号"}, {"unit_name", "派出单位"}, {"cadre_name", "姓名"}, {"township_name", "乡镇"}, {"village_name", "村"},
  {"start_date", "开始日期"}, {"end_date", "结束日期"}, {"days", "天数"}, {"work", "抽调从事的工作"}, {"note", "备注"},
  {"recorded_by_name", "记录人"}, {"created_at", "记录时间"}, {NULL, NULL}};

int api_secondments_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct secondment_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_id(req, rep, "cadre", &f.cadre_id) != 0 ||
      query_id(req, rep, "unit", &f.unit_id) != 0 || query_iso(req, rep, "from", &f.from) != 0 ||
      query_iso(req, rep, "to", &f.to) != 0)
    return -1;
  json_t *list = secondments_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, SECONDMENT_EXPORT, "抽调记录");
}

/* ---- reminders (2.7) ---- */

int api_reminders_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"cadre_id", "reason", "text", NULL};
  const char *reason, *text;
  const json_t *item;
  int64_t cadre_id, id = 0;
  int rc = -1;
  struct discipline_post post;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "reason", true, 40, &reason) != 0 ||
      field_string(rep, body, "text", true, 500, &text) != 0 ||
      coded(req, rep, "reminder_reasons", reason, "reason", &item) != 0 ||
      body_cadre(req, rep, body, &cadre_id, &post) != 0)
    goto out;
  struct reminder_new r = {cadre_id, req->user.id, &post, reason, text};
  struct discipline_write d = {.reminder = &r};
  struct write_tx w = {.store = store_reminder, .ctx = &d, .action = "reminder.create", .entity = "reminder",
                       .id = &d.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = d.id;
out:
  json_decref(body);
  if (rc != 0) return -1;
  json_t *out = reminders_get_json(req->db, &req->scope, id);
  if (!out) return reply_internal(rep);
  rec_add_name(req, out, "reason", "reminder_reasons");
  reply_json(rep, 201, out);
  return 0;
}

static const char *const REMINDER_EXPORT[][2] = {
  {"id", "编号"}, {"cadre_name", "姓名"}, {"unit_name", "派出单位"}, {"village_name", "村"}, {"reason_name", "事由"},
  {"text", "提醒内容"}, {"sent_by_name", "提醒人"}, {"created_at", "提醒时间"}, {"read_at", "阅读时间"}, {NULL, NULL}};

int api_reminders_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *unread;
  struct reminder_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_id(req, rep, "cadre", &f.cadre_id) != 0 ||
      query_text(req, rep, "unread", 4, &unread) != 0)
    return -1;
  f.unread = unread && strcmp(unread, "1") == 0;
  json_t *list = reminders_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list)
    json_array_foreach(json_object_get(list, "items"), i, row) rec_add_name(req, row, "reason", "reminder_reasons");
  return handler_reply_list(req, rep, list, REMINDER_EXPORT, "教育提醒");
}

int api_reminders_read(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *m = reminders_get_json(req->db, &req->scope, id);
  if (!m) return reply_not_found(req, rep, "提醒不存在或不在管辖范围内", NULL);
  bool own = req->user.cadre_id && json_integer_value(json_object_get(m, "cadre_id")) == req->user.cadre_id;
  json_decref(m);
  if (!own) return reply_error(rep, 403, "forbidden", "只有被提醒的干部本人可以标记已读", NULL);
  struct discipline_write d = {.id = id};
  struct write_tx w = {.store = store_reminder_read, .ctx = &d, .action = "reminder.read", .entity = "reminder",
                       .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  json_t *out = reminders_get_json(req->db, &req->scope, id);
  if (!out) return reply_internal(rep);
  rec_add_name(req, out, "reason", "reminder_reasons");
  reply_json(rep, 200, out);
  return 0;
}

/* ---- the unit attendance score (2.6) ---- */

/* An integer parameter that may be negative; -1 after a 500 reply when it is missing. */
static int score_param(struct request *req, struct reply *rep, const char *id, int date, long *out, json_t *shown)
{
  const struct policy_param *p = policy_param(req->app->policy, id, date);
  if (!p || !json_is_integer(p->value)) return reply_internal(rep);
  *out = (long)json_integer_value(p->value);
  json_object_set_new(shown, id, json_integer(*out));
  return 0;
}

static int query_number(struct request *req, struct reply *rep, const char *name, int min, int max, int fallback,
                        int *out)
{
  const char *s;
  if (query_text(req, rep, name, 4, &s) != 0) return -1;
  if (!s || !*s) { *out = fallback; return 0; }
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v < min || v > max) {
    char msg[100];
    snprintf(msg, sizeof msg, "查询参数 %s 应为 %d 至 %d 之间的整数", name, min, max);
    return reply_error(rep, 400, "field_invalid", msg, name);
  }
  *out = (int)v;
  return 0;
}

static const char *const SCORE_EXPORT[][2] = {
  {"unit_name", "派出单位"}, {"cadres", "驻村干部数"}, {"working_days", "应在岗工作日"}, {"days_in_village", "在村工作日"},
  {"leave_days", "请假工作日"}, {"attendance_rate", "出勤率"}, {"attendance_weight", "考勤权重"},
  {"attendance_points", "考勤部分"}, {"violations", "违纪记录数"}, {"secondments", "抽调次数"},
  {"secondment_days", "抽调天数"}, {"base", "基础分"}, {"attendance_part", "考勤扣分"}, {"violation_part", "违纪扣分"},
  {"secondment_part", "抽调扣分"}, {"score", "得分"}, {NULL, NULL}};

/* Tenths of a point, so that the parts shown add up to the score exactly. */
static json_t *tenths(long t) { return json_real((double)t / 10.0); }

int api_scores_get(struct request *req, struct reply *rep)
{
  if (req->scope.kind == SCOPE_KIND_SELF)
    return reply_error(rep, 403, "forbidden", "考评计分针对派出单位，不对驻村干部个人排名", NULL);
  int now = req->today;
  int year, month, page, page_size;
  const char *region;
  if (query_page(req, rep, &page, &page_size) != 0 ||
      query_number(req, rep, "year", 2000, 2100, date_year(now), &year) != 0 ||
      query_number(req, rep, "month", 1, 12, date_month(now), &month) != 0 ||
      query_text(req, rep, "region", 12, &region) != 0)
    return -1;
  if (region && *region && strspn(region, "0123456789") != strlen(region))
    return reply_error(rep, 400, "field_invalid", "区划代码应为数字", "region");
  int first = date_make(year, month, 1), month_last = date_make(year, month, date_days_in_month(year, month));
  if (first > now) return reply_error(rep, 400, "field_invalid", "不能查询尚未开始的月份", "month");
  int last = month_last < now ? month_last : now;
  json_t *params = json_object();
  long base, per_violation, per_secondment;
  const struct policy_param *weights = policy_param(req->app->policy, "unit_score_attendance_weight", first);
  if (!weights) { json_decref(params); return reply_internal(rep); }
  json_object_set(params, "unit_score_attendance_weight", (json_t *)weights->value);
  if (score_param(req, rep, "unit_score_base", first, &base, params) != 0 ||
      score_param(req, rep, "unit_score_per_violation", first, &per_violation, params) != 0 ||
      score_param(req, rep, "unit_score_per_secondment", first, &per_secondment, params) != 0) {
    json_decref(params);
    return -1;
  }
  char first_s[DATE_ISO_SIZE], last_s[DATE_ISO_SIZE], month_last_s[DATE_ISO_SIZE];
  date_format_iso(first, first_s);
  date_format_iso(last, last_s);
  date_format_iso(month_last, month_last_s);
  struct score_query q = {first_s, last_s, month_last_s, region && *region ? region : NULL};
  json_t *list = scores_list_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  if (!list) { json_decref(params); return reply_internal(rep); }
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(list, "items"), i, row) {
    long den = (long)json_integer_value(json_object_get(row, "working_days"));
    long num = (long)json_integer_value(json_object_get(row, "days_in_village"));
    long violations = (long)json_integer_value(json_object_get(row, "violations"));
    long secondments = (long)json_integer_value(json_object_get(row, "secondments"));
    long weight = unit_score_weight(weights->value, json_string_value(json_object_get(row, "unit_region")));
    long points = den > 0 ? unit_score_attendance_tenths(weight, num, den) : weight * 10;
    json_object_set_new(row, "attendance_rate", den > 0 ? json_real(round((double)num / (double)den * 10000.0) / 10000.0)
                                                        : json_null());
    /* the attendance component (2.6) out of its weight; the score counts what it lacks of the weight */
    json_object_set_new(row, "attendance_weight", json_integer(weight));
    json_object_set_new(row, "attendance_points", tenths(points));
    long parts[4] = {base * 10, points - weight * 10, violations * per_violation * 10, secondments * per_secondment * 10};
    json_object_set_new(row, "base", tenths(parts[0]));
    json_object_set_new(row, "attendance_part", tenths(parts[1]));
    json_object_set_new(row, "violation_part", tenths(parts[2]));
    json_object_set_new(row, "secondment_part", tenths(parts[3]));
    json_object_set_new(row, "score", tenths(parts[0] + parts[1] + parts[2] + parts[3]));
    json_object_set_new(row, "clause", json_string("2.6"));
  }
  json_object_set_new(list, "clause", json_string("2.6"));
  json_object_set_new(list, "year", json_integer(year));
  json_object_set_new(list, "month", json_integer(month));
  json_object_set_new(list, "from", json_string(first_s));
  json_object_set_new(list, "to", json_string(last_s));
  json_object_set_new(list, "parameters", params);
  json_object_set_new(list, "formula",
                      json_string("考勤部分 = 权重(unit_score_attendance_weight，各县设定) × 出勤率，"
                                  "出勤率 = 在村工作日 ÷ 应在岗工作日（工作日扣除请假日）；"
                                  "得分 = 基础分(unit_score_base) + (考勤部分 − 权重)"
                                  " + 违纪记录数 × unit_score_per_violation + 抽调次数 × unit_score_per_secondment"));
  json_object_set_new(list, "notice_zh",
                      json_string("通知：「驻村干部日常考勤情况纳入单位驻村帮扶和机关党建工作考评计分的重要内容」"));
  json_object_set_new(list, "source_zh", json_string("考勤部分的算法和权重、违纪与抽调扣分为本地计分规则（通知未定计分方法）"));
  return handler_reply_list(req, rep, list, SCORE_EXPORT, "单位考评计分");
}
