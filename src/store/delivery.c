/* delivery — see delivery.h. The two queues' statements are the same but for the table's name. */
#include "store/delivery.h"
#include "store/delivery_sealed.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/outbox.h"
#include "store/query.h"
#include "store/vault.h"
#include "util/log.h"

#define MARK_SENT(table) \
  "UPDATE " table " SET status = 'sent', attempts = attempts + 1, sent_at = :now, last_error = ''" \
  " WHERE id = :id AND status = 'pending'"
#define MARK_FAILED(table) \
  "UPDATE " table " SET attempts = attempts + 1, last_error = :reason, next_at = :next_at," \
  " status = CASE WHEN :dead THEN 'dead' ELSE 'pending' END WHERE id = :id AND status = 'pending'"

#define REQUEUE(table) \
  "UPDATE " table " SET status = 'pending', attempts = 0, next_at = :now WHERE id = :id AND status = 'dead'"

static const struct {
  const char *sent, *failed, *requeue, *what;
} QUEUES[] = {
  [DELIVERY_OUTBOX] = {MARK_SENT("outbox"), MARK_FAILED("outbox"), REQUEUE("outbox"), "message"},
  [DELIVERY_WEBHOOK] = {MARK_SENT("webhook_delivery"), MARK_FAILED("webhook_delivery"), REQUEUE("webhook_delivery"),
                        "webhook delivery"},
};

static int mark_sent(struct db *db, enum delivery_queue q, int64_t id, int64_t now)
{
  struct query *w = query_open(db, QUEUES[q].sent);
  query_bind_int(w, ":id", id);
  query_bind_int(w, ":now", now);
  return query_exec_guarded(w);
}

static int mark_failed(struct db *db, enum delivery_queue q, int64_t id, const char *reason, bool dead, int64_t next_at)
{
  struct query *w = query_open(db, QUEUES[q].failed);
  query_bind_int(w, ":id", id);
  query_bind_text(w, ":reason", reason);
  query_bind_int(w, ":next_at", next_at);
  query_bind_int(w, ":dead", dead);
  return query_exec_guarded(w);
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
  struct query *w = query_open(db, QUEUES[q].requeue);
  query_bind_int(w, ":id", id);
  query_bind_int(w, ":now", now);
  return query_exec_guarded(w);
}

int delivery_bind_sealed(struct query *q, const char *name, const struct vault *v, const char *plain)
{
  if (!plain || !*plain) {
    query_bind_null(q, name);
    return 0;
  }
  unsigned char *cipher;
  size_t len;
  if (vault_encrypt(v, plain, &cipher, &len) != 0) return -1;
  query_bind_blob(q, name, cipher, len);
  free(cipher);
  return 0;
}

char *delivery_open_sealed(const struct vault *v, struct query *q, const char *alias)
{
  if (query_is_null(q, alias)) return NULL;
  size_t len = 0;
  const void *cipher = query_get_blob(q, alias, &len);
  char *out = NULL;
  if (vault_decrypt(v, cipher, len, &out) != 0) return NULL;
  return out;
}

void delivery_wipe(char **s)
{
  if (*s) sodium_memzero(*s, strlen(*s));
  free(*s);
  *s = NULL;
}
