/* upward_figures — see upward_figures.h. */
#include "store/upward_figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/obligations.h"
#include "core/policy.h"
#include "core/presence.h"
#include "store/db.h"
#include "store/cases.h"
#include "store/funds.h"
#include "store/obligations.h"
#include "store/plans.h"
#include "store/presence.h"
#include "store/scope.h"
#include "store/training.h"
#include "store/upward_reports.h"
#include "store/visits.h"

/* What every figure needs: the database, the policy in force and the day the figures are as of. */
struct ctx { struct db *db; const struct policy *pol; int today; };

static double pct(int64_t part, int64_t whole) { return whole ? round(1000.0 * (double)part / (double)whole) / 10.0 : 0; }

static long param_or(const struct ctx *cx, const char *id, int date, long fallback)
{
  long v = policy_int(cx->pol, id, date);
  return v >= 0 && v <= 100000 ? v : fallback;
}

static const json_t *value_of(const struct ctx *cx, const char *id)
{
  const struct policy_param *p = policy_param(cx->pol, id, cx->today);
  return p ? p->value : NULL;
}

static void region_scope(const struct upward_region *r, struct scope *s)
{
  memset(s, 0, sizeof *s);
  s->kind = SCOPE_KIND_REGION;
  snprintf(s->region_code, sizeof s->region_code, "%s", r->code);
  snprintf(s->path_lo, sizeof s->path_lo, "%s", r->path);
  snprintf(s->path_hi, sizeof s->path_hi, "%s~", r->path);
}

/* ---- presence (在村情况, 2.1): every month of the period ---- */

static int presence_month(const struct ctx *cx, const struct scope *s, int month_first, int64_t *posts, int64_t *meets,
                          int64_t *days, int64_t *cadres)
{
  struct presence_rules rules = {(int)param_or(cx, "min_days_in_village_per_month", month_first, 20),
                                 (int)param_or(cx, "stay_in_village_evening_hour", month_first, 18),
                                 (int)param_or(cx, "stay_in_village_morning_hour", month_first, 9),
                                 (int)param_or(cx, "stay_in_village_good_score", month_first, 80),
                                 (int)param_or(cx, "stay_in_village_fair_score", month_first, 60)};
  struct presence_query q = {date_year(month_first), date_month(month_first), NULL, cx->today, &rules};
  struct presence_posts pp = {0};
  if (presence_posts_read(cx->db, s, &q, 1, 0, &pp) != 0) return -1;
  *cadres = 0;
  for (size_t i = 0; i < pp.n; i++) {
    const struct presence_post *p = &pp.items[i];
    if (!p->result.first) continue;
    (*posts)++;
    *meets += p->result.meets_minimum;
    *days += p->result.days_in_village;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) seen = pp.items[j].cadre_id == p->cadre_id && pp.items[j].result.first;
    if (!seen) (*cadres)++;
  }
  presence_posts_free(&pp);
  return 0;
}

static json_t *presence_figures(const struct ctx *cx, const struct scope *s, int from, int to, int64_t *cadres)
{
  int64_t posts = 0, meets = 0, days = 0;
  int months = 0;
  for (int m = from; m <= to && m <= cx->today; m = date_add_months(m, 1), months++)
    if (presence_month(cx, s, m, &posts, &meets, &days, cadres) != 0) return NULL;
  return json_pack("{s:i, s:I, s:I, s:I, s:f, s:i}", "months", months, "posts", (json_int_t)posts, "meets",
                   (json_int_t)meets, "days_in_village", (json_int_t)days, "rate", pct(meets, posts), "min_days",
                   (int)param_or(cx, "min_days_in_village_per_month", to, 20));
}

/* ---- duties (履职监督) ---- */

static json_t *duty_figures(const struct ctx *cx, const struct scope *s, const char *code, int from, int to)
{
  struct obligation rows[OBLIGATIONS_MAX];
  size_t n = 0;
  char why[200];
  const json_t *obs = value_of(cx, "obligations");
  if (!obs || obligations_parse(obs, rows, OBLIGATIONS_MAX, &n, why, sizeof why) != 0) return NULL;
  struct compliance_query q;
  memset(&q, 0, sizeof q);
  q.from = from;
  q.to = to;
  q.today = cx->today;
  q.lock_days = (int)param_or(cx, "record_lock_days", cx->today, 10);
  q.anchor_year = (int)param_or(cx, "obligation_two_year_anchor", cx->today, 0);
  q.obligations = rows;
  q.nobligations = n;
  q.region_code = code;
  bool not_found = false;
  json_t *sum = compliance_summary_json(cx->db, s, &q, &not_found);
  if (!sum) return NULL;
  json_t *totals = json_incref(json_object_get(sum, "totals"));
  json_decref(sum);
  return totals;
}

/* ---- funds (3.4a, 3.5), training (4.1–4.5), visits (5.6), cases (5.7), plans (5.9) ---- */

static json_t *fund_figures(const struct ctx *cx, const struct scope *s, int year, const char *today)
{
  const json_t *obs = value_of(cx, "obligations"), *ob = NULL, *row;
  size_t i;
  json_array_foreach(obs, i, row)
    if (json_string_value(json_object_get(row, "evidence")) &&
        strcmp(json_string_value(json_object_get(row, "evidence")), "work_funds") == 0) ob = row;
  struct team_query q = {0};
  q.year = year;
  q.today = today;
  q.min_amount = json_is_number(json_object_get(ob, "min_amount")) ? json_number_value(json_object_get(ob, "min_amount")) : 10000;
  q.deadline = json_string_value(json_object_get(ob, "deadline")) ? json_string_value(json_object_get(ob, "deadline")) : "03-31";
  json_t *list = funds_teams_json(cx->db, s, &q, 1, 1);
  if (!list) return NULL;
  json_t *out = json_incref(json_object_get(list, "summary"));
  json_decref(list);
  return out;
}

static json_t *training_figures(const struct ctx *cx, const struct scope *s, int year, const char *today)
{
  const json_t *deadline = value_of(cx, "training_deadline");
  struct coverage_query q;
  memset(&q, 0, sizeof q);
  q.year = year;
  q.today = today;
  q.complete_by = json_string_value(json_object_get(deadline, "complete_by"));
  q.start_by = json_string_value(json_object_get(deadline, "start_by"));
  if (!q.complete_by) q.complete_by = "09-30";
  if (!q.start_by) q.start_by = "06-30";
  q.types = value_of(cx, "training_types");
  q.anchor_year = (int)param_or(cx, "obligation_two_year_anchor", cx->today, 0);
  if (!q.types) return NULL;
  json_t *list = training_coverage_json(cx->db, s, &q, 1, 0);
  if (!list) return NULL;
  int64_t cadres = json_integer_value(json_object_get(list, "total")), trained = 0;
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(list, "items"), i, row) {
    const char *st = json_string_value(json_object_get(row, "status"));
    trained += st && strcmp(st, "untrained") != 0;
  }
  json_decref(list);
  return json_pack("{s:i, s:I, s:I, s:f}", "year", year, "cadres", (json_int_t)cadres, "trained", (json_int_t)trained,
                   "rate", pct(trained, cadres));
}

static json_t *visit_figures(const struct ctx *cx, const struct scope *s, const char *code, const char *from,
                             const char *to)
{
  json_t *cov = visits_coverage_json(cx->db, s, code, from, to, cx->today);
  if (!cov) return NULL;
  json_t *t = json_object_get(cov, "total");
  int64_t total = json_integer_value(json_object_get(t, "total")), visited = json_integer_value(json_object_get(t, "visited"));
  json_decref(cov);
  return json_pack("{s:I, s:I, s:f}", "households", (json_int_t)total, "visited", (json_int_t)visited, "rate",
                   pct(visited, total));
}

static bool within(const char *iso, const char *from, const char *to)
{
  return iso && strncmp(iso, from, 10) >= 0 && strncmp(iso, to, 10) <= 0;
}

static json_t *case_figures(const struct ctx *cx, const struct scope *s, const char *from, const char *to,
                            const char *today)
{
  struct case_limits lim = {today, (int)param_or(cx, "case_decision_max_days", cx->today, 15),
                            (int)param_or(cx, "case_stalled_days", cx->today, 7)};
  struct case_filter f = {0};
  json_t *list = cases_list_json(cx->db, s, &f, &lim, 1, 0);
  if (!list) return NULL;
  int64_t opened = 0, closed = 0, open_now = 0;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(list, "items"), i, c) {
    opened += within(json_string_value(json_object_get(c, "created_at")), from, to);
    closed += within(json_string_value(json_object_get(c, "closed_on")), from, to);
  }
  json_decref(list);
  f.state = "open"; /* 监测帮扶's own "在办" filter (pending and monitored) */
  list = cases_list_json(cx->db, s, &f, &lim, 1, 1);
  if (!list) return NULL;
  open_now = json_integer_value(json_object_get(list, "total"));
  json_decref(list);
  return json_pack("{s:I, s:I, s:I}", "opened", (json_int_t)opened, "closed", (json_int_t)closed, "open_now",
                   (json_int_t)open_now);
}

static json_t *plan_figures(const struct ctx *cx, const struct scope *s, int year)
{
  struct plan_filter f = {NULL, year, NULL};
  json_t *list = plans_list_json(cx->db, s, &f, 1, 0);
  if (!list) return NULL;
  int64_t plans = json_integer_value(json_object_get(list, "total")), approved = 0;
  double progress = 0;
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(list, "items"), i, p) {
    const char *st = json_string_value(json_object_get(p, "status"));
    approved += st && strcmp(st, "approved") == 0;
    progress += json_number_value(json_object_get(p, "progress"));
  }
  json_decref(list);
  return json_pack("{s:i, s:I, s:I, s:f}", "year", year, "plans", (json_int_t)plans, "approved", (json_int_t)approved,
                   "progress", plans ? round(10.0 * progress / (double)plans) / 10.0 : 0.0);
}

json_t *upward_figures(struct db *db, const struct policy *pol, int today_date, const struct upward_region *region,
                       int from, int to)
{
  const struct ctx c = {db, pol, today_date}, *cx = &c;
  struct scope s;
  region_scope(region, &s);
  char f[DATE_ISO_SIZE], t[DATE_ISO_SIZE], today[DATE_ISO_SIZE];
  date_format_iso(from, f);
  date_format_iso(to, t);
  date_format_iso(cx->today, today);
  int year = date_year(to);
  int64_t cadres = 0;
  json_t *parts[7] = {presence_figures(cx, &s, from, to, &cadres), duty_figures(cx, &s, region->code, from, to),
                      fund_figures(cx, &s, year, today), training_figures(cx, &s, year, today),
                      visit_figures(cx, &s, region->code, f, t), case_figures(cx, &s, f, t, today),
                      plan_figures(cx, &s, year)};
  static const char *const KEYS[7] = {"presence", "duties", "funds", "training", "visits", "cases", "plans"};
  json_t *out = json_pack("{s:s, s:s, s:s, s:I}", "from", f, "to", t, "as_of", today, "cadres", (json_int_t)cadres);
  for (int i = 0; i < 7; i++) {
    if (!parts[i] && out) { json_decref(out); out = NULL; }
    if (out) json_object_set_new(out, KEYS[i], parts[i]);
    else json_decref(parts[i]);
  }
  return out;
}

/* ---- the draft texts ---- */

static int64_t num(const json_t *f, const char *part, const char *key)
{
  return json_integer_value(json_object_get(json_object_get(f, part), key));
}

static double real(const json_t *f, const char *part, const char *key)
{
  return json_number_value(json_object_get(json_object_get(f, part), key));
}

static char *work_text(const json_t *f, const char *region, const char *period)
{
  char *out = NULL;
  int n = asprintf(&out,
      "%s，%s驻村帮扶工作情况如下（数据由系统从记录中汇总）：\n"
      "一、在岗在村：期末在岗驻村干部 %lld 人；在村情况统计 %lld 人次，达到每月在村 %lld 天要求的 %lld 人次，达标率 %.1f%%，合计在村 %lld 天。\n"
      "二、履职监督：本期应完成履职事项 %lld 项，已完成 %lld 项（按时 %lld 项），未完成 %lld 项。\n"
      "三、经费保障：%lld 个驻村工作队中，工作经费不足规定数额的 %lld 个，一季度末未到位的 %lld 个，工作经费到位 %.2f 元。\n"
      "四、学习培训：本年度在岗干部 %lld 人，已参加培训 %lld 人，覆盖率 %.1f%%。\n"
      "五、入户走访：监测户和脱贫户 %lld 户，本期已走访 %lld 户，走访覆盖率 %.1f%%。\n"
      "六、防返贫监测帮扶：本期新发现监测线索 %lld 条，风险消除 %lld 户，目前在办 %lld 件。\n"
      "七、帮扶计划：本年度制定帮扶计划 %lld 个（已审定 %lld 个），平均完成进度 %.1f%%。",
      period, region, (long long)json_integer_value(json_object_get(f, "cadres")), (long long)num(f, "presence", "posts"),
      (long long)num(f, "presence", "min_days"), (long long)num(f, "presence", "meets"), real(f, "presence", "rate"),
      (long long)num(f, "presence", "days_in_village"), (long long)num(f, "duties", "expected"),
      (long long)num(f, "duties", "done"), (long long)num(f, "duties", "on_time"), (long long)num(f, "duties", "missing"),
      (long long)num(f, "funds", "teams"), (long long)num(f, "funds", "below_min"), (long long)num(f, "funds", "late"),
      real(f, "funds", "work_funds"), (long long)num(f, "training", "cadres"), (long long)num(f, "training", "trained"),
      real(f, "training", "rate"), (long long)num(f, "visits", "households"), (long long)num(f, "visits", "visited"),
      real(f, "visits", "rate"), (long long)num(f, "cases", "opened"), (long long)num(f, "cases", "closed"),
      (long long)num(f, "cases", "open_now"), (long long)num(f, "plans", "plans"), (long long)num(f, "plans", "approved"),
      real(f, "plans", "progress"));
  return n < 0 ? NULL : out;
}

/* One numbered line per gap the figures show, into b (problems) and c (what to do next). */
static void gaps(const json_t *f, char *b, size_t bs, char *c, size_t cs)
{
  size_t bl = 0, cl = 0;
  int k = 0;
  int64_t short_posts = num(f, "presence", "posts") - num(f, "presence", "meets");
#define GAP(cond, problem, plan, ...)                                                                  \
  if (cond) {                                                                                      \
    k++;                                                                                           \
    if (bl < bs) bl += (size_t)snprintf(b + bl, bs - bl, "%s%d. " problem, k > 1 ? "\n" : "", k, __VA_ARGS__); \
    if (cl < cs) cl += (size_t)snprintf(c + cl, cs - cl, "%s%d. " plan, k > 1 ? "\n" : "", k);     \
  }
  GAP(short_posts > 0, "有 %lld 人次未达到每月在村天数要求。", "督促未达标干部按要求在村工作，乡镇党委加强日常考勤。", (long long)short_posts)
  GAP(num(f, "duties", "missing") > 0, "有 %lld 项履职事项逾期未完成。", "对照履职监督清单逐项补齐，按时召开会议、开展调度。",
      (long long)num(f, "duties", "missing"))
  GAP(num(f, "funds", "below_min") + num(f, "funds", "late") > 0, "有 %lld 个工作队工作经费不足或未按时到位。",
      "协调派出单位尽快落实工作经费。", (long long)(num(f, "funds", "below_min") + num(f, "funds", "late")))
  GAP(num(f, "training", "cadres") > num(f, "training", "trained"), "有 %lld 名在岗干部本年度尚未参加培训。",
      "安排未参训干部参加培训。", (long long)(num(f, "training", "cadres") - num(f, "training", "trained")))
  GAP(num(f, "visits", "households") > num(f, "visits", "visited"), "有 %lld 户监测户、脱贫户本期尚未走访。",
      "组织驻村干部对未走访农户逐户走访。", (long long)(num(f, "visits", "households") - num(f, "visits", "visited")))
#undef GAP
  if (!k) {
    snprintf(b, bs, "本期各项数据未见明显问题。");
    snprintf(c, cs, "继续抓好驻村干部日常管理和帮扶工作。");
  }
}

int upward_draft_texts(const json_t *figures, const char *region_name, const char *period_zh, char **work,
                       char **problems, char **plans)
{
  char b[1200] = "", c[1200] = "";
  gaps(figures, b, sizeof b, c, sizeof c);
  *work = work_text(figures, region_name, period_zh);
  *problems = strdup(b);
  *plans = strdup(c);
  if (*work && *problems && *plans) return 0;
  free(*work);
  free(*problems);
  free(*plans);
  return -1;
}
