/* sender — the thread that delivers the outbox (store/outbox) to the robot channels (issue 13).
 *
 * One thread with its own SQLite connection. Each round it takes the rows due (status pending,
 * next_at reached), posts each with libcurl (connection and total timeouts from the settings, TLS
 * verified, no redirects, http only to 127.0.0.1) and records the outcome in a transaction of its
 * own: sent; or a retry after backoff_seconds × 2^(attempts-1), at most backoff_max_seconds; or,
 * at max_attempts, a dead letter with its reason for the system administrator. Time comes from
 * clock_running_now() (a pinned clock advances with the process's own seconds). A row is marked
 * only after its request is answered, so a crash between the two sends it again with the same
 * X-Zhucun-Idempotency-Key, which a receiver that dedups drops: none lost, none shown twice.
 * During the quiet hours nothing is posted; the rows wait until the morning. */
#ifndef ZHUCUN_SENDER_H
#define ZHUCUN_SENDER_H

struct vault;

/* Starts the thread (curl_global_init first, before any other thread exists). 0, or -1. */
int sender_start(const char *db_path, const struct vault *vault);
/* Wakes the thread for rows just written (no-op when not started). */
void sender_wake(void);
/* Stops the thread: a request in flight is abandoned (it stays pending) and the thread joined. */
void sender_stop(void);

#endif
