/* audit — hash chain. hash(n) = SHA-256 over prev_hash and every field of row n, so changing
 * any field breaks row n, deleting a row breaks the link of the next one (and the id sequence),
 * and rewriting the whole tail needs a new anchor that the verifier reports. mac(n) = HMAC-SHA-256
 * with the key file's audit subkey over mac(n-1), the id and hash(n) recomputed from the fields:
 * without the key a recomputed chain cannot be made to verify (see audit.h for the upgrade). */
#include "store/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/query.h"
#include "util/log.h"
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

static unsigned char chain_key[crypto_auth_hmacsha256_KEYBYTES];
static bool chain_key_set;

void audit_set_key(const unsigned char key[32])
{
  memcpy(chain_key, key, sizeof chain_key);
  chain_key_set = true;
}

void audit_clear_key(void)
{
  sodium_memzero(chain_key, sizeof chain_key);
  chain_key_set = false;
}

static void mac_row(const char *prev_mac, int64_t id, const char *hash_hex, char out_hex[65])
{
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, chain_key, sizeof chain_key);
  char nums[32];
  int n = snprintf(nums, sizeof nums, "|%lld|", (long long)id);
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)prev_mac, strlen(prev_mac));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)nums, (unsigned long long)n);
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)hash_hex, strlen(hash_hex));
  unsigned char digest[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, digest);
  sodium_bin2hex(out_hex, 65, digest, sizeof digest);
}

/* The last row's id, hash and mac; id 0 and the genesis values on an empty log. */
static int chain_head(struct db *db, int64_t *id, char hash[65], char mac[65])
{
  struct query *q = query_open(db,
      "SELECT id AS id, hash AS hash, coalesce(mac, '') AS mac FROM audit ORDER BY id DESC LIMIT 1");
  if (!q) return DB_ERROR;
  *id = 0;
  snprintf(hash, 65, "%s", GENESIS);
  snprintf(mac, 65, "%s", GENESIS);
  if (query_next(q)) {
    *id = query_get_int(q, "id");
    snprintf(hash, 65, "%s", query_get_text(q, "hash"));
    snprintf(mac, 65, "%s", query_get_text(q, "mac"));
  }
  return query_close(q);
}

int audit_append(struct db *db, const struct audit_entry *e)
{
  if (e->at <= 0) return DB_ERROR; /* every caller knows its instant (core/clock) */
  if (!chain_key_set) {
    log_error("audit", "no key for the audit chain: the key file was not opened");
    return DB_ERROR;
  }
  int64_t id;
  char prev[65], prev_mac[65];
  int rc = chain_head(db, &id, prev, prev_mac);
  if (rc != DB_OK) return rc;
  id++;

  int64_t at = e->at;
  const char *detail = e->detail ? e->detail : "{}";
  char hash[65], mac[65];
  hash_row(prev, id, at, e->user_id, e->username, e->action, e->entity, e->entity_id, e->ip, detail, hash);
  mac_row(prev_mac, id, hash, mac);

  struct query *q = query_open(db,
      "INSERT INTO audit (id, at, user_id, username, action, entity, entity_id, ip, detail, prev_hash, hash, mac)"
      " VALUES (:id, :at, :user, :username, :action, :entity, :entity_id, :ip, :detail, :prev_hash, :hash, :mac)");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":at", at);
  query_bind_int_or_null(q, ":user", e->user_id);
  query_bind_text(q, ":username", e->username);
  query_bind_text(q, ":action", e->action);
  query_bind_text(q, ":entity", e->entity);
  query_bind_text(q, ":entity_id", e->entity_id);
  query_bind_text(q, ":ip", e->ip);
  query_bind_text(q, ":detail", detail);
  query_bind_text(q, ":prev_hash", prev);
  query_bind_text(q, ":hash", hash);
  query_bind_text(q, ":mac", mac);
  return query_exec(q);
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

/* After the walk: the anchored row must still be there with the mac (or the hash, for an anchor
 * written down before the chain was keyed) that was written down. */
static void check_anchor(const struct audit_anchor *anchor, bool seen, const char *mac_seen, const char *hash_seen,
                         struct audit_verdict *out)
{
  if (!anchor || !out->ok) return;
  if (!seen) {
    out->ok = false;
    out->first_bad_id = anchor->id;
    snprintf(out->reason, sizeof out->reason, "the anchored row is gone (rows removed from the end of the log)");
  } else if (strcmp(mac_seen, anchor->hash) != 0 && strcmp(hash_seen, anchor->hash) != 0) {
    out->ok = false;
    out->first_bad_id = anchor->id;
    snprintf(out->reason, sizeof out->reason, "the anchored row's hash differs (the log was rewritten)");
  }
}

/* The walk's state from one row to the next. */
struct walk {
  char prev[65], prev_mac[65];
  int64_t expected_id;
  const struct audit_anchor *anchor;
  bool anchor_seen;
  char anchor_mac[65], anchor_hash[65];
};

/* The columns a row's hash is made of, as ROW_COLUMNS selects them (user_id 0 for none). */
#define ROW_COLUMNS \
  "id AS id, at AS at, coalesce(user_id, 0) AS user_id, username AS username, action AS action, entity AS entity," \
  " entity_id AS entity_id, ip AS ip, detail AS detail, prev_hash AS prev_hash"

/* hash(n) recomputed from the current row's fields (ROW_COLUMNS). */
static void hash_of_row(struct query *q, int64_t id, char out_hex[65])
{
  int64_t at = query_get_int(q, "at"), user_id = query_get_int(q, "user_id");
  const char *username = query_get_text(q, "username"), *action = query_get_text(q, "action");
  const char *entity = query_get_text(q, "entity"), *entity_id = query_get_text(q, "entity_id");
  const char *ip = query_get_text(q, "ip"), *detail = query_get_text(q, "detail");
  hash_row(query_get_text(q, "prev_hash"), id, at, user_id, username, action, entity, entity_id, ip, detail, out_hex);
}

/* One row (ROW_COLUMNS, hash, mac). */
static void verify_row(struct query *q, struct walk *w, struct audit_verdict *out)
{
  int64_t id = query_get_int(q, "id");
  out->rows++;
  if (out->ok && id != w->expected_id) verdict_bad(out, id, "rows missing before this one (ids not consecutive)");
  if (out->ok && strcmp(w->prev, query_get_text(q, "prev_hash")) != 0)
    verdict_bad(out, id, "prev_hash does not match the row before (a row was removed or changed)");
  char hash[65], mac[65];
  hash_of_row(q, id, hash);
  if (out->ok && strcmp(hash, query_get_text(q, "hash")) != 0)
    verdict_bad(out, id, "hash does not match the row's content (the row was changed)");
  mac_row(w->prev_mac, id, hash, mac);
  if (out->ok && query_is_null(q, "mac")) verdict_bad(out, id, "the row has no keyed hash (mac)");
  if (out->ok && strcmp(mac, query_get_text(q, "mac")) != 0)
    verdict_bad(out, id, "keyed hash (mac) does not match: the row or the chain before it was rewritten");
  snprintf(w->prev, sizeof w->prev, "%s", query_get_text(q, "hash"));
  snprintf(w->prev_mac, sizeof w->prev_mac, "%s", query_get_text(q, "mac"));
  if (w->anchor && id == w->anchor->id) {
    w->anchor_seen = true;
    snprintf(w->anchor_mac, sizeof w->anchor_mac, "%s", w->prev_mac);
    snprintf(w->anchor_hash, sizeof w->anchor_hash, "%s", w->prev);
  }
  out->head_id = id;
  w->expected_id = id + 1;
}

int audit_verify(struct db *db, const struct audit_anchor *anchor, struct audit_verdict *out)
{
  memset(out, 0, sizeof *out);
  out->ok = true;
  if (!chain_key_set) {
    log_error("audit", "no key for the audit chain: the key file was not opened");
    return DB_ERROR;
  }
  struct query *q = query_open(db, "SELECT " ROW_COLUMNS ", hash AS hash, mac AS mac FROM audit ORDER BY id");
  if (!q) return DB_ERROR;
  struct walk w = {.prev = GENESIS, .prev_mac = GENESIS, .expected_id = 1, .anchor = anchor};
  while (query_next(q)) verify_row(q, &w, out);
  int rc = query_close(q);
  snprintf(out->head_hash, sizeof out->head_hash, "%s", out->head_id ? w.prev_mac : "");
  check_anchor(anchor, w.anchor_seen, w.anchor_mac, w.anchor_hash, out);
  return rc;
}

/* Keys every row without a mac, in id order, from the mac of the row before. */
static int key_rows(struct db *db, int64_t *keyed)
{
  struct query *q = query_open(db, "SELECT " ROW_COLUMNS ", coalesce(mac, '') AS mac FROM audit ORDER BY id");
  if (!q) return DB_ERROR;
  char prev_mac[65] = GENESIS;
  int wrc = DB_OK;
  *keyed = 0;
  while (wrc == DB_OK && query_next(q)) {
    int64_t id = query_get_int(q, "id");
    char hash[65], mac[65];
    hash_of_row(q, id, hash);
    const char *kept = query_get_text(q, "mac");
    if (*kept) { snprintf(prev_mac, sizeof prev_mac, "%s", kept); continue; }
    mac_row(prev_mac, id, hash, mac);
    struct query *upd = query_open(db, "UPDATE audit SET mac = :mac WHERE id = :id AND mac IS NULL");
    query_bind_int(upd, ":id", id);
    query_bind_text(upd, ":mac", mac);
    wrc = query_exec(upd);
    snprintf(prev_mac, sizeof prev_mac, "%s", mac);
    (*keyed)++;
  }
  int rc = query_close(q);
  return wrc == DB_OK ? rc : wrc;
}

int audit_key_existing(struct db *db, int64_t at)
{
  if (!chain_key_set) {
    log_error("audit", "no key for the audit chain: the key file was not opened");
    return DB_ERROR;
  }
  /* the old chain as it stood, before anything is keyed: recorded, and a broken row stays broken */
  struct audit_verdict before;
  struct query *q = query_open(db, "SELECT count(*) AS n FROM audit");
  int64_t rows = query_next(q) ? query_get_int(q, "n") : -1;
  if (query_close(q) != DB_OK || rows < 0) return DB_ERROR;
  if (rows == 0) return DB_OK;
  int64_t keyed = 0;
  int rc = key_rows(db, &keyed);
  if (rc == DB_OK) rc = audit_verify(db, NULL, &before);
  if (rc != DB_OK || keyed == 0) return rc;
  char detail[400];
  snprintf(detail, sizeof detail,
           "{\"rows_keyed\":%lld,\"chain_intact\":%s,\"first_bad_id\":%lld,\"note\":\"审计日志哈希链改为密钥链（HMAC-SHA-256）\"}",
           (long long)keyed, before.ok ? "true" : "false", (long long)before.first_bad_id);
  struct audit_entry e = {0, "system", "audit.chain_keyed", "audit", "", "", detail, at};
  char entity_id[24];
  snprintf(entity_id, sizeof entity_id, "%lld", (long long)before.head_id);
  e.entity_id = entity_id;
  return audit_append(db, &e);
}
