/* outbox_limits — see outbox_limits.h. */
#include "store/outbox_limits.h"

#include "store/outbox.h"
#include "store/query.h"

static int64_t window_start(int64_t now, int seconds) { return now - now % seconds; }

/* Messages the channel sent since from. */
static int channel_sent(struct db *db, int64_t channel_id, int64_t from, int64_t *count)
{
  struct query *q = query_open(db,
      "SELECT count(*) AS sent FROM outbox WHERE channel_id = :channel AND status = 'sent' AND sent_at >= :from");
  query_bind_int(q, ":channel", channel_id);
  query_bind_int(q, ":from", from);
  if (query_next(q)) *count = query_get_int(q, "sent");
  return query_close(q);
}

/* The most robot messages any recipient of the event has had since from. */
static int busiest_recipient(struct db *db, int64_t event_id, int64_t from, int64_t *count)
{
  struct query *q = query_open(db,
      "SELECT coalesce(max(c), 0) AS most FROM (SELECT count(*) AS c FROM notification mine"
      " JOIN notification other ON other.user_id = mine.user_id JOIN outbox o ON o.event_id = other.event_id"
      " WHERE mine.event_id = :event AND o.status = 'sent' AND o.sent_at >= :from GROUP BY mine.user_id) AS per_user");
  query_bind_int(q, ":event", event_id);
  query_bind_int(q, ":from", from);
  if (query_next(q)) *count = query_get_int(q, "most");
  return query_close(q);
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
  struct query *q = query_open(db, "UPDATE outbox SET next_at = :next_at WHERE id = :id AND status = 'pending'");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":next_at", next_at);
  return query_exec_guarded(q);
}
