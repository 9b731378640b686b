/* vw_sql — see vw_sql.h. Runners over store/query, so that the village-work stores run on either
 * backend: a filter's array binds the parameters each statement names (one array serves several
 * statements), the scope its bounds; every runner ends its query. */
#include "store/vw_sql.h"

#include "store/query.h"

static struct query *open_bound(struct db *db, const char *sql, const struct sql_param *params, int n,
                                const struct scope *scope)
{
  struct query *q = query_open(db, sql);
  query_bind_params_used(q, params, n);
  query_bind_scope(q, scope);
  return q;
}

json_t *vw_rows(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope)
{
  return query_rows_json(open_bound(db, sql, params, n, scope), NULL);
}

json_t *vw_row(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope)
{
  /* no row: NULL with db_failures unchanged; a failed read: NULL, reported */
  return query_one_json(open_bound(db, sql, params, n, scope), NULL);
}

int vw_int(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope,
           int64_t *out)
{
  struct query *q = open_bound(db, sql, params, n, scope);
  bool found = query_next(q);
  if (found) *out = query_get_first_int(q);
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int vw_exec(struct db *db, const char *sql, const struct sql_param *params, int n, int64_t *id)
{
  struct query *q = open_bound(db, sql, params, n, NULL);
  int64_t got = 0;
  int rc = query_insert_id(q, &got);
  if (rc == DB_OK && id) *id = got;
  return rc;
}

int vw_update(struct db *db, const char *sql, const struct sql_param *params, int n)
{
  return query_exec_guarded(open_bound(db, sql, params, n, NULL));
}
