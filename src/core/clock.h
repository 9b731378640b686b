/* clock — the one place zhucun learns what time it is.
 *
 * Everything zhucun judges — periods, deadlines, the 15 days of a handover, who is in the
 * village today — depends on "now". Reading the system time in a handler or a store would make
 * that judgement untestable and the demo different every day, so the instant is an input:
 * clock_now() answers the real time unless the process was started with --now (or ZHUCUN_NOW),
 * in which case it answers that fixed instant for the whole life of the process. No other file
 * reads the system time (tests/check_clock.sh enforces it); durations are measured with
 * clock_monotonic_ms(), which never feeds a judgement.
 *
 * Instants are seconds since 1970-01-01 UTC; civil dates are reckoned in China Standard Time
 * (UTC+8, no daylight saving), as core/date does. */
#ifndef ZHUCUN_CLOCK_H
#define ZHUCUN_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCK_ISO_SIZE 26 /* "2027-01-01T09:00:00+08:00" and its NUL */

/* Earliest and latest instants zhucun accepts anywhere: 2000-01-01 and 2100-01-01 (UTC). */
#define CLOCK_MIN_INSTANT 946684800LL
#define CLOCK_MAX_INSTANT 4102444800LL

/* Now, in seconds since the epoch: the fixed instant, or the system's real time. */
int64_t clock_now(void);
/* Now for work that waits on time passing (the notification sender's back-off): the real time, or
 * on a fixed clock the fixed instant plus the seconds the process has run since it was fixed, so
 * that a retry due in 30 s comes 30 s later under a pinned clock too. Never a request's instant. */
int64_t clock_running_now(void);
/* Today's date (yyyymmdd) in China Standard Time, at clock_now(). */
int clock_today(void);
/* Fixes the clock at t for the rest of the process (t in CLOCK_MIN..MAX_INSTANT). 0, or -1. */
int clock_fix(int64_t t);
bool clock_is_fixed(void);
/* Fixes the clock from an ISO 8601 text (option --now), or from ZHUCUN_NOW when text is NULL;
 * neither given: the real clock, unchanged. 0, or -1 with a message on stderr. */
int clock_fix_from(const char *text);

/* "2026-11-29T09:12:00+08:00", "2026-11-29T01:12:00Z", with optional fractional seconds:
 * a real date and time with an explicit offset, inside CLOCK_MIN..MAX_INSTANT. 0, or -1. */
int clock_parse_instant(const char *text, int64_t *out);
/* t as "YYYY-MM-DDTHH:MM:SS+08:00" (China Standard Time). */
void clock_format_cst(int64_t t, char out[CLOCK_ISO_SIZE]);

/* Milliseconds of a monotonic clock, for measuring how long something took; never a date. */
double clock_monotonic_ms(void);

/* The CLOCK_MONOTONIC instant ms milliseconds from now, for pthread_cond_timedwait on a condition
 * whose clock is CLOCK_MONOTONIC (a wait, never a date). */
struct timespec;
void clock_monotonic_deadline(long ms, struct timespec *out);

#endif
