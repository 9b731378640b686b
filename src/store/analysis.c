/* analysis — the counts of each post's cadre are columns of the very statement that reads the posts
 * (store/presence's one pass over the posts in scope: correlated look-ups by index, the logs'
 * duties from the covering index of schema/161); the roll-up maps each row's village to the
 * child region that holds it through the materialized paths (so a village that moved rolls up
 * under its present township). */
#include "store/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/dialect.h"
#include "store/presence_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

static const char *const DUTIES[] = {"party_building", "consolidation", "industry", "construction", "governance"};

/* What the posts' statement reads of each post's cadre (store/presence: one pass over the posts in
 * scope), in the order of enum extra. The counts are the cadre's, not the post's: a cadre who changed
 * village in the month has two rows, and both get the cadre's counts, as the list has always shown;
 * and only for a cadre in the scope of cadres (store/scope, SCOPE_CADRE), as before. */
enum extra { X_DUTY0 = 0, X_LOGS = ANALYSIS_DUTIES, X_LEAVES, X_VIOLATIONS, X_REMINDERS };

static bool table_exists(struct db *db, const char *name)
{
  struct query *q = query_open(db, "SELECT 1 AS present FROM sqlite_schema WHERE type = 'table' AND name = :name");
  query_bind_text(q, ":name", name);
  bool yes = query_next(q);
  query_close(q);
  return yes;
}

static int duty_index(const char *duty, size_t len)
{
  for (int d = 0; d < ANALYSIS_DUTIES; d++) if (strlen(DUTIES[d]) == len && !strncmp(DUTIES[d], duty, len)) return d;
  return -1;
}

/* The columns, by alias: in the cadres' scope (in_cadre_scope), the month's logs' duties (log_duties,
 * comma-separated), leaves, violations, reminders (leave_count, violation_count, reminder_count). */
static int read_extra(struct query *q, struct presence_post *post)
{
  if (!query_get_int(q, "in_cadre_scope")) return 0;
  /* NULL when the month has no log (a log without a duty is an empty item) */
  const char *duties = query_is_null(q, "log_duties") ? NULL : query_get_text(q, "log_duties");
  while (duties) {
    size_t len = strcspn(duties, ",");
    int d = duty_index(duties, len);
    if (d >= 0) post->extra[X_DUTY0 + d]++;
    post->extra[X_LOGS]++;
    duties = duties[len] ? duties + len + 1 : NULL;
  }
  post->extra[X_LEAVES] = (int)query_get_int(q, "leave_count");
  post->extra[X_VIOLATIONS] = (int)query_get_int(q, "violation_count");
  post->extra[X_REMINDERS] = (int)query_get_int(q, "reminder_count");
  return 0;
}

int analysis_posts_read(struct db *db, const struct scope *scope, const struct presence_query *q,
                        struct presence_posts *posts)
{
  struct strbuf cols;
  strbuf_init(&cols, 2048);
  int rc = strbuf_appendf(&cols, ", CASE WHEN 1 = 1");
  rc |= scope_sql(scope, SCOPE_CADRE, &cols);
  rc |= strbuf_appendf(&cols,
      " THEN 1 ELSE 0 END AS in_cadre_scope,"
      " (SELECT group_concat(coalesce(w.duty, ''), ',') FROM work_log w WHERE w.cadre_id = c.id"
      "   AND w.date BETWEEN :first AND :last) AS log_duties,"
      " (SELECT count(*) FROM leave xl WHERE xl.cadre_id = c.id AND xl.start_date <= :last AND xl.end_date >= :first)"
      " AS leave_count");
  /* tables of later migrations, counted when present */
  rc |= strbuf_appendf(&cols, table_exists(db, "violation")
      ? ", (SELECT count(*) FROM violation v WHERE v.cadre_id = c.id AND v.date BETWEEN :first AND :last)"
        " AS violation_count" : ", 0 AS violation_count");
  rc |= strbuf_appendf(&cols, table_exists(db, "reminder")
      ? ", (SELECT count(*) FROM reminder m WHERE m.cadre_id = c.id AND " SQL_CST_DATE("m.created_at")
        " BETWEEN :first AND :last) AS reminder_count" : ", 0 AS reminder_count");
  const struct presence_extra extra = {" LEFT JOIN region cr ON cr.code = c.village_code", strbuf_cstr(&cols),
                                       read_extra};
  int result = rc == 0 ? presence_posts_read_with(db, scope, q, 1, 0, &extra, posts) : DB_ERROR;
  strbuf_free(&cols);
  return result;
}

int analysis_rows_build(const struct presence_posts *posts, struct analysis_row **rows)
{
  size_t n = posts->n;
  struct analysis_row *out = calloc(n ? n : 1, sizeof *out);
  if (!out) return DB_ERROR;
  for (size_t i = 0; i < n; i++) {
    const struct presence_post *p = &posts->items[i];
    out[i].post = p;
    for (int d = 0; d < ANALYSIS_DUTIES; d++) out[i].logs_by_duty[d] = p->extra[X_DUTY0 + d];
    out[i].logs = p->extra[X_LOGS];
    out[i].leaves = p->extra[X_LEAVES];
    out[i].violations = p->extra[X_VIOLATIONS];
    out[i].reminders = p->extra[X_REMINDERS];
  }
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

/* The children of the root (code, name, level) and, sorted by village code, which child holds each
 * village under it: the roll-up finds a row's group by a binary search, no JSON per village. */
struct child { char *code, *name, *level; };
struct village_of { char code[16]; size_t child; };
struct children { struct child *items; size_t n, cap; struct village_of *villages; size_t nv, vcap; };

static void children_free(struct children *c)
{
  for (size_t i = 0; i < c->n; i++) { free(c->items[i].code); free(c->items[i].name); free(c->items[i].level); }
  free(c->items);
  free(c->villages);
}

static int cmp_village(const void *a, const void *b)
{
  return strcmp(((const struct village_of *)a)->code, ((const struct village_of *)b)->code);
}

/* One row (village, child code, name, level), rows of a child coming together (ORDER BY k.code). Every
 * column is read on every row, in one order: the alias look-up stays one pointer comparison a read over
 * the villages of a province. */
static int child_row(struct children *c, struct query *q)
{
  const char *village = query_get_text(q, "village_code"), *code = query_get_text(q, "child_code"),
             *name = query_get_text(q, "child_name"), *level = query_get_text(q, "child_level");
  if (!c->n || strcmp(c->items[c->n - 1].code, code)) {
    if (c->n == c->cap) {
      size_t cap = c->cap ? c->cap * 2 : 32;
      struct child *grown = realloc(c->items, cap * sizeof *grown);
      if (!grown) return -1;
      c->items = grown;
      c->cap = cap;
    }
    struct child *k = &c->items[c->n++];
    *k = (struct child){strdup(code), strdup(name), strdup(level)};
    if (!k->code || !k->name || !k->level) return -1;
  }
  if (c->nv == c->vcap) {
    size_t cap = c->vcap ? c->vcap * 2 : 256;
    struct village_of *grown = realloc(c->villages, cap * sizeof *grown);
    if (!grown) return -1;
    c->villages = grown;
    c->vcap = cap;
  }
  struct village_of *v = &c->villages[c->nv++];
  snprintf(v->code, sizeof v->code, "%s", village);
  v->child = c->n - 1;
  return 0;
}

static int children_of(struct db *db, const struct scope *scope, const char *region, struct children *out)
{
  *out = (struct children){0};
  struct query *q = query_open(db,
      "SELECT v.code AS village_code, k.code AS child_code, k.name AS child_name, k.level AS child_level"
      " FROM region root JOIN region k ON k.parent_code = root.code"
      " JOIN region v ON v.level = 'village' AND v.path >= k.path AND v.path < k.path || '~'"
      " WHERE root.code = :root ORDER BY k.code");
  if (!q) return DB_ERROR;
  const char *root = region ? region : scope->kind == SCOPE_KIND_REGION ? scope->region_code
                                     : scope->kind == SCOPE_KIND_UNIT ? scope->unit_region_code : "36";
  query_bind_text(q, ":root", root);
  /* under a township the children are the villages, each its own group */
  bool stored = true;
  while (stored && query_next(q)) stored = child_row(out, q) == 0;
  if (query_close(q) != DB_OK || !stored) { children_free(out); return DB_ERROR; }
  if (out->nv > 1) qsort(out->villages, out->nv, sizeof *out->villages, cmp_village);
  return DB_OK;
}

/* The sums of one group of the roll-up. */
struct group {
  const struct child *child;
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
  json_t *o = json_pack("{s:s, s:s, s:s}", "code", g->child->code, "name", g->child->name, "level", g->child->level);
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
  struct children ch;
  if (children_of(db, scope, region, &ch) != DB_OK) return NULL;
  /* groups in order of first appearance: slot[child] is its group's index + 1 */
  size_t *slot = calloc(ch.n ? ch.n : 1, sizeof *slot);
  struct group *groups = calloc(ch.n ? ch.n : 1, sizeof *groups);
  size_t ngroups = 0;
  for (size_t i = 0; slot && groups && ch.nv && i < n; i++) {
    struct village_of key;
    snprintf(key.code, sizeof key.code, "%s", rows[i].post->village_code);
    const struct village_of *hit = bsearch(&key, ch.villages, ch.nv, sizeof key, cmp_village);
    if (!hit) continue;
    if (!slot[hit->child]) {
      groups[ngroups] = (struct group){.child = &ch.items[hit->child]};
      slot[hit->child] = ++ngroups;
    }
    group_add(&groups[slot[hit->child] - 1], &rows[i]);
  }
  json_t *order = slot && groups ? json_array() : NULL;
  for (size_t g = 0; order && g < ngroups; g++) json_array_append_new(order, group_json(&groups[g]));
  free(slot);
  free(groups);
  children_free(&ch);
  return order;
}
