/* record_input — see record_input.h. */
#include "http/record_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "http/json_in.h"
#include "http/request.h"
#include "http/server.h"
#include "store/db.h"
#include "store/evidence.h"

const char *rec_id_text(int64_t id, char buf[24])
{
  snprintf(buf, 24, "%lld", (long long)id);
  return buf;
}

int rec_date(const struct request *req, struct reply *rep, const char *s, const char *field, bool allow_future, int *out)
{
  if (!s || date_parse_iso(s, out) != 0 || *out < 20000101 || *out > 21001231)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", field);
  if (!allow_future && *out > req->today) return reply_error(rep, 400, "field_invalid", "日期不能晚于今天", field);
  return 0;
}

int rec_query_year(const struct request *req, struct reply *rep, int *year)
{
  const char *s;
  *year = date_year(req->today);
  if (query_text(req, rep, "year", 4, &s) != 0) return -1;
  if (!s || !*s) return 0;
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v < 2000 || v > 2100) return reply_error(rep, 400, "field_invalid", "年份应为 2000—2100 之间的四位数", "year");
  *year = (int)v;
  return 0;
}

int rec_query_id(const struct request *req, struct reply *rep, const char *name, int64_t *out)
{
  const char *s;
  *out = 0;
  if (query_text(req, rep, name, 20, &s) != 0) return -1;
  if (!s || !*s) return 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v <= 0) return reply_error(rep, 400, "field_invalid", "查询参数应为正整数编号", name);
  *out = v;
  return 0;
}

int rec_query_enum(const struct request *req, struct reply *rep, const char *name, const char *const values[],
                   const char **out)
{
  if (query_text(req, rep, name, 40, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  for (int i = 0; values[i]; i++)
    if (strcmp(values[i], *out) == 0) return 0;
  char msg[160];
  snprintf(msg, sizeof msg, "查询参数 %s 的取值无效", name);
  return reply_error(rep, 400, "field_invalid", msg, name);
}

int rec_query_region(const struct request *req, struct reply *rep, const char **out)
{
  if (query_text(req, rep, "region", 12, out) != 0) return -1;
  if (!*out || !**out) { *out = NULL; return 0; }
  size_t n = strlen(*out);
  if (n < 2 || strspn(*out, "0123456789") != n)
    return reply_error(rep, 400, "field_invalid", "区划代码应为 2—12 位数字", "region");
  return 0;
}

int rec_coded(const struct request *req, struct reply *rep, const char *list_id, const char *code, const char *field,
              const json_t **item)
{
  *item = policy_list_item(req->app->policy, list_id, req->today, code);
  if (*item) return 0;
  char msg[200];
  snprintf(msg, sizeof msg, "%s 的取值不在政策参数 %s 所列范围内", field, list_id);
  return reply_error(rep, 400, "field_invalid", msg, field);
}

void rec_add_name(const struct request *req, json_t *row, const char *key, const char *list_id)
{
  const char *name = policy_list_name(req->app->policy, list_id, req->today, json_string_value(json_object_get(row, key)));
  char k[64];
  snprintf(k, sizeof k, "%s_name", key);
  json_object_set_new(row, k, name ? json_string(name) : json_null());
}

int rec_check_lock(struct request *req, struct reply *rep, const char *date, const char *region_path,
                   const char *field)
{
  char today[11];
  date_format_iso(req->today, today);
  long days = policy_int(req->app->policy, "record_lock_days", req->today);
  bool locked = false;
  if (evidence_month_locked(req->db, date, today, days < 0 ? 10 : (int)days, region_path, &locked) != DB_OK)
    return reply_internal(rep);
  if (!locked) return 0;
  char msg[200];
  snprintf(msg, sizeof msg, "%.7s 月的记录已于月末后 %ld 天锁定，如需补录或修改请由上级解锁", date, days);
  return reply_error(rep, 423, "period_locked", msg, field);
}

const json_t *rec_obligation(const struct request *req, const char *evidence)
{
  const struct policy_param *param = policy_param(req->app->policy, "obligations", req->today);
  const json_t *list = param ? param->value : NULL;
  size_t i;
  const json_t *row;
  json_array_foreach(list, i, row) {
    const char *e = json_string_value(json_object_get(row, "evidence"));
    if (e && strcmp(e, evidence) == 0) return row;
  }
  return NULL;
}

int rec_withdraw_body(struct request *req, struct reply *rep, json_t **body, const char **reason)
{
  static const char *const ALLOWED[] = {"reason", NULL};
  *body = NULL;
  if (body_object(req, rep, body) != 0 || fields_allowed(rep, *body, ALLOWED) != 0 ||
      field_string(rep, *body, "reason", true, 500, reason) != 0)
    return -1;
  if (!**reason) return reply_error(rep, 400, "field_required", "请填写撤销原因", "reason");
  return 0;
}
