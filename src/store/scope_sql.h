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
/* Binds the :scope_* parameters that the statement uses. */
int scope_bind(const struct scope *scope, sqlite3_stmt *st);

#endif
