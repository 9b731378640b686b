/* h_supervision — 督导记录: what the county group, the township committee and the dispatching unit
 * record to show they did their part.
 *
 *   2.2a / 2.3a  team-leader meeting of the county / township: topic, minutes, attendees picked
 *                from the cadres in post in the county / township;
 *   2.2b / 2.3b  dispatch (调度) of the cadres' 在岗履职情况: for every cadre in the county /
 *                township, 在岗 on the dispatch's day (check-ins, approved leave, working day) and
 *                履职 over its period so far (days in the village, logs, visits, activities, the
 *                plan's tasks) are computed from the records and stored with it — never typed; the
 *                day may be a past day of the period being dispatched (issue 11);
 *   3.1a         the unit asks the township and village party organization about its cadres;
 *   3.1b / 3.2a  the unit / its principal leader hears the team's work report;
 *   3.2b / 3.2c  the principal / deputy leader visits the village: checked in at the village with
 *                the phone's coordinates against the village fence, like a cadre — a visit outside
 *                the fence is refused, so a visit is evidence, not a claim.
 * Each write: validation, scope, month lock (record_lock_days; 423 period_locked), the record and its
 * evidence in one transaction with its audit row. A withdrawal revokes the evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkin_rules.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/obligations.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/checkins.h"
#include "store/db.h"
#include "store/evidence.h"
#include "store/scope.h"
#include "store/supervision.h"

enum form { FORM_MEETING, FORM_DISPATCH, FORM_INQUIRY, FORM_HEARING, FORM_VISIT };

struct kind_def {
  const char *kind, *clause, *party_type, *name_zh;
  enum form form;
  const char *level;      /* the party's level: county | township | unit */
  const char *role;       /* the one unit role that may record it, or NULL */
  const char *role2;
};

static const struct kind_def KINDS[] = {
  {"county_team_leader_meeting", "2.2a", "county", "县级驻村工作队长会议", FORM_MEETING, "county", NULL, NULL},
  {"county_dispatch", "2.2b", "county", "县级调度驻村干部在岗履职情况", FORM_DISPATCH, "county", NULL, NULL},
  {"township_meeting", "2.3a", "township", "乡镇驻村工作队长会议", FORM_MEETING, "township", NULL, NULL},
  {"township_dispatch", "2.3b", "township", "乡镇调度驻村干部在岗履职情况", FORM_DISPATCH, "township", NULL, NULL},
  /* 3.1a, 3.1b: owed for each team the unit has cadres in (「向所在乡镇党委和村党组织了解」「听取驻村工作队工作汇报」) */
  {"unit_inquiry", "3.1a", "unit_team", "向乡镇和村党组织了解驻村干部表现", FORM_INQUIRY, "unit", NULL, NULL},
  {"unit_report_hearing", "3.1b", "unit_team", "听取驻村工作队工作汇报", FORM_HEARING, "unit", NULL, NULL},
  {"principal_report_hearing", "3.2a", "unit_principal", "主要领导听取驻村工作汇报", FORM_HEARING, "unit", "unit_leader", "unit_hr"},
  {"principal_visit", "3.2b", "unit_principal", "主要领导到村走访", FORM_VISIT, "unit", "unit_leader", NULL},
  {"deputy_visit", "3.2c", "unit_deputy", "分管领导到村指导", FORM_VISIT, "unit", "unit_deputy", NULL},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])


static const struct kind_def *kind_find(const char *kind)
{
  for (size_t i = 0; kind && i < NKINDS; i++)
    if (strcmp(KINDS[i].kind, kind) == 0) return &KINDS[i];
  return NULL;
}

/* May this user record kind k at all? */
static bool may_record(const struct request *req, const struct kind_def *k)
{
  const struct role *role = req->user.role;
  if (strcmp(k->level, "unit") == 0) {
    if (req->scope.kind != SCOPE_KIND_UNIT) return false;
    if (!k->role) return true;
    return strcmp(role->code, k->role) == 0 || (k->role2 && strcmp(role->code, k->role2) == 0);
  }
  if (req->scope.kind != SCOPE_KIND_REGION || !role->level) return false;
  /* a county's records by the county or the city; a township's by the township, county or city */
  if (strcmp(k->level, "county") == 0) return strcmp(role->level, "township") != 0;
  return true;
}

/* A parsed, checked request to record something. */
struct draft {
  const struct kind_def *k;
  char region[16], region_path[96], region_level[12], region_name[96];
  char party_id[24];
  char village[16];
  const char *date, *title, *minutes, *contacts;
  char date_buf[DATE_ISO_SIZE];
  char period_first[DATE_ISO_SIZE];  /* a dispatch: the first day of its period */
  json_t *attendees;  /* owned */
  json_t *snapshot;   /* owned */
  bool has_geo;
  double lat, lng, accuracy, distance;
};

static void draft_free(struct draft *d)
{
  json_decref(d->attendees);
  json_decref(d->snapshot);
}

/* The county / township the record belongs to: body.region_code or the user's own region. */
static int party_region(struct request *req, struct reply *rep, const json_t *body, struct draft *d)
{
  const char *code;
  if (field_string(rep, body, "region_code", false, 12, &code) != 0) return -1;
  if (!code || !*code) code = req->scope.region_code;
  int rc = supervision_region(req->db, code, d->region_path, d->region_level, d->region_name);
  if (rc == DB_ERROR) return reply_internal(rep);
  if (rc == DB_NOT_FOUND || !scope_covers_path(&req->scope, d->region_path))
    return reply_not_found(req, rep, "区划不存在或不在管辖范围内", "region_code");
  if (strcmp(d->region_level, d->k->level) != 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s（%s）应记在%s一级", d->k->name_zh, d->k->clause,
             strcmp(d->k->level, "county") == 0 ? "县（市、区）" : "乡镇");
    return reply_error(rep, 400, "field_invalid", msg, "region_code");
  }
  snprintf(d->region, sizeof d->region, "%s", code);
  snprintf(d->party_id, sizeof d->party_id, "%s", code);
  return 0;
}

/* The village of a unit's record: one where the unit has a cadre in post. */
static int unit_village(struct request *req, struct reply *rep, const json_t *body, struct draft *d)
{
  const char *code;
  if (field_string(rep, body, "village_code", true, 12, &code) != 0) return -1;
  bool serves = false;
  if (supervision_unit_serves(req->db, req->scope.unit_id, code, &serves) != DB_OK) return reply_internal(rep);
  if (!serves) return reply_not_found(req, rep, "该村没有本单位在岗的驻村干部", "village_code");
  if (supervision_region(req->db, code, d->region_path, d->region_level, d->region_name) != DB_OK)
    return reply_internal(rep);
  snprintf(d->village, sizeof d->village, "%s", code);
  snprintf(d->region, sizeof d->region, "%s", code);
  /* a duty per team (3.1a, 3.1b) is the unit's for this village; the leaders' duties (3.2) the unit's */
  if (strcmp(d->k->party_type, "unit_team") == 0)
    snprintf(d->party_id, sizeof d->party_id, "%lld:%.12s", (long long)req->scope.unit_id, code);
  else
    snprintf(d->party_id, sizeof d->party_id, "%lld", (long long)req->scope.unit_id);
  return 0;
}

/* The first day of the dispatch's obligation period that contains today (a week for 2.3b, a month
 * for 2.2b: the period of the kind's row in the policy's obligations). */
static int dispatch_period_first(const struct request *req, const struct kind_def *k, int *first)
{
  const struct policy_param *p = policy_param(req->app->policy, "obligations", req->today);
  static __thread struct obligation rows[OBLIGATIONS_MAX];
  size_t n;
  char why[200];
  if (!p || obligations_parse(p->value, rows, OBLIGATIONS_MAX, &n, why, sizeof why) != 0) return -1;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(rows[i].code, k->kind) != 0) continue;
    struct obligation_period per;
    if (obligation_periods(&rows[i], req->today, req->today, 0, &per, 1) != 1) return -1;
    *first = per.first;
    return 0;
  }
  return -1;
}

/* A date: YYYY-MM-DD, from 2000 to today. A visit happens now: today only. A dispatch may be
 * recorded for a past day of the period it is owed for (held on Monday, entered on Wednesday;
 * issue 11), never for an earlier period: its snapshot is computed for that day. */
static int record_date(const struct request *req, struct reply *rep, const json_t *body, struct draft *d)
{
  bool now_only = d->k->form == FORM_VISIT;
  if (d->k->form == FORM_DISPATCH) {
    int first;
    const char *s;
    if (field_string(rep, body, "date", false, 10, &s) != 0) return -1;
    if (dispatch_period_first(req, d->k, &first) != 0) return reply_internal(rep);
    int v = req->today;
    if (s && *s && (date_parse_iso(s, &v) != 0 || v < 20000101))
      return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期", "date");
    if (v > req->today) return reply_error(rep, 400, "field_invalid", "日期不能晚于今天", "date");
    if (v < first) {
      char f[DATE_ISO_SIZE];
      date_format_iso(first, f);
      char msg[160];
      snprintf(msg, sizeof msg, "调度只能记录本期（%s 起）内的日期，往期未调度不能补记为本期", f);
      return reply_error(rep, 400, "field_invalid", msg, "date");
    }
    date_format_iso(v, d->date_buf);
    date_format_iso(first, d->period_first);
    d->date = d->date_buf;
    return 0;
  }
  const char *s;
  if (field_string(rep, body, "date", !now_only, 10, &s) != 0) return -1;
  int t = req->today, v;
  date_format_iso(t, d->date_buf);
  if (!s || !*s) { d->date = d->date_buf; return 0; }
  if (date_parse_iso(s, &v) != 0 || v < 20000101)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期", "date");
  if (v > t) return reply_error(rep, 400, "field_invalid", "日期不能晚于今天", "date");
  if (now_only && v != t)
    return reply_error(rep, 400, "field_invalid", "到村走访按当时记录，日期只能是今天", "date");
  date_format_iso(v, d->date_buf);
  d->date = d->date_buf;
  return 0;
}

/* attendees: [cadre_id, ...], each in post in the party's county / township or dispatched by the unit. */
static int read_attendees(struct request *req, struct reply *rep, const json_t *body, struct draft *d, bool required)
{
  const json_t *a = json_object_get(body, "attendees");
  d->attendees = json_array();
  if (!a || json_is_null(a)) {
    if (required) return reply_error(rep, 400, "field_required", "请选择参会的驻村干部", "attendees");
    return 0;
  }
  if (!json_is_array(a)) return reply_error(rep, 400, "field_type", "参会干部（attendees）应为干部编号的列表", "attendees");
  if (required && json_array_size(a) == 0) return reply_error(rep, 400, "field_required", "请选择参会的驻村干部", "attendees");
  if (json_array_size(a) > 300) return reply_error(rep, 400, "field_invalid", "参会人员不能超过 300 人", "attendees");
  size_t i;
  const json_t *v;
  bool unit = strcmp(d->k->level, "unit") == 0;
  json_array_foreach(a, i, v) {
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
      return reply_error(rep, 400, "field_type", "参会干部（attendees）应为干部编号的列表", "attendees");
    for (size_t j = 0; j < i; j++)
      if (json_integer_value(json_array_get(a, j)) == json_integer_value(v))
        return reply_error(rep, 400, "field_invalid", "参会人员有重复", "attendees");
    json_t *c = supervision_cadre_in(req->db, json_integer_value(v), unit ? "" : d->region_path,
                                     unit ? req->scope.unit_id : 0);
    if (!c) return reply_not_found(req, rep, "参会人员须为本辖区（本单位）在岗的驻村干部", "attendees");
    json_array_append_new(d->attendees, c);
  }
  return 0;
}

/* 调度在岗履职情况 (2.2b, 2.3b), computed from the records, never typed: 在岗 — each cadre's
 * status on the dispatch's day (check-ins, approved leave, working day; 2.1); 履职 — what each
 * did in the period so far (its first day to the dispatch's day): days in the village, work logs,
 * household visits, village activities, the plan's tasks due and progressed. `found` sums it up,
 * and names the cadres with nothing done (no log, visit or activity) for the dispatch to ask. */
static json_t *duty_found(const json_t *items)
{
  json_int_t sums[6] = {0};
  static const char *const KEYS[] = {"days_in_village", "logs", "visits", "activities", "tasks_due", "tasks_progressed"};
  json_t *idle = json_array();
  size_t i;
  const json_t *it;
  json_array_foreach(items, i, it) {
    for (int k = 0; k < 6; k++) sums[k] += json_integer_value(json_object_get(it, KEYS[k]));
    if (json_integer_value(json_object_get(it, "logs")) + json_integer_value(json_object_get(it, "visits")) +
            json_integer_value(json_object_get(it, "activities")) == 0)
      json_array_append_new(idle, json_pack("{s:O, s:O, s:O}", "cadre_id", json_object_get(it, "cadre_id"), "name",
                                            json_object_get(it, "name"), "village_name", json_object_get(it, "village_name")));
  }
  json_t *found = json_pack("{s:I, s:o}", "cadres", (json_int_t)json_array_size(items), "no_work", idle);
  for (int k = 0; k < 6; k++) json_object_set_new(found, KEYS[k], json_integer(sums[k]));
  return found;
}

static int take_snapshot(struct request *req, struct reply *rep, struct draft *d)
{
  json_t *board = checkins_board_json(req->db, &req->scope, d->date, d->region);
  if (!board) return reply_internal(rep);
  json_t *items = json_array();
  size_t i;
  json_t *it;
  json_array_foreach(json_object_get(board, "items"), i, it)
    json_array_append_new(items, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "cadre_id",
                                           json_object_get(it, "cadre_id"), "name", json_object_get(it, "name"),
                                           "village_code", json_object_get(it, "village_code"), "village_name",
                                           json_object_get(it, "village_name"), "post_name",
                                           json_object_get(it, "post_name"), "status", json_object_get(it, "status"),
                                           "status_name", json_object_get(it, "status_name")));
  if (supervision_duty_add(req->db, items, d->period_first, d->date) != DB_OK) {
    json_decref(items);
    json_decref(board);
    return reply_internal(rep);
  }
  char at[CLOCK_ISO_SIZE];
  clock_format_cst(req->now, at);
  d->snapshot = json_pack("{s:s, s:s, s:s, s:[s,s], s:{s:s, s:s}, s:O, s:o, s:o}", "taken_at", at, "date", d->date,
                          "clause", d->k->clause, "covers", "on_duty", "duty", "period", "first", d->period_first,
                          "last", d->date, "totals", json_object_get(board, "totals"), "found", duty_found(items),
                          "items", items);
  json_decref(board);
  return d->snapshot ? 0 : reply_internal(rep);
}

/* A visit: the leader's phone position against the village fence. */
static int read_visit(struct request *req, struct reply *rep, const json_t *body, struct draft *d)
{
  bool has;
  if (field_number(rep, body, "lat", true, -90, 90, &d->lat, &has) != 0 ||
      field_number(rep, body, "lng", true, -180, 180, &d->lng, &has) != 0 ||
      field_number(rep, body, "accuracy_m", true, 0, 100000, &d->accuracy, &has) != 0)
    return -1;
  bool fence;
  double lat, lng, radius;
  if (supervision_village_fence(req->db, d->village, &fence, &lat, &lng, &radius) != DB_OK) return reply_internal(rep);
  if (!fence) return reply_error(rep, 422, "no_fence", "该村尚未设置打卡范围，无法确认到村", "village_code");
  if (!checkin_in_fence(d->lat, d->lng, lat, lng, radius, &d->distance)) {
    char msg[200];
    snprintf(msg, sizeof msg, "当前位置距村打卡中心约 %.0f 米，超出 %.0f 米范围：到村走访须在村内记录", d->distance, radius);
    return reply_error(rep, 422, "outside_fence", msg, "lat");
  }
  d->has_geo = true;
  return 0;
}

static int read_draft(struct request *req, struct reply *rep, const json_t *body, struct draft *d)
{
  static const char *const ALLOWED[] = {"kind", "region_code", "village_code", "date", "title", "minutes", "contacts",
                                        "attendees", "lat", "lng", "accuracy_m", NULL};
  const char *kind;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 40, &kind) != 0) return -1;
  d->k = kind_find(kind);
  if (!d->k) return reply_error(rep, 400, "field_invalid", "督导记录类型（kind）不在规定的类型之中", "kind");
  if (!may_record(req, d->k)) {
    char msg[160];
    snprintf(msg, sizeof msg, "当前角色不能记录“%s”（%s）", d->k->name_zh, d->k->clause);
    return reply_error(rep, 403, "forbidden", msg, "kind");
  }
  bool unit = strcmp(d->k->level, "unit") == 0;
  if ((unit ? unit_village(req, rep, body, d) : party_region(req, rep, body, d)) != 0) return -1;
  if (record_date(req, rep, body, d) != 0) return -1;
  enum form f = d->k->form;
  bool titled = f == FORM_MEETING || f == FORM_HEARING || f == FORM_INQUIRY;
  if (field_string(rep, body, "title", titled, 200, &d->title) != 0 ||
      field_text(rep, body, "minutes", f == FORM_MEETING || f == FORM_HEARING || f == FORM_INQUIRY, 5000, &d->minutes) != 0 ||
      field_string(rep, body, "contacts", f == FORM_INQUIRY, 200, &d->contacts) != 0)
    return -1;
  if (titled && !*d->title) return reply_error(rep, 400, "field_required", "请填写主题", "title");
  if (!d->title || !*d->title) d->title = d->k->name_zh;
  if ((f == FORM_MEETING || f == FORM_HEARING || f == FORM_INQUIRY) && (!d->minutes || !*d->minutes))
    return reply_error(rep, 400, "field_required", f == FORM_INQUIRY ? "请填写了解到的情况" : "请填写会议纪要或汇报要点",
                       "minutes");
  if (f == FORM_INQUIRY && (!d->contacts || !*d->contacts))
    return reply_error(rep, 400, "field_required", "请填写了解的乡镇和村党组织人员", "contacts");
  if (read_attendees(req, rep, body, d, f == FORM_MEETING) != 0) return -1;
  if (f == FORM_VISIT && read_visit(req, rep, body, d) != 0) return -1;
  if (f == FORM_DISPATCH && take_snapshot(req, rep, d) != 0) return -1;
  return 0;
}

/* 423 when the record's month is locked (record_lock_days after its end, unless reopened). */
static int check_lock(struct request *req, struct reply *rep, const char *date, const char *region_path)
{
  int t = req->today;
  long lock = policy_int(req->app->policy, "record_lock_days", t);
  char today_iso[DATE_ISO_SIZE];
  date_format_iso(t, today_iso);
  bool locked = false;
  if (evidence_month_locked(req->db, date, today_iso, lock >= 0 ? (int)lock : 10, region_path, &locked) != DB_OK)
    return reply_internal(rep);
  if (locked)
    return reply_error(rep, 423, "period_locked", "该月记录已锁定（月末后超过锁账天数），如需补录请由上级解锁", "date");
  return 0;
}

static int reply_record(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *r = supervision_get_json(req->db, &req->scope, id);
  if (!r) return reply_not_found(req, rep, "督导记录不存在或不在管辖范围内", NULL);
  const struct kind_def *k = kind_find(json_string_value(json_object_get(r, "kind")));
  json_object_set_new(r, "kind_name", json_string(k ? k->name_zh : ""));
  reply_json(rep, status, r);
  return 0;
}

/* A record entered (its id set by the store) or withdrawn with a reason. */
struct supervision_write {
  const struct supervision_new *s;
  int64_t id;
  const char *reason;
};

static int store_insert(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct supervision_write *w = ctx;
  return supervision_insert(req->db, w->s, req->now, &w->id);
}

static int store_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct supervision_write *w = ctx;
  return supervision_withdraw(req->db, w->id, req->user.id, w->reason, req->now);
}

static const struct write_error SAME_DAY[] = {
    {DB_CONFLICT, 409, "duplicate", "同一天已有同类记录，请勿重复提交", "date"}, {0}};
static const struct write_error WITHDRAWN[] = {{DB_CONFLICT, 409, "already_withdrawn", "该记录已撤回", NULL}, {0}};

int api_supervision_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct draft d;
  memset(&d, 0, sizeof d);
  int64_t id = 0;
  int rc = read_draft(req, rep, body, &d);
  if (rc == 0) rc = check_lock(req, rep, d.date, d.region_path);
  if (rc == 0) {
    char *att = json_dumps(d.attendees, JSON_COMPACT);
    char *snap = d.snapshot ? json_dumps(d.snapshot, JSON_COMPACT) : NULL;
    bool unit = strcmp(d.k->level, "unit") == 0;
    struct supervision_new s = {d.k->kind, d.k->clause, d.k->party_type, d.party_id, d.region,
                                unit ? req->scope.unit_id : 0, *d.village ? d.village : NULL, d.date, d.title,
                                d.minutes, d.contacts, att, snap, d.has_geo, d.lat, d.lng, d.accuracy, d.distance,
                                req->user.id};
    struct supervision_write sw = {.s = &s};
    json_t *detail = json_pack("{s:s, s:s, s:s, s:s}", "kind", d.k->kind, "clause", d.k->clause, "party_id", d.party_id,
                               "date", d.date);
    struct write_tx w = {.store = store_insert, .ctx = &sw, .errors = SAME_DAY, .action = "supervision.create",
                         .entity = "supervision_record", .id = &sw.id, .detail = detail};
    rc = write_tx_run(req, rep, &w);
    json_decref(detail);
    id = sw.id;
    free(att);
    free(snap);
  }
  draft_free(&d);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_record(req, rep, id, 201);
}

int api_supervision_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_record(req, rep, id, 200);
}

int api_supervision_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *r = supervision_get_json(req->db, &req->scope, id);
  if (!r) return reply_not_found(req, rep, "督导记录不存在或不在管辖范围内", NULL);
  const struct kind_def *k = kind_find(json_string_value(json_object_get(r, "kind")));
  json_t *body = NULL;
  int rc = -1;
  const char *reason;
  char path[96], level[12], name[96];
  static const char *const ALLOWED[] = {"reason", NULL};
  if (!k || !may_record(req, k)) {
    rc = reply_error(rep, 403, "forbidden", "只能撤回本级的督导记录", NULL);
    goto out;
  }
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_text(rep, body, "reason", true, 500, &reason) != 0)
    goto out;
  if (!*reason) { rc = reply_error(rep, 400, "field_required", "请填写撤回理由", "reason"); goto out; }
  if (supervision_region(req->db, json_string_value(json_object_get(r, "region_code")), path, level, name) != DB_OK) {
    rc = reply_internal(rep);
    goto out;
  }
  if (check_lock(req, rep, json_string_value(json_object_get(r, "date")), path) != 0) goto out;
  struct supervision_write sw = {.id = id, .reason = reason};
  struct write_tx w = {.store = store_withdraw, .ctx = &sw, .errors = WITHDRAWN, .action = "supervision.withdraw",
                       .entity = "supervision_record", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(r);
  json_decref(body);
  if (rc != 0) return -1;
  return reply_record(req, rep, id, 200);
}

static const char *const RECORD_EXPORT[][2] = {
  {"id", "编号"}, {"date", "日期"}, {"clause", "条款"}, {"kind_name", "类型"}, {"region_name", "地点/区划"},
  {"unit_name", "派出单位"}, {"village_name", "村"}, {"title", "主题"}, {"attendee_count", "参会人数"},
  {"minutes", "纪要/情况"}, {"contacts", "了解对象"}, {"recorded_by_name", "记录人"}, {"created_at", "录入时间"},
  {"status", "状态"}, {NULL, NULL}};

int api_supervision_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct supervision_filter f = {0};
  const char *unit;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "kind", 40, &f.kind) != 0 ||
      query_text(req, rep, "from", 10, &f.from) != 0 || query_text(req, rep, "to", 10, &f.to) != 0 ||
      query_text(req, rep, "region", 12, &f.region_code) != 0 || query_text(req, rep, "status", 10, &f.status) != 0 ||
      query_text(req, rep, "unit", 18, &unit) != 0)
    return -1;
  int d;
  if (f.kind && *f.kind && !kind_find(f.kind)) return reply_error(rep, 400, "field_invalid", "督导记录类型（kind）不在规定的类型之中", "kind");
  if (f.from && *f.from && date_parse_iso(f.from, &d) != 0) return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD", "from");
  if (f.to && *f.to && date_parse_iso(f.to, &d) != 0) return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD", "to");
  if (f.status && *f.status && strcmp(f.status, "valid") && strcmp(f.status, "withdrawn"))
    return reply_error(rep, 400, "field_invalid", "状态（status）应为有效（valid）或已撤回（withdrawn）", "status");
  if (unit && *unit) {
    if (strspn(unit, "0123456789") != strlen(unit) || strlen(unit) > 18)
      return reply_error(rep, 400, "field_invalid", "单位（unit）应为单位编号", "unit");
    f.unit_id = strtoll(unit, NULL, 10);
  }
  json_t *list = supervision_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) {
    const struct kind_def *k = kind_find(json_string_value(json_object_get(row, "kind")));
    json_object_set_new(row, "kind_name", json_string(k ? k->name_zh : ""));
  }
  return handler_reply_list(req, rep, list, RECORD_EXPORT, "督导记录");
}

/* What the forms can prefill: the kinds this user records, their place, the cadres and villages in
 * scope, and (for dispatches) the on-duty status now. ?region= picks a county / township below. */
int api_supervision_context(struct request *req, struct reply *rep)
{
  const char *region;
  if (query_text(req, rep, "region", 12, &region) != 0) return -1;
  json_t *kinds = json_array();
  for (size_t i = 0; i < NKINDS; i++) {
    const struct kind_def *k = &KINDS[i];
    if (!may_record(req, k)) continue;
    json_array_append_new(kinds, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", k->kind, "clause", k->clause, "name_zh",
                                           k->name_zh, "level", k->level, "form",
                                           (const char *[]){"meeting", "dispatch", "inquiry", "hearing", "visit"}[k->form]));
  }
  char path[96] = "", level[12] = "", name[96] = "", today_iso[DATE_ISO_SIZE];
  date_format_iso(req->today, today_iso);
  int64_t unit = req->scope.kind == SCOPE_KIND_UNIT ? req->scope.unit_id : 0;
  const char *code = region && *region ? region : req->scope.kind == SCOPE_KIND_REGION ? req->scope.region_code : NULL;
  json_t *place = json_null(), *snapshot = json_null();
  if (code) {
    int rc = supervision_region(req->db, code, path, level, name);
    if (rc == DB_ERROR) { json_decref(kinds); return reply_internal(rep); }
    if (rc == DB_NOT_FOUND || (req->scope.kind == SCOPE_KIND_REGION && !scope_covers_path(&req->scope, path))) {
      json_decref(kinds);
      return reply_not_found(req, rep, "区划不存在或不在管辖范围内", "region");
    }
    if (req->scope.kind == SCOPE_KIND_UNIT) path[0] = '\0';
    place = json_pack("{s:s, s:s, s:s}", "code", code, "name", name, "level", level);
    if (req->scope.kind == SCOPE_KIND_REGION && (strcmp(level, "county") == 0 || strcmp(level, "township") == 0)) {
      json_t *board = checkins_board_json(req->db, &req->scope, today_iso, code);
      if (board) { json_decref(snapshot); snapshot = board; }
    }
  }
  json_t *cadres = supervision_cadres_json(req->db, path, unit);
  json_t *villages = supervision_villages_json(req->db, path, unit);
  if (!cadres || !villages) {
    json_decref(kinds); json_decref(place); json_decref(snapshot); json_decref(cadres); json_decref(villages);
    return reply_internal(rep);
  }
  reply_json(rep, 200, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "today", today_iso, "kinds", kinds, "place", place,
                                 "unit_id", unit ? json_integer((json_int_t)unit) : json_null(), "cadres", cadres,
                                 "villages", villages, "snapshot", snapshot));
  return 0;
}
