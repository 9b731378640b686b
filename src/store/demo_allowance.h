/* demo_allowance — the demo's 补助核算 (3.4b): for the dispatching unit of the demo cadre (cadre1),
 * last month's sheet drafted by the server and confirmed by the unit's HR (unit_hr1), its amounts
 * in the funds ledger, one line adjusted with its reason; and this month's sheet drafted, counted up
 * to today. Built from the demo's own check-ins and leave through the same store functions as the
 * API, so the figures follow presence exactly. Deterministic: no draw from the generator. */
#ifndef ZHUCUN_DEMO_ALLOWANCE_H
#define ZHUCUN_DEMO_ALLOWANCE_H

#include <stdint.h>

#include "core/allowance.h"
#include "core/presence.h"

struct db;

/* Inside the demo's transaction, after the accounts. DB_OK or DB_ERROR. */
int demo_allowance(struct db *db, int64_t demo_cadre, const struct allowance_rules *rules,
                   const struct presence_rules *presence, int64_t now);

#endif
