/* delivery_sealed — the addresses and secrets the outbox and the webhooks keep sealed with the key
 * file (store/vault): bound sealed as a query's :name, opened from a column read by its alias
 * (store/query). A failed bind or read is the query's (query_close answers DB_ERROR).
 *
 * Store-internal: included only inside src/store (tests/check_seam.sh); outside it the queues are
 * store/delivery.h, store/outbox.h and store/webhooks.h. */
#ifndef ZHUCUN_DELIVERY_SEALED_H
#define ZHUCUN_DELIVERY_SEALED_H

#include "store/delivery.h"

struct query;
struct vault;

/* Binds plain sealed as name, or NULL when plain is NULL or empty: 0, or -1 when it cannot be sealed. */
int delivery_bind_sealed(struct query *q, const char *name, const struct vault *v, const char *plain);
/* The current row's sealed column alias opened with the key (malloc'd), or NULL when it is NULL or
 * cannot be opened. */
char *delivery_open_sealed(const struct vault *v, struct query *q, const char *alias);

#endif
