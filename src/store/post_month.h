/* post_month — one row per post (assignment) and month with the month's days of that post packed
 * in one text (schema/160_post_month.sql: 31 slots of 9 characters; whether the cadre was in the
 * village, off site with a reason, and the first and last in-fence minutes of each day). Kept from
 * post_day by triggers in the transaction of every write to checkin; rebuilt here from post_day
 * for `zhucun rebuild facts` (store/facts). Presence, the full-coverage analysis and whatever reads
 * a month of posts read one row per post instead of one per post and day (issue 15). */
#ifndef ZHUCUN_STORE_POST_MONTH_H
#define ZHUCUN_STORE_POST_MONTH_H

#include <stddef.h>

#include "core/presence.h"

struct db;

#define POST_MONTH_SLOT 9   /* characters of one day's slot */
#define POST_MONTH_DAYS 31

/* Empties post_month and refills it from post_day (inside the caller's transaction). DB_OK or DB_ERROR. */
int post_month_rebuild(struct db *db);

/* The days of a month's slots (text as stored, NULL or short: none) into out (room for
 * POST_MONTH_DAYS), for presence_compute; days with no act are left out. Returns how many. */
size_t post_month_decode(const char *days, int year, int month, struct presence_day *out);

#endif
