/* h_cadres — the cadre registry as the foundation knows it: list and detail, bounded by
 * scope (a township sees the cadres stationed in its villages, a unit its own cadres, a cadre
 * only themself). ID numbers leave the server masked. */
#include <stdlib.h>

#include "http/handlers.h"
#include "http/json_in.h"
#include "store/cadres.h"

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
    if (*end || unit < 1) return reply_error(rep, 400, "field_invalid", "unit 应为单位编号", "unit");
  }
  if (region && *region == '\0') region = NULL;
  json_t *list = cadres_list_json(req->db, &req->scope, region, unit, q, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, CADRE_EXPORT, "驻村干部");
}

int api_cadres_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *c = cadres_get_json(req->db, &req->scope, id);
  if (!c) return reply_error(rep, 404, "not_found", "干部不存在或不在管辖范围内", NULL);
  reply_json(rep, 200, c);
  return 0;
}
