/* h_households — the registry of 脱贫户 and 监测户 (5.6) and its history (5.8): list and detail in
 * scope, an edit guarded by the record's version, the audited read of a member's full ID number,
 * and the import of a village's sheet, all or nothing. ID numbers leave the server masked. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/household_sheet.h"
#include "http/handlers.h"
#include "http/not_found.h"
#include "http/reveal_gate.h"
#include "http/json_in.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/webhook_events.h"
#include "store/db.h"
#include "store/households.h"
#include "store/region_path.h"
#include "store/scope.h"

static const char *const HOUSEHOLD_EXPORT[][2] = {
  {"township_name", "乡镇"}, {"village_name", "村"}, {"household_no", "户编号"}, {"head_name", "户主姓名"},
  {"category_name", "户类型"}, {"monitored", "纳入监测"}, {"members_count", "人口数"}, {"able_bodied", "劳动力数"},
  {"income_year", "收入年度"}, {"per_capita", "人均纯收入（元）"}, {"food_clothing", "不愁吃穿"},
  {"schooling", "义务教育保障"}, {"medical", "基本医疗保障"}, {"housing", "住房安全保障"}, {"water", "饮水安全保障"},
  {"last_visit", "最近走访"}, {"phone", "联系电话（脱敏）"}, {NULL, NULL}};

static bool known_category(const char *c) { return c && *household_category_name_zh(c); }

int api_households_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *village, *region, *category, *monitored, *q;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "village", 12, &village) != 0 ||
      query_text(req, rep, "region", 12, &region) != 0 || query_text(req, rep, "category", 16, &category) != 0 ||
      query_text(req, rep, "monitored", 1, &monitored) != 0 || query_text(req, rep, "q", 30, &q) != 0)
    return -1;
  if (category && *category && !known_category(category))
    return reply_error(rep, 400, "field_invalid", "户类型应为 alleviated、unstable、marginal、sudden 或 general", "category");
  if (monitored && *monitored && strcmp(monitored, "0") && strcmp(monitored, "1"))
    return reply_error(rep, 400, "field_invalid", "是否纳入监测（monitored）应为 0 或 1", "monitored");
  struct household_filter f = {village && *village ? village : region && *region ? region : NULL,
                               category && *category ? category : NULL,
                               monitored && *monitored ? atoi(monitored) : -1, q};
  handler_stream_list(req, HOUSEHOLD_EXPORT, "脱贫户和监测户", NULL);
  json_t *list = households_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, HOUSEHOLD_EXPORT, "脱贫户和监测户");
}

int api_households_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *h = households_detail_json(req->db, &req->scope, id);
  if (!h) return reply_not_found(req, rep, "农户不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, h);
  return 0;
}

/* ---- the edit (5.8) ---- */

/* An item field: true/false sets it, null makes it unknown, absent leaves it (-2). */
static int item_field(struct reply *rep, const json_t *body, const char *name, int *out)
{
  *out = -2;
  json_t *v = json_object_get(body, name);
  if (!v) return 0;
  if (json_is_null(v)) { *out = -1; return 0; }
  if (!json_is_boolean(v)) return reply_error(rep, 400, "field_type", "应为 true、false 或 null", name);
  *out = json_is_true(v);
  return 0;
}

static int read_income(const struct request *req, struct reply *rep, const json_t *body, struct household_edit *e)
{
  json_t *inc = json_object_get(body, "income");
  if (!inc) return 0;
  static const char *const ALLOWED[] = {"year", "per_capita", NULL};
  if (!json_is_object(inc)) return reply_error(rep, 400, "field_type", "收入（income）应写明年份和人均纯收入：{year, per_capita}", "income");
  int64_t year;
  double amount;
  bool has;
  if (fields_allowed(rep, inc, ALLOWED) != 0 ||
      field_int(rep, inc, "year", true, 2013, req->today / 10000, &year, &has) != 0 ||
      field_number(rep, inc, "per_capita", true, 0, 10000000, &amount, &has) != 0)
    return -1;
  e->income_year = (int)year;
  e->per_capita = amount;
  return 0;
}

static int read_edit(const struct request *req, struct reply *rep, const json_t *body, struct household_edit *e, int64_t *version)
{
  static const char *const ALLOWED[] = {"version", "head_name", "category", "monitored", "address", "status",
                                        "food_clothing", "schooling", "medical", "housing", "water", "income", NULL};
  static const char *const ITEMS[HS_ITEMS] = {"food_clothing", "schooling", "medical", "housing", "water"};
  memset(e, 0, sizeof *e);
  bool has, monitored = false;
  if (fields_allowed(rep, body, ALLOWED) != 0 ||
      field_int(rep, body, "version", true, 1, INT64_MAX, version, &has) != 0 ||
      field_string(rep, body, "head_name", false, 30, &e->head_name) != 0 ||
      field_string(rep, body, "category", false, 16, &e->category) != 0 ||
      field_string(rep, body, "address", false, 100, &e->address) != 0 ||
      field_string(rep, body, "status", false, 10, &e->status) != 0 ||
      field_bool(rep, body, "monitored", false, &monitored, &has) != 0)
    return -1;
  e->monitored = has ? monitored : -1;
  e->able_bodied = -2;
  if (e->head_name && strlen(e->head_name) < 2) return reply_error(rep, 400, "field_invalid", "户主姓名应为 2 至 30 个字", "head_name");
  if (e->category && !known_category(e->category))
    return reply_error(rep, 400, "field_invalid", "户类型应为 alleviated、unstable、marginal、sudden 或 general", "category");
  if (e->status && strcmp(e->status, "active") && strcmp(e->status, "removed"))
    return reply_error(rep, 400, "field_invalid", "状态（status）应为在册（active）或销户（removed）", "status");
  for (int k = 0; k < HS_ITEMS; k++)
    if (item_field(rep, body, ITEMS[k], &e->items[k]) != 0) return -1;
  return read_income(req, rep, body, e);
}

typedef int (*member_reveal_fn)(struct db *, const struct vault *, int64_t, int64_t, char **);

/* A write on a household: its edit at a version (the store says what changed, and the audit row
 * keeps that), or a member's sealed field read in full (value: malloc'd). */
struct household_write {
  int64_t id, version, member;
  const struct household_edit *edit;
  json_t *changes;
  member_reveal_fn reveal;
  char *value;
};

static int store_reveal(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct household_write *h = ctx;
  return h->reveal(req->db, req->app->vault, h->id, h->member, &h->value);
}

static const struct write_error NO_MEMBER[] = {{DB_NOT_FOUND, 404, "not_found", "该户没有这名成员", NULL}, {0}};

/* The edit, its audit row with the changes the store reports, and a changed risk pushed out. */
static int store_update(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct household_write *h = ctx;
  int w = households_update(req->db, h->id, h->version, h->edit, req->user.id, req->now, &h->changes);
  if (w == DB_OK) w = handler_audit(req, "household.update", "household", req->params[0], h->changes);
  if (w == DB_OK && (json_object_get(h->changes, "monitored") || json_object_get(h->changes, "category")))
    w = webhook_events_household_risk(req->db, h->id, req->now); /* 数据推送 (issue 13) */
  return w;
}

static const struct write_error STALE[] = {
    {DB_CONFLICT, 409, "stale_version", "该户信息已被他人修改，请刷新后重新编辑", "version"}, {0}};

int api_households_patch(struct request *req, struct reply *rep)
{
  int64_t id, version;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *h = households_get_json(req->db, &req->scope, id);
  if (!h) return reply_not_found(req, rep, "农户不存在或不在管辖范围内", NULL);
  json_decref(h);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct household_edit e;
  int rc = read_edit(req, rep, body, &e, &version);
  if (rc == 0) {
    struct household_write hw = {.id = id, .version = version, .edit = &e};
    struct write_tx w = {.store = store_update, .ctx = &hw, .errors = STALE}; /* the audit row is the store call's */
    rc = write_tx_run(req, rep, &w);
    json_decref(hw.changes);
  }
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 200, households_detail_json(req->db, &req->scope, id));
  return 0;
}


/* One member's sealed field in full, after the reveal gate (re-authentication, rate limit), with its
 * audit row in the same transaction as the read. */
static int reveal_member(struct request *req, struct reply *rep, member_reveal_fn reveal, const char *action,
                         const char *key)
{
  if (reveal_gate(req, rep) != 0) return -1;
  int64_t id, member;
  if (param_id(req, rep, 0, &id) != 0 || param_id(req, rep, 1, &member) != 0) return -1;
  json_t *h = households_get_json(req->db, &req->scope, id);
  if (!h) return reply_not_found(req, rep, "农户不存在或不在管辖范围内", NULL);
  json_decref(h);
  struct household_write hw = {.id = id, .member = member, .reveal = reveal};
  json_t *detail = json_pack("{s:I}", "member_id", (json_int_t)member);
  struct write_tx w = {.store = store_reveal, .ctx = &hw, .errors = NO_MEMBER, .action = action, .entity = "household",
                       .entity_id = req->params[0], .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  if (rc == 0) reply_json(rep, 200, json_pack("{s:I, s:s}", "member_id", (json_int_t)member, key, hw.value));
  if (hw.value) { sodium_memzero(hw.value, strlen(hw.value)); free(hw.value); }
  return rc;
}

/* The full ID number of a member, for the rural revitalization bureaus only; every read audited. */
int api_households_reveal_id(struct request *req, struct reply *rep)
{
  return reveal_member(req, rep, households_reveal_id_number, "household.reveal_id_number", "id_number");
}

/* A member's health note (sensitive personal information, sealed at rest: issue 17, F7), for anyone who
 * reads the household, through the same gate and with its own audit row. */
int api_households_reveal_health(struct request *req, struct reply *rep)
{
  return reveal_member(req, rep, households_reveal_health, "household.reveal_health", "health");
}

/* ---- import (5.6): all or nothing ---- */

/* The village named by ?village=, in scope and a village. */
static int import_village(struct request *req, struct reply *rep, const char **code)
{
  if (query_text(req, rep, "village", 12, code) != 0) return -1;
  if (!*code || !**code) return reply_error(rep, 400, "field_required", "须指定导入到哪个村（?village=村代码）", "village");
  char path[96], level[16];
  int rc = region_path_level(req->db, *code, path, level);
  if (rc != DB_OK && rc != DB_NOT_FOUND) return reply_internal(rep);
  bool found = rc == DB_OK;
  bool village = found && strcmp(level, "village") == 0;
  bool covered = found && scope_covers_path(&req->scope, path);
  if (!found || !covered) return reply_not_found(req, rep, "村不存在或不在管辖范围内", "village");
  if (!village) return reply_error(rep, 400, "field_invalid", "只能按村导入（village 应为村级区划代码）", "village");
  return 0;
}

/* Reads, checks and groups the sheet; 0 with *groups set when every row is good. */
static int check_sheet(struct request *req, json_t *rows, struct hs_row *parsed, bool *skip,
                       struct hs_household **groups, int *ngroups, json_t *errors)
{
  int today = req->today;
  int n = (int)json_array_size(rows);
  struct hs_header h;
  *groups = NULL;
  *ngroups = 0;
  if (n == 0) {
    json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", 1, "column", "", "field", "",
                                            "code", "empty", "message", "文件是空的"));
    return -1;
  }
  if (household_sheet_header(json_array_get(rows, 0), &h, errors) > 0) return -1;
  for (int i = 1; i < n; i++) {
    json_t *row = json_array_get(rows, (size_t)i);
    skip[i] = json_array_size(row) == 0;
    if (!skip[i]) household_sheet_row(&h, row, i + 1, today, &parsed[i], errors);
  }
  skip[0] = true;
  if (household_sheet_group(&h, parsed, skip, n, groups, ngroups, errors) < 0) return -2;
  return json_array_size(errors) ? -1 : 0;
}

/* A sheet's households written, and the audit row with what the import did. */
struct household_import {
  const char *village;
  const struct hs_row *parsed;
  const struct hs_household *groups;
  int ngroups;
  struct import_stats *stats;
};

static int store_import(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct household_import *im = ctx;
  struct import_stats *stats = im->stats;
  int w = households_import(req->db, req->app->vault, im->village, im->parsed, im->groups, im->ngroups, req->user.id,
                            req->now, stats);
  if (w != DB_OK) return w;
  json_t *detail = json_pack("{s:s, s:i, s:i, s:i, s:i}", "village", im->village, "added", stats->added, "updated",
                             stats->updated, "unchanged", stats->unchanged, "members_removed", stats->members_removed);
  w = handler_audit(req, "household.import", "region", im->village, detail);
  json_decref(detail);
  return w;
}

static int import_write(struct request *req, struct reply *rep, const char *village, const struct hs_row *parsed,
                        const struct hs_household *groups, int ngroups, struct import_stats *stats)
{
  struct household_import im = {village, parsed, groups, ngroups, stats};
  struct write_tx w = {.store = store_import, .ctx = &im}; /* the audit row is the store call's: it names the counts */
  return write_tx_run(req, rep, &w);
}

int api_households_import(struct request *req, struct reply *rep)
{
  const char *village;
  if (import_village(req, rep, &village) != 0) return -1;
  json_t *rows = json_array(), *errors = json_array();
  struct hs_row *parsed = NULL;
  bool *skip = NULL;
  struct hs_household *groups = NULL;
  int ngroups = 0, rc = handler_import_rows(req, rep, rows);
  size_t n = json_array_size(rows);
  if (rc == 0) {
    parsed = calloc(n + 1, sizeof *parsed);
    skip = calloc(n + 1, sizeof *skip);
    if (!parsed || !skip) rc = reply_internal(rep);
  }
  struct import_stats stats = {0};
  if (rc == 0) {
    int checked = check_sheet(req, rows, parsed, skip, &groups, &ngroups, errors);
    if (checked == -2) rc = reply_internal(rep);
    else if (checked == 0) rc = import_write(req, rep, village, parsed, groups, ngroups, &stats);
  }
  if (rc == 0 && json_array_size(errors)) {
    char msg[160];
    snprintf(msg, sizeof msg, "共发现 %zu 处错误，未导入任何数据；请按行列修改后重新导入", json_array_size(errors));
    rc = reply_error(rep, 422, "import_invalid", msg, NULL);
    json_object_set(json_object_get(rep->json, "error"), "errors", errors);
  }
  if (rc == 0)
    reply_json(rep, 200, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "village", village, "households", ngroups,
                                   "added", stats.added, "updated", stats.updated, "unchanged", stats.unchanged,
                                   "members_removed", stats.members_removed));
  household_sheet_free(groups, ngroups);
  free(parsed);
  free(skip);
  json_decref(rows);
  json_decref(errors);
  return rc;
}
