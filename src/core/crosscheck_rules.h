/* crosscheck_rules — the SQL behind each numbered data-quality rule (疑点比对, 5.6–5.8).
 *
 * The rules themselves — number, Chinese description, clause, thresholds — are rows of the
 * policy file (parameter "cross_check_rules"); this table holds, per rule code, the query that
 * finds its suspect records. A rule in the file with no query here is refused when the policy
 * loads (crosscheck_rules_check), so a row of data can never promise a check that does not run.
 *
 * Each query selects, in order: the record's id, its village code, village name, a title (who)
 * and a detail (why), and uses the scope aliases of its entity (households: h and tv; cadres'
 * assignments: a and ar). It may use :threshold (monitoring_income_threshold) and :factor. */
#ifndef ZHUCUN_CROSSCHECK_RULES_H
#define ZHUCUN_CROSSCHECK_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum crosscheck_entity { CROSSCHECK_HOUSEHOLD, CROSSCHECK_ASSIGNMENT };

struct crosscheck_query {
  const char *code;
  enum crosscheck_entity entity;
  const char *sql;          /* FROM … WHERE … without the scope bounds (appended by the store) */
  const char *sql_local;    /* the same walking the region's villages first, for a county or less; NULL: sql */
  bool open_cases_excluded; /* R3: households with an open monitoring case (5.7) are not suspect */
};

/* The query of rule code, or NULL. */
const struct crosscheck_query *crosscheck_query(const char *code);
/* Checks the value of "cross_check_rules": an array of {code, number, name_zh, description_zh,
 * clause (<= 7 chars), factor (optional number > 0)} whose codes are distinct and all known here. */
bool crosscheck_rules_check(const json_t *v, char *why, size_t whylen);

#endif
