/* facts — derived tables the roll-ups read instead of the raw events (issue 15).
 *
 * post_day: one row per post (assignment) and day with the counts of that day's in-village acts
 * that presence (2.1, 3.6), the full-coverage analysis and the board compute (see
 * schema/142_post_day.sql). Each check-in adds itself with facts_checkin_added() in the
 * transaction of its insert (store/checkins does it for every writer); facts_rebuild() recomputes
 * every fact table from the base tables — for `zhucun rebuild facts`, after bulk loads, and as the
 * reference the tests compare the incremental tables with. Another fact table joins by adding its
 * own rebuild to facts_rebuild(). */
#ifndef ZHUCUN_STORE_FACTS_H
#define ZHUCUN_STORE_FACTS_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* One act of a post on a CST date (yyyy-mm-dd), at unix second `at`. DB_OK or DB_ERROR. */
struct fact_act {
  int64_t assignment_id, cadre_id;
  const char *village_code, *date;
  int64_t at;
  bool in_fence, reasoned;  /* reasoned: outside the fence with a reason */
};
int facts_checkin_added(struct db *db, const struct fact_act *act);

/* Empties and refills every fact table from the base tables, inside the caller's transaction.
 * *rows (may be NULL): the rows written. DB_OK or DB_ERROR. */
int facts_rebuild(struct db *db, long *rows);

#endif
