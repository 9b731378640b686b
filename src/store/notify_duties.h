/* notify_duties — the obligation engine's duties (2.2–4.5, 5.7) as messages (issue 13): a duty
 * coming due and not yet done, and a duty whose due day has just passed undone, each to whoever owes it.
 *
 * The day's settlement (http/day_start) asks the compliance matrix (store/obligations) for the cells
 * of every party around today falling due in the window below, over the whole deployment (only those
 * periods are judged, the cells handed over as structs, not JSON: issue 15), and raises:
 *   duty_due      not yet done, due within NOTIFY_DUTY_DAYS days (today included);
 *   duty_overdue  missing, its due day within the NOTIFY_DUTY_DAYS days before today (a duty long
 *                 overdue is the matrix's and the 待办's, not a message every day).
 * Who owes it reads it: a cadre (驻村干部) their own; a team (驻村工作队) the cadres in post in its
 * village; a township (乡镇党委) its township accounts; a county (县级驻村工作领导小组) or the city
 * the organization department and RRB of that region; a unit, its leaders or HR (派出单位…), and a
 * unit's duty toward one of its teams, the unit's accounts.
 * Each occasion once: keyed by (kind, "obligation|party", due) in notification_key. */
#ifndef ZHUCUN_NOTIFY_DUTIES_H
#define ZHUCUN_NOTIFY_DUTIES_H

#include <stdint.h>

struct db;
struct compliance_query;

#define NOTIFY_DUTY_DAYS 3
#define NOTIFY_DUTY_BATCH 200 /* occasions per write transaction */

/* q: the engine's rows and numbers (today, lock days, anchor); its range and filters are set here.
 * The matrix is read outside any transaction, the occasions written in transactions of their own
 * (the caller holds none). *raised: how many messages were written (committed). */
int notify_duties_settle(struct db *db, const struct compliance_query *q, int64_t now, long *raised);

#endif
