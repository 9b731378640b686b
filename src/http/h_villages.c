/* h_villages — 村情: the villages in scope with their households, and one village's page
 * (5.6–5.10): its team, households by category and status, visit coverage by month. The cases,
 * meetings, plan and five duties of the village are read from their own endpoints. */
#include <stdio.h>

#include "http/handlers.h"
#include "http/json_in.h"
#include "http/server.h"
#include "store/db.h"
#include "store/villages.h"
#include "store/visits.h"

static const char *const VILLAGE_EXPORT[][2] = {
  {"township_name", "乡镇"}, {"name", "村"}, {"code", "区划代码"}, {"key_village", "重点村"}, {"households", "脱贫户和监测户"},
  {"monitored", "纳入监测"}, {"first_secretary", "第一书记"}, {NULL, NULL}};

int api_villages_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *region, *q, *key;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "region", 12, &region) != 0 ||
      query_text(req, rep, "q", 30, &q) != 0 || query_text(req, rep, "key", 1, &key) != 0)
    return -1;
  const struct village_filter f = {region, q, key && *key == '1'};
  json_t *list = villages_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, VILLAGE_EXPORT, "村情");
}

/* ---- one village ---- */

int api_villages_get(struct request *req, struct reply *rep)
{
  const char *code = req->params[0];
  json_t *v = NULL;
  int rc = villages_page_json(req->db, &req->scope, code, &v);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "村不存在或不在管辖范围内", NULL);
  if (rc != DB_OK) return reply_internal(rep);
  /* 5.6: coverage by month, the last twelve months */
  int today = req->today, y = today / 10000, m = today / 100 % 100;
  char first[16], last[16];
  snprintf(last, sizeof last, "%04d-%02d", y % 10000, m % 100);
  m -= 11;
  if (m < 1) { m += 12; y--; }
  snprintf(first, sizeof first, "%04d-%02d", y % 10000, m % 100);
  json_t *months = visits_monthly_json(req->db, code, first, last);
  if (!months) { json_decref(v); return reply_internal(rep); }
  json_object_set_new(v, "coverage_months", months);
  reply_json(rep, 200, v);
  return 0;
}
