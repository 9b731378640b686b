/* credentials — the two-person issue of an initial password (schema 021; F3 of the 2026-12 review).
 *
 * An account's first password, and a reset one, is proposed by one administrator and approved by the
 * other: create by the system administrator, approved by the security administrator; reset by the
 * security administrator, approved by the system administrator. The initial password is the
 * proposer's part followed by the approver's part (made here, shown once), so neither knows a
 * password that works; the account must then set its own before any business request. Until the
 * approval the account's password is a random secret nobody knows (it cannot log in). */
#ifndef ZHUCUN_CREDENTIALS_H
#define ZHUCUN_CREDENTIALS_H

#include <stdint.h>

#include "store/db.h"

struct vault;

#define CREDENTIAL_PART_LEN 10 /* the approver's part: letters and digits, one of each class at least */

/* Records the proposal of kind ("create" or "reset") and makes the account's password unusable
 * (must change at first login); replaces an earlier proposal of the account. */
int credentials_propose(struct db *db, const struct vault *v, int64_t user_id, const char *kind, int64_t proposer,
                        const char *part, int64_t now);
/* The pending proposal of the account: DB_OK with kind and proposer, DB_NOT_FOUND, or DB_ERROR. */
int credentials_pending(struct db *db, int64_t user_id, char kind[8], int64_t *proposer);
/* Approves: makes the approver's part (part_out, CREDENTIAL_PART_LEN + 1), sets the password to the
 * two parts joined (must change at first login) and deletes the proposal. */
int credentials_approve(struct db *db, const struct vault *v, int64_t user_id, int64_t now, char *part_out);

#endif
