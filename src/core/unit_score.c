/* unit_score — see the header. */
#include "core/unit_score.h"

#include <math.h>
#include <stdio.h>

bool unit_score_weights_check(const json_t *v, char *why, size_t whylen)
{
  if (!json_is_object(v) || !json_is_integer(json_object_get(v, "default"))) {
    snprintf(why, whylen, "\"value\" must be an object of weights by region code with a \"default\"");
    return false;
  }
  const char *key;
  json_t *e;
  json_object_foreach((json_t *)v, key, e) {
    if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 1000) {
      snprintf(why, whylen, "value.\"%s\" must be an integer from 0 to 1000", key);
      return false;
    }
  }
  return true;
}

long unit_score_weight(const json_t *weights, const char *region_code)
{
  const json_t *w = region_code ? json_object_get(weights, region_code) : NULL;
  if (!json_is_integer(w)) w = json_object_get(weights, "default");
  return json_is_integer(w) ? (long)json_integer_value(w) : -1;
}

long unit_score_attendance_tenths(long weight, long present, long due)
{
  if (due <= 0 || weight <= 0) return 0;
  return lround((double)weight * 10.0 * (double)present / (double)due);
}
