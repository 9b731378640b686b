/* day_start — each day (by the one clock) the server brings the posts to that day's state
 * (store/post_life: a term that ended yesterday, a handover's day 16, a recall that takes effect
 * today), raises the day's notices (store/notify_events, notify_duties) and drafts the allowance
 * sheets of the month just ended.
 *
 * Issue 15: the settlement runs on a thread of its own, on a connection of its own, never on a
 * request's path: serve starts it (day_start_begin) for the day the clock says at start-up, and a
 * request that arrives on a later day wakes it (day_start_kick) without waiting.
 *
 * The settlement is three stages (enum day_stage below), run in order: the posts' state of the day, the
 * day's notices, the allowance sheets of the month just ended. Each is settled on its own: a request
 * waits only for the stages its route reads, which each entry of the router's table states (http/router:
 * an entry that states nothing waits for every stage; health, the interface document and the session wait
 * for none, nor do the static files, which never reach the router), so the pages of the posts answer as
 * soon as the posts' stage is done. Each stage records the day it settled in the database
 * (store/day_settled), in the transaction of its last write; at start-up a stage whose recorded day is
 * today's is settled already, and is not run again: a server restarted on a day already settled answers
 * at once, a new day still settles. A stage that fails is logged, leaves its recorded day as it was, and
 * is tried again when the next request comes (the stages after a failed posts' stage wait for it). At
 * shutdown (day_start_end) the stage in progress is cut short (its open transaction rolled back; each
 * step is keyed, so nothing is raised twice when it runs again) and the thread joined. */
#ifndef ZHUCUN_DAY_START_H
#define ZHUCUN_DAY_START_H

#include <stdint.h>

struct app;
struct request;
struct post_rules;

/* The stages, in the order they run. The posts' state of the day (1.1, 1.6, 1.8), which nearly every
 * page shows; the day's notices (terms, handovers, vacancies, cases, the duties coming due), which the
 * notification routes read; the allowance sheets of the month just ended (3.4b), which the allowance
 * routes and 待办 read. */
enum day_stage {
  DAY_POSTS = 1 << 0,
  DAY_NOTICES = 1 << 1,
  DAY_ALLOWANCE = 1 << 2,
  DAY_ALL = DAY_POSTS | DAY_NOTICES | DAY_ALLOWANCE,
};

/* Starts the settlement thread on its own connection and has it settle the day of `now`. 0, or -1. */
int day_start_begin(const struct app *app, int64_t now);
/* A request of a day not yet settled sets the thread to it; returns at once. */
void day_start_kick(const struct request *req);
/* Kicks, then waits until the `stages` (a mask of enum day_stage, the request's route's) of the request's
 * day are settled or the attempt at them failed (0: go on), or the server is stopping before they
 * were settled (-1: answer 503). */
int day_start_wait(const struct request *req, unsigned stages);
/* Stops the settlement in progress, joins the thread, closes its connection. */
void day_start_end(void);

/* The parameters of a post's life in force today, from policy/ganzhou.json. */
void day_post_rules(const struct request *req, struct post_rules *out);

#endif
