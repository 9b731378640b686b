/* users_identity — an account as a request acts for it (struct auth_user: who, which role, which
 * region, unit or cadre), read by the account's id. The routes that authenticate by something other
 * than a session (the calendar feed's token) build their user this way; the session's own fields
 * (csrf, second factor, token hash) stay empty. */
#ifndef ZHUCUN_USERS_IDENTITY_H
#define ZHUCUN_USERS_IDENTITY_H

#include <stdint.h>

#include "store/users.h"

/* Fills *out (role NULL when the stored role is unknown to this binary). DB_NOT_FOUND when there is
 * no such account; DB_ERROR on a database error. */
int users_identity(struct db *db, int64_t id, struct auth_user *out);

#endif
