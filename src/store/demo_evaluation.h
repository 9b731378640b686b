/* demo_evaluation — a finished 年度考核 of last year in one county (瑞金市): every cadre's 述职, the
 * township's 民主测评 and opinion, the unit's opinion and the county's result, confirmed with its
 * 优秀 share within the policy's cap. Each result is the registry's appraisal of that year (so the
 * candidates' judgements of 1.3c/1.4 do not move), with the 优秀 above the cap set to 称职. A
 * function of the record and now only: no draw from the demo's random sequence. */
#ifndef ZHUCUN_DEMO_EVALUATION_H
#define ZHUCUN_DEMO_EVALUATION_H

#include <stdint.h>

struct db;

int demo_evaluation(struct db *db, const char *county_code, long excellent_max_percent, int64_t now);

#endif
