/* second_factor — the TOTP second factor of an account (两步验证, schema 060; F2 of the 2026-12
 * review, 等保2.0 三级 身份鉴别 d).
 *
 * Enrolment: start makes a random secret (libsodium), kept encrypted by the vault, and hands its
 * base32 form back once for the QR code; confirm takes the first code from the phone, marks the
 * factor on and makes the ten recovery codes (returned once, kept as keyed hashes). A code is
 * judged by core/totp at the instant passed in, against the account's last accepted step, which a
 * success moves forward in the same statement, so two requests cannot both spend one code. The
 * security administrator's reset deletes the factor and the recovery codes: the account enrols
 * again. A login whose password was right waits in login_pending (a token of its own) for the
 * second step. */
#ifndef ZHUCUN_SECOND_FACTOR_H
#define ZHUCUN_SECOND_FACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/totp.h"
#include "store/db.h"

struct vault;

#define RECOVERY_CODE_COUNT 10
#define RECOVERY_CODE_SIZE 12 /* "abcde-23456" and its NUL */

struct second_factor_status {
  bool enrolled;       /* confirmed: logins need a code */
  bool started;        /* a secret made, its first code not yet typed */
  int recovery_left;   /* recovery codes not yet used */
};

int second_factor_status(struct db *db, int64_t user_id, struct second_factor_status *out);
/* A new secret for an account not yet enrolled (DB_CONFLICT when it is): secret_b32 for the QR. */
int second_factor_start(struct db *db, const struct vault *v, int64_t user_id, int64_t now,
                        char secret_b32[TOTP_SECRET_B32_SIZE]);
/* The first code: *verdict TOTP_OK turns the factor on and fills codes with the recovery codes.
 * DB_NOT_FOUND when no enrolment was started. */
int second_factor_confirm(struct db *db, const struct vault *v, int64_t user_id, int64_t now, const char *code,
                          enum totp_verdict *verdict, char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE]);
/* A code of an enrolled account; TOTP_OK moves its last step. DB_NOT_FOUND when not enrolled. */
int second_factor_check(struct db *db, const struct vault *v, int64_t user_id, int64_t now, const char *code,
                        enum totp_verdict *verdict);
/* A recovery code ("abcde-23456", dash, spaces and case ignored): *ok when it was unused; it is
 * then used up. */
int second_factor_use_recovery(struct db *db, const struct vault *v, int64_t user_id, const char *code, int64_t now,
                               bool *ok);
/* The security administrator's reset: the factor and recovery codes deleted. */
int second_factor_reset(struct db *db, int64_t user_id);
/* For `init --demo --demo-known-passwords`: the account enrolled with a given (published) secret. */
int second_factor_enrol_known(struct db *db, const struct vault *v, int64_t user_id, const char *secret_b32,
                              int64_t now);

/* Pending logins: the token (64 hex + NUL) goes to the browser, its hash is stored. */
int login_pending_create(struct db *db, int64_t user_id, const char *username, const char *ip, int64_t now,
                         char token_out[65]);
/* The pending login of token from ip younger than max_age seconds; DB_NOT_FOUND otherwise (an
 * older one is deleted on the way). */
int login_pending_find(struct db *db, const char *token, const char *ip, int64_t now, int64_t max_age,
                       int64_t *user_id, char username[64]);
int login_pending_delete(struct db *db, const char *token);

#endif
