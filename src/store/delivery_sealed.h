/* delivery_sealed — the addresses and secrets the outbox and the webhooks keep sealed with the key
 * file (store/vault): bound sealed into a statement, opened from a column.
 *
 * Store-internal: included only inside src/store (tests/check_seam.sh); outside it the queues are
 * store/delivery.h, store/outbox.h and store/webhooks.h. */
#ifndef ZHUCUN_DELIVERY_SEALED_H
#define ZHUCUN_DELIVERY_SEALED_H

#include <sqlite3.h>

#include "store/delivery.h"

struct vault;

/* Binds plain sealed at idx, or NULL when plain is NULL or empty: 0, or -1. */
int delivery_bind_sealed(sqlite3_stmt *st, int idx, const struct vault *v, const char *plain);
/* A sealed column opened with the key (malloc'd), or NULL when it is NULL or cannot be opened. */
char *delivery_open_sealed(const struct vault *v, sqlite3_stmt *st, int col);

#endif
