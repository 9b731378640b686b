-- 021 三权分立 by construction (issue #17, F3 of the 2026-12 review): the system administrator set the
-- initial password of the business accounts it made, the security administrator the password of any
-- account it reset, and either could then log in as it. Now a new or reset credential is issued by
-- two administrators with split knowledge: the proposer gives the first part of the initial password
-- (kept here encrypted with the vault key until the approval, then deleted), the approver's part is
-- made by the server and shown to the approver once; the account can log in only with both parts and
-- must then choose its own password before any other request. Until approved, the account's password
-- hash is of a random secret nobody knows.
CREATE TABLE credential_proposal (
  user_id INTEGER PRIMARY KEY REFERENCES user(id),
  kind TEXT NOT NULL CHECK (kind IN ('create', 'reset')),
  proposed_by INTEGER NOT NULL REFERENCES user(id),
  part_cipher BLOB NOT NULL,   -- the proposer's part, vault-encrypted
  proposed_at INTEGER NOT NULL
);
