/* webhook_events — the data changes pushed to other systems (数据推送, issue 13 part 2), each read from the
 * record just changed, inside the caller's transaction, and handed to store/webhooks. The data names
 * places, units, states and dates; never an ID number, a phone, a name of a household's member or a
 * health detail (the household head's name stays out too: a receiver joins by household number). */
#ifndef ZHUCUN_WEBHOOK_EVENTS_H
#define ZHUCUN_WEBHOOK_EVENTS_H

#include <stdint.h>

struct db;

/* post_changed: an assignment (驻村岗位) decided, recalled or adjusted; change: "decided", "recall", "adjustment". */
int webhook_events_post_changed(struct db *db, int64_t assignment_id, const char *change, int64_t now);
/* case_decided: a monitoring case's county decision, closure or reversal; action: the step's code. */
int webhook_events_case_decided(struct db *db, int64_t case_id, const char *action, int64_t now);
/* household_risk_changed: a household's category or 纳入监测 changed. */
int webhook_events_household_risk(struct db *db, int64_t household_id, int64_t now);

#endif
