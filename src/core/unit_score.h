/* unit_score — the attendance component of a dispatching unit's 考评计分 (2.6).
 *
 * The notice: 「驻村干部日常考勤情况纳入单位驻村帮扶和机关党建工作考评计分的重要内容」. It makes the
 * cadres' attendance an important part of the unit's evaluation score but sets no method; the
 * evaluation itself is done by each level for its own units. zhucun therefore computes one
 * component, the attendance component, and shows its formula:
 *   出勤率 rate = 在村工作日 ÷ 应在岗工作日 (working days less approved leave)
 *   考勤部分 points = weight × rate            (0 … weight)
 * The weight is policy data (unit_score_attendance_weight, local): an object whose members are
 * the region codes of the levels that evaluate units — a county's code for its county units, the
 * city's for the city's units — and "default" for any other. A county sets its own weight by
 * adding its code; no code is needed for it. */
#ifndef ZHUCUN_UNIT_SCORE_H
#define ZHUCUN_UNIT_SCORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The value of unit_score_attendance_weight is an object of integers 0…1000 with a "default". */
bool unit_score_weights_check(const json_t *v, char *why, size_t whylen);

/* The weight for a unit evaluated by the level of region_code (its own region): the member of that
 * code, else "default"; -1 when there is neither. */
long unit_score_weight(const json_t *weights, const char *region_code);

/* The attendance component in tenths of a point, weight × present ÷ due, rounded; 0 when due is 0. */
long unit_score_attendance_tenths(long weight, long present, long due);

#endif
