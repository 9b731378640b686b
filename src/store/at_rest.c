/* at_rest — one pass per column: read each plain value, seal it, write the sealed form and NULL
 * the plain one. The database runs with secure_delete (store/db.c), so the old bytes are zeroed. */
#include "store/at_rest.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/phone.h"
#include "store/query.h"
#include "store/vault.h"

/* Writes one sealed value with update_sql (:id, :cipher, and :masked when masked). */
static int seal_one(struct db *db, const struct vault *vault, const char *update_sql, int64_t id, const char *plain,
                    bool masked)
{
  unsigned char *cipher;
  size_t len;
  if (vault_encrypt(vault, plain, &cipher, &len) != 0) return DB_ERROR;
  char mask[PHONE_MASKED_SIZE];
  struct query *q = query_open(db, update_sql);
  query_bind_int(q, ":id", id);
  query_bind_blob(q, ":cipher", cipher, len);
  if (masked) {
    phone_mask(plain, mask);
    query_bind_text(q, ":masked", mask);
  }
  int rc = query_exec(q);
  free(cipher);
  return rc;
}

/* select_sql's rows (id, plain) each sealed; a failed step of the walk is its answer, as a failed write's. */
static int seal_column(struct db *db, const struct vault *vault, const char *select_sql, const char *update_sql,
                       bool masked)
{
  struct query *q = query_open(db, select_sql);
  int rc = DB_OK;
  while (rc == DB_OK && query_next(q))
    rc = seal_one(db, vault, update_sql, query_get_int(q, "id"), query_get_text(q, "plain"), masked);
  int end = query_close(q);
  return rc != DB_OK ? rc : end;
}

int at_rest_seal_plain(struct db *db, const struct vault *vault)
{
  int rc = seal_column(db, vault, "SELECT id AS id, phone AS plain FROM cadre WHERE phone IS NOT NULL AND phone <> ''",
                       "UPDATE cadre SET phone_cipher = :cipher, phone_masked = :masked, phone = NULL WHERE id = :id",
                       true);
  if (rc == DB_OK)
    rc = seal_column(db, vault,
                     "SELECT id AS id, health AS plain FROM household_member WHERE health IS NOT NULL AND health <> ''",
                     "UPDATE household_member SET health_cipher = :cipher, health = NULL WHERE id = :id", false);
  return rc;
}
