/* day_settled — one row per stage, overwritten: only the last day settled matters (a clock moved
 * back to an earlier day is settled again and recorded as it is). */
#include "store/day_settled.h"

#include "store/db.h"
#include "store/query.h"

int day_settled_get(struct db *db, const char *stage, int *day)
{
  *day = 0;
  struct query *q = query_open(db, "SELECT day FROM day_settled WHERE stage = :stage");
  query_bind_text(q, ":stage", stage);
  if (query_next(q)) *day = (int)query_get_int(q, "day");
  return query_close(q);
}

int day_settled_put(struct db *db, const char *stage, int day, int64_t now)
{
  struct query *q = query_open(db,
      "INSERT INTO day_settled (stage, day, settled_at) VALUES (:stage, :day, :now)"
      " ON CONFLICT (stage) DO UPDATE SET day = excluded.day, settled_at = excluded.settled_at");
  query_bind_text(q, ":stage", stage);
  query_bind_int(q, ":day", day);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}
