/* vw_sql — small runners of named-parameter SQL for the village-work stores (cases, meetings,
 * activities, plans): a statement's rows as a JSON array (columns named by their AS aliases,
 * through rows_object), one row, one integer, or a write. Scope bounds are bound when the
 * statement names them (:scope_*), so a store appends scope_sql() and passes its scope.
 *
 * Store-internal: included only inside src/store (tests/check_seam.sh). */
#ifndef ZHUCUN_VW_SQL_H
#define ZHUCUN_VW_SQL_H

#include <jansson.h>
#include <stdint.h>

#include "store/list_sql.h"

struct db;
struct scope;

/* Every row as an object, in an array (owned by the caller); NULL on a database error. */
json_t *vw_rows(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope);
/* The first row, or NULL when none, or NULL on a database error (reported through db: db_failures). */
json_t *vw_row(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope);
/* The first column of the first row as an integer; DB_NOT_FOUND when no row. */
int vw_int(struct db *db, const char *sql, const struct sql_param *params, int n, const struct scope *scope,
           int64_t *out);
/* Runs a write; with RETURNING, *id gets the first column of its row (id may be NULL).
 * DB_OK, DB_CONFLICT (a UNIQUE or CHECK refused it) or DB_ERROR. */
int vw_exec(struct db *db, const char *sql, const struct sql_param *params, int n, int64_t *id);
/* Like vw_exec, but DB_CONFLICT when the statement changed no row (a guarded UPDATE). */
int vw_update(struct db *db, const char *sql, const struct sql_param *params, int n);

#endif
