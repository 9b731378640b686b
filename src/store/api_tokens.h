/* api_tokens — the 接口令牌 rows (schema 125): issue, look-up by the token's hash, the stamp of each
 * use, revocation and the security administrator's list. The token text never reaches this module:
 * only its hash (core/api_token). */
#ifndef ZHUCUN_API_TOKENS_H
#define ZHUCUN_API_TOKENS_H

#include <jansson.h>
#include <stdint.h>

#include "core/api_token.h"

struct db;

struct api_token_input {
  const char *name, *region_code, *perms; /* perms: ",a,b," */
  const char *hash, *hint;
  int64_t expires_at, created_by;
};
/* DB_NOT_FOUND when the region does not exist or is not a city, county or township. */
int api_tokens_create(struct db *db, const struct api_token_input *in, int64_t now, int64_t *id);

/* A token found by its hash, with what the router needs. */
struct api_token_row {
  int64_t id, expires_at, revoked_at;
  char name[64], region_code[16], level[16], perms[API_TOKEN_PERMS_SIZE];
};
/* DB_NOT_FOUND when no token has this hash. */
int api_tokens_find(struct db *db, const char *hash, struct api_token_row *out);
/* Stamps the token's last use. */
int api_tokens_touch(struct db *db, int64_t id, int64_t now);
/* DB_NOT_FOUND: no such token; DB_CONFLICT: revoked already. */
int api_tokens_revoke(struct db *db, int64_t id, int64_t by, int64_t now);

/* [{id, name, region_code, region_name, permissions:[…], token_hint, expires_at, created_at, created_by_name,
 *   last_used_at, revoked_at, state: active|expired|revoked}], newest first. */
json_t *api_tokens_list_json(struct db *db, int64_t now);
json_t *api_tokens_get_json(struct db *db, int64_t id, int64_t now);
/* The regions a token is usually scoped to, for the issuing form: [{code, name, level}] of the cities and
 * counties (a township's code is typed). The security administrator holds no region permission. */
json_t *api_tokens_regions_json(struct db *db);

#endif
