/* village_profile — the village profile (村情) the team analyses for its weak points (5.8
 * 分析本村发展存在的短板弱项): its fields, their Chinese names and the shape of each value.
 * Pure: checks a value given as JSON and answers its canonical form, or why it is refused.
 *
 *   collective_income  村级集体经济收入: {"year": 2025, "amount": 86000}  (yuan, that year)
 *   population         人口: {"households": 412, "people": 1630}
 *   industries         主导产业: ["脐橙", "蔬菜大棚"]  (1..20 texts of 1..40 characters)
 *   infrastructure     基础设施: [{"item": "通组道路硬化", "status": "partial"}] with status
 *                      done 已完成 | partial 部分完成 | missing 缺失  (1..30 items)
 *   committee          村“两委”班子: [{"name": "刘建国", "post": "村党组织书记、村委会主任"}] (1..30)
 *   weak_points        短板弱项: ["集体经济薄弱", "灌溉设施不足"]  (0..20 texts): what the team's
 *                      analysis found; a plan names those it addresses (5.9)
 * A history is kept by the store (one dated entry per change); this module knows one value. */
#ifndef ZHUCUN_VILLAGE_PROFILE_H
#define ZHUCUN_VILLAGE_PROFILE_H

#include <jansson.h>
#include <stddef.h>

#define VILLAGE_PROFILE_FIELDS 6

/* The field codes in display order; NULL-terminated. */
extern const char *const village_profile_fields[VILLAGE_PROFILE_FIELDS + 1];

/* Chinese name of a field, NULL for an unknown code. */
const char *village_profile_field_zh(const char *field);

/* Checks value for field; on success *out is a new canonical value (only the known keys) and 0 is
 * returned; otherwise -1 with a Chinese message in why. today bounds collective_income.year. */
int village_profile_check(const char *field, const json_t *value, int today_year, json_t **out, char *why,
                          size_t whylen);

#endif
