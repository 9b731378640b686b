/* notify_digest — 每日汇总 (issue 13, part 1): the kinds an account chose to receive as a daily digest.
 *
 * A message of such a kind still reaches the account's in-app inbox at once; it is not pushed to the group
 * robots one by one (the outbox fan-out leaves such recipients out), but waits in notification_digest. Once
 * the day's digest time (notification_settings.digest_time, China Standard Time) has come, the sender calls
 * notify_digest_run: for each account with messages waiting from before that time, one message per robot
 * channel covering any of them ("【今日待办提醒】…共 N 条"), written to the outbox like any other, and the
 * waiting rows marked with the day — all in one transaction per account. The outbox key
 * 'digest-<user>-<day>-<channel>' is unique: the same day never sends twice, even after a restart. */
#ifndef ZHUCUN_NOTIFY_DIGEST_H
#define ZHUCUN_NOTIFY_DIGEST_H

#include <stdint.h>

struct db;

/* The recipients of event_id who chose the digest for its kind: their messages wait. The caller holds
 * the transaction (the event's own). */
int notify_digest_enqueue(struct db *db, int64_t event_id);
/* Gathers the digests due at now ("08:00" digest_time); *made how many outbox rows were written. */
int notify_digest_run(struct db *db, int64_t now, const char *digest_time, int *made);

#endif
