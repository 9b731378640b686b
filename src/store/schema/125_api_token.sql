-- 接口令牌 (issue 13, part 2): other systems read /api/v1 with a bearer token issued by the security
-- administrator. The token itself is shown once and never stored: token_hash is its SHA-256 (hex).
-- A token acts like an account of its region scope (region_code) holding only the read permissions
-- named in perms (",household_read,assign_read,"); it expires (at most a year after issue) and can
-- be revoked. Every use is audited (api_token.use) and stamps last_used_at.
CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  region_code  TEXT NOT NULL REFERENCES region(code),
  perms        TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  token_hint   TEXT NOT NULL,               -- "zc_1a2b…": the first characters, to tell tokens apart
  expires_at   INTEGER NOT NULL,
  created_by   INTEGER NOT NULL REFERENCES user(id),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER,
  revoked_by   INTEGER REFERENCES user(id)
);
