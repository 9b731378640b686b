/* day_settled — one row per stage, overwritten: only the last day settled matters (a clock moved
 * back to an earlier day is settled again and recorded as it is). */
#include "store/day_settled.h"

#include <sqlite3.h>

#include "store/db.h"
#include "store/db_sqlite.h"

int day_settled_get(struct db *db, const char *stage, int *day)
{
  *day = 0;
  sqlite3_stmt *st = db_stmt(db, "SELECT day FROM day_settled WHERE stage = ?");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *day = sqlite3_column_int(st, 0);
  int out = db_step_result(db, rc);
  sqlite3_reset(st);
  return out;
}

int day_settled_put(struct db *db, const char *stage, int day, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO day_settled (stage, day, settled_at) VALUES (?, ?, ?)"
      " ON CONFLICT (stage) DO UPDATE SET day = excluded.day, settled_at = excluded.settled_at");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, day);
  sqlite3_bind_int64(st, 3, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}
