/* query — see query.h. The public calls and the SQLite half (a query on a PostgreSQL connection is
 * handed to query_pg.c at each call): a query is the connection's cached statement (db_stmt) with the
 * state of one run of it — whether anything failed, the last step, and the aliases read so far with
 * their column numbers. A loop reads its columns in the same order on every row, so the memo keeps a
 * cursor at the entry after the last one found: a read compares one pointer, and only the first row
 * looks a name up among the statement's columns. */
#include "store/query.h"

#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/pg.h"
#include "store/query_internal.h"
#include "store/rows.h"
#include "store/scope_sql.h"

void query_fail(struct query *q, const char *what, const char *name)
{
  if (q->rc == DB_OK) db_report_failure(q->db, what, name ? name : "");
  q->rc = DB_ERROR;
}

static struct query *query_wrap(struct db *db, sqlite3_stmt *st)
{
  struct query *q = calloc(1, sizeof *q);
  if (!q) {
    sqlite3_reset(st);
    db_report_failure(db, "query", "out of memory");
    return NULL;
  }
  q->db = db;
  q->st = st;
  q->rc = DB_OK;
  q->last = SQLITE_OK;
  return q;
}

struct query *query_open(struct db *db, const char *sql)
{
  if (db_pg(db)) return query_pg_open(db, sql);
  sqlite3_stmt *st = db_stmt(db, sql);
  return st ? query_wrap(db, st) : NULL;
}

/* The index of :name, or 0 (the failure reported) when the statement has no such parameter. */
static int param(struct query *q, const char *name)
{
  int idx = sqlite3_bind_parameter_index(q->st, name);
  if (!idx) query_fail(q, "no such parameter in the statement", name);
  return idx;
}

static void bound(struct query *q, const char *name, int rc)
{
  if (rc != SQLITE_OK) query_fail(q, "bind failed", name);
}

void query_bind_text(struct query *q, const char *name, const char *v)
{
  if (q && q->pg) return query_pg_bind(q, name, v, v ? strlen(v) : 0, PG_VALUE_TEXT);
  int idx = q ? param(q, name) : 0;
  if (idx) bound(q, name, v ? sqlite3_bind_text(q->st, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(q->st, idx));
}

void query_bind_int(struct query *q, const char *name, int64_t v)
{
  if (q && q->pg) {
    char text[24];
    return query_pg_bind(q, name, text, (size_t)snprintf(text, sizeof text, "%lld", (long long)v), PG_VALUE_INT);
  }
  int idx = q ? param(q, name) : 0;
  if (idx) bound(q, name, sqlite3_bind_int64(q->st, idx, v));
}

void query_bind_int_or_null(struct query *q, const char *name, int64_t v)
{
  if (v) query_bind_int(q, name, v);
  else query_bind_null(q, name);
}

void query_bind_double(struct query *q, const char *name, double v)
{
  if (q && q->pg) {
    char text[40];
    return query_pg_bind(q, name, text, (size_t)snprintf(text, sizeof text, "%.17g", v), PG_VALUE_REAL);
  }
  int idx = q ? param(q, name) : 0;
  if (idx) bound(q, name, sqlite3_bind_double(q->st, idx, v));
}

void query_bind_null(struct query *q, const char *name)
{
  if (q && q->pg) return query_pg_bind(q, name, NULL, 0, PG_VALUE_TEXT);
  int idx = q ? param(q, name) : 0;
  if (idx) bound(q, name, sqlite3_bind_null(q->st, idx));
}

void query_bind_blob(struct query *q, const char *name, const void *v, size_t len)
{
  if (q && q->pg) return query_pg_bind(q, name, v, len, PG_VALUE_BYTES);
  int idx = q ? param(q, name) : 0;
  if (idx) bound(q, name, v ? sqlite3_bind_blob(q->st, idx, v, (int)len, SQLITE_TRANSIENT) : sqlite3_bind_null(q->st, idx));
}

void query_bind_params(struct query *q, const struct sql_param *params, int n)
{
  for (int i = 0; q && i < n; i++) {
    if (params[i].text) query_bind_text(q, params[i].name, params[i].text);
    else query_bind_int(q, params[i].name, params[i].integer);
  }
}

static bool names(struct query *q, const char *name)
{
  return q->pg ? query_pg_names(q, name) : sqlite3_bind_parameter_index(q->st, name) != 0;
}

void query_bind_params_used(struct query *q, const struct sql_param *params, int n)
{
  for (int i = 0; q && i < n; i++)
    if (names(q, params[i].name)) query_bind_params(q, &params[i], 1);
}

void query_bind_scope(struct query *q, const struct scope *scope)
{
  if (!q || !scope) return;
  struct sql_param p[SCOPE_NPARAMS];
  scope_params(scope, p);
  query_bind_params_used(q, p, SCOPE_NPARAMS);
}

bool query_next(struct query *q)
{
  if (q && q->pg) return query_pg_next(q);
  if (!q || q->rc != DB_OK || q->last == SQLITE_DONE) return false;
  q->last = sqlite3_step(q->st);
  if (q->last == SQLITE_ROW) return true;
  if (q->last != SQLITE_DONE) {
    db_step_result(q->db, q->last);
    q->rc = DB_ERROR;
  }
  return false;
}

static int sqlite_column(struct query *q, const char *alias)
{
  int n = sqlite3_column_count(q->st);
  for (int col = 0; col < n; col++)
    if (strcmp(sqlite3_column_name(q->st, col), alias) == 0) return col;
  return -1;
}

int query_memo_column(struct query *q, const char *alias, int (*lookup)(struct query *q, const char *alias))
{
  if (q->nmemo && q->memo[q->cursor].alias == alias) {
    int col = q->memo[q->cursor].col;
    q->cursor = (q->cursor + 1) % q->nmemo;
    return col;
  }
  for (int i = 0; i < q->nmemo; i++)
    if (q->memo[i].alias == alias || strcmp(q->memo[i].alias, alias) == 0) {
      q->cursor = (i + 1) % q->nmemo;
      return q->memo[i].col;
    }
  int col = lookup(q, alias);
  if (col < 0) {
    query_fail(q, "no such column in the statement", alias);
    return -1;
  }
  if (q->nmemo < QUERY_MEMO) {
    q->memo[q->nmemo++] = (struct alias_col){alias, col};
    q->cursor = 0;
  }
  return col;
}

/* The statement's column named alias, -1 (reported) when it has none or there is no current row. */
static int column(struct query *q, const char *alias)
{
  if (!q) return -1;
  if (q->pg) return query_pg_column(q, alias);
  if (q->last != SQLITE_ROW) {
    query_fail(q, "a column read with no current row", alias);
    return -1;
  }
  return query_memo_column(q, alias, sqlite_column);
}

int64_t query_get_int(struct query *q, const char *alias)
{
  int col = column(q, alias);
  int64_t v = 0;
  if (q && q->pg) return col >= 0 && query_pg_whole(q, query_pg_text(q, col), alias, &v) ? v : 0;
  return col < 0 ? 0 : sqlite3_column_int64(q->st, col);
}

double query_get_double(struct query *q, const char *alias)
{
  int col = column(q, alias);
  if (q && q->pg) return col < 0 ? 0 : strtod(query_pg_text(q, col), NULL);
  return col < 0 ? 0 : sqlite3_column_double(q->st, col);
}

const char *query_get_text(struct query *q, const char *alias)
{
  int col = column(q, alias);
  if (q && q->pg) return col < 0 ? "" : query_pg_text(q, col);
  return col < 0 ? "" : db_col_text(q->st, col);
}

bool query_is_null(struct query *q, const char *alias)
{
  int col = column(q, alias);
  if (q && q->pg) return col < 0 || query_pg_is_null(q, col);
  return col < 0 || sqlite3_column_type(q->st, col) == SQLITE_NULL;
}

const void *query_get_blob(struct query *q, const char *alias, size_t *len)
{
  int col = column(q, alias);
  if (q && q->pg) {
    *len = 0;
    return col < 0 ? NULL : query_pg_blob(q, col, len);
  }
  const void *v = col < 0 ? NULL : sqlite3_column_blob(q->st, col);
  *len = v ? (size_t)sqlite3_column_bytes(q->st, col) : 0;
  return v;
}

int64_t query_get_first_int(struct query *q)
{
  if (!q) return 0;
  int64_t v = 0;
  if (q->pg)
    return q->ran && q->row >= 0 && q->row < query_pg_rows(q) && query_pg_whole(q, query_pg_text(q, 0), "the first column", &v)
               ? v : 0;
  return q->last == SQLITE_ROW ? sqlite3_column_int64(q->st, 0) : 0;
}

json_t *query_row_object(struct query *q)
{
  if (q && q->pg) return query_pg_row_object(q);
  if (!q || q->last != SQLITE_ROW) {
    if (q) query_fail(q, "a row read with no current row", "");
    return NULL;
  }
  return rows_object(q->st);
}

int query_close(struct query *q)
{
  if (!q) return DB_ERROR;
  if (q->pg) return query_pg_close(q);
  int rc = q->rc;
  sqlite3_reset(q->st);
  free(q);
  return rc;
}

/* Steps a write to its end (through any RETURNING rows): DB_OK, DB_CONFLICT or DB_ERROR. */
static int run_write(struct query *q, int64_t *first_col)
{
  if (q->pg) return query_pg_write(q, first_col, NULL);
  if (q->rc != DB_OK) return DB_ERROR;
  int rc = sqlite3_step(q->st);
  if (rc == SQLITE_ROW && first_col) *first_col = sqlite3_column_int64(q->st, 0);
  while (rc == SQLITE_ROW) rc = sqlite3_step(q->st);
  return db_step_result(q->db, rc);
}

int query_exec(struct query *q)
{
  if (!q) return DB_ERROR;
  int rc = run_write(q, NULL);
  query_close(q);
  return rc;
}

int query_exec_count(struct query *q, int64_t *changed)
{
  if (!q) return DB_ERROR;
  int rc = q->pg ? query_pg_write(q, NULL, changed) : run_write(q, NULL);
  if (rc == DB_OK && !q->pg) *changed = sqlite3_changes64(db_sqlite(q->db));
  query_close(q);
  return rc;
}

int query_exec_guarded(struct query *q)
{
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_CONFLICT;
}

int query_insert_id(struct query *q, int64_t *id)
{
  if (!q) return DB_ERROR;
  int64_t got = 0;
  int rc = run_write(q, &got);
  query_close(q);
  if (rc == DB_OK) *id = got;
  return rc;
}

/* Every row of a PostgreSQL query as query_row_object; NULL when a read failed. */
static json_t *pg_rows_json(struct query *q, void (*fix)(json_t *row))
{
  json_t *out = json_array();
  while (out && query_next(q)) {
    json_t *row = query_row_object(q);
    if (!row) break;
    if (fix) fix(row);
    json_array_append_new(out, row);
  }
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

json_t *query_rows_json(struct query *q, void (*fix)(json_t *row))
{
  if (q && q->pg) return pg_rows_json(q, fix);
  json_t *out = q && q->rc == DB_OK ? rows_array(q->db, q->st, fix) : NULL;
  query_close(q);
  return out;
}

json_t *query_one_json(struct query *q, void (*fix)(json_t *row))
{
  json_t *out = query_next(q) ? query_row_object(q) : NULL;
  if (out && fix) fix(out);
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

/* A list's page and one record: store/list, whose readers take the query (query_row_fn is its row_to_json_fn). */
json_t *query_list(struct db *db, const char *columns, const char *from_where, const char *order_by,
                   const struct sql_param *params, int nparams, const struct scope *scope, query_row_fn row,
                   int page, int page_size)
{
  return list_query_counted(db, NULL, columns, from_where, order_by, params, nparams, scope, row, page, page_size);
}

json_t *query_list_counted(struct db *db, const char *count_from_where, const char *columns, const char *from_where,
                           const char *order_by, const struct sql_param *params, int nparams,
                           const struct scope *scope, query_row_fn row, int page, int page_size)
{
  return list_query_counted(db, count_from_where, columns, from_where, order_by, params, nparams, scope, row, page,
                            page_size);
}

json_t *query_get_one(struct db *db, const char *columns, const char *from, const char *id_column,
                      const struct scope *scope, int entity, query_row_fn row, int64_t id)
{
  return list_get_one(db, columns, from, id_column, scope, entity, row, id);
}

bool query_count_memo_get(struct db *db, const char *key, int64_t *count)
{
  return db_count_cache_get(db, key, count);
}

void query_count_memo_put(struct db *db, const char *key, int64_t count)
{
  db_count_cache_put(db, key, count);
}

bool query_memo_get(struct db *db, const char *key, char **text)
{
  return db_memo_get(db, key, text);
}

void query_memo_put(struct db *db, const char *key, const char *text)
{
  db_memo_put(db, key, text);
}

