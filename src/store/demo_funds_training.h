/* demo_funds_training — the demo's funds, insurance, training and commendations (3.4a–3.7,
 * 4.1–4.5) for this year and the last: most teams funded with at least 10,000 yuan before
 * 31 March, some short, some late, some uninsured or partly insured; a filed training plan for
 * most counties; the city's demonstration class and 乡村振兴大讲堂, the counties' rotation
 * batches and industry classes attended by most cadres, some left untrained; the biennial
 * policy training of the units' staff; a few commendations. Deterministic: driven by the demo's
 * generator state. Records are written through the stores, so their evidence rows are too. */
#ifndef ZHUCUN_DEMO_FUNDS_TRAINING_H
#define ZHUCUN_DEMO_FUNDS_TRAINING_H

#include <stdint.h>

struct db;

/* Inside the demo's transaction, after the cadres are stationed. DB_OK or DB_ERROR. */
int demo_funds_training(struct db *db, unsigned *rng, int64_t now);

#endif
