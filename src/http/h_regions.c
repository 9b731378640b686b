/* h_regions — the region tree browser and the village attributes (重点村 flag for the 1.7
 * coverage, check-in fence for 2.1 attendance), plus restructuring (rename, move) that keeps
 * history. Reads and writes are bounded by the caller's scope through the store. */
#include <string.h>

#include "core/date.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/regions.h"

static bool code_shape_ok(const char *code)
{
  size_t n = strlen(code);
  if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12) return false;
  for (const char *p = code; *p; p++) if (*p < '0' || *p > '9') return false;
  return true;
}

int api_regions_list(struct request *req, struct reply *rep)
{
  const char *parent;
  if (query_text(req, rep, "parent", 12, &parent) != 0) return -1;
  if (parent && !code_shape_ok(parent))
    return reply_error(rep, 400, "field_invalid", "区划代码应为 2、4、6、9 或 12 位数字", "parent");
  if (parent) {
    char path[96], level[16];
    int rc = regions_lookup(req->db, &req->scope, parent, path, level);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "区划不存在或不在管辖范围内", "parent");
    if (rc != DB_OK) return reply_internal(rep);
  }
  json_t *items = regions_children_json(req->db, &req->scope, parent);
  if (!items) return reply_internal(rep);
  reply_json(rep, 200, json_pack("{s:o}", "items", items));
  return 0;
}

int api_regions_get(struct request *req, struct reply *rep)
{
  if (!code_shape_ok(req->params[0])) return reply_not_found(req, rep, "区划不存在或不在管辖范围内", NULL);
  json_t *r = regions_get_json(req->db, &req->scope, req->params[0]);
  if (!r) return reply_not_found(req, rep, "区划不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, r);
  return 0;
}

/* Finds the region named in the path within scope, or writes the 404. */
static int region_in_scope(struct request *req, struct reply *rep, char path[96], char level[16])
{
  if (!code_shape_ok(req->params[0])) return reply_not_found(req, rep, "区划不存在或不在管辖范围内", NULL);
  int rc = regions_lookup(req->db, &req->scope, req->params[0], path, level);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "区划不存在或不在管辖范围内", NULL);
  return rc == DB_OK ? 0 : reply_internal(rep);
}

static int read_patch(struct reply *rep, const json_t *body, struct region_patch *p)
{
  static const char *const ALLOWED[] = {"key_village", "lat", "lng", "radius_m", NULL};
  memset(p, 0, sizeof *p);
  if (fields_allowed(rep, body, ALLOWED) != 0) return -1;
  if (field_bool(rep, body, "key_village", false, &p->key_village, &p->has_key_village) != 0) return -1;
  /* The fence is set whole or cleared whole: lat, lng and radius_m all null clears it. */
  if (field_is_null(body, "lat") && field_is_null(body, "lng") && field_is_null(body, "radius_m")) {
    p->clear_fence = true;
    return 0;
  }
  /* Ganzhou lies near 25°N 115°E; the bounds are China's, so a swapped lat/lng is caught. */
  if (field_number(rep, body, "lat", false, 3.0, 54.0, &p->lat, &p->has_lat) != 0) return -1;
  if (field_number(rep, body, "lng", false, 73.0, 136.0, &p->lng, &p->has_lng) != 0) return -1;
  int64_t radius = 0;
  if (field_int(rep, body, "radius_m", false, 50, 20000, &radius, &p->has_radius) != 0) return -1;
  p->radius_m = (long)radius;
  if (p->has_lat != p->has_lng)
    return reply_error(rep, 400, "field_required", "纬度 lat 与经度 lng 须同时提供", p->has_lat ? "lng" : "lat");
  return 0;
}

/* A write on a region: its fields, or a rename or move from a date on. */
struct region_write {
  int (*call)(struct request *req, const struct region_write *r);
  const struct region_patch *patch;
  const char *name, *parent, *valid_from;
};

static int call_update(struct request *req, const struct region_write *r)
{
  return regions_update(req->db, req->params[0], r->patch);
}

static int call_rename(struct request *req, const struct region_write *r)
{
  return regions_rename(req->db, req->params[0], r->name, r->valid_from);
}

static int call_move(struct request *req, const struct region_write *r)
{
  return regions_move(req->db, req->params[0], r->parent, r->valid_from);
}

static int store_region(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct region_write *r = ctx;
  return r->call(req, r);
}

static json_t *region_answer(struct request *req, void *ctx)
{
  (void)ctx;
  return regions_get_json(req->db, &req->scope, req->params[0]);
}

static const struct write_error NOT_LATER[] = {
    {DB_CONFLICT, 409, "conflict", "生效日期须晚于当前名称或隶属关系的起始日期", "valid_from"}, {0}};

int api_regions_patch(struct request *req, struct reply *rep)
{
  char path[96], level[16];
  if (region_in_scope(req, rep, path, level) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct region_patch p;
  int rc = read_patch(rep, body, &p);
  if (rc == 0 && strcmp(level, "village") != 0 && (p.has_key_village || p.has_lat || p.has_radius || p.clear_fence))
    rc = reply_error(rep, 400, "field_invalid", "重点村标记和打卡范围只能设置在村（社区）一级", NULL);
  if (rc == 0) {
    struct region_write r = {.call = call_update, .patch = &p};
    struct write_tx w = {.store = store_region, .ctx = &r, .action = "region.update", .entity = "region",
                         .entity_id = req->params[0], .detail = body, .status = 200, .answer = region_answer};
    rc = write_tx_run(req, rep, &w);
  }
  json_decref(body);
  return rc;
}

static int read_valid_from(struct reply *rep, const json_t *body, const char **valid_from)
{
  int date;
  if (field_string(rep, body, "valid_from", true, 10, valid_from) != 0) return -1;
  if (date_parse_iso(*valid_from, &date) != 0)
    return reply_error(rep, 400, "field_invalid", "生效日期应为 YYYY-MM-DD 格式的有效日期", "valid_from");
  return 0;
}

static int finish_restructure(struct request *req, struct reply *rep, const struct region_write *r, const char *action,
                              json_t *body)
{
  struct write_tx w = {.store = store_region, .ctx = (void *)r, .errors = NOT_LATER, .action = action,
                       .entity = "region", .entity_id = req->params[0], .detail = body, .status = 200,
                       .answer = region_answer};
  return write_tx_run(req, rep, &w);
}

int api_regions_rename(struct request *req, struct reply *rep)
{
  char path[96], level[16];
  if (region_in_scope(req, rep, path, level) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"name", "valid_from", NULL};
  const char *name, *valid_from;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) == 0 && field_string(rep, body, "name", true, 64, &name) == 0 &&
      read_valid_from(rep, body, &valid_from) == 0) {
    struct region_write r = {.call = call_rename, .name = name, .valid_from = valid_from};
    rc = finish_restructure(req, rep, &r, "region.rename", body);
  }
  json_decref(body);
  return rc;
}

static const char *parent_level_of(const char *level)
{
  if (strcmp(level, "village") == 0) return "township";
  if (strcmp(level, "township") == 0) return "county";
  if (strcmp(level, "county") == 0) return "city";
  if (strcmp(level, "city") == 0) return "province";
  return NULL;
}

int api_regions_move(struct request *req, struct reply *rep)
{
  char path[96], level[16];
  if (region_in_scope(req, rep, path, level) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"parent_code", "valid_from", NULL};
  const char *parent, *valid_from;
  int rc = -1;
  char ppath[96], plevel[16];
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "parent_code", true, 12, &parent) != 0 ||
      read_valid_from(rep, body, &valid_from) != 0)
    goto out;
  int found = code_shape_ok(parent) ? regions_lookup(req->db, &req->scope, parent, ppath, plevel) : DB_NOT_FOUND;
  if (found == DB_NOT_FOUND) { rc = reply_error(rep, 400, "field_invalid", "上级区划不存在", "parent_code"); goto out; }
  if (found != DB_OK) { rc = reply_internal(rep); goto out; }
  const char *want = parent_level_of(level);
  if (!want || strcmp(want, plevel) != 0) {
    rc = reply_error(rep, 400, "field_invalid", "上级区划的层级不对", "parent_code");
    goto out;
  }
  struct region_write r = {.call = call_move, .parent = parent, .valid_from = valid_from};
  rc = finish_restructure(req, rep, &r, "region.move", body);
out:
  json_decref(body);
  return rc;
}
