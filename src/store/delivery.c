/* delivery — see delivery.h. The two queues' statements are the same but for the table's name. */
#include "store/delivery.h"
#include "store/delivery_sealed.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/outbox.h"
#include "store/vault.h"
#include "util/log.h"

#define MARK_SENT(table) \
  "UPDATE " table " SET status = 'sent', attempts = attempts + 1, sent_at = ?2, last_error = ''" \
  " WHERE id = ?1 AND status = 'pending'"
#define MARK_FAILED(table) \
  "UPDATE " table " SET attempts = attempts + 1, last_error = ?2, next_at = ?3," \
  " status = CASE WHEN ?4 THEN 'dead' ELSE 'pending' END WHERE id = ?1 AND status = 'pending'"

#define REQUEUE(table) \
  "UPDATE " table " SET status = 'pending', attempts = 0, next_at = ?2 WHERE id = ?1 AND status = 'dead'"

static const struct {
  const char *sent, *failed, *requeue, *what;
} QUEUES[] = {
  [DELIVERY_OUTBOX] = {MARK_SENT("outbox"), MARK_FAILED("outbox"), REQUEUE("outbox"), "message"},
  [DELIVERY_WEBHOOK] = {MARK_SENT("webhook_delivery"), MARK_FAILED("webhook_delivery"), REQUEUE("webhook_delivery"),
                        "webhook delivery"},
};

static int mark_sent(struct db *db, enum delivery_queue q, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, QUEUES[q].sent);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  return db_update_guarded(db, st);
}

static int mark_failed(struct db *db, enum delivery_queue q, int64_t id, const char *reason, bool dead, int64_t next_at)
{
  sqlite3_stmt *st = db_stmt(db, QUEUES[q].failed);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, next_at);
  sqlite3_bind_int(st, 4, dead);
  return db_update_guarded(db, st);
}

int delivery_record(struct db *db, enum delivery_queue q, const struct notify_settings *s, int64_t id, int attempts,
                    bool ok, const char *reason, int64_t now)
{
  int tried = attempts + 1;
  bool dead = !ok && tried >= s->max_attempts;
  int rc = db_begin(db);
  if (rc == DB_OK) rc = ok ? mark_sent(db, q, id, now) : mark_failed(db, q, id, reason, dead, now + outbox_backoff(s, tried));
  if (rc == DB_OK) rc = db_commit(db);
  else db_rollback(db);
  if (rc != DB_OK && rc != DB_CONFLICT) log_error("sender", "cannot record %s %lld's outcome", QUEUES[q].what, (long long)id);
  else if (rc == DB_OK && dead) log_info("sender", "%s %lld dead after %d attempts", QUEUES[q].what, (long long)id, tried);
  return rc;
}

int delivery_requeue(struct db *db, enum delivery_queue q, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, QUEUES[q].requeue);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  return db_update_guarded(db, st);
}

int delivery_bind_sealed(sqlite3_stmt *st, int idx, const struct vault *v, const char *plain)
{
  if (!plain || !*plain) return sqlite3_bind_null(st, idx) == SQLITE_OK ? 0 : -1;
  unsigned char *cipher;
  size_t len;
  if (vault_encrypt(v, plain, &cipher, &len) != 0) return -1;
  int rc = sqlite3_bind_blob(st, idx, cipher, (int)len, SQLITE_TRANSIENT);
  free(cipher);
  return rc == SQLITE_OK ? 0 : -1;
}

char *delivery_open_sealed(const struct vault *v, sqlite3_stmt *st, int col)
{
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return NULL;
  char *out = NULL;
  if (vault_decrypt(v, sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), &out) != 0) return NULL;
  return out;
}

void delivery_wipe(char **s)
{
  if (*s) sodium_memzero(*s, strlen(*s));
  free(*s);
  *s = NULL;
}
