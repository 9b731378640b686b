/* notify_digest — see notify_digest.h. */
#include "store/notify_digest.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/db_sqlite.h"

#define DIGEST_USERS 32  /* accounts gathered per round; the rest come in the next */
#define DIGEST_LINES 20  /* messages listed in one digest; the count covers them all */
#define DIGEST_BODY 6144

int notify_digest_enqueue(struct db *db, int64_t event_id)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT OR IGNORE INTO notification_digest (notification_id, user_id, created_at)"
      " SELECT n.id, n.user_id, ev.created_at FROM notification n JOIN notification_event ev ON ev.id = n.event_id"
      " JOIN notification_pref p ON p.user_id = n.user_id AND p.kind = ev.kind"
      " WHERE n.event_id = ?1 AND p.robots = 1 AND p.digest = 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, event_id);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
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
  " WHERE d.user_id = ?1 AND d.digested_day IS NULL AND d.created_at < ?2" \
  " AND (c.region_code IS NULL OR ev.region_code LIKE c.region_code || '%')"

/* "张三，以下 N 条消息按您选择的“每日汇总”送达：1. …  共 N 条，详情请登录系统查看“消息”。" */
static int digest_body(struct db *db, int64_t user, int64_t cutoff, int64_t channel, char *out, size_t len, int *count)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT ev.title, ev.body, (SELECT display_name FROM user WHERE id = ?1)"
      " FROM notification_channel c, notification_digest d JOIN notification n ON n.id = d.notification_id"
      " JOIN notification_event ev ON ev.id = n.event_id WHERE c.id = ?3 AND d.user_id = ?1"
      " AND d.digested_day IS NULL AND d.created_at < ?2"
      " AND (c.region_code IS NULL OR ev.region_code LIKE c.region_code || '%') ORDER BY d.created_at, d.notification_id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_int64(st, 2, cutoff);
  sqlite3_bind_int64(st, 3, channel);
  char lines[DIGEST_BODY - 512] = "", who[128] = "";
  size_t used = 0;
  int rc;
  *count = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!*count) snprintf(who, sizeof who, "%s", db_col_text(st, 2));
    char line[1024];
    int n = snprintf(line, sizeof line, "\n%d. %s：%s", *count + 1, db_col_text(st, 0), db_col_text(st, 1));
    (*count)++;
    if (*count > DIGEST_LINES || n < 0 || (size_t)n >= sizeof line || used + (size_t)n >= sizeof lines) continue;
    memcpy(lines + used, line, (size_t)n + 1);
    used += (size_t)n;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return db_step_result(db, rc);
  snprintf(out, len, "%s，以下消息按您选择的“每日汇总”送达：%s%s\n共 %d 条，详情请登录系统查看“消息”。", who, lines,
           *count > DIGEST_LINES ? "\n……" : "", *count);
  return DB_OK;
}

/* One digest event and its outbox row for (user, channel), unless today's is already there. */
static int digest_to_channel(struct db *db, int64_t user, int64_t cutoff, int64_t channel, const char *day,
                             int64_t now, int *made)
{
  char key[80], body[DIGEST_BODY];
  snprintf(key, sizeof key, "digest-%lld-%s-%lld", (long long)user, day, (long long)channel);
  sqlite3_stmt *seen = db_stmt(db, "SELECT 1 FROM outbox WHERE idem_key = ?1");
  if (!seen) return DB_ERROR;
  sqlite3_bind_text(seen, 1, key, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(seen);
  sqlite3_reset(seen);
  if (rc == SQLITE_ROW) return DB_OK;
  if (rc != SQLITE_DONE) return db_step_result(db, rc);
  int count;
  if ((rc = digest_body(db, user, cutoff, channel, body, sizeof body, &count)) != DB_OK || count == 0) return rc;
  sqlite3_stmt *ev = db_stmt(db,
      "INSERT INTO notification_event (kind, title, body, link, region_code, entity, entity_id, created_at)"
      " VALUES ('digest', '今日待办提醒', ?1, '/notifications', NULL, 'user', ?2, ?3) RETURNING id");
  if (!ev) return DB_ERROR;
  char uid[24];
  snprintf(uid, sizeof uid, "%lld", (long long)user);
  sqlite3_bind_text(ev, 1, body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(ev, 2, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(ev, 3, now);
  int64_t event_id;
  if ((rc = db_insert_returning(db, ev, &event_id)) != DB_OK) return rc;
  sqlite3_stmt *out = db_stmt(db,
      "INSERT INTO outbox (event_id, channel_id, idem_key, next_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4)");
  if (!out) return DB_ERROR;
  sqlite3_bind_int64(out, 1, event_id);
  sqlite3_bind_int64(out, 2, channel);
  sqlite3_bind_text(out, 3, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(out, 4, now);
  rc = sqlite3_step(out);
  sqlite3_reset(out);
  if (rc != SQLITE_DONE) return db_step_result(db, rc);
  (*made)++;
  return DB_OK;
}

/* The enabled channels that cover any of the user's waiting messages; *n how many. */
static int digest_channels(struct db *db, int64_t user, int64_t cutoff, int64_t *ids, int max, int *n)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT c.id FROM notification_channel c WHERE c.enabled = 1 AND EXISTS (SELECT 1" WAITING ") ORDER BY c.id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_int64(st, 2, cutoff);
  int rc;
  *n = 0;
  while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) ids[(*n)++] = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return *n == max || rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

static int digest_user(struct db *db, int64_t user, int64_t cutoff, const char *day, int64_t now, int *made)
{
  int64_t channels[64];
  int n = 0, rc = db_begin(db);
  if (rc == DB_OK) rc = digest_channels(db, user, cutoff, channels, 64, &n);
  for (int i = 0; rc == DB_OK && i < n; i++) rc = digest_to_channel(db, user, cutoff, channels[i], day, now, made);
  sqlite3_stmt *mark = rc == DB_OK ? db_stmt(db,
      "UPDATE notification_digest SET digested_day = ?3 WHERE user_id = ?1 AND digested_day IS NULL AND created_at < ?2") : NULL;
  if (rc == DB_OK && !mark) rc = DB_ERROR;
  if (rc == DB_OK) {
    sqlite3_bind_int64(mark, 1, user);
    sqlite3_bind_int64(mark, 2, cutoff);
    sqlite3_bind_text(mark, 3, day, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(mark);
    sqlite3_reset(mark);
    rc = step == SQLITE_DONE ? DB_OK : db_step_result(db, step);
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
  sqlite3_stmt *st = db_stmt(db,
      "SELECT DISTINCT user_id FROM notification_digest WHERE digested_day IS NULL AND created_at < ?1 LIMIT ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cutoff);
  sqlite3_bind_int(st, 2, DIGEST_USERS);
  int64_t users[DIGEST_USERS];
  int n = 0, rc;
  while (n < DIGEST_USERS && (rc = sqlite3_step(st)) == SQLITE_ROW) users[n++] = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (n < DIGEST_USERS && rc != SQLITE_DONE) return db_step_result(db, rc);
  for (int i = 0; i < n; i++)
    if ((rc = digest_user(db, users[i], cutoff, day, now, made)) != DB_OK) return rc;
  return DB_OK;
}
