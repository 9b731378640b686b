/* household_brief — the few words that name an active household in a line written about it
 * (户主 and 户编号, as a visit's work-log entry reads), with the village it belongs to, so the
 * writer can tell whether it is the cadre's own village. The registry itself is store/households. */
#ifndef ZHUCUN_HOUSEHOLD_BRIEF_H
#define ZHUCUN_HOUSEHOLD_BRIEF_H

#include <stdint.h>

struct db;

struct household_brief {
  char village_code[16];
  char head_name[256];
  char household_no[256];
};

/* DB_NOT_FOUND when there is no such household or it is no longer active (销户);
 * DB_ERROR on a database error. */
int household_brief(struct db *db, int64_t id, struct household_brief *out);

#endif
