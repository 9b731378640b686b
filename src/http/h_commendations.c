/* h_commendations — 表彰激励 (3.7).
 *
 * The organization departments and RRBs (PERM_COMMENDATION_WRITE) record that a cadre or a
 * dispatching unit in their scope was commended or recommended — 评先评优, 提拔使用, 评定职级,
 * 评聘职称 (policy commendation_kinds) — at a level, on a date, under a document number, for a
 * reason. One document commends a cadre (unit) once: a second entry is 409. Dated records obey
 * the month lock; every write is audited. Read with PERM_OBLIGATION_READ, in scope; the cadre
 * detail page lists a cadre's records (?cadre=). */
#include <stdio.h>
#include <string.h>

#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/record_input.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/cadres.h"
#include "store/commendations.h"
#include "store/db.h"
#include "store/scope.h"

static void names(const struct request *req, json_t *row)
{
  rec_add_name(req, row, "kind", "commendation_kinds");
  rec_add_name(req, row, "level", "commendation_levels");
  /* 3.7: the cadre's latest confirmed 考核 (年度考核 / 任期考核), the ground of 业绩突出 */
  rec_add_name(req, row, "evaluation_result", "appraisal_results");
}

static int reply_commendation(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *m = commendations_get_json(req->db, &req->scope, id);
  if (!m) return reply_not_found(req, rep, "表彰记录不存在或不在管辖范围内", NULL);
  names(req, m);
  reply_json(rep, status, m);
  return 0;
}

/* The commended: {subject: cadre, cadre_id} or {subject: unit, unit_id}, in scope. */
static int subject_of(struct request *req, struct reply *rep, const json_t *body, const char **subject,
                      int64_t *cadre_id, int64_t *unit_id)
{
  bool has_cadre = false, has_unit = false;
  *cadre_id = *unit_id = 0;
  if (field_string(rep, body, "subject", true, 8, subject) != 0 ||
      field_int(rep, body, "cadre_id", false, 1, INT64_MAX, cadre_id, &has_cadre) != 0 ||
      field_int(rep, body, "unit_id", false, 1, INT64_MAX, unit_id, &has_unit) != 0)
    return -1;
  if (strcmp(*subject, "cadre") == 0) {
    if (!has_cadre) return reply_error(rep, 400, "field_required", "请选择受表彰的驻村干部", "cadre_id");
    if (has_unit) return reply_error(rep, 400, "field_invalid", "表彰干部时不填单位", "unit_id");
    json_t *c = cadres_get_json(req->db, &req->scope, *cadre_id);
    if (!c) return reply_not_found(req, rep, "干部不存在或不在管辖范围内", "cadre_id");
    json_decref(c);
    return 0;
  }
  if (strcmp(*subject, "unit") == 0) {
    if (!has_unit) return reply_error(rep, 400, "field_required", "请选择受表彰的派出单位", "unit_id");
    if (has_cadre) return reply_error(rep, 400, "field_invalid", "表彰单位时不填干部", "cadre_id");
    return handler_unit_in_scope(req, rep, *unit_id) != 0 ? -1 : 0;
  }
  return reply_error(rep, 400, "field_invalid", "表彰对象（subject）应为驻村干部（cadre）或派出单位（unit）", "subject");
}

/* A commendation entered (its id set by the store) or withdrawn with a reason. */
struct commendation_write {
  const struct commendation_new *n;
  int64_t id;
  const char *reason;
};

static const struct write_error DUPLICATE[] = {
    {DB_CONFLICT, 409, "duplicate", "该文号已登记过对此干部（单位）的表彰，请勿重复录入", "doc_no"}, {0}};
static const struct write_error WITHDRAWN[] = {{DB_CONFLICT, 409, "already_withdrawn", "该表彰记录已撤销", NULL}, {0}};

static int store_insert(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct commendation_write *c = ctx;
  return commendations_insert(req->db, c->n, req->now, &c->id);
}

static int store_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct commendation_write *c = ctx;
  return commendations_withdraw(req->db, c->id, req->user.id, c->reason, req->now);
}

int api_commendations_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"subject", "cadre_id", "unit_id", "kind", "level", "date", "doc_no", "title",
                                        "reason", NULL};
  const char *subject, *kind, *level, *date_s, *doc_no, *title, *reason;
  const json_t *item;
  int64_t cadre_id, unit_id, id = 0;
  int date, rc = -1;
  char path[96] = "";
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 40, &kind) != 0 ||
      rec_coded(req, rep, "commendation_kinds", kind, "kind", &item) != 0 ||
      field_string(rep, body, "level", true, 40, &level) != 0 ||
      rec_coded(req, rep, "commendation_levels", level, "level", &item) != 0 ||
      field_string(rep, body, "date", true, 10, &date_s) != 0 || rec_date(req, rep, date_s, "date", false, &date) != 0 ||
      field_string(rep, body, "doc_no", true, 60, &doc_no) != 0 || field_string(rep, body, "title", true, 100, &title) != 0 ||
      field_text(rep, body, "reason", true, 1000, &reason) != 0 ||
      subject_of(req, rep, body, &subject, &cadre_id, &unit_id) != 0)
    goto out;
  if (!*doc_no) { rc = reply_error(rep, 400, "field_required", "请填写文号", "doc_no"); goto out; }
  if (!*title) { rc = reply_error(rep, 400, "field_required", "请填写表彰（推荐）名称", "title"); goto out; }
  if (!*reason) { rc = reply_error(rep, 400, "field_required", "请填写事由", "reason"); goto out; }
  if (commendations_place(req->db, subject, cadre_id ? cadre_id : unit_id, path) == DB_ERROR) {
    rc = reply_internal(rep);
    goto out;
  }
  if (rec_check_lock(req, rep, date_s, path, "date") != 0) goto out;
  struct commendation_new n = {subject, cadre_id, unit_id, kind, level, date_s, doc_no, title, reason, req->user.id};
  struct commendation_write c = {.n = &n};
  struct write_tx w = {.store = store_insert, .ctx = &c, .errors = DUPLICATE, .action = "commendation.create",
                       .entity = "commendation", .id = &c.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = c.id;
out:
  json_decref(body);
  return rc != 0 ? -1 : reply_commendation(req, rep, id, 201);
}

int api_commendations_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_commendation(req, rep, id, 200);
}

int api_commendations_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *m = commendations_get_json(req->db, &req->scope, id), *body = NULL;
  if (!m) return reply_not_found(req, rep, "表彰记录不存在或不在管辖范围内", NULL);
  const char *reason, *subject = json_string_value(json_object_get(m, "subject"));
  char path[96] = "";
  int rc = -1;
  int64_t who = json_integer_value(json_object_get(m, strcmp(subject, "cadre") == 0 ? "cadre_id" : "unit_id"));
  if (rec_withdraw_body(req, rep, &body, &reason) != 0) goto out;
  if (commendations_place(req->db, subject, who, path) == DB_ERROR) { rc = reply_internal(rep); goto out; }
  if (rec_check_lock(req, rep, json_string_value(json_object_get(m, "date")), path, NULL) != 0) goto out;
  struct commendation_write c = {.id = id, .reason = reason};
  struct write_tx w = {.store = store_withdraw, .ctx = &c, .errors = WITHDRAWN, .action = "commendation.withdraw",
                       .entity = "commendation", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(m);
  json_decref(body);
  return rc != 0 ? -1 : reply_commendation(req, rep, id, 200);
}

static const char *const EXPORT[][2] = {
  {"date", "日期"}, {"subject_name", "对象"}, {"cadre_name", "干部"}, {"unit_name", "单位"}, {"kind_name", "方式"},
  {"level_name", "层级"}, {"title", "表彰（推荐）名称"}, {"doc_no", "文号"}, {"reason", "事由"},
  {"recorded_by_name", "填报人"}, {"evaluation_year", "最近考核年度"}, {"evaluation_result_name", "最近考核等次"},
  {"status", "状态"}, {NULL, NULL}};

int api_commendations_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *y, *withdrawn;
  struct commendation_filter f = {0};
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "year", 4, &y) != 0 ||
      rec_query_id(req, rep, "cadre", &f.cadre_id) != 0 || rec_query_id(req, rep, "unit", &f.unit_id) != 0 ||
      query_text(req, rep, "kind", 40, &f.kind) != 0 || query_text(req, rep, "withdrawn", 1, &withdrawn) != 0)
    return -1;
  if (y && *y && rec_query_year(req, rep, &f.year) != 0) return -1;
  if (f.kind && !*f.kind) f.kind = NULL;
  f.with_withdrawn = withdrawn && strcmp(withdrawn, "1") == 0;
  json_t *list = commendations_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list)
    json_array_foreach(json_object_get(list, "items"), i, row) {
      names(req, row);
      bool cadre = strcmp(json_string_value(json_object_get(row, "subject")), "cadre") == 0;
      json_object_set_new(row, "subject_name", json_string(cadre ? "驻村干部" : "派出单位"));
    }
  return handler_reply_list(req, rep, list, EXPORT, "表彰激励");
}
