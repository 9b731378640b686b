/* evaluation — see evaluation.h. The order of the steps: the cadre's 述职 comes first, because the
 * voters and the township judge what it says; the township's 民主测评 precedes its opinion, which
 * cites it; the unit's opinion needs only the 述职; the county decides when all four are in. */
#include "core/evaluation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/sheet.h"

static const char *const STEP_NAMES[] = {"report", "votes", "township", "unit", "result"};

int eval_step_parse(const char *s, enum eval_step *out)
{
  for (int i = 0; s && i < 5; i++)
    if (strcmp(s, STEP_NAMES[i]) == 0) { *out = (enum eval_step)i; return 0; }
  return -1;
}

static int refuse(const char **code, const char *c, char *msg, size_t n, const char *m)
{
  *code = c;
  snprintf(msg, n, "%s", m);
  return -1;
}

static bool done(const struct eval_state *s, enum eval_step step)
{
  switch (step) {
  case EVAL_REPORT: return s->report;
  case EVAL_VOTES: return s->votes;
  case EVAL_TOWNSHIP: return s->township;
  case EVAL_UNIT: return s->unit;
  case EVAL_RESULT: return s->result;
  }
  return false;
}

int eval_step_allowed(const struct eval_state *s, enum eval_step step, const char **code, char *msg, size_t n)
{
  static const char *const DONE_ZH[] = {"述职报告已提交，不能重复提交", "民主测评结果已录入，不能重复录入",
                                        "乡镇党委意见已填写，不能重复提交", "派出单位意见已填写，不能重复提交", ""};
  if (s->round_confirmed) return refuse(code, "round_confirmed", msg, n, "本轮考核已确认，不能再修改");
  if (step != EVAL_RESULT && done(s, step)) return refuse(code, "already_done", msg, n, DONE_ZH[step]);
  if (step != EVAL_REPORT && !s->report)
    return refuse(code, "report_first", msg, n, "驻村干部尚未提交述职报告，请待其提交后再办理");
  if (step == EVAL_TOWNSHIP && !s->votes)
    return refuse(code, "votes_first", msg, n, "请先录入民主测评结果，再填写乡镇党委意见");
  if (step == EVAL_RESULT && !(s->votes && s->township && s->unit))
    return refuse(code, "steps_missing", msg, n, "民主测评、乡镇党委意见和派出单位意见齐备后，才能确定考核等次");
  *code = NULL;
  return 0;
}

const char *eval_waiting_step(const struct eval_state *s)
{
  if (!s->report) return "report";
  if (!s->votes) return "votes";
  if (!s->township) return "township";
  if (!s->unit) return "unit";
  if (!s->result) return "result";
  return NULL;
}

/* The code of a voter group named by its code or its Chinese name, or NULL. */
static const char *group_code(const json_t *groups, const char *s)
{
  size_t i;
  const json_t *g;
  json_array_foreach(groups, i, g) {
    const char *code = json_string_value(json_object_get(g, "code"));
    const char *name = json_string_value(json_object_get(g, "name_zh"));
    if ((code && strcmp(code, s) == 0) || (name && strcmp(name, s) == 0)) return code;
  }
  return NULL;
}

static bool group_seen(const struct eval_votes *v, const char *code)
{
  for (int i = 0; i < v->n; i++)
    if (strcmp(v->g[i].group, code) == 0) return true;
  return false;
}

/* Adds one group; -1 with the message when it is unknown, repeated, too many, or nobody voted. */
static int add_group(struct eval_votes *v, const json_t *groups, const char *name, const int c[4], char *msg,
                     size_t n)
{
  const char *code = group_code(groups, name);
  if (!code) { snprintf(msg, n, "投票人类别“%s”不在政策列出的类别中", name); return -1; }
  if (group_seen(v, code)) { snprintf(msg, n, "投票人类别“%s”重复", name); return -1; }
  if (v->n >= EVAL_MAX_GROUPS) { snprintf(msg, n, "投票人类别至多 %d 类", EVAL_MAX_GROUPS); return -1; }
  for (int k = 0; k < 4; k++)
    if (c[k] < 0 || c[k] > EVAL_MAX_VOTERS) {
      snprintf(msg, n, "票数应为 0 至 %d 的整数", EVAL_MAX_VOTERS);
      return -1;
    }
  if (c[0] + c[1] + c[2] + c[3] == 0) { snprintf(msg, n, "“%s”没有人投票，请核对票数", name); return -1; }
  snprintf(v->g[v->n].group, sizeof v->g[v->n].group, "%s", code);
  v->g[v->n].good = c[0];
  v->g[v->n].fair = c[1];
  v->g[v->n].average = c[2];
  v->g[v->n].poor = c[3];
  v->n++;
  return 0;
}

static const char *const COUNT_KEYS[] = {"good", "fair", "average", "poor"};

int eval_votes_from_json(const json_t *arr, const json_t *groups, struct eval_votes *out, char *msg, size_t n)
{
  memset(out, 0, sizeof *out);
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    snprintf(msg, n, "请按投票人类别录入民主测评票数");
    return -1;
  }
  size_t i;
  const json_t *it;
  json_array_foreach(arr, i, it) {
    const char *g = json_string_value(json_object_get(it, "group"));
    int c[4];
    if (!json_is_object(it) || !g || json_object_size(it) != 5) {
      snprintf(msg, n, "每一类应写明 group、good、fair、average、poor");
      return -1;
    }
    for (int k = 0; k < 4; k++) {
      const json_t *x = json_object_get(it, COUNT_KEYS[k]);
      if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > EVAL_MAX_VOTERS) {
        snprintf(msg, n, "票数应为 0 至 %d 的整数", EVAL_MAX_VOTERS);
        return -1;
      }
      c[k] = (int)json_integer_value(x);
    }
    if (add_group(out, groups, g, c, msg, n) != 0) return -1;
  }
  return 0;
}

/* One count cell: a whole number, else an error row. */
static int cell_count(const json_t *row, int col, int line, json_t *errors, int *out)
{
  char t[32];
  sheet_trim(col >= 0 ? json_string_value(json_array_get(row, (size_t)col)) : NULL, t, sizeof t);
  char *end = NULL;
  long v = strtol(t, &end, 10);
  if (!*t || *end || v < 0 || v > EVAL_MAX_VOTERS) {
    sheet_add_error(errors, line, col, "count", "count_invalid", "票数应为不小于 0 的整数");
    return -1;
  }
  *out = (int)v;
  return 0;
}

int eval_votes_from_rows(const json_t *rows, const json_t *groups, struct eval_votes *out, json_t *errors)
{
  static const char *const NAMES[5][3] = {{"投票人类别", "类别", "group"}, {"好", "good", NULL},
                                          {"较好", "fair", NULL}, {"一般", "average", NULL}, {"差", "poor", NULL}};
  memset(out, 0, sizeof *out);
  size_t before = json_array_size(errors);
  int idx[5];
  if (json_array_size(rows) < 2) {
    sheet_add_error(errors, 1, -1, "", "empty", "表格没有测评数据（第一行为表头：投票人类别、好、较好、一般、差）");
    return -1;
  }
  sheet_match_header(json_array_get(rows, 0), NAMES, 5, idx);
  for (int f = 0; f < 5; f++)
    if (idx[f] < 0) sheet_add_error(errors, 1, -1, NAMES[f][0], "column_missing", "缺少表头列（投票人类别、好、较好、一般、差）");
  if (json_array_size(errors) > before) return -1;
  for (size_t r = 1; r < json_array_size(rows); r++) {
    const json_t *row = json_array_get(rows, r);
    char name[64], msg[160];
    int c[4], bad = 0, line = (int)r + 1;
    sheet_trim(json_string_value(json_array_get(row, (size_t)idx[0])), name, sizeof name);
    if (!*name) continue; /* a blank line */
    for (int k = 0; k < 4; k++) bad |= cell_count(row, idx[k + 1], line, errors, &c[k]);
    if (!bad && add_group(out, groups, name, c, msg, sizeof msg) != 0)
      sheet_add_error(errors, line, idx[0], "group", "group_invalid", msg);
  }
  if (json_array_size(errors) == before && out->n == 0)
    sheet_add_error(errors, 2, -1, "", "empty", "表格没有测评数据");
  return json_array_size(errors) > before ? -1 : 0;
}

json_t *eval_votes_json(const struct eval_votes *v)
{
  json_t *a = json_array();
  for (int i = 0; a && i < v->n; i++)
    json_array_append_new(a, json_pack("{s:s, s:i, s:i, s:i, s:i}", "group", v->g[i].group, "good", v->g[i].good,
                                       "fair", v->g[i].fair, "average", v->g[i].average, "poor", v->g[i].poor));
  return a;
}

void eval_votes_totals(const struct eval_votes *v, int *voters, int *good, int *fair, int *average, int *poor,
                       int *approval_permille)
{
  *good = *fair = *average = *poor = 0;
  for (int i = 0; i < v->n; i++) {
    *good += v->g[i].good;
    *fair += v->g[i].fair;
    *average += v->g[i].average;
    *poor += v->g[i].poor;
  }
  *voters = *good + *fair + *average + *poor;
  *approval_permille = *voters ? (int)((long)(*good + *fair) * 1000 / *voters) : 0;
}

int eval_excellent_cap(int evaluated, long max_percent)
{
  if (evaluated <= 0 || max_percent <= 0) return 0;
  if (max_percent >= 100) return evaluated;
  return (int)((long)evaluated * max_percent / 100);
}

static int month_days(int y, int m)
{
  return date_month(date_add_days(date_make(y, m, 28), 3)) == m ? 31
       : date_month(date_add_days(date_make(y, m, 28), 2)) == m ? 30
       : date_month(date_add_days(date_make(y, m, 28), 1)) == m ? 29 : 28;
}

int eval_min_days(int from, int to, long min_per_month)
{
  if (from > to || min_per_month <= 0) return 0;
  int y = date_year(from), m = date_month(from);
  double owed = 0;
  while (date_make(y, m, 1) <= to) {
    int days = month_days(y, m);
    int first = date_make(y, m, 1), last = date_make(y, m, days);
    int a = from > first ? from : first, b = to < last ? to : last;
    long covered = 0;
    if (date_diff_days(a, b, &covered) == 0) owed += (double)min_per_month * (double)(covered + 1) / days;
    if (++m > 12) { m = 1; y++; }
  }
  return (int)(owed + 1e-9);
}
