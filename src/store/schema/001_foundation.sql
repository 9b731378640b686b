-- 001 foundation: places, units, users, sessions, audit, cadres (minimal registry).
-- Dates are ISO text 'YYYY-MM-DD' (China Standard Time); instants are unix seconds.

-- 区划: the region tree. `path` is the materialized path of codes ('/36/3607/360781/'),
-- so "everything under X" is one range scan on an index, which also serves scope checks.
CREATE TABLE region (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  level       TEXT NOT NULL CHECK (level IN ('province','city','county','township','village')),
  parent_code TEXT REFERENCES region(code),
  path        TEXT NOT NULL UNIQUE,
  key_village INTEGER NOT NULL DEFAULT 0,      -- 重点村: must have a first secretary / team (1.7)
  lat         REAL,                            -- check-in fence centre, empty until set
  lng         REAL,
  radius_m    INTEGER,
  valid_from  TEXT NOT NULL DEFAULT '2000-01-01',
  valid_to    TEXT                             -- set when merged away; the row and its records stay
);
CREATE INDEX region_parent ON region(parent_code);

-- Past names and parents of a region, each with its validity, so old records and
-- reports keep the names they were made under.
CREATE TABLE region_history (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL REFERENCES region(code),
  name        TEXT NOT NULL,
  parent_code TEXT,
  valid_from  TEXT NOT NULL,
  valid_to    TEXT NOT NULL
);
CREATE INDEX region_history_code ON region_history(code);

-- 派出单位: dispatching units.
CREATE TABLE unit (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  level       TEXT NOT NULL CHECK (level IN ('province','city','county','township')),
  type        TEXT NOT NULL CHECK (type IN ('party_gov','institution','soe','other')),
  parent_id   INTEGER REFERENCES unit(id),
  region_code TEXT NOT NULL REFERENCES region(code),
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX unit_name ON unit(region_code, name);
CREATE INDEX unit_region ON unit(region_code);
CREATE INDEX unit_parent ON unit(parent_id);

-- 驻村干部: the foundation keeps the fields that scope needs; later migrations add the rest.
CREATE TABLE cadre (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  id_cipher     BLOB NOT NULL,        -- ID number, secretbox-encrypted at rest
  id_lookup     BLOB NOT NULL UNIQUE, -- keyed hash of the ID number, for look-ups without decrypting
  id_masked     TEXT NOT NULL,        -- 3607**********1234, the only form shown by default
  sex           TEXT NOT NULL CHECK (sex IN ('M','F')),
  birth_date    TEXT NOT NULL,
  phone         TEXT,
  party_member  INTEGER NOT NULL DEFAULT 0,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  village_code  TEXT REFERENCES region(code),
  post          TEXT CHECK (post IN ('first_secretary','team_leader','team_member')),
  created_at    INTEGER NOT NULL
);
CREATE INDEX cadre_unit ON cadre(unit_id);
CREATE INDEX cadre_village ON cadre(village_code);

-- 账号
CREATE TABLE user (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name         TEXT NOT NULL,
  role                 TEXT NOT NULL,
  region_code          TEXT REFERENCES region(code),
  unit_id              INTEGER REFERENCES unit(id),
  cadre_id             INTEGER REFERENCES cadre(id),
  password_hash        TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1,
  password_changed_at  INTEGER NOT NULL,
  failed_logins        INTEGER NOT NULL DEFAULT 0,
  locked_until         INTEGER NOT NULL DEFAULT 0,
  disabled             INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL
);

-- Sessions: only a hash of the token is stored, so a copy of the database opens no session.
CREATE TABLE session (
  token_hash   BLOB PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES user(id),
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ip           TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

-- 审计日志: append-only, each row carries the hash of the one before it.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER,
  username    TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  ip          TEXT NOT NULL,
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_action ON audit(action);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
