/* allowance — the monthly living allowance (生活补助) and transport subsidy (交通补贴) of one post
 * (3.4b), from its presence in the month. Pure: the store counts the days, this module computes.
 *
 * The notice names the allowances but not the amounts (通知：「按规定及时落实好生活补助、交通补贴、
 * 健康体检、通信补贴等政策」): the amounts and the formula are a local rule, the policy parameter
 * allowance_rules (local: true), all amounts in fen:
 *   living    = min(living_monthly_cap_fen,
 *                   living_daily_fen × days_in_village
 *                   + floor(living_daily_fen × leave_days × leave_paid_percent / 100))
 *   transport = transport_monthly_fen when the month's minimum of days in the village is met
 *               (meets_minimum of core/presence: pro rata for a post that starts or ends inside the
 *               month and for leave), else 0.
 * A leave day is not paid when leave_paid_percent is 0. */
#ifndef ZHUCUN_ALLOWANCE_H
#define ZHUCUN_ALLOWANCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct allowance_rules {
  int64_t living_daily_fen;       /* per day in the village */
  int64_t leave_paid_percent;     /* 0..100: the share of the daily rate paid for a day of approved leave */
  int64_t living_monthly_cap_fen; /* the living allowance of a month at most */
  int64_t transport_monthly_fen;  /* when the month's minimum is met */
};

struct allowance_input {
  int days_in_village, leave_days;
  bool meets_minimum;
};

struct allowance_amounts {
  int64_t living_fen, transport_fen;
  bool capped; /* the cap cut the living allowance */
};

/* Reads and checks the value of allowance_rules: an object with the four members, integers >= 0,
 * leave_paid_percent <= 100, each amount at most 10,000,000 fen. -1 with a reason in why. */
int allowance_rules_from_json(const json_t *value, struct allowance_rules *out, char *why, size_t whylen);
/* The rules as JSON (for the sheet that used them). */
json_t *allowance_rules_json(const struct allowance_rules *r);

/* -1 when a count is negative; 0 otherwise. */
int allowance_compute(const struct allowance_rules *r, const struct allowance_input *in, struct allowance_amounts *out);

/* fen as yuan with two decimals: 12345 → "123.45". out holds at least 32 bytes. */
void allowance_yuan(int64_t fen, char *out, size_t size);

#endif
