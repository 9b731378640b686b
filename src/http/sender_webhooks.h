/* sender_webhooks — the sender thread's (http/sender) round for 数据推送 (issue 13 part 2): the webhook
 * deliveries due (store/webhooks) are posted with libcurl as the robot messages are (timeouts from the
 * delivery parameters, TLS verified, no redirects, http only to 127.0.0.1), with the headers
 *   X-Zhucun-Event, X-Zhucun-Timestamp (Unix seconds), X-Zhucun-Signature: sha256=HMAC-SHA256(secret,
 *   timestamp + "." + body) (core/webhook_sign), X-Zhucun-Idempotency-Key
 * and recorded the same way: sent on a 2xx answer; else retried after the same back-off, and dead at
 * max_attempts with the reason. A delivery is marked only after its answer, so a crash in between sends
 * it again with the same idempotency key. Quiet hours do not apply: the receivers are systems. */
#ifndef ZHUCUN_SENDER_WEBHOOKS_H
#define ZHUCUN_SENDER_WEBHOOKS_H

#include <stdatomic.h>

struct db;
struct vault;
struct notify_settings;

/* One round: the deliveries due now; returns how many were tried. */
int sender_webhooks_round(struct db *db, const struct vault *v, const struct notify_settings *s, atomic_bool *stopping);

#endif
