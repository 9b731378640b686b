/* analysis — the full-coverage analysis of cadres' performance (全覆盖分析, 2.7): every cadre in
 * scope, one row each, with presence (2.1), 吃住在村 (3.6), leave, work logs by duty (5.1) and the
 * reminders already given; and the same figures rolled up by the next level down, so an official
 * drills city → county → township → village. Built on the presence rows; a few GROUP BY queries
 * for the rest, never a query per cadre. */
#ifndef ZHUCUN_ANALYSIS_H
#define ZHUCUN_ANALYSIS_H

#include <jansson.h>

struct db;
struct scope;

/* Adds to each presence row (items, borrowed) the month's counts: logs per duty and in all,
 * leaves asked, and whatever the optional tables hold (violations, reminders). first/last: ISO. */
int analysis_enrich(struct db *db, const struct scope *scope, json_t *items, const char *first, const char *last);

/* Groups rows by the child of `region` (or of the scope's root when NULL) that holds their
 * village: [{code, name, level, cadres, meets_minimum, days_in_village, working_days, logs, ...}]. */
json_t *analysis_rollup(struct db *db, const struct scope *scope, json_t *items, const char *region);

#endif
