/* query_pg — store/query on a PostgreSQL connection (store/pg): the same calls, the same promises.
 * A parameter the statement does not name, a column it does not return, a read with no current row
 * are failures reported through db, as on SQLite; the statement runs at the first query_next (a read)
 * or at the write's end (query_exec and its kin); its rows are then walked in order. Values are read
 * from the server's text: an integer column with strtoll, a truth value ("t"/"f") as 1/0, bytes
 * (bytea's "\x…" text) decoded. */
#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/pg.h"
#include "store/query_internal.h"

struct query *query_pg_open(struct db *db, const char *sql)
{
  struct pg_stmt *s = pg_stmt_open(db, db_pg(db), sql);
  if (!s) return NULL;
  struct query *q = calloc(1, sizeof *q);
  if (!q) {
    db_report_failure(db, "query", "out of memory");
    return NULL;
  }
  q->db = db;
  q->pg = s;
  q->rc = DB_OK;
  q->row = -1;
  return q;
}

void query_pg_bind(struct query *q, const char *name, const void *v, size_t len, enum pg_value kind)
{
  int n = pg_stmt_param(q->pg, name);
  if (!n) query_fail(q, "no such parameter in the statement", name);
  else if (!pg_stmt_bind(q->pg, n, v, len, kind)) query_fail(q, "bind failed", name);
}

bool query_pg_names(struct query *q, const char *name) { return pg_stmt_param(q->pg, name) != 0; }

int query_pg_rows(struct query *q) { return pg_stmt_rows(q->pg); }

static void forget_blob(struct query *q)
{
  PQfreemem(q->blob);
  q->blob = NULL;
}

bool query_pg_next(struct query *q)
{
  if (q->rc != DB_OK) return false;
  if (!q->ran) {
    q->ran = true;
    if (pg_stmt_run(q->db, q->pg) != DB_OK) {
      q->rc = DB_ERROR;
      return false;
    }
  }
  forget_blob(q);
  if (q->row + 1 >= pg_stmt_rows(q->pg)) {
    q->row = pg_stmt_rows(q->pg);
    return false;
  }
  q->row++;
  return true;
}

static int lookup(struct query *q, const char *alias) { return pg_stmt_column(q->pg, alias); }

int query_pg_column(struct query *q, const char *alias)
{
  if (!q->ran || q->row < 0 || q->row >= pg_stmt_rows(q->pg)) {
    query_fail(q, "a column read with no current row", alias);
    return -1;
  }
  return query_memo_column(q, alias, lookup);
}

const char *query_pg_text(struct query *q, int col) { return pg_stmt_text(q->pg, q->row, col); }

bool query_pg_is_null(struct query *q, int col) { return pg_stmt_is_null(q->pg, q->row, col); }

const void *query_pg_blob(struct query *q, int col, size_t *len)
{
  *len = 0;
  if (pg_stmt_is_null(q->pg, q->row, col)) return NULL;
  forget_blob(q);
  q->blob = PQunescapeBytea((const unsigned char *)pg_stmt_text(q->pg, q->row, col), len);
  if (!q->blob) query_fail(q, "a blob could not be decoded", pg_stmt_column_name(q->pg, col));
  return q->blob;
}

bool query_pg_whole(struct query *q, const char *text, const char *name, int64_t *v)
{
  if ((text[0] == 't' || text[0] == 'f') && !text[1]) {
    *v = text[0] == 't';
    return true;
  }
  errno = 0;
  *v = strtoll(text, NULL, 10);
  if (errno != ERANGE) return true;
  query_fail(q, "integer overflow", name);
  return false;
}

/* A whole numeric (PostgreSQL's sum() of bigints) as an integer; one that does not fit 64 bits fails the
 * read: never a saturated number in a page. */
static json_t *whole_json(struct query *q, int col, const char *text)
{
  int64_t v;
  return query_pg_whole(q, text, pg_stmt_column_name(q->pg, col), &v) ? json_integer(v) : NULL;
}

/* One column's value as JSON, typed as the server typed it (a truth value as 0/1, as SQLite holds it; a
 * json value as its text, as SQLite's JSON functions answer: only a column named …_json is parsed). */
static json_t *value_json(struct query *q, int col)
{
  if (pg_stmt_is_null(q->pg, q->row, col)) return json_null();
  const char *text = pg_stmt_text(q->pg, q->row, col);
  switch (pg_stmt_kind(q->pg, col)) {
  case PG_KIND_INT: return json_integer(strtoll(text, NULL, 10));
  case PG_KIND_REAL: return json_real(strtod(text, NULL));
  case PG_KIND_NUMERIC:  /* a whole number as an integer, as SQLite's sum() of integers answers it */
    if (strchr(text, '.')) return json_real(strtod(text, NULL));
    return whole_json(q, col, text);
  case PG_KIND_BOOL: return json_integer(text[0] == 't');
  default: return json_string(text);
  }
}

/* As store/rows' rows_object: keyed by alias; a column whose name ends in "_json" parsed into the name
 * without the suffix. */
json_t *query_pg_row_object(struct query *q)
{
  if (!q->ran || q->row < 0 || q->row >= pg_stmt_rows(q->pg)) {
    query_fail(q, "a row read with no current row", "");
    return NULL;
  }
  json_t *obj = json_object();
  for (int col = 0; obj && col < pg_stmt_columns(q->pg); col++) {
    const char *name = pg_stmt_column_name(q->pg, col);
    size_t n = strlen(name);
    json_t *v;
    if (n > 5 && strcmp(name + n - 5, "_json") == 0 && !pg_stmt_is_null(q->pg, q->row, col)) {
      v = json_loads(pg_stmt_text(q->pg, q->row, col), JSON_DECODE_ANY, NULL);
      if (v) json_object_setn_new(obj, name, n - 5, v);
      continue;
    }
    v = value_json(q, col);
    if (v) json_object_set_new(obj, name, v);
  }
  return obj;
}

int query_pg_close(struct query *q)
{
  int rc = q->rc;
  forget_blob(q);
  pg_stmt_close(q->pg);
  free(q);
  return rc;
}

int query_pg_write(struct query *q, int64_t *first_col, int64_t *changed)
{
  if (q->rc != DB_OK) return DB_ERROR;
  q->ran = true;
  int rc = pg_stmt_run(q->db, q->pg);
  if (rc != DB_OK) return rc;
  if (first_col && pg_stmt_rows(q->pg) > 0 && pg_stmt_columns(q->pg) > 0)
    *first_col = strtoll(pg_stmt_text(q->pg, 0, 0), NULL, 10);
  if (changed) *changed = pg_stmt_changes(q->pg);
  return DB_OK;
}
