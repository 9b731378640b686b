/* post_month — the rebuild writes each slot with the very expression of the migration's first fill
 * (schema/160_post_month.sql), one aggregate per post and month: the day d of a group takes the
 * slot of its post_day row, an empty slot when there is none. The decoder reads the slots back. */
#include "store/post_month.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/db.h"
#include "store/query.h"
#include "util/strbuf.h"

int post_month_rebuild(struct db *db)
{
  if (query_exec(query_open(db, "DELETE FROM post_month")) != DB_OK) return DB_ERROR;
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "INSERT INTO post_month (assignment_id, month, days) SELECT a, m, ");
  for (int d = 1; d <= POST_MONTH_DAYS; d++)
    rc |= strbuf_appendf(&sql, "%scoalesce(max(iif(d = %d, s, NULL)), '099999999')", d > 1 ? " || " : "", d);
  rc |= strbuf_appendf(&sql,
      " FROM (SELECT assignment_id AS a, substr(date, 1, 7) AS m, CAST(substr(date, 9, 2) AS INTEGER) AS d,"
      " printf('%%d%%04d%%04d', 1 + CASE WHEN in_fence_acts > 0 THEN 1 ELSE 0 END"
      " + 2 * CASE WHEN outside_reasoned > 0 THEN 1 ELSE 0 END,"
      " coalesce((first_in_at + 28800) %% 86400 / 60, 9999), coalesce((last_in_at + 28800) %% 86400 / 60, 9999)) AS s"
      " FROM post_day) AS pd GROUP BY a, m");
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  return query_exec(q);
}

static int digits4(const char *s)
{
  int v = 0;
  for (int i = 0; i < 4; i++) v = v * 10 + (s[i] - '0');
  return v;
}

size_t post_month_decode(const char *days, int year, int month, struct presence_day *out)
{
  if (!days || strlen(days) < POST_MONTH_SLOT * POST_MONTH_DAYS) return 0;
  int last = date_days_in_month(year, month);
  size_t n = 0;
  for (int d = 1; d <= last && d <= POST_MONTH_DAYS; d++) {
    const char *s = days + (d - 1) * POST_MONTH_SLOT;
    int flags = s[0] - '1';  /* 1 + in-fence + 2 × off site with a reason; '0': no row */
    if (flags < 0 || flags > 3 || flags == 0) continue;
    int first = digits4(s + 1), lastm = digits4(s + 5);
    out[n++] = (struct presence_day){date_make(year, month, d), (flags & 1) != 0, (flags & 2) != 0,
                                     first <= 1439 ? first : -1, lastm <= 1439 ? lastm : -1};
  }
  return n;
}
