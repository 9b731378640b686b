/* notify_events — the events of issue 13 added to the first five (store/notifications.h): what an
 * act returns to its author, and what the calendar brings due.
 *
 * Acts, written by the same transaction as the act (the caller holds it):
 *   review_returned  a work report or log returned with comments (批阅退回) → its cadre;
 *   upward_returned  an upward report (上报材料) returned by the level above → who wrote and sent it.
 * The day's settlement (http/day_start, in its one transaction per day), each occasion once:
 *   term_ending      a post's term ends within term_end_notice_days and nobody follows → the
 *                    township's party committee and the sending unit;
 *   handover_due     a handover (1.6) ends within NOTIFY_HANDOVER_DAYS, its checklist not confirmed →
 *                    the township and both cadres' units;
 *   vacancy_overdue  a vacancy (1.7) still open after its deadline → the county's organization
 *                    department and RRB, and the township;
 *   case_step_due    a monitoring case's 公示 is over: the township's check (乡镇审核) is due → the
 *                    township; a closure's 公示 is over: the county's 审核确认 is due → the county RRB.
 * An occasion is keyed by (kind, object, day) in notification_key — the object ("vacancy:12") and its
 * day (the deadline, the term's end, the notice's end): settling a day again (a restart, another
 * worker) or the next day while the occasion is still open notifies nobody twice. The words carry
 * names and places, never an ID number, a phone, a household's name or a health detail. */
#ifndef ZHUCUN_NOTIFY_EVENTS_H
#define ZHUCUN_NOTIFY_EVENTS_H

#include <stdint.h>

struct db;

#define NOTIFY_HANDOVER_DAYS 3 /* a handover's end this close with the checklist open: remind */

/* what: "report" or "log"; cadre_id the author (the words leave the reader's comment out: it may name anything). */
int notify_review_returned(struct db *db, const char *what, int64_t item_id, int64_t cadre_id, int64_t now);
int notify_upward_returned(struct db *db, int64_t report_id, int64_t now);

/* The time-driven events of day `today` (yyyymmdd); term_notice_days as post_rules has it.
 * *raised: how many events were written. */
int notify_events_settle(struct db *db, int today, int term_notice_days, int64_t now, long *raised);

#endif
