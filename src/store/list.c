/* list — count + page. The count and the page share the same FROM/WHERE text, so a filter
 * can never apply to one and not the other. */
#include "store/list.h"

#include <stdio.h>

#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

static _Thread_local list_sink_fn sink_fn;
static _Thread_local void *sink_ctx;

void list_sink_set(list_sink_fn fn, void *ctx)
{
  sink_fn = fn;
  sink_ctx = ctx;
}

/* Each row to the sink (then freed), or into items. */
static int take_rows(sqlite3_stmt *st, row_to_json_fn row_to_json, json_t *items, list_sink_fn fn, void *ctx)
{
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *row = row_to_json(st);
    if (!fn) { json_array_append_new(items, row); continue; }
    int failed = !row || fn(ctx, row) != 0;
    json_decref(row);
    if (failed) return SQLITE_ERROR;
  }
  return rc;
}

void list_bind(sqlite3_stmt *st, const struct sql_param *params, int nparams)
{
  for (int i = 0; i < nparams; i++) {
    int idx = sqlite3_bind_parameter_index(st, params[i].name);
    if (!idx) continue;
    if (params[i].text) sqlite3_bind_text(st, idx, params[i].text, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_int64(st, idx, params[i].integer);
  }
}

static sqlite3_stmt *prepare(struct db *db, struct strbuf *sql, const struct sql_param *params, int nparams,
                             const struct scope *scope)
{
  sqlite3_stmt *st = db_stmt(db, strbuf_cstr(sql));
  if (!st) return NULL;
  list_bind(st, params, nparams);
  if (scope) scope_bind(scope, st);
  return st;
}

/* The memo key: the statement, its parameters and the scope's bounds. */
static int count_key(struct strbuf *key, const struct strbuf *sql, const struct sql_param *params, int nparams,
                     const struct scope *scope)
{
  int rc = strbuf_append(key, strbuf_cstr(sql), strbuf_len(sql));
  for (int i = 0; i < nparams; i++)
    rc |= params[i].text ? strbuf_appendf(key, "\x1f%s=%s", params[i].name, params[i].text)
                         : strbuf_appendf(key, "\x1f%s=%lld", params[i].name, (long long)params[i].integer);
  if (scope)
    rc |= strbuf_appendf(key, "\x1f%d|%s|%lld|%lld", (int)scope->kind, scope->path_lo, (long long)scope->unit_id,
                         (long long)scope->cadre_id);
  return rc;
}

/* Lists are paged through many times between writes, so the count is memoised per connection
 * until the next write anywhere (db_count_cache_get). */
static int64_t count_rows(struct db *db, const char *from_where, const struct sql_param *params, int nparams,
                          const struct scope *scope)
{
  struct strbuf sql, key;
  strbuf_init(&sql, 16384);
  strbuf_init(&key, 32768);
  int64_t total = -1;
  if (strbuf_appendf(&sql, "SELECT count(*) FROM %s", from_where) == 0 &&
      count_key(&key, &sql, params, nparams, scope) == 0 && db_count_cache_get(db, strbuf_cstr(&key), &total)) {
    strbuf_free(&sql);
    strbuf_free(&key);
    return total;
  }
  sqlite3_stmt *st = strbuf_len(&sql) ? prepare(db, &sql, params, nparams, scope) : NULL;
  if (st && sqlite3_step(st) == SQLITE_ROW) total = sqlite3_column_int64(st, 0);
  if (st) sqlite3_reset(st);
  if (total >= 0 && strbuf_len(&key)) db_count_cache_put(db, strbuf_cstr(&key), total);
  strbuf_free(&sql);
  strbuf_free(&key);
  return total;
}

json_t *list_query(struct db *db, const char *columns, const char *from_where, const char *order_by,
                   const struct sql_param *params, int nparams, const struct scope *scope,
                   row_to_json_fn row_to_json, int page, int page_size)
{
  return list_query_counted(db, NULL, columns, from_where, order_by, params, nparams, scope, row_to_json, page,
                            page_size);
}

json_t *list_query_counted(struct db *db, const char *count_from_where, const char *columns,
                           const char *from_where, const char *order_by, const struct sql_param *params,
                           int nparams, const struct scope *scope, row_to_json_fn row_to_json, int page,
                           int page_size)
{
  int64_t total = count_rows(db, count_from_where ? count_from_where : from_where, params, nparams, scope);
  if (total < 0) return NULL;
  int limit = page_size > 0 ? page_size : LIST_EXPORT_MAX_ROWS;
  list_sink_fn fn = page_size > 0 ? NULL : sink_fn;
  void *ctx = sink_ctx;
  if (fn) list_sink_set(NULL, NULL);
  int64_t offset = page_size > 0 ? (int64_t)(page - 1) * page_size : 0;

  struct strbuf sql;
  strbuf_init(&sql, 16384);
  json_t *items = json_array();
  int rc = strbuf_appendf(&sql, "SELECT %s FROM %s ORDER BY %s LIMIT :list_limit OFFSET :list_offset",
                          columns, from_where, order_by);
  sqlite3_stmt *st = rc == 0 ? prepare(db, &sql, params, nparams, scope) : NULL;
  if (!st) { strbuf_free(&sql); json_decref(items); return NULL; }
  sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":list_limit"), limit);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":list_offset"), offset);
  rc = take_rows(st, row_to_json, items, fn, ctx);
  sqlite3_reset(st);
  strbuf_free(&sql);
  if (rc != SQLITE_DONE) { json_decref(items); return NULL; }
  return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page,
                   "page_size", page_size);
}

json_t *list_get_one(struct db *db, const char *columns, const char *from, const char *id_column,
                     const struct scope *scope, int entity, row_to_json_fn row_to_json, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT %s FROM %s WHERE %s = :id", columns, from, id_column);
  rc |= scope_sql(scope, (enum scope_entity)entity, &sql);
  json_t *out = NULL;
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (st) {
    scope_bind(scope, st);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) out = row_to_json(st);
    else db_step_result(db, step); /* a failed read is reported (db_failures), not taken for a missing row */
    sqlite3_reset(st);
  }
  strbuf_free(&sql);
  return out;
}
