/* delivery — what the two delivery queues of the sender thread (http/sender) share (issue 13): the outbox
 * of the robots' and persons' messages (store/outbox) and the webhook deliveries (store/webhooks). Both
 * hold rows pending → sent | dead with attempts, next_at, last_error and sent_at; an attempt's outcome is
 * recorded here, in its own transaction, only while the row is still pending (a row re-queued or settled
 * meanwhile is left alone: DB_CONFLICT): sent; or failed with the reason and retried after the back-off
 * (outbox_backoff), dead once max_attempts attempts have failed; a dead row re-queued by the system
 * administrator. The sealing of the addresses and secrets both keep (with the key file, store/vault) is
 * store-internal: store/delivery_sealed.h. */
#ifndef ZHUCUN_DELIVERY_H
#define ZHUCUN_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct notify_settings;

enum delivery_queue { DELIVERY_OUTBOX, DELIVERY_WEBHOOK };

/* The attempt at row id (which had failed `attempts` times before) taken (ok) or failed with reason. */
int delivery_record(struct db *db, enum delivery_queue q, const struct notify_settings *s, int64_t id, int attempts,
                    bool ok, const char *reason, int64_t now);

/* A dead row back to pending, due at now with its attempts reset: DB_CONFLICT unless it is dead. */
int delivery_requeue(struct db *db, enum delivery_queue q, int64_t id, int64_t now);

/* Zeroes and frees *s, and sets it to NULL. */
void delivery_wipe(char **s);

#endif
