/* crosscheck_rules — the rule codes the code can run, each with its named query (see the header);
 * the query text is in store/crosscheck_queries.c. */
#include "core/crosscheck_rules.h"

#include <stdio.h>
#include <string.h>

static const struct crosscheck_rule_def RULES[] = {
  {"dup_id_same_village", CROSSCHECK_DUP_ID_SAME_VILLAGE, CROSSCHECK_HOUSEHOLD, false},
  {"member_two_villages", CROSSCHECK_MEMBER_TWO_VILLAGES, CROSSCHECK_HOUSEHOLD, false},
  {"monitored_high_income", CROSSCHECK_MONITORED_HIGH_INCOME, CROSSCHECK_HOUSEHOLD, true},
  {"low_income_not_monitored", CROSSCHECK_LOW_INCOME_NOT_MONITORED, CROSSCHECK_HOUSEHOLD, false},
  {"no_household_head", CROSSCHECK_NO_HOUSEHOLD_HEAD, CROSSCHECK_HOUSEHOLD, false},
  {"cadre_two_villages", CROSSCHECK_CADRE_TWO_VILLAGES, CROSSCHECK_ASSIGNMENT, false},
};
#define NRULES (sizeof RULES / sizeof RULES[0])
_Static_assert(NRULES == CROSSCHECK_RULE_COUNT, "every named query has its rule code");

const struct crosscheck_rule_def *crosscheck_rule(const char *code)
{
  for (size_t i = 0; code && i < NRULES; i++)
    if (strcmp(RULES[i].code, code) == 0) return &RULES[i];
  return NULL;
}

static bool nonempty(const json_t *v) { return json_is_string(v) && json_string_length(v) > 0; }

static bool check_rule(const json_t *e, size_t i, char *why, size_t whylen)
{
  const char *code = json_string_value(json_object_get(e, "code"));
  if (!json_is_object(e) || !nonempty(json_object_get(e, "code")) || !nonempty(json_object_get(e, "name_zh")) ||
      !nonempty(json_object_get(e, "description_zh")) || !json_is_integer(json_object_get(e, "number"))) {
    snprintf(why, whylen, "value[%zu] must have code, number, name_zh and description_zh", i);
    return false;
  }
  if (!crosscheck_rule(code)) {
    snprintf(why, whylen, "value[%zu]: rule \"%s\" has no query in the code (core/crosscheck_rules.c)", i, code);
    return false;
  }
  const json_t *clause = json_object_get(e, "clause");
  if (!nonempty(clause) || json_string_length(clause) > 7) {
    snprintf(why, whylen, "value[%zu] (%s): \"clause\" must be a clause id of at most 7 characters", i, code);
    return false;
  }
  const json_t *factor = json_object_get(e, "factor");
  if (factor && (!json_is_number(factor) || json_number_value(factor) <= 0)) {
    snprintf(why, whylen, "value[%zu] (%s): \"factor\" must be a number > 0", i, code);
    return false;
  }
  return true;
}

bool crosscheck_rules_check(const json_t *v, char *why, size_t whylen)
{
  if (!json_is_array(v) || json_array_size(v) == 0) {
    snprintf(why, whylen, "\"value\" must be a non-empty array of rules");
    return false;
  }
  size_t i;
  const json_t *e;
  json_array_foreach(v, i, e) {
    if (!check_rule(e, i, why, whylen)) return false;
    for (size_t j = 0; j < i; j++)
      if (strcmp(json_string_value(json_object_get(json_array_get(v, j), "code")),
                 json_string_value(json_object_get(e, "code"))) == 0) {
        snprintf(why, whylen, "value[%zu]: code \"%s\" appears twice", i, json_string_value(json_object_get(e, "code")));
        return false;
      }
  }
  return true;
}
