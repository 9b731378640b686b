/* scope — role + assignment → SQL bounds. Regions use the materialized path: a descendant's
 * path starts with its ancestor's, so "path >= lo AND path < lo||'~'" is an index range. */
#include "store/scope.h"

#include <stdio.h>
#include <string.h>

#include "store/scope_sql.h"
#include "store/users.h"
#include "store/query.h"

/* A unit's users browse the places under the region that administers the unit (a county unit its
 * county, a city unit the city): the villages it may send cadres to. */
static int unit_region(struct db *db, struct scope *out)
{
  struct query *q = query_open(db, "SELECT r.path AS path, r.code AS code FROM unit u"
                                   " JOIN region r ON r.code = u.region_code WHERE u.id = :unit");
  query_bind_int(q, ":unit", out->unit_id);
  bool found = query_next(q);
  if (found) {
    snprintf(out->unit_path_lo, sizeof out->unit_path_lo, "%s", query_get_text(q, "path"));
    snprintf(out->unit_path_hi, sizeof out->unit_path_hi, "%s~", out->unit_path_lo);
    snprintf(out->unit_region_code, sizeof out->unit_region_code, "%s", query_get_text(q, "code"));
  }
  return query_close(q) == DB_OK && found ? 0 : -1;
}

int scope_for_user(struct db *db, const struct auth_user *user, struct scope *out)
{
  memset(out, 0, sizeof *out);
  out->kind = user->role->scope_kind;
  out->unit_id = user->unit_id;
  out->cadre_id = user->cadre_id;
  if (out->kind == SCOPE_KIND_UNIT) return unit_region(db, out);
  if (out->kind != SCOPE_KIND_REGION) return 0;
  struct query *q = query_open(db, "SELECT path AS path FROM region WHERE code = :code");
  query_bind_text(q, ":code", user->region_code);
  bool found = query_next(q);
  if (found) {
    snprintf(out->region_code, sizeof out->region_code, "%s", user->region_code);
    snprintf(out->path_lo, sizeof out->path_lo, "%s", query_get_text(q, "path"));
    snprintf(out->path_hi, sizeof out->path_hi, "%s~", out->path_lo);
  }
  return query_close(q) == DB_OK && found ? 0 : -1;
}

/* Which column holds the region path, and which the unit id / cadre id, per entity. */
struct entity_columns { const char *path; const char *unit; const char *cadre; };

static const struct entity_columns COLUMNS[] = {
  [SCOPE_REGION] = {"r.path", NULL, NULL},
  [SCOPE_UNIT]   = {"ur.path", "u.id", NULL},
  [SCOPE_CADRE]  = {"cr.path", "c.unit_id", "c.id"},
  [SCOPE_ASSIGNMENT] = {"ar.path", "a.unit_id", "a.cadre_id"},
  [SCOPE_CHECKIN] = {"kr.path", "c.unit_id", "c.id"},
  [SCOPE_REPORT] = {"rpv.path", "rp.unit_id", "rp.cadre_id"},
};

/* A cadre is in a region's scope when stationed in the region or employed by a unit the region
 * administers (the candidates of its units, not stationed yet). Two plans: for a county or a
 * township, collect the few matching ids through two index lookups (an OR across the two tables
 * would scan every cadre); for a city or province, where nearly every cadre matches, test each
 * row as the list walks the table in id order and stops at the page's end. */
static bool province_or_city(const struct scope *scope)
{
  int depth = 0;
  for (const char *p = scope->path_lo; *p; p++) depth += *p == '/';
  return depth <= 3; /* "/36/" or "/36/3607/" */
}

static int cadre_region_sql(const struct scope *scope, struct strbuf *sql)
{
  if (province_or_city(scope))
    return strbuf_appendf(sql, " AND ((cr.path >= :scope_lo AND cr.path < :scope_hi) OR EXISTS (SELECT 1 FROM unit su"
                               " JOIN region sr ON sr.code = su.region_code WHERE su.id = c.unit_id"
                               " AND sr.path >= :scope_lo AND sr.path < :scope_hi))");
  return strbuf_appendf(sql, " AND c.id IN (SELECT sc.id FROM region sv JOIN cadre sc ON sc.village_code = sv.code"
                             "  WHERE sv.path >= :scope_lo AND sv.path < :scope_hi"
                             " UNION SELECT sc.id FROM region sr JOIN unit su ON su.region_code = sr.code"
                             "  JOIN cadre sc ON sc.unit_id = su.id WHERE sr.path >= :scope_lo AND sr.path < :scope_hi)");
}

/* A team is its village (tv): a unit's teams are the villages where its cadres hold a post now,
 * a cadre's their own (3.4, 3.5: the unit funds and insures the teams it sends cadres to). */
static int team_sql(const struct scope *scope, struct strbuf *sql)
{
  switch (scope->kind) {
  case SCOPE_KIND_REGION: return strbuf_appendf(sql, " AND (tv.path >= :scope_lo AND tv.path < :scope_hi)");
  case SCOPE_KIND_UNIT:
    return strbuf_appendf(sql, " AND EXISTS (SELECT 1 FROM assignment sa WHERE sa.village_code = tv.code"
                               " AND sa.unit_id = :scope_unit AND sa.status IN ('active','handover'))");
  case SCOPE_KIND_SELF:
    return strbuf_appendf(sql, " AND EXISTS (SELECT 1 FROM assignment sa WHERE sa.village_code = tv.code"
                               " AND sa.cadre_id = :scope_cadre AND sa.status IN ('active','handover'))");
  case SCOPE_KIND_NONE: break;
  }
  return strbuf_appendf(sql, " AND 1 = 0");
}

int scope_sql(const struct scope *scope, enum scope_entity entity, struct strbuf *sql)
{
  if (entity == SCOPE_TEAM) return team_sql(scope, sql);
  const struct entity_columns *col = &COLUMNS[entity];
  switch (scope->kind) {
  case SCOPE_KIND_NONE:
    /* Administrators see reference data whole (places, units) and no cadre at all. */
    return entity == SCOPE_REGION || entity == SCOPE_UNIT ? 0 : strbuf_appendf(sql, " AND 1 = 0");
  case SCOPE_KIND_REGION:
    if (entity == SCOPE_CADRE) return cadre_region_sql(scope, sql);
    return strbuf_appendf(sql, " AND (%s >= :scope_lo AND %s < :scope_hi)", col->path, col->path);
  case SCOPE_KIND_UNIT:
    if (entity == SCOPE_REGION)
      return strbuf_appendf(sql, " AND (r.path >= :scope_unit_lo AND r.path < :scope_unit_hi)");
    if (!col->unit) return strbuf_appendf(sql, " AND 1 = 0");
    return strbuf_appendf(sql, " AND %s = :scope_unit", col->unit);
  case SCOPE_KIND_SELF:
    if (!col->cadre) return strbuf_appendf(sql, " AND 1 = 0");
    return strbuf_appendf(sql, " AND %s = :scope_cadre", col->cadre);
  }
  return strbuf_appendf(sql, " AND 1 = 0");
}

/* A list of cadres reads the kept prefixes (migration 173): the scope's cadres are the index range
 * cadre_scope(path = the scope's path), in id order, each then looked up by its id, instead of testing
 * every cadre of the database (the cities before it included) as the walk above does. */
bool scope_cadres_kept(const struct scope *scope)
{
  return scope->kind == SCOPE_KIND_REGION && province_or_city(scope);
}

int scope_cadre_list_sql(const struct scope *scope, struct strbuf *sql)
{
  if (!scope_cadres_kept(scope)) return scope_sql(scope, SCOPE_CADRE, sql);
  return strbuf_appendf(sql, " AND ss.path = :scope_lo AND ss.cadre_id = c.id");
}

const char *scope_cadre_count_from(const struct scope *scope)
{
  return scope_cadres_kept(scope) ? "cadre_scope ss WHERE ss.path = :scope_lo" : NULL;
}

void scope_params(const struct scope *scope, struct sql_param out[SCOPE_NPARAMS])
{
  out[0] = (struct sql_param){":scope_lo", scope->path_lo, 0};
  out[1] = (struct sql_param){":scope_hi", scope->path_hi, 0};
  out[2] = (struct sql_param){":scope_unit", NULL, scope->unit_id};
  out[3] = (struct sql_param){":scope_unit_lo", scope->unit_path_lo, 0};
  out[4] = (struct sql_param){":scope_unit_hi", scope->unit_path_hi, 0};
  out[5] = (struct sql_param){":scope_cadre", NULL, scope->cadre_id};
}


bool scope_covers_path(const struct scope *scope, const char *path)
{
  if (scope->kind == SCOPE_KIND_NONE) return true;
  if (scope->kind != SCOPE_KIND_REGION) return false;
  return strncmp(path, scope->path_lo, strlen(scope->path_lo)) == 0;
}
