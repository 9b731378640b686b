/* login_guard — failed logins counted per (user name as typed, address), with a lock per pair
 * (schema 020; F4 of the 2026-12 review). A stranger who guesses from another address cannot lock
 * the real user out, and an unknown name goes through exactly the same steps as a real one, so
 * the answers never tell which names exist. The lock grows with each relapse of the same pair:
 * lockout_minutes, then twice that, … up to a day. */
#ifndef ZHUCUN_LOGIN_GUARD_H
#define ZHUCUN_LOGIN_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/settings.h"
#include "store/db.h"

/* Until when the pair is locked (0: not locked), and whether it has failed since its last success
 * (the per-name throttle holds back only such addresses). DB_OK or DB_ERROR. */
int login_guard_state(struct db *db, const char *username, const char *ip, int64_t now, int64_t *locked_until,
                      bool *failed_before);
/* Counts a failure of the pair; at lockout_attempts it locks the pair (*locked_until set, else 0). */
int login_guard_failure(struct db *db, const char *username, const char *ip, const struct security_settings *s,
                        int64_t now, int64_t *locked_until);
/* A success: the pair starts afresh (its lock history too). */
int login_guard_success(struct db *db, const char *username, const char *ip);
/* The security administrator's unlock: every pair of the name. */
int login_guard_unlock(struct db *db, const char *username);

#endif
