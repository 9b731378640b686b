/* units — a unit belongs to the region that administers it; scope bounds units through that
 * region (region roles) or by the unit itself (unit roles). */
#include "store/units.h"

#include <string.h>

#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

static const char *const LEVELS[][2] = {{"province", "省级"}, {"city", "市级"}, {"county", "县级"}, {"township", "乡级"}};
static const char *const TYPES[][2] = {
  {"party_gov", "党政机关"}, {"institution", "事业单位"}, {"soe", "国有企业"}, {"other", "其他"}};

static const char *lookup(const char *const table[][2], size_t n, const char *key)
{
  for (size_t i = 0; key && i < n; i++) if (strcmp(table[i][0], key) == 0) return table[i][1];
  return NULL;
}

const char *units_level_name_zh(const char *level) { return lookup(LEVELS, 4, level); }
const char *units_type_name_zh(const char *type) { return lookup(TYPES, 4, type); }

#define UNIT_COLUMNS \
  "u.id AS id, u.name AS name, u.level AS level, u.type AS type, u.parent_id AS parent_id, p.name AS parent_name," \
  " u.region_code AS region_code, ur.name AS region_name," \
  " (SELECT count(*) FROM cadre c WHERE c.unit_id = u.id) AS cadre_count"
#define UNIT_FROM "unit u JOIN region ur ON ur.code = u.region_code LEFT JOIN unit p ON p.id = u.parent_id"

static json_t *unit_row(struct query *q)
{
  const char *level = query_get_text(q, "level"), *type = query_get_text(q, "type");
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:I}",
                   "id", (json_int_t)query_get_int(q, "id"), "name", query_get_text(q, "name"),
                   "level", level, "level_name", units_level_name_zh(level) ? units_level_name_zh(level) : "",
                   "type", type, "type_name", units_type_name_zh(type) ? units_type_name_zh(type) : "",
                   "parent_id", query_is_null(q, "parent_id") ? json_null() : json_integer(query_get_int(q, "parent_id")),
                   "parent_name", query_is_null(q, "parent_name") ? json_null() : json_string(query_get_text(q, "parent_name")),
                   "region_code", query_get_text(q, "region_code"), "region_name", query_get_text(q, "region_name"),
                   "cadre_count", (json_int_t)query_get_int(q, "cadre_count"));
}

json_t *units_list_json(struct db *db, const struct scope *scope, const char *region_code, const char *q,
                        int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, UNIT_FROM " WHERE (:q = '' OR u.name LIKE '%%' || :q || '%%')");
  if (region_code)
    rc |= strbuf_appendf(&where, " AND ur.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND ur.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_UNIT, &where);
  const struct sql_param params[] = {{":q", q ? q : "", 0}, {":region", region_code ? region_code : "", 0}};
  json_t *out = rc == 0 ? query_list(db, UNIT_COLUMNS, strbuf_cstr(&where), "u.region_code, u.id", params, 2,
                                     scope, unit_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *units_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, UNIT_COLUMNS, UNIT_FROM, "u.id", scope, SCOPE_UNIT, unit_row, id);
}

int units_create(struct db *db, const struct unit_fields *f, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO unit (name, level, type, parent_id, region_code, created_at)"
      " VALUES (:name, :level, :type, :parent, :region, :now) RETURNING id");
  query_bind_text(q, ":name", f->name);
  query_bind_text(q, ":level", f->level);
  query_bind_text(q, ":type", f->type);
  query_bind_int_or_null(q, ":parent", f->parent_id > 0 ? f->parent_id : 0);
  query_bind_text(q, ":region", f->region_code);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int units_update(struct db *db, int64_t id, const struct unit_fields *f)
{
  struct query *q = query_open(db,
      "UPDATE unit SET name = coalesce(:name, name), level = coalesce(:level, level), type = coalesce(:type, type),"
      " parent_id = CASE WHEN :parent = -1 THEN NULL WHEN :parent > 0 THEN :parent ELSE parent_id END,"
      " region_code = coalesce(:region, region_code) WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":name", f->name);
  query_bind_text(q, ":level", f->level);
  query_bind_text(q, ":type", f->type);
  query_bind_int(q, ":parent", f->parent_id);
  query_bind_text(q, ":region", f->region_code);
  return query_exec(q);
}

int units_would_cycle(struct db *db, int64_t id, int64_t parent_id, int *cycle)
{
  struct query *q = query_open(db,
      "WITH RECURSIVE up(id) AS (SELECT CAST(:parent AS BIGINT) UNION SELECT u.parent_id FROM unit u JOIN up ON u.id = up.id"
      " WHERE u.parent_id IS NOT NULL) SELECT count(*) AS n FROM up WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":parent", parent_id);
  bool found = query_next(q);
  *cycle = found && query_get_int(q, "n") > 0;
  int rc = query_close(q);
  return rc == DB_OK && found ? DB_OK : DB_ERROR;
}
