/* crosscheck — each rule's query plus the caller's scope and region, capped at CROSSCHECK_MAX
 * rows per rule; the findings of all rules are one list, paged here. */
#include "store/crosscheck.h"

#include <stdio.h>
#include <string.h>

#include "core/crosscheck_rules.h"
#include "store/crosscheck_queries.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define CROSSCHECK_MAX 2000

/* A county or less (a region path of four levels or more: /36/3607/360781/), or a unit's or a
 * cadre's villages: small enough to walk village by village. */
static bool local_scope(struct db *db, const struct scope *scope, const char *region)
{
  if (scope->kind == SCOPE_KIND_UNIT || scope->kind == SCOPE_KIND_SELF) return true;
  char path[96] = "";
  snprintf(path, sizeof path, "%s", scope->path_lo);
  if (region) {
    struct query *q = query_open(db, "SELECT path AS path FROM region WHERE code = :code");
    query_bind_text(q, ":code", region);
    if (query_next(q)) snprintf(path, sizeof path, "%s", query_get_text(q, "path"));
    query_close(q); /* a failure is reported; the scope's own path stands */
  }
  int depth = 0;
  for (const char *p = path; *p; p++) depth += *p == '/';
  return depth >= 4;
}

static int rule_sql(struct db *db, const struct crosscheck_rule_def *q, const struct scope *scope, const char *region,
                    struct strbuf *sql)
{
  const struct crosscheck_sql *text = crosscheck_sql(q->query);
  if (!text) return -1;
  bool household = q->entity == CROSSCHECK_HOUSEHOLD;
  int rc = strbuf_appendf(sql, "%s", text->sql_local && local_scope(db, scope, region) ? text->sql_local : text->sql);
  /* 5.7: a household with an open monitoring case (migration 010's table, in every database) is being
   * dealt with, so it is not suspect */
  if (q->open_cases_excluded)
    rc |= strbuf_appendf(sql, " AND NOT EXISTS (SELECT 1 FROM monitoring_case mc WHERE mc.household_id = h.id"
                              " AND mc.state NOT IN ('closed','dismissed'))");
  if (region)
    rc |= strbuf_appendf(sql, " AND %s.path >= (SELECT path FROM region WHERE code = :region)"
                              " AND %s.path < (SELECT path FROM region WHERE code = :region) || '~'",
                         household ? "tv" : "ar", household ? "tv" : "ar");
  rc |= scope_sql(scope, household ? SCOPE_TEAM : SCOPE_ASSIGNMENT, sql);
  rc |= strbuf_appendf(sql, " ORDER BY 2, 1 LIMIT %d", CROSSCHECK_MAX);
  return rc;
}

/* Appends the findings of one rule to items; returns how many, or -1 on error. */
static int run_rule(struct db *db, const json_t *rule, const struct scope *scope, long threshold, const char *region,
                    json_t *items)
{
  const char *code = json_string_value(json_object_get(rule, "code"));
  const struct crosscheck_rule_def *q = crosscheck_rule(code);
  if (!q) return -1; /* refused at load: cannot happen with a loaded policy */
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  struct query *rows = rule_sql(db, q, scope, region, &sql) == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  /* a rule's text may use :threshold and :factor, or not: each is bound only where it is named */
  bool uses_threshold = strstr(strbuf_cstr(&sql), ":threshold") != NULL;
  bool uses_factor = strstr(strbuf_cstr(&sql), ":factor") != NULL;
  strbuf_free(&sql);
  if (!rows) return -1;
  const json_t *factor = json_object_get(rule, "factor");
  if (uses_threshold) query_bind_double(rows, ":threshold", (double)threshold);
  if (uses_factor) query_bind_double(rows, ":factor", factor ? json_number_value(factor) : 1.0);
  if (region) query_bind_text(rows, ":region", region);
  query_bind_scope(rows, scope);
  bool household = q->entity == CROSSCHECK_HOUSEHOLD;
  int n = 0;
  while (query_next(rows)) {
    json_int_t id = query_get_int(rows, "id");
    char link[64];
    if (household) snprintf(link, sizeof link, "/households/%lld", (long long)id);
    else snprintf(link, sizeof link, "/assignments/%lld", (long long)id);
    json_array_append_new(items, json_pack("{s:s, s:O, s:O, s:O, s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
        "rule", code, "number", json_object_get(rule, "number"), "rule_name", json_object_get(rule, "name_zh"),
        "clause", json_object_get(rule, "clause"), "entity", household ? "household" : "assignment", "id", id,
        "village_code", query_get_text(rows, "village_code"), "village_name", query_get_text(rows, "village_name"),
        "title", query_get_text(rows, "title"), "detail", query_get_text(rows, "detail"), "link", link));
    n++;
  }
  return query_close(rows) == DB_OK ? n : -1;
}

json_t *crosscheck_json(struct db *db, const struct scope *scope, const json_t *rules, long threshold,
                        const char *region_code, const char *only_rule, int page, int page_size)
{
  json_t *all = json_array(), *summary = json_array();
  size_t i;
  const json_t *rule;
  json_array_foreach(rules, i, rule) {
    const char *code = json_string_value(json_object_get(rule, "code"));
    int n = 0;
    if (!only_rule || strcmp(only_rule, code) == 0) n = run_rule(db, rule, scope, threshold, region_code, all);
    if (n < 0) { json_decref(all); json_decref(summary); return NULL; }
    json_t *row = json_deep_copy(rule);
    json_object_set_new(row, "count", json_integer(n));
    json_array_append_new(summary, row);
  }
  size_t total = json_array_size(all), from = page_size > 0 ? (size_t)(page - 1) * (size_t)page_size : 0;
  json_t *items = json_array();
  for (size_t k = from; k < total && (page_size <= 0 || k < from + (size_t)page_size); k++)
    json_array_append(items, json_array_get(all, k));
  json_decref(all);
  return json_pack("{s:o, s:o, s:I, s:i, s:i}", "rules", summary, "items", items, "total", (json_int_t)total, "page",
                   page, "page_size", page_size);
}
