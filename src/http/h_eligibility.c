/* h_eligibility — the verdict for one candidate (1.3, 1.9), and the
 * ranking of a unit's candidates (1.4). The verdicts come from core/eligibility.c; this file
 * only gathers the facts and shapes the reply. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/eligibility.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "store/assignments.h"
#include "store/cadres.h"
#include "store/db.h"
#include "store/units.h"

json_t *eligibility_result_json(const struct eligibility_result *r)
{
  json_t *reasons = json_array();
  for (int i = 0; i < r->nreasons; i++) {
    const struct eligibility_reason *x = &r->reasons[i];
    json_array_append_new(reasons, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "clause", x->clause, "check", x->check,
                                             "outcome", eligibility_verdict_name(x->outcome), "code", x->code,
                                             "parameter", x->parameter, "message", x->message_zh));
  }
  return json_pack("{s:s, s:s, s:i, s:o, s:{s:b, s:b, s:b, s:b, s:i, s:s}}", "verdict",
                   eligibility_verdict_name(r->verdict), "verdict_name", eligibility_verdict_name_zh(r->verdict),
                   "age", r->age, "reasons", reasons, "priority", "excellent", r->priority.excellent, "young",
                   r->priority.young, "party_member", r->priority.party_member, "rural", r->priority.rural, "score",
                   r->priority.score, "clause", "1.4");
}

/* Runs the engine for cadre × unit × post × date; the caller has checked scope. */
int handler_judge(struct request *req, struct reply *rep, int64_t cadre, int64_t unit, enum post post, int date,
                  struct eligibility_result *out)
{
  struct cadre_facts facts;
  long window = policy_int(req->app->policy, "appraisal_window_years", date);
  int rc = assignments_facts(req->db, cadre, unit, date, window > 0 ? (int)window : 1, &facts);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "干部或单位不存在", NULL);
  if (rc != DB_OK) return reply_internal(rep);
  facts.in.post = post;
  if (eligibility_check(req->app->policy, &facts.in, out) != 0) {
    /* the policy has no value for that date, or the record cannot be judged (e.g. a birth date
     * after the dispatch date) */
    bool policy = strcmp(out->reasons[0].code, "policy_missing") == 0;
    return reply_error(rep, policy ? 409 : 400, policy ? "policy_missing" : "input_invalid", out->reasons[0].message_zh,
                       "date");
  }
  return 0;
}

/* ?date=YYYY-MM-DD, default today (China Standard Time). */
int handler_query_date(const struct request *req, struct reply *rep, const char *name, int *out)
{
  const char *s = request_query(req, name);
  if (!s || !*s) { *out = req->today; return 0; }
  if (date_parse_iso(s, out) != 0 || *out < 20000101 || *out > 21001231)
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD 格式的有效日期（2000—2100 年）", name);
  return 0;
}

static int query_id(const struct request *req, struct reply *rep, const char *name, bool required, int64_t *out)
{
  const char *s = request_query(req, name);
  *out = 0;
  if (!s || !*s) return required ? reply_error(rep, 400, "field_required", "缺少查询参数", name) : 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v < 1) return reply_error(rep, 400, "field_invalid", "应为正整数编号", name);
  *out = v;
  return 0;
}

static int query_post(const struct request *req, struct reply *rep, enum post *out)
{
  const char *s = request_query(req, "post");
  if (!s) { *out = POST_FIRST_SECRETARY; return 0; }
  if (eligibility_post_parse(s, out) != 0)
    return reply_error(rep, 400, "field_invalid", "职务应为 first_secretary、team_leader 或 team_member", "post");
  return 0;
}

/* The dispatching unit must be in scope; for unit users it is their own unit. */
int handler_unit_in_scope(struct request *req, struct reply *rep, int64_t unit)
{
  json_t *u = units_get_json(req->db, &req->scope, unit);
  if (!u) return reply_not_found(req, rep, "派出单位不存在或不在管辖范围内", "unit");
  json_decref(u);
  return 0;
}

int api_eligibility_get(struct request *req, struct reply *rep)
{
  int64_t cadre, unit;
  enum post post;
  int date;
  if (query_id(req, rep, "cadre", true, &cadre) != 0 || query_id(req, rep, "unit", true, &unit) != 0 ||
      query_post(req, rep, &post) != 0 || handler_query_date(req, rep, "date", &date) != 0)
    return -1;
  json_t *c = cadres_get_json(req->db, &req->scope, cadre);
  if (!c) return reply_not_found(req, rep, "干部不存在或不在管辖范围内", "cadre");
  if (handler_unit_in_scope(req, rep, unit) != 0) { json_decref(c); return -1; }
  struct eligibility_result r;
  if (handler_judge(req, rep, cadre, unit, post, date, &r) != 0) { json_decref(c); return -1; }
  json_t *out = eligibility_result_json(&r);
  char iso[DATE_ISO_SIZE];
  date_format_iso(date, iso);
  json_object_set_new(out, "cadre", c);
  json_object_set_new(out, "unit_id", json_integer(unit));
  json_object_set_new(out, "post", json_string(eligibility_post_name(post)));
  json_object_set_new(out, "date", json_string(iso));
  reply_json(rep, 200, out);
  return 0;
}

/* Order: eligible first, then needs justification, then blocked; within each, the higher
 * priority score (1.4) first, then the younger. */
static int compare_candidates(const void *a, const void *b)
{
  const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
  const char *vx = json_string_value(json_object_get(x, "verdict")), *vy = json_string_value(json_object_get(y, "verdict"));
  int rx = strcmp(vx, "eligible") == 0 ? 0 : strcmp(vx, "needs_justification") == 0 ? 1 : 2;
  int ry = strcmp(vy, "eligible") == 0 ? 0 : strcmp(vy, "needs_justification") == 0 ? 1 : 2;
  if (rx != ry) return rx - ry;
  json_int_t sx = json_integer_value(json_object_get(json_object_get(x, "priority"), "score"));
  json_int_t sy = json_integer_value(json_object_get(json_object_get(y, "priority"), "score"));
  if (sx != sy) return sy > sx ? 1 : -1;
  return (int)(json_integer_value(json_object_get(x, "age")) - json_integer_value(json_object_get(y, "age")));
}

static const char *const CANDIDATE_EXPORT[][2] = {
  {"rank", "排序"}, {"name", "姓名"}, {"id_number", "身份证号（脱敏）"}, {"age", "年龄"}, {"verdict_name", "结论"},
  {"priority_score", "优先因素数"}, {"summary", "理由"}, {NULL, NULL}};

int api_candidates_get(struct request *req, struct reply *rep)
{
  int64_t unit;
  enum post post;
  int date;
  if (query_id(req, rep, "unit", true, &unit) != 0 || query_post(req, rep, &post) != 0 ||
      handler_query_date(req, rep, "date", &date) != 0 || handler_unit_in_scope(req, rep, unit) != 0)
    return -1;
  /* the unit's own cadres not holding or awaiting a post: at most a few hundred per unit */
  json_t *list = cadres_list_json(req->db, &req->scope, NULL, unit, NULL, 1, 0);
  if (!list) return reply_internal(rep);
  json_t *items = json_array();
  size_t i;
  json_t *c;
  int rc = 0;
  json_array_foreach(json_object_get(list, "items"), i, c) {
    /* not holding or awaiting a post (pending, active or in handover) */
    if (json_is_true(json_object_get(c, "has_live_post"))) continue;
    struct eligibility_result r;
    rc = handler_judge(req, rep, json_integer_value(json_object_get(c, "id")), unit, post, date, &r);
    if (rc != 0) break;
    json_t *row = eligibility_result_json(&r);
    json_object_update(row, c);
    json_object_set_new(row, "priority_score", json_integer(r.priority.score));
    char summary[1024] = "";
    for (int k = 0; k < r.nreasons; k++)
      if (r.reasons[k].outcome != VERDICT_ELIGIBLE && strlen(summary) + strlen(r.reasons[k].message_zh) + 8 < sizeof summary)
        snprintf(summary + strlen(summary), sizeof summary - strlen(summary), "%s[%s] %s", *summary ? "；" : "",
                 r.reasons[k].clause, r.reasons[k].message_zh);
    json_object_set_new(row, "summary", json_string(summary));
    json_array_append_new(items, row);
  }
  json_decref(list);
  if (rc != 0) { json_decref(items); return -1; }
  size_t n = json_array_size(items);
  json_t **sorted = calloc(n ? n : 1, sizeof *sorted);
  if (!sorted) { json_decref(items); return reply_internal(rep); }
  for (i = 0; i < n; i++) sorted[i] = json_array_get(items, i);
  qsort(sorted, n, sizeof *sorted, compare_candidates);
  json_t *ranked = json_array();
  for (i = 0; i < n; i++) {
    json_object_set_new(sorted[i], "rank", json_integer((json_int_t)i + 1));
    json_array_append(ranked, sorted[i]);
  }
  free(sorted);
  json_decref(items);
  return handler_reply_list(req, rep, json_pack("{s:o, s:I, s:s}", "items", ranked, "total", (json_int_t)n, "clause", "1.4"),
                            CANDIDATE_EXPORT, "候选人排序");
}
