/* units — a unit belongs to the region that administers it; scope bounds units through that
 * region (region roles) or by the unit itself (unit roles). */
#include "store/units.h"

#include <string.h>

#include "store/db_sqlite.h"
#include "store/list_sql.h"
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
  "u.id, u.name, u.level, u.type, u.parent_id, p.name, u.region_code, ur.name," \
  " (SELECT count(*) FROM cadre c WHERE c.unit_id = u.id)"
#define UNIT_FROM "unit u JOIN region ur ON ur.code = u.region_code LEFT JOIN unit p ON p.id = u.parent_id"

static json_t *unit_row(sqlite3_stmt *st)
{
  const char *level = db_col_text(st, 2), *type = db_col_text(st, 3);
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:I}",
                   "id", (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1),
                   "level", level, "level_name", units_level_name_zh(level) ? units_level_name_zh(level) : "",
                   "type", type, "type_name", units_type_name_zh(type) ? units_type_name_zh(type) : "",
                   "parent_id", sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, 4)),
                   "parent_name", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 5)),
                   "region_code", db_col_text(st, 6), "region_name", db_col_text(st, 7),
                   "cadre_count", (json_int_t)sqlite3_column_int64(st, 8));
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
  json_t *out = rc == 0 ? list_query(db, UNIT_COLUMNS, strbuf_cstr(&where), "u.region_code, u.id", params, 2,
                                     scope, unit_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *units_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, UNIT_COLUMNS, UNIT_FROM, "u.id", scope, SCOPE_UNIT, unit_row, id);
}

int units_create(struct db *db, const struct unit_fields *f, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO unit (name, level, type, parent_id, region_code, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
      " RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, f->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, f->level, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, f->type, -1, SQLITE_TRANSIENT);
  if (f->parent_id > 0) sqlite3_bind_int64(st, 4, f->parent_id); else sqlite3_bind_null(st, 4);
  sqlite3_bind_text(st, 5, f->region_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int units_update(struct db *db, int64_t id, const struct unit_fields *f)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE unit SET name = coalesce(?2, name), level = coalesce(?3, level), type = coalesce(?4, type),"
      " parent_id = CASE WHEN ?5 = -1 THEN NULL WHEN ?5 > 0 THEN ?5 ELSE parent_id END,"
      " region_code = coalesce(?6, region_code) WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  db_bind_text_or_null(st, 2, f->name);
  db_bind_text_or_null(st, 3, f->level);
  db_bind_text_or_null(st, 4, f->type);
  sqlite3_bind_int64(st, 5, f->parent_id);
  db_bind_text_or_null(st, 6, f->region_code);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int units_would_cycle(struct db *db, int64_t id, int64_t parent_id, int *cycle)
{
  sqlite3_stmt *st = db_stmt(db,
      "WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT u.parent_id FROM unit u JOIN up ON u.id = up.id"
      " WHERE u.parent_id IS NOT NULL) SELECT count(*) FROM up WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, parent_id);
  int rc = sqlite3_step(st);
  *cycle = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}
