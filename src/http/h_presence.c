/* h_presence — the working calendar and the monthly presence analysis (在村情况): attendance
 * against the minimum days in the village (2.1) and the 吃住在村 indicator (3.6). Reads only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/presence.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/server.h"
#include "store/calendar.h"
#include "store/presence.h"

static const char *const PRESENCE_EXPORT[][2] = {
  {"name", "姓名"}, {"village_name", "驻村"}, {"township_name", "乡镇"}, {"unit_name", "派出单位"},
  {"post_name", "职务"}, {"period_first", "统计起"}, {"period_last", "统计止"}, {"working_days", "工作日"},
  {"days_in_village", "在村天数"}, {"leave_days", "请假天数"}, {"off_site_days", "因公外出天数"},
  {"absent_working_days", "缺勤工作日"}, {"rest_days", "休息日"}, {"min_days", "每月最少在村天数"},
  {"required_days", "应在村天数"}, {"meets_minimum", "达到要求"}, {"nights", "连续两日在村（不计为过夜）"},
  {"nights_expected", "应在村过夜"}, {"nights_confirmed", "确认在村过夜（晚/早打卡）"}, {"stay_score", "吃住在村得分"}, {"stay_label_name", "吃住在村"},
  {NULL, NULL}};

/* Exactly YYYY-MM with a month 01..12. */
static int parse_month(const char *s, int *year, int *month)
{
  if (!s || strlen(s) != 7 || s[4] != '-') return -1;
  for (int i = 0; i < 7; i++) if (i != 4 && (s[i] < '0' || s[i] > '9')) return -1;
  *year = atoi(s);
  *month = atoi(s + 5);
  return *year >= 1 && *month >= 1 && *month <= 12 ? 0 : -1;
}

/* A parameter in force on date, or the default when the policy file lacks it. */
static int param_or(const struct policy *p, const char *id, int date, int fallback)
{
  long v = p ? policy_int(p, id, date) : -1;
  return v >= 0 && v <= 1000 ? (int)v : fallback;
}

void handler_presence_rules(const struct request *req, int first, struct presence_rules *rules)
{
  const struct policy *pol = req->app->policy;
  *rules = (struct presence_rules){
    param_or(pol, "min_days_in_village_per_month", first, 20), param_or(pol, "stay_in_village_evening_hour", first, 18),
    param_or(pol, "stay_in_village_morning_hour", first, 9), param_or(pol, "stay_in_village_good_score", first, 80),
    param_or(pol, "stay_in_village_fair_score", first, 60)};
}

int handler_presence_query(struct request *req, struct reply *rep, struct presence_query *q,
                           struct presence_rules *rules)
{
  const char *month_s, *region;
  if (query_text(req, rep, "month", 7, &month_s) != 0 || query_text(req, rep, "region", 12, &region) != 0) return -1;
  int today = req->today, year, month;
  if (!month_s || !*month_s) { year = date_year(today); month = date_month(today); }
  else if (parse_month(month_s, &year, &month) != 0)
    return reply_error(rep, 400, "field_invalid", "月份（month）应写成 YYYY-MM，如 2026-11", "month");
  int first = date_make(year, month, 1);
  if (first > today) return reply_error(rep, 400, "field_invalid", "不能统计尚未开始的月份", "month");
  handler_presence_rules(req, first, rules);
  *q = (struct presence_query){year, month, region && *region ? region : NULL, today, rules};
  return 0;
}

int api_presence_get(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct presence_rules rules;
  struct presence_query q;
  if (query_page(req, rep, &page, &page_size) != 0 || handler_presence_query(req, rep, &q, &rules) != 0) return -1;
  int year = q.year, month = q.month;
  json_t *list = presence_list_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  if (list && !query_wants_xlsx(req)) {
    char m[8];
    snprintf(m, sizeof m, "%04d-%02d", year, month);
    json_object_set_new(list, "month", json_string(m));
    json_object_set_new(list, "clauses", json_pack("[s, s]", "2.1", "3.6"));
    json_object_set_new(list, "min_days", json_integer(rules.min_days));
    json_object_set_new(list, "rules", json_pack("{s:i, s:i, s:i, s:i, s:i}", "min_days_in_village_per_month",
                                                 rules.min_days, "stay_in_village_evening_hour", rules.evening_hour,
                                                 "stay_in_village_morning_hour", rules.morning_hour,
                                                 "stay_in_village_good_score", rules.good_score,
                                                 "stay_in_village_fair_score", rules.fair_score));
  }
  return handler_reply_list(req, rep, list, PRESENCE_EXPORT, "在村情况");
}

int api_calendar_get(struct request *req, struct reply *rep)
{
  const char *year_s;
  if (query_text(req, rep, "year", 4, &year_s) != 0) return -1;
  int year = date_year(req->today);
  if (year_s && *year_s) {
    char *end;
    long y = strtol(year_s, &end, 10);
    if (*end || strlen(year_s) != 4 || y < 1900 || y > 2100)
      return reply_error(rep, 400, "field_invalid", "年份（year）应为 1900 至 2100 之间的四位数", "year");
    year = (int)y;
  }
  json_t *out = calendar_year_json(req->db, year);
  if (!out) return reply_internal(rep);
  json_object_set_new(out, "clause", json_string("2.1"));
  reply_json(rep, 200, out);
  return 0;
}
