/* notify_digest — see notify_digest.h. */
#include "store/notify_digest.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/query.h"

#define DIGEST_USERS 32  /* accounts gathered per round; the rest come in the next */
#define DIGEST_LINES 20  /* messages listed in one digest; the count covers them all */
#define DIGEST_BODY 6144

int notify_digest_enqueue(struct db *db, int64_t event_id)
{
  struct query *q = query_open(db,
      "INSERT INTO notification_digest (notification_id, user_id, created_at)"
      " SELECT n.id, n.user_id, ev.created_at FROM notification n JOIN notification_event ev ON ev.id = n.event_id"
      " JOIN notification_pref p ON p.user_id = n.user_id AND p.kind = ev.kind"
      " WHERE n.event_id = :event AND p.robots = 1 AND p.digest = 1 ON CONFLICT DO NOTHING");
  query_bind_int(q, ":event", event_id);
  return query_exec(q);
}

/* The instant of today's digest time (China Standard Time) and today's date; -1 when hhmm is unusable. */
static int64_t digest_instant(int64_t now, const char *hhmm, char day[DATE_ISO_SIZE])
{
  int h, m;
  if (!hhmm || sscanf(hhmm, "%2d:%2d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59) return -1;
  if (date_format_iso(date_from_unix_cst((time_t)now), day) != 0) return -1;
  int64_t day_start = now - (now + 8 * 3600) % 86400;
  return day_start + h * 3600 + m * 60;
}

/* The waiting messages of a user from before cutoff that channel covers (the same rule as the fan-out). */
#define WAITING \
  " FROM notification_digest d JOIN notification n ON n.id = d.notification_id" \
  " JOIN notification_event ev ON ev.id = n.event_id" \
  " WHERE d.user_id = :user AND d.digested_day IS NULL AND d.created_at < :cutoff" \
  " AND (c.region_code IS NULL OR ev.region_code LIKE c.region_code || '%')"

/* "张三，以下 N 条消息按您选择的“每日汇总”送达：1. …  共 N 条，详情请登录系统查看“消息”。" */
static int digest_body(struct db *db, int64_t user, int64_t cutoff, int64_t channel, char *out, size_t len, int *count)
{
  struct query *q = query_open(db,
      "SELECT ev.title AS title, ev.body AS body, (SELECT display_name FROM \"user\" WHERE id = :user) AS who"
      " FROM notification_channel c, notification_digest d JOIN notification n ON n.id = d.notification_id"
      " JOIN notification_event ev ON ev.id = n.event_id WHERE c.id = :channel AND d.user_id = :user"
      " AND d.digested_day IS NULL AND d.created_at < :cutoff"
      " AND (c.region_code IS NULL OR ev.region_code LIKE c.region_code || '%') ORDER BY d.created_at, d.notification_id");
  query_bind_int(q, ":user", user);
  query_bind_int(q, ":cutoff", cutoff);
  query_bind_int(q, ":channel", channel);
  char lines[DIGEST_BODY - 512] = "", who[128] = "";
  size_t used = 0;
  *count = 0;
  while (query_next(q)) {
    if (!*count) snprintf(who, sizeof who, "%s", query_get_text(q, "who"));
    char line[1024];
    int n = snprintf(line, sizeof line, "\n%d. %s：%s", *count + 1, query_get_text(q, "title"), query_get_text(q, "body"));
    (*count)++;
    if (*count > DIGEST_LINES || n < 0 || (size_t)n >= sizeof line || used + (size_t)n >= sizeof lines) continue;
    memcpy(lines + used, line, (size_t)n + 1);
    used += (size_t)n;
  }
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  snprintf(out, len, "%s，以下消息按您选择的“每日汇总”送达：%s%s\n共 %d 条，详情请登录系统查看“消息”。", who, lines,
           *count > DIGEST_LINES ? "\n……" : "", *count);
  return DB_OK;
}

/* Whether today's digest for (user, channel), keyed by key, is already in the outbox. */
static int digest_sent(struct db *db, const char *key, bool *sent)
{
  struct query *q = query_open(db, "SELECT 1 AS one FROM outbox WHERE idem_key = :key");
  query_bind_text(q, ":key", key);
  *sent = query_next(q);
  return query_close(q);
}

/* One digest event and its outbox row for (user, channel), unless today's is already there. */
static int digest_to_channel(struct db *db, int64_t user, int64_t cutoff, int64_t channel, const char *day,
                             int64_t now, int *made)
{
  char key[80], body[DIGEST_BODY];
  snprintf(key, sizeof key, "digest-%lld-%s-%lld", (long long)user, day, (long long)channel);
  bool sent = false;
  int rc = digest_sent(db, key, &sent);
  if (rc != DB_OK || sent) return rc;
  int count;
  if ((rc = digest_body(db, user, cutoff, channel, body, sizeof body, &count)) != DB_OK || count == 0) return rc;
  struct query *ev = query_open(db,
      "INSERT INTO notification_event (kind, title, body, link, region_code, entity, entity_id, created_at)"
      " VALUES ('digest', '今日待办提醒', :body, '/notifications', NULL, 'user', :user, :now) RETURNING id");
  char uid[24];
  snprintf(uid, sizeof uid, "%lld", (long long)user);
  query_bind_text(ev, ":body", body);
  query_bind_text(ev, ":user", uid);
  query_bind_int(ev, ":now", now);
  int64_t event_id;
  if ((rc = query_insert_id(ev, &event_id)) != DB_OK) return rc;
  struct query *out = query_open(db,
      "INSERT INTO outbox (event_id, channel_id, idem_key, next_at, created_at) VALUES (:event, :channel, :key, :now, :now)");
  query_bind_int(out, ":event", event_id);
  query_bind_int(out, ":channel", channel);
  query_bind_text(out, ":key", key);
  query_bind_int(out, ":now", now);
  if ((rc = query_exec(out)) != DB_OK) return rc;
  (*made)++;
  return DB_OK;
}

/* The enabled channels that cover any of the user's waiting messages; *n how many. */
static int digest_channels(struct db *db, int64_t user, int64_t cutoff, int64_t *ids, int max, int *n)
{
  struct query *q = query_open(db,
      "SELECT c.id AS id FROM notification_channel c WHERE c.enabled = 1 AND EXISTS (SELECT 1" WAITING ") ORDER BY c.id");
  query_bind_int(q, ":user", user);
  query_bind_int(q, ":cutoff", cutoff);
  *n = 0;
  while (*n < max && query_next(q)) ids[(*n)++] = query_get_int(q, "id");
  return query_close(q);
}

static int digest_user(struct db *db, int64_t user, int64_t cutoff, const char *day, int64_t now, int *made)
{
  int64_t channels[64];
  int n = 0, rc = db_begin(db);
  if (rc == DB_OK) rc = digest_channels(db, user, cutoff, channels, 64, &n);
  for (int i = 0; rc == DB_OK && i < n; i++) rc = digest_to_channel(db, user, cutoff, channels[i], day, now, made);
  if (rc == DB_OK) {
    struct query *mark = query_open(db, "UPDATE notification_digest SET digested_day = :day"
                                        " WHERE user_id = :user AND digested_day IS NULL AND created_at < :cutoff");
    query_bind_int(mark, ":user", user);
    query_bind_int(mark, ":cutoff", cutoff);
    query_bind_text(mark, ":day", day);
    rc = query_exec(mark);
  }
  if (rc == DB_OK) return db_commit(db);
  db_rollback(db);
  return rc;
}

int notify_digest_run(struct db *db, int64_t now, const char *digest_time, int *made)
{
  char day[DATE_ISO_SIZE];
  int64_t cutoff = digest_instant(now, digest_time, day);
  *made = 0;
  if (cutoff < 0 || now < cutoff) return DB_OK;
  struct query *q = query_open(db,
      "SELECT DISTINCT user_id FROM notification_digest WHERE digested_day IS NULL AND created_at < :cutoff LIMIT :max");
  query_bind_int(q, ":cutoff", cutoff);
  query_bind_int(q, ":max", DIGEST_USERS);
  int64_t users[DIGEST_USERS];
  int n = 0, rc;
  while (n < DIGEST_USERS && query_next(q)) users[n++] = query_get_int(q, "user_id");
  if ((rc = query_close(q)) != DB_OK) return rc;
  for (int i = 0; i < n; i++)
    if ((rc = digest_user(db, users[i], cutoff, day, now, made)) != DB_OK) return rc;
  return DB_OK;
}
