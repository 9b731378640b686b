/* facts — post_day is kept by an upsert per act (counts add up, the first and last in-fence
 * instants take the min and max) and rebuilt by one GROUP BY over checkin with the same meaning,
 * so both ways give the same rows: the test tests/api/facts.test.mjs compares them. */
#include "store/facts.h"

#include <sqlite3.h>

#include "store/db.h"

int facts_checkin_added(struct db *db, const struct fact_act *act)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,"
      " outside_reasoned, first_in_at, last_in_at)"
      " VALUES (?1, ?2, ?3, ?4, 1, ?5, 1 - ?5, ?6, CASE WHEN ?5 THEN ?7 END, CASE WHEN ?5 THEN ?7 END)"
      " ON CONFLICT (assignment_id, date) DO UPDATE SET acts = acts + 1,"
      " in_fence_acts = in_fence_acts + excluded.in_fence_acts, outside_acts = outside_acts + excluded.outside_acts,"
      " outside_reasoned = outside_reasoned + excluded.outside_reasoned,"
      " first_in_at = coalesce(min(first_in_at, excluded.first_in_at), first_in_at, excluded.first_in_at),"
      " last_in_at = coalesce(max(last_in_at, excluded.last_in_at), last_in_at, excluded.last_in_at)");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, act->assignment_id);
  sqlite3_bind_text(st, 2, act->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, act->cadre_id);
  sqlite3_bind_text(st, 4, act->village_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 5, act->in_fence ? 1 : 0);
  sqlite3_bind_int(st, 6, !act->in_fence && act->reasoned ? 1 : 0);
  sqlite3_bind_int64(st, 7, act->at);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

static int rebuild_post_day(struct db *db, long *rows)
{
  int rc = db_exec(db, "DELETE FROM post_day");
  sqlite3_stmt *st = rc == DB_OK ? db_stmt(db,
      "INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,"
      " outside_reasoned, first_in_at, last_in_at)"
      " SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),"
      " sum(in_fence = 0 AND coalesce(reason, '') <> ''),"
      " min(CASE WHEN in_fence THEN at END), max(CASE WHEN in_fence THEN at END)"
      " FROM checkin GROUP BY assignment_id, date") : NULL;
  if (!st) return DB_ERROR;
  rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  if (rc == DB_OK && rows) *rows += sqlite3_changes(db_sqlite(db));
  return rc;
}

int facts_rebuild(struct db *db, long *rows)
{
  if (rows) *rows = 0;
  return rebuild_post_day(db, rows);
}
