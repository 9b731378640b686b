/* visit_facts — the city's visit coverage (遍访, 5.6) read from month facts (issue 15).
 * household_visit_month (migration 147) counts each village's target households by monitored and
 * by the month of their latest visit; triggers on household keep it in the transaction of every
 * write. Coverage of a period that starts on a month's 1st and reaches today is a sum of these rows
 * (store/visits uses visit_facts_coverage_sql then). Any other period is split (visit_facts_split)
 * into its whole months, counted from visit_month_first (migration 164: per village, month,
 * monitoring and previous visited month), and at most two partial months at its edges, read from
 * the visits of the region's villages by visit(village_code, visited_on, household_id). */
#ifndef ZHUCUN_VISIT_FACTS_H
#define ZHUCUN_VISIT_FACTS_H

#include <stdbool.h>

struct db;
struct strbuf;

/* Whether [from, to] can be answered from the facts: from is a month's 1st and to reaches today. */
bool visit_facts_answer(const char *from, const char *to, const char *today);

/* The coverage statement over the facts: rows (child code, child name, monitored, households,
 * visited since :from; aliased code, name, monitored, households, visited, as are the rows of the
 * statements below, which store/visits reads by alias) for the children of :region (or the village
 * itself), its villages as tv, each child's rows together but neither grouped nor ordered; the caller appends the scope's
 * SCOPE_TEAM bounds, sums the rows of each child and orders the children. 0, or -1 (no memory). */
int visit_facts_coverage_sql(struct strbuf *sql);

/* A period [from, to] as whole months and partial edges. Visits are never dated after today, so a
 * period that reaches today ends with its month. Empty strings mark a part that is not there: the
 * whole months month_from..month_to (YYYY-MM), the edges [edge1_from, edge1_to] before them and
 * [edge2_from, edge2_to] after them (YYYY-MM-DD; a period inside one month is all edge1). */
struct visit_period_parts {
  char month_from[8], month_to[8];
  char edge1_from[11], edge1_to[11], edge2_from[11], edge2_to[11];
};
/* 0, or -1 when a date does not parse. */
int visit_facts_split(const char *from, const char *to, const char *today, struct visit_period_parts *out);

/* The children's target households from household_visit_month: rows (child code, child name,
 * monitored, households, 0), as visit_facts_coverage_sql. */
int visit_facts_totals_sql(struct strbuf *sql);
/* The households first visited within the whole months :month_from..:month_to: rows (child code,
 * child name, monitored, 0, households) from visit_month_first. */
int visit_facts_months_sql(struct strbuf *sql);
/* The households visited in the edge [:edge_from, :edge_to] and neither in [:months_from,
 * :months_to] (the whole months as dates, or the period) nor in the other edge [:other_from,
 * :other_to]: rows (child code, child name, monitored, 0, :sign × households) read from the visits
 * of the villages; the caller appends the scope's bounds, then visit_facts_edge_tail. */
int visit_facts_edge_sql(struct strbuf *sql);
int visit_facts_edge_tail(struct strbuf *sql);

/* Empties household_visit_month and fills it again from the households. DB_OK or DB_ERROR. */
int visit_facts_rebuild(struct db *db);
/* Empties visit_month_first and fills it again from the visits and households. DB_OK or DB_ERROR. */
int visit_facts_months_rebuild(struct db *db);

#endif
