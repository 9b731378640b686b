/* villages — see villages.h. Rows are read by their AS aliases (store/query: query_list, query_rows_json);
 * each fix turns an SQLite integer flag or code into what the API answers. */
#include "store/villages.h"

#include <stdio.h>
#include <string.h>

#include "core/household_sheet.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define VILLAGE_COLUMNS \
  "tv.code AS code, tv.name AS name, coalesce(tt.name, '') AS township_name, tv.key_village AS key_village," \
  " (SELECT count(*) FROM household h WHERE h.village_code = tv.code AND h.status = 'active') AS households," \
  " (SELECT count(*) FROM household h WHERE h.village_code = tv.code AND h.status = 'active' AND h.monitored = 1)" \
  " AS monitored," \
  " (SELECT c.name FROM assignment a JOIN cadre c ON c.id = a.cadre_id WHERE a.village_code = tv.code" \
  "   AND a.status IN ('active','handover') AND a.post = 'first_secretary' LIMIT 1) AS first_secretary"

/* key_village is stored 0/1 and answered true/false (in place: the key keeps its position). */
static void fix_key_village(json_t *row)
{
  json_object_set_new(row, "key_village", json_boolean(json_integer_value(json_object_get(row, "key_village"))));
}

static json_t *village_row(struct query *q)
{
  json_t *row = query_row_object(q);
  if (row) fix_key_village(row);
  return row;
}

json_t *villages_list_json(struct db *db, const struct scope *scope, const struct village_filter *f, int page,
                           int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, "region tv LEFT JOIN region tt ON tt.code = tv.parent_code WHERE tv.level = 'village'"
                                  " AND (:q = '' OR tv.name LIKE '%%' || :q || '%%') AND (:key = 0 OR tv.key_village = 1)");
  if (f->region_code && *f->region_code)
    rc |= strbuf_appendf(&where, " AND tv.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND tv.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {{":q", f->q ? f->q : "", 0}, {":key", NULL, f->key_only},
                                     {":region", f->region_code ? f->region_code : "", 0}};
  json_t *list = rc == 0 ? query_list(db, VILLAGE_COLUMNS, strbuf_cstr(&where), "tv.key_village DESC, tv.code", params,
                                      3, scope, village_row, page, page_size)
                         : NULL;
  strbuf_free(&where);
  return list;
}

/* ---- one village ---- */

/* The village in scope, its names: DB_NOT_FOUND when absent or out of scope. */
static int village_head(struct db *db, const struct scope *scope, const char *code, json_t **out)
{
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  int rc = strbuf_appendf(&sql, "SELECT tv.code AS code, tv.name AS name, coalesce(tt.name, '') AS township_name,"
                                " coalesce(tc.name, '') AS county_name, tv.key_village AS key_village,"
                                " coalesce(tv.official_name, tv.name) AS official_name"
                                " FROM region tv LEFT JOIN region tt ON tt.code = tv.parent_code"
                                " LEFT JOIN region tc ON tc.code = tt.parent_code"
                                " WHERE tv.code = :code AND tv.level = 'village'");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_text(q, ":code", code);
  query_bind_scope(q, scope);
  bool found = query_next(q);
  json_t *row = found ? query_row_object(q) : NULL;
  rc = query_close(q);
  if (rc == DB_OK && found && !row) rc = DB_ERROR;
  if (rc != DB_OK) {
    json_decref(row);
    return rc;
  }
  if (!found) return DB_NOT_FOUND;
  fix_key_village(row);
  *out = row;
  return DB_OK;
}

static void fix_category(json_t *row)
{
  const char *c = json_string_value(json_object_get(row, "category"));
  json_object_set_new(row, "name", json_string(household_category_name_zh(c ? c : "")));
}

static void fix_post(json_t *row)
{
  const char *post = json_string_value(json_object_get(row, "post"));
  post = post ? post : "";
  json_object_set_new(row, "post_name", json_string(!strcmp(post, "first_secretary") ? "第一书记"
                                                    : !strcmp(post, "team_leader")   ? "工作队长"
                                                                                     : "工作队员"));
}

/* The active households by category, with how many of each are under monitoring. */
static json_t *village_categories(struct db *db, const char *code)
{
  struct query *q = query_open(db,
      "SELECT category AS category, '' AS name, count(*) AS count, sum(monitored) AS monitored FROM household"
      " WHERE village_code = :code AND status = 'active' GROUP BY category ORDER BY category");
  query_bind_text(q, ":code", code);
  return query_rows_json(q, fix_category);
}

/* The team in post: first secretary, team leader, then the members in the order they came. */
static json_t *village_team(struct db *db, const char *code)
{
  struct query *q = query_open(db,
      "SELECT c.id AS cadre_id, c.name AS name, a.post AS post, '' AS post_name, u.name AS unit_name"
      " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN unit u ON u.id = a.unit_id"
      " WHERE a.village_code = :code AND a.status IN ('active','handover')"
      " ORDER BY CASE a.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1 ELSE 2 END, a.id");
  query_bind_text(q, ":code", code);
  return query_rows_json(q, fix_post);
}

int villages_page_json(struct db *db, const struct scope *scope, const char *code, json_t **out)
{
  *out = NULL;
  json_t *v = NULL;
  int rc = village_head(db, scope, code, &v);
  if (rc != DB_OK) return rc;
  json_t *categories = village_categories(db, code), *team = categories ? village_team(db, code) : NULL;
  if (!team) {
    json_decref(categories);
    json_decref(v);
    return DB_ERROR;
  }
  json_object_set_new(v, "categories", categories);
  json_object_set_new(v, "team", team);
  *out = v;
  return DB_OK;
}

int villages_of_cadre(struct db *db, int64_t cadre_id, char out[16])
{
  struct query *q = query_open(db, "SELECT village_code AS village_code FROM assignment WHERE cadre_id = :cadre"
                                   " AND status IN ('active','handover') ORDER BY status = 'active' DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  bool found = query_next(q) && !query_is_null(q, "village_code");
  snprintf(out, 16, "%s", found ? query_get_text(q, "village_code") : "");
  int rc = query_close(q);
  if (rc != DB_OK) {
    out[0] = '\0';
    return rc;
  }
  return found ? DB_OK : DB_NOT_FOUND;
}
