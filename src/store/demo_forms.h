/* demo_forms — the records behind the demo's printed forms that no other part of the demo makes:
 * a leave of a cadre of 沙洲坝镇 (not cadre1, whose days the tests count), asked last month,
 * approved by the township party secretary and closed on the day of return, so that a
 * 请假审批单 can be printed with its approval. (The 审批表 prints from any nomination, the
 * 交接清单 from demo_post_life's handover.) Runs after the accounts, in the generator's
 * transaction; draws nothing from the rng; every instant is before now. */
#ifndef ZHUCUN_DEMO_FORMS_H
#define ZHUCUN_DEMO_FORMS_H

#include <stdint.h>

struct db;

int demo_forms(struct db *db, int64_t now);

#endif
