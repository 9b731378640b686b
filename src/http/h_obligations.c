/* h_obligations — 履职监督: the compliance matrix and its roll-ups (2.2–4.5, 5.7), the records
 * behind a cell, each user's reminders (what they owe next, what is late, and what is late below
 * them), the calendar feed (ICS, RFC 5545) and the reopening of a locked month.
 *
 * The obligations are the policy's rows in force today; the matrix is derived on every request
 * from the evidence rows (store/obligations.c), so nothing here can drift from the records. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/obligations.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/obligations.h"
#include "store/scope.h"
#include "store/supervision.h"
#include "store/users_identity.h"
#include "store/villages.h"
#include "util/strbuf.h"


/* The rows in force and the two numbers the engine needs. */
struct engine {
  struct obligation rows[OBLIGATIONS_MAX];
  size_t n;
  int lock_days, anchor;
  int today; /* the request's: the engine judges "not yet due" against it */
};

static int load_engine(struct request *req, struct reply *rep, struct engine *e)
{
  int t = req->today;
  const struct policy_param *p = policy_param(req->app->policy, "obligations", t);
  char why[200];
  if (!p || obligations_parse(p->value, e->rows, OBLIGATIONS_MAX, &e->n, why, sizeof why) != 0) return reply_internal(rep);
  long lock = policy_int(req->app->policy, "record_lock_days", t);
  long anchor = policy_int(req->app->policy, "obligation_two_year_anchor", t);
  e->lock_days = lock >= 0 ? (int)lock : 10;
  e->anchor = anchor > 0 ? (int)anchor : 0;
  e->today = t;
  return 0;
}

static const struct obligation *engine_find(const struct engine *e, const char *code)
{
  for (size_t i = 0; code && i < e->n; i++)
    if (strcmp(e->rows[i].code, code) == 0) return &e->rows[i];
  return NULL;
}

/* ?from=&to= (defaults: 1 January of this year, today); at most two years. */
static int query_range(struct request *req, struct reply *rep, int *from, int *to)
{
  const char *f, *t;
  if (query_text(req, rep, "from", 10, &f) != 0 || query_text(req, rep, "to", 10, &t) != 0) return -1;
  int now = req->today;
  *to = now;
  *from = date_make(date_year(now), 1, 1);
  if (f && *f && (date_parse_iso(f, from) != 0 || *from < 20000101))
    return reply_error(rep, 400, "field_invalid", "开始日期（from）应为 YYYY-MM-DD 格式的有效日期", "from");
  if (t && *t && (date_parse_iso(t, to) != 0 || *to > 21001231))
    return reply_error(rep, 400, "field_invalid", "结束日期（to）应为 YYYY-MM-DD 格式的有效日期", "to");
  long days;
  if (*from > *to) return reply_error(rep, 400, "field_invalid", "开始日期不能晚于结束日期", "from");
  if (date_diff_days(*from, *to, &days) != 0 || days > 800)
    return reply_error(rep, 400, "field_invalid", "查询区间不能超过两年", "to");
  return 0;
}

static bool digits(const char *s, size_t max)
{
  size_t n = strlen(s);
  return n > 0 && n <= max && strspn(s, "0123456789") == n;
}

/* The common filters: ?region=&unit=&obligation= */
static int query_filters(struct request *req, struct reply *rep, const struct engine *e, struct compliance_query *q)
{
  const char *region, *unit, *ob;
  if (query_text(req, rep, "region", 12, &region) != 0 || query_text(req, rep, "unit", 20, &unit) != 0 ||
      query_text(req, rep, "obligation", 64, &ob) != 0)
    return -1;
  if (region && *region) {
    if (!digits(region, 12)) return reply_error(rep, 400, "field_invalid", "区划（region）应为区划代码", "region");
    q->region_code = region;
  } else if (req->scope.kind == SCOPE_KIND_REGION) {
    q->region_code = req->scope.region_code;
  }
  if (unit && *unit) {
    if (!digits(unit, 18)) return reply_error(rep, 400, "field_invalid", "单位（unit）应为单位编号", "unit");
    q->unit_id = strtoll(unit, NULL, 10);
  }
  if (ob && *ob) {
    if (!engine_find(e, ob)) return reply_error(rep, 400, "field_invalid", "责任（obligation）不在政策参数 obligations 所列的责任之中", "obligation");
    q->obligation = ob;
  }
  return 0;
}

static void base_query(const struct engine *e, struct compliance_query *q)
{
  memset(q, 0, sizeof *q);
  q->today = e->today;
  q->lock_days = e->lock_days;
  q->anchor_year = e->anchor;
  q->obligations = e->rows;
  q->nobligations = e->n;
}

static const char *const ROWS_EXPORT[][2] = {
  {"name", "名称"}, {"level_name", "层级"}, {"expected", "应完成"}, {"done", "已完成"}, {"on_time", "按时完成"},
  {"missing", "未完成"}, {"not_yet_due", "未到期"}, {"rate", "完成率（%）"}, {"on_time_rate", "按时率（%）"}, {NULL, NULL}};

static const char *level_name(const char *level)
{
  static const char *const L[][2] = {{"city", "市级"}, {"county", "县（市、区）"}, {"township", "乡镇"}, {"unit", "派出单位"},
                                     {"team", "驻村工作队"}, {"self", "本级"}};
  for (size_t i = 0; i < sizeof L / sizeof L[0]; i++)
    if (strcmp(L[i][0], level) == 0) return L[i][1];
  return level;
}

int api_compliance_get(struct request *req, struct reply *rep)
{
  struct engine e;
  struct compliance_query q;
  if (load_engine(req, rep, &e) != 0) return -1;
  base_query(&e, &q);
  if (query_range(req, rep, &q.from, &q.to) != 0 || query_filters(req, rep, &e, &q) != 0) return -1;
  bool not_found = false;
  json_t *out = compliance_summary_json(req->db, &req->scope, &q, &not_found);
  if (not_found) return reply_not_found(req, rep, "区划或单位不存在或不在管辖范围内", q.unit_id ? "unit" : "region");
  if (!out) return reply_internal(rep);
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(out, "rows"), i, row)
    json_object_set_new(row, "level_name", json_string(level_name(json_string_value(json_object_get(row, "level")))));
  if (query_wants_xlsx(req)) {
    json_t *list = json_pack("{s:O}", "items", json_object_get(out, "rows"));
    json_decref(out);
    return handler_reply_list(req, rep, list, ROWS_EXPORT, "履职监督汇总");
  }
  reply_json(rep, 200, out);
  return 0;
}

static const char *const CELLS_EXPORT[][2] = {
  {"clause", "条款"}, {"action_zh", "责任事项"}, {"party_type_name", "责任主体类别"}, {"party_name", "责任主体"},
  {"county_name", "县（市、区）"}, {"township_name", "乡镇"}, {"period_first", "周期起"}, {"period_last", "周期止"},
  {"due", "截止日期"}, {"status_name", "完成情况"}, {"count", "记录数"}, {"on_time", "按时记录数"}, {"required", "应有次数"},
  {"amount", "金额（元）"}, {NULL, NULL}};

static int query_status(struct request *req, struct reply *rep, const char **out)
{
  if (query_text(req, rep, "status", 16, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  static const char *const OK[] = {"met", "met_late", "missing", "not_yet_due", "late"};
  for (size_t i = 0; i < 5; i++)
    if (strcmp(*out, OK[i]) == 0) return 0;
  return reply_error(rep, 400, "field_invalid", "完成情况（status）应为按时完成（met）、逾期完成（met_late）、未完成（missing）、未到期（not_yet_due）或已逾期（late）", "status");
}

int api_compliance_cells(struct request *req, struct reply *rep)
{
  struct engine e;
  struct compliance_query q;
  int page, page_size;
  const char *group;
  if (load_engine(req, rep, &e) != 0) return -1;
  base_query(&e, &q);
  if (query_range(req, rep, &q.from, &q.to) != 0 || query_filters(req, rep, &e, &q) != 0 ||
      query_status(req, rep, &q.status) != 0 || query_page(req, rep, &page, &page_size) != 0 ||
      query_text(req, rep, "group", 20, &group) != 0)
    return -1;
  if (group && *group) q.group = group;
  bool not_found = false;
  json_t *list = compliance_cells_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size, &not_found);
  if (not_found) return reply_not_found(req, rep, "区划或单位不存在或不在管辖范围内", q.unit_id ? "unit" : "region");
  return handler_reply_list(req, rep, list, CELLS_EXPORT, "履职监督明细");
}

static const char *const EVIDENCE_EXPORT[][2] = {
  {"done_on", "完成日期"}, {"title", "记录"}, {"village_name", "村"}, {"amount", "金额（元）"}, {"record_type", "记录类型"},
  {"record_id", "记录编号"}, {"recorded_by_name", "记录人"}, {"recorded_at", "录入时间"}, {"revoked_at", "撤回时间"},
  {NULL, NULL}};

int api_compliance_evidence(struct request *req, struct reply *rep)
{
  struct engine e;
  const char *ob, *party;
  int from, to;
  if (load_engine(req, rep, &e) != 0 || query_range(req, rep, &from, &to) != 0 ||
      query_text(req, rep, "obligation", 64, &ob) != 0 || query_text(req, rep, "party", 20, &party) != 0)
    return -1;
  const struct obligation *o = engine_find(&e, ob);
  if (!ob || !*ob) return reply_error(rep, 400, "field_required", "请指明是哪项责任（obligation）", "obligation");
  if (!o) return reply_error(rep, 400, "field_invalid", "责任（obligation）不在政策参数 obligations 所列的责任之中", "obligation");
  if (!party || !digits(party, 18)) return reply_error(rep, 400, "field_invalid", "责任主体（party）应为区划代码或单位编号", "party");
  bool not_found = false;
  json_t *list = compliance_evidence_json(req->db, &req->scope, o, party, from, to, &not_found);
  if (not_found) return reply_not_found(req, rep, "责任主体不存在或不在管辖范围内", "party");
  return handler_reply_list(req, rep, list, EVIDENCE_EXPORT, "履职记录");
}

/* ---- the user's own parties, reminders ---- */

/* What the user's role owes itself (not what it watches over), *count of them; -1 on a database error. */
static int own_parties(struct request *req, const struct auth_user *u, struct party_ref out[4], size_t *count)
{
  size_t n = 0;
  const struct role *role = u->role;
  const char *level = role->level ? role->level : "";
  if (role->scope_kind == SCOPE_KIND_REGION && strcmp(level, "county") == 0)
    out[n++] = (struct party_ref){OWNER_COUNTY, ""};
  else if (role->scope_kind == SCOPE_KIND_REGION && strcmp(level, "city") == 0)
    out[n++] = (struct party_ref){OWNER_CITY, ""};
  else if (role->scope_kind == SCOPE_KIND_REGION && strcmp(level, "township") == 0)
    out[n++] = (struct party_ref){OWNER_TOWNSHIP, ""};
  for (size_t i = 0; i < n; i++) snprintf(out[i].id, sizeof out[i].id, "%s", u->region_code);
  if (role->scope_kind == SCOPE_KIND_UNIT) {
    out[n++] = (struct party_ref){OWNER_UNIT, ""};
    out[n++] = (struct party_ref){OWNER_UNIT_TEAM, ""};
    if (strcmp(role->code, "unit_leader") == 0) out[n++] = (struct party_ref){OWNER_UNIT_PRINCIPAL, ""};
    if (strcmp(role->code, "unit_deputy") == 0) out[n++] = (struct party_ref){OWNER_UNIT_DEPUTY, ""};
    if (strcmp(role->code, "unit_hr") == 0) out[n++] = (struct party_ref){OWNER_UNIT_HR, ""};
    for (size_t i = 0; i < n; i++)
      snprintf(out[i].id, sizeof out[i].id, out[i].type == OWNER_UNIT_TEAM ? "%lld:" : "%lld", (long long)u->unit_id);
  }
  if (role->scope_kind == SCOPE_KIND_SELF && u->cadre_id) {
    out[n] = (struct party_ref){OWNER_CADRE, ""};
    snprintf(out[n++].id, sizeof out[0].id, "%lld", (long long)u->cadre_id);
    char village[16] = "";
    int rc = villages_of_cadre(req->db, u->cadre_id, village);
    if (rc != DB_OK && rc != DB_NOT_FOUND) return -1;
    if (*village) {
      out[n] = (struct party_ref){OWNER_TEAM, ""};
      snprintf(out[n++].id, sizeof out[0].id, "%s", village);
    }
  }
  *count = n;
  return 0;
}

/* The cells of the user's own parties over [from, to] with a status filter. */
static json_t *own_cells(struct request *req, const struct auth_user *u, const struct scope *scope,
                         const struct engine *e, int from, int to, const char *status, int limit)
{
  struct party_ref refs[4];
  size_t n = 0;
  if (own_parties(req, u, refs, &n) != 0) return NULL;
  if (n == 0) return json_pack("{s:[], s:i}", "items", "total", 0);
  struct compliance_query q;
  base_query(e, &q);
  q.from = from;
  q.to = to;
  q.status = status;
  q.parties = refs;
  q.nparties = n;
  bool nf = false;
  return compliance_cells_json(req->db, scope, &q, 1, limit, &nf);
}

/* Cells come newest first; reminders read best oldest first. */
static void reverse(json_t *list)
{
  json_t *items = json_object_get(list, "items");
  size_t n = json_array_size(items);
  for (size_t i = 0; i < n / 2; i++) {
    json_t *a = json_incref(json_array_get(items, i)), *b = json_incref(json_array_get(items, n - 1 - i));
    json_array_set_new(items, i, b);
    json_array_set_new(items, n - 1 - i, a);
  }
}

int api_obligations_mine(struct request *req, struct reply *rep)
{
  struct engine e;
  if (load_engine(req, rep, &e) != 0) return -1;
  int t = req->today;
  /* next: what is open now and in the coming quarter; late: missing over the last half-year */
  json_t *next = own_cells(req, &req->user, &req->scope, &e, t, date_add_days(t, 92), "not_yet_due", 0);
  json_t *late = own_cells(req, &req->user, &req->scope, &e, date_add_days(t, -183), t, "missing", 0);
  json_t *below = NULL;
  if (req->scope.kind == SCOPE_KIND_REGION) {
    /* sent up: what the places below missed in the last five weeks */
    struct party_ref refs[4];
    size_t n = 0;
    if (own_parties(req, &req->user, refs, &n) != 0) {
      json_decref(next);
      json_decref(late);
      return reply_internal(rep);
    }
    struct compliance_query q;
    base_query(&e, &q);
    q.from = date_add_days(t, -35);
    q.to = t;
    q.status = "missing";
    q.region_code = req->scope.region_code;
    q.exclude = refs;
    q.nexclude = n;
    bool nf = false;
    /* grouped by duty over every missing cell, not the 50 above (issue 14); one judging for both */
    below = compliance_cells_with_duties_json(req->db, &req->scope, &q, 1, 50, 6, &nf);
    if (!below) { json_decref(next); json_decref(late); return reply_internal(rep); }
  }
  if (!next || !late) { json_decref(next); json_decref(late); json_decref(below); return reply_internal(rep); }
  reverse(next);
  bool has_token = false;
  if (ics_token_exists(req->db, req->user.id, &has_token) != DB_OK) has_token = false;
  char d[DATE_ISO_SIZE];
  date_format_iso(t, d);
  reply_json(rep, 200, json_pack("{s:s, s:o, s:o, s:o, s:b, s:i}", "today", d, "next", next, "late", late, "below",
                                 below ? below : json_null(), "has_calendar", has_token, "lock_days", e.lock_days));
  return 0;
}

/* ---- the calendar feed (RFC 5545) ---- */

static int store_ics_token(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return ics_token_set(req->db, req->user.id, ctx, req->now);
}

int api_ics_token_create(struct request *req, struct reply *rep)
{
  unsigned char raw[32], hash[32];
  char token[65];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(token, sizeof token, raw, sizeof raw);
  crypto_hash_sha256(hash, (const unsigned char *)token, 64);
  sodium_memzero(raw, sizeof raw);
  struct write_tx w = {.store = store_ics_token, .ctx = hash, .action = "ics_token.rotate", .entity = "user"};
  if (write_tx_run(req, rep, &w) != 0) {
    sodium_memzero(token, sizeof token);
    return -1;
  }
  char path[128];
  snprintf(path, sizeof path, "/api/v1/ics/%s.ics", token);
  reply_json(rep, 201, json_pack("{s:s, s:s}", "token", token, "path", path));
  sodium_memzero(token, sizeof token);
  return 0;
}

/* Appends one content line, escaped (\\ ; , newline) and folded at 75 octets without splitting a
 * UTF-8 character, ended by CRLF. */
static int ics_line(struct strbuf *b, const char *name, const char *value, bool escape)
{
  char line[2048];
  size_t n = (size_t)snprintf(line, sizeof line, "%s", name);
  for (const char *p = value; *p && n < sizeof line - 3; p++) {
    if (escape && (*p == '\\' || *p == ';' || *p == ',')) line[n++] = '\\';
    if (escape && *p == '\n') { line[n++] = '\\'; line[n++] = 'n'; continue; }
    line[n++] = *p;
  }
  line[n] = '\0';
  int rc = 0;
  size_t col = 0;
  for (size_t i = 0; i < n;) {
    size_t len = 1;
    unsigned char c = (unsigned char)line[i];
    if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
    if (col + len > 75) { rc |= strbuf_append(b, "\r\n ", 3); col = 1; }
    rc |= strbuf_append(b, line + i, len);
    col += len;
    i += len;
  }
  return rc | strbuf_append(b, "\r\n", 2);
}

/* DTSTAMP: the instant the feed was made, in UTC ("20270101T010000Z"). */
static void ics_stamp(int64_t now, char out[20])
{
  char cst[CLOCK_ISO_SIZE];
  clock_format_cst(now - 8 * 3600, cst); /* the CST digits of now - 8 h are UTC's digits of now */
  snprintf(out, 20, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", cst, cst + 5, cst + 8, cst + 11, cst + 14, cst + 17);
}

static void compact_date(const char *iso, char out[9])
{
  snprintf(out, 9, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
}

static int ics_event(struct strbuf *b, const json_t *cell, const char *stamp)
{
  const char *due = json_string_value(json_object_get(cell, "due"));
  int d;
  if (!due || date_parse_iso(due, &d) != 0) return 0;
  char start[9], end[9], next_iso[DATE_ISO_SIZE], uid[200], summary[512], desc[1024];
  compact_date(due, start);
  date_format_iso(date_add_days(d, 1), next_iso);
  compact_date(next_iso, end);
  snprintf(uid, sizeof uid, "%s-%s-%s-%s@zhucun", json_string_value(json_object_get(cell, "obligation")),
           json_string_value(json_object_get(cell, "party_type")), json_string_value(json_object_get(cell, "party_id")),
           json_string_value(json_object_get(cell, "period_first")));
  snprintf(summary, sizeof summary, "【%s】%s（截止）", json_string_value(json_object_get(cell, "clause")),
           json_string_value(json_object_get(cell, "action_zh")));
  snprintf(desc, sizeof desc, "责任主体：%s\n周期：%s 至 %s\n完成情况：%s\n依据：《关于进一步强化驻村帮扶工作的通知》第 %s 条",
           json_string_value(json_object_get(cell, "party_name")),
           json_string_value(json_object_get(cell, "period_first")),
           json_string_value(json_object_get(cell, "period_last")),
           json_string_value(json_object_get(cell, "status_name")), json_string_value(json_object_get(cell, "clause")));
  char dtstart[40], dtend[40];
  snprintf(dtstart, sizeof dtstart, "%s", start);
  snprintf(dtend, sizeof dtend, "%s", end);
  int rc = ics_line(b, "BEGIN:", "VEVENT", false);
  rc |= ics_line(b, "UID:", uid, false);
  rc |= ics_line(b, "DTSTAMP:", stamp, false);
  rc |= ics_line(b, "DTSTART;VALUE=DATE:", dtstart, false);
  rc |= ics_line(b, "DTEND;VALUE=DATE:", dtend, false);
  rc |= ics_line(b, "SUMMARY:", summary, true);
  rc |= ics_line(b, "DESCRIPTION:", desc, true);
  rc |= ics_line(b, "CATEGORIES:", "驻村帮扶", true);
  rc |= ics_line(b, "TRANSP:", "TRANSPARENT", false);
  return rc | ics_line(b, "END:", "VEVENT", false);
}

/* The user of a token, with their scope, as the router would build them: DB_NOT_FOUND for a token
 * that is unknown, of a disabled account or of a role that may not read the duties; DB_ERROR on a
 * database error. */
static int ics_user(struct request *req, const char *token, struct auth_user *u, struct scope *scope)
{
  unsigned char hash[32];
  crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
  int64_t id;
  int rc = ics_token_user(req->db, hash, &id);
  if (rc == DB_OK) rc = users_identity(req->db, id, u);
  if (rc != DB_OK) return rc;
  if (!u->role || !roles_can(u->role, PERM_OBLIGATION_READ)) return DB_NOT_FOUND;
  return scope_for_user(req->db, u, scope) == 0 ? DB_OK : DB_NOT_FOUND;
}

int api_ics_feed(struct request *req, struct reply *rep)
{
  char token[80];
  snprintf(token, sizeof token, "%s", req->params[0]);
  size_t len = strlen(token);
  if (len > 4 && strcmp(token + len - 4, ".ics") == 0) token[len -= 4] = '\0';
  if (len != 64 || strspn(token, "0123456789abcdef") != 64)
    return reply_error(rep, 404, "not_found", "日历订阅地址无效", NULL);
  struct auth_user u;
  struct scope scope;
  int found = ics_user(req, token, &u, &scope);
  if (found == DB_ERROR) return reply_internal(rep);
  if (found != DB_OK) return reply_not_found(req, rep, "日历订阅地址无效或已更换", NULL);
  struct engine e;
  if (load_engine(req, rep, &e) != 0) return -1;
  int t = req->today;
  json_t *cells = own_cells(req, &u, &scope, &e, date_add_days(t, -31), date_add_days(t, 366), NULL, 0);
  if (!cells) return reply_internal(rep);
  char stamp[20];
  ics_stamp(req->now, stamp);
  struct strbuf b;
  strbuf_init(&b, 4 * 1024 * 1024);
  int rc = ics_line(&b, "BEGIN:", "VCALENDAR", false);
  rc |= ics_line(&b, "VERSION:", "2.0", false);
  rc |= ics_line(&b, "PRODID:", "-//zhucun//驻村帮扶履职日历//ZH", false);
  rc |= ics_line(&b, "CALSCALE:", "GREGORIAN", false);
  rc |= ics_line(&b, "METHOD:", "PUBLISH", false);
  char name[200];
  snprintf(name, sizeof name, "驻村帮扶履职日历（%s）", u.display_name);
  rc |= ics_line(&b, "X-WR-CALNAME:", name, true);
  rc |= ics_line(&b, "X-WR-TIMEZONE:", "Asia/Shanghai", false);
  size_t i;
  json_t *cell;
  json_array_foreach(json_object_get(cells, "items"), i, cell) rc |= ics_event(&b, cell, stamp);
  rc |= ics_line(&b, "END:", "VCALENDAR", false);
  json_decref(cells);
  if (rc != 0) { strbuf_free(&b); return reply_internal(rep); }
  rep->status = 200;
  rep->raw_len = strbuf_len(&b);
  rep->raw = malloc(rep->raw_len + 1);
  if (!rep->raw) { strbuf_free(&b); return reply_internal(rep); }
  memcpy(rep->raw, strbuf_cstr(&b), rep->raw_len);
  strbuf_free(&b);
  rep->content_type = "text/calendar; charset=utf-8";
  rep->disposition = strdup("inline; filename=\"zhucun.ics\"");
  return 0;
}

/* ---- reopening a locked month ---- */

/* A month reopened for a region (http/write_tx), and the record it made. */
struct period_unlock_write {
  const char *region, *month, *until, *reason;
  int64_t id;
};

static int store_unlock(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct period_unlock_write *u = ctx;
  return period_unlock_insert(req->db, u->region, u->month, u->until, u->reason, req->user.id, req->now, &u->id);
}

int api_period_unlocks_create(struct request *req, struct reply *rep)
{
  if (req->scope.kind != SCOPE_KIND_REGION)
    return reply_error(rep, 403, "forbidden", "只有县级或市级部门可以解锁已锁定的月份", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"region_code", "month", "until", "reason", NULL};
  const char *region, *month, *until, *reason;
  int rc = -1;
  int64_t id = 0;
  char path[96], level[12], name[96];
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "region_code", true, 12, &region) != 0 ||
      field_string(rep, body, "month", true, 7, &month) != 0 || field_string(rep, body, "until", true, 10, &until) != 0 ||
      field_text(rep, body, "reason", true, 500, &reason) != 0)
    goto out;
  int y, m, u, t = req->today;
  char first[DATE_ISO_SIZE];
  snprintf(first, sizeof first, "%.7s-01", month);
  int d;
  if (strlen(month) != 7 || date_parse_iso(first, &d) != 0 || sscanf(month, "%4d-%2d", &y, &m) != 2) {
    rc = reply_error(rep, 400, "field_invalid", "月份（month）应写成 YYYY-MM", "month");
    goto out;
  }
  if (d >= date_make(date_year(t), date_month(t), 1)) {
    rc = reply_error(rep, 400, "field_invalid", "只能解锁已经结束的月份", "month");
    goto out;
  }
  long span;
  if (date_parse_iso(until, &u) != 0 || u < t || date_diff_days(t, u, &span) != 0 || span > 60) {
    rc = reply_error(rep, 400, "field_invalid", "截止日期（until）应在今天起 60 天之内", "until");
    goto out;
  }
  if (!*reason) {
    rc = reply_error(rep, 400, "field_required", "请填写解锁理由", "reason");
    goto out;
  }
  int r = supervision_region(req->db, region, path, level, name);
  if (r == DB_ERROR) { rc = reply_internal(rep); goto out; }
  if (r == DB_NOT_FOUND || !scope_covers_path(&req->scope, path)) {
    rc = reply_not_found(req, rep, "区划不存在或不在管辖范围内", "region_code");
    goto out;
  }
  /* a county reopens for itself or its townships; the city for anything in the city */
  const char *own = req->user.role->level ? req->user.role->level : "";
  if (strcmp(own, "county") == 0 && strcmp(level, "county") != 0 && strcmp(level, "township") != 0) {
    rc = reply_error(rep, 400, "field_invalid", "县级可为本县或所辖乡镇解锁", "region_code");
    goto out;
  }
  if (strcmp(own, "county") != 0 && strcmp(own, "city") != 0) {
    rc = reply_error(rep, 403, "forbidden", "解锁须由上级（县级或市级）办理", NULL);
    goto out;
  }
  struct period_unlock_write pu = {region, month, until, reason, 0};
  struct write_tx w = {.store = store_unlock, .ctx = &pu, .action = "period.unlock", .entity = "period_unlock",
                       .id = &pu.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = pu.id;
out:
  if (rc == 0)
    reply_json(rep, 201, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "region_code", region,
                                   "region_name", name, "month", month, "until", until, "reason", reason));
  json_decref(body);
  return rc;
}

static const char *const UNLOCK_EXPORT[][2] = {
  {"region_name", "区划"}, {"month", "月份"}, {"until", "开放至"}, {"reason", "理由"}, {"user_name", "办理人"},
  {"created_at", "办理时间"}, {NULL, NULL}};

int api_period_unlocks_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  if (query_page(req, rep, &page, &page_size) != 0) return -1;
  if (req->scope.kind != SCOPE_KIND_REGION)
    return handler_reply_list(req, rep, json_pack("{s:[], s:i, s:i, s:i}", "items", "total", 0, "page", page,
                                                  "page_size", page_size), UNLOCK_EXPORT, "月份解锁");
  json_t *list = period_unlocks_list_json(req->db, &req->scope, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, UNLOCK_EXPORT, "月份解锁");
}
