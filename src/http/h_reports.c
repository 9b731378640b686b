/* h_reports — 工作报告 (2.1 严格落实考勤、请销假、工作报告和纪律约束等制度). The cadre drafts the report
 * from the work logs of the period (GET /reports/draft, h_logs.c), edits it and sends it; the
 * township and the dispatching unit read it, and their first reading is recorded. A period is
 * reported once; a change is an explicit revision of the same report (PUT), which clears the read
 * marks so that both readers see it again. Every write is one transaction with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/no_post.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/discipline.h"
#include "store/reports.h"
#include "store/work_logs.h"

#define REPORT_MAX_DAYS 92     /* a quarter at most: 7–9 or 10–12 */
#define REPORT_MAX_CHARS 20000


static int parse_date(struct reply *rep, const char *s, const char *field, int *out)
{
  if (date_parse_iso(s, out) != 0 || *out < 20000101 || *out > 21001231)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", field);
  return 0;
}

/* An optional ?name=YYYY-MM-DD; *iso NULL when absent. */
static int query_date(struct request *req, struct reply *rep, const char *name, const char **iso)
{
  int date;
  if (query_text(req, rep, name, 10, iso) != 0) return -1;
  if (*iso && !**iso) *iso = NULL;
  if (*iso && parse_date(rep, *iso, name, &date) != 0) return -1;
  return 0;
}

/* Whose read mark the caller's reading sets: the township's party committee for a township role,
 * the dispatching unit for a unit role; the county, the city and the cadre read without marking. */
static enum report_reader reader_of(const struct role *role)
{
  if (!role) return REPORT_READER_NONE;
  if (role->scope_kind == SCOPE_KIND_REGION && role->level && strcmp(role->level, "township") == 0)
    return REPORT_READER_TOWNSHIP;
  if (role->scope_kind == SCOPE_KIND_UNIT) return REPORT_READER_UNIT;
  return REPORT_READER_NONE;
}

/* The report's text: required, not only blanks, at most REPORT_MAX_CHARS characters. */
static int report_text(struct reply *rep, const json_t *body, const char **text)
{
  if (field_text(rep, body, "text", true, REPORT_MAX_CHARS, text) != 0) return -1;
  if ((*text)[strspn(*text, " \t\r\n")] == '\0') return reply_error(rep, 400, "field_required", "报告内容不能为空", "text");
  return 0;
}

static int64_t count_logs(struct request *req, int64_t cadre_id, const char *from, const char *to)
{
  return work_logs_count(req->db, cadre_id, from, to);
}

static int reply_report(struct request *req, struct reply *rep, int status, int64_t id)
{
  json_t *report = reports_get_json(req->db, &req->scope, id);
  if (!report || review_attach(req, REVIEW_KIND_REPORT, id, report) != 0) {
    json_decref(report);
    return reply_internal(rep);
  }
  reply_json(rep, status, report);
  return 0;
}

static int already_reported(struct reply *rep, int64_t existing)
{
  reply_error(rep, 409, "already_submitted", "该报告期的工作报告已提交（每期只报一次）；如需修改，请修改后重新提交", "from");
  json_object_set_new(json_object_get(rep->json, "error"), "existing", json_integer(existing));
  return -1;
}

/* A report submitted for a period (its id set by the store), revised, or marked read. The submission
 * and the revision write their own audit rows: they name the number of logs counted inside the
 * transaction. */
struct report_write {
  struct report_new *r;
  const json_t *body, *report;
  int64_t id, revision;
  const char *text;
  enum review_state from;
  enum report_reader reader;
};

/* Refused inside the transaction: a period reported already (by this request's twin, too). */
static int store_submit(struct request *req, struct reply *rep, void *ctx)
{
  struct report_write *w = ctx;
  struct report_new *r = w->r;
  int64_t existing = 0;
  int rc = reports_find_period(req->db, req->user.cadre_id, r->from, r->to, &existing);
  if (rc == DB_OK) {
    already_reported(rep, existing);
    return WRITE_TX_REPLIED;
  }
  if (rc != DB_NOT_FOUND) return rc;
  r->log_count = count_logs(req, req->user.cadre_id, r->from, r->to);
  if (r->log_count < 0) return DB_ERROR;
  rc = reports_insert(req->db, r, req->now, &w->id);
  if (rc == DB_CONFLICT) { /* sent twice at once: the other request won */
    if (reports_find_period(req->db, req->user.cadre_id, r->from, r->to, &existing) != DB_OK) existing = 0;
    already_reported(rep, existing);
    return WRITE_TX_REPLIED;
  }
  if (rc != DB_OK) return rc;
  char sid[24];
  snprintf(sid, sizeof sid, "%lld", (long long)w->id);
  json_t *detail = json_pack("{s:s, s:s, s:I, s:O}", "from", r->from, "to", r->to, "log_count",
                             (json_int_t)r->log_count, "text", json_object_get(w->body, "text"));
  rc = handler_audit(req, "report.submit", "work_report", sid, detail);
  json_decref(detail);
  return rc;
}

static int store_revise(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct report_write *w = ctx;
  int rc = reviews_keep_version(req->db, REVIEW_KIND_REPORT, w->id);
  int64_t logs = rc == DB_OK ? count_logs(req, req->user.cadre_id, json_string_value(json_object_get(w->report, "from")),
                                          json_string_value(json_object_get(w->report, "to")))
                             : -1;
  if (rc == DB_OK && logs < 0) rc = DB_ERROR;
  if (rc == DB_OK) rc = reports_revise(req->db, w->id, req->user.cadre_id, w->text, logs, req->now);
  if (rc == DB_OK) rc = review_resubmit(req, REVIEW_KIND_REPORT, w->id, req->user.cadre_id, w->revision + 1, w->from);
  if (rc == DB_OK) {
    json_t *detail = json_pack("{s:I, s:I, s:O}", "revision", (json_int_t)w->revision + 1, "log_count", (json_int_t)logs,
                               "text", json_object_get(w->body, "text"));
    rc = handler_audit(req, "report.revise", "work_report", req->params[0], detail);
    json_decref(detail);
  }
  return rc;
}

/* Read at the same moment by a colleague: their time stays, and the answer is the report. */
static int store_read(struct request *req, struct reply *rep, void *ctx)
{
  const struct report_write *w = ctx;
  int rc = reports_mark_read(req->db, w->id, w->reader, req->now);
  if (rc == DB_CONFLICT) return reply_report(req, rep, 200, w->id) == 0 ? WRITE_TX_REPLIED : DB_ERROR;
  return rc;
}

static const struct write_error REVISED[] = {
    {DB_CONFLICT, 409, "stale", "报告刚被修改或批阅，请刷新后重试", NULL}, {0}};

int api_reports_create(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以提交工作报告", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"from", "to", "text", NULL};
  const char *from_s, *to_s, *text;
  int from, to, rc = -1;
  int64_t id = 0;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "from", true, 10, &from_s) != 0 ||
      field_string(rep, body, "to", true, 10, &to_s) != 0 || parse_date(rep, from_s, "from", &from) != 0 ||
      parse_date(rep, to_s, "to", &to) != 0)
    goto out;
  if (from > to) { rc = reply_error(rep, 400, "field_invalid", "开始日期不能晚于结束日期", "from"); goto out; }
  if (to > req->today) {
    rc = reply_error(rep, 400, "field_invalid", "报告期不能包含今天以后的日期：期末结束后再提交", "to");
    goto out;
  }
  long span = 0;
  date_diff_days(from, to, &span);
  if (span + 1 > REPORT_MAX_DAYS) {
    char msg[160];
    snprintf(msg, sizeof msg, "报告期不能超过 %d 天（一个季度），本期 %ld 天", REPORT_MAX_DAYS, span + 1);
    rc = reply_error(rep, 400, "field_invalid", msg, "to");
    goto out;
  }
  if (report_text(rep, body, &text) != 0) goto out;
  struct discipline_post post;
  int s = discipline_post_of(req->db, req->user.cadre_id, &post);
  if (s == DB_NOT_FOUND) {
    rc = reply_no_post(req, rep, "您当前没有驻村岗位，不能提交工作报告");
    goto out;
  }
  if (s != DB_OK) { rc = reply_internal(rep); goto out; }
  /* the dates as the server writes them (a 2026-1-5 style input is refused by parse_date anyway) */
  char from_iso[DATE_ISO_SIZE], to_iso[DATE_ISO_SIZE];
  date_format_iso(from, from_iso);
  date_format_iso(to, to_iso);

  struct report_new r = {req->user.cadre_id, post.assignment_id, post.unit_id, post.village_code, from_iso, to_iso,
                         text, 0};
  struct report_write rw = {.r = &r, .body = body};
  struct write_tx w = {.store = store_submit, .ctx = &rw}; /* the audit row is the store call's */
  rc = write_tx_run(req, rep, &w);
  id = rw.id;
out:
  json_decref(body);
  if (rc != 0) return -1;
  return reply_report(req, rep, 201, id);
}

/* The report named in the path, in scope; the caller owns *out. */
static int report_in_scope(struct request *req, struct reply *rep, int64_t *id, json_t **out)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  *out = reports_get_json(req->db, &req->scope, *id);
  if (!*out) return reply_not_found(req, rep, "工作报告不存在或不在管辖范围内", NULL);
  return 0;
}

int api_reports_revise(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *report, *body = NULL;
  if (report_in_scope(req, rep, &id, &report) != 0) return -1;
  int rc = -1;
  if (!req->user.cadre_id || json_integer_value(json_object_get(report, "cadre_id")) != req->user.cadre_id) {
    rc = reply_error(rep, 403, "forbidden", "只能修改本人的工作报告", NULL);
    goto out;
  }
  static const char *const ALLOWED[] = {"text", NULL};
  const char *text;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 || report_text(rep, body, &text) != 0)
    goto out;
  /* 批阅: an accepted report is final; a returned one becomes resubmitted; the text replaced is kept */
  int s = review_state_parse(json_string_value(json_object_get(report, "review_state")));
  enum review_state from = s < 0 ? REVIEW_PENDING : (enum review_state)s;
  if (from == REVIEW_ACCEPTED) { rc = review_refuse(rep, REVIEW_ALREADY_ACCEPTED); goto out; }
  struct report_write rw = {.body = body, .report = report, .id = id, .text = text, .from = from,
                            .revision = json_integer_value(json_object_get(report, "revision"))};
  struct write_tx w = {.store = store_revise, .ctx = &rw, .errors = REVISED}; /* the audit row is the store call's */
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(report);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_report(req, rep, 200, id);
}

int api_reports_get(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *report;
  if (report_in_scope(req, rep, &id, &report) != 0) return -1;
  enum report_reader reader = reader_of(req->user.role);
  const char *mark = reader == REPORT_READER_TOWNSHIP ? "read_by_township_at"
                     : reader == REPORT_READER_UNIT   ? "read_by_unit_at"
                                                      : NULL;
  bool marked = !mark || !json_is_null(json_object_get(report, mark));
  json_decref(report);
  if (marked) return reply_report(req, rep, 200, id);
  /* the first reading by the township or the unit: recorded, with its audit row */
  struct report_write rw = {.id = id, .reader = reader};
  json_t *detail = json_pack("{s:s}", "reader", reader == REPORT_READER_TOWNSHIP ? "township" : "unit");
  struct write_tx w = {.store = store_read, .ctx = &rw, .action = "report.read", .entity = "work_report",
                       .entity_id = req->params[0], .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  if (rc != 0) return rep->status == 200 ? 0 : -1; /* a colleague's reading stands: answered already */
  return reply_report(req, rep, 200, id);
}

static const char *const REPORT_EXPORT[][2] = {
  {"id", "编号"}, {"from", "报告期起"}, {"to", "报告期止"}, {"cadre_name", "姓名"}, {"unit_name", "派出单位"},
  {"township_name", "乡镇"}, {"village_name", "村"}, {"log_count", "日志条数"}, {"revision", "修改次数"},
  {"submitted_at", "提交时间"}, {"revised_at", "最后修改"}, {"read_by_township_at", "乡镇已阅"},
  {"read_by_unit_at", "单位已阅"}, {"review_state_name", "批阅"}, {"text", "报告内容"}, {NULL, NULL}};

int api_reports_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *cadre, *from_s, *to_s, *unread, *review;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "cadre", 20, &cadre) != 0 ||
      query_date(req, rep, "from", &from_s) != 0 || query_date(req, rep, "to", &to_s) != 0 ||
      query_text(req, rep, "unread", 4, &unread) != 0 || query_text(req, rep, "review", 12, &review) != 0)
    return -1;
  struct report_filter f = {0, from_s, to_s, REPORT_READER_NONE, REPORT_REVIEW_ANY};
  if (cadre && *cadre) {
    char *endp;
    long long v = strtoll(cadre, &endp, 10);
    if (*endp || v <= 0) return reply_error(rep, 400, "field_invalid", "查询参数 cadre 应为干部编号", "cadre");
    f.cadre_id = v;
  }
  if (unread && strcmp(unread, "1") == 0) {
    f.unread = reader_of(req->user.role);
    if (f.unread == REPORT_READER_NONE)
      return reply_error(rep, 403, "forbidden", "只有乡镇党委和派出单位有未读工作报告（unread=1）", "unread");
  }
  if (review && *review) {
    f.review = strcmp(review, "waiting") == 0    ? REPORT_REVIEW_WAITING
               : strcmp(review, "returned") == 0 ? REPORT_REVIEW_RETURNED
               : strcmp(review, "accepted") == 0 ? REPORT_REVIEW_ACCEPTED
                                                 : REPORT_REVIEW_ANY;
    if (f.review == REPORT_REVIEW_ANY)
      return reply_error(rep, 400, "field_invalid", "批阅情况（review）应为待批阅（waiting）、已退回（returned）或已通过（accepted）",
                         "review");
  }
  json_t *list = reports_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  enum report_reader me = reader_of(req->user.role);
  if (list) /* whose read mark is the caller's: the UI shows 未读 against it */
    json_object_set_new(list, "reader", me == REPORT_READER_TOWNSHIP ? json_string("township")
                                        : me == REPORT_READER_UNIT   ? json_string("unit")
                                                                     : json_null());
  return handler_reply_list(req, rep, list, REPORT_EXPORT, "工作报告");
}
