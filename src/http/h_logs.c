/* h_logs — 驻村日志 (2.1, 5.1) and the periodic work report drafted from it (工作报告, 2.1).
 * A log entry is short and tagged with one of the five duties of 5.1 (policy `duties`); it may
 * name the check-in made with it, so that one act serves attendance and the diary. The report
 * draft groups the period's entries by duty into a text the cadre edits, never re-types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/review_flow.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/no_post.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/leaves.h"
#include "store/reports.h"
#include "store/work_logs.h"
#include "util/strbuf.h"


static const json_t *duties(const struct request *req)
{
  const struct policy_param *param = policy_param(req->app->policy, "duties", req->today);
  return param && json_is_array(param->value) ? param->value : NULL;
}

static const char *duty_name(const struct request *req, const char *code)
{
  size_t i;
  json_t *v;
  const json_t *list = duties(req);
  if (!list || !code) return NULL;
  json_array_foreach(list, i, v) {
    const char *c = json_string_value(json_object_get(v, "code"));
    if (c && strcmp(c, code) == 0) return json_string_value(json_object_get(v, "name_zh"));
  }
  return NULL;
}

static void add_duty_name(const struct request *req, json_t *row)
{
  const char *name = duty_name(req, json_string_value(json_object_get(row, "duty")));
  json_object_set_new(row, "duty_name", name ? json_string(name) : json_null());
}

static int parse_date(struct reply *rep, const char *s, const char *field, int *out)
{
  if (date_parse_iso(s, out) != 0 || *out < 20000101 || *out > 21001231)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", field);
  return 0;
}

/* An optional ?name=YYYY-MM-DD; *iso NULL when absent. */
static int query_date(struct request *req, struct reply *rep, const char *name, const char **iso, int *date)
{
  if (query_text(req, rep, name, 10, iso) != 0) return -1;
  if (*iso && !**iso) *iso = NULL;
  if (*iso && parse_date(rep, *iso, name, date) != 0) return -1;
  return 0;
}

/* A log written (its id set by the store) under its subject. */
struct log_write {
  const struct work_log *log;
  const char *subject;
  int64_t id;
};

static int store_log(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct log_write *l = ctx;
  return work_logs_insert_subject(req->db, l->log, l->subject, req->now, &l->id);
}

int api_logs_create(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以写驻村日志", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"date", "duty", "text", "checkin_client_id", "subject", NULL};
  const char *date_s, *duty, *text, *client_id, *subject;
  int date, now_day = req->today;
  int rc = -1;
  int64_t id = 0, checkin_id = 0;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "date", true, 10, &date_s) != 0 ||
      field_string(rep, body, "duty", true, 32, &duty) != 0 || field_string(rep, body, "text", true, 500, &text) != 0 ||
      field_string(rep, body, "checkin_client_id", false, 64, &client_id) != 0 ||
      field_string(rep, body, "subject", false, 200, &subject) != 0 ||
      parse_date(rep, date_s, "date", &date) != 0)
    goto out;
  if (!duties(req)) { rc = reply_internal(rep); goto out; }
  if (!duty_name(req, duty)) {
    rc = reply_error(rep, 400, "field_invalid",
                     "职责应为五项之一：建强村党组织、巩固脱贫成果、发展乡村产业、推进乡村建设、抓好乡村治理（5.1）", "duty");
    goto out;
  }
  if (date > now_day) {
    rc = reply_error(rep, 400, "field_invalid", "日志日期不能晚于今天", "date");
    goto out;
  }
  long backdate = policy_int(req->app->policy, "log_backdate_max_days", now_day);
  if (backdate < 0) { rc = reply_internal(rep); goto out; }
  long age = 0;
  date_diff_days(date, now_day, &age);
  if (age > backdate) {
    char msg[160];
    snprintf(msg, sizeof msg, "只能补记 %ld 天内的驻村日志", backdate);
    rc = reply_error(rep, 400, "field_invalid", msg, "date");
    goto out;
  }
  struct cadre_station station;
  int s = leaves_station(req->db, req->user.cadre_id, &station);
  if (s == DB_NOT_FOUND) {
    rc = reply_no_post(req, rep, "您当前没有驻村岗位，不能写驻村日志");
    goto out;
  }
  if (s != DB_OK) { rc = reply_internal(rep); goto out; }
  if (client_id && *client_id) {
    s = work_logs_find_checkin(req->db, req->user.cadre_id, client_id, date_s, &checkin_id);
    if (s == DB_NOT_FOUND) {
      rc = reply_error(rep, 400, "field_invalid", "未找到您在日志当天的这次打卡（checkin_client_id）", "checkin_client_id");
      goto out;
    }
    if (s != DB_OK) { rc = reply_internal(rep); goto out; }
  }
  struct work_log w = {req->user.cadre_id, station.village_code, date_s, duty, text, checkin_id};
  struct log_write lw = {&w, subject, 0};
  struct write_tx wt = {.store = store_log, .ctx = &lw, .action = "log.create", .entity = "work_log", .id = &lw.id,
                        .detail = body};
  rc = write_tx_run(req, rep, &wt);
  id = lw.id;
out:
  json_decref(body);
  if (rc != 0) return -1;
  json_t *log = work_logs_get_json(req->db, &req->scope, id);
  if (!log) return reply_internal(rep);
  add_duty_name(req, log);
  reply_json(rep, 201, log);
  return 0;
}

static const char *const LOG_EXPORT[][2] = {
  {"date", "日期"}, {"cadre_name", "姓名"}, {"village_name", "村"}, {"duty_name", "职责"}, {"text", "内容"},
  {"subject", "涉及农户或项目"}, {"review_state_name", "批阅"}, {NULL, NULL}};

int api_logs_list(struct request *req, struct reply *rep)
{
  int page, page_size, from, to;
  const char *cadre, *duty, *from_s, *to_s, *review;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "cadre", 20, &cadre) != 0 ||
      query_text(req, rep, "duty", 32, &duty) != 0 || query_date(req, rep, "from", &from_s, &from) != 0 ||
      query_date(req, rep, "to", &to_s, &to) != 0 || query_text(req, rep, "review", 12, &review) != 0)
    return -1;
  struct work_log_filter f = {0, from_s, to_s, duty && *duty ? duty : NULL, review && *review ? review : NULL};
  if (f.review_state && review_state_parse(f.review_state) < 0)
    return reply_error(rep, 400, "field_invalid", "批阅情况（review）应为待批阅（pending）、已退回（returned）、已重新提交（resubmitted）或已通过（accepted）", "review");
  if (handler_cadre_filter(req, rep, cadre, &f.cadre_id) != 0) return -1;
  if (f.duty && !duty_name(req, f.duty))
    return reply_error(rep, 400, "field_invalid", "查询参数 duty 应为五项职责之一（5.1）", "duty");
  json_t *list = work_logs_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) add_duty_name(req, row);
  return handler_reply_list(req, rep, list, LOG_EXPORT, "驻村日志");
}

/* ---- the periodic work report (工作报告, 2.1) ---- */

static const char *chinese_ordinal(size_t i)
{
  static const char *const N[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  return i < sizeof N / sizeof N[0] ? N[i] : NULL;
}

static void date_zh(int date, char out[40], bool with_year)
{
  if (with_year) snprintf(out, 40, "%d年%d月%d日", date_year(date), date_month(date), date_day(date));
  else snprintf(out, 40, "%d月%d日", date_month(date), date_day(date));
}

int api_reports_draft(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以起草工作报告", NULL);
  int now_day = req->today, from, to;
  const char *from_s, *to_s;
  if (query_date(req, rep, "from", &from_s, &from) != 0 || query_date(req, rep, "to", &to_s, &to) != 0) return -1;
  char from_buf[DATE_ISO_SIZE], to_buf[DATE_ISO_SIZE];
  if (!from_s) from = date_make(date_year(now_day), date_month(now_day), 1); /* default: this month so far */
  if (!to_s) to = now_day;
  date_format_iso(from, from_buf);
  date_format_iso(to, to_buf);
  if (from > to) return reply_error(rep, 400, "field_invalid", "开始日期不能晚于结束日期", "from");
  long span = 0;
  date_diff_days(from, to, &span);
  if (span > 366) return reply_error(rep, 400, "field_invalid", "报告期不能超过一年", "from");
  const json_t *list = duties(req);
  json_t *entries = list ? work_logs_period(req->db, req->user.cadre_id, from_buf, to_buf) : NULL;
  if (!entries) return reply_internal(rep);

  struct strbuf text;
  strbuf_init(&text, 1 << 20);
  char a[40], b[40];
  bool multi_year = date_year(from) != date_year(to);
  date_zh(from, a, true);
  date_zh(to, b, true);
  int rc = strbuf_appendf(&text, "驻村工作报告（%s至%s）\n", a, b);
  json_t *sections = json_array();
  size_t i, k;
  json_t *duty, *e;
  json_array_foreach(list, i, duty) {
    const char *code = json_string_value(json_object_get(duty, "code"));
    const char *name = json_string_value(json_object_get(duty, "name_zh"));
    if (!code || !name) continue;
    json_t *mine = json_array();
    json_array_foreach(entries, k, e)
      if (strcmp(json_string_value(json_object_get(e, "duty")), code) == 0)
        json_array_append_new(mine, json_pack("{s:O, s:O, s:O}", "date", json_object_get(e, "date"), "text",
                                              json_object_get(e, "text"), "subject", json_object_get(e, "subject")));
    size_t count = json_array_size(mine);
    const char *ordinal = chinese_ordinal(i);
    if (ordinal) rc |= strbuf_appendf(&text, "\n%s、%s（%zu 次）\n", ordinal, name, count);
    else rc |= strbuf_appendf(&text, "\n%zu. %s（%zu 次）\n", i + 1, name, count);
    if (count == 0) rc |= strbuf_appendf(&text, "本期无记录。\n");
    json_array_foreach(mine, k, e) {
      int d = 0;
      date_parse_iso(json_string_value(json_object_get(e, "date")), &d);
      date_zh(d, a, multi_year);
      const char *subject = json_string_value(json_object_get(e, "subject"));
      rc |= strbuf_appendf(&text, "%zu. %s %s", k + 1, a, json_string_value(json_object_get(e, "text")));
      rc |= subject ? strbuf_appendf(&text, "（涉及：%s）\n", subject) : strbuf_appendf(&text, "\n");
    }
    json_array_append_new(sections, json_pack("{s:s, s:s, s:I, s:o}", "duty", code, "duty_name", name, "count",
                                              (json_int_t)count, "entries", mine));
  }
  size_t total = json_array_size(entries);
  json_decref(entries);
  if (rc != 0) {
    strbuf_free(&text);
    json_decref(sections);
    return reply_internal(rep);
  }
  /* the report already sent for exactly this period, if any: the UI offers a revision instead */
  int64_t report_id = 0;
  int found = reports_find_period(req->db, req->user.cadre_id, from_buf, to_buf, &report_id);
  json_t *report = found == DB_OK ? reports_get_json(req->db, &req->scope, report_id) : NULL;
  if (found != DB_OK && found != DB_NOT_FOUND) {
    strbuf_free(&text);
    json_decref(sections);
    return reply_internal(rep);
  }
  reply_json(rep, 200, json_pack("{s:s, s:s, s:I, s:o, s:s, s:o}", "from", from_buf, "to", to_buf, "total",
                                 (json_int_t)total, "sections", sections, "text", strbuf_cstr(&text), "report",
                                 report ? report : json_null()));
  strbuf_free(&text);
  return 0;
}
