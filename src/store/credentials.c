/* credentials — two-person issue of initial passwords; see the header. */
#include "store/credentials.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/users.h"
#include "store/vault.h"

/* Letters and digits without the look-alikes (0/O, 1/l/I), read over the telephone or on paper. */
static const char ALPHABET_LOWER[] = "abcdefghjkmnpqrstuvwxyz";
static const char ALPHABET_UPPER[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char ALPHABET_DIGIT[] = "23456789";

static void random_part(char out[CREDENTIAL_PART_LEN + 1])
{
  static const char *const SETS[] = {ALPHABET_LOWER, ALPHABET_UPPER, ALPHABET_DIGIT};
  for (int i = 0; i < CREDENTIAL_PART_LEN; i++) {
    const char *set = SETS[i < 3 ? (uint32_t)i : randombytes_uniform(3)]; /* every class at least once */
    out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
  }
  out[CREDENTIAL_PART_LEN] = '\0';
}

/* A password nobody knows: the account cannot log in until the approval. */
static int password_unusable(struct db *db, int64_t user_id, int64_t now)
{
  unsigned char raw[32];
  char secret[65];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(secret, sizeof secret, raw, sizeof raw);
  int rc = users_set_password(db, user_id, secret, true, now);
  sodium_memzero(secret, sizeof secret);
  sodium_memzero(raw, sizeof raw);
  return rc;
}

int credentials_propose(struct db *db, const struct vault *v, int64_t user_id, const char *kind, int64_t proposer,
                        const char *part, int64_t now)
{
  unsigned char *cipher = NULL;
  size_t len = 0;
  if (vault_encrypt(v, part, &cipher, &len) != 0) return DB_ERROR;
  int rc = password_unusable(db, user_id, now);
  sqlite3_stmt *st = rc == DB_OK ? db_stmt(db,
      "INSERT OR REPLACE INTO credential_proposal (user_id, kind, proposed_by, part_cipher, proposed_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5)") : NULL;
  if (rc == DB_OK && !st) rc = DB_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, proposer);
    sqlite3_bind_blob(st, 4, cipher, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, now);
    rc = db_step_result(db, sqlite3_step(st));
    sqlite3_reset(st);
  }
  free(cipher);
  return rc;
}

int credentials_pending(struct db *db, int64_t user_id, char kind[8], int64_t *proposer)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT kind, proposed_by FROM credential_proposal WHERE user_id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    snprintf(kind, 8, "%s", (const char *)sqlite3_column_text(st, 0));
    *proposer = sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

/* The proposer's part, decrypted (caller frees after sodium_memzero). */
static int proposer_part(struct db *db, const struct vault *v, int64_t user_id, char **out)
{
  *out = NULL;
  sqlite3_stmt *st = db_stmt(db, "SELECT part_cipher FROM credential_proposal WHERE user_id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user_id);
  int rc = sqlite3_step(st);
  int result = DB_NOT_FOUND;
  if (rc == SQLITE_ROW)
    result = vault_decrypt(v, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), out) == 0 ? DB_OK : DB_ERROR;
  else if (rc != SQLITE_DONE)
    result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int credentials_approve(struct db *db, const struct vault *v, int64_t user_id, int64_t now, char *part_out)
{
  char *first = NULL;
  int rc = proposer_part(db, v, user_id, &first);
  if (rc != DB_OK) return rc;
  random_part(part_out);
  size_t n = strlen(first) + CREDENTIAL_PART_LEN + 1;
  char *joined = malloc(n);
  if (!joined) rc = DB_ERROR;
  if (rc == DB_OK) {
    snprintf(joined, n, "%s%s", first, part_out);
    rc = users_set_password(db, user_id, joined, true, now);
    sodium_memzero(joined, n);
  }
  free(joined);
  sodium_memzero(first, strlen(first));
  free(first);
  sqlite3_stmt *st = rc == DB_OK ? db_stmt(db, "DELETE FROM credential_proposal WHERE user_id = ?1") : NULL;
  if (rc == DB_OK && !st) rc = DB_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, user_id);
    rc = db_step_result(db, sqlite3_step(st));
    sqlite3_reset(st);
  }
  return rc;
}
