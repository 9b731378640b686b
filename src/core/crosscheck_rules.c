/* crosscheck_rules — one query per rule code. The queries only read; each is bounded by the
 * caller's scope and run with a row cap by store/crosscheck.c. CROSS JOIN fixes SQLite's join
 * order. The income and head rules walk the villages of the region first (region path range →
 * household(village_code)), so a township's check reads the township's households only. The two
 * ID-number rules have two plans: for a city, start from the few numbers held by more than one
 * household (one pass over the covering index household_member_lookup); for a county or less,
 * walk the region's members and look each number up (sql_local). */
#include "core/crosscheck_rules.h"

#include <stdio.h>
#include <string.h>

#define HOUSEHOLD_WHO "'户主 ' || h.head_name || '（户编号 ' || h.household_no || '）'"

static const struct crosscheck_query QUERIES[] = {
  /* 5.6: one person is one household — the same ID number on two households of one village */
  {"dup_id_same_village", CROSSCHECK_HOUSEHOLD,
   "SELECT DISTINCT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ","
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在本村户编号 ' || h2.household_no"
   " FROM (SELECT id_lookup FROM household_member WHERE removed_at IS NULL GROUP BY id_lookup"
   "  HAVING count(DISTINCT household_id) > 1) d"
   " CROSS JOIN household_member m ON m.id_lookup = d.id_lookup AND m.removed_at IS NULL"
   " CROSS JOIN household h ON h.id = m.household_id AND h.status = 'active'"
   " CROSS JOIN region tv ON tv.code = h.village_code"
   " JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code = h.village_code"
   " WHERE tv.level = 'village'",
   "SELECT DISTINCT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ","
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在本村户编号 ' || h2.household_no"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code AND h.status = 'active'"
   " CROSS JOIN household_member m ON m.household_id = h.id AND m.removed_at IS NULL"
   " CROSS JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " CROSS JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code = h.village_code"
   " WHERE tv.level = 'village'", false},
  /* 5.6: a member registered in two villages */
  {"member_two_villages", CROSSCHECK_HOUSEHOLD,
   "SELECT DISTINCT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ","
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在' || r2.name || '户编号 ' || h2.household_no"
   " FROM (SELECT id_lookup FROM household_member WHERE removed_at IS NULL GROUP BY id_lookup"
   "  HAVING count(DISTINCT household_id) > 1) d"
   " CROSS JOIN household_member m ON m.id_lookup = d.id_lookup AND m.removed_at IS NULL"
   " CROSS JOIN household h ON h.id = m.household_id AND h.status = 'active'"
   " CROSS JOIN region tv ON tv.code = h.village_code"
   " JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code <> h.village_code"
   " JOIN region r2 ON r2.code = h2.village_code"
   " WHERE tv.level = 'village'",
   "SELECT DISTINCT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ","
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在' || r2.name || '户编号 ' || h2.household_no"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code AND h.status = 'active'"
   " CROSS JOIN household_member m ON m.household_id = h.id AND m.removed_at IS NULL"
   " CROSS JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " CROSS JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code <> h.village_code"
   " JOIN region r2 ON r2.code = h2.village_code"
   " WHERE tv.level = 'village'", false},
  /* 5.7: monitored, yet the latest income is far above the threshold, and no case is open */
  {"monitored_high_income", CROSSCHECK_HOUSEHOLD,
   "SELECT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ","
   " '纳入监测，但 ' || hi.year || ' 年人均纯收入 ' || printf('%.0f', hi.per_capita) || ' 元，高于监测收入标准 '"
   " || :threshold || ' 元的 ' || printf('%g', :factor) || ' 倍'"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code"
   " JOIN household_income hi ON hi.household_id = h.id"
   "  AND hi.year = (SELECT max(x.year) FROM household_income x WHERE x.household_id = h.id)"
   " WHERE h.status = 'active' AND h.monitored = 1 AND hi.per_capita > :threshold * :factor", NULL, true},
  /* 5.7: not monitored, yet the latest income is below the threshold: a risk maybe missed */
  {"low_income_not_monitored", CROSSCHECK_HOUSEHOLD,
   "SELECT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ","
   " '未纳入监测，但 ' || hi.year || ' 年人均纯收入 ' || printf('%.0f', hi.per_capita) || ' 元，低于监测收入标准 '"
   " || :threshold || ' 元'"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code"
   " JOIN household_income hi ON hi.household_id = h.id"
   "  AND hi.year = (SELECT max(x.year) FROM household_income x WHERE x.household_id = h.id)"
   " WHERE h.status = 'active' AND h.monitored = 0 AND hi.per_capita < :threshold", NULL, false},
  /* 5.8: every household has exactly one head on its member list */
  {"no_household_head", CROSSCHECK_HOUSEHOLD,
   "SELECT h.id, tv.code, tv.name, " HOUSEHOLD_WHO ", '家庭成员中没有“户主”'"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code"
   " WHERE h.status = 'active' AND NOT EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = h.id"
   "  AND m.removed_at IS NULL AND m.relation = '户主')", NULL, false},
  /* 1.1, 2.1: a cadre serves one village at a time — posts of one cadre whose dates overlap */
  {"cadre_two_villages", CROSSCHECK_ASSIGNMENT,
   "SELECT DISTINCT a.id, ar.code, ar.name, c.name,"
   " '在' || ar.name || '（' || a.start_date || ' 起）的任职与在' || r2.name || '（' || a2.start_date || ' 起）的任职时间重叠'"
   " FROM assignment a JOIN region ar ON ar.code = a.village_code JOIN cadre c ON c.id = a.cadre_id"
   " JOIN assignment a2 ON a2.cadre_id = a.cadre_id AND a2.id <> a.id AND a2.village_code <> a.village_code"
   "  AND a2.status IN ('active','handover','ended')"
   " JOIN region r2 ON r2.code = a2.village_code"
   " WHERE a.status IN ('active','handover','ended')"
   " AND a.start_date < coalesce(a2.ended_on, '9999-12-31') AND a2.start_date < coalesce(a.ended_on, '9999-12-31')",
   NULL, false},
};
#define NQUERIES (sizeof QUERIES / sizeof QUERIES[0])

const struct crosscheck_query *crosscheck_query(const char *code)
{
  for (size_t i = 0; code && i < NQUERIES; i++)
    if (strcmp(QUERIES[i].code, code) == 0) return &QUERIES[i];
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
  if (!crosscheck_query(code)) {
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
