/* credentials — two-person issue of initial passwords; see the header. */
#include "store/credentials.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
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
  if (rc == DB_OK) {
    struct query *q = query_open(db,
        "INSERT INTO credential_proposal (user_id, kind, proposed_by, part_cipher, proposed_at)"
        " VALUES (:user, :kind, :proposer, :cipher, :now) ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind,"
        " proposed_by = excluded.proposed_by, part_cipher = excluded.part_cipher, proposed_at = excluded.proposed_at");
    query_bind_int(q, ":user", user_id);
    query_bind_text(q, ":kind", kind);
    query_bind_int(q, ":proposer", proposer);
    query_bind_blob(q, ":cipher", cipher, len);
    query_bind_int(q, ":now", now);
    rc = query_exec(q);
  }
  free(cipher);
  return rc;
}

int credentials_pending(struct db *db, int64_t user_id, char kind[8], int64_t *proposer)
{
  struct query *q = query_open(db,
      "SELECT kind AS kind, proposed_by AS proposed_by FROM credential_proposal WHERE user_id = :user");
  query_bind_int(q, ":user", user_id);
  bool found = query_next(q);
  if (found) {
    snprintf(kind, 8, "%s", query_get_text(q, "kind"));
    *proposer = query_get_int(q, "proposed_by");
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The proposer's part, decrypted (caller frees after sodium_memzero). */
static int proposer_part(struct db *db, const struct vault *v, int64_t user_id, char **out)
{
  *out = NULL;
  struct query *q = query_open(db, "SELECT part_cipher AS part_cipher FROM credential_proposal WHERE user_id = :user");
  query_bind_int(q, ":user", user_id);
  int result = DB_NOT_FOUND;
  if (query_next(q)) {
    size_t len = 0;
    const void *cipher = query_get_blob(q, "part_cipher", &len);
    result = vault_decrypt(v, cipher, len, out) == 0 ? DB_OK : DB_ERROR;
  }
  if (query_close(q) != DB_OK) {
    if (*out) sodium_memzero(*out, strlen(*out));
    free(*out);
    *out = NULL;
    result = DB_ERROR;
  }
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
  if (rc != DB_OK) return rc;
  struct query *q = query_open(db, "DELETE FROM credential_proposal WHERE user_id = :user");
  query_bind_int(q, ":user", user_id);
  return query_exec(q);
}
