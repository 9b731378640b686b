/* case_flow — the statutory path of a household at risk (5.7), as pure data and arithmetic.
 *
 * 防返贫监测: a risk is found (自主申报, 干部排查, 部门预警, or raised from a visit or a meeting) →
 * the village's democratic review (民主评议) → public notice (公示, at least the policy's days) →
 * the township's check (乡镇审核) → the county's decision (县级审定) to take the household into
 * monitoring with a category, or not. A monitored household gets assistance measures (帮扶措施)
 * and is closed (风险消除) by the same kind of procedure as its entry — 入户核实 → 民主评议 →
 * 公示 (at least the policy's days) → the county's 审核确认 — and only when every closure
 * criterion of the policy is met at that confirmation; a closure can be reversed (返贫/重新纳入). No step may be skipped: case_flow_step() names the step that is
 * missing. Time limits (from first lead to decision), stalled cases and the closure criteria are
 * computed here from plain facts, so the rules are unit-tested without a database. Dates are
 * yyyymmdd integers (core/date.h). */
#ifndef ZHUCUN_CASE_FLOW_H
#define ZHUCUN_CASE_FLOW_H

#include <stdbool.h>
#include <stddef.h>

enum case_state {
  CASE_FOUND,      /* 发现风险（线索） */
  CASE_REVIEWED,   /* 已民主评议 */
  CASE_NOTICED,    /* 公示中 */
  CASE_CHECKED,    /* 乡镇已审核 */
  CASE_MONITORED,  /* 已纳入监测 */
  CASE_DISMISSED,  /* 不纳入（评议、审核或审定未通过） */
  CASE_CLOSED,     /* 风险消除 */
  CASE_CLOSE_VERIFIED,  /* 风险消除：已入户核实（提出） */
  CASE_CLOSE_REVIEWED,  /* 风险消除：已民主评议 */
  CASE_CLOSE_NOTICED,   /* 风险消除：公示中 */
  CASE_STATE_COUNT
};

enum case_action {
  CASE_REVIEW,     /* 民主评议 */
  CASE_NOTICE,     /* 公示 */
  CASE_OBJECTION,  /* 公示期间的异议 */
  CASE_CHECK,      /* 乡镇审核 */
  CASE_DECIDE,     /* 县级审定 */
  CASE_MEASURE,    /* 帮扶措施 */
  CASE_CLOSE,      /* 风险消除的审核确认（县级） */
  CASE_REOPEN,     /* 返贫/重新纳入 */
  CASE_CLOSE_VERIFY,  /* 风险消除：入户核实 */
  CASE_CLOSE_REVIEW,  /* 风险消除：民主评议 */
  CASE_CLOSE_NOTICE,  /* 风险消除：公示 */
  CASE_ACTION_COUNT
};

enum case_flow_error {
  CASE_OK = 0,
  CASE_ERR_SKIPPED = -1,  /* an earlier step is missing: *missing names it */
  CASE_ERR_STATE = -2,    /* the case is past this step, or finished (dismissed) */
  CASE_ERR_INVALID = -3,  /* not a state or action */
  CASE_ERR_NOTICE = -4,   /* the closure's 公示 is not over */
  CASE_ERR_CRITERIA = -5, /* a closure criterion is not met */
};

const char *case_state_code(enum case_state s);     /* "found" …; NULL when out of range */
const char *case_state_name_zh(enum case_state s);  /* "发现风险" … */
int case_state_parse(const char *code, enum case_state *out);
const char *case_action_code(enum case_action a);   /* "review" … */
const char *case_action_name_zh(enum case_action a);/* "民主评议" … */
int case_action_parse(const char *code, enum case_action *out);

/* The state after action from `from`. `agreed`: the review, check or decision came out for
 * taking the household in (false ends the case as dismissed); for the closure's review and
 * confirmation, for closing (false returns the case to monitored); ignored by the other actions.
 * CASE_ERR_SKIPPED when a step before this one has not been taken (*missing = the action the
 * case needs next); CASE_ERR_STATE when the case is already past it or dismissed. */
int case_flow_step(enum case_state from, enum case_action action, bool agreed, enum case_state *to,
                   enum case_action *missing);
/* The action the case needs next (the step to show as a form), or -1 for a dismissed case. */
int case_flow_next(enum case_state s);
/* Still in the identification procedure (found … checked): time limits and stalling apply. */
bool case_flow_pending(enum case_state s);
/* In the closure procedure (close_verified … close_noticed): still monitored, closing. */
bool case_flow_closing(enum case_state s);

/* 公示: the first day the notice is over and the township may check: start + min_days. */
int case_notice_ends(int start, int min_days);

/* The county's 审核确认 of a closure on day `on` (5.7): the closure's 公示 (notice_start, days)
 * must be over (CASE_ERR_NOTICE) and every closure criterion met then (CASE_ERR_CRITERIA). A
 * confirmation that refuses the closure (agreed false) needs only the notice to be over. */
int case_flow_confirm(int on, int notice_start, int notice_days, bool agreed, bool criteria_met);

/* Time limit (5.7, case_decision_max_days): the days from the first lead to the decision, or to
 * today while pending; *overdue when they exceed max_days (a pending case, or one decided late). */
int case_flow_elapsed(enum case_state s, int lead_on, int decision_on, int today, int max_days, long *days,
                      bool *overdue);
/* Stalled: pending and no step for more than stalled_days. */
bool case_flow_stalled(enum case_state s, int last_step_on, int today, int stalled_days);

/* ---- closure (风险消除) ---- */

#define CASE_CLOSURE_MAX 16

struct closure_criterion {   /* one item of the policy list closure_criteria */
  const char *code;          /* income_stable, monitored_long_enough, measure_applied, guarantees_secure, has_labour */
  int months;                /* for income_stable and monitored_long_enough */
  int min_count;             /* for measure_applied */
};

struct income_record { int year; double per_capita; };

struct closure_facts {
  int today;
  int identified_on;                 /* 纳入监测 date (0 when never) */
  double threshold;                  /* monitoring_income_threshold, yuan per person per year */
  const struct income_record *incomes;
  size_t nincomes;
  int measures;                      /* assistance measures applied */
  int schooling, medical, housing, water;  /* 1 secure, 0 not, -1 unknown */
  int able_bodied;                   /* members able to work */
};

struct closure_result {
  const char *code;
  bool met;
  char detail[160];                  /* why, in Chinese */
};

/* Checks each criterion; *all_met when every one holds. An unknown code is not met. */
int case_flow_closure(const struct closure_criterion *criteria, size_t n, const struct closure_facts *f,
                      struct closure_result *out, bool *all_met);

#endif
