/* demo_supervision — a year to date of supervision records for the demo city (2.2, 2.3, 3.1, 3.2),
 * with deliberate gaps so the compliance board shows real misses. Deterministic (the caller's rng). */
#ifndef ZHUCUN_DEMO_SUPERVISION_H
#define ZHUCUN_DEMO_SUPERVISION_H

#include <stdint.h>

struct db;

/* Inside the demo's transaction; *count receives the records made. DB_OK or DB_ERROR. */
int demo_supervision(struct db *db, unsigned *rng, int64_t now, long *count);

#endif
