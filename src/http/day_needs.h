/* day_needs — which stages of the day's settlement (http/day_start) an API request waits for
 * (issue 15). The settlement has three stages, run in this order: the posts' state of the day
 * (1.1, 1.6, 1.8), which nearly every page shows; the day's notices (terms, handovers, vacancies,
 * cases, the duties coming due), which the notification routes read; the allowance sheets of the
 * month just ended (3.4b), which the allowance routes and 待办 read. A request waits only for the
 * stages its route reads, decided here from a short explicit list in the safe direction: a route
 * not named waits for every stage, every write but the check-in waits for every stage, and a route
 * that may answer before a stage is settled is named with the stages it does read. Pure: no state, no
 * database. */
#ifndef ZHUCUN_DAY_NEEDS_H
#define ZHUCUN_DAY_NEEDS_H

enum day_stage {
  DAY_POSTS = 1 << 0,
  DAY_NOTICES = 1 << 1,
  DAY_ALLOWANCE = 1 << 2,
  DAY_ALL = DAY_POSTS | DAY_NOTICES | DAY_ALLOWANCE,
};

/* The stages (a mask of enum day_stage) the answer to `method url` (the path, no query) reads;
 * 0 for the health probe, the interface document and the session, which read none. */
unsigned day_needs(const char *method, const char *url);

#endif
