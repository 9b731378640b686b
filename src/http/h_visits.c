/* h_visits — 遍访 (5.6) from the phone, and what the county reads from it: coverage of the
 * 监测户 and 脱贫户 for any region and period, the households not yet visited with the cadre
 * responsible, and the cross-checks (疑点比对) over the registry.
 *
 * A visit is a check-in at the village (2.1) judged by the same clock, delay and fence rules, and
 * an entry of the work log (5.1): one act, reported once (最多报一次). The check-in, the log entry,
 * the visit and the household's history row are written in one transaction under the phone's
 * client_id; a resend of the same client_id gets the same visit back (409 duplicate), never a
 * second row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/checkin_rules.h"
#include "core/date.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/no_post.h"
#include "http/write_tx.h"
#include "http/not_found.h"
#include "http/server.h"
#include "store/checkins.h"
#include "store/crosscheck.h"
#include "store/db.h"
#include "store/household_brief.h"
#include "store/households.h"
#include "store/region_path.h"
#include "store/scope.h"
#include "store/visits.h"
#include "store/work_logs.h"

struct visit_input {
  const char *client_id, *source, *reason, *findings;
  int64_t household_id, at, sent_at;
  double lat, lng, accuracy;
  json_t *risks;  /* borrowed from the body */
};

/* risks: distinct codes of the policy list risk_types (5.7). */
static int read_risks(struct request *req, struct reply *rep, json_t *risks)
{
  if (!risks) return 0;
  if (!json_is_array(risks) || json_array_size(risks) > 20)
    return reply_error(rep, 400, "field_type", "风险类型（risks）应为风险类型代码的列表", "risks");
  size_t i, j;
  json_t *r;
  json_array_foreach(risks, i, r) {
    const char *code = json_string_value(r);
    if (!code || !policy_list_item(req->app->policy, "risk_types", req->today, code))
      return reply_error(rep, 400, "field_invalid", "风险类型不在政策文件的列表（risk_types）中", "risks");
    for (j = 0; j < i; j++)
      if (strcmp(json_string_value(json_array_get(risks, j)), code) == 0)
        return reply_error(rep, 400, "field_invalid", "风险类型重复", "risks");
  }
  return 0;
}

static int read_visit(struct request *req, struct reply *rep, const json_t *body, struct visit_input *in)
{
  static const char *const ALLOWED[] = {"client_id", "household_id", "at", "sent_at", "lat", "lng", "accuracy_m",
                                        "source", "reason", "findings", "risks", NULL};
  bool has;
  memset(in, 0, sizeof *in);
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "client_id", true, 64, &in->client_id) != 0 ||
      field_int(rep, body, "household_id", true, 1, INT64_MAX, &in->household_id, &has) != 0 ||
      field_string(rep, body, "source", false, 16, &in->source) != 0 ||
      field_string(rep, body, "reason", false, 200, &in->reason) != 0 ||
      field_text(rep, body, "findings", true, 1000, &in->findings) != 0 ||
      handler_parse_instant(rep, body, "at", &in->at) != 0 || handler_parse_instant(rep, body, "sent_at", &in->sent_at) != 0 ||
      field_number(rep, body, "lat", true, -90, 90, &in->lat, &has) != 0 ||
      field_number(rep, body, "lng", true, -180, 180, &in->lng, &has) != 0 ||
      field_number(rep, body, "accuracy_m", true, 0, 100000, &in->accuracy, &has) != 0)
    return -1;
  if (strlen(in->client_id) < 8 || strspn(in->client_id, "0123456789abcdefABCDEF-") != strlen(in->client_id))
    return reply_error(rep, 400, "field_invalid", "提交编号（client_id）应为 8 至 64 位十六进制字符（如 UUID）", "client_id");
  if (in->source && strcmp(in->source, "gps") && strcmp(in->source, "network") && strcmp(in->source, "manual"))
    return reply_error(rep, 400, "field_invalid", "定位方式（source）应为卫星定位（gps）、网络定位（network）或手动（manual）", "source");
  if (!*in->findings) return reply_error(rep, 400, "field_required", "请填写走访了解到的情况", "findings");
  in->risks = json_object_get(body, "risks");
  return read_risks(req, rep, in->risks);
}

/* The same answer for a resend: 409 with the visit first recorded (existing: owned, may be NULL). */
#define DUPLICATE_ZH "该走访已提交过，不再重复记录"

static int duplicate(struct reply *rep, json_t *existing)
{
  reply_error(rep, 409, "duplicate", DUPLICATE_ZH, "client_id");
  if (existing) json_object_set_new(json_object_get(rep->json, "error"), "existing", existing);
  return -1;
}

/* The household, in the cadre's village: its number and head for the log entry. */
static int visited_household(struct request *req, struct reply *rep, int64_t id, const struct station *st,
                             char *subject, size_t len)
{
  struct household_brief h;
  int rc = household_brief(req->db, id, &h);
  if (rc != DB_OK && rc != DB_NOT_FOUND) return reply_internal(rep);
  bool ok = rc == DB_OK && strcmp(h.village_code, st->village_code) == 0;
  if (ok && snprintf(subject, len, "户主 %s（户编号 %s）", h.head_name, h.household_no) < 0) return reply_internal(rep);
  if (!ok) return reply_not_found(req, rep, "该户不在您驻村的村，或已销户", "household_id");
  return 0;
}

struct visit_write {
  const struct visit_input *in;
  const struct new_checkin *checkin;
  const char *subject;
  int64_t id;
};

static int write_visit(struct request *req, struct visit_write *vw, int64_t now)
{
  const struct visit_input *in = vw->in;
  int64_t checkin_id = 0, log_id = 0;
  int w = checkins_insert(req->db, vw->checkin, &checkin_id);
  char text[1200];
  snprintf(text, sizeof text, "入户走访：%s", in->findings);
  struct work_log log = {req->user.cadre_id, vw->checkin->station->village_code, vw->checkin->date, "consolidation",
                         text, checkin_id};
  if (w == DB_OK) w = work_logs_insert_subject(req->db, &log, vw->subject, now, &log_id); /* 5.1 巩固脱贫成果 */
  char *risks = in->risks ? json_dumps(in->risks, JSON_COMPACT) : NULL;
  struct new_visit v = {in->household_id, req->user.cadre_id, checkin_id, vw->checkin->station->village_code,
                        in->client_id, vw->checkin->date, in->findings, risks ? risks : "[]"};
  if (w == DB_OK) w = visits_insert(req->db, &v, now, &vw->id);
  json_t *story = json_pack("{s:s, s:o}", "visited_on", vw->checkin->date, "risks",
                           in->risks ? json_incref(in->risks) : json_array());
  if (w == DB_OK) w = households_history_add(req->db, in->household_id, req->user.id, "visit", story, now); /* 5.8 */
  if (w == DB_OK) {
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)in->household_id);
    w = handler_audit(req, "visit.create", "household", sid, story);
  }
  json_decref(story);
  free(risks);
  return w;
}

static int store_visit(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return write_visit(req, ctx, req->now);
}

/* The same client_id written meanwhile by a resend that raced this one. */
static const struct write_error VISIT_ERRORS[] = {{DB_CONFLICT, 409, "duplicate", DUPLICATE_ZH, "client_id"}, {0}};

/* Judges the visit as a check-in and fills *c; writes the reply and returns -1 when refused. */
static int judge(struct request *req, struct reply *rep, const struct visit_input *in, struct station *st,
                 struct new_checkin *c, char date[DATE_ISO_SIZE], char flags[64], int64_t now)
{
  struct checkin_limits limits = handler_checkin_limits(req->app->policy, req->today);
  bool delayed;
  enum checkin_time_result tr = checkin_judge_time(in->at, in->sent_at, now, &limits, &delayed);
  if (tr != CHECKIN_TIME_OK)
    return reply_error(rep, 400, checkin_time_code(tr), checkin_time_message_zh(tr),
                       tr == CHECKIN_TIME_CLOCK_SKEW ? "sent_at" : "at");
  int found = checkins_station_on(req->db, req->user.cadre_id, date_from_unix_cst((time_t)in->at), st);
  if (found == DB_NOT_FOUND) return reply_no_post(req, rep, "当前没有在岗的驻村任务，不能记录走访");
  if (found != DB_OK) return reply_internal(rep);
  double distance = 0;
  bool in_fence = st->has_fence && checkin_in_fence(in->lat, in->lng, st->lat, st->lng, st->radius_m, &distance);
  if (st->has_fence && !in_fence && (!in->reason || !*in->reason)) {
    char msg[200];
    checkin_message_zh(false, distance, st->village_name, msg, sizeof msg);
    strncat(msg, "；如确在农户家中，请填写说明后再提交", sizeof msg - strlen(msg) - 1);
    return reply_error(rep, 400, "outside_fence", msg, "reason");
  }
  struct checkin_previous prev;
  if (checkins_previous(req->db, req->user.cadre_id, in->at, in->lat, in->lng, limits.same_coords_days, &prev) != DB_OK)
    return reply_internal(rep);
  checkin_flags_text(checkin_flags(&prev, in->at, in->lat, in->lng, in->accuracy, st->has_fence ? st->radius_m : 1e9,
                                   &limits), flags, 64);
  date_format_iso(date_from_unix_cst((time_t)in->at), date);
  *c = (struct new_checkin){req->user.cadre_id, st, in->client_id, "visit", in->source, in->reason, flags, in->at, now,
                            date, in->lat, in->lng, in->accuracy, distance, in_fence, delayed};
  return 0;
}

static int record_visit(struct request *req, struct reply *rep, const struct visit_input *in)
{
  json_t *existing = visits_find_client_json(req->db, req->user.cadre_id, in->client_id);
  if (existing) return duplicate(rep, existing);
  int64_t now = req->now;
  struct station st;
  struct new_checkin c;
  char date[DATE_ISO_SIZE], flags[64], subject[200];
  if (judge(req, rep, in, &st, &c, date, flags, now) != 0) return -1;
  if (visited_household(req, rep, in->household_id, &st, subject, sizeof subject) != 0) return -1;
  struct visit_write vw = {in, &c, subject, 0};
  /* write_visit appends the audit row itself: its detail is the household's history entry */
  struct write_tx w = {.store = store_visit, .ctx = &vw, .errors = VISIT_ERRORS};
  if (write_tx_run(req, rep, &w) != 0) {
    /* rolled back; a duplicate answers with the visit the resend duplicates */
    if (rep->status == 409) return duplicate(rep, visits_find_client_json(req->db, req->user.cadre_id, in->client_id));
    return -1;
  }
  json_t *out = visits_get_json(req->db, vw.id);
  if (!out) return reply_internal(rep);
  char message[200];
  if (st.has_fence) checkin_message_zh(c.in_fence, c.distance_m, st.village_name, message, sizeof message);
  else snprintf(message, sizeof message, "已记录；%s尚未设置打卡范围，请联系乡镇设置", st.village_name);
  json_object_set_new(out, "message", json_string(message));
  json_object_set_new(out, "delayed", json_boolean(c.delayed));
  reply_json(rep, 201, out);
  return 0;
}

int api_visits_create(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以记录走访", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct visit_input in;
  int rc = read_visit(req, rep, body, &in);
  if (rc == 0) rc = record_visit(req, rep, &in);
  json_decref(body);
  return rc;
}

/* ---- reading ---- */

/* ?from=&to= (default: this month, China Standard Time), at most two years apart. */
static int query_period(struct request *req, struct reply *rep, char from[DATE_ISO_SIZE], char to[DATE_ISO_SIZE])
{
  const char *f, *t;
  if (query_text(req, rep, "from", 10, &f) != 0 || query_text(req, rep, "to", 10, &t) != 0) return -1;
  int today = req->today, a = today / 100 * 100 + 1, b = today;
  if (f && *f && date_parse_iso(f, &a) != 0) return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD", "from");
  if (t && *t && date_parse_iso(t, &b) != 0) return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD", "to");
  if (!(t && *t) && f && *f) b = today > a ? today : a;
  long da, db;
  if (b < a || date_to_days(a, &da) != 0 || date_to_days(b, &db) != 0 || db - da > 731)
    return reply_error(rep, 400, "field_invalid", "期间无效：结束日期不能早于开始日期，且不超过两年", "to");
  date_format_iso(a, from);
  date_format_iso(b, to);
  return 0;
}

/* ?region= (default: the caller's own region, unit region or village), which must be in scope. */
static int query_region(struct request *req, struct reply *rep, char out[16])
{
  const char *r;
  if (query_text(req, rep, "region", 12, &r) != 0) return -1;
  if (r && *r) snprintf(out, 16, "%s", r);
  else if (req->scope.kind == SCOPE_KIND_REGION) snprintf(out, 16, "%s", req->scope.region_code);
  else if (req->scope.kind == SCOPE_KIND_UNIT) snprintf(out, 16, "%s", req->scope.unit_region_code);
  else {
    struct station st;
    if (checkins_station(req->db, req->user.cadre_id, &st) != DB_OK)
      return reply_error(rep, 403, "no_assignment", "当前没有在岗的驻村任务", NULL);
    snprintf(out, 16, "%s", st.village_code);
  }
  char path[96];
  int rc = region_path(req->db, out, path);
  if (rc != DB_OK && rc != DB_NOT_FOUND) return reply_internal(rep);
  bool covered = rc == DB_OK && (req->scope.kind != SCOPE_KIND_REGION || scope_covers_path(&req->scope, path));
  if (!covered) return reply_not_found(req, rep, "地区不存在或不在管辖范围内", "region");
  return 0;
}

/* "因病、因灾": the names of a visit's risk codes, for the export. */
static void name_risks(struct request *req, json_t *item)
{
  size_t k;
  json_t *code;
  char text[400] = "";
  json_array_foreach(json_object_get(item, "risks"), k, code) {
    const char *name = policy_list_name(req->app->policy, "risk_types", req->today, json_string_value(code));
    if (*text) strncat(text, "、", sizeof text - strlen(text) - 1);
    strncat(text, name ? name : json_string_value(code), sizeof text - strlen(text) - 1);
  }
  json_object_set_new(item, "risks_text", json_string(text));
}

static const char *const VISIT_EXPORT[][2] = {
  {"visited_on", "走访日期"}, {"village_name", "村"}, {"household_no", "户编号"}, {"head_name", "户主姓名"},
  {"cadre_name", "走访干部"}, {"findings", "了解情况"}, {"risks_text", "发现风险"}, {"in_fence", "在村范围内"},
  {NULL, NULL}};

int api_visits_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *region, *household, *cadre, *from, *to;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "region", 12, &region) != 0 ||
      query_text(req, rep, "household", 12, &household) != 0 || query_text(req, rep, "cadre", 12, &cadre) != 0 ||
      query_text(req, rep, "from", 10, &from) != 0 || query_text(req, rep, "to", 10, &to) != 0)
    return -1;
  int d;
  if ((from && *from && date_parse_iso(from, &d) != 0) || (to && *to && date_parse_iso(to, &d) != 0))
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD", from && *from && date_parse_iso(from, &d) ? "from" : "to");
  int64_t cadre_id;
  if (handler_cadre_filter(req, rep, cadre, &cadre_id) != 0) return -1;
  struct visit_filter f = {region && *region ? region : NULL, household ? atoll(household) : 0, cadre_id,
                           from && *from ? from : NULL, to && *to ? to : NULL};
  handler_stream_list(req, VISIT_EXPORT, "入户走访", name_risks);
  json_t *list = visits_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *item;
  if (list) json_array_foreach(json_object_get(list, "items"), i, item) name_risks(req, item);
  return handler_reply_list(req, rep, list, VISIT_EXPORT, "入户走访");
}

static const char *const COVERAGE_EXPORT[][2] = {
  {"name", "地区"}, {"monitoring_total", "监测户"}, {"monitoring_visited", "监测户已走访"},
  {"alleviated_total", "脱贫户"}, {"alleviated_visited", "脱贫户已走访"}, {"total", "合计"}, {"visited", "已走访"},
  {"rate", "走访率"}, {NULL, NULL}};

int api_visits_coverage(struct request *req, struct reply *rep)
{
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE], region[16];
  if (query_period(req, rep, from, to) != 0 || query_region(req, rep, region) != 0) return -1;
  json_t *out = visits_coverage_json(req->db, &req->scope, region, from, to, req->today);
  if (out && query_wants_xlsx(req)) json_array_append(json_object_get(out, "items"), json_object_get(out, "total"));
  return handler_reply_list(req, rep, out, COVERAGE_EXPORT, "走访覆盖");
}

static const char *const UNVISITED_EXPORT[][2] = {
  {"township_name", "乡镇"}, {"village_name", "村"}, {"household_no", "户编号"}, {"head_name", "户主姓名"},
  {"category_name", "户类型"}, {"monitored", "纳入监测"}, {"last_visit", "最近走访"}, {"responsible", "责任干部"},
  {"team", "驻村工作队"}, {NULL, NULL}};

int api_visits_unvisited(struct request *req, struct reply *rep)
{
  int page, page_size;
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE], region[16];
  if (query_page(req, rep, &page, &page_size) != 0 || query_period(req, rep, from, to) != 0 ||
      query_region(req, rep, region) != 0)
    return -1;
  handler_stream_list(req, UNVISITED_EXPORT, "未走访农户", NULL);
  json_t *list = visits_unvisited_json(req->db, &req->scope, region, from, to, req->today, page,
                                       query_wants_xlsx(req) ? 0 : page_size);
  if (list) {
    json_object_set_new(list, "from", json_string(from));
    json_object_set_new(list, "to", json_string(to));
  }
  return handler_reply_list(req, rep, list, UNVISITED_EXPORT, "未走访农户");
}

static const char *const CROSSCHECK_EXPORT[][2] = {
  {"number", "规则编号"}, {"rule_name", "规则"}, {"clause", "条款"}, {"village_name", "村"}, {"title", "对象"},
  {"detail", "疑点"}, {NULL, NULL}};

int api_crosschecks_get(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *rule, *region;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "rule", 40, &rule) != 0 ||
      query_text(req, rep, "region", 12, &region) != 0)
    return -1;
  int today = req->today;
  const struct policy_param *rules = policy_param(req->app->policy, "cross_check_rules", today);
  long threshold = policy_int(req->app->policy, "monitoring_income_threshold", today);
  if (!rules) /* a policy without cross_check_rules: nothing to check */
    return handler_reply_list(req, rep, json_pack("{s:[], s:[], s:i, s:i, s:i}", "rules", "items", "total", 0, "page",
                                                  page, "page_size", page_size), CROSSCHECK_EXPORT, "疑点比对");
  if (threshold < 0) return reply_internal(rep); /* the income rules need the threshold (5.7) */
  if (rule && *rule && !policy_list_item(req->app->policy, "cross_check_rules", today, rule))
    return reply_error(rep, 400, "field_invalid", "没有这条比对规则", "rule");
  char code[16];
  if (region && *region) {
    if (query_region(req, rep, code) != 0) return -1;
  }
  json_t *out = crosscheck_json(req->db, &req->scope, rules->value, threshold, region && *region ? code : NULL,
                                rule && *rule ? rule : NULL, page, query_wants_xlsx(req) ? 0 : page_size);
  if (out) json_object_set_new(out, "threshold", json_integer(threshold));
  return handler_reply_list(req, rep, out, CROSSCHECK_EXPORT, "疑点比对");
}
