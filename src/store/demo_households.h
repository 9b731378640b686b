/* demo_households — the demo's 脱贫户 and 监测户 (5.6): for every key village, households with
 * members (valid ID numbers, encrypted as in production), income for the last two years, the
 * 两不愁三保障 items, and visits by the village's cadres over the last visit_days days (each a
 * check-in of kind 'visit', as a real visit is, within the demo's checkin_days), some households
 * left unvisited. Deterministic. */
#ifndef ZHUCUN_DEMO_HOUSEHOLDS_H
#define ZHUCUN_DEMO_HOUSEHOLDS_H

#include <stdint.h>

struct db;
struct vault;

struct demo_household_counts { long households, members, visits; };

/* per_village: households per key village (the demo village 沙洲坝村 gets at least 40); 0 adds
 * none. rng: the generator's state. Runs inside the caller's transaction. */
int demo_households(struct db *db, const struct vault *vault, unsigned *rng, int per_village, int visit_days,
                    int checkin_days, int64_t now, struct demo_household_counts *out);

#endif
