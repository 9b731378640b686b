/* demo_upward — the demo's 上报材料 (issue #12 part 3): the 月报 of the last whole month of 沙洲坝镇
 * (submitted by shazhouba_sec, received by ruijin_org) and of 瑞金市 (submitted by ruijin_org to
 * the city, waiting for city_org to receive it). The figures are assembled as the product
 * assembles them (store/upward_figures, by the policy in force) and frozen at submission; the
 * texts are the drafts the product writes. Runs after the accounts, in the generator's
 * transaction; draws nothing from the rng, so it is a function of the database and `now` (every
 * instant it writes is before now). Without a policy it writes nothing. */
#ifndef ZHUCUN_DEMO_UPWARD_H
#define ZHUCUN_DEMO_UPWARD_H

#include <stdint.h>

struct db;
struct policy;

int demo_upward(struct db *db, const struct policy *pol, int64_t now);

#endif
