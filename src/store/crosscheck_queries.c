/* crosscheck_queries — see the header. CROSS JOIN fixes SQLite's join order. The income and head
 * rules walk the villages of the region first (region path range → household(village_code)), so a
 * township's check reads the township's households only. The two ID-number rules have two plans:
 * for a city, start from the few numbers held by more than one household (one pass over the
 * covering index household_member_lookup); for a county or less, walk the region's members and
 * look each number up (sql_local). */
#include "store/crosscheck_queries.h"

#include <stddef.h>

#define HOUSEHOLD_WHO "'户主 ' || h.head_name || '（户编号 ' || h.household_no || '）'"

static const struct crosscheck_sql QUERIES[CROSSCHECK_RULE_COUNT] = {
  /* 5.6: one person is one household — the same ID number on two households of one village */
  [CROSSCHECK_DUP_ID_SAME_VILLAGE] = {
   "SELECT DISTINCT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在本村户编号 ' || h2.household_no AS detail"
   " FROM (SELECT id_lookup FROM household_member WHERE removed_at IS NULL GROUP BY id_lookup"
   "  HAVING count(DISTINCT household_id) > 1) d"
   " CROSS JOIN household_member m ON m.id_lookup = d.id_lookup AND m.removed_at IS NULL"
   " CROSS JOIN household h ON h.id = m.household_id AND h.status = 'active'"
   " CROSS JOIN region tv ON tv.code = h.village_code"
   " JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code = h.village_code"
   " WHERE tv.level = 'village'",
   "SELECT DISTINCT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在本村户编号 ' || h2.household_no AS detail"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code AND h.status = 'active'"
   " CROSS JOIN household_member m ON m.household_id = h.id AND m.removed_at IS NULL"
   " CROSS JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " CROSS JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code = h.village_code"
   " WHERE tv.level = 'village'"},
  /* 5.6: a member registered in two villages */
  [CROSSCHECK_MEMBER_TWO_VILLAGES] = {
   "SELECT DISTINCT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在' || r2.name || '户编号 ' || h2.household_no AS detail"
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
   "SELECT DISTINCT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '成员 ' || m.name || '（' || m.id_masked || '）同时登记在' || r2.name || '户编号 ' || h2.household_no AS detail"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code AND h.status = 'active'"
   " CROSS JOIN household_member m ON m.household_id = h.id AND m.removed_at IS NULL"
   " CROSS JOIN household_member m2 ON m2.id_lookup = m.id_lookup AND m2.household_id <> m.household_id"
   "  AND m2.removed_at IS NULL"
   " CROSS JOIN household h2 ON h2.id = m2.household_id AND h2.status = 'active' AND h2.village_code <> h.village_code"
   " JOIN region r2 ON r2.code = h2.village_code"
   " WHERE tv.level = 'village'"},
  /* 5.7: monitored, yet the latest income is far above the threshold, and no case is open */
  [CROSSCHECK_MONITORED_HIGH_INCOME] = {
   "SELECT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '纳入监测，但 ' || hi.year || ' 年人均纯收入 ' || printf('%.0f', hi.per_capita) || ' 元，高于监测收入标准 '"
   " || printf('%.0f', :threshold) || ' 元的 ' || printf('%g', :factor) || ' 倍' AS detail"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code"
   " JOIN household_income hi ON hi.household_id = h.id"
   "  AND hi.year = (SELECT max(x.year) FROM household_income x WHERE x.household_id = h.id)"
   " WHERE h.status = 'active' AND h.monitored = 1 AND hi.per_capita > :threshold * :factor", NULL},
  /* 5.7: not monitored, yet the latest income is below the threshold: a risk maybe missed */
  [CROSSCHECK_LOW_INCOME_NOT_MONITORED] = {
   "SELECT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '未纳入监测，但 ' || hi.year || ' 年人均纯收入 ' || printf('%.0f', hi.per_capita) || ' 元，低于监测收入标准 '"
   " || printf('%.0f', :threshold) || ' 元' AS detail"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code"
   " JOIN household_income hi ON hi.household_id = h.id"
   "  AND hi.year = (SELECT max(x.year) FROM household_income x WHERE x.household_id = h.id)"
   " WHERE h.status = 'active' AND h.monitored = 0 AND hi.per_capita < :threshold", NULL},
  /* 5.8: every household has exactly one head on its member list */
  [CROSSCHECK_NO_HOUSEHOLD_HEAD] = {
   "SELECT h.id AS id, tv.code AS village_code, tv.name AS village_name, " HOUSEHOLD_WHO " AS title,"
   " '家庭成员中没有“户主”' AS detail"
   " FROM region tv CROSS JOIN household h ON h.village_code = tv.code"
   " WHERE h.status = 'active' AND NOT EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = h.id"
   "  AND m.removed_at IS NULL AND m.relation = '户主')", NULL},
  /* 1.1, 2.1: a cadre serves one village at a time — posts of one cadre whose dates overlap */
  [CROSSCHECK_CADRE_TWO_VILLAGES] = {
   "SELECT DISTINCT a.id AS id, ar.code AS village_code, ar.name AS village_name, c.name AS title,"
   " '在' || ar.name || '（' || a.start_date || ' 起）的任职与在' || r2.name || '（' || a2.start_date || ' 起）的任职时间重叠' AS detail"
   " FROM assignment a JOIN region ar ON ar.code = a.village_code JOIN cadre c ON c.id = a.cadre_id"
   " JOIN assignment a2 ON a2.cadre_id = a.cadre_id AND a2.id <> a.id AND a2.village_code <> a.village_code"
   "  AND a2.status IN ('active','handover','ended')"
   " JOIN region r2 ON r2.code = a2.village_code"
   " WHERE a.status IN ('active','handover','ended')"
   " AND a.start_date < coalesce(a2.ended_on, '9999-12-31') AND a2.start_date < coalesce(a.ended_on, '9999-12-31')",
   NULL},
};

const struct crosscheck_sql *crosscheck_sql(enum crosscheck_rule query)
{
  if ((unsigned)query >= CROSSCHECK_RULE_COUNT || !QUERIES[query].sql) return NULL;
  return &QUERIES[query];
}
