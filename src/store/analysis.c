/* analysis — counts are gathered per cadre with GROUP BY over the scope, then attached to the
 * presence rows through an index sorted by cadre id; the roll-up maps each row's village to the
 * child region that holds it through the materialized paths (so a village that moved rolls up
 * under its present township). */
#include "store/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

static const char *const DUTIES[] = {"party_building", "consolidation", "industry", "construction", "governance"};

/* Rows sorted by cadre id, to attach the per-cadre counts (a cadre who changed village in the
 * month has two rows, and both get the cadre's counts, as the list has always shown). */
struct by_cadre { int64_t cadre_id; size_t row; };
static int cmp_by_cadre(const void *a, const void *b)
{
  const struct by_cadre *x = a, *y = b;
  return x->cadre_id < y->cadre_id ? -1 : x->cadre_id > y->cadre_id;
}

/* Which counter of a row a GROUP BY query fills. */
enum counter { COUNT_LOGS, COUNT_LEAVES, COUNT_VIOLATIONS, COUNT_REMINDERS };

static int duty_index(const char *duty)
{
  for (int d = 0; d < ANALYSIS_DUTIES; d++) if (strcmp(DUTIES[d], duty) == 0) return d;
  return -1;
}

static void add_count(struct analysis_row *row, enum counter what, const char *key, int n)
{
  switch (what) {
  case COUNT_LOGS: {
    int d = duty_index(key);
    if (d >= 0) row->logs_by_duty[d] += n;
    row->logs += n;
    break;
  }
  case COUNT_LEAVES: row->leaves += n; break;
  case COUNT_VIOLATIONS: row->violations += n; break;
  case COUNT_REMINDERS: row->reminders += n; break;
  }
}

/* Runs "SELECT cadre_id, key, count ... GROUP BY" for cadres in scope and adds each count to the
 * rows of that cadre. */
static int count_into(struct db *db, const struct scope *scope, const char *select_from, const char *group,
                      const char *first, const char *last, struct analysis_row *rows,
                      const struct by_cadre *idx, size_t n, enum counter what)
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
    struct by_cadre key = {sqlite3_column_int64(st, 0), 0};
    const struct by_cadre *hit = bsearch(&key, idx, n, sizeof *idx, cmp_by_cadre);
    if (!hit) continue;
    while (hit > idx && hit[-1].cadre_id == key.cadre_id) hit--;
    for (; hit < idx + n && hit->cadre_id == key.cadre_id; hit++)
      add_count(&rows[hit->row], what, db_col_text(st, 1), sqlite3_column_int(st, 2));
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

static int count_all(struct db *db, const struct scope *scope, const char *first, const char *last,
                     struct analysis_row *rows, const struct by_cadre *idx, size_t n)
{
  int rc = count_into(db, scope,
      "SELECT c.id, w.duty, count(*) FROM work_log w JOIN cadre c ON c.id = w.cadre_id"
      " LEFT JOIN region cr ON cr.code = c.village_code WHERE w.date BETWEEN :first AND :last",
      "GROUP BY c.id, w.duty", first, last, rows, idx, n, COUNT_LOGS);
  if (rc == DB_OK)
    rc = count_into(db, scope,
        "SELECT c.id, l.status, count(*) FROM leave l JOIN cadre c ON c.id = l.cadre_id"
        " LEFT JOIN region cr ON cr.code = c.village_code WHERE l.start_date <= :last AND l.end_date >= :first",
        "GROUP BY c.id, l.status", first, last, rows, idx, n, COUNT_LEAVES);
  /* tables of later migrations, counted when present */
  if (rc == DB_OK && table_exists(db, "violation"))
    rc = count_into(db, scope,
        "SELECT c.id, 'all', count(*) FROM violation v JOIN cadre c ON c.id = v.cadre_id"
        " LEFT JOIN region cr ON cr.code = c.village_code WHERE v.date BETWEEN :first AND :last",
        "GROUP BY c.id", first, last, rows, idx, n, COUNT_VIOLATIONS);
  if (rc == DB_OK && table_exists(db, "reminder"))
    rc = count_into(db, scope,
        "SELECT c.id, 'all', count(*) FROM reminder m JOIN cadre c ON c.id = m.cadre_id"
        " LEFT JOIN region cr ON cr.code = c.village_code"
        " WHERE " SQL_CST_DATE("m.created_at") " BETWEEN :first AND :last",
        "GROUP BY c.id", first, last, rows, idx, n, COUNT_REMINDERS);
  return rc;
}

int analysis_rows_build(struct db *db, const struct scope *scope, const struct presence_posts *posts,
                        const char *first, const char *last, struct analysis_row **rows)
{
  size_t n = posts->n;
  struct analysis_row *out = calloc(n ? n : 1, sizeof *out);
  struct by_cadre *idx = malloc((n ? n : 1) * sizeof *idx);
  if (!out || !idx) { free(out); free(idx); return DB_ERROR; }
  for (size_t i = 0; i < n; i++) {
    out[i].post = &posts->items[i];
    idx[i] = (struct by_cadre){posts->items[i].cadre_id, i};
  }
  qsort(idx, n, sizeof *idx, cmp_by_cadre);
  int rc = count_all(db, scope, first, last, out, idx, n);
  free(idx);
  if (rc != DB_OK) { free(out); return rc; }
  *rows = out;
  return DB_OK;
}

json_t *analysis_row_json(const struct analysis_row *row, const struct presence_rules *rules)
{
  json_t *o = presence_post_json(row->post, rules);
  json_t *by_duty = json_object();
  for (size_t d = 0; d < ANALYSIS_DUTIES; d++) json_object_set_new(by_duty, DUTIES[d], json_integer(row->logs_by_duty[d]));
  json_object_set_new(o, "logs_by_duty", by_duty);
  json_object_set_new(o, "logs", json_integer(row->logs));
  json_object_set_new(o, "leaves", json_integer(row->leaves));
  json_object_set_new(o, "violations", json_integer(row->violations));
  json_object_set_new(o, "reminders", json_integer(row->reminders));
  return o;
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
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    json_object_set_new(map, db_col_text(st, 0), json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, 1), "name",
                                                            db_col_text(st, 2), "level", db_col_text(st, 3)));
  }
  sqlite3_reset(st);
  if (rows_end(db, step) != DB_OK) { json_decref(map); return NULL; }
  return map;
}

/* The sums of one group of the roll-up. */
struct group {
  json_t *child;  /* {code, name, level}: borrowed from the children map */
  long cadres, meets_minimum, days_in_village, working_days, period_days, leave_days, absent_working_days,
       logs, violations, reminders;
};

static void group_add(struct group *g, const struct analysis_row *row)
{
  const struct presence_result *p = &row->post->result;
  g->cadres++;
  g->meets_minimum += p->meets_minimum;
  g->days_in_village += p->days_in_village;
  g->working_days += p->working_days;
  g->period_days += p->period_days;
  g->leave_days += p->leave_days;
  g->absent_working_days += p->absent_working_days;
  g->logs += row->logs;
  g->violations += row->violations;
  g->reminders += row->reminders;
}

static json_t *group_json(const struct group *g)
{
  json_t *o = json_deep_copy(g->child);
  const char *const keys[] = {"cadres", "meets_minimum", "days_in_village", "working_days", "period_days",
                              "leave_days", "absent_working_days", "logs", "violations", "reminders"};
  const long values[] = {g->cadres, g->meets_minimum, g->days_in_village, g->working_days, g->period_days,
                         g->leave_days, g->absent_working_days, g->logs, g->violations, g->reminders};
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) json_object_set_new(o, keys[k], json_integer(values[k]));
  /* the share of the days not on leave spent in the village (weekends count both ways) */
  long days = g->period_days - g->leave_days;
  json_object_set_new(o, "meets_minimum_rate", json_real(g->cadres ? (double)g->meets_minimum / g->cadres : 0));
  json_object_set_new(o, "presence_rate", json_real(days > 0 ? (double)g->days_in_village / days : 0));
  return o;
}

json_t *analysis_rollup(struct db *db, const struct scope *scope, const struct analysis_row *rows, size_t n,
                        const char *region)
{
  json_t *children = children_of(db, scope, region);
  if (!children) return NULL;
  /* groups in order of first appearance; the child's object remembers its group's index */
  size_t ngroups = 0, cap = 0;
  struct group *groups = NULL;
  json_t *index_of = json_object();
  for (size_t i = 0; i < n; i++) {
    json_t *child = json_object_get(children, rows[i].post->village_code);
    if (!child) continue;
    const char *code = json_string_value(json_object_get(child, "code"));
    json_t *at = json_object_get(index_of, code);
    size_t g;
    if (at) g = (size_t)json_integer_value(at);
    else {
      if (ngroups == cap) {
        cap = cap ? cap * 2 : 32;
        struct group *grown = realloc(groups, cap * sizeof *groups);
        if (!grown) break;
        groups = grown;
      }
      g = ngroups++;
      groups[g] = (struct group){.child = child};
      json_object_set_new(index_of, code, json_integer((json_int_t)g));
    }
    group_add(&groups[g], &rows[i]);
  }
  json_t *order = json_array();
  for (size_t g = 0; g < ngroups; g++) json_array_append_new(order, group_json(&groups[g]));
  free(groups);
  json_decref(index_of);
  json_decref(children);
  return order;
}
