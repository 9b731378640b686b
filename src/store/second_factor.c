/* second_factor — TOTP secrets, recovery codes and pending logins; see the header. */
#include "store/second_factor.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/vault.h"

/* Lower-case letters and digits without the look-alikes (0/o, 1/l/i), read off paper. */
static const char RECOVERY_ALPHABET[] = "abcdefghjkmnpqrstuvwxyz23456789";
#define RECOVERY_CHARS 10

int second_factor_status(struct db *db, int64_t user_id, struct second_factor_status *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db,
      "SELECT (SELECT confirmed_at FROM user_totp WHERE user_id = :user) AS confirmed_at,"
      " (SELECT count(*) FROM user_recovery_code WHERE user_id = :user AND used_at = 0) AS recovery_left");
  query_bind_int(q, ":user", user_id);
  if (query_next(q)) {
    bool has = !query_is_null(q, "confirmed_at");
    out->enrolled = has && query_get_int(q, "confirmed_at") > 0;
    out->started = has && !out->enrolled;
    out->recovery_left = (int)query_get_int(q, "recovery_left");
  }
  return query_close(q);
}

static int store_secret(struct db *db, const struct vault *v, int64_t user_id, const char *secret_b32, int64_t now,
                        int64_t confirmed_at)
{
  unsigned char *cipher = NULL;
  size_t len = 0;
  if (vault_encrypt(v, secret_b32, &cipher, &len) != 0) return DB_ERROR;
  struct query *q = query_open(db,
      "INSERT INTO user_totp (user_id, secret_cipher, created_at, confirmed_at, last_step)"
      " VALUES (:user, :cipher, :now, :confirmed_at, 0) ON CONFLICT (user_id) DO UPDATE SET"
      " secret_cipher = excluded.secret_cipher, created_at = excluded.created_at,"
      " confirmed_at = excluded.confirmed_at, last_step = 0");
  query_bind_int(q, ":user", user_id);
  query_bind_blob(q, ":cipher", cipher, len);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":confirmed_at", confirmed_at);
  free(cipher);
  return query_exec(q);
}

int second_factor_start(struct db *db, const struct vault *v, int64_t user_id, int64_t now,
                        char secret_b32[TOTP_SECRET_B32_SIZE])
{
  struct second_factor_status s;
  int rc = second_factor_status(db, user_id, &s);
  if (rc != DB_OK) return rc;
  if (s.enrolled) return DB_CONFLICT;
  unsigned char raw[TOTP_SECRET_BYTES];
  randombytes_buf(raw, sizeof raw);
  base32_encode(raw, sizeof raw, secret_b32);
  sodium_memzero(raw, sizeof raw);
  return store_secret(db, v, user_id, secret_b32, now, 0);
}

int second_factor_enrol_known(struct db *db, const struct vault *v, int64_t user_id, const char *secret_b32,
                              int64_t now)
{
  return store_secret(db, v, user_id, secret_b32, now, now);
}

/* The decoded secret, its last step and whether it is confirmed. */
static int load_secret(struct db *db, const struct vault *v, int64_t user_id, unsigned char key[TOTP_SECRET_BYTES],
                       int *key_len, int64_t *last_step, bool *confirmed)
{
  struct query *q = query_open(db,
      "SELECT secret_cipher AS secret_cipher, last_step AS last_step, confirmed_at AS confirmed_at"
      " FROM user_totp WHERE user_id = :user");
  query_bind_int(q, ":user", user_id);
  bool found = query_next(q);
  char *b32 = NULL;
  int dec = -1;
  if (found) {
    size_t len = 0;
    const void *cipher = query_get_blob(q, "secret_cipher", &len);
    dec = vault_decrypt(v, cipher, len, &b32);
    *last_step = query_get_int(q, "last_step");
    *confirmed = query_get_int(q, "confirmed_at") > 0;
  }
  int rc = query_close(q);
  if (rc == DB_OK && !found) rc = DB_NOT_FOUND;
  if (rc == DB_OK && dec != 0) rc = DB_ERROR;
  if (rc == DB_OK) *key_len = base32_decode(b32, key, TOTP_SECRET_BYTES);
  if (b32) {
    sodium_memzero(b32, strlen(b32));
    free(b32);
  }
  return rc != DB_OK ? rc : *key_len > 0 ? DB_OK : DB_ERROR;
}

/* Moves the last step to step unless another request got there first (then: a replay). */
static int advance_step(struct db *db, int64_t user_id, int64_t step, int64_t confirmed_at, enum totp_verdict *verdict)
{
  struct query *q = query_open(db,
      "UPDATE user_totp SET last_step = :step,"
      " confirmed_at = CASE WHEN confirmed_at > 0 THEN confirmed_at ELSE :confirmed_at END"
      " WHERE user_id = :user AND last_step < :step");
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":step", step);
  query_bind_int(q, ":confirmed_at", confirmed_at);
  int rc = query_exec_guarded(q);
  if (rc == DB_CONFLICT) {
    *verdict = TOTP_REPLAY;
    return DB_OK;
  }
  return rc;
}

static int check_code(struct db *db, const struct vault *v, int64_t user_id, int64_t now, const char *code,
                      bool want_confirmed, enum totp_verdict *verdict)
{
  *verdict = TOTP_WRONG;
  unsigned char key[TOTP_SECRET_BYTES];
  int key_len = 0;
  int64_t last = 0, step = 0;
  bool confirmed = false;
  int rc = load_secret(db, v, user_id, key, &key_len, &last, &confirmed);
  if (rc != DB_OK) return rc;
  if (confirmed != want_confirmed) {
    sodium_memzero(key, sizeof key);
    return want_confirmed ? DB_NOT_FOUND : DB_CONFLICT;
  }
  *verdict = totp_verify(key, (size_t)key_len, now, last, code, &step);
  sodium_memzero(key, sizeof key);
  if (*verdict != TOTP_OK) return DB_OK;
  return advance_step(db, user_id, step, now, verdict);
}

int second_factor_check(struct db *db, const struct vault *v, int64_t user_id, int64_t now, const char *code,
                        enum totp_verdict *verdict)
{
  return check_code(db, v, user_id, now, code, true, verdict);
}

/* "<user id>:<code as typed without dashes, spaces, in lower case>", hashed with the vault's key */
static int recovery_hash(const struct vault *v, int64_t user_id, const char *code, unsigned char out[32])
{
  char text[64];
  int n = snprintf(text, sizeof text, "%lld:", (long long)user_id);
  size_t chars = 0;
  for (const char *p = code; *p; p++) {
    if (*p == '-' || *p == ' ') continue;
    if ((size_t)n >= sizeof text - 1 || ++chars > RECOVERY_CHARS) return -1;
    text[n++] = (char)tolower((unsigned char)*p);
  }
  text[n] = '\0';
  if (chars != RECOVERY_CHARS) return -1;
  vault_lookup_hash(v, text, out);
  sodium_memzero(text, sizeof text);
  return 0;
}

static int make_recovery_codes(struct db *db, const struct vault *v, int64_t user_id,
                               char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE])
{
  struct query *del = query_open(db, "DELETE FROM user_recovery_code WHERE user_id = :user");
  query_bind_int(del, ":user", user_id);
  int rc = query_exec(del);
  for (int i = 0; rc == DB_OK && i < RECOVERY_CODE_COUNT; i++) {
    char *c = codes[i];
    for (int k = 0, o = 0; k < RECOVERY_CHARS; k++) {
      if (k == RECOVERY_CHARS / 2) c[o++] = '-';
      c[o++] = RECOVERY_ALPHABET[randombytes_uniform((uint32_t)(sizeof RECOVERY_ALPHABET - 1))];
      c[o] = '\0';
    }
    unsigned char hash[32];
    if (recovery_hash(v, user_id, c, hash) != 0) return DB_ERROR;
    struct query *q = query_open(db, "INSERT INTO user_recovery_code (user_id, code_hash) VALUES (:user, :hash) ON CONFLICT DO NOTHING");
    query_bind_int(q, ":user", user_id);
    query_bind_blob(q, ":hash", hash, sizeof hash);
    rc = query_exec(q);
  }
  return rc;
}

int second_factor_confirm(struct db *db, const struct vault *v, int64_t user_id, int64_t now, const char *code,
                          enum totp_verdict *verdict, char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE])
{
  int rc = check_code(db, v, user_id, now, code, false, verdict);
  if (rc == DB_CONFLICT) return DB_CONFLICT; /* already on */
  if (rc != DB_OK || *verdict != TOTP_OK) return rc;
  return make_recovery_codes(db, v, user_id, codes);
}

int second_factor_use_recovery(struct db *db, const struct vault *v, int64_t user_id, const char *code, int64_t now,
                               bool *ok)
{
  *ok = false;
  unsigned char hash[32];
  if (recovery_hash(v, user_id, code, hash) != 0) return DB_OK; /* not the shape of one: simply wrong */
  struct query *q = query_open(db,
      "UPDATE user_recovery_code SET used_at = :now WHERE user_id = :user AND code_hash = :hash AND used_at = 0");
  query_bind_int(q, ":user", user_id);
  query_bind_blob(q, ":hash", hash, sizeof hash);
  query_bind_int(q, ":now", now);
  int rc = query_exec_guarded(q);
  if (rc == DB_CONFLICT) return DB_OK;
  *ok = rc == DB_OK;
  return rc;
}

int second_factor_reset(struct db *db, int64_t user_id)
{
  static const char *const SQL[] = {"DELETE FROM user_totp WHERE user_id = :user",
                                    "DELETE FROM user_recovery_code WHERE user_id = :user",
                                    "DELETE FROM login_pending WHERE user_id = :user"};
  int rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < sizeof SQL / sizeof SQL[0]; i++) {
    struct query *q = query_open(db, SQL[i]);
    query_bind_int(q, ":user", user_id);
    rc = query_exec(q);
  }
  return rc;
}

static void pending_hash(const char *token, unsigned char out[32])
{
  crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int login_pending_create(struct db *db, int64_t user_id, const char *username, const char *ip, int64_t now,
                         char token_out[65])
{
  unsigned char raw[32], hash[32];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(token_out, 65, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  pending_hash(token_out, hash);
  struct query *q = query_open(db,
      "INSERT INTO login_pending (token_hash, user_id, username, ip, created_at) VALUES (:hash, :user, :username, :ip, :now)");
  query_bind_blob(q, ":hash", hash, sizeof hash);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":username", username);
  query_bind_text(q, ":ip", ip);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}

int login_pending_find(struct db *db, const char *token, const char *ip, int64_t now, int64_t max_age,
                       int64_t *user_id, char username[64])
{
  *user_id = 0;
  username[0] = '\0';
  if (!token || strlen(token) != 64) return DB_NOT_FOUND;
  struct query *old = query_open(db, "DELETE FROM login_pending WHERE created_at < :before");
  query_bind_int(old, ":before", now - max_age);
  int rc = query_exec(old);
  if (rc != DB_OK) return rc;
  unsigned char hash[32];
  pending_hash(token, hash);
  struct query *q = query_open(db,
      "SELECT user_id AS user_id, username AS username FROM login_pending WHERE token_hash = :hash AND ip = :ip");
  query_bind_blob(q, ":hash", hash, sizeof hash);
  query_bind_text(q, ":ip", ip);
  bool found = query_next(q);
  if (found) {
    *user_id = query_get_int(q, "user_id");
    snprintf(username, 64, "%s", query_get_text(q, "username"));
  }
  rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int login_pending_delete(struct db *db, const char *token)
{
  unsigned char hash[32];
  pending_hash(token, hash);
  struct query *q = query_open(db, "DELETE FROM login_pending WHERE token_hash = :hash");
  query_bind_blob(q, ":hash", hash, sizeof hash);
  return query_exec(q);
}
