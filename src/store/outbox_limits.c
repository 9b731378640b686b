/* outbox_limits — see outbox_limits.h. */
#include "store/outbox_limits.h"

#include "store/db_sqlite.h"
#include "store/outbox.h"

static int64_t window_start(int64_t now, int seconds) { return now - now % seconds; }

/* Messages the channel sent since from. */
static int channel_sent(struct db *db, int64_t channel_id, int64_t from, int64_t *count)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM outbox WHERE channel_id = ?1 AND status = 'sent' AND sent_at >= ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, channel_id);
  sqlite3_bind_int64(st, 2, from);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : db_step_result(db, rc);
}

/* The most robot messages any recipient of the event has had since from. */
static int busiest_recipient(struct db *db, int64_t event_id, int64_t from, int64_t *count)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM notification mine"
      " JOIN notification other ON other.user_id = mine.user_id JOIN outbox o ON o.event_id = other.event_id"
      " WHERE mine.event_id = ?1 AND o.status = 'sent' AND o.sent_at >= ?2 GROUP BY mine.user_id)");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, event_id);
  sqlite3_bind_int64(st, 2, from);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : db_step_result(db, rc);
}

int outbox_hold_until(struct db *db, const struct notify_settings *s, int64_t event_id, int64_t channel_id,
                      int64_t now, int64_t *until)
{
  int64_t count = 0;
  *until = 0;
  if (s->channel_limit > 0 && s->channel_window_seconds > 0) {
    int64_t from = window_start(now, s->channel_window_seconds);
    int rc = channel_sent(db, channel_id, from, &count);
    if (rc != DB_OK) return rc;
    if (count >= s->channel_limit) *until = from + s->channel_window_seconds;
  }
  if (s->user_limit > 0 && s->user_window_seconds > 0) {
    int64_t from = window_start(now, s->user_window_seconds);
    int rc = busiest_recipient(db, event_id, from, &count);
    if (rc != DB_OK) return rc;
    if (count >= s->user_limit && from + s->user_window_seconds > *until) *until = from + s->user_window_seconds;
  }
  return DB_OK;
}

int outbox_postpone(struct db *db, int64_t id, int64_t next_at)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET next_at = ?2 WHERE id = ?1 AND status = 'pending'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, next_at);
  return db_update_guarded(db, st);
}
