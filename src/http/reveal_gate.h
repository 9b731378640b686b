/* reveal_gate — what a request must pass before a full ID number is shown (F8/F9 of the 2026-12
 * review: 300 cadre numbers revealed in 0.46 s, no re-authentication, no alert).
 *
 * The session's user must have typed the password again (POST /session/reauth) within
 * reveal_reauth_minutes (403 reauth_required), and may reveal reveal_burst numbers at once, then one
 * per reveal_refill_seconds (429 rate_limited with Retry-After). The reveal that empties the burst
 * writes alert.bulk_reveal for the audit administrator. The rate is a duration and is measured on the
 * monotonic clock, as the login throttle's (core/rate_limit). */
#ifndef ZHUCUN_REVEAL_GATE_H
#define ZHUCUN_REVEAL_GATE_H

#include "http/request.h"

/* 0: go on (one reveal counted); -1 with the error reply written. */
int reveal_gate(struct request *req, struct reply *rep);

#endif
