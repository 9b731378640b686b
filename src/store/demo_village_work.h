/* demo_village_work — the demo's village work (5.1–5.10): monthly monitoring meetings in every key
 * village with a team for the last twelve months (some missing), activities across the five
 * duties and the organization relation transfers in 瑞金市, monitoring cases in every state in
 * 沙洲坝村 (one overdue, one stalled, one closed, one reopened …) and a few pending elsewhere,
 * this year's assistance plans in various states (沙洲坝村's approved, with progress) and the
 * resources the units brought. Runs after demo_households, in the generator's transaction;
 * deterministic for a given rng state. */
#ifndef ZHUCUN_DEMO_VILLAGE_WORK_H
#define ZHUCUN_DEMO_VILLAGE_WORK_H

#include <stdint.h>

struct db;

struct demo_village_work_counts { long meetings, activities, cases, plans, resources; };

int demo_village_work(struct db *db, unsigned *rng, int64_t now, struct demo_village_work_counts *out);

#endif
