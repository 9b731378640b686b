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
 * verifying against that anchor later proves the row is still there, unchanged. */
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

/* Appends an entry. Must be called inside a write transaction (db_begin). */
int audit_append(struct db *db, const struct audit_entry *entry);

struct audit_verdict {
  bool ok;
  int64_t rows;
  int64_t first_bad_id;   /* 0 when ok */
  char reason[160];
  int64_t head_id;        /* the last row: id and hash, the anchor to write down */
  char head_hash[65];
};

/* An anchor written down earlier: row id and its hash. */
struct audit_anchor {
  int64_t id;
  char hash[65];
};

/* "ID:HASH" (64 hex digits) → anchor; -1 when malformed. */
int audit_anchor_parse(const char *text, struct audit_anchor *out);

/* Walks the chain; with an anchor (may be NULL) also fails when that row is gone or its hash differs. */
int audit_verify(struct db *db, const struct audit_anchor *anchor, struct audit_verdict *out);

#endif
