/* day_settled (store) — the remembered days of the day's settlement (issue 15): per stage (posts,
 * notices, allowance) the last day, yyyymmdd CST, whose work that stage committed
 * (schema/170_day_settled.sql). http/day_start reads them at start-up, so that a server restarted on
 * a day already settled answers at once, and writes each inside the transaction of the stage's last
 * write, so that a row never claims work that was rolled back. */
#ifndef ZHUCUN_STORE_DAY_SETTLED_H
#define ZHUCUN_STORE_DAY_SETTLED_H

#include <stdint.h>

struct db;

/* The last day `stage` settled into *day (0 when it never did). DB_OK or DB_ERROR. */
int day_settled_get(struct db *db, const char *stage, int *day);
/* Records that `stage` settled `day` at `now`; the caller holds the write transaction. DB_OK or DB_ERROR. */
int day_settled_put(struct db *db, const char *stage, int day, int64_t now);

#endif
