/* delivery — what the two delivery queues of the sender thread (http/sender) share (issue 13): the outbox
 * of the robots' and persons' messages (store/outbox) and the webhook deliveries (store/webhooks). Both
 * hold rows pending → sent | dead with attempts, next_at, last_error and sent_at; an attempt's outcome is
 * recorded here, in its own transaction, only while the row is still pending (a row re-queued or settled
 * meanwhile is left alone: DB_CONFLICT): sent; or failed with the reason and retried after the back-off
 * (outbox_backoff), dead once max_attempts attempts have failed; a dead row re-queued by the system
 * administrator. Also the sealing of the addresses and secrets both keep (with the key file, store/vault). */
#ifndef ZHUCUN_DELIVERY_H
#define ZHUCUN_DELIVERY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct vault;
struct notify_settings;

enum delivery_queue { DELIVERY_OUTBOX, DELIVERY_WEBHOOK };

/* The attempt at row id (which had failed `attempts` times before) taken (ok) or failed with reason. */
int delivery_record(struct db *db, enum delivery_queue q, const struct notify_settings *s, int64_t id, int attempts,
                    bool ok, const char *reason, int64_t now);

/* A dead row back to pending, due at now with its attempts reset: DB_CONFLICT unless it is dead. */
int delivery_requeue(struct db *db, enum delivery_queue q, int64_t id, int64_t now);

/* Binds plain sealed at idx, or NULL when plain is NULL or empty: 0, or -1. */
int delivery_bind_sealed(sqlite3_stmt *st, int idx, const struct vault *v, const char *plain);
/* A sealed column opened with the key (malloc'd), or NULL when it is NULL or cannot be opened. */
char *delivery_open_sealed(const struct vault *v, sqlite3_stmt *st, int col);
/* Zeroes and frees *s, and sets it to NULL. */
void delivery_wipe(char **s);

#endif
