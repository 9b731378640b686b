/* analysis — counts are gathered per cadre with GROUP BY over the scope, then attached to the
 * presence rows through a map keyed by cadre id; the roll-up maps each row's village to the
 * child region that holds it through the materialized paths (so a village that moved rolls up
 * under its present township). */
#include "store/analysis.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/scope.h"
#include "util/strbuf.h"

static const char *const DUTIES[] = {"party_building", "consolidation", "industry", "construction", "governance"};

/* Runs "SELECT cadre_id, key, count ... GROUP BY" for cadres in scope; adds map[cadre][field][key] = count. */
static int count_into(struct db *db, const struct scope *scope, const char *select_from, const char *group,
                      const char *first, const char *last, json_t *map, const char *field)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "%s", select_from);
  rc |= scope_sql(scope, SCOPE_CADRE, &sql);
  rc |= strbuf_appendf(&sql, " %s", group);
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!st) return DB_ERROR;
  scope_bind(scope, st);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":first"), first, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":last"), last, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(st, 0));
    json_t *c = json_object_get(map, id);
    if (!c) json_object_set_new(map, id, c = json_object());
    json_t *f = json_object_get(c, field);
    if (!f) json_object_set_new(c, field, f = json_object());
    json_object_set_new(f, db_col_text(st, 1), json_integer(sqlite3_column_int64(st, 2)));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}

static bool table_exists(struct db *db, const char *name)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  if (!st) return false;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  bool yes = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return yes;
}

static json_int_t sum_object(const json_t *o)
{
  json_int_t n = 0;
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)o, k, v) n += json_integer_value(v);
  return n;
}

int analysis_enrich(struct db *db, const struct scope *scope, json_t *items, const char *first, const char *last)
{
  json_t *map = json_object();
  int rc = count_into(db, scope,
      "SELECT c.id, w.duty, count(*) FROM work_log w JOIN cadre c ON c.id = w.cadre_id"
      " LEFT JOIN region cr ON cr.code = c.village_code WHERE w.date BETWEEN :first AND :last",
      "GROUP BY c.id, w.duty", first, last, map, "logs");
  if (rc == DB_OK)
    rc = count_into(db, scope,
        "SELECT c.id, l.status, count(*) FROM leave l JOIN cadre c ON c.id = l.cadre_id"
        " LEFT JOIN region cr ON cr.code = c.village_code WHERE l.start_date <= :last AND l.end_date >= :first",
        "GROUP BY c.id, l.status", first, last, map, "leaves");
  /* tables of later migrations, counted when present */
  if (rc == DB_OK && table_exists(db, "violation"))
    rc = count_into(db, scope,
        "SELECT c.id, 'all', count(*) FROM violation v JOIN cadre c ON c.id = v.cadre_id"
        " LEFT JOIN region cr ON cr.code = c.village_code WHERE v.date BETWEEN :first AND :last",
        "GROUP BY c.id", first, last, map, "violations");
  if (rc == DB_OK && table_exists(db, "reminder"))
    rc = count_into(db, scope,
        "SELECT c.id, 'all', count(*) FROM reminder m JOIN cadre c ON c.id = m.cadre_id"
        " LEFT JOIN region cr ON cr.code = c.village_code"
        " WHERE date(m.created_at, 'unixepoch', '+8 hours') BETWEEN :first AND :last",
        "GROUP BY c.id", first, last, map, "reminders");
  size_t i;
  json_t *row;
  json_array_foreach(items, i, row) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(row, "cadre_id")));
    json_t *c = json_object_get(map, id);
    json_t *logs = json_object_get(c, "logs");
    json_t *by_duty = json_object();
    for (size_t d = 0; d < sizeof DUTIES / sizeof DUTIES[0]; d++)
      json_object_set_new(by_duty, DUTIES[d], json_integer(json_integer_value(json_object_get(logs, DUTIES[d]))));
    json_object_set_new(row, "logs_by_duty", by_duty);
    json_object_set_new(row, "logs", json_integer(sum_object(logs)));
    json_object_set_new(row, "leaves", json_integer(sum_object(json_object_get(c, "leaves"))));
    json_object_set_new(row, "violations", json_integer(sum_object(json_object_get(c, "violations"))));
    json_object_set_new(row, "reminders", json_integer(sum_object(json_object_get(c, "reminders"))));
  }
  json_decref(map);
  return rc;
}

/* village code → {code, name, level} of the child of the root that holds it */
static json_t *children_of(struct db *db, const struct scope *scope, const char *region)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT v.code, k.code, k.name, k.level FROM region root"
      " JOIN region k ON k.parent_code = root.code"
      " JOIN region v ON v.level = 'village' AND v.path >= k.path AND v.path < k.path || '~'"
      " WHERE root.code = ?1");
  if (!st) return NULL;
  const char *root = region ? region : scope->kind == SCOPE_KIND_REGION ? scope->region_code
                                     : scope->kind == SCOPE_KIND_UNIT ? scope->unit_region_code : "36";
  sqlite3_bind_text(st, 1, root, -1, SQLITE_TRANSIENT);
  json_t *map = json_object();
  /* under a township the children are the villages, each its own group */
  while (sqlite3_step(st) == SQLITE_ROW) {
    json_object_set_new(map, db_col_text(st, 0), json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, 1), "name",
                                                            db_col_text(st, 2), "level", db_col_text(st, 3)));
  }
  sqlite3_reset(st);
  return map;
}

static void add_int(json_t *o, const char *key, json_int_t n)
{
  json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + n));
}

json_t *analysis_rollup(struct db *db, const struct scope *scope, json_t *items, const char *region)
{
  json_t *children = children_of(db, scope, region);
  if (!children) return NULL;
  json_t *groups = json_object(), *order = json_array();
  size_t i;
  json_t *row;
  json_array_foreach(items, i, row) {
    json_t *child = json_object_get(children, json_string_value(json_object_get(row, "village_code")));
    if (!child) continue;
    const char *code = json_string_value(json_object_get(child, "code"));
    json_t *g = json_object_get(groups, code);
    if (!g) {
      g = json_deep_copy(child);
      json_object_set_new(groups, code, g);
      json_array_append(order, g);
    }
    add_int(g, "cadres", 1);
    add_int(g, "meets_minimum", json_is_true(json_object_get(row, "meets_minimum")));
    static const char *const SUMS[] = {"days_in_village", "working_days", "period_days", "leave_days",
                                       "absent_working_days", "logs", "violations", "reminders"};
    for (size_t k = 0; k < sizeof SUMS / sizeof SUMS[0]; k++)
      add_int(g, SUMS[k], json_integer_value(json_object_get(row, SUMS[k])));
  }
  json_array_foreach(order, i, row) {
    json_int_t cadres = json_integer_value(json_object_get(row, "cadres"));
    /* the share of the days not on leave spent in the village (weekends count both ways) */
    json_int_t days = json_integer_value(json_object_get(row, "period_days")) -
                      json_integer_value(json_object_get(row, "leave_days"));
    json_object_set_new(row, "meets_minimum_rate",
                        json_real(cadres ? (double)json_integer_value(json_object_get(row, "meets_minimum")) / cadres : 0));
    json_object_set_new(row, "presence_rate",
                        json_real(days > 0 ? (double)json_integer_value(json_object_get(row, "days_in_village")) / days : 0));
  }
  json_decref(groups);
  json_decref(children);
  return order;
}
