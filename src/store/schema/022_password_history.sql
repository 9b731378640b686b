-- 022 password history (issue #17, F8 of the 2026-12 review): A → B → A was allowed, only the current
-- password was compared. Every replaced hash is kept here (argon2id, like the current one); a user's
-- new password may be none of the current and the last 5 (store/users.c keeps no more).
CREATE TABLE password_history (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES user(id),
  password_hash TEXT NOT NULL,
  replaced_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
