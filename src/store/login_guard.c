/* login_guard — per (name, address) failure counts and locks; see the header. */
#include "store/login_guard.h"

#include "store/query.h"

#define MAX_LOCK_SECONDS (24 * 3600)

int login_guard_state(struct db *db, const char *username, const char *ip, int64_t now, int64_t *locked_until,
                      bool *failed_before)
{
  *locked_until = 0;
  *failed_before = false;
  struct query *q = query_open(db, "SELECT locked_until FROM login_guard WHERE username = :name AND ip = :ip");
  query_bind_text(q, ":name", username);
  query_bind_text(q, ":ip", ip);
  if (query_next(q)) {
    *failed_before = true;
    int64_t until = query_get_int(q, "locked_until");
    *locked_until = until > now ? until : 0;
  }
  return query_close(q);
}

/* lockout_minutes × 2^locks, at most a day */
static int64_t lock_seconds(const struct security_settings *s, int locks)
{
  int64_t secs = (int64_t)s->lockout_minutes * 60;
  for (int i = 0; i < locks && secs < MAX_LOCK_SECONDS; i++) secs *= 2;
  return secs < MAX_LOCK_SECONDS ? secs : MAX_LOCK_SECONDS;
}

/* The failure counted; *failures and *locks as they now stand. */
static int count_failure(struct db *db, const char *username, const char *ip, int64_t now, int *failures, int *locks)
{
  /* pairs quiet for a day and not locked are forgotten, so names typed by a flood do not pile up */
  struct query *q = query_open(db, "DELETE FROM login_guard WHERE last_at < :quiet AND locked_until < :now");
  query_bind_int(q, ":quiet", now - 24 * 3600);
  query_bind_int(q, ":now", now);
  int rc = query_exec(q);
  if (rc != DB_OK) return rc;
  q = query_open(db,
      "INSERT INTO login_guard (username, ip, failures, last_at) VALUES (:name, :ip, 1, :now)"
      " ON CONFLICT (username, ip) DO UPDATE SET failures = login_guard.failures + 1, last_at = :now"
      " RETURNING failures, locks");
  query_bind_text(q, ":name", username);
  query_bind_text(q, ":ip", ip);
  query_bind_int(q, ":now", now);
  if (query_next(q)) {
    *failures = (int)query_get_int(q, "failures");
    *locks = (int)query_get_int(q, "locks");
    query_next(q); /* finish the statement so that it commits */
  }
  return query_close(q);
}

int login_guard_failure(struct db *db, const char *username, const char *ip, const struct security_settings *s,
                        int64_t now, int64_t *locked_until)
{
  *locked_until = 0;
  int failures = 0, locks = 0;
  int rc = count_failure(db, username, ip, now, &failures, &locks);
  if (rc != DB_OK) return rc;
  if (failures < s->lockout_attempts) return DB_OK;
  int64_t until = now + lock_seconds(s, locks);
  struct query *q = query_open(db, "UPDATE login_guard SET failures = 0, locks = locks + 1, locked_until = :until"
                                   " WHERE username = :name AND ip = :ip");
  query_bind_text(q, ":name", username);
  query_bind_text(q, ":ip", ip);
  query_bind_int(q, ":until", until);
  rc = query_exec(q);
  if (rc == DB_OK) *locked_until = until;
  return rc;
}

int login_guard_success(struct db *db, const char *username, const char *ip)
{
  struct query *q = query_open(db, "DELETE FROM login_guard WHERE username = :name AND ip = :ip");
  query_bind_text(q, ":name", username);
  query_bind_text(q, ":ip", ip);
  return query_exec(q);
}

int login_guard_unlock(struct db *db, const char *username)
{
  struct query *q = query_open(db, "DELETE FROM login_guard WHERE username = :name");
  query_bind_text(q, ":name", username);
  return query_exec(q);
}
