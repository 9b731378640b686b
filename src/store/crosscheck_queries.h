/* crosscheck_queries — the SQL text behind each named cross-check query (core/crosscheck_rules
 * names them; store/crosscheck runs them). The queries only read; each is bounded by the caller's
 * scope and run with a row cap by store/crosscheck.c.
 *
 * Each query selects, in order and under these aliases: the record's id (id), its village code
 * (village_code), village name (village_name), a title, who (title), and a detail, why (detail); and uses the scope aliases of its entity (households: h and tv; cadres'
 * assignments: a and ar). It may use :threshold (monitoring_income_threshold) and :factor. Its
 * text is FROM … WHERE … without the scope bounds, which the store appends with AND. */
#ifndef ZHUCUN_CROSSCHECK_QUERIES_H
#define ZHUCUN_CROSSCHECK_QUERIES_H

#include "core/crosscheck_rules.h"

struct crosscheck_sql {
  const char *sql;       /* the query */
  const char *sql_local; /* the same walking the region's villages first, for a county or less; NULL: sql */
};

/* The SQL of a named query, or NULL for a value outside the enum. */
const struct crosscheck_sql *crosscheck_sql(enum crosscheck_rule query);

#endif
