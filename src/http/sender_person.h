/* sender_person — the sender thread's (http/sender) delivery of one person's message (issue 13, part 1):
 * 短信 through the configured HTTP gateway and 企业微信应用消息 (core/person_message has the formats).
 * The recipient's phone is opened only here, for the one request; the WeCom access_token is fetched with
 * the channel's corpid and corpsecret, kept in memory until shortly before its expires_in and fetched
 * once more (then the message retried once) when WeCom answers 40014 or 42001. Same rules as the robots:
 * timeouts from the delivery parameters, TLS verified, no redirects, http only to 127.0.0.1, the
 * X-Zhucun-Idempotency-Key header; quiet hours hold these messages too (the sender's round). */
#ifndef ZHUCUN_SENDER_PERSON_H
#define ZHUCUN_SENDER_PERSON_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct outbox_item;

/* Posts it (a person's message: it->user_id set): 0 taken, -1 with the reason. */
int sender_person_post(const struct outbox_item *it, int timeout, int64_t now, atomic_bool *stopping, char *reason,
                       size_t len);

#endif
