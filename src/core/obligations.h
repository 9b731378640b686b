/* obligations — the one engine for every duty with a rhythm (2.2–4.5, 5.7).
 *
 * Each obligation is a row of the policy parameter "obligations": who owes it (owner), what
 * counts as doing it (evidence kind), and either a period with a minimum count (每周/月/季度/
 * 半年/年/两年 至少 N 次) or a deadline "MM-DD" within the year (年内某日前完成), with an optional
 * minimum amount summed over the evidence (3.4a: 工作经费不少于 1 万元). Adding an obligation of an
 * existing kind is a change of the policy file, not of this code.
 *
 * The engine is pure: given an obligation, a date range and the evidence facts of one party, it
 * lists the period instances (周期) and judges each cell:
 *   met          enough evidence dated in the period (deadline rows: by the deadline) and entered
 *                on time — by the period's end (the deadline) plus record_lock_days;
 *   met_late     enough evidence dated in the period (deadline rows: within the year), but only
 *                when counting what was done or entered late;
 *   not_yet_due  not met, and the period (deadline) has not passed yet;
 *   missing      not met, and the period (deadline) has passed.
 * SQL, parties and scope live in store/obligations.c. */
#ifndef ZHUCUN_OBLIGATIONS_H
#define ZHUCUN_OBLIGATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

/* Who owes (owner in the policy; party_type of the evidence rows). */
enum obligation_owner {
  OWNER_COUNTY,          /* 县级驻村工作领导小组 (county region code) */
  OWNER_TOWNSHIP,        /* 乡镇党委 (township region code) */
  OWNER_UNIT,            /* 派出单位 (unit id) */
  OWNER_UNIT_PRINCIPAL,  /* 派出单位主要领导 (unit id) */
  OWNER_UNIT_DEPUTY,     /* 派出单位分管领导 (unit id) */
  OWNER_UNIT_HR,         /* 派出单位人事部门负责人 (unit id) */
  OWNER_TEAM,            /* 驻村工作队 (village region code) */
  OWNER_CADRE,           /* 驻村干部 (cadre id) */
  OWNER_CITY,            /* 市级 (city region code): 4.5 for the city's own units */
  OWNER_UNIT_TEAM,       /* 派出单位对其驻村工作队 ("unit id:village code"): 3.1a/3.1b, owed per team */
  OWNER_COUNT
};

/* Post bits of obligation.posts (cadre-owned rows); 0 = every post. */
#define OBLIGATION_POST_FIRST_SECRETARY 1u
#define OBLIGATION_POST_TEAM_LEADER     2u
#define OBLIGATION_POST_TEAM_MEMBER     4u

#define OBLIGATIONS_MAX 64

struct obligation {
  const char *code;            /* "township_dispatch" (borrowed from the policy document) */
  const char *clause;          /* "2.3b" */
  const char *deadline_clause; /* "3.5" for the deadline of 3.4a; else the clause */
  const char *action_zh;
  const char *evidence;        /* evidence kind counted */
  enum obligation_owner owner;
  enum period period;
  int min_count;               /* >= 1 (1 when only min_amount is given) */
  double min_amount;           /* 0: not counted */
  int deadline_mmdd;           /* 331 for "03-31"; 0: a periodic row */
  unsigned posts;              /* OBLIGATION_POST_* bits; 0: all */
};

enum cell_status { CELL_MET, CELL_MET_LATE, CELL_MISSING, CELL_NOT_YET_DUE };

/* One period instance of an obligation. due: the last day it may be done on time (the period's
 * last day, or the deadline). */
struct obligation_period { int first, last, due; };

/* One evidence row of a party, as the engine sees it. */
struct obligation_fact {
  int done_on;      /* yyyymmdd */
  int recorded_on;  /* yyyymmdd (CST) of recorded_at */
  double amount;
};

struct cell_result {
  enum cell_status status;
  int count;        /* facts dated in the period (deadline rows: in the year) */
  int on_time;      /* of them, done by due and entered by due + lock_days */
  double amount;    /* sum of amounts of the counted facts */
  double amount_on_time;
};

/* Checks the value of the policy parameter "obligations" (an array of rows). On a bad row writes
 * "obligations[i] (code): what is wrong" to why and returns false. */
bool obligations_check(const json_t *rows, char *why, size_t whylen);
/* Reads the rows (already checked) into out[0..*n); the strings are borrowed from rows. Returns
 * -1 when a row is bad (why says which) or there are more than max. */
int obligations_parse(const json_t *rows, struct obligation *out, size_t max, size_t *n, char *why, size_t whylen);

const char *obligation_owner_name(enum obligation_owner o);    /* "township", ... (PARTY_* of evidence.h) */
const char *obligation_owner_name_zh(enum obligation_owner o); /* "乡镇党委", ... */
int obligation_owner_parse(const char *s, enum obligation_owner *out);
const char *obligation_status_name(enum cell_status s);        /* "met", "met_late", "missing", "not_yet_due" */
const char *obligation_status_name_zh(enum cell_status s);     /* "按时完成", "逾期补办", "未完成", "未到期" */
/* "first_secretary" | "team_leader" | "team_member": does the row bind a cadre of that post? */
bool obligation_binds_post(const struct obligation *o, const char *post);

/* The period instances of o that overlap [from, to], in order, at most max (two-year periods start
 * in anchor_year ± 2k). Deadline rows have one instance per year, due on the deadline. Returns the
 * count, or -1 on a bad range.
 * A week that straddles a year end belongs to one year only, the year of its Thursday (the ISO
 * week-year, docs/POLICY.md): where from is a 1 January or to a 31 December, a week whose Thursday
 * falls outside [from, to] is left out, so that the views of two consecutive years never both
 * count it. Other edges keep every overlapping week (this week is due even if its Thursday has
 * passed). */
int obligation_periods(const struct obligation *o, int from, int to, int anchor_year, struct obligation_period *out,
                       size_t max);

/* Judges one cell: facts are the party's evidence of o's kind (any order; those outside the period,
 * for deadline rows outside the year, are ignored). today: yyyymmdd; lock_days: record_lock_days. */
void obligation_evaluate(const struct obligation *o, const struct obligation_period *p,
                         const struct obligation_fact *facts, size_t n, int today, int lock_days,
                         struct cell_result *out);

#endif
