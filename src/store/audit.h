/* audit — the append-only, hash-chained audit log (审计日志, 等保2.0 安全审计).
 *
 * Every login (success or failure) and every write appends one row inside the same
 * transaction as the write, so a write without its audit row cannot commit. Each row stores
 * the hash of the row before it; audit_verify() walks the chain and names the first row
 * that was changed, or the place where rows were removed. Triggers refuse UPDATE and DELETE.
 *
 * A chain proves nothing about its own end: whoever can write the file can cut the newest rows
 * off and the rest still verifies. So verify reports the head (last id and hash); the audit
 * administrator writes it down outside the system (an 锚点, e.g. in the paper log each week), and
 * verifying against that anchor later proves the row is still there, unchanged.
 *
 * Keyed (issue 17, F6): a plain hash chain can be recomputed by anyone who can write the file, so
 * every row also carries `mac`, an HMAC-SHA-256 chain — mac(n) = HMAC(key, mac(n-1) | id | hash(n)) —
 * keyed by a subkey of the key file (store/vault), which is kept apart from the database and its
 * backups. A re-chain with SHA-256 leaves the macs wrong from the first rewritten row on. The head
 * and the anchors are the mac (`ID:MAC`); an anchor written down before the chain was keyed (`ID:HASH`)
 * is still accepted, since the mac chain covers the same rows.
 *
 * Upgrade (migration 065): the rows written before it are keyed once, inside that migration's
 * transaction, after the old chain is verified as it was (a row found broken stays broken: its
 * `hash` still fails), and an `audit.chain_keyed` row records how many rows and the old head. We
 * key in place rather than start a second chain at a marker row, because a marker is a row in the
 * database too: whoever can rewrite the file could remove it and pass the whole log off as unkeyed.
 * With every row keyed there is no unkeyed form that verifies. (Someone who could also turn the
 * schema back to before 065 and drop the column would get a re-keying, which writes a second
 * `audit.chain_keyed` row at its own date; an anchor taken after the upgrade catches it.) */
#ifndef ZHUCUN_AUDIT_H
#define ZHUCUN_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

struct db;

struct audit_entry {
  int64_t user_id;        /* 0 when nobody is logged in (a failed login) */
  const char *username;
  const char *action;     /* e.g. "session.login", "unit.create" */
  const char *entity;     /* table or resource name */
  const char *entity_id;
  const char *ip;
  const char *detail;     /* JSON text, may be NULL */
  int64_t at;             /* when (core/clock): the request's instant, or the command's */
};

/* The chain's key (from store/vault's audit subkey), for the whole process: set once at start, before
 * any row is appended or verified. Without it audit_append refuses to write and audit_verify fails. */
void audit_set_key(const unsigned char key[32]);
void audit_clear_key(void);

/* Appends an entry. Must be called inside a write transaction (db_begin). */
int audit_append(struct db *db, const struct audit_entry *entry);

/* Migration 065's step: keys the rows that have no mac yet (all of them, once) and appends
 * audit.chain_keyed at `at` when there were any. Inside the migration's transaction. */
int audit_key_existing(struct db *db, int64_t at);

struct audit_verdict {
  bool ok;
  int64_t rows;
  int64_t first_bad_id;   /* 0 when ok */
  char reason[160];
  int64_t head_id;        /* the last row: id and mac, the anchor to write down */
  char head_hash[65];     /* the head's mac */
};

/* An anchor written down earlier: row id and its mac (or, from before 065, its hash). */
struct audit_anchor {
  int64_t id;
  char hash[65];
};

/* "ID:HASH" (64 hex digits) → anchor; -1 when malformed. */
int audit_anchor_parse(const char *text, struct audit_anchor *out);

/* Walks the chain; with an anchor (may be NULL) also fails when that row is gone or its hash differs. */
int audit_verify(struct db *db, const struct audit_anchor *anchor, struct audit_verdict *out);

#endif
