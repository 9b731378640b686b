/* scope_sql — a scope (store/scope.h) as SQL: the bounds a query appends for its entity and the
 * :scope_* parameters it binds, with the table aliases scope.h lists for each entity.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store); outside it a
 * scope is only data that the store is handed (tests/check_seam.sh). */
#ifndef ZHUCUN_SCOPE_SQL_H
#define ZHUCUN_SCOPE_SQL_H

#include "store/list_sql.h"
#include "store/scope.h"
#include "util/strbuf.h"

/* Appends " AND (...)" bounding entity to the scope. Uses named parameters :scope_*. */
int scope_sql(const struct scope *scope, enum scope_entity entity, struct strbuf *sql);
/* The cadres list (store/cadres) of the province or a city reads the kept prefixes cadre_scope (migration
 * 173) as its first table, aliased ss, in id order (ORDER BY ss.cadre_id), so that a page stops after
 * its rows: scope_cadres_kept tells when, and scope_cadre_list_sql appends the bounds (with ss joined to c
 * when kept, as scope_sql's SCOPE_CADRE otherwise). Not for a single record. */
bool scope_cadres_kept(const struct scope *scope);
int scope_cadre_list_sql(const struct scope *scope, struct strbuf *sql);
/* The FROM/WHERE text whose count(*) is the number of cadres in the scope from the index alone, when
 * the scope is a province or a city (cadre_scope); NULL otherwise. */
const char *scope_cadre_count_from(const struct scope *scope);
/* The :scope_* parameters of the scope, each as store/list_sql's sql_param (the paths as text, the ids
 * as integers): what a statement that scope_sql bounded may name. */
#define SCOPE_NPARAMS 6
void scope_params(const struct scope *scope, struct sql_param out[SCOPE_NPARAMS]);

#endif
