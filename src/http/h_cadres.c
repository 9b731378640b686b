/* h_cadres — the cadre registry as the foundation knows it: list and detail, bounded by
 * scope (a township sees the cadres stationed in its villages, a unit its own cadres, a cadre
 * only themself). ID numbers leave the server masked. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/policy.h"
#include "core/phone.h"
#include "http/handlers.h"
#include "http/not_found.h"
#include "http/reveal_gate.h"
#include "http/json_in.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/cadres.h"
#include "store/db.h"

static const char *const CADRE_EXPORT[][2] = {
  {"id", "编号"}, {"name", "姓名"}, {"id_number", "身份证号（脱敏）"}, {"sex", "性别"}, {"birth_date", "出生日期"},
  {"party_member", "中共党员"}, {"unit_name", "派出单位"}, {"township_name", "乡镇"}, {"village_name", "驻村"},
  {"post_name", "职务"}, {NULL, NULL}};

int api_cadres_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *q, *region, *unit_text;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "q", 50, &q) != 0 ||
      query_text(req, rep, "region", 12, &region) != 0 || query_text(req, rep, "unit", 12, &unit_text) != 0)
    return -1;
  int64_t unit = 0;
  if (unit_text && *unit_text) {
    char *end;
    unit = strtoll(unit_text, &end, 10);
    if (*end || unit < 1) return reply_error(rep, 400, "field_invalid", "单位（unit）应为单位编号", "unit");
  }
  if (region && *region == '\0') region = NULL;
  handler_stream_list(req, CADRE_EXPORT, "驻村干部", NULL);
  json_t *list = cadres_list_json(req->db, &req->scope, region, unit, q, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, CADRE_EXPORT, "驻村干部");
}

int api_cadres_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *c = cadres_detail_json(req->db, req->app->vault, &req->scope, id);
  if (!c) return reply_not_found(req, rep, "干部不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, c);
  return 0;
}

/* ---- the registry: create, change, sanctions, appraisals ---- */

/* The employer a write may name: a unit user's own unit, or a unit in a department's scope. */
static int employer_allowed(struct request *req, struct reply *rep, int64_t *unit)
{
  if (req->scope.kind == SCOPE_KIND_UNIT) {
    if (*unit && *unit != req->scope.unit_id)
      return reply_error(rep, 403, "forbidden", "派出单位只能登记本单位的干部", "unit_id");
    *unit = req->scope.unit_id;
    return 0;
  }
  if (!*unit) return reply_error(rep, 400, "field_required", "须指定工作单位", "unit_id");
  return handler_unit_in_scope(req, rep, *unit);
}

static int coded_field(struct request *req, struct reply *rep, const json_t *body, const char *name,
                       const char *list_id, const char **out)
{
  if (field_string(rep, body, name, false, 32, out) != 0) return -1;
  if (!*out || policy_list_item(req->app->policy, list_id, req->today, *out)) return 0;
  char msg[128];
  snprintf(msg, sizeof msg, "字段 %s 的取值不在政策文件的列表（%s）中", name, list_id);
  return reply_error(rep, 400, "field_invalid", msg, name);
}

static int flag_field(struct reply *rep, const json_t *body, const char *name, int *out)
{
  bool v = false, has = false;
  *out = -1;
  if (field_bool(rep, body, name, false, &v, &has) != 0) return -1;
  if (has) *out = v;
  return 0;
}

static int read_cadre(struct request *req, struct reply *rep, const json_t *body, bool create, struct cadre_fields *f)
{
  static const char *const ALLOWED[] = {"name", "id_number", "phone", "party_member", "unit_id", "employment_type",
                                        "rank", "rural_experience", "agri_expertise", "note", NULL};
  memset(f, 0, sizeof *f);
  bool has;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "name", create, 30, &f->name) != 0 ||
      (create && field_string(rep, body, "id_number", true, 18, &f->id_number) != 0) ||
      (!create && json_object_get(body, "id_number") &&
       reply_error(rep, 400, "field_unknown", "身份证号登记后不能修改；如有错误请注销后重新登记", "id_number")) ||
      field_string(rep, body, "phone", false, 11, &f->phone) != 0 ||
      field_int(rep, body, "unit_id", false, 1, INT64_MAX, &f->unit_id, &has) != 0 ||
      field_string(rep, body, "note", false, 500, &f->note) != 0 ||
      coded_field(req, rep, body, "employment_type", "employment_types", &f->employment_type) != 0 ||
      coded_field(req, rep, body, "rank", "rank_scale", &f->rank) != 0 ||
      flag_field(rep, body, "party_member", &f->party_member) != 0 ||
      flag_field(rep, body, "rural_experience", &f->rural_experience) != 0 ||
      flag_field(rep, body, "agri_expertise", &f->agri_expertise) != 0)
    return -1;
  if (f->phone && *f->phone && (strlen(f->phone) != 11 || f->phone[0] != '1' || strspn(f->phone, "0123456789") != 11))
    return reply_error(rep, 400, "field_invalid", "手机号应为 11 位数字", "phone");
  if (create) {
    struct idcard_info info;
    enum idcard_result r = idcard_validate(f->id_number, req->today, &info);
    if (r != IDCARD_OK) return reply_error(rep, 400, idcard_result_code(r), idcard_result_message_zh(r), "id_number");
  }
  if (create || f->unit_id) return employer_allowed(req, rep, &f->unit_id);
  return 0;
}

/* The audit row keeps the phone as everyone but the revealer sees it (sealed at rest, issue 17 F7):
 * masked. Only after the write, since the fields read from body point into it. */
static void mask_phone_for_audit(json_t *body)
{
  const char *phone = json_string_value(json_object_get(body, "phone"));
  if (!phone || !*phone) return;
  char masked[PHONE_MASKED_SIZE];
  phone_mask(phone, masked);
  json_object_set_new(body, "phone", json_string(masked));
}

/* A write of a cadre's record: the fields read from body (which the audit row then masks), the
 * cadre's id, and what the sanction and appraisal writes carry. */
struct cadre_write {
  struct cadre_fields *f;
  json_t *body;
  int64_t id, sanction_id;
  const char *kind, *start, *end, *note, *result;
  int year;
  char *secret; /* a revealed ID number or phone, malloc'd */
};

static const struct write_error ID_TAKEN[] = {{DB_CONFLICT, 409, "conflict", "该身份证号已在干部库中", "id_number"}, {0}};

static json_t *cadre_answer(struct request *req, void *ctx)
{
  return cadres_detail_json(req->db, req->app->vault, &req->scope, ((struct cadre_write *)ctx)->id);
}

static int store_create(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct cadre_write *c = ctx;
  int rc = cadres_create(req->db, req->app->vault, c->f, req->now, &c->id);
  if (rc != DB_OK) return rc;
  json_object_del(c->body, "id_number"); /* the audit log keeps no ID numbers */
  mask_phone_for_audit(c->body);
  return DB_OK;
}

static int store_update(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct cadre_write *c = ctx;
  int rc = cadres_update(req->db, req->app->vault, c->id, c->f);
  mask_phone_for_audit(c->body); /* after the write: f.phone points into body */
  return rc;
}

static int store_sanction(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct cadre_write *c = ctx;
  return cadres_add_sanction(req->db, c->id, c->kind, c->start, c->end, c->note, req->now, &c->sanction_id);
}

static int store_appraisal(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct cadre_write *c = ctx;
  return cadres_set_appraisal(req->db, c->id, c->year, c->result);
}

static int store_reveal_id(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct cadre_write *c = ctx;
  return cadres_reveal_id_number(req->db, req->app->vault, c->id, &c->secret);
}

static int store_reveal_phone(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct cadre_write *c = ctx;
  return cadres_reveal_phone(req->db, req->app->vault, c->id, &c->secret);
}

int api_cadres_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct cadre_fields f;
  int rc = read_cadre(req, rep, body, true, &f);
  struct cadre_write c = {.f = &f, .body = body};
  struct write_tx w = {.store = store_create, .ctx = &c, .errors = ID_TAKEN, .action = "cadre.create",
                       .entity = "cadre", .id = &c.id, .detail = body, .status = 201, .answer = cadre_answer};
  if (rc == 0) rc = write_tx_run(req, rep, &w);
  json_decref(body);
  return rc;
}

/* A cadre in scope whom the caller may change: a unit changes only its own cadres. */
static int writable_cadre(struct request *req, struct reply *rep, int64_t *id)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  json_t *c = cadres_get_json(req->db, &req->scope, *id);
  if (!c) return reply_not_found(req, rep, "干部不存在或不在管辖范围内", NULL);
  bool own = req->scope.kind != SCOPE_KIND_UNIT || json_integer_value(json_object_get(c, "unit_id")) == req->scope.unit_id;
  json_decref(c);
  if (!own) return reply_error(rep, 403, "forbidden", "只能修改本单位干部的档案", NULL);
  return 0;
}

int api_cadres_patch(struct request *req, struct reply *rep)
{
  int64_t id;
  if (writable_cadre(req, rep, &id) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct cadre_fields f;
  int rc = read_cadre(req, rep, body, false, &f);
  struct cadre_write c = {.f = &f, .body = body, .id = id};
  struct write_tx w = {.store = store_update, .ctx = &c, .action = "cadre.update", .entity = "cadre",
                       .entity_id = req->params[0], .detail = body, .status = 200, .answer = cadre_answer};
  if (rc == 0) rc = write_tx_run(req, rep, &w);
  json_decref(body);
  return rc;
}

int api_cadres_add_sanction(struct request *req, struct reply *rep)
{
  int64_t id;
  if (writable_cadre(req, rep, &id) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"kind", "start_date", "end_date", "note", NULL};
  const char *kind, *start, *end, *note;
  int s = 0, e = 0, rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 40, &kind) != 0 ||
      field_string(rep, body, "start_date", true, 10, &start) != 0 ||
      field_string(rep, body, "end_date", false, 10, &end) != 0 || field_string(rep, body, "note", false, 500, &note) != 0)
    goto out;
  if (date_parse_iso(start, &s) != 0) { rc = reply_error(rep, 400, "field_invalid", "开始日期无效", "start_date"); goto out; }
  if (end && (date_parse_iso(end, &e) != 0 || e < s)) {
    rc = reply_error(rep, 400, "field_invalid", "结束日期无效或早于开始日期", "end_date");
    goto out;
  }
  struct cadre_write c = {.id = id, .kind = kind, .start = start, .end = end, .note = note};
  struct write_tx w = {.store = store_sanction, .ctx = &c, .action = "cadre.sanction", .entity = "cadre",
                       .entity_id = req->params[0], .detail = body, .status = 201, .answer = cadre_answer};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(body);
  return rc;
}

int api_cadres_set_appraisal(struct request *req, struct reply *rep)
{
  int64_t id;
  if (writable_cadre(req, rep, &id) != 0) return -1;
  int year = atoi(req->params[1]);
  int this_year = req->today / 10000;
  if (year < 2000 || year > this_year) return reply_error(rep, 400, "field_invalid", "考核年度应为 2000 年至今年", "year");
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"result", NULL};
  const char *result;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) == 0 && coded_field(req, rep, body, "result", "appraisal_results", &result) == 0) {
    if (!result) rc = reply_error(rep, 400, "field_required", "请填写处理结果（result）", "result");
    else {
      struct cadre_write c = {.id = id, .year = year, .result = result};
      struct write_tx w = {.store = store_appraisal, .ctx = &c, .action = "cadre.appraisal", .entity = "cadre",
                           .entity_id = req->params[0], .detail = body, .status = 200, .answer = cadre_answer};
      rc = write_tx_run(req, rep, &w);
    }
  }
  json_decref(body);
  return rc;
}

/* The full ID number, for the organization departments only; every read is audited. */
int api_cadres_reveal_id(struct request *req, struct reply *rep)
{
  if (reveal_gate(req, rep) != 0) return -1;
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *c = cadres_get_json(req->db, &req->scope, id);
  if (!c) return reply_not_found(req, rep, "干部不存在或不在管辖范围内", NULL);
  json_decref(c);
  struct cadre_write r = {.id = id};
  struct write_tx w = {.store = store_reveal_id, .ctx = &r, .action = "cadre.reveal_id_number", .entity = "cadre",
                       .entity_id = req->params[0]};
  int rc = write_tx_run(req, rep, &w);
  if (rc == 0) reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "id_number", r.secret));
  if (r.secret) { sodium_memzero(r.secret, strlen(r.secret)); free(r.secret); }
  return rc;
}

/* The full phone number, with the same rights, gate and audit as the ID number: a cadre's phone is
 * personal data like a household's, sealed at rest and masked everywhere else (issue 11, issue 17 F7). */
int api_cadres_reveal_phone(struct request *req, struct reply *rep)
{
  if (reveal_gate(req, rep) != 0) return -1; /* as the ID number (F8/F9): password again, rate limited */
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *c = cadres_get_json(req->db, &req->scope, id);
  if (!c) return reply_not_found(req, rep, "干部不存在或不在管辖范围内", NULL);
  json_decref(c);
  struct cadre_write r = {.id = id};
  struct write_tx w = {.store = store_reveal_phone, .ctx = &r, .action = "cadre.reveal_phone", .entity = "cadre",
                       .entity_id = req->params[0]};
  int rc = write_tx_run(req, rep, &w);
  if (rc == 0) reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "phone", r.secret));
  if (r.secret) { sodium_memzero(r.secret, strlen(r.secret)); free(r.secret); }
  return rc;
}
