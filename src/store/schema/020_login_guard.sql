-- 020 login abuse (issue #17, F4 of the 2026-12 review). Failed logins were counted per account, so
-- anyone could lock any account (the security administrator's too) with five bad passwords, and an
-- unknown name, never locked, told which names exist. Now they are counted per (name as typed,
-- address): a stranger guessing from elsewhere locks only his own pair, and an unknown name is
-- locked exactly like a real one. Each new lock of the same pair lasts twice as long as the last
-- (progressive delay). The security administrator's unlock deletes the name's rows.
CREATE TABLE login_guard (
  username TEXT NOT NULL,              -- as typed at login, known or not
  ip TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0, -- consecutive failures since the last success or lock
  locks INTEGER NOT NULL DEFAULT 0,    -- locks of this pair so far: the next lasts lockout_minutes × 2^locks
  locked_until INTEGER NOT NULL DEFAULT 0,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (username, ip)
) WITHOUT ROWID;
CREATE INDEX login_guard_last ON login_guard(last_at);

-- the account-wide lock of 001 is no longer set; clear what it left
UPDATE user SET failed_logins = 0, locked_until = 0;
