/* post_life (store) — applies the dated life of posts (core/post_life) to the rows: each day the
 * posts whose start, handover, term end or recall has come change state, with an entry in their
 * timeline and in the audit log; a post that ends with nobody to follow opens a vacancy (空缺,
 * 1.7) that the next post of its kind in the village fills. Also the questions about that life:
 * vacancies, terms ending soon and the first-secretary invariant. */
#ifndef ZHUCUN_STORE_POST_LIFE_H
#define ZHUCUN_STORE_POST_LIFE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

/* The parameters of policy/ganzhou.json the life of a post reads. */
struct post_rules {
  int handover_days;       /* 1.6: 15 */
  int vacancy_fill_days;   /* local: days the county has to fill a vacancy */
  int term_notice_days;    /* local: how long before a term's end it is shown as ending */
};

/* Brings every live post (or those of one village) to its state on `today`. The caller holds
 * the write transaction. *changed (may be NULL) receives the number of posts that moved. */
int post_life_settle(struct db *db, const struct post_rules *r, int today, int64_t now, const char *village,
                     long *changed);

/* The post that a first-secretary post starting on `start` in `village` would take over: the
 * first secretary holding the village then (0 when none). DB_CONFLICT when that seat is already
 * promised to someone else (another approved successor, or two holders): the store never lets a
 * village have two first secretaries outside a handover. */
int post_life_incumbent(struct db *db, const char *village, int start, int64_t exclude, int64_t *out);

/* Starts the handover of 1.6: `incoming` takes over from `outgoing` on `first`, both holding the
 * post for `days` days; checklist_json is the list to tick. */
int post_life_start_handover(struct db *db, int64_t adjustment_id, int64_t outgoing, int64_t incoming, int first,
                             int days, const char *checklist_json, int64_t *handover_id);

/* Villages (under region_code, in scope) where more than one first secretary holds the post on
 * `day` outside a handover: {day, items:[{village_code, village_name, holders}]} — always empty
 * when the store did its job; tests and the coverage page read it. */
json_t *post_life_double_first_secretaries(struct db *db, const struct scope *scope, const char *region_code, int day);

/* Vacancies in scope: status "open" | "overdue" (open past the deadline) | "filled" | NULL all. */
json_t *post_life_vacancies_json(struct db *db, const struct scope *scope, const char *region_code, const char *status,
                                 int today, int page, int page_size);
/* Posts in scope whose term ends within r->term_notice_days of today and that nobody is yet
 * approved to follow: {notice_days, items:[…, term_end, days_left, successor]}. */
json_t *post_life_terms_ending_json(struct db *db, const struct scope *scope, const char *region_code,
                                    const struct post_rules *r, int today, int page, int page_size);

/* Why a cadre holds no post today (for a refused check-in): the last post's end, e.g.
 * "您在沙洲坝村的驻村任务已于 2026-05-31 因召回结束（1.8）". Empty when there is none. */
int post_life_why_not_holding(struct db *db, int64_t cadre_id, char *out, size_t len);

#endif
