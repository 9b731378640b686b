/* facts — post_day is kept by the triggers of schema/142_post_day.sql (an upsert per act: counts
 * add up, the first and last in-fence instants take the min and max; a deleted or changed act's
 * day recomputed) and rebuilt here by one GROUP BY over checkin with the same meaning, so both ways
 * give the same rows: tests/api/facts.test.mjs compares them. */
#include "store/facts.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store/db.h"
#include "store/post_month.h"
#include "store/query.h"
#include "store/score_facts.h"
#include "store/visit_facts.h"

static int rebuild_post_day(struct db *db, long *rows)
{
  if (query_exec(query_open(db, "DELETE FROM post_day")) != DB_OK) return DB_ERROR;
  struct query *q = query_open(db,
      "INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,"
      " outside_reasoned, first_in_at, last_in_at)"
      " SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),"
      " sum(in_fence = 0 AND coalesce(reason, '') <> ''),"
      " min(CASE WHEN in_fence <> 0 THEN at END), max(CASE WHEN in_fence <> 0 THEN at END)"
      " FROM checkin GROUP BY assignment_id, date");
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  if (rc == DB_OK && rows) *rows += (long)changed;
  return rc;
}

/* A rebuild that reports no row count of its own: the rows it wrote are its table's count after it. */
static int rebuild_counted(struct db *db, int (*rebuild)(struct db *), const char *table, long *rows)
{
  int rc = rebuild(db);
  if (rc != DB_OK || !rows) return rc;
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM %s", table);
  struct query *q = query_open(db, sql);
  bool found = query_next(q);
  if (found) *rows += (long)query_get_int(q, "n");
  rc = query_close(q);
  return rc == DB_OK && found ? DB_OK : DB_ERROR;
}

int facts_rebuild(struct db *db, long *rows)
{
  if (rows) *rows = 0;
  int rc = rebuild_post_day(db, rows);
  if (rc == DB_OK) rc = rebuild_counted(db, post_month_rebuild, "post_month", rows);
  if (rc == DB_OK) rc = rebuild_counted(db, score_facts_rebuild, "checkin_month_days", rows);
  if (rc == DB_OK) rc = rebuild_counted(db, visit_facts_rebuild, "household_visit_month", rows);
  if (rc == DB_OK) rc = rebuild_counted(db, visit_facts_months_rebuild, "visit_month_first", rows);
  return rc;
}
