/* rate_limit — token buckets keyed by a short text (an address, a user name), for the login
 * throttle (F4 of the 2026-12 review: a 40-attempt spray and a 32-way flood were never slowed).
 *
 * Each key holds up to `burst` tokens and gains one every `refill_seconds`; a charge takes one.
 * A key with no token left is told how many seconds to wait (the Retry-After of a 429).
 *
 * Time is passed in, in milliseconds of a monotonic clock (clock_monotonic_ms): a rate is a
 * duration, and with the fixed clock of tests and demos a bucket judged by clock_now() would never
 * refill. Nothing here is a judgement about dates.
 *
 * Memory is bounded: a fixed table of slots, the key hashed with a per-process random seed (so an
 * attacker cannot aim collisions). A key looks at a few slots from its hash: its own bucket, else
 * one empty or full again (whose key has forgotten its past). Only when every one of them holds
 * another key still counting do two keys share a bucket, which can only make the limit stricter,
 * never looser. Thread-safe. */
#ifndef ZHUCUN_RATE_LIMIT_H
#define ZHUCUN_RATE_LIMIT_H

#include <stdint.h>

struct rate_limit;

/* NULL when out of memory. slots: how many keys are told apart at once. */
struct rate_limit *rate_limit_new(unsigned slots, int burst, int refill_seconds, uint64_t seed);
void rate_limit_free(struct rate_limit *rl);

/* 0 when key has a token left at now_ms; otherwise the whole seconds until it has one (>= 1). */
int rate_limit_wait(struct rate_limit *rl, const char *key, double now_ms);
/* Takes one token of key (a failed attempt), down to zero. */
void rate_limit_charge(struct rate_limit *rl, const char *key, double now_ms);
/* Gives key all its tokens back (an administrator's unlock). */
void rate_limit_forget(struct rate_limit *rl, const char *key);

#endif
