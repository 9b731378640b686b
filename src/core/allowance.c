/* allowance — the formula of 3.4b's monthly allowances (see allowance.h). */
#include "core/allowance.h"

#include <inttypes.h>
#include <stdio.h>

#define MAX_FEN 10000000 /* 100,000 yuan: no monthly amount is larger */

static int member(const json_t *value, const char *key, int64_t max, int64_t *out, char *why, size_t whylen)
{
  const json_t *v = json_object_get(value, key);
  if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
    snprintf(why, whylen, "value.\"%s\" must be an integer from 0 to %" PRId64, key, max);
    return -1;
  }
  *out = json_integer_value(v);
  return 0;
}

int allowance_rules_from_json(const json_t *value, struct allowance_rules *out, char *why, size_t whylen)
{
  if (!json_is_object(value)) {
    snprintf(why, whylen, "\"value\" must be an object");
    return -1;
  }
  if (member(value, "living_daily_fen", MAX_FEN, &out->living_daily_fen, why, whylen) != 0 ||
      member(value, "leave_paid_percent", 100, &out->leave_paid_percent, why, whylen) != 0 ||
      member(value, "living_monthly_cap_fen", MAX_FEN, &out->living_monthly_cap_fen, why, whylen) != 0 ||
      member(value, "transport_monthly_fen", MAX_FEN, &out->transport_monthly_fen, why, whylen) != 0)
    return -1;
  return 0;
}

json_t *allowance_rules_json(const struct allowance_rules *r)
{
  return json_pack("{s:I, s:I, s:I, s:I}", "living_daily_fen", (json_int_t)r->living_daily_fen,
                   "leave_paid_percent", (json_int_t)r->leave_paid_percent, "living_monthly_cap_fen",
                   (json_int_t)r->living_monthly_cap_fen, "transport_monthly_fen", (json_int_t)r->transport_monthly_fen);
}

int allowance_compute(const struct allowance_rules *r, const struct allowance_input *in, struct allowance_amounts *out)
{
  *out = (struct allowance_amounts){0};
  if (in->days_in_village < 0 || in->leave_days < 0) return -1;
  int64_t living = r->living_daily_fen * in->days_in_village +
                   r->living_daily_fen * in->leave_days * r->leave_paid_percent / 100;
  out->capped = living > r->living_monthly_cap_fen;
  out->living_fen = out->capped ? r->living_monthly_cap_fen : living;
  out->transport_fen = in->meets_minimum ? r->transport_monthly_fen : 0;
  return 0;
}

void allowance_yuan(int64_t fen, char *out, size_t size)
{
  const char *sign = fen < 0 ? "-" : "";
  int64_t a = fen < 0 ? -fen : fen;
  snprintf(out, size, "%s%" PRId64 ".%02" PRId64, sign, a / 100, a % 100);
}
