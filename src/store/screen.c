/* screen — see screen.h. */
#include "store/screen.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "core/date.h"
#include "core/obligations.h"
#include "core/policy.h"
#include "store/board.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/obligations.h"
#include "store/regions.h"
#include "store/visits.h"

static json_t *pct(int64_t part, int64_t whole)
{
  return whole ? json_real(round(1000.0 * (double)part / (double)whole) / 10.0) : json_null();
}

static long param_or(const struct policy *pol, const char *id, int date, long fallback)
{
  long v = policy_int(pol, id, date);
  return v >= 0 && v <= 100000 ? v : fallback;
}

/* 在岗率 of one region today: the totals of 今日在岗 (store/board, the board's own statement, without
 * its items). */
static json_t *on_duty(struct db *db, const struct scope *scope, const char *today, const char *code)
{
  int n[BOARD_STATUSES];
  if (board_totals(db, scope, today, code, n) != DB_OK) return NULL;
  int64_t present = n[BOARD_PRESENT], absent = n[BOARD_ABSENT];
  return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "present", (json_int_t)present, "leave", (json_int_t)n[BOARD_LEAVE],
                   "absent", (json_int_t)absent, "rest", (json_int_t)n[BOARD_REST], "expected",
                   (json_int_t)(present + absent), "rate", pct(present, present + absent));
}

/* 在办监测帮扶 of one region: the total of 监测帮扶's own "在办" list. */
static json_t *open_cases(struct db *db, const struct scope *scope, const struct case_limits *lim, const char *code)
{
  struct case_filter f = {0};
  f.village = code;
  f.state = "open";
  json_t *list = cases_list_json(db, scope, &f, lim, 1, 1);
  if (!list) return NULL;
  json_t *out = json_pack("{s:I}", "open", json_integer_value(json_object_get(list, "total")));
  json_decref(list);
  return out;
}

/* The roll-up of 履职监督 below R over the month so far. */
static json_t *compliance(struct db *db, const struct policy *pol, const struct scope *scope, const struct screen_query *q)
{
  struct obligation rows[OBLIGATIONS_MAX];
  size_t n = 0;
  char why[200];
  const struct policy_param *p = policy_param(pol, "obligations", q->today);
  if (!p || obligations_parse(p->value, rows, OBLIGATIONS_MAX, &n, why, sizeof why) != 0) return NULL;
  struct compliance_query cq;
  memset(&cq, 0, sizeof cq);
  cq.from = q->from;
  cq.to = q->to;
  cq.today = q->today;
  cq.lock_days = (int)param_or(pol, "record_lock_days", q->today, 10);
  long anchor = policy_int(pol, "obligation_two_year_anchor", q->today);
  cq.anchor_year = anchor > 0 ? (int)anchor : 0;
  cq.obligations = rows;
  cq.nobligations = n;
  cq.region_code = q->region_code;
  bool not_found = false;
  return compliance_summary_json(db, scope, &cq, &not_found);
}

static json_t *duties_of(const json_t *stat)
{
  int64_t expected = json_integer_value(json_object_get(stat, "expected")), done = json_integer_value(json_object_get(stat, "done"));
  return json_pack("{s:I, s:I, s:o}", "expected", (json_int_t)expected, "done", (json_int_t)done, "rate", pct(done, expected));
}

static json_t *visits_of(const json_t *row)
{
  int64_t total = json_integer_value(json_object_get(row, "total")), visited = json_integer_value(json_object_get(row, "visited"));
  return json_pack("{s:I, s:I, s:o}", "households", (json_int_t)total, "visited", (json_int_t)visited, "rate",
                   pct(visited, total));
}

/* The row of code in a list of rows keyed by field (NULL: none, read as zeros). */
static const json_t *row_of(const json_t *rows, const char *field, const char *code)
{
  size_t i;
  const json_t *r;
  json_array_foreach(rows, i, r) {
    const char *k = json_string_value(json_object_get(r, field));
    if (k && strcmp(k, code) == 0) return r;
  }
  return NULL;
}

/* The on-duty figures of the whole: the sum of its children's, as every post lies under exactly one
 * child (the board of the whole counts the same posts; tests/api/screen.test.mjs checks it). */
static json_t *on_duty_sum(const json_t *items)
{
  int64_t n[4] = {0};
  static const char *const K[4] = {"present", "leave", "absent", "rest"};
  size_t i;
  const json_t *it;
  json_array_foreach(items, i, it)
    for (int k = 0; k < 4; k++) n[k] += json_integer_value(json_object_get(json_object_get(it, "on_duty"), K[k]));
  return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", K[0], (json_int_t)n[0], K[1], (json_int_t)n[1], K[2],
                   (json_int_t)n[2], K[3], (json_int_t)n[3], "expected", (json_int_t)(n[0] + n[2]), "rate",
                   pct(n[0], n[0] + n[2]));
}

/* The four figures of one region (code) into out (on_duty given for the whole, else read); -1 when a
 * store query failed. */
static int figures(struct db *db, const struct scope *scope, const struct case_limits *lim, const char *code,
                   json_t *given_on_duty, const json_t *duty_stat, const json_t *visit_row, json_t *out)
{
  json_t *d = given_on_duty ? given_on_duty : on_duty(db, scope, lim->today, code), *c = open_cases(db, scope, lim, code);
  if (!d || !c) { json_decref(d); json_decref(c); return -1; }
  json_object_set_new(out, "on_duty", d);
  json_object_set_new(out, "cases", c);
  json_object_set_new(out, "duties", duties_of(duty_stat));
  json_object_set_new(out, "visits", visits_of(visit_row));
  return 0;
}

json_t *screen_json(struct db *db, const struct policy *pol, const struct scope *scope, const struct screen_query *q)
{
  char today[DATE_ISO_SIZE], from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];
  date_format_iso(q->today, today);
  date_format_iso(q->from, from);
  date_format_iso(q->to, to);
  struct case_limits lim = {today, (int)param_or(pol, "case_decision_max_days", q->today, 15),
                            (int)param_or(pol, "case_stalled_days", q->today, 7)};
  json_t *children = regions_children_json(db, scope, q->region_code);
  json_t *duty = compliance(db, pol, scope, q);
  json_t *cover = visits_coverage_json(db, scope, q->region_code, from, to, q->today);
  json_t *items = json_array(), *totals = json_object(), *out = NULL;
  int rc = children && duty && cover ? 0 : -1;
  size_t i;
  json_t *ch;
  json_array_foreach(rc == 0 ? children : NULL, i, ch) {
    const char *code = json_string_value(json_object_get(ch, "code"));
    json_t *item = json_pack("{s:s, s:s, s:s}", "code", code ? code : "", "name",
                             json_string_value(json_object_get(ch, "name")) ? json_string_value(json_object_get(ch, "name")) : "",
                             "level", json_string_value(json_object_get(ch, "level")) ? json_string_value(json_object_get(ch, "level")) : "");
    json_array_append_new(items, item);
    if (!code || figures(db, scope, &lim, code, NULL, row_of(json_object_get(duty, "rows"), "key", code),
                         row_of(json_object_get(cover, "items"), "code", code), item) != 0) { rc = -1; break; }
  }
  if (rc == 0)
    rc = figures(db, scope, &lim, q->region_code, on_duty_sum(items), json_object_get(duty, "totals"),
                 json_object_get(cover, "total"), totals);
  if (rc == 0)
    out = json_pack("{s:s, s:s, s:s, s:O, s:O}", "from", from, "to", to, "date", today, "totals", totals, "items", items);
  json_decref(children);
  json_decref(duty);
  json_decref(cover);
  json_decref(items);
  json_decref(totals);
  return out;
}
