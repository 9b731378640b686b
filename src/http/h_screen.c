/* h_screen — 数据大屏 (issue #12 part 5): GET /api/v1/screen?region=&month=, the four figures of each
 * child region of a city or a county and of the whole (store/screen), for the leaders' map. Reads only.
 * The region defaults to the user's own; one outside the scope is 404, a township or a village 400.
 * The month (YYYY-MM, default this month) bounds 职责完成率 and 走访覆盖率; 在岗率 is always today's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "store/db.h"
#include "store/regions.h"
#include "store/screen.h"

/* Exactly YYYY-MM, a month already begun: its first day and its last day (or today). */
static int query_month(struct request *req, struct reply *rep, int *from, int *to)
{
  const char *m;
  if (query_text(req, rep, "month", 7, &m) != 0) return -1;
  int year = date_year(req->today), month = date_month(req->today);
  if (m && *m) {
    bool ok = strlen(m) == 7 && m[4] == '-';
    for (int i = 0; ok && i < 7; i++) ok = i == 4 || (m[i] >= '0' && m[i] <= '9');
    year = ok ? atoi(m) : 0;
    month = ok ? atoi(m + 5) : 0;
    if (!ok || year < 2000 || month < 1 || month > 12)
      return reply_error(rep, 400, "field_invalid", "月份（month）应写成 YYYY-MM，如 2026-06", "month");
  }
  *from = date_make(year, month, 1);
  if (*from > req->today) return reply_error(rep, 400, "field_invalid", "不能统计尚未开始的月份", "month");
  int last = date_make(year, month, date_days_in_month(year, month));
  *to = last < req->today ? last : req->today;
  return 0;
}

/* ?region= (default the user's own): a city or a county in scope. */
static int query_region(struct request *req, struct reply *rep, char code[16], char name[128])
{
  const char *r;
  if (query_text(req, rep, "region", 12, &r) != 0) return -1;
  snprintf(code, 16, "%s", r && *r ? r : req->scope.region_code);
  json_t *region = regions_get_json(req->db, &req->scope, code);
  if (!region) return reply_not_found(req, rep, "地区不存在或不在管辖范围内", "region");
  const char *level = json_string_value(json_object_get(region, "level"));
  bool ok = level && (strcmp(level, "city") == 0 || strcmp(level, "county") == 0);
  snprintf(name, 128, "%s", json_string_value(json_object_get(region, "name")) ? json_string_value(json_object_get(region, "name")) : "");
  json_decref(region);
  if (!ok) return reply_error(rep, 400, "field_invalid", "数据大屏按市、县（市、区）两级展示", "region");
  return 0;
}

int api_screen_get(struct request *req, struct reply *rep)
{
  if (req->scope.kind != SCOPE_KIND_REGION)
    return reply_error(rep, 403, "forbidden", "数据大屏供市、县两级组织部门和乡村振兴部门使用", NULL);
  char code[16], name[128];
  struct screen_query q = {code, req->today, 0, 0};
  if (query_month(req, rep, &q.from, &q.to) != 0 || query_region(req, rep, code, name) != 0) return -1;
  json_t *out = screen_json(req->db, req->app->policy, &req->scope, &q);
  if (!out) return reply_internal(rep);
  char at[CLOCK_ISO_SIZE], month[8];
  clock_format_cst(req->now, at);
  snprintf(month, sizeof month, "%04d-%02d", date_year(q.from), date_month(q.from));
  json_object_set_new(out, "region", json_pack("{s:s, s:s}", "code", code, "name", name));
  json_object_set_new(out, "month", json_string(month));
  json_object_set_new(out, "as_of", json_string(at));
  json_object_set_new(out, "clauses", json_pack("[s, s, s, s]", "2.1", "2.2", "5.6", "5.7"));
  reply_json(rep, 200, out);
  return 0;
}
