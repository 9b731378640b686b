/* evaluation — the rules of a 年度考核 / 任期考核 of the cadres in the villages, as pure functions:
 * which step may be taken next (述职 → 民主测评 and the township's opinion, the dispatching unit's
 * opinion → the county's result), the 民主测评 counts per voter group (entered or read from a
 * sheet), the cap on 优秀 (a share of those evaluated in the county, a local policy parameter)
 * and the minimum of days in the village over the part of the year a post covered. */
#ifndef ZHUCUN_EVALUATION_H
#define ZHUCUN_EVALUATION_H

#include <jansson.h>
#include <stdbool.h>

enum eval_step { EVAL_REPORT, EVAL_VOTES, EVAL_TOWNSHIP, EVAL_UNIT, EVAL_RESULT };

/* What is already recorded on one evaluation. */
struct eval_state {
  bool report, votes, township, unit, result;
  bool round_confirmed;
};

/* 0 when step may be taken now; otherwise -1 with an English code ("already_done", "report_first",
 * "steps_missing", "round_confirmed") and a Chinese sentence in msg. The result may be changed
 * until the round is confirmed; every other step is taken once. */
int eval_step_allowed(const struct eval_state *s, enum eval_step step, const char **code, char *msg, size_t n);
int eval_step_parse(const char *s, enum eval_step *out);   /* "report", "votes", "township", "unit", "result" */
/* The step that waits next ("report" … "result"), or NULL when the result is set. */
const char *eval_waiting_step(const struct eval_state *s);

#define EVAL_MAX_GROUPS 8
#define EVAL_MAX_VOTERS 100000

struct eval_votes {
  int n;
  struct { char group[32]; int good, fair, average, poor; } g[EVAL_MAX_GROUPS];
};

/* Checks a JSON array [{group, good, fair, average, poor}] against the policy's voter groups (a list
 * of {code, name_zh}): known groups, each at most once, counts 0..EVAL_MAX_VOTERS, someone voting
 * in each group. -1 with a Chinese message otherwise. */
int eval_votes_from_json(const json_t *arr, const json_t *groups, struct eval_votes *out, char *msg, size_t n);
/* A sheet of 民主测评 (rows of strings, the first the header: 投票人类别 | 好 | 较好 | 一般 | 差; the group
 * by its code or its Chinese name). Errors are appended to errors as {row, column, field, code,
 * message}; 0 when there are none. */
int eval_votes_from_rows(const json_t *rows, const json_t *groups, struct eval_votes *out, json_t *errors);
json_t *eval_votes_json(const struct eval_votes *v);  /* the canonical array */
/* Totals over the groups, and the share of 好 + 较好 in per mille (0 when nobody voted). */
void eval_votes_totals(const struct eval_votes *v, int *voters, int *good, int *fair, int *average, int *poor,
                       int *approval_permille);

/* The most 优秀 allowed among `evaluated` cadres when at most max_percent % may be: floor. */
int eval_excellent_cap(int evaluated, long max_percent);

/* The days in the village a post owes over [from, to] (yyyymmdd, inclusive): min_per_month for
 * each calendar month the period touches, pro rata by its days in that month, rounded down. */
int eval_min_days(int from, int to, long min_per_month);

#endif
