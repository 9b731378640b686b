/* list — count + page, on store/query. The count and the page share the same FROM/WHERE text, so a
 * filter can never apply to one and not the other. A filter's parameters bind where a statement names
 * them (the count's text may be a kept range that names none), the scope's bounds likewise. */
#include "store/list.h"

#include <stdio.h>

#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

static _Thread_local list_sink_fn sink_fn;
static _Thread_local void *sink_ctx;

void list_sink_set(list_sink_fn fn, void *ctx)
{
  sink_fn = fn;
  sink_ctx = ctx;
}

static struct query *open_bound(struct db *db, const struct strbuf *sql, const struct sql_param *params, int nparams,
                                const struct scope *scope)
{
  struct query *q = query_open(db, strbuf_cstr(sql));
  query_bind_params_used(q, params, nparams);
  query_bind_scope(q, scope);
  return q;
}

/* Each row to the sink (then freed), or into items; false when a row could not be read or taken. */
static bool take_rows(struct query *q, row_to_json_fn row_to_json, json_t *items, list_sink_fn fn, void *ctx)
{
  while (query_next(q)) {
    json_t *row = row_to_json(q);
    if (!row) return false;
    if (!fn) {
      json_array_append_new(items, row);
      continue;
    }
    int failed = fn(ctx, row) != 0;
    json_decref(row);
    if (failed) return false;
  }
  return true;
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
 * until the next write anywhere (query_count_memo_get). -1 when it could not be read. */
static int64_t count_rows(struct db *db, const char *from_where, const struct sql_param *params, int nparams,
                          const struct scope *scope)
{
  struct strbuf sql, key;
  strbuf_init(&sql, 16384);
  strbuf_init(&key, 32768);
  int64_t total = -1;
  if (strbuf_appendf(&sql, "SELECT count(*) AS n FROM %s", from_where) == 0 &&
      count_key(&key, &sql, params, nparams, scope) == 0 && query_count_memo_get(db, strbuf_cstr(&key), &total)) {
    strbuf_free(&sql);
    strbuf_free(&key);
    return total;
  }
  struct query *q = strbuf_len(&sql) ? open_bound(db, &sql, params, nparams, scope) : NULL;
  if (query_next(q)) total = query_get_int(q, "n");
  if (query_close(q) != DB_OK) total = -1;
  if (total >= 0 && strbuf_len(&key)) query_count_memo_put(db, strbuf_cstr(&key), total);
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
  if (strbuf_appendf(&sql, "SELECT %s FROM %s ORDER BY %s LIMIT :list_limit OFFSET :list_offset", columns,
                     from_where, order_by) != 0) {
    strbuf_free(&sql);
    return NULL;
  }
  struct query *q = open_bound(db, &sql, params, nparams, scope);
  strbuf_free(&sql);
  query_bind_int(q, ":list_limit", limit);
  query_bind_int(q, ":list_offset", offset);
  json_t *items = json_array();
  bool taken = q && items && take_rows(q, row_to_json, items, fn, ctx);
  if (query_close(q) != DB_OK || !taken) {
    json_decref(items);
    return NULL;
  }
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
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_int(q, ":id", id);
  /* not there: NULL with db_failures unchanged; a failed read: NULL, reported (http/not_found) */
  json_t *out = query_next(q) ? row_to_json(q) : NULL;
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}
