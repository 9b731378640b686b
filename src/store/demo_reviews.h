/* demo_reviews — the demo's 批阅 (2.1, 2.4, 3.1b): monthly work reports of the cadres stationed in
 * 沙洲坝镇 for the last two whole months, written from their logs of the month, reviewed by the
 * township party secretary (shazhouba_sec): the earlier month accepted; last month some accepted
 * with a word, one returned with a reason and resubmitted (both versions kept), the rest (cadre1's
 * among them) waiting, and one commented on by the dispatching unit (unit_leader1). Runs after the
 * accounts, in the generator's transaction; draws nothing from the rng, so it is a function of
 * the database and `now` (every instant it writes is before now). */
#ifndef ZHUCUN_DEMO_REVIEWS_H
#define ZHUCUN_DEMO_REVIEWS_H

#include <stdint.h>

struct db;

int demo_reviews(struct db *db, int64_t now, long *reports_out);

#endif
