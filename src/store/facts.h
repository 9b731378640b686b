/* facts — derived tables the roll-ups read instead of the raw events (issue 15).
 *
 * post_day: one row per post (assignment) and day with the counts of that day's in-village acts
 * that presence (2.1, 3.6), the full-coverage analysis and the board compute. Triggers on checkin
 * (schema/142_post_day.sql) keep it in the transaction of every insert, change or deletion,
 * whoever writes (handlers, the demo generator, an operator's SQL); facts_rebuild() recomputes
 * every fact table from the base tables — for `zhucun rebuild facts`, after bulk loads, and as the
 * reference the tests compare the incremental tables with. The same function rebuilds the unit
 * scores' checkin_month_days (store/score_facts), the posts' months post_month (store/post_month: the
 * days of post_day packed one row per post and month, what presence and the analysis read) and visit coverage's household_visit_month
 * (store/visit_facts); another fact table joins by adding its own rebuild to facts_rebuild(). */
#ifndef ZHUCUN_STORE_FACTS_H
#define ZHUCUN_STORE_FACTS_H

struct db;

/* Empties and refills every fact table from the base tables, inside the caller's transaction.
 * *rows (may be NULL): the rows written. DB_OK or DB_ERROR. */
int facts_rebuild(struct db *db, long *rows);

#endif
