/* list — one way to run a paginated, filtered, scoped list query: a count and a page, both
 * in SQL, with named parameters. Every list endpoint goes through here. */
#ifndef ZHUCUN_LIST_H
#define ZHUCUN_LIST_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

struct sql_param {
  const char *name;      /* ":q" */
  const char *text;      /* bound as text when not NULL */
  int64_t integer;       /* bound as integer otherwise */
};

typedef json_t *(*row_to_json_fn)(sqlite3_stmt *st);

#define LIST_MAX_PAGE_SIZE 200
#define LIST_EXPORT_MAX_ROWS 200000

/* Runs "SELECT count(*) FROM <from_where>" and "SELECT <columns> FROM <from_where> ORDER BY
 * <order_by> LIMIT/OFFSET". page_size 0 means every row (exports), up to LIST_EXPORT_MAX_ROWS.
 * Returns {"items","total","page","page_size"} or NULL on a database error. */
json_t *list_query(struct db *db, const char *columns, const char *from_where, const char *order_by,
                   const struct sql_param *params, int nparams, const struct scope *scope,
                   row_to_json_fn row_to_json, int page, int page_size);

/* An export's rows, one at a time (http/handlers streams them into the workbook): set before the
 * store's list call, the next list_query for every row (page_size 0) hands each row to fn instead of
 * keeping it, answers with no items (total as ever), and clears the sink. Per thread: a request is
 * answered on one thread. fn returns 0, or -1 to stop (the list is then NULL). The row is the
 * sink's (it is freed after the call). */
typedef int (*list_sink_fn)(void *ctx, json_t *row);
void list_sink_set(list_sink_fn fn, void *ctx);

/* One record by id, within scope: "SELECT <columns> FROM <from> WHERE <id_column> = :id" plus the
 * scope's bounds for entity. NULL when absent or out of scope (the caller answers 404 either way). */
json_t *list_get_one(struct db *db, const char *columns, const char *from, const char *id_column,
                     const struct scope *scope, int entity, row_to_json_fn row_to_json, int64_t id);

/* Binds each named parameter the statement uses. */
void list_bind(sqlite3_stmt *st, const struct sql_param *params, int nparams);

#endif
