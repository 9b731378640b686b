/* outbox_limits — 发送限额 (issue 13, part 1): at most user_limit robot messages per account and at most
 * channel_limit messages per channel in a window of the clock (notification_settings). A message over a
 * limit is not dropped: the sender moves its next_at to the start of the next window and it goes then.
 *
 * The counts are the outbox's own sent rows (sent_at in the current window), so they hold across a
 * restart and under the sender's running clock, unlike the in-memory buckets of core/rate_limit (made for
 * the login throttle). A message counts for an account when the account is among its event's recipients;
 * a digest (每日汇总) is one a day by construction and counts for its channel only. */
#ifndef ZHUCUN_OUTBOX_LIMITS_H
#define ZHUCUN_OUTBOX_LIMITS_H

#include <stdint.h>

struct db;
struct notify_settings;

/* *until: 0 when the message (its event, its channel) may go at now; else the instant it may. */
int outbox_hold_until(struct db *db, const struct notify_settings *s, int64_t event_id, int64_t channel_id,
                      int64_t now, int64_t *until);
/* Moves a pending message to next_at without counting an attempt. */
int outbox_postpone(struct db *db, int64_t id, int64_t next_at);

#endif
