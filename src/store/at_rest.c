/* at_rest — one pass per column: read each plain value, seal it, write the sealed form and NULL
 * the plain one. The database runs with secure_delete (store/db.c), so the old bytes are zeroed. */
#include "store/at_rest.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/phone.h"
#include "store/db_sqlite.h"
#include "store/vault.h"

/* Writes one sealed value with `update` (?1 id, ?2 cipher, ?3 masked or unused). */
static int seal_one(struct db *db, const struct vault *vault, sqlite3_stmt *update, int64_t id, const char *plain,
                    bool masked)
{
  unsigned char *cipher;
  size_t len;
  if (vault_encrypt(vault, plain, &cipher, &len) != 0) return DB_ERROR;
  char mask[PHONE_MASKED_SIZE];
  sqlite3_bind_int64(update, 1, id);
  sqlite3_bind_blob(update, 2, cipher, (int)len, SQLITE_TRANSIENT);
  if (masked) {
    phone_mask(plain, mask);
    sqlite3_bind_text(update, 3, mask, -1, SQLITE_TRANSIENT);
  }
  int rc = db_step_result(db, sqlite3_step(update));
  sqlite3_reset(update);
  free(cipher);
  return rc;
}

static int seal_column(struct db *db, const struct vault *vault, const char *select_sql, const char *update_sql,
                       bool masked)
{
  sqlite3_stmt *st = db_stmt(db, select_sql);
  sqlite3_stmt *up = db_stmt(db, update_sql);
  if (!st || !up) return DB_ERROR;
  int rc = SQLITE_DONE, wrc = DB_OK;
  while (wrc == DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
    wrc = seal_one(db, vault, up, sqlite3_column_int64(st, 0), db_col_text(st, 1), masked);
  sqlite3_reset(st);
  if (wrc == DB_OK && rc != SQLITE_DONE) wrc = db_step_result(db, rc);
  return wrc;
}

int at_rest_seal_plain(struct db *db, const struct vault *vault)
{
  int rc = seal_column(db, vault, "SELECT id, phone FROM cadre WHERE phone IS NOT NULL AND phone <> ''",
                       "UPDATE cadre SET phone_cipher = ?2, phone_masked = ?3, phone = NULL WHERE id = ?1", true);
  if (rc == DB_OK)
    rc = seal_column(db, vault, "SELECT id, health FROM household_member WHERE health IS NOT NULL AND health <> ''",
                     "UPDATE household_member SET health_cipher = ?2, health = NULL WHERE id = ?1", false);
  return rc;
}
