/* post_life — a post's whole life as dates (1.1, 1.5, 1.6, 1.8), decided without a database.
 *
 * A post (选派的驻村岗位) holds its village from its start to its last day, both included. What
 * ends it is dated in advance: the term's end (2年任期, 1.1), a successor's 15-day handover
 * (1.6: the outgoing cadre holds the post through day 15 of it, never day 16, whether or not the
 * checklist was ticked), or a recall (1.8: the post ends the day before the recall takes effect).
 * So a post's state on any day is a function of its dates; the store applies the function each
 * day (store/post_life.c) and answers questions about past days from the same dates. */
#ifndef ZHUCUN_POST_LIFE_H
#define ZHUCUN_POST_LIFE_H

#include <stdbool.h>

enum post_state {
  POST_APPROVED,  /* 已批准，待到岗: both departments agreed, the start is still ahead */
  POST_HANDOVER,  /* 交接过渡期: one of the two cadres of a handover */
  POST_ACTIVE,    /* 在岗 */
  POST_ENDED,     /* 已离任 */
};

/* Why a post ended (stored as assignment.end_reason). */
enum post_end {
  POST_END_TERM,        /* "term_end": the two years are over */
  POST_END_ROTATION,    /* "rotation": replaced in a centralized rotation (集中轮换) */
  POST_END_ADJUSTMENT,  /* "adjustment": replaced outside rotation for a 1.2 reason */
  POST_END_RECALL,      /* "recall": recalled (1.8) */
};

/* The dates of one post, yyyymmdd; 0 where there is none. */
struct post_dates {
  int start;             /* the first day it holds the village */
  int term_end;          /* the term's last day */
  int handover_in_last;  /* it took over from someone: the last day of that handover */
  int succeeded_from;    /* a successor's handover begins this day (the post is outgoing from it)… */
  int succeeded_last;    /* …and ends this day: the post's last day */
  enum post_end succeeded_by; /* POST_END_ROTATION or POST_END_ADJUSTMENT */
  int recalled_from;     /* a recall takes effect this day: the post's last day is the day before */
};

/* The post's state on `day`; for POST_ENDED also its last day and why (either may be NULL). */
enum post_state post_state_on(const struct post_dates *p, int day, int *last_day, enum post_end *cause);

/* The last day the post holds its village as things stand (the earliest of its planned ends). */
int post_last_day(const struct post_dates *p, enum post_end *cause);

/* The handover of 1.6: `days` days from `first`, both cadres holding the post; *last is day `days`. */
int post_handover_last(int first, int days);

/* Stored names: "approved", "handover", "active", "ended"; "term_end", "rotation", … */
const char *post_state_name(enum post_state s);
const char *post_end_name(enum post_end e);
const char *post_end_name_zh(enum post_end e);  /* 任期届满, 集中轮换, 调整, 召回 */
/* -1 when the name is not a cause. */
int post_end_parse(const char *name, enum post_end *out);

#endif
