/* api_token — the rules of 接口令牌 (issue 13, part 2), pure: which permissions a token may be granted
 * (read permissions only: the lists other systems pull), how a token looks ("zc_" and 64 hex digits
 * of 32 random bytes) and how it is kept (its SHA-256, hex; the token itself is shown once and never
 * stored), and how long it may live (an expiry is required, at most API_TOKEN_MAX_DAYS after issue). */
#ifndef ZHUCUN_API_TOKEN_H
#define ZHUCUN_API_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/roles.h"

#define API_TOKEN_PREFIX "zc_"
#define API_TOKEN_SIZE 68        /* "zc_" + 64 hex + NUL */
#define API_TOKEN_HASH_SIZE 65   /* 64 hex + NUL */
#define API_TOKEN_MAX_DAYS 365
#define API_TOKEN_PERMS_SIZE 256 /* ",household_read,...," */
/* Requests per token: a burst of 60, then one a second (a script that pages through a list at full
 * speed is slowed, never cut off; a loop gone wrong cannot take the server's threads). */
#define API_TOKEN_BURST 60
#define API_TOKEN_REFILL_SECONDS 1

/* A permission a token may hold: its name (the PERM_ constant's, lower case), the bit, in Chinese. */
struct api_grant { const char *name; perm_t perm; const char *name_zh; };
/* The grantable permissions, ended by a NULL name. */
const struct api_grant *api_token_grants(void);
/* The bit of a grantable permission's name; 0 when the name is not grantable. */
perm_t api_token_grant_perm(const char *name);
/* The bits of a stored list ",a,b,"; names that are not grantable are ignored. */
perm_t api_token_perms_of(const char *list);

/* A fresh token: "zc_" + 64 hex digits of 32 random bytes (libsodium). */
void api_token_generate(char out[API_TOKEN_SIZE]);
/* The stored form: SHA-256 of the token text, hex. */
void api_token_hash(const char *token, char out[API_TOKEN_HASH_SIZE]);
/* True if text has the shape of a token (so a malformed header is refused before any look-up). */
bool api_token_well_formed(const char *text);

#endif
