/* score_facts — the unit attendance score (单位考评计分, 2.6) read from month facts (issue 15).
 * checkin_month_days (migration 146) holds, per cadre and month, the days with an in-village act
 * as a bit mask; triggers on checkin keep it in the transaction of every write. The score of a
 * month reads the posts in scope (one row each, with the cadre's mask of that month), the month's
 * calendar and the approved leaves overlapping it, and counts the days in C: no probe of the
 * check-ins per cadre and day, no scan of checkin. */
#ifndef ZHUCUN_SCORE_FACTS_H
#define ZHUCUN_SCORE_FACTS_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct scope;
struct score_query;
struct strbuf;

/* The days of one dispatching unit's posts in the period (see scores_list_json in discipline.h). */
struct unit_days {
  int64_t unit_id;
  int cadres, posts, working_days, days_in_village, leave_days;
};

/* Every unit with a post in scope in q's period (within one month), ordered by unit id.
 * bounds: the SQL that narrows assignment a (its village ar) by region and scope; its
 * parameters are :region and the scope's. *out is malloc'ed (free it). DB_OK or DB_ERROR. */
int score_facts_unit_days(struct db *db, const struct scope *scope, const struct score_query *q,
                          const char *bounds, struct unit_days **out, size_t *n);

/* The posts' statement (unit, cadre, first and last day in the period, the cadre's in-village mask
 * of the month), by unit and cadre; bounds as above. For the plan test too. 0 or -1 (no memory). */
int score_facts_posts_sql(struct strbuf *sql, const char *bounds);

/* The other two statements (the month's calendar, the leaves overlapping it), for the plan test. */
extern const char *const SCORE_FACTS_CALENDAR_SQL, *const SCORE_FACTS_LEAVE_SQL;

/* Empties checkin_month_days and fills it again from the check-ins, in the caller's transaction
 * (or its own statement). The incremental table must always equal this. DB_OK or DB_ERROR. */
int score_facts_rebuild(struct db *db);

#endif
