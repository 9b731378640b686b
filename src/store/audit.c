/* audit — hash chain. hash(n) = SHA-256 over prev_hash and every field of row n, so changing
 * any field breaks row n, deleting a row breaks the link of the next one (and the id sequence),
 * and rewriting the whole tail needs a new anchor that the verifier reports. */
#include "store/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "util/strbuf.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void hash_row(const char *prev, int64_t id, int64_t at, int64_t user_id, const char *username,
                     const char *action, const char *entity, const char *entity_id, const char *ip,
                     const char *detail, char out_hex[65])
{
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  char nums[96];
  int n = snprintf(nums, sizeof nums, "|%lld|%lld|%lld|", (long long)id, (long long)at, (long long)user_id);
  const char *parts[] = {username, action, entity, entity_id, ip, detail};
  crypto_hash_sha256_update(&h, (const unsigned char *)prev, strlen(prev));
  crypto_hash_sha256_update(&h, (const unsigned char *)nums, (unsigned long long)n);
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    /* length-prefix each field so that moving text between fields changes the hash */
    char len[24];
    int ln = snprintf(len, sizeof len, "%zu:", strlen(parts[i]));
    crypto_hash_sha256_update(&h, (const unsigned char *)len, (unsigned long long)ln);
    crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], strlen(parts[i]));
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h, digest);
  sodium_bin2hex(out_hex, 65, digest, sizeof digest);
}

int audit_append(struct db *db, const struct audit_entry *e)
{
  if (e->at <= 0) return DB_ERROR; /* every caller knows its instant (core/clock) */
  sqlite3_stmt *last = db_stmt(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
  if (!last) return DB_ERROR;
  int64_t id = 1;
  char prev[65] = GENESIS;
  int rc = sqlite3_step(last);
  if (rc == SQLITE_ROW) {
    id = sqlite3_column_int64(last, 0) + 1;
    snprintf(prev, sizeof prev, "%s", db_col_text(last, 1));
  } else if (rc != SQLITE_DONE) {
    return db_step_result(db, rc);
  }
  sqlite3_reset(last);

  int64_t at = e->at;
  const char *detail = e->detail ? e->detail : "{}";
  char hash[65];
  hash_row(prev, id, at, e->user_id, e->username, e->action, e->entity, e->entity_id, e->ip, detail, hash);

  sqlite3_stmt *ins = db_stmt(db,
      "INSERT INTO audit (id, at, user_id, username, action, entity, entity_id, ip, detail, prev_hash, hash)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!ins) return DB_ERROR;
  sqlite3_bind_int64(ins, 1, id);
  sqlite3_bind_int64(ins, 2, at);
  if (e->user_id) sqlite3_bind_int64(ins, 3, e->user_id); else sqlite3_bind_null(ins, 3);
  sqlite3_bind_text(ins, 4, e->username, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 5, e->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 6, e->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 7, e->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 8, e->ip, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 9, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 10, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text(ins, 11, hash, -1, SQLITE_STATIC);
  rc = db_step_result(db, sqlite3_step(ins));
  sqlite3_reset(ins);
  return rc;
}

static void verdict_bad(struct audit_verdict *out, int64_t id, const char *reason)
{
  out->ok = false;
  out->first_bad_id = id;
  snprintf(out->reason, sizeof out->reason, "%s", reason);
}

int audit_anchor_parse(const char *text, struct audit_anchor *out)
{
  const char *colon = text ? strchr(text, ':') : NULL;
  if (!colon || colon == text || colon - text > 18 || strlen(colon + 1) != 64) return -1;
  int64_t id = 0;
  for (const char *c = text; c < colon; c++) {
    if (*c < '0' || *c > '9') return -1;
    id = id * 10 + (*c - '0');
  }
  for (const char *c = colon + 1; *c; c++)
    if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return -1;
  if (id < 1) return -1;
  out->id = id;
  memcpy(out->hash, colon + 1, 65);
  return 0;
}

/* After the walk: the anchored row must still be there with the hash written down. */
static void check_anchor(const struct audit_anchor *anchor, bool seen, const char *hash_seen, struct audit_verdict *out)
{
  if (!anchor || !out->ok) return;
  if (!seen) {
    out->ok = false;
    out->first_bad_id = anchor->id;
    snprintf(out->reason, sizeof out->reason, "the anchored row is gone (rows removed from the end of the log)");
  } else if (strcmp(hash_seen, anchor->hash) != 0) {
    out->ok = false;
    out->first_bad_id = anchor->id;
    snprintf(out->reason, sizeof out->reason, "the anchored row's hash differs (the log was rewritten)");
  }
}

int audit_verify(struct db *db, const struct audit_anchor *anchor, struct audit_verdict *out)
{
  memset(out, 0, sizeof *out);
  out->ok = true;
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, at, coalesce(user_id, 0), username, action, entity, entity_id, ip, detail, prev_hash, hash"
      " FROM audit ORDER BY id");
  if (!st) return DB_ERROR;
  char prev[65] = GENESIS, anchor_hash[65] = "";
  bool anchor_seen = false;
  int64_t expected_id = 1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    out->rows++;
    if (out->ok && id != expected_id) verdict_bad(out, id, "rows missing before this one (ids not consecutive)");
    if (out->ok && strcmp(prev, db_col_text(st, 9)) != 0)
      verdict_bad(out, id, "prev_hash does not match the row before (a row was removed or changed)");
    char hash[65];
    hash_row(db_col_text(st, 9), id, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
             db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6),
             db_col_text(st, 7), db_col_text(st, 8), hash);
    if (out->ok && strcmp(hash, db_col_text(st, 10)) != 0)
      verdict_bad(out, id, "hash does not match the row's content (the row was changed)");
    snprintf(prev, sizeof prev, "%s", db_col_text(st, 10));
    if (anchor && id == anchor->id) { anchor_seen = true; snprintf(anchor_hash, sizeof anchor_hash, "%s", prev); }
    out->head_id = id;
    expected_id = id + 1;
  }
  sqlite3_reset(st);
  snprintf(out->head_hash, sizeof out->head_hash, "%s", out->head_id ? prev : "");
  check_anchor(anchor, anchor_seen, anchor_hash, out);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}
