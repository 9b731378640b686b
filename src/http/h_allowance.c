/* h_allowance — 补助核算: the monthly living allowance (生活补助) and transport subsidy (交通补贴) of
 * each dispatching unit's cadres (3.4b), from their presence in the month.
 *
 * The server drafts the sheet of the month just ended for every unit with a post in it (the first
 * request of a day, day_start); the unit may also draft a month itself (the month just ended, or the
 * month in progress, counted up to today). The unit's HR (a unit role with PERM_FUNDS_WRITE) reviews
 * the lines, recounts a draft when leave or check-ins came in late, adjusts a line with a reason that
 * is kept and shown, and confirms once the month is over: each confirmed amount becomes a 3.4b row
 * of the funds ledger, paid by the unit. Every write names the sheet's version (409 stale; a second
 * confirmation is 409 and writes nothing). The county and city read their units' sheets, never write;
 * a cadre reads only their own lines (GET /me/allowances). A confirmed sheet exports to .xlsx for the
 * payroll. Amounts in fen; the formula is the local policy parameter allowance_rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/allowance.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/presence.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/write_tx.h"
#include "http/record_input.h"
#include "http/server.h"
#include "store/allowance.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/scope.h"

#define MAX_MONTH_FEN 10000000 /* 100,000 yuan: an adjusted monthly amount is at most this */
#define REASON_MAX_CHARS 200
#define MONTHS_BACK 12         /* a unit drafts at most a year back */

/* Exactly YYYY-MM with a month 01..12. */
static int parse_month(const char *s, int *year, int *month)
{
  if (!s || strlen(s) != 7 || s[4] != '-') return -1;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (s[i] < '0' || s[i] > '9')) return -1;
  *year = atoi(s);
  *month = atoi(s + 5);
  return *year >= 2000 && *month >= 1 && *month <= 12 ? 0 : -1;
}

/* The formula and presence rules in force on the first day of the month. */
static int count_of(struct request *req, struct reply *rep, int64_t unit, int year, int month,
                    struct allowance_rules *rules, struct presence_rules *presence, struct allowance_count *c)
{
  int first = date_make(year, month, 1);
  const struct policy_param *p = policy_param(req->app->policy, "allowance_rules", first);
  char why[160];
  if (!p || allowance_rules_from_json(p->value, rules, why, sizeof why) != 0)
    return reply_error(rep, 409, "no_rules", "政策参数中没有该月适用的补助核算办法（allowance_rules），请联系管理员", "month");
  handler_presence_rules(req, first, presence);
  *c = (struct allowance_count){unit, year, month, req->today, rules, presence};
  return 0;
}

static bool month_over(const struct request *req, const char *month)
{
  int year, m;
  if (parse_month(month, &year, &m) != 0) return false;
  return date_make(year, m, date_days_in_month(year, m)) < req->today;
}

/* Only the unit writes its sheets; the county and city read them. */
static int unit_writer(struct request *req, struct reply *rep)
{
  if (req->scope.kind == SCOPE_KIND_UNIT) return 0;
  return reply_error(rep, 403, "forbidden", "补助核算表由派出单位人事负责人核对确认，县、市级只能查看", NULL);
}

static int reply_sheet(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *s = allowance_sheet_json(req->db, &req->scope, id);
  if (!s) return reply_not_found(req, rep, "补助核算表不存在或不在管辖范围内", NULL);
  json_object_set_new(s, "month_over", json_boolean(month_over(req, json_string_value(json_object_get(s, "month")))));
  json_object_set_new(s, "clause", json_string("3.4b"));
  reply_json(rep, status, s);
  return 0;
}

static const char *const LIST_EXPORT[][2] = {
  {"month", "月份"}, {"unit_name", "派出单位"}, {"status", "状态"}, {"lines", "人数（岗位）"},
  {"living_fen", "生活补助（分）"}, {"transport_fen", "交通补贴（分）"}, {"total_fen", "合计（分）"},
  {"confirmed_by_name", "确认人"}, {"confirmed_at", "确认时间"}, {NULL, NULL}};

int api_allowance_sheets_list(struct request *req, struct reply *rep)
{
  static const char *const STATUSES[] = {"draft", "confirmed", NULL};
  int page, page_size, y, m;
  const char *month, *status, *waiting;
  int64_t unit = 0;
  char before[32];
  if (req->scope.kind == SCOPE_KIND_SELF)
    return reply_error(rep, 403, "forbidden", "驻村干部请在“我的补助”查看本人的补助", NULL);
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "month", 7, &month) != 0 ||
      rec_query_enum(req, rep, "status", STATUSES, &status) != 0 || rec_query_id(req, rep, "unit", &unit) != 0 ||
      query_text(req, rep, "waiting", 1, &waiting) != 0)
    return -1;
  /* ?waiting=1: the drafts whose month is over, waiting for the unit's confirmation (its 待办) */
  bool wait = waiting && strcmp(waiting, "1") == 0;
  snprintf(before, sizeof before, "%04d-%02d", date_year(req->today), date_month(req->today));
  if (wait) status = "draft";
  if (month && !*month) month = NULL;
  if (month && parse_month(month, &y, &m) != 0)
    return reply_error(rep, 400, "field_invalid", "month 应为 YYYY-MM 格式的月份，如 2026-05", "month");
  json_t *list = allowance_sheets_json(req->db, &req->scope, month, status, unit, wait ? before : NULL, page,
                                       query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, LIST_EXPORT, "补助核算表");
}

/* The month of a new sheet: not in the future, at most MONTHS_BACK months back. */
static int new_month(struct request *req, struct reply *rep, const char *text, int *year, int *month)
{
  if (parse_month(text, year, month) != 0)
    return reply_error(rep, 400, "field_invalid", "月份应为 YYYY-MM 格式，如 2026-05", "month");
  int ty = date_year(req->today), tm = date_month(req->today);
  int back = (ty - *year) * 12 + (tm - *month);
  if (back < 0) return reply_error(rep, 400, "field_invalid", "不能核算尚未开始的月份", "month");
  if (back > MONTHS_BACK) return reply_error(rep, 400, "field_invalid", "只能核算最近 12 个月的补助", "month");
  return 0;
}

/* A write on a sheet: drafted (its id set by the store), recounted, a line adjusted, or confirmed. */
struct sheet_write {
  int (*call)(struct request *req, struct sheet_write *s);
  const json_t *sheet; /* as read before the write: what a stale version is refused with */
  int64_t id, version;
  const struct allowance_count *count;
  const struct allowance_adjust *adjust;
  const char *today, *doc_no;
};

static int call_draft(struct request *req, struct sheet_write *s)
{
  return allowance_draft(req->db, s->count, req->user.id, req->now, &s->id);
}

static int call_recount(struct request *req, struct sheet_write *s)
{
  return allowance_recount(req->db, s->id, s->version, s->count);
}

static int call_adjust(struct request *req, struct sheet_write *s) { return allowance_adjust_line(req->db, s->adjust); }

static int call_confirm(struct request *req, struct sheet_write *s)
{
  return allowance_confirm(req->db, s->id, s->version, s->today, s->doc_no, req->user.id, req->now);
}

static int refuse_stale(struct reply *rep, const json_t *sheet);

/* A stale version is refused (409, nothing changed) in words that depend on the sheet. */
static int store_sheet(struct request *req, struct reply *rep, void *ctx)
{
  struct sheet_write *s = ctx;
  int w = s->call(req, s);
  if (w == DB_CONFLICT && s->sheet) {
    refuse_stale(rep, s->sheet);
    return WRITE_TX_REPLIED;
  }
  return w;
}

/* The one ceremony every write on a sheet shares: the act audited and committed, or nothing. */
static int sheet_write_run(struct request *req, struct reply *rep, struct sheet_write *s, const char *action,
                           const struct write_error *errors, json_t *body)
{
  struct write_tx w = {.store = store_sheet, .ctx = s, .errors = errors, .action = action,
                       .entity = "allowance_sheet", .id = &s->id, .detail = body};
  return write_tx_run(req, rep, &w);
}

static const struct write_error DRAFTED[] = {
    {DB_CONFLICT, 409, "duplicate", "本单位该月的补助核算表已生成，请打开核对", "month"}, {0}};
static const struct write_error NO_LINE[] = {{DB_NOT_FOUND, 404, "not_found", "该补助核算表中没有这一行", "line"}, {0}};

int api_allowance_sheets_create(struct request *req, struct reply *rep)
{
  static const char *const ALLOWED[] = {"month", NULL};
  json_t *body;
  if (unit_writer(req, rep) != 0 || body_object(req, rep, &body) != 0) return -1;
  const char *month_s;
  int year, month, rc = -1;
  int64_t id = 0;
  struct allowance_rules rules;
  struct presence_rules presence;
  struct allowance_count c;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "month", true, 7, &month_s) != 0 ||
      new_month(req, rep, month_s, &year, &month) != 0 ||
      count_of(req, rep, req->scope.unit_id, year, month, &rules, &presence, &c) != 0)
    goto out;
  struct sheet_write s = {.call = call_draft, .count = &c};
  rc = sheet_write_run(req, rep, &s, "allowance.draft", DRAFTED, body);
  id = s.id;
out:
  json_decref(body);
  return rc != 0 ? -1 : reply_sheet(req, rep, id, 201);
}

static const char *const LINE_EXPORT[][2] = {
  {"name", "姓名"}, {"township_name", "乡镇"}, {"village_name", "驻村"}, {"days_in_village", "在村天数"},
  {"leave_days", "请假天数"}, {"required_days", "应在村天数"}, {"meets_text", "达到在村要求"},
  {"living_yuan", "生活补助（元）"}, {"transport_yuan", "交通补贴（元）"}, {"total_yuan", "合计（元）"},
  {"adjust_reason", "调整原因"}, {"sign", "领取人签字"}, {NULL, NULL}};

/* The payroll sheet of a confirmed sheet: its lines and a 合计 row. */
static int export_sheet(struct request *req, struct reply *rep, json_t *s)
{
  if (strcmp(json_string_value(json_object_get(s, "status")), "confirmed") != 0) {
    json_decref(s);
    return reply_error(rep, 409, "not_confirmed", "补助核算表确认后才能导出发放表", NULL);
  }
  json_t *items = json_incref(json_object_get(s, "lines"));
  size_t i;
  json_t *line;
  json_array_foreach(items, i, line)
    json_object_set_new(line, "meets_text", json_string(json_integer_value(json_object_get(line, "meets_minimum")) ? "是" : "否"));
  char living[32], transport[32], total[32], name[160];
  allowance_yuan(json_integer_value(json_object_get(s, "living_fen")), living, sizeof living);
  allowance_yuan(json_integer_value(json_object_get(s, "transport_fen")), transport, sizeof transport);
  allowance_yuan(json_integer_value(json_object_get(s, "total_fen")), total, sizeof total);
  json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "name", "合计", "living_yuan", living,
                                         "transport_yuan", transport, "total_yuan", total));
  snprintf(name, sizeof name, "%s%s补助发放表", json_string_value(json_object_get(s, "unit_name")),
           json_string_value(json_object_get(s, "month")));
  json_t *list = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
  json_decref(s);
  return handler_reply_list(req, rep, list, LINE_EXPORT, name);
}

int api_allowance_sheets_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  if (!query_wants_xlsx(req)) return reply_sheet(req, rep, id, 200);
  json_t *s = allowance_sheet_json(req->db, &req->scope, id);
  if (!s) return reply_not_found(req, rep, "补助核算表不存在或不在管辖范围内", NULL);
  return export_sheet(req, rep, s);
}

/* The sheet named by the path, in scope, and the body's version; 404 / 400 replies. */
static int sheet_of_write(struct request *req, struct reply *rep, const char *const allowed[], json_t **body,
                          json_t **sheet, int64_t *id, int64_t *version)
{
  *body = NULL;
  *sheet = NULL;
  if (unit_writer(req, rep) != 0 || param_id(req, rep, 0, id) != 0) return -1;
  *sheet = allowance_sheet_json(req->db, &req->scope, *id);
  if (!*sheet) return reply_not_found(req, rep, "补助核算表不存在或不在管辖范围内", NULL);
  if (body_object(req, rep, body) != 0) return -1;
  if (fields_allowed(rep, *body, allowed) != 0 || field_int(rep, *body, "version", true, 1, INT64_MAX, version, NULL) != 0)
    return -1;
  return 0;
}

static int refuse_stale(struct reply *rep, const json_t *sheet)
{
  if (strcmp(json_string_value(json_object_get(sheet, "status")), "confirmed") == 0)
    return reply_error(rep, 409, "already_confirmed", "补助核算表已确认并记入经费台账，不能再修改或重复确认", "version");
  return reply_error(rep, 409, "stale", "补助核算表已被他人更新，请刷新后再办理", "version");
}

int api_allowance_sheets_recount(struct request *req, struct reply *rep)
{
  static const char *const ALLOWED[] = {"version", NULL};
  json_t *body, *sheet;
  int64_t id, version;
  int rc = -1, year, month;
  struct allowance_rules rules;
  struct presence_rules presence;
  struct allowance_count c;
  if (sheet_of_write(req, rep, ALLOWED, &body, &sheet, &id, &version) != 0 ||
      parse_month(json_string_value(json_object_get(sheet, "month")), &year, &month) != 0 ||
      count_of(req, rep, json_integer_value(json_object_get(sheet, "unit_id")), year, month, &rules, &presence, &c) != 0)
    goto out;
  struct sheet_write s = {.call = call_recount, .sheet = sheet, .id = id, .version = version, .count = &c};
  rc = sheet_write_run(req, rep, &s, "allowance.recount", NULL, body);
out:
  json_decref(body);
  json_decref(sheet);
  return rc != 0 ? -1 : reply_sheet(req, rep, id, 200);
}

int api_allowance_lines_adjust(struct request *req, struct reply *rep)
{
  static const char *const ALLOWED[] = {"version", "living_fen", "transport_fen", "reason", NULL};
  json_t *body, *sheet;
  int64_t id, version, line;
  int rc = -1;
  struct allowance_adjust a = {0};
  if (sheet_of_write(req, rep, ALLOWED, &body, &sheet, &id, &version) != 0 || param_id(req, rep, 1, &line) != 0 ||
      field_int(rep, body, "living_fen", true, 0, MAX_MONTH_FEN, &a.living_fen, NULL) != 0 ||
      field_int(rep, body, "transport_fen", true, 0, MAX_MONTH_FEN, &a.transport_fen, NULL) != 0 ||
      field_string(rep, body, "reason", true, REASON_MAX_CHARS, &a.reason) != 0)
    goto out;
  if (!*a.reason) { rc = reply_error(rep, 400, "field_required", "调整金额须写明原因", "reason"); goto out; }
  a.sheet_id = id;
  a.line_id = line;
  a.version = version;
  a.user_id = req->user.id;
  a.now = req->now;
  json_object_set_new(body, "line_id", json_integer(line)); /* the audit row names the line */
  struct sheet_write s = {.call = call_adjust, .sheet = sheet, .id = id, .adjust = &a};
  rc = sheet_write_run(req, rep, &s, "allowance.adjust", NO_LINE, body);
out:
  json_decref(body);
  json_decref(sheet);
  return rc != 0 ? -1 : reply_sheet(req, rep, id, 200);
}

int api_allowance_sheets_confirm(struct request *req, struct reply *rep)
{
  static const char *const ALLOWED[] = {"version", NULL};
  json_t *body, *sheet;
  int64_t id, version;
  int rc = -1;
  if (sheet_of_write(req, rep, ALLOWED, &body, &sheet, &id, &version) != 0) goto out;
  const char *month = json_string_value(json_object_get(sheet, "month"));
  if (strcmp(json_string_value(json_object_get(sheet, "status")), "draft") == 0 && !month_over(req, month)) {
    rc = reply_error(rep, 409, "month_not_over", "本月尚未结束，月末后才能确认补助核算表", NULL);
    goto out;
  }
  char today[DATE_ISO_SIZE], doc_no[64];
  date_format_iso(req->today, today);
  snprintf(doc_no, sizeof doc_no, "补助核算%s-%lld", month, (long long)id);
  struct sheet_write s = {.call = call_confirm, .sheet = sheet, .id = id, .version = version, .today = today,
                          .doc_no = doc_no};
  rc = sheet_write_run(req, rep, &s, "allowance.confirm", NULL, body);
out:
  json_decref(body);
  json_decref(sheet);
  return rc != 0 ? -1 : reply_sheet(req, rep, id, 200);
}

int api_me_allowances(struct request *req, struct reply *rep)
{
  int page, page_size;
  if (query_page(req, rep, &page, &page_size) != 0) return -1;
  if (req->scope.kind != SCOPE_KIND_SELF || !req->scope.cadre_id)
    return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以查看“我的补助”", NULL);
  json_t *list = allowance_cadre_lines_json(req->db, req->scope.cadre_id, page, page_size);
  if (!list) return reply_internal(rep);
  json_object_set_new(list, "clause", json_string("3.4b"));
  reply_json(rep, 200, list);
  return 0;
}

int allowance_draft_due(struct request *req, int *drafted)
{
  *drafted = 0;
  int year = date_year(req->today), month = date_month(req->today) - 1;
  if (month == 0) { month = 12; year--; }
  int first = date_make(year, month, 1);
  const struct policy_param *p = policy_param(req->app->policy, "allowance_rules", first);
  struct allowance_rules rules;
  struct presence_rules presence;
  char why[160];
  if (!p || allowance_rules_from_json(p->value, &rules, why, sizeof why) != 0) return 0; /* no formula: nothing to draft */
  handler_presence_rules(req, first, &presence);
  struct allowance_count c = {0, year, month, req->today, &rules, &presence};
  if (allowance_draft_missing(req->db, &c, req->now, drafted) != DB_OK) return -1;
  if (*drafted == 0) return 0;
  char detail[96], id[32];
  snprintf(id, sizeof id, "%04d-%02d", year, month);
  snprintf(detail, sizeof detail, "{\"month\":\"%s\",\"sheets\":%d}", id, *drafted);
  struct audit_entry e = {0, "system", "allowance.draft_auto", "allowance_sheet", id, "system", detail, req->now};
  return audit_append(req->db, &e) == DB_OK ? 0 : -1;
}
