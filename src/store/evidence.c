/* evidence — the rows the obligation engine counts, and the month lock (see evidence.h). */
#include "store/evidence.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/query.h"

int evidence_add(struct db *db, const struct evidence *e, int64_t now)
{
  struct query *q = query_open(db,
    "INSERT INTO obligation_evidence (kind, party_type, party_id, done_on, amount, record_type, record_id,"
    " recorded_at) VALUES (:kind, :party_type, :party_id, :done_on, :amount, :record_type, :record_id, :now)");
  query_bind_text(q, ":kind", e->kind);
  query_bind_text(q, ":party_type", e->party_type);
  query_bind_text(q, ":party_id", e->party_id);
  query_bind_text(q, ":done_on", e->done_on);
  if (e->has_amount) query_bind_double(q, ":amount", e->amount);
  else query_bind_null(q, ":amount");
  query_bind_text(q, ":record_type", e->record_type);
  query_bind_int(q, ":record_id", e->record_id);
  query_bind_int(q, ":now", now);
  return query_exec(q); /* DB_OK, DB_CONFLICT or DB_ERROR */
}

int evidence_revoke(struct db *db, const char *record_type, int64_t record_id, int64_t now)
{
  struct query *q = query_open(db,
    "UPDATE obligation_evidence SET revoked_at = :now"
    " WHERE record_type = :record_type AND record_id = :record_id AND revoked_at IS NULL");
  query_bind_text(q, ":record_type", record_type);
  query_bind_int(q, ":record_id", record_id);
  query_bind_int(q, ":now", now);
  /* callers know no conflict here: whatever failed is DB_ERROR, as it always was */
  return query_exec(q) == DB_OK ? DB_OK : DB_ERROR;
}

/* The last day a record of date's month may change without an unlock. */
static int lock_day_for(int date, int lock_days, int *out)
{
  int month_end = date_make(date_year(date), date_month(date),
                            date_days_in_month(date_year(date), date_month(date)));
  int last = date_add_days(month_end, lock_days);
  if (last < 0) return DB_ERROR;
  *out = last;
  return DB_OK;
}

/* True when a reopening of date's month on a region containing region_path lasts until today. */
static int month_unlocked(struct db *db, int date, const char *today, const char *region_path, bool *open)
{
  char month[8];
  snprintf(month, sizeof month, "%04d-%02d", date_year(date), date_month(date));
  struct query *q = query_open(db,
    "SELECT 1 AS unlocked FROM period_unlock u JOIN region r ON r.code = u.region_code"
    " WHERE u.month = :month AND u.until >= :today AND substr(:path, 1, length(r.path)) = r.path LIMIT 1");
  query_bind_text(q, ":month", month);
  query_bind_text(q, ":today", today);
  query_bind_text(q, ":path", region_path ? region_path : "");
  bool found = query_next(q);
  int rc = query_close(q);
  if (rc != DB_OK) return DB_ERROR;
  *open = found;
  return DB_OK;
}

int evidence_month_locked(struct db *db, const char *date, const char *today, int lock_days,
                          const char *region_path, bool *locked)
{
  int d, t, last;
  if (date_parse_iso(date, &d) != 0 || date_parse_iso(today, &t) != 0) return DB_ERROR;
  if (lock_day_for(d, lock_days, &last) != DB_OK) return DB_ERROR;
  *locked = false;
  if (t <= last) return DB_OK;
  bool open = false;
  if (month_unlocked(db, d, today, region_path, &open) != DB_OK) return DB_ERROR;
  *locked = !open;
  return DB_OK;
}
