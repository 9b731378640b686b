-- 060 second factor (两步验证; issue #17, F2 of the 2026-12 review: no second factor for anyone, while
-- 等保2.0 三级 身份鉴别 d asks two factors of administrators). A TOTP secret (RFC 6238) per account,
-- encrypted with the vault's key like ID numbers; confirmed_at stays 0 until the user has typed a
-- first code from the phone. last_step is the last time step accepted: a code of that step or an
-- earlier one is refused, so a code works once. Recovery codes are kept as keyed hashes, each
-- good once. A login that passed the password waits in login_pending for its second step.
CREATE TABLE user_totp (
  user_id INTEGER PRIMARY KEY REFERENCES user(id),
  secret_cipher BLOB NOT NULL,           -- vault: nonce || secretbox(base32 secret)
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER NOT NULL DEFAULT 0,
  last_step INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE user_recovery_code (
  user_id INTEGER NOT NULL REFERENCES user(id),
  code_hash BLOB NOT NULL,               -- vault_lookup_hash("<user id>:<code>")
  used_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE login_pending (
  token_hash BLOB PRIMARY KEY,           -- SHA-256 of the token handed to the browser, as for sessions
  user_id INTEGER NOT NULL REFERENCES user(id),
  username TEXT NOT NULL,                -- as typed: the (name, address) pair of login_guard
  ip TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_pending_created ON login_pending(created_at);
