/* demo_village_profile — the demo's village profiles (村情, 5.8): every village of 瑞金市 with a
 * team gets its collective income of the last two years, population, industries, infrastructure,
 * 两委 and the weak points that follow from them, with a dated history (last year's values and
 * this year's changes), so the village page and the plans have something to show. Deterministic:
 * each village's values come from a hash of its code, its dates from `now`; it draws nothing from
 * the generator's random stream, so the rest of the demo is unchanged. */
#ifndef ZHUCUN_DEMO_VILLAGE_PROFILE_H
#define ZHUCUN_DEMO_VILLAGE_PROFILE_H

#include <stdint.h>

struct db;

int demo_village_profiles(struct db *db, int64_t now, long *count);

#endif
