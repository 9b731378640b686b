/* h_funds — 经费保障 (3.4a, 3.4b) and 人身意外伤害保险 (3.5).
 *
 * The dispatching unit records what it put in place for the teams where its cadres are in post
 * (its own payments only); the county or city records for any team in its region (e.g. funds
 * from the county's budget). Each entry names the team (village), the kind (policy fund_kinds:
 * the 3.4b kinds also name the cadre), amount, date in place (到位日期), document number (文号)
 * and the paying unit. One document pays a team once per kind: a second entry is 409. Dated
 * records obey the month lock (423). Reading needs PERM_OBLIGATION_READ, in scope; the team view
 * (GET /team-funds) shows per team and year the total work funds, the day 10,000 yuan was
 * reached, the insurance, and the flags with their clauses. Every write is audited. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/record_input.h"
#include "http/write_tx.h"
#include "http/server.h"
#include "store/db.h"
#include "store/funds.h"
#include "store/region_path.h"
#include "store/scope.h"

#define MAX_AMOUNT 100000000.0 /* one entry: at most 100 million yuan */

static void fund_names(const struct request *req, json_t *row) { rec_add_name(req, row, "kind", "fund_kinds"); }

static int reply_fund(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *f = funds_get_json(req->db, &req->scope, id);
  const json_t *cadre = f ? json_object_get(f, "cadre_id") : NULL;
  if (f && req->scope.kind == SCOPE_KIND_SELF && json_is_integer(cadre) && json_integer_value(cadre) != req->scope.cadre_id) {
    json_decref(f); /* a colleague's allowance (3.4b) */
    f = NULL;
  }
  if (!f) return reply_not_found(req, rep, "经费记录不存在或不在管辖范围内", NULL);
  fund_names(req, f);
  reply_json(rep, status, f);
  return 0;
}

/* The team of the body: a village with cadres in post, in the caller's scope (a unit: where its
 * cadres are). 404 otherwise. */
static int team_of_body(struct request *req, struct reply *rep, const json_t *body, const char **village,
                        char path[96])
{
  if (field_string(rep, body, "village_code", true, 12, village) != 0) return -1;
  int rc = funds_team_in_scope(req->db, &req->scope, *village, path);
  if (rc == DB_NOT_FOUND)
    return reply_error(rep, 404, "not_found", "该村没有驻村工作队，或不在管辖范围内（派出单位只能填报本单位干部所在的工作队）",
                       "village_code");
  return rc == DB_OK ? 0 : reply_internal(rep);
}

/* The paying unit: a unit user pays as its own unit; a region official names a unit or a payer. */
static int payer_of_body(struct request *req, struct reply *rep, const json_t *body, int64_t *unit_id, char *name,
                         size_t size)
{
  const char *typed;
  bool given = false;
  if (field_int(rep, body, "payer_unit_id", false, 1, INT64_MAX, unit_id, &given) != 0 ||
      field_string(rep, body, "payer_name", false, 100, &typed) != 0)
    return -1;
  if (!given) *unit_id = 0;
  if (req->scope.kind == SCOPE_KIND_UNIT) {
    if (given && *unit_id != req->scope.unit_id)
      return reply_error(rep, 403, "forbidden", "派出单位只能填报本单位拨付的经费", "payer_unit_id");
    *unit_id = req->scope.unit_id;
  }
  if (*unit_id) {
    int rc = funds_unit_name(req->db, *unit_id, name, size);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 400, "field_invalid", "拨付单位不存在", "payer_unit_id");
    return rc == DB_OK ? 0 : reply_internal(rep);
  }
  if (!typed || !*typed) return reply_error(rep, 400, "field_required", "请填写拨付单位", "payer_name");
  snprintf(name, size, "%s", typed);
  return 0;
}

struct fund_input {
  const char *village, *kind, *paid_on, *doc_no, *note;
  char path[96], payer[128];
  int64_t cadre_id, payer_unit;
  double amount;
};

static int read_fund(struct request *req, struct reply *rep, const json_t *body, struct fund_input *in)
{
  static const char *const ALLOWED[] = {"village_code", "kind", "cadre_id", "amount", "paid_on", "doc_no",
                                        "payer_unit_id", "payer_name", "note", NULL};
  const json_t *item;
  bool has_cadre = false;
  int paid;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 40, &in->kind) != 0 ||
      rec_coded(req, rep, "fund_kinds", in->kind, "kind", &item) != 0 ||
      field_number(rep, body, "amount", true, 0.01, MAX_AMOUNT, &in->amount, NULL) != 0 ||
      field_string(rep, body, "paid_on", true, 10, &in->paid_on) != 0 ||
      rec_date(req, rep, in->paid_on, "paid_on", false, &paid) != 0 ||
      field_string(rep, body, "doc_no", true, 60, &in->doc_no) != 0 ||
      field_string(rep, body, "note", false, 500, &in->note) != 0 ||
      field_int(rep, body, "cadre_id", false, 1, INT64_MAX, &in->cadre_id, &has_cadre) != 0)
    return -1;
  if (!*in->doc_no) return reply_error(rep, 400, "field_required", "请填写文号", "doc_no");
  bool per_cadre = json_is_true(json_object_get(item, "per_cadre")); /* 3.4b */
  if (per_cadre && !has_cadre)
    return reply_error(rep, 400, "field_required", "生活补助、交通补贴、健康体检、通信补贴须落实到具体驻村干部（3.4b）", "cadre_id");
  if (!per_cadre && has_cadre)
    return reply_error(rep, 400, "field_invalid", "工作经费、帮扶经费按工作队落实，不填干部（3.4a）", "cadre_id");
  if (!has_cadre) in->cadre_id = 0;
  if (team_of_body(req, rep, body, &in->village, in->path) != 0) return -1;
  if (in->cadre_id) {
    int rc = funds_cadre_in_team(req->db, &req->scope, in->cadre_id, in->village);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "该干部不在此工作队驻村，或不在管辖范围内", "cadre_id");
    if (rc != DB_OK) return reply_internal(rep);
  }
  return payer_of_body(req, rep, body, &in->payer_unit, in->payer, sizeof in->payer);
}

/* A fund entry or an insurance policy entered (its id set by the store), or withdrawn with a reason. */
struct funds_write {
  const struct fund_new *fund;
  const struct insurance_new *policy;
  int64_t id;
  const char *reason;
  char today[11];
};

static const struct write_error FUND_DUPLICATE[] = {
    {DB_CONFLICT, 409, "duplicate", "该文号已为此工作队（干部）登记过同类经费，请勿重复录入", "doc_no"}, {0}};
static const struct write_error FUND_WITHDRAWN[] = {
    {DB_CONFLICT, 409, "already_withdrawn", "该经费记录已撤销", NULL}, {0}};
static const struct write_error POLICY_DUPLICATE[] = {
    {DB_CONFLICT, 409, "duplicate", "该保单号已为此工作队登记，请勿重复录入", "policy_no"}, {0}};
static const struct write_error POLICY_WITHDRAWN[] = {
    {DB_CONFLICT, 409, "already_withdrawn", "该保险记录已撤销", NULL}, {0}};

static int store_fund(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct funds_write *f = ctx;
  return funds_insert(req->db, f->fund, req->now, &f->id);
}

static int store_fund_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct funds_write *f = ctx;
  return funds_withdraw(req->db, f->id, req->user.id, f->reason, req->now);
}

static int store_policy(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct funds_write *f = ctx;
  return insurance_insert(req->db, f->policy, f->today, req->now, &f->id);
}

static int store_policy_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct funds_write *f = ctx;
  return insurance_withdraw(req->db, f->id, req->user.id, f->reason, f->today, req->now);
}

int api_funds_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct fund_input in = {0};
  int64_t id = 0;
  int rc = -1;
  if (read_fund(req, rep, body, &in) != 0 || rec_check_lock(req, rep, in.paid_on, in.path, "paid_on") != 0) goto out;
  struct fund_new f = {in.village, in.kind, in.paid_on, in.doc_no, in.payer, in.note, in.cadre_id, in.payer_unit,
                       round(in.amount * 100) / 100, req->user.id};
  struct funds_write fw = {.fund = &f};
  struct write_tx w = {.store = store_fund, .ctx = &fw, .errors = FUND_DUPLICATE, .action = "funds.create",
                       .entity = "fund_entry", .id = &fw.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = fw.id;
out:
  json_decref(body);
  return rc != 0 ? -1 : reply_fund(req, rep, id, 201);
}

int api_funds_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_fund(req, rep, id, 200);
}

/* A unit withdraws only what it paid itself; a region official anything in scope. */
static int may_change(struct request *req, struct reply *rep, const json_t *rec)
{
  if (req->scope.kind != SCOPE_KIND_UNIT) return 0;
  if (json_integer_value(json_object_get(rec, "payer_unit_id")) == req->scope.unit_id) return 0;
  return reply_error(rep, 403, "forbidden", "派出单位只能撤销本单位填报的记录", NULL);
}

/* The path of the record's village, for the month lock; "" for a village gone from the tree. */
static int region_path_of(struct request *req, struct reply *rep, const char *village, char path[96])
{
  char level[16];
  int rc = region_path_level(req->db, village, path, level);
  return rc == DB_OK || rc == DB_NOT_FOUND ? 0 : reply_internal(rep);
}

int api_funds_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *f = funds_get_json(req->db, &req->scope, id), *body = NULL;
  if (!f) return reply_not_found(req, rep, "经费记录不存在或不在管辖范围内", NULL);
  const char *reason;
  char path[96];
  int rc = -1;
  if (may_change(req, rep, f) != 0 || rec_withdraw_body(req, rep, &body, &reason) != 0 ||
      region_path_of(req, rep, json_string_value(json_object_get(f, "village_code")), path) != 0 ||
      rec_check_lock(req, rep, json_string_value(json_object_get(f, "paid_on")), path, NULL) != 0)
    goto out;
  struct funds_write fw = {.id = id, .reason = reason};
  struct write_tx w = {.store = store_fund_withdraw, .ctx = &fw, .errors = FUND_WITHDRAWN, .action = "funds.withdraw",
                       .entity = "fund_entry", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(f);
  json_decref(body);
  return rc != 0 ? -1 : reply_fund(req, rep, id, 200);
}

/* ?year&village&kind&cadre&withdrawn=1, shared by the ledger and the policies. */
static int read_filter(struct request *req, struct reply *rep, struct fund_filter *f)
{
  const char *withdrawn, *year;
  memset(f, 0, sizeof *f);
  if (query_text(req, rep, "year", 4, &year) != 0) return -1;
  if (year && *year && rec_query_year(req, rep, &f->year) != 0) return -1;
  if (query_text(req, rep, "village", 12, &f->village_code) != 0 || query_text(req, rep, "kind", 40, &f->kind) != 0 ||
      rec_query_id(req, rep, "cadre", &f->cadre_id) != 0 || query_text(req, rep, "withdrawn", 1, &withdrawn) != 0)
    return -1;
  if (f->village_code && !*f->village_code) f->village_code = NULL;
  if (f->kind && !*f->kind) f->kind = NULL;
  f->with_withdrawn = withdrawn && strcmp(withdrawn, "1") == 0;
  return 0;
}

static const char *const FUND_EXPORT[][2] = {
  {"id", "编号"}, {"paid_on", "到位日期"}, {"township_name", "乡镇"}, {"village_name", "工作队（村）"},
  {"kind_name", "类别"}, {"cadre_name", "干部"}, {"amount", "金额（元）"}, {"doc_no", "文号"},
  {"payer_name", "拨付单位"}, {"note", "备注"}, {"recorded_by_name", "填报人"}, {"status", "状态"},
  {"withdraw_reason", "撤销原因"}, {NULL, NULL}};

int api_funds_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct fund_filter f;
  if (query_page(req, rep, &page, &page_size) != 0 || read_filter(req, rep, &f) != 0) return -1;
  json_t *list = funds_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) fund_names(req, row);
  return handler_reply_list(req, rep, list, FUND_EXPORT, "经费台账");
}

/* ---- accident insurance (3.5) ---- */

static int reply_policy(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *p = insurance_get_json(req->db, &req->scope, id);
  if (!p) return reply_not_found(req, rep, "保险记录不存在或不在管辖范围内", NULL);
  reply_json(rep, status, p);
  return 0;
}

#define MAX_COVERED 30

/* cadre_ids: distinct cadres in post in the team, in scope (a unit: its own). */
static int covered_cadres(struct request *req, struct reply *rep, const json_t *body, const char *village,
                          int64_t ids[MAX_COVERED], size_t *n)
{
  const json_t *arr = json_object_get(body, "cadre_ids");
  if (!arr) return reply_error(rep, 400, "field_required", "请选择保单覆盖的驻村干部", "cadre_ids");
  if (!json_is_array(arr)) return reply_error(rep, 400, "field_type", "驻村干部（cadre_ids）应为干部编号的列表", "cadre_ids");
  *n = json_array_size(arr);
  if (*n == 0 || *n > MAX_COVERED)
    return reply_error(rep, 400, "field_invalid", "保单覆盖的干部应为 1—30 人", "cadre_ids");
  for (size_t i = 0; i < *n; i++) {
    const json_t *v = json_array_get(arr, i);
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
      return reply_error(rep, 400, "field_type", "驻村干部（cadre_ids）应为干部编号的列表", "cadre_ids");
    ids[i] = json_integer_value(v);
    for (size_t j = 0; j < i; j++)
      if (ids[j] == ids[i]) return reply_error(rep, 400, "field_invalid", "同一干部不能重复列出", "cadre_ids");
    int rc = funds_cadre_in_team(req->db, &req->scope, ids[i], village);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "所选干部不在此工作队驻村，或不在管辖范围内", "cadre_ids");
    if (rc != DB_OK) return reply_internal(rep);
  }
  return 0;
}

struct policy_input {
  const char *village, *insurer, *policy_no, *start, *end;
  char path[96], payer[128], lock_date[24];
  int64_t payer_unit, year, cadres[MAX_COVERED];
  size_t ncadres;
};

static int read_policy(struct request *req, struct reply *rep, const json_t *body, struct policy_input *in)
{
  static const char *const ALLOWED[] = {"village_code", "year", "insurer", "policy_no", "cover_start", "cover_end",
                                        "cadre_ids", "payer_unit_id", "payer_name", NULL};
  int s, e;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_int(rep, body, "year", true, 2000, 2100, &in->year, NULL) != 0 ||
      field_string(rep, body, "insurer", true, 100, &in->insurer) != 0 ||
      field_string(rep, body, "policy_no", true, 60, &in->policy_no) != 0 ||
      field_string(rep, body, "cover_start", true, 10, &in->start) != 0 ||
      field_string(rep, body, "cover_end", true, 10, &in->end) != 0 || rec_date(req, rep, in->start, "cover_start", true, &s) != 0 ||
      rec_date(req, rep, in->end, "cover_end", true, &e) != 0)
    return -1;
  if (!*in->insurer) return reply_error(rep, 400, "field_required", "请填写承保机构", "insurer");
  if (!*in->policy_no) return reply_error(rep, 400, "field_required", "请填写保单号", "policy_no");
  if (e < s) return reply_error(rep, 400, "field_invalid", "保险止期不能早于起期", "cover_end");
  if (s > (int)in->year * 10000 + 1231 || e < (int)in->year * 10000 + 101)
    return reply_error(rep, 400, "field_invalid", "保险期间须覆盖所填年度", "cover_start");
  if (s > req->today) return reply_error(rep, 400, "field_invalid", "保险尚未生效，请在起保后登记", "cover_start");
  /* the record's day: its cover start, at the earliest 1 January of its year */
  snprintf(in->lock_date, sizeof in->lock_date, "%s", in->start);
  if (s < (int)in->year * 10000 + 101) snprintf(in->lock_date, sizeof in->lock_date, "%04d-01-01", (int)in->year);
  if (team_of_body(req, rep, body, &in->village, in->path) != 0 ||
      covered_cadres(req, rep, body, in->village, in->cadres, &in->ncadres) != 0)
    return -1;
  return payer_of_body(req, rep, body, &in->payer_unit, in->payer, sizeof in->payer);
}

int api_insurance_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct policy_input in = {0};
  int64_t id = 0;
  int rc = -1;
  char today[11];
  date_format_iso(req->today, today);
  if (read_policy(req, rep, body, &in) != 0 || rec_check_lock(req, rep, in.lock_date, in.path, "cover_start") != 0)
    goto out;
  struct insurance_new n = {in.village, in.insurer, in.policy_no, in.start, in.end, in.payer, (int)in.year,
                            in.payer_unit, in.cadres, in.ncadres, req->user.id};
  struct funds_write fw = {.policy = &n};
  snprintf(fw.today, sizeof fw.today, "%s", today);
  struct write_tx w = {.store = store_policy, .ctx = &fw, .errors = POLICY_DUPLICATE, .action = "insurance.create",
                       .entity = "insurance_policy", .id = &fw.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = fw.id;
out:
  json_decref(body);
  return rc != 0 ? -1 : reply_policy(req, rep, id, 201);
}

int api_insurance_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_policy(req, rep, id, 200);
}

int api_insurance_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *p = insurance_get_json(req->db, &req->scope, id), *body = NULL;
  if (!p) return reply_not_found(req, rep, "保险记录不存在或不在管辖范围内", NULL);
  const char *reason;
  char path[96], today[11], lock_date[24];
  date_format_iso(req->today, today);
  int year = (int)json_integer_value(json_object_get(p, "year"));
  const char *start = json_string_value(json_object_get(p, "cover_start"));
  snprintf(lock_date, sizeof lock_date, "%s", start);
  if (start && atoi(start) < year) snprintf(lock_date, sizeof lock_date, "%04d-01-01", year);
  int rc = -1;
  if (may_change(req, rep, p) != 0 || rec_withdraw_body(req, rep, &body, &reason) != 0 ||
      region_path_of(req, rep, json_string_value(json_object_get(p, "village_code")), path) != 0 ||
      rec_check_lock(req, rep, lock_date, path, NULL) != 0)
    goto out;
  struct funds_write fw = {.id = id, .reason = reason};
  snprintf(fw.today, sizeof fw.today, "%s", today);
  struct write_tx w = {.store = store_policy_withdraw, .ctx = &fw, .errors = POLICY_WITHDRAWN,
                       .action = "insurance.withdraw", .entity = "insurance_policy", .entity_id = req->params[0],
                       .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(p);
  json_decref(body);
  return rc != 0 ? -1 : reply_policy(req, rep, id, 200);
}

static const char *const POLICY_EXPORT[][2] = {
  {"id", "编号"}, {"year", "年度"}, {"township_name", "乡镇"}, {"village_name", "工作队（村）"}, {"insurer", "承保机构"},
  {"policy_no", "保单号"}, {"cover_start", "保险起期"}, {"cover_end", "保险止期"}, {"covered_names", "被保险干部"},
  {"payer_name", "投保单位"}, {"status", "状态"}, {NULL, NULL}};

int api_insurance_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct fund_filter f;
  if (query_page(req, rep, &page, &page_size) != 0 || read_filter(req, rep, &f) != 0) return -1;
  json_t *list = insurance_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i, j;
  json_t *row, *c;
  if (list)
    json_array_foreach(json_object_get(list, "items"), i, row) {
      char names[1024] = "";
      size_t len = 0;
      json_array_foreach(json_object_get(row, "cadres"), j, c)
        len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0, "%s%s", j ? "、" : "",
                                json_string_value(json_object_get(c, "name")));
      json_object_set_new(row, "covered_names", json_string(len < sizeof names ? names : ""));
    }
  return handler_reply_list(req, rep, list, POLICY_EXPORT, "意外伤害保险");
}

/* ---- the team view (3.4a, 3.5) ---- */

static const char *const TEAM_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"township_name", "乡镇"}, {"village_name", "工作队（村）"}, {"lead_unit_name", "牵头单位"},
  {"co_units", "协同单位"},
  {"cadres", "在岗干部"}, {"work_funds", "工作经费（元）"}, {"reached_on", "达到1万元日期"},
  {"assistance_funds", "帮扶经费（元）"}, {"cadre_funds", "干部待遇（元）"}, {"insured", "已投保干部"},
  {"insured_from", "保险起期"}, {"flags_text", "问题（条款）"}, {NULL, NULL}};

int api_team_funds_get(struct request *req, struct reply *rep)
{
  static const char *const FLAGS[] = {"below_min", "late", "insurance", "any", NULL};
  int page, page_size, year;
  struct team_query q = {0};
  char today[11];
  date_format_iso(req->today, today);
  if (query_page(req, rep, &page, &page_size) != 0 || rec_query_year(req, rep, &year) != 0 ||
      rec_query_region(req, rep, &q.region_code) != 0 || rec_query_enum(req, rep, "flag", FLAGS, &q.flag) != 0 ||
      rec_query_id(req, rep, "unit", &q.unit_id) != 0)
    return -1;
  const json_t *ob = rec_obligation(req, "work_funds"); /* 3.4a amount, 3.5 deadline */
  q.year = year;
  q.today = today;
  q.min_amount = ob && json_is_number(json_object_get(ob, "min_amount")) ? json_number_value(json_object_get(ob, "min_amount")) : 10000;
  q.deadline = ob && json_string_value(json_object_get(ob, "deadline")) ? json_string_value(json_object_get(ob, "deadline")) : "03-31";
  json_t *list = funds_teams_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i, j;
  json_t *row, *flag;
  if (list)
    json_array_foreach(json_object_get(list, "items"), i, row) {
      char text[512] = "";
      size_t len = 0;
      json_array_foreach(json_object_get(row, "flags"), j, flag)
        if (len < sizeof text)
          len += (size_t)snprintf(text + len, sizeof text - len, "%s%s（%s）", j ? "；" : "",
                                  json_string_value(json_object_get(flag, "text")),
                                  json_string_value(json_object_get(flag, "clause")));
      json_object_set_new(row, "flags_text", json_string(len < sizeof text ? text : ""));
    }
  return handler_reply_list(req, rep, list, TEAM_EXPORT, "经费保障");
}

/* ---- by dispatching unit (3.4a, 3.5) ---- */

static const char *const UNIT_EXPORT[][2] = {
  {"unit_name", "派出单位"}, {"teams", "牵头的工作队"}, {"co_teams", "协同的工作队"}, {"below_min", "工作经费不足1万元的队"},
  {"late", "一季度末未到位的队"}, {"insurance", "保险缺失或未全覆盖的队"}, {"paid", "本单位拨付工作经费（元）"}, {NULL, NULL}};

int api_unit_funds_get(struct request *req, struct reply *rep)
{
  static const char *const FLAGS[] = {"below_min", "late", "insurance", "any", NULL};
  int page, page_size, year;
  struct team_query q = {0};
  char today[11];
  date_format_iso(req->today, today);
  if (query_page(req, rep, &page, &page_size) != 0 || rec_query_year(req, rep, &year) != 0 ||
      rec_query_region(req, rep, &q.region_code) != 0 || rec_query_enum(req, rep, "flag", FLAGS, &q.flag) != 0)
    return -1;
  const json_t *ob = rec_obligation(req, "work_funds");
  q.year = year;
  q.today = today;
  q.min_amount = ob && json_is_number(json_object_get(ob, "min_amount")) ? json_number_value(json_object_get(ob, "min_amount")) : 10000;
  q.deadline = ob && json_string_value(json_object_get(ob, "deadline")) ? json_string_value(json_object_get(ob, "deadline")) : "03-31";
  json_t *list = funds_units_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, UNIT_EXPORT, "经费保障（按派出单位）");
}
