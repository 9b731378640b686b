/* policy_loads — see the header. The audit row is written in the same transaction. */
#include "store/policy_loads.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/query.h"

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
  char last[65] = "";
  if (rc == DB_OK) {
    struct query *q = query_open(db, "SELECT sha256 FROM policy_load ORDER BY id DESC LIMIT 1");
    if (query_next(q)) snprintf(last, sizeof last, "%s", query_get_text(q, "sha256"));
    rc = query_close(q);
  }
  if (rc == DB_OK && strcmp(last, sha256) != 0) {
    *changed = true;
    struct query *ins = query_open(db, "INSERT INTO policy_load (sha256, path, loaded_at) VALUES (:sha256, :path, :now)");
    query_bind_text(ins, ":sha256", sha256);
    query_bind_text(ins, ":path", path);
    query_bind_int(ins, ":now", now);
    rc = query_exec(ins);
    char detail[256];
    snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\"}", last, sha256);
    struct audit_entry e = {0, "console", "policy.change", "policy", path, "console", detail, now};
    if (rc == DB_OK) rc = audit_append(db, &e);
  }
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) db_rollback(db);
  return rc;
}
