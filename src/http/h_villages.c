/* h_villages — 村情: the villages in scope with their households, and one village's page
 * (5.6–5.10): its team, households by category and status, visit coverage by month. The cases,
 * meetings, plan and five duties of the village are read from their own endpoints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/household_sheet.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/server.h"
#include "store/db.h"
#include "store/list.h"
#include "store/scope.h"
#include "store/visits.h"
#include "util/strbuf.h"

#define VILLAGE_COLUMNS \
  "tv.code, tv.name, coalesce(tt.name, ''), tv.key_village," \
  " (SELECT count(*) FROM household h WHERE h.village_code = tv.code AND h.status = 'active')," \
  " (SELECT count(*) FROM household h WHERE h.village_code = tv.code AND h.status = 'active' AND h.monitored = 1)," \
  " (SELECT c.name FROM assignment a JOIN cadre c ON c.id = a.cadre_id WHERE a.village_code = tv.code" \
  "   AND a.status IN ('active','handover') AND a.post = 'first_secretary' LIMIT 1)"

static json_t *village_row(sqlite3_stmt *st)
{
  return json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:o}", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
                   "township_name", db_col_text(st, 2), "key_village", sqlite3_column_int(st, 3), "households",
                   (json_int_t)sqlite3_column_int64(st, 4), "monitored", (json_int_t)sqlite3_column_int64(st, 5),
                   "first_secretary", sqlite3_column_type(st, 6) == SQLITE_NULL ? json_null()
                                                                                 : json_string(db_col_text(st, 6)));
}

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
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, "region tv LEFT JOIN region tt ON tt.code = tv.parent_code WHERE tv.level = 'village'"
                                  " AND (:q = '' OR tv.name LIKE '%%' || :q || '%%') AND (:key = 0 OR tv.key_village = 1)");
  if (region && *region)
    rc |= strbuf_appendf(&where, " AND tv.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND tv.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(&req->scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {{":q", q ? q : "", 0}, {":key", NULL, key && *key == '1'},
                                     {":region", region ? region : "", 0}};
  json_t *list = rc == 0 ? list_query(req->db, VILLAGE_COLUMNS, strbuf_cstr(&where), "tv.key_village DESC, tv.code",
                                      params, 3, &req->scope, village_row, page, query_wants_xlsx(req) ? 0 : page_size)
                         : NULL;
  strbuf_free(&where);
  return handler_reply_list(req, rep, list, VILLAGE_EXPORT, "村情");
}

/* ---- one village ---- */

static json_t *rows_of(struct db *db, const char *sql, const char *code, json_t *(*row_fn)(sqlite3_stmt *))
{
  sqlite3_stmt *st = db_stmt(db, sql);
  json_t *out = json_array();
  if (!st) return out;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) json_array_append_new(out, row_fn(st));
  sqlite3_reset(st);
  return out;
}

static json_t *category_row(sqlite3_stmt *st)
{
  const char *c = db_col_text(st, 0);
  return json_pack("{s:s, s:s, s:I, s:I}", "category", c, "name", household_category_name_zh(c), "count",
                   (json_int_t)sqlite3_column_int64(st, 1), "monitored", (json_int_t)sqlite3_column_int64(st, 2));
}

static json_t *team_row(sqlite3_stmt *st)
{
  const char *post = db_col_text(st, 2);
  return json_pack("{s:I, s:s, s:s, s:s, s:s}", "cadre_id", (json_int_t)sqlite3_column_int64(st, 0), "name",
                   db_col_text(st, 1), "post", post, "post_name",
                   !strcmp(post, "first_secretary") ? "第一书记" : !strcmp(post, "team_leader") ? "工作队长" : "工作队员",
                   "unit_name", db_col_text(st, 3));
}

/* The village in scope: its names; NULL when absent or out of scope. */
static json_t *village_in_scope(struct request *req, const char *code)
{
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  int rc = strbuf_appendf(&sql, "SELECT tv.code, tv.name, coalesce(tt.name, ''), coalesce(tc.name, ''), tv.key_village,"
                                " coalesce(tv.official_name, tv.name) FROM region tv LEFT JOIN region tt ON tt.code = tv.parent_code"
                                " LEFT JOIN region tc ON tc.code = tt.parent_code"
                                " WHERE tv.code = :code AND tv.level = 'village'");
  rc |= scope_sql(&req->scope, SCOPE_TEAM, &sql);
  sqlite3_stmt *st = rc == 0 ? db_stmt(req->db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!st) return NULL;
  scope_bind(&req->scope, st);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":code"), code, -1, SQLITE_TRANSIENT);
  json_t *out = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    out = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
                    "township_name", db_col_text(st, 2), "county_name", db_col_text(st, 3), "key_village",
                    sqlite3_column_int(st, 4), "official_name", db_col_text(st, 5));
  sqlite3_reset(st);
  return out;
}

int api_villages_get(struct request *req, struct reply *rep)
{
  const char *code = req->params[0];
  json_t *v = village_in_scope(req, code);
  if (!v) return reply_error(rep, 404, "not_found", "村不存在或不在管辖范围内", NULL);
  json_object_set_new(v, "categories", rows_of(req->db,
      "SELECT category, count(*), sum(monitored) FROM household WHERE village_code = ?1 AND status = 'active'"
      " GROUP BY category ORDER BY category", code, category_row));
  json_object_set_new(v, "team", rows_of(req->db,
      "SELECT c.id, c.name, a.post, u.name FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
      " JOIN unit u ON u.id = a.unit_id WHERE a.village_code = ?1 AND a.status IN ('active','handover')"
      " ORDER BY CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1 ELSE 2 END, a.id", code, team_row));
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
