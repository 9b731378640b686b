/* token_auth — the way an API token (接口令牌, issue 13 part 2) enters /api/v1: `Authorization: Bearer zc_…`
 * instead of a session cookie. No CSRF (a script has no page to forge), no session, no password change or
 * second factor to wait for. The token acts as an account of its region scope holding its read permissions
 * only, on the GET endpoints listed in token_auth.c and nowhere else (accounts, tokens, settings, messages and
 * every write stay session-only). Order: well-formed → known → not revoked → not expired (401) → rate (429) →
 * endpoint open to tokens and permission granted (403) → scope → the handler; every call that passes the
 * rate limit is audited (api_token.use, with its path and answer) and stamps the token's last use. */
#ifndef ZHUCUN_TOKEN_AUTH_H
#define ZHUCUN_TOKEN_AUTH_H

#include <stdbool.h>

#include "core/roles.h"

struct request;
struct reply;

/* True if the request carries an Authorization: Bearer header (then token_gate decides, not the session). */
bool token_presented(const struct request *req);
/* 0 when the token may call this route (req->user, req->scope set), or -1 with the reply written. */
int token_gate(struct request *req, struct reply *rep, const char *method, const char *pattern, perm_t perm);

#endif
