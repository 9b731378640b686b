/* village_profile — fields and values of the village profile (see village_profile.h). */
#include "core/village_profile.h"

#include <stdio.h>
#include <string.h>

const char *const village_profile_fields[VILLAGE_PROFILE_FIELDS + 1] = {
    "collective_income", "population", "industries", "infrastructure", "committee", "weak_points", NULL};

static const char *const FIELD_ZH[VILLAGE_PROFILE_FIELDS] = {"村级集体经济收入", "人口", "主导产业", "基础设施",
                                                             "村“两委”班子", "短板弱项"};

const char *village_profile_field_zh(const char *field)
{
  for (int i = 0; field && i < VILLAGE_PROFILE_FIELDS; i++)
    if (strcmp(village_profile_fields[i], field) == 0) return FIELD_ZH[i];
  return NULL;
}

static int refuse(char *why, size_t whylen, const char *msg)
{
  snprintf(why, whylen, "%s", msg);
  return -1;
}

/* A text of 1..max characters (UTF-8 code points), not only spaces. */
static int text_ok(const json_t *v, size_t max)
{
  const char *s = json_string_value(v);
  if (!s) return 0;
  size_t chars = 0, visible = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) != 0x80) chars++;
    if (*p != ' ') visible++;
  }
  return visible > 0 && chars <= max;
}

static int whole(const json_t *v, json_int_t lo, json_int_t hi, json_int_t *out)
{
  if (!json_is_integer(v)) return 0;
  *out = json_integer_value(v);
  return *out >= lo && *out <= hi;
}

static int check_income(const json_t *v, int today_year, json_t **out, char *why, size_t whylen)
{
  json_int_t year;
  if (!json_is_object(v) || !whole(json_object_get(v, "year"), 2000, today_year, &year))
    return refuse(why, whylen, "集体经济收入应为 {year, amount}，year 为 2000 年至今年之间的年份");
  const json_t *a = json_object_get(v, "amount");
  if (!json_is_number(a) || json_number_value(a) < 0 || json_number_value(a) > 1e10)
    return refuse(why, whylen, "集体经济收入 amount 应为不小于 0 的金额（元）");
  *out = json_pack("{s:I, s:f}", "year", year, "amount", json_number_value(a));
  return 0;
}

static int check_population(const json_t *v, json_t **out, char *why, size_t whylen)
{
  json_int_t households, people;
  if (!json_is_object(v) || !whole(json_object_get(v, "households"), 0, 100000, &households) ||
      !whole(json_object_get(v, "people"), 0, 1000000, &people))
    return refuse(why, whylen, "人口应为 {households, people}，户数和人数为不小于 0 的整数");
  if (people < households) return refuse(why, whylen, "人数不能少于户数");
  *out = json_pack("{s:I, s:I}", "households", households, "people", people);
  return 0;
}

static int check_texts(const json_t *v, size_t min, size_t max_items, json_t **out, char *why, size_t whylen)
{
  if (!json_is_array(v) || json_array_size(v) < min || json_array_size(v) > max_items) {
    char msg[120];
    snprintf(msg, sizeof msg, "应为 %zu 至 %zu 项文字的列表", min, max_items);
    return refuse(why, whylen, msg);
  }
  size_t i;
  const json_t *it;
  json_array_foreach(v, i, it) if (!text_ok(it, 40)) return refuse(why, whylen, "每一项应为 1 至 40 个字的文字");
  *out = json_deep_copy(v);
  return 0;
}

static int check_infrastructure(const json_t *v, json_t **out, char *why, size_t whylen)
{
  if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 30)
    return refuse(why, whylen, "基础设施应为 1 至 30 项 {item, status}");
  json_t *list = json_array();
  size_t i;
  const json_t *it;
  json_array_foreach(v, i, it) {
    const char *status = json_string_value(json_object_get(it, "status"));
    if (!text_ok(json_object_get(it, "item"), 40) || !status ||
        (strcmp(status, "done") != 0 && strcmp(status, "partial") != 0 && strcmp(status, "missing") != 0)) {
      json_decref(list);
      return refuse(why, whylen, "基础设施每项应为 {item: 1 至 40 个字, status: done（已完成）| partial（部分完成）| missing（缺失）}");
    }
    json_array_append_new(list, json_pack("{s:O, s:s}", "item", json_object_get(it, "item"), "status", status));
  }
  *out = list;
  return 0;
}

static int check_committee(const json_t *v, json_t **out, char *why, size_t whylen)
{
  if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 30)
    return refuse(why, whylen, "村“两委”班子应为 1 至 30 名成员 {name, post}");
  json_t *list = json_array();
  size_t i;
  const json_t *it;
  json_array_foreach(v, i, it) {
    if (!text_ok(json_object_get(it, "name"), 20) || !text_ok(json_object_get(it, "post"), 40)) {
      json_decref(list);
      return refuse(why, whylen, "每名成员应为 {name: 1 至 20 个字, post: 1 至 40 个字}");
    }
    json_array_append_new(list, json_pack("{s:O, s:O}", "name", json_object_get(it, "name"), "post",
                                          json_object_get(it, "post")));
  }
  *out = list;
  return 0;
}

int village_profile_check(const char *field, const json_t *value, int today_year, json_t **out, char *why,
                          size_t whylen)
{
  *out = NULL;
  if (!village_profile_field_zh(field)) return refuse(why, whylen, "未知的村情项目");
  if (strcmp(field, "collective_income") == 0) return check_income(value, today_year, out, why, whylen);
  if (strcmp(field, "population") == 0) return check_population(value, out, why, whylen);
  if (strcmp(field, "industries") == 0) return check_texts(value, 1, 20, out, why, whylen);
  if (strcmp(field, "infrastructure") == 0) return check_infrastructure(value, out, why, whylen);
  if (strcmp(field, "committee") == 0) return check_committee(value, out, why, whylen);
  return check_texts(value, 0, 20, out, why, whylen); /* weak_points: none found is an answer too */
}
