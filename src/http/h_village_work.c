/* h_village_work — 驻村工作: the monthly monitoring meeting (防返贫监测研判专题会议, 5.7), village
 * activities under the five duties (5.1–5.5), the five duties side by side over months, and the
 * organization relation transfer of party-member cadres with their theme party days (5.3).
 *
 * The meeting is the team's monthly obligation (policy obligations, code monitoring_meeting):
 * holding one writes the evidence row (kind monitoring_meeting, party team = the village code,
 * done on the meeting's date) in the same transaction; withdrawing it revokes the evidence.
 * A month's records lock record_lock_days after it ends (423 period_locked). One meeting per
 * village per month (409 duplicate_month). Every write is audited in its transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/roles.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/village_input.h"
#include "http/write_tx.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/evidence.h"
#include "store/village_work.h"

#define MONTHS_MAX 24


static long param(const struct request *req, const char *id, long fallback)
{
  long v = policy_int(req->app->policy, id, req->today);
  return v >= 0 ? v : fallback;
}

static void set_name(const struct request *req, json_t *row, const char *key, const char *list)
{
  char k[64];
  snprintf(k, sizeof k, "%s_name", key);
  const char *code = json_string_value(json_object_get(row, key));
  const char *name = code ? policy_list_name(req->app->policy, list, req->today, code) : NULL;
  json_object_set_new(row, k, name ? json_string(name) : json_null());
}

static int query_region(struct request *req, struct reply *rep, const char *name, const char **out)
{
  if (query_text(req, rep, name, 12, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  for (const char *p = *out; *p; p++)
    if (*p < '0' || *p > '9') return reply_error(rep, 400, "field_invalid", "区划代码应为数字", name);
  return 0;
}

static int query_iso(struct request *req, struct reply *rep, const char *name, const char **out)
{
  int d;
  if (query_text(req, rep, name, 10, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  if (date_parse_iso(*out, &d) != 0) return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期", name);
  return 0;
}

/* ?name=YYYY-MM → yyyymm01 (0 when absent). */
static int query_month(struct request *req, struct reply *rep, const char *name, int *out)
{
  const char *s;
  *out = 0;
  if (query_text(req, rep, name, 7, &s) != 0) return -1;
  if (!s || !*s) return 0;
  char buf[11];
  snprintf(buf, sizeof buf, "%.7s-01", s);
  if (strlen(s) != 7 || date_parse_iso(buf, out) != 0)
    return reply_error(rep, 400, "field_invalid", "月份应为 YYYY-MM", name);
  return 0;
}

/* A date YYYY-MM-DD, not after today, not before 2000. */
static int past_date(const struct request *req, struct reply *rep, const char *s, const char *field, int *out)
{
  if (date_parse_iso(s, out) != 0 || *out < 20000101)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期", field);
  if (*out > req->today) return reply_error(rep, 400, "field_invalid", "日期不能晚于今天", field);
  return 0;
}

/* The village of a write: given, or the cadre's own post's; in scope (SCOPE_TEAM), else 404. */
int vw_write_village(struct request *req, struct reply *rep, const json_t *body, char village[16], char path[96])
{
  const char *code;
  if (field_string(rep, body, "village_code", false, 12, &code) != 0) return -1;
  json_t *v = NULL;
  if (code && *code) v = cases_village_json(req->db, &req->scope, code);
  else if (req->scope.kind == SCOPE_KIND_SELF) {
    /* a cadre's own village: the one team in scope */
    json_t *list = meetings_grid_json(req->db, &req->scope, NULL, "2000-01", "2000-01");
    const char *own = list ? json_string_value(json_object_get(json_array_get(list, 0), "village_code")) : NULL;
    if (own) v = cases_village_json(req->db, &req->scope, own);
    json_decref(list);
  } else {
    return reply_error(rep, 400, "field_required", "请选择村", "village_code");
  }
  if (!v) return reply_not_found(req, rep, "村不存在或不在管辖范围内", "village_code");
  snprintf(village, 16, "%s", json_string_value(json_object_get(v, "code")));
  snprintf(path, 96, "%s", json_string_value(json_object_get(v, "path")));
  json_decref(v);
  return 0;
}

/* The month lock of the obligation records (record_lock_days). */
static int check_lock(struct request *req, struct reply *rep, const char *date, const char *path, const char *field)
{
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  long days = param(req, "record_lock_days", 10);
  bool locked = false;
  if (evidence_month_locked(req->db, date, t, (int)days, path, &locked) != DB_OK) return reply_internal(rep);
  if (!locked) return 0;
  char msg[200];
  snprintf(msg, sizeof msg, "%.7s 月的记录已于月末后 %ld 天锁定，如需补录或修改请由上级解锁", date, days);
  return reply_error(rep, 423, "period_locked", msg, field);
}

/* A JSON array of distinct positive integers (ids); *text its JSON (malloc'd). */
static int id_array(struct reply *rep, const json_t *body, const char *field, bool required, size_t max, char **text,
                    size_t *count)
{
  const json_t *a = json_object_get(body, field);
  *text = NULL;
  *count = 0;
  if (!a) {
    if (required) return reply_error(rep, 400, "field_required", "请至少选择一项", field);
    *text = strdup("[]");
    return *text ? 0 : reply_internal(rep);
  }
  if (!json_is_array(a)) return reply_error(rep, 400, "field_type", "应为编号的数组", field);
  if (json_array_size(a) > max) return reply_error(rep, 400, "field_invalid", "选择的项数过多", field);
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x) {
    if (!json_is_integer(x) || json_integer_value(x) <= 0) return reply_error(rep, 400, "field_type", "应为正整数编号的数组", field);
    for (size_t k = 0; k < i; k++)
      if (json_integer_value(json_array_get(a, k)) == json_integer_value(x))
        return reply_error(rep, 400, "field_invalid", "编号重复", field);
  }
  *count = json_array_size(a);
  *text = json_dumps(a, JSON_COMPACT);
  return *text ? 0 : reply_internal(rep);
}

/* A write of the village's work: a meeting held (with its evidence for the obligation engine) or
 * withdrawn, an activity, a party member's transfer; the id the store sets for what it creates. */
struct work_write {
  const struct meeting_new *meeting;
  const struct activity_new *activity;
  int64_t id, cadre_id;
  const char *village, *held_on, *on, *note;
};

static int store_meeting(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct work_write *m = ctx;
  int w = meetings_insert(req->db, m->meeting, req->now, &m->id);
  /* 5.7: the team's monthly obligation, counted by the obligation engine */
  struct evidence e = {"monitoring_meeting", PARTY_TEAM, m->village, m->held_on, 0, false, "monitoring_meeting", m->id};
  if (w == DB_OK) w = evidence_add(req->db, &e, req->now);
  return w;
}

static int store_meeting_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct work_write *m = ctx;
  int w = meetings_withdraw(req->db, m->id, req->now);
  if (w == DB_OK) w = evidence_revoke(req->db, "monitoring_meeting", m->id, req->now);
  return w;
}

static int store_activity(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct work_write *a = ctx;
  return activities_insert(req->db, a->activity, req->now, &a->id);
}

static int store_transfer(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct work_write *t = ctx;
  return transfers_put(req->db, t->id, t->cadre_id, t->on, t->note, req->user.id, req->now);
}

static const struct write_error MEETING_MONTH[] = {
    {DB_CONFLICT, 409, "duplicate_month", "本村该月已召开防返贫监测研判会议，每月一次（5.7）", "held_on"}, {0}};
static const struct write_error MEETING_WITHDRAWN[] = {
    {DB_CONFLICT, 409, "already_withdrawn", "该会议记录已撤回", NULL}, {0}};

/* ---- meetings (5.7) ---- */

/* attendees: [{name, side: "team"|"village", cadre_id?}], at least one of the team. The
 * cadre_ids named must hold a post in the village. */
static int attendees_field(struct request *req, struct reply *rep, const json_t *body, const char *village,
                           char **text)
{
  const json_t *a = json_object_get(body, "attendees");
  *text = NULL;
  if (!a) return reply_error(rep, 400, "field_required", "请填写参会人员", "attendees");
  if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > 60)
    return reply_error(rep, 400, "field_invalid", "参会人员应为 1 至 60 人的列表", "attendees");
  json_t *cadres = json_array();
  size_t i, team = 0;
  json_t *x;
  int rc = 0;
  json_array_foreach(a, i, x) {
    static const char *const ALLOWED[] = {"name", "side", "cadre_id", NULL};
    const char *name, *side;
    int64_t cid = 0;
    bool has;
    if (!json_is_object(x)) { rc = reply_error(rep, 400, "field_type", "参会人员应为对象 {name, side}", "attendees"); break; }
    if (fields_allowed(rep, x, ALLOWED) != 0 || field_string(rep, x, "name", true, 40, &name) != 0 ||
        field_string(rep, x, "side", true, 10, &side) != 0 ||
        field_int(rep, x, "cadre_id", false, 1, INT64_MAX, &cid, &has) != 0) { rc = -1; break; }
    if (!*name) { rc = reply_error(rep, 400, "field_required", "参会人员姓名不能为空", "attendees"); break; }
    if (strcmp(side, "team") != 0 && strcmp(side, "village") != 0) {
      rc = reply_error(rep, 400, "field_invalid", "参会方（side）应为驻村工作队（team）或村干部（village）", "attendees");
      break;
    }
    if (strcmp(side, "team") == 0) team++;
    if (has) json_array_append_new(cadres, json_integer(cid));
  }
  if (rc == 0 && team == 0)
    rc = reply_error(rep, 400, "field_invalid", "研判会议应有驻村工作队成员参加（5.7）", "attendees");
  if (rc == 0 && json_array_size(cadres) > 0) {
    char *ids = json_dumps(cadres, JSON_COMPACT);
    int64_t n = 0;
    if (!ids || meetings_cadres_in_village(req->db, village, ids, &n) != DB_OK) rc = reply_internal(rep);
    else if ((size_t)n != json_array_size(cadres))
      rc = reply_error(rep, 400, "field_invalid", "参会的驻村干部须为本村在岗的驻村干部", "attendees");
    free(ids);
  }
  json_decref(cadres);
  if (rc == 0) *text = json_dumps(a, JSON_COMPACT);
  return rc;
}

static int reply_meeting(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *m = meetings_get_json(req->db, &req->scope, id);
  if (!m) return reply_not_found(req, rep, "研判会议不存在或不在管辖范围内", NULL);
  reply_json(rep, status, m);
  return 0;
}

int api_meetings_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"village_code", "held_on", "attendees", "household_ids", "decisions", NULL};
  const char *held_s, *decisions;
  char village[16], path[96], *attendees = NULL, *households = NULL;
  size_t nh = 0;
  int held, rc = -1;
  int64_t id = 0, existing = 0, in_village = 0;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "held_on", true, 10, &held_s) != 0 ||
      field_text(rep, body, "decisions", true, 4000, &decisions) != 0 || past_date(req, rep, held_s, "held_on", &held) != 0 ||
      vw_write_village(req, rep, body, village, path) != 0 || attendees_field(req, rep, body, village, &attendees) != 0 ||
      id_array(rep, body, "household_ids", false, 500, &households, &nh) != 0)
    goto out;
  if (!*decisions) { rc = reply_error(rep, 400, "field_required", "请填写研判结论和决定事项", "decisions"); goto out; }
  if (meetings_households_in_village(req->db, village, households, &in_village) != DB_OK) { rc = reply_internal(rep); goto out; }
  if ((size_t)in_village != nh) {
    rc = reply_error(rep, 400, "field_invalid", "研判的农户须为本村台账中的农户", "household_ids");
    goto out;
  }
  if (check_lock(req, rep, held_s, path, "held_on") != 0) goto out;
  char month[8];
  snprintf(month, sizeof month, "%.7s", held_s);
  if (meetings_of_month(req->db, village, month, &existing) == DB_OK) {
    reply_error(rep, 409, "duplicate_month", "本村该月已召开防返贫监测研判会议，每月一次（5.7）", "held_on");
    json_object_set_new(json_object_get(rep->json, "error"), "existing", json_integer(existing));
    goto out;
  }
  struct meeting_new m = {village, held_s, attendees, decisions, households, req->user.id};
  struct work_write mw = {.meeting = &m, .village = village, .held_on = held_s};
  struct write_tx w = {.store = store_meeting, .ctx = &mw, .errors = MEETING_MONTH, .action = "meeting.create",
                       .entity = "monitoring_meeting", .id = &mw.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = mw.id;
out:
  free(attendees);
  free(households);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_meeting(req, rep, id, 201);
}

int api_meetings_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *body = NULL, *m = NULL;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"reason", NULL};
  const char *reason;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "reason", true, 500, &reason) != 0) goto out;
  if (!*reason) { rc = reply_error(rep, 400, "field_required", "请填写撤回原因", "reason"); goto out; }
  m = meetings_get_json(req->db, &req->scope, id);
  if (!m) { rc = reply_not_found(req, rep, "研判会议不存在或不在管辖范围内", NULL); goto out; }
  if (strcmp(json_string_value(json_object_get(m, "status")), "held") != 0) {
    rc = reply_error(rep, 409, "already_withdrawn", "该会议记录已撤回", NULL);
    goto out;
  }
  json_t *v = cases_village_json(req->db, &req->scope, json_string_value(json_object_get(m, "village_code")));
  char path[96] = "";
  if (v) snprintf(path, sizeof path, "%s", json_string_value(json_object_get(v, "path")));
  json_decref(v);
  if (check_lock(req, rep, json_string_value(json_object_get(m, "held_on")), path, "held_on") != 0) goto out;
  struct work_write mw = {.id = id};
  struct write_tx w = {.store = store_meeting_withdraw, .ctx = &mw, .errors = MEETING_WITHDRAWN,
                       .action = "meeting.withdraw", .entity = "monitoring_meeting", .entity_id = req->params[0],
                       .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(m);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_meeting(req, rep, id, 200);
}

int api_meetings_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_meeting(req, rep, id, 200);
}

static const char *const MEETING_EXPORT[][2] = {
  {"id", "编号"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"held_on", "会议日期"}, {"attendee_text", "参会人员"},
  {"households", "研判农户数"}, {"decisions", "研判结论和决定事项"}, {"cases_raised", "提出风险案件数"},
  {"recorded_by_name", "记录人"}, {NULL, NULL}};

int api_meetings_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct meeting_filter f = {0};
  const char *withdrawn;
  if (query_page(req, rep, &page, &page_size) != 0 || query_region(req, rep, "village", &f.village) != 0 ||
      query_iso(req, rep, "from", &f.from) != 0 || query_iso(req, rep, "to", &f.to) != 0 ||
      query_text(req, rep, "withdrawn", 2, &withdrawn) != 0)
    return -1;
  f.withdrawn = withdrawn && strcmp(withdrawn, "1") == 0;
  bool xlsx = query_wants_xlsx(req);
  json_t *list = meetings_list_json(req->db, &req->scope, &f, page, xlsx ? 0 : page_size);
  size_t i, k;
  json_t *row, *a;
  if (list && xlsx) json_array_foreach(json_object_get(list, "items"), i, row) {
    char buf[2000] = "";
    json_array_foreach(json_object_get(row, "attendees"), k, a) {
      size_t len = strlen(buf);
      snprintf(buf + len, sizeof buf - len, "%s%s", k ? "、" : "", json_string_value(json_object_get(a, "name")));
    }
    json_object_set_new(row, "attendee_text", json_string(buf));
  }
  if (list) json_object_set_new(list, "clause", json_string("5.7"));
  return handler_reply_list(req, rep, list, MEETING_EXPORT, "防返贫监测研判会议");
}

/* GET /meetings/missing?region=&from=YYYY-MM&to=YYYY-MM: every village with a team in scope, month
 * by month, held or missing (缺会), for the township and the county. The month in progress is
 * "due", not missing; a month before the village's first team arrived (team_since) is "no_team",
 * not missing (issue 11). Default: the last six months up to this one. */
int api_meetings_missing(struct request *req, struct reply *rep)
{
  const char *region, *only;
  int from, to;
  if (query_region(req, rep, "region", &region) != 0 || query_month(req, rep, "from", &from) != 0 ||
      query_month(req, rep, "to", &to) != 0 || query_text(req, rep, "missing_only", 2, &only) != 0)
    return -1;
  int this_month = date_make(date_year(req->today), date_month(req->today), 1);
  if (!to) to = this_month;
  if (!from) from = date_add_months(to, -5);
  if (to > this_month) return reply_error(rep, 400, "field_invalid", "不能查询未来的月份", "to");
  if (from > to) return reply_error(rep, 400, "field_invalid", "起始月份不能晚于截止月份", "from");
  if (date_add_months(from, MONTHS_MAX - 1) < to) return reply_error(rep, 400, "field_invalid", "一次最多查询 24 个月", "from");
  char fs[8], ts[8];
  snprintf(fs, sizeof fs, "%04d-%02d", date_year(from), date_month(from));
  snprintf(ts, sizeof ts, "%04d-%02d", date_year(to), date_month(to));
  json_t *grid = meetings_grid_json(req->db, &req->scope, region, fs, ts);
  if (!grid) return reply_internal(rep);
  char current[8];
  snprintf(current, sizeof current, "%04d-%02d", date_year(this_month), date_month(this_month));
  bool missing_only = only && strcmp(only, "1") == 0;
  json_t *villages = json_array(), *flat = json_array(), *v = NULL;
  size_t i;
  json_t *row;
  int missing_total = 0;
  json_array_foreach(grid, i, row) {
    const char *code = json_string_value(json_object_get(row, "village_code"));
    if (!v || strcmp(code, json_string_value(json_object_get(v, "village_code"))) != 0) {
      v = json_pack("{s:s, s:O, s:O, s:O, s:[], s:i}", "village_code", code, "village_name", json_object_get(row, "village_name"),
                    "township_name", json_object_get(row, "township_name"), "team_since", json_object_get(row, "team_since"),
                    "months", "missing", 0);
      json_array_append_new(villages, v);
    }
    const char *month = json_string_value(json_object_get(row, "month"));
    bool held = !json_is_null(json_object_get(row, "meeting_id"));
    const char *since = json_string_value(json_object_get(row, "team_since"));
    const char *status = held ? "held" : since && strcmp(month, since) < 0 ? "no_team"
                                       : strcmp(month, current) == 0 ? "due" : "missing";
    json_array_append_new(json_object_get(v, "months"),
                          json_pack("{s:s, s:s, s:O, s:O}", "month", month, "status", status, "meeting_id",
                                    json_object_get(row, "meeting_id"), "held_on", json_object_get(row, "held_on")));
    if (strcmp(status, "missing") == 0) {
      json_object_set_new(v, "missing", json_integer(json_integer_value(json_object_get(v, "missing")) + 1));
      missing_total++;
      json_array_append_new(flat, json_pack("{s:O, s:O, s:s, s:s}", "township_name", json_object_get(row, "township_name"),
                                            "village_name", json_object_get(row, "village_name"), "month", month,
                                            "status_name", "未召开"));
    }
  }
  json_decref(grid);
  if (missing_only) {
    json_t *kept = json_array();
    json_array_foreach(villages, i, row) if (json_integer_value(json_object_get(row, "missing")) > 0) json_array_append(kept, row);
    json_decref(villages);
    villages = kept;
  }
  if (query_wants_xlsx(req)) {
    static const char *const COLS[][2] = {{"township_name", "乡镇"}, {"village_name", "村"}, {"month", "月份"},
                                          {"status_name", "研判会议"}, {NULL, NULL}};
    json_decref(villages);
    json_t *list = json_pack("{s:o, s:I}", "items", flat, "total", (json_int_t)missing_total);
    return handler_reply_list(req, rep, list, COLS, "缺少研判会议的村");
  }
  json_decref(flat);
  reply_json(rep, 200, json_pack("{s:s, s:s, s:s, s:o, s:i, s:i}", "clause", "5.7", "from", fs, "to", ts, "items",
                                 villages, "missing", missing_total, "total", (int)json_array_size(villages)));
  return 0;
}

/* ---- activities (5.1–5.5) ---- */

int api_activities_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"village_code", "held_on", "type", "duty", "title", "participants", "note",
                                        "cadre_ids", NULL};
  const char *held_s, *type, *duty, *title, *note;
  char village[16], path[96], *cadres = NULL;
  size_t nc = 0;
  int held, rc = -1;
  int64_t participants = 0, id = 0, in_village = 0;
  bool has_p;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "held_on", true, 10, &held_s) != 0 ||
      field_string(rep, body, "type", true, 40, &type) != 0 || field_string(rep, body, "duty", false, 40, &duty) != 0 ||
      field_string(rep, body, "title", true, 200, &title) != 0 || field_text(rep, body, "note", false, 2000, &note) != 0 ||
      field_int(rep, body, "participants", false, 0, 100000, &participants, &has_p) != 0 ||
      past_date(req, rep, held_s, "held_on", &held) != 0 || vw_write_village(req, rep, body, village, path) != 0 ||
      id_array(rep, body, "cadre_ids", false, 50, &cadres, &nc) != 0)
    goto out;
  if (!*title) { rc = reply_error(rep, 400, "field_required", "请填写活动名称", "title"); goto out; }
  /* 5.1: an activity belongs to the duty of its type (5.2 party building, 5.4 governance, 5.5 industry/construction) */
  const json_t *item = policy_list_item(req->app->policy, "activity_types", req->today, type);
  const char *type_duty = item ? json_string_value(json_object_get(item, "duty")) : NULL;
  if (!type_duty) { rc = reply_error(rep, 400, "field_invalid", "活动类型不在政策参数 activity_types 所列范围内", "type"); goto out; }
  if (duty && *duty && strcmp(duty, type_duty) != 0) {
    rc = reply_error(rep, 400, "field_invalid", "活动类型与所选职责不一致（每类活动归于五项职责之一，5.1）", "duty");
    goto out;
  }
  if (meetings_cadres_in_village(req->db, village, cadres, &in_village) != DB_OK) { rc = reply_internal(rep); goto out; }
  if ((size_t)in_village != nc) {
    rc = reply_error(rep, 400, "field_invalid", "参加的驻村干部须为本村在岗的驻村干部", "cadre_ids");
    goto out;
  }
  struct activity_new a = {village, held_s, type_duty, type, title, note, cadres, participants, req->user.id};
  struct work_write aw = {.activity = &a};
  struct write_tx w = {.store = store_activity, .ctx = &aw, .action = "activity.create", .entity = "village_activity",
                       .id = &aw.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = aw.id;
out:
  free(cadres);
  json_decref(body);
  if (rc != 0) return -1;
  json_t *out = activities_get_json(req->db, &req->scope, id);
  if (!out) return reply_internal(rep);
  set_name(req, out, "duty", "duties");
  set_name(req, out, "type", "activity_types");
  reply_json(rep, 201, out);
  return 0;
}

static const char *const ACTIVITY_EXPORT[][2] = {
  {"id", "编号"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"held_on", "日期"}, {"duty_name", "职责"},
  {"type_name", "活动类型"}, {"clause", "条款"}, {"title", "活动名称"}, {"participants", "参加人数"},
  {"cadre_text", "参加的驻村干部"}, {"note", "备注"}, {NULL, NULL}};

int api_activities_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct activity_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_region(req, rep, "village", &f.village) != 0 ||
      query_text(req, rep, "duty", 40, &f.duty) != 0 || query_text(req, rep, "type", 40, &f.type) != 0 ||
      query_iso(req, rep, "from", &f.from) != 0 || query_iso(req, rep, "to", &f.to) != 0)
    return -1;
  if (f.duty && *f.duty && !policy_list_name(req->app->policy, "duties", req->today, f.duty))
    return reply_error(rep, 400, "field_invalid", "职责（duty）应为五项职责之一（5.1）", "duty");
  bool xlsx = query_wants_xlsx(req);
  json_t *list = activities_list_json(req->db, &req->scope, &f, page, xlsx ? 0 : page_size);
  size_t i, k;
  json_t *row, *c;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) {
    set_name(req, row, "duty", "duties");
    set_name(req, row, "type", "activity_types");
    const json_t *item = policy_list_item(req->app->policy, "activity_types", req->today,
                                          json_string_value(json_object_get(row, "type")));
    json_object_set(row, "clause", item ? json_object_get(item, "clause") : json_null());
    if (xlsx) {
      char buf[1000] = "";
      json_array_foreach(json_object_get(row, "cadres"), k, c) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s%s", k ? "、" : "", json_string_value(json_object_get(c, "name")));
      }
      json_object_set_new(row, "cadre_text", json_string(buf));
    }
  }
  return handler_reply_list(req, rep, list, ACTIVITY_EXPORT, "村级活动");
}

/* GET /duties?village=CODE&from=YYYY-MM&to=YYYY-MM: the five duties side by side, month by month:
 * the cadres' work logs (each tagged with a duty) and the village's activities (5.1). */
int api_duties_get(struct request *req, struct reply *rep)
{
  const char *village;
  int from, to;
  if (query_region(req, rep, "village", &village) != 0 || query_month(req, rep, "from", &from) != 0 ||
      query_month(req, rep, "to", &to) != 0)
    return -1;
  if (!village) return reply_error(rep, 400, "field_required", "请指定村（?village=）", "village");
  int this_month = date_make(date_year(req->today), date_month(req->today), 1);
  if (!to) to = this_month;
  if (!from) from = date_add_months(to, -11);
  if (from > to) return reply_error(rep, 400, "field_invalid", "起始月份不能晚于截止月份", "from");
  if (date_add_months(from, MONTHS_MAX - 1) < to) return reply_error(rep, 400, "field_invalid", "一次最多查询 24 个月", "from");
  json_t *v = cases_village_json(req->db, &req->scope, village);
  if (!v) return reply_not_found(req, rep, "村不存在或不在管辖范围内", "village");
  char fs[DATE_ISO_SIZE], ts[DATE_ISO_SIZE];
  date_format_iso(from, fs);
  date_format_iso(date_add_days(date_add_months(to, 1), -1), ts);
  json_t *counts = duties_counts_json(req->db, village, fs, ts);
  if (!counts) { json_decref(v); return reply_internal(rep); }
  json_t *months = json_array();
  for (int m = from; m <= to; m = date_add_months(m, 1)) {
    char s[8];
    snprintf(s, sizeof s, "%04d-%02d", date_year(m), date_month(m));
    json_array_append_new(months, json_string(s));
  }
  const struct policy_param *dp = policy_param(req->app->policy, "duties", req->today);
  json_t *duties = json_array();
  size_t i, k, j;
  json_t *d, *row, *m;
  json_array_foreach(dp ? dp->value : NULL, i, d) {
    const char *code = json_string_value(json_object_get(d, "code"));
    json_t *logs = json_array(), *acts = json_array();
    long tl = 0, ta = 0;
    json_array_foreach(months, k, m) {
      json_int_t l = 0, a = 0;
      json_array_foreach(counts, j, row)
        if (strcmp(json_string_value(json_object_get(row, "duty")), code) == 0 &&
            strcmp(json_string_value(json_object_get(row, "month")), json_string_value(m)) == 0) {
          l = json_integer_value(json_object_get(row, "logs"));
          a = json_integer_value(json_object_get(row, "activities"));
        }
      json_array_append_new(logs, json_integer(l));
      json_array_append_new(acts, json_integer(a));
      tl += (long)l;
      ta += (long)a;
    }
    json_array_append_new(duties, json_pack("{s:s, s:O, s:o, s:o, s:i, s:i}", "code", code, "name_zh",
                                            json_object_get(d, "name_zh"), "logs", logs, "activities", acts,
                                            "total_logs", (int)tl, "total_activities", (int)ta));
  }
  json_decref(counts);
  reply_json(rep, 200, json_pack("{s:s, s:O, s:O, s:o, s:o}", "clause", "5.1", "village_code", json_object_get(v, "code"),
                                 "village_name", json_object_get(v, "name"), "months", months, "duties", duties));
  json_decref(v);
  return 0;
}

/* ---- organization relation transfer (5.3) ---- */

static const char *const TRANSFER_EXPORT[][2] = {
  {"cadre_name", "姓名"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"start_date", "到村日期"}, {"due_on", "应转接日期"},
  {"status_name", "组织关系"}, {"transferred_on", "转接日期"}, {"overdue_text", "逾期未转"}, {"theme_days", "主题党日次数"},
  {"theme_attended", "参加次数"}, {NULL, NULL}};

int api_org_transfers_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct transfer_filter f = {0};
  const char *flagged;
  if (query_page(req, rep, &page, &page_size) != 0 || query_region(req, rep, "village", &f.village) != 0 ||
      query_text(req, rep, "flagged", 2, &flagged) != 0)
    return -1;
  char t[DATE_ISO_SIZE];
  date_format_iso(req->today, t);
  f.today = t;
  f.max_days = (int)param(req, "org_transfer_max_days", 30);
  f.flagged = flagged && strcmp(flagged, "1") == 0;
  bool xlsx = query_wants_xlsx(req);
  json_t *list = transfers_list_json(req->db, &req->scope, &f, page, xlsx ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) {
    json_array_foreach(json_object_get(list, "items"), i, row) {
      bool done = strcmp(json_string_value(json_object_get(row, "status")), "transferred") == 0;
      json_object_set_new(row, "status_name", json_string(done ? "已转接" : "未转接"));
      json_object_set_new(row, "overdue", json_boolean(json_integer_value(json_object_get(row, "overdue")) != 0));
      json_object_set_new(row, "overdue_text", json_string(json_is_true(json_object_get(row, "overdue")) ? "是" : ""));
    }
    json_object_set_new(list, "clause", json_string("5.3"));
    json_object_set_new(list, "max_days", json_integer(f.max_days));
  }
  return handler_reply_list(req, rep, list, TRANSFER_EXPORT, "组织关系转接");
}

int api_org_transfers_put(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *body = NULL, *post = NULL;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"transferred_on", "note", NULL};
  const char *on_s, *note;
  int on, rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "transferred_on", true, 10, &on_s) != 0 ||
      field_string(rep, body, "note", false, 500, &note) != 0 || past_date(req, rep, on_s, "transferred_on", &on) != 0)
    goto out;
  post = transfers_post_json(req->db, &req->scope, id);
  const char *status = post ? json_string_value(json_object_get(post, "status")) : NULL;
  if (!status || (strcmp(status, "active") != 0 && strcmp(status, "handover") != 0)) {
    rc = reply_not_found(req, rep, "驻村岗位不存在、已结束或不在管辖范围内", NULL);
    goto out;
  }
  if (!json_integer_value(json_object_get(post, "party_member"))) {
    rc = reply_error(rep, 409, "not_party_member", "只有党员驻村干部需要转接组织关系（5.3）", NULL);
    goto out;
  }
  struct work_write tw = {.id = id, .cadre_id = json_integer_value(json_object_get(post, "cadre_id")), .on = on_s,
                          .note = note};
  struct write_tx w = {.store = store_transfer, .ctx = &tw, .action = "org_transfer.record", .entity = "assignment",
                       .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
  if (rc == 0) reply_json(rep, 200, json_pack("{s:I, s:s, s:s}", "assignment_id", (json_int_t)id, "status", "transferred",
                                              "transferred_on", on_s));
out:
  json_decref(post);
  json_decref(body);
  return rc;
}
