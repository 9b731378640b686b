/* h_units — dispatching units. The unit's level must match the level of the region that
 * administers it (a 县级 unit belongs to a county), and its parent must be a unit in scope
 * that does not already sit below it. */
#include <string.h>

#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/regions.h"
#include "store/units.h"

static const char *const UNIT_EXPORT[][2] = {
  {"id", "编号"}, {"name", "单位名称"}, {"level_name", "层级"}, {"type_name", "类型"},
  {"parent_name", "上级单位"}, {"region_code", "所属区划代码"}, {"region_name", "所属区划"},
  {"cadre_count", "驻村干部数"}, {NULL, NULL}};

int api_units_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *q, *region;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "q", 50, &q) != 0 ||
      query_text(req, rep, "region", 12, &region) != 0)
    return -1;
  if (region && *region == '\0') region = NULL;
  json_t *list = units_list_json(req->db, &req->scope, region, q, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, UNIT_EXPORT, "派出单位");
}

int api_units_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *u = units_get_json(req->db, &req->scope, id);
  if (!u) return reply_not_found(req, rep, "单位不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, u);
  return 0;
}

/* Reads and checks the fields; required ones only when creating. */
static int read_unit(struct request *req, struct reply *rep, const json_t *body, bool create, int64_t self_id,
                     struct unit_fields *f)
{
  static const char *const ALLOWED[] = {"name", "level", "type", "parent_id", "region_code", NULL};
  memset(f, 0, sizeof *f);
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "name", create, 100, &f->name) != 0 ||
      field_string(rep, body, "level", create, 16, &f->level) != 0 ||
      field_string(rep, body, "type", create, 16, &f->type) != 0 ||
      field_string(rep, body, "region_code", create, 12, &f->region_code) != 0)
    return -1;
  if (f->level && !units_level_name_zh(f->level))
    return reply_error(rep, 400, "field_invalid", "层级应为 province、city、county 或 township", "level");
  if (f->type && !units_type_name_zh(f->type))
    return reply_error(rep, 400, "field_invalid", "类型应为 party_gov、institution、soe 或 other", "type");
  bool has_parent;
  if (field_is_null(body, "parent_id")) f->parent_id = -1;
  else if (field_int(rep, body, "parent_id", false, 1, INT64_MAX, &f->parent_id, &has_parent) != 0) return -1;
  if (f->region_code) {
    char path[96], level[16];
    int rc = regions_lookup(req->db, &req->scope, f->region_code, path, level);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 400, "field_invalid", "所属区划不存在或不在管辖范围内", "region_code");
    if (rc != DB_OK) return reply_internal(rep);
    if (f->level && strcmp(f->level, level) != 0)
      return reply_error(rep, 400, "field_invalid", "单位层级须与所属区划的层级一致", "level");
  }
  if (f->parent_id > 0) {
    json_t *parent = units_get_json(req->db, &req->scope, f->parent_id);
    if (!parent) return reply_error(rep, 400, "field_invalid", "上级单位不存在或不在管辖范围内", "parent_id");
    json_decref(parent);
    int cycle = 0;
    if (self_id && units_would_cycle(req->db, self_id, f->parent_id, &cycle) != DB_OK) return reply_internal(rep);
    if (cycle) return reply_error(rep, 400, "field_invalid", "上级单位不能是本单位或其下级单位", "parent_id");
  }
  return 0;
}

/* The write of a unit: its fields, its id (created, or the one changed). */
struct unit_write {
  const struct unit_fields *f;
  int64_t id;
};

static const struct write_error UNIT_ERRORS[] = {{DB_CONFLICT, 409, "conflict", "该区划下已有同名单位", "name"}, {0}};

static int store_create(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct unit_write *u = ctx;
  return units_create(req->db, u->f, req->now, &u->id);
}

static int store_update(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct unit_write *u = ctx;
  return units_update(req->db, u->id, u->f);
}

static json_t *unit_answer(struct request *req, void *ctx)
{
  return units_get_json(req->db, &req->scope, ((struct unit_write *)ctx)->id);
}

int api_units_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct unit_fields f;
  int rc = read_unit(req, rep, body, true, 0, &f);
  struct unit_write u = {&f, 0};
  struct write_tx w = {.store = store_create, .ctx = &u, .errors = UNIT_ERRORS, .action = "unit.create",
                       .entity = "unit", .id = &u.id, .detail = body, .status = 201, .answer = unit_answer};
  if (rc == 0) rc = write_tx_run(req, rep, &w);
  json_decref(body);
  return rc;
}

int api_units_patch(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *current = units_get_json(req->db, &req->scope, id);
  if (!current) return reply_not_found(req, rep, "单位不存在或不在管辖范围内", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) { json_decref(current); return -1; }
  struct unit_fields f;
  int rc = read_unit(req, rep, body, false, id, &f);
  /* level and region must stay consistent even when only one of them changes */
  if (rc == 0 && (f.level || f.region_code)) {
    const char *level = f.level ? f.level : json_string_value(json_object_get(current, "level"));
    const char *region = f.region_code ? f.region_code : json_string_value(json_object_get(current, "region_code"));
    char path[96], rlevel[16];
    if (regions_lookup(req->db, &req->scope, region, path, rlevel) != DB_OK || strcmp(level, rlevel) != 0)
      rc = reply_error(rep, 400, "field_invalid", "单位层级须与所属区划的层级一致", f.level ? "level" : "region_code");
  }
  struct unit_write u = {&f, id};
  struct write_tx w = {.store = store_update, .ctx = &u, .errors = UNIT_ERRORS, .action = "unit.update",
                       .entity = "unit", .entity_id = req->params[0], .detail = body, .status = 200,
                       .answer = unit_answer};
  if (rc == 0) rc = write_tx_run(req, rep, &w);
  json_decref(body);
  json_decref(current);
  return rc;
}
