/* users — accounts (账号) and their sessions: the login bookkeeping (failures, lockout),
 * the session table, and the account administration of the system and security admins. */
#ifndef ZHUCUN_USERS_H
#define ZHUCUN_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/roles.h"
#include "core/settings.h"

struct db;
struct scope;

/* The logged-in user of a request, read from the session. */
struct auth_user {
  int64_t id;
  char username[64];
  char display_name[128];
  const struct role *role;
  char region_code[16];
  int64_t unit_id;
  int64_t cadre_id;
  bool must_change_password;
  bool second_factor_enrolled;   /* schema 060: a confirmed TOTP secret */
  bool must_enrol_second_factor; /* the policy asks it of the role and it is not enrolled yet */
  char csrf_token[65];
  unsigned char token_hash[32];
};

/* What login needs of an account. */
struct login_row {
  int64_t id;
  char password_hash[160];
  int failed_logins;
  int64_t locked_until;
  bool disabled;
};

int users_find_login(struct db *db, const char *username, struct login_row *out);
int users_record_success(struct db *db, int64_t id);

/* Sessions. The token is returned to the caller (hex, 64 chars + NUL); only its hash is stored. */
int sessions_create(struct db *db, int64_t user_id, const char *ip, int64_t now,
                    char token_out[65], char csrf_out[65]);
/* Looks a session up by its token, ends it if idle or too old, and fills *out.
 * DB_NOT_FOUND when there is no live session. */
int sessions_lookup(struct db *db, const char *token, const struct security_settings *s, int64_t now,
                    struct auth_user *out);
int sessions_delete(struct db *db, const unsigned char token_hash[32]);
/* When the session's user last typed the password again (POST /session/reauth; schema 023). */
int sessions_set_reauth(struct db *db, const unsigned char token_hash[32], int64_t now);
int sessions_reauth_at(struct db *db, const unsigned char token_hash[32], int64_t *at);
int sessions_delete_for_user(struct db *db, int64_t user_id, const unsigned char *except_hash);

/* Hashing: argon2id (OWASP parameters m=19 MiB, t=2). out must hold crypto_pwhash_STRBYTES. */
int users_hash_password(const char *password, char *out, size_t outlen);
bool users_check_password(const char *hash, const char *password);
/* A real hash of a throw-away password, so that a login for an unknown name costs the same. */
const char *users_dummy_hash(void);

struct new_user {
  const char *username;
  const char *display_name;
  const struct role *role;
  const char *region_code;   /* NULL unless role->scope_kind is REGION */
  int64_t unit_id;           /* 0 unless UNIT */
  int64_t cadre_id;          /* 0 unless SELF */
  const char *password;
  bool must_change_password;
};
/* DB_CONFLICT when the username is taken. */
int users_create(struct db *db, const struct new_user *u, int64_t now, int64_t *id_out);
/* *any: whether the database holds any account at all (init --demo adds its accounts to an empty one only). */
int users_any(struct db *db, bool *any);

/* One user as JSON (the API's User shape), or NULL when absent. */
json_t *users_get_json(struct db *db, int64_t id, int64_t now);
json_t *users_list_json(struct db *db, const char *q, const char *role, int64_t now, int page, int page_size, bool all);
int users_set_disabled(struct db *db, int64_t id, bool disabled);
int users_set_display_name(struct db *db, int64_t id, const char *name);
/* The account's 企业微信账号 (WeCom userid) for application messages; "" clears it. */
int users_set_wecom_userid(struct db *db, int64_t id, const char *wecom_userid);
int users_set_password(struct db *db, int64_t id, const char *password, bool must_change, int64_t now);
int users_unlock(struct db *db, int64_t id);
/* For the CLI: the hash of the current password, to check the old one on change. */
int users_password_hash(struct db *db, int64_t id, char *out, size_t outlen);
/* F8: a new password may be none of the current and the last USERS_PASSWORD_HISTORY (schema 022). */
#define USERS_PASSWORD_HISTORY 5
int users_password_reused(struct db *db, int64_t id, const char *password, bool *reused);
int users_find_id(struct db *db, const char *username, int64_t *id_out);

#endif
