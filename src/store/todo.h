/* todo — one 待办 per user: everything waiting on the caller, counted by the very queries behind
 * the lists it points to (leaves to approve, the approval inbox of nominations, adjustments still
 * without a successor, handovers whose checklist nobody has confirmed, monitoring cases at a step
 * the caller takes, plans to review, vacancies and terms ending). Each kind's count is the list's
 * `total` (COUNT over the whole query, list_query), never the length of a page; its first rows
 * come along as a preview, and the earliest due date with the days it is late.
 *
 * The caller (the handler) decides from the role which kinds apply (struct todo_who); this module
 * only runs the queries, in the caller's scope. Titles and routes are the handler's. */
#ifndef ZHUCUN_PENDING_WORK_H
#define ZHUCUN_PENDING_WORK_H

#include <jansson.h>
#include <stdbool.h>

#include "store/post_life.h"
#include "store/cases.h"

struct db;
struct scope;

#define PENDING_PREVIEW_ROWS 3       /* rows shown under each kind */
#define PENDING_CASE_STATES 5

struct todo_who {
  const char *leave_level;   /* "township"/"county": leaves pending at that level; NULL: none */
  const char *department;    /* "org"/"rrb": the nominations inbox of that department; NULL: none */
  const char *region_code;   /* the caller's region (the inbox's approval region) */
  bool adjustments;          /* open adjustments and recalls waiting for a successor */
  bool handovers;            /* handovers begun whose checklist is not confirmed */
  bool plan_review;          /* plans submitted for review */
  bool posts;                /* vacancies and terms ending */
  const char *evaluation_steps[3]; /* 考核 steps waiting on the caller (report, votes, township, unit, result) */
  bool report_review;        /* 批阅: work reports waiting for the caller's review (pending or resubmitted) */
  bool returned_to_me;       /* 批阅: the caller's own reports and logs returned for revision */
  char allowance_month[32];  /* storage for allowance_before */
  const char *allowance_before; /* 3.4b: the unit's allowance drafts of months before this "YYYY-MM"; NULL: none */
  const char *case_states[PENDING_CASE_STATES]; /* monitoring-case states whose next step is the caller's */
  int today;                 /* yyyymmdd, the request's */
  const struct post_rules *rules;
  const struct case_limits *case_limits;
};

/* [{kind, count, due|null, days_late, preview:[{label, detail, due|null, days_late}]}] for each kind
 * that applies and has at least one row; NULL on a database error. */
json_t *todo_json(struct db *db, const struct scope *scope, const struct todo_who *who);

#endif
