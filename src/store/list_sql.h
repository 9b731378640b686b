/* list_sql — one way to run a paginated, filtered, scoped list query: a count and a page, both
 * in SQL, with named parameters. Every list of the store goes through here.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store); outside it,
 * store/list.h gives the page bounds (tests/check_seam.sh). */
#ifndef ZHUCUN_LIST_SQL_H
#define ZHUCUN_LIST_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/list.h"

struct db;
struct scope;

struct sql_param {
  const char *name;      /* ":q" */
  const char *text;      /* bound as text when not NULL */
  int64_t integer;       /* bound as integer otherwise */
};

struct query;
/* Reads the current row of a list's query by alias (store/query), e.g. query_row_object. */
typedef json_t *(*row_to_json_fn)(struct query *q);

/* Runs "SELECT count(*) FROM <from_where>" and "SELECT <columns> FROM <from_where> ORDER BY
 * <order_by> LIMIT/OFFSET". page_size 0 means every row (exports), up to LIST_EXPORT_MAX_ROWS.
 * Returns {"items","total","page","page_size"} or NULL on a database error. */
json_t *list_query(struct db *db, const char *columns, const char *from_where, const char *order_by,
                   const struct sql_param *params, int nparams, const struct scope *scope,
                   row_to_json_fn row_to_json, int page, int page_size);

/* As list_query, with the total counted as "SELECT count(*) FROM <count_from_where>": another text
 * that the caller knows to hold exactly the rows of from_where (e.g. the scope's kept index range when
 * no filter narrows it, store/cadres), cheaper to count. count_from_where NULL: from_where. */
json_t *list_query_counted(struct db *db, const char *count_from_where, const char *columns,
                           const char *from_where, const char *order_by, const struct sql_param *params,
                           int nparams, const struct scope *scope, row_to_json_fn row_to_json, int page,
                           int page_size);

/* One record by id, within scope: "SELECT <columns> FROM <from> WHERE <id_column> = :id" plus the
 * scope's bounds for entity. NULL when absent or out of scope (404), and NULL when the read failed: that
 * failure is reported through db (db_failures grows), so that the caller answers 500, not 404. */
json_t *list_get_one(struct db *db, const char *columns, const char *from, const char *id_column,
                     const struct scope *scope, int entity, row_to_json_fn row_to_json, int64_t id);


#endif
