/* evidence — the rows the obligation engine counts, and the month lock (see evidence.h). */
#include "store/evidence.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/db_sqlite.h"

int evidence_add(struct db *db, const struct evidence *e, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
    "INSERT INTO obligation_evidence (kind, party_type, party_id, done_on, amount, record_type, record_id,"
    " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, e->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, e->party_type, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, e->party_id, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, e->done_on, -1, SQLITE_STATIC);
  if (e->has_amount) sqlite3_bind_double(st, 5, e->amount);
  else sqlite3_bind_null(st, 5);
  sqlite3_bind_text(st, 6, e->record_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 7, e->record_id);
  sqlite3_bind_int64(st, 8, now);
  return db_step_result(db, sqlite3_step(st)); /* DB_OK, DB_CONFLICT or DB_ERROR */
}

int evidence_revoke(struct db *db, const char *record_type, int64_t record_id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
    "UPDATE obligation_evidence SET revoked_at = ?3"
    " WHERE record_type = ?1 AND record_id = ?2 AND revoked_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, record_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, record_id);
  sqlite3_bind_int64(st, 3, now);
  return sqlite3_step(st) == SQLITE_DONE ? DB_OK : DB_ERROR;
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
  sqlite3_stmt *st = db_stmt(db,
    "SELECT 1 FROM period_unlock u JOIN region r ON r.code = u.region_code"
    " WHERE u.month = ?1 AND u.until >= ?2 AND substr(?3, 1, length(r.path)) = r.path LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, month, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, region_path ? region_path : "", -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return DB_ERROR;
  *open = rc == SQLITE_ROW;
  sqlite3_reset(st);
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
