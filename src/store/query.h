/* query — the one way a store function runs SQL (issue 16): named parameters, columns read by their
 * aliases, and a row loop whose end says whether the rows ended or a step failed.
 *
 *   struct query *q = query_open(db, "SELECT id, name FROM unit WHERE region_code = :region");
 *   query_bind_text(q, ":region", code);
 *   while (query_next(q)) use(query_get_int(q, "id"), query_get_text(q, "name"));
 *   return query_close(q);     DB_OK only when the rows ended (or the loop stopped on its own)
 *
 * Why: the store used to bind by position (?3) and read by column number (column 5), which breaks
 * silently when a SELECT gains a column, and each loop decided for itself whether a failed step was the
 * end of the rows. Here a parameter is bound by its name and a column read by its alias; a name the
 * statement does not have is a failure reported through db (logged, counted in db_failures) and makes
 * query_close answer DB_ERROR, so a typo never binds nothing or reads another column. The alias → column
 * lookup is made once per run of a statement (the first row), not per row: a hot loop compares pointers.
 *
 * The calls are those a database server's client takes: on PostgreSQL (libpq) query_open prepares the
 * text once per connection with each :name rewritten to $n (PQprepare), the binds fill the $n values,
 * query_next walks the result of PQexecPrepared, and the aliases are looked up with PQfnumber. Nothing
 * here names SQLite; the SQLite half is query.c.
 *
 * Every call takes a NULL query (a statement that could not be prepared, already reported) and does
 * nothing; query_close(NULL) answers DB_ERROR. A query is freed by query_close, query_exec,
 * query_exec_guarded, query_insert_id, query_rows_json and query_one_json, each of which ends it.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store). */
#ifndef ZHUCUN_QUERY_H
#define ZHUCUN_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

struct query;
struct scope;
struct sql_param;

/* The connection's cached statement for sql, reset; NULL when it cannot be prepared (reported). */
struct query *query_open(struct db *db, const char *sql);

/* Binds :name. query_bind_text with NULL binds NULL; query_bind_int_or_null binds NULL for 0 (an id not given). */
void query_bind_text(struct query *q, const char *name, const char *v);
void query_bind_int(struct query *q, const char *name, int64_t v);
void query_bind_int_or_null(struct query *q, const char *name, int64_t v);
void query_bind_double(struct query *q, const char *name, double v);
void query_bind_null(struct query *q, const char *name);
/* Bytes (a sealed value, a hash, a lookup key): copied at the bind; NULL binds NULL. */
void query_bind_blob(struct query *q, const char *name, const void *v, size_t len);
/* Each of params (store/list_sql's array, shared with a list_query of the same filter), every one of
 * which the statement must name. */
void query_bind_params(struct query *q, const struct sql_param *params, int n);
/* Those of params that the statement names, the others left (as store/list_sql's list_bind): for one
 * filter's array shared by several statements that each name a part of it (store/vw_sql). */
void query_bind_params_used(struct query *q, const struct sql_param *params, int n);
/* The scope's bounds (:scope_*) that scope_sql appended for it. */
void query_bind_scope(struct query *q, const struct scope *scope);

/* Steps to the next row: false at the end of the rows and when a step failed (query_close tells which). */
bool query_next(struct query *q);
/* The current row's column named alias. Text never NULL (empty string); is_null for the NULL test. */
int64_t query_get_int(struct query *q, const char *alias);
double query_get_double(struct query *q, const char *alias);
const char *query_get_text(struct query *q, const char *alias);
bool query_is_null(struct query *q, const char *alias);
/* The current row's bytes in alias (valid until the next query_next or query_close), *len their
 * count; NULL with *len 0 for a NULL column. */
const void *query_get_blob(struct query *q, const char *alias, size_t *len);
/* The current row's first column as an integer (a runner that knows its statement returns one value). */
int64_t query_get_first_int(struct query *q);
/* The current row as a JSON object keyed by alias (store/rows: "_json" columns parsed); a new reference. */
json_t *query_row_object(struct query *q);

/* Ends the query: DB_OK when nothing failed (the rows ended, or the loop stopped at its own limit),
 * DB_ERROR when a bind, a column or a step failed (reported through db). */
int query_close(struct query *q);
/* One-shot writes, each ending the query. query_exec: DB_OK, DB_CONFLICT when a UNIQUE or CHECK refused
 * it, DB_ERROR. query_exec_guarded: also DB_CONFLICT when it changed no row (an UPDATE whose WHERE states
 * the state it expects, as a version). query_insert_id: an INSERT … RETURNING id, *id set on DB_OK. */
int query_exec(struct query *q);
int query_exec_guarded(struct query *q);
/* query_exec that also tells how many rows the write changed (*changed set on DB_OK). */
int query_exec_count(struct query *q, int64_t *changed);
int query_insert_id(struct query *q, int64_t *id);

/* Every row as query_row_object (each passed to fix, NULL: none), in a new array; NULL when anything
 * failed. query_one_json: the first row, NULL when none or on failure (db_failures tells which). */
json_t *query_rows_json(struct query *q, void (*fix)(json_t *row));
json_t *query_one_json(struct query *q, void (*fix)(json_t *row));

/* A page of a list (store/list_sql: count and page in SQL, scope bound) whose rows row() reads by alias;
 * query_get_one: one record by id within scope, as list_get_one. */
typedef json_t *(*query_row_fn)(struct query *q);
json_t *query_list(struct db *db, const char *columns, const char *from_where, const char *order_by,
                   const struct sql_param *params, int nparams, const struct scope *scope, query_row_fn row,
                   int page, int page_size);
json_t *query_get_one(struct db *db, const char *columns, const char *from, const char *id_column,
                      const struct scope *scope, int entity, query_row_fn row, int64_t id);
/* query_list with the total counted as "SELECT count(*) FROM <count_from_where>" (a kept range that counts
 * the same rows from an index alone: store/scope's cadre_scope); NULL counts as query_list does. */
json_t *query_list_counted(struct db *db, const char *count_from_where, const char *columns, const char *from_where,
                           const char *order_by, const struct sql_param *params, int nparams,
                           const struct scope *scope, query_row_fn row, int page, int page_size);

/* A per-connection memo of a count (store/list's totals), keyed by the statement and its parameters;
 * valid until any connection writes (store/db). */
bool query_count_memo_get(struct db *db, const char *key, int64_t *count);
void query_count_memo_put(struct db *db, const char *key, int64_t count);
/* A per-connection memo of a text answer (a region tree's JSON), keyed by the caller; valid until any
 * connection writes (store/db). *text malloc'd, owned by the caller. */
bool query_memo_get(struct db *db, const char *key, char **text);
void query_memo_put(struct db *db, const char *key, const char *text);

#endif
