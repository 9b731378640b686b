/* login_guard — per (name, address) failure counts and locks; see the header. */
#include "store/db_sqlite.h"
#include "store/login_guard.h"

#include <sqlite3.h>

#define MAX_LOCK_SECONDS (24 * 3600)

int login_guard_state(struct db *db, const char *username, const char *ip, int64_t now, int64_t *locked_until,
                      bool *failed_before)
{
  *locked_until = 0;
  *failed_before = false;
  sqlite3_stmt *st = db_stmt(db, "SELECT failures, locked_until FROM login_guard WHERE username = ?1 AND ip = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, ip, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *failed_before = true;
    int64_t until = sqlite3_column_int64(st, 1);
    *locked_until = until > now ? until : 0;
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

/* lockout_minutes × 2^locks, at most a day */
static int64_t lock_seconds(const struct security_settings *s, int locks)
{
  int64_t secs = (int64_t)s->lockout_minutes * 60;
  for (int i = 0; i < locks && secs < MAX_LOCK_SECONDS; i++) secs *= 2;
  return secs < MAX_LOCK_SECONDS ? secs : MAX_LOCK_SECONDS;
}

int login_guard_failure(struct db *db, const char *username, const char *ip, const struct security_settings *s,
                        int64_t now, int64_t *locked_until)
{
  *locked_until = 0;
  /* pairs quiet for a day and not locked are forgotten, so names typed by a flood do not pile up */
  sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_guard WHERE last_at < ?1 AND locked_until < ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, now - 24 * 3600);
  sqlite3_bind_int64(st, 2, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  st = db_stmt(db,
      "INSERT INTO login_guard (username, ip, failures, last_at) VALUES (?1, ?2, 1, ?3)"
      " ON CONFLICT (username, ip) DO UPDATE SET failures = failures + 1, last_at = ?3"
      " RETURNING failures, locks");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, ip, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, now);
  rc = sqlite3_step(st);
  int failures = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  int locks = rc == SQLITE_ROW ? sqlite3_column_int(st, 1) : 0;
  if (rc == SQLITE_ROW) rc = sqlite3_step(st); /* finish the statement so that it commits */
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) return db_step_result(db, rc);
  if (failures < s->lockout_attempts) return DB_OK;
  int64_t until = now + lock_seconds(s, locks);
  st = db_stmt(db, "UPDATE login_guard SET failures = 0, locks = locks + 1, locked_until = ?3"
                   " WHERE username = ?1 AND ip = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, ip, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, until);
  rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  if (rc == DB_OK) *locked_until = until;
  return rc;
}

static int delete_where(struct db *db, const char *sql, const char *username, const char *ip)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
  if (ip) sqlite3_bind_text(st, 2, ip, -1, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int login_guard_success(struct db *db, const char *username, const char *ip)
{
  return delete_where(db, "DELETE FROM login_guard WHERE username = ?1 AND ip = ?2", username, ip);
}

int login_guard_unlock(struct db *db, const char *username)
{
  return delete_where(db, "DELETE FROM login_guard WHERE username = ?1", username, NULL);
}
