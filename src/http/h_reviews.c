/* h_reviews — 批阅 of what cadres write (2.1 严格落实……工作报告……制度). The township party committee
 * (2.4 乡镇党委书记要直接抓驻村干部平时管理) comments on a work report or a work log, returns it with a
 * reason, or accepts it; the dispatching unit reads it and may comment (3.1 派出单位要落实驻村干部跟踪
 * 管理责任), but does not decide. Who may decide and who may comment are policy data
 * (review_decide_readers, review_comment_readers). The cadre sees the notes and revises a returned
 * item (PUT), which keeps the returned text as a version and marks it resubmitted.
 *
 * Every act checks the item's scope first (404 outside it) and the state machine of
 * core/review_flow (409 when the state does not allow it, e.g. accepting twice); the state change,
 * the note and the audit row are one transaction. The monthly view counts from its own rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/review_flow.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/reports.h"
#include "store/notify_events.h"
#include "store/reviews.h"
#include "store/work_logs.h"

#define NOTE_MAX_CHARS 2000
#define LOG_MAX_CHARS 2000

/* The caller's seat as a reader: "township" for a township role, "unit" for a unit role, else NULL. */
const char *review_reader_of(const struct role *role)
{
  if (!role) return NULL;
  if (role->scope_kind == SCOPE_KIND_REGION && role->level && strcmp(role->level, "township") == 0) return "township";
  if (role->scope_kind == SCOPE_KIND_UNIT) return "unit";
  return NULL;
}

static json_t *item_get(struct request *req, enum review_kind kind, int64_t id)
{
  return kind == REVIEW_KIND_REPORT ? reports_get_json(req->db, &req->scope, id)
                                    : work_logs_get_json(req->db, &req->scope, id);
}

int review_attach(struct request *req, enum review_kind kind, int64_t id, json_t *item)
{
  json_t *notes = reviews_notes_json(req->db, kind, id), *versions = reviews_versions_json(req->db, kind, id);
  if (!notes || !versions) { json_decref(notes); json_decref(versions); return -1; }
  json_object_set_new(item, "notes", notes);
  json_object_set_new(item, "versions", versions);
  return 0;
}

static int reply_item(struct request *req, struct reply *rep, enum review_kind kind, int64_t id)
{
  json_t *item = item_get(req, kind, id);
  if (!item || review_attach(req, kind, id, item) != 0) { json_decref(item); return reply_internal(rep); }
  reply_json(rep, 200, item);
  return 0;
}

/* The item named in the path, in scope; *out owned by the caller. */
static int item_in_scope(struct request *req, struct reply *rep, enum review_kind kind, int64_t *id, json_t **out)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  *out = item_get(req, kind, *id);
  if (!*out)
    return reply_not_found(req, rep,
                       kind == REVIEW_KIND_REPORT ? "工作报告不存在或不在管辖范围内" : "驻村日志不存在或不在管辖范围内", NULL);
  return 0;
}

int review_refuse(struct reply *rep, enum review_result r)
{
  switch (r) {
  case REVIEW_ALREADY_ACCEPTED: return reply_error(rep, 409, "already_accepted", "已批阅通过，不能再退回、通过或修改", "action");
  case REVIEW_ALREADY_RETURNED:
    return reply_error(rep, 409, "already_returned", "已退回修改，待干部修改后重新提交再批阅", "action");
  case REVIEW_NOT_RETURNED: return reply_error(rep, 409, "not_returned", "未被退回，无需重新提交", NULL);
  default: return reply_internal(rep);
  }
}

/* May this reader take this act? From the policy (review_decide_readers / review_comment_readers). */
static int reader_may(struct request *req, struct reply *rep, const char *reader, enum review_action a)
{
  if (!reader)
    return reply_error(rep, 403, "forbidden", "只有乡镇党委和派出单位可以批阅驻村干部的报告和日志", NULL);
  const char *param = a == REVIEW_COMMENT ? "review_comment_readers" : "review_decide_readers";
  if (policy_list_contains(req->app->policy, param, req->today, reader)) return 0;
  return reply_error(rep, 403, "forbidden",
                     "派出单位可以阅看并留言，退回和通过由乡镇党委批阅（通知二：乡镇党委书记要直接抓驻村干部平时管理）",
                     "action");
}

struct review_input {
  enum review_action action;
  const char *text;
};

static int review_input(struct reply *rep, const json_t *body, struct review_input *in)
{
  static const char *const ALLOWED[] = {"action", "text", NULL};
  const char *action;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "action", true, 16, &action) != 0) return -1;
  int a = review_action_parse(action);
  if (a < 0 || a == REVIEW_RESUBMIT)
    return reply_error(rep, 400, "field_invalid", "批阅操作应为 comment（留言）、return（退回）或 accept（通过）", "action");
  in->action = (enum review_action)a;
  in->text = NULL;
  if (field_text(rep, body, "text", a != REVIEW_ACCEPT, NOTE_MAX_CHARS, &in->text) != 0) return -1;
  if (a != REVIEW_ACCEPT && in->text[strspn(in->text, " \t\r\n")] == '\0')
    return reply_error(rep, 400, "field_required", a == REVIEW_RETURN ? "退回须写明理由" : "留言内容不能为空", "text");
  return 0;
}

/* A reader's act on a report or a log: the state it moves to (a comment moves none), the note, and
 * the author told of a return (issue 13). */
struct review_act_write {
  enum review_kind kind;
  int64_t id;
  const json_t *item;
  const char *reader;
  const struct review_input *in;
  enum review_state from, to;
};

static int store_act(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct review_act_write *a = ctx;
  struct review_note_new n = {a->kind, a->id, json_integer_value(json_object_get(a->item, "cadre_id")), req->user.id,
                              json_integer_value(json_object_get(a->item, "revision")), a->in->action, a->reader,
                              req->user.display_name, a->in->text};
  int w = DB_OK;
  if (a->in->action != REVIEW_COMMENT) w = reviews_set_state(req->db, a->kind, a->id, a->from, a->to, a->reader, req->now);
  if (w == DB_OK) w = reviews_add_note(req->db, &n, req->now);
  if (w == DB_OK && a->in->action == REVIEW_RETURN) /* issue 13: the author learns of it */
    w = notify_review_returned(req->db, a->kind == REVIEW_KIND_REPORT ? "report" : "log", a->id, n.cadre_id, req->now);
  return w;
}

/* A colleague acted at the same moment: theirs stands. */
static const struct write_error ACTED[] = {{DB_CONFLICT, 409, "stale", "已被他人批阅，请刷新后再看", "action"}, {0}};

/* The cadre's revision of a returned log, sent again. */
struct log_revision {
  int64_t id, cadre, revision;
  const char *text;
  enum review_state from;
};

static int store_revise(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct log_revision *l = ctx;
  int w = reviews_keep_version(req->db, REVIEW_KIND_LOG, l->id);
  if (w == DB_OK) w = work_logs_revise(req->db, l->id, l->cadre, l->text, req->now);
  if (w == DB_OK) w = review_resubmit(req, REVIEW_KIND_LOG, l->id, l->cadre, l->revision + 1, l->from);
  return w;
}

static const struct write_error LOG_STALE[] = {{DB_CONFLICT, 409, "stale", "日志已被修改，请刷新后重试", NULL}, {0}};

static int review_act(struct request *req, struct reply *rep, enum review_kind kind)
{
  int64_t id;
  json_t *item, *body = NULL;
  if (item_in_scope(req, rep, kind, &id, &item) != 0) return -1;
  int rc = -1;
  const char *reader = review_reader_of(req->user.role);
  struct review_input in;
  if (body_object(req, rep, &body) != 0 || review_input(rep, body, &in) != 0 ||
      reader_may(req, rep, reader, in.action) != 0)
    goto out;
  int s = review_state_parse(json_string_value(json_object_get(item, "review_state")));
  enum review_state from = s < 0 ? REVIEW_PENDING : (enum review_state)s, to;
  enum review_result r = review_flow_step(from, in.action, &to);
  if (r != REVIEW_OK) { rc = review_refuse(rep, r); goto out; }
  struct review_act_write a = {kind, id, item, reader, &in, from, to};
  char action[40];
  snprintf(action, sizeof action, "%s.review.%s", review_kind_code(kind), review_action_code(in.action));
  json_t *detail = json_pack("{s:s, s:s, s:s, s:s*}", "reader", reader, "from", review_state_code(from), "to",
                             review_state_code(to), "text", in.text);
  struct write_tx w = {.store = store_act, .ctx = &a, .errors = ACTED, .action = action,
                       .entity = kind == REVIEW_KIND_REPORT ? "work_report" : "work_log", .entity_id = req->params[0],
                       .detail = detail};
  rc = write_tx_run(req, rep, &w);
  json_decref(detail);
out:
  json_decref(item);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_item(req, rep, kind, id);
}

int api_reports_review(struct request *req, struct reply *rep) { return review_act(req, rep, REVIEW_KIND_REPORT); }
int api_logs_review(struct request *req, struct reply *rep) { return review_act(req, rep, REVIEW_KIND_LOG); }

int api_logs_get(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *item;
  if (item_in_scope(req, rep, REVIEW_KIND_LOG, &id, &item) != 0) return -1;
  json_decref(item);
  return reply_item(req, rep, REVIEW_KIND_LOG, id);
}

int review_resubmit(struct request *req, enum review_kind kind, int64_t id, int64_t cadre_id, int64_t revision,
                    enum review_state from)
{
  if (from != REVIEW_RETURNED) return DB_OK; /* a revision before any review: the state stays */
  struct review_note_new n = {kind, id, cadre_id, req->user.id, revision, REVIEW_RESUBMIT, "cadre",
                              req->user.display_name, NULL};
  int w = reviews_set_state(req->db, kind, id, REVIEW_RETURNED, REVIEW_RESUBMITTED, NULL, req->now);
  if (w == DB_OK) w = reviews_add_note(req->db, &n, req->now);
  return w;
}

/* PUT /logs/:id {text}: the cadre revises a returned log and sends it again; a log nobody returned
 * stays as written (a log is a day's record, not a draft). */
int api_logs_revise(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *item, *body = NULL;
  if (item_in_scope(req, rep, REVIEW_KIND_LOG, &id, &item) != 0) return -1;
  int rc = -1;
  int64_t cadre = json_integer_value(json_object_get(item, "cadre_id"));
  if (!req->user.cadre_id || cadre != req->user.cadre_id) {
    rc = reply_error(rep, 403, "forbidden", "只能修改本人的驻村日志", NULL);
    goto out;
  }
  static const char *const ALLOWED[] = {"text", NULL};
  const char *text;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_text(rep, body, "text", true, LOG_MAX_CHARS, &text) != 0)
    goto out;
  if (text[strspn(text, " \t\r\n")] == '\0') { rc = reply_error(rep, 400, "field_required", "日志内容不能为空", "text"); goto out; }
  int s = review_state_parse(json_string_value(json_object_get(item, "review_state")));
  enum review_state from = s < 0 ? REVIEW_PENDING : (enum review_state)s, to;
  enum review_result r = review_flow_step(from, REVIEW_RESUBMIT, &to);
  if (r != REVIEW_OK) { rc = review_refuse(rep, r); goto out; }
  int64_t revision = json_integer_value(json_object_get(item, "revision"));
  struct log_revision l = {id, cadre, revision, text, from};
  json_t *detail = json_pack("{s:I, s:s}", "revision", (json_int_t)revision + 1, "text", text);
  struct write_tx w = {.store = store_revise, .ctx = &l, .errors = LOG_STALE, .action = "log.revise",
                       .entity = "work_log", .entity_id = req->params[0], .detail = detail};
  rc = write_tx_run(req, rep, &w);
  json_decref(detail);
out:
  json_decref(item);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_item(req, rep, REVIEW_KIND_LOG, id);
}

/* Exactly YYYY-MM with a month 01..12. */
static int parse_month(const char *s, int *year, int *month)
{
  if (!s || strlen(s) != 7 || s[4] != '-') return -1;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (s[i] < '0' || s[i] > '9')) return -1;
  *year = atoi(s);
  *month = atoi(s + 5);
  return *year >= 2000 && *year <= 2100 && *month >= 1 && *month <= 12 ? 0 : -1;
}

static const char *const MONTH_EXPORT[][2] = {
  {"township_name", "乡镇"}, {"village_name", "村"}, {"cadre_name", "姓名"}, {"unit_name", "派出单位"},
  {"logs", "日志条数"}, {"reports", "工作报告"}, {"returned", "退回次数"}, {"accepted", "报告已通过"},
  {"waiting", "报告待批阅"}, {NULL, NULL}};

/* GET /reviews/month?month=YYYY-MM: the township's or county's month of 批阅 (default: this month). */
int api_reviews_month(struct request *req, struct reply *rep)
{
  if (req->user.cadre_id || req->scope.kind == SCOPE_KIND_SELF)
    return reply_error(rep, 403, "forbidden", "批阅月度情况供乡镇、县、市和派出单位查看", NULL);
  const char *month_s;
  if (query_text(req, rep, "month", 7, &month_s) != 0) return -1;
  int year = date_year(req->today), month = date_month(req->today);
  if (month_s && *month_s && parse_month(month_s, &year, &month) != 0)
    return reply_error(rep, 400, "field_invalid", "月份应为 YYYY-MM 格式（2000—2100 年）", "month");
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];
  date_format_iso(date_make(year, month, 1), from);
  date_format_iso(date_make(year, month, date_days_in_month(year, month)), to);
  json_t *out = reviews_month_json(req->db, &req->scope, from, to);
  if (!out) return reply_internal(rep);
  return handler_reply_list(req, rep, out, MONTH_EXPORT, "批阅月度情况");
}
