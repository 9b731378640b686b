/* visit_facts — the city's visit coverage (遍访, 5.6) read from month facts (issue 15).
 * household_visit_month (migration 147) counts each village's target households by monitored and
 * by the month of their latest visit; triggers on household keep it in the transaction of every
 * write. Coverage of a period that starts on a month's 1st and reaches today is a sum of these rows
 * (store/visits uses visit_facts_coverage_sql then); other periods read the households. */
#ifndef ZHUCUN_VISIT_FACTS_H
#define ZHUCUN_VISIT_FACTS_H

#include <stdbool.h>

struct db;
struct strbuf;

/* Whether [from, to] can be answered from the facts: from is a month's 1st and to reaches today. */
bool visit_facts_answer(const char *from, const char *to, const char *today);

/* The coverage statement over the facts: rows (child code, child name, monitored, households,
 * visited since :from) for the children of :region (or the village itself), its villages as tv,
 * each child's rows together but neither grouped nor ordered; the caller appends the scope's
 * SCOPE_TEAM bounds, sums the rows of each child and orders the children. 0, or -1 (no memory). */
int visit_facts_coverage_sql(struct strbuf *sql);

/* Empties household_visit_month and fills it again from the households. DB_OK or DB_ERROR. */
int visit_facts_rebuild(struct db *db);

#endif
