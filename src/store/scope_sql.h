/* scope_sql — a scope (store/scope.h) as SQL: the bounds a query appends for its entity and the
 * :scope_* parameters it binds, with the table aliases scope.h lists for each entity.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store); outside it a
 * scope is only data that the store is handed (tests/check_seam.sh). */
#ifndef ZHUCUN_SCOPE_SQL_H
#define ZHUCUN_SCOPE_SQL_H

#include <sqlite3.h>

#include "store/scope.h"
#include "util/strbuf.h"

/* Appends " AND (...)" bounding entity to the scope. Uses named parameters :scope_*. */
int scope_sql(const struct scope *scope, enum scope_entity entity, struct strbuf *sql);
/* The bounds of the cadres list (store/cadres): as scope_sql's SCOPE_CADRE, except that the cadres of
 * the province or a city are the kept index range cadre_scope (migration 173), read in id order, so
 * that a page stops after its rows. Not for a single record (the range would be read whole). */
int scope_cadre_list_sql(const struct scope *scope, struct strbuf *sql);
/* The FROM/WHERE text whose count(*) is the number of cadres in the scope from the index alone, when
 * the scope is a province or a city (cadre_scope); NULL otherwise. */
const char *scope_cadre_count_from(const struct scope *scope);
/* Binds the :scope_* parameters that the statement uses. */
int scope_bind(const struct scope *scope, sqlite3_stmt *st);

#endif
