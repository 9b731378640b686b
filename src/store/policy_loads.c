/* policy_loads — see the header. The audit row is written in the same transaction. */
#include "store/policy_loads.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/db_sqlite.h"

void policy_loads_hash(const void *data, size_t len, char out[65])
{
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, data, len);
  sodium_bin2hex(out, 65, digest, sizeof digest);
}

int policy_loads_record(struct db *db, const char *sha256, const char *path, int64_t now, bool *changed)
{
  *changed = false;
  int rc = db_begin(db);
  sqlite3_stmt *st = rc == DB_OK ? db_stmt(db, "SELECT sha256 FROM policy_load ORDER BY id DESC LIMIT 1") : NULL;
  char last[65] = "";
  if (st) {
    if (db_step_row(db, st)) snprintf(last, sizeof last, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
  } else {
    rc = DB_ERROR;
  }
  if (rc == DB_OK && strcmp(last, sha256) != 0) {
    *changed = true;
    sqlite3_stmt *ins = db_stmt(db, "INSERT INTO policy_load (sha256, path, loaded_at) VALUES (?1, ?2, ?3)");
    if (!ins) rc = DB_ERROR;
    else {
      sqlite3_bind_text(ins, 1, sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, path, -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins, 3, now);
      rc = db_step_result(db, sqlite3_step(ins));
      sqlite3_reset(ins);
    }
    char detail[256];
    snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\"}", last, sha256);
    struct audit_entry e = {0, "console", "policy.change", "policy", path, "console", detail, now};
    if (rc == DB_OK) rc = audit_append(db, &e);
  }
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) db_rollback(db);
  return rc;
}
