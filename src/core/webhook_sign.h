/* webhook_sign — the signature of an outgoing webhook (数据推送, issue 13 part 2), pure:
 * X-Zhucun-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>, the timestamp being
 * the X-Zhucun-Timestamp header (Unix seconds). The receiver recomputes it over the raw body it got and
 * compares in constant time; it refuses a timestamp far from its clock, so a captured request cannot
 * be replayed later. */
#ifndef ZHUCUN_WEBHOOK_SIGN_H
#define ZHUCUN_WEBHOOK_SIGN_H

#include <stddef.h>

#define WEBHOOK_SIGNATURE_SIZE 72 /* "sha256=" + 64 hex + NUL */

/* out: "sha256=…"; -1 when out of memory. */
int webhook_signature(const char *secret, const char *timestamp, const char *body, char out[WEBHOOK_SIGNATURE_SIZE]);

#endif
