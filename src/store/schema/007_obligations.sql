-- 007 obligations (issue #5): the rhythm of supervision, funding, insurance and training
-- (2.2, 2.3, 3.1, 3.2, 3.4, 3.5, 4.1, 4.2, 4.4, 4.5; 5.7 from issue #6).
--
-- The engine (src/core/obligations.c) never reads the record tables directly: every record
-- that can satisfy an obligation writes one evidence row here in the same transaction, with
-- the kind of evidence it is (the policy file's obligations[].evidence), the party that owed
-- it and the date it was done. So a new kind of record feeds the engine by writing rows, and a
-- new obligation of an existing kind is a policy-file change only.
CREATE TABLE obligation_evidence (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,      -- e.g. 'county_dispatch', 'township_meeting', 'work_funds', 'monitoring_meeting'
  party_type  TEXT NOT NULL CHECK (party_type IN
               ('county','township','unit','unit_principal','unit_deputy','unit_hr','team','cadre')),
  party_id    TEXT NOT NULL,      -- region code (county, township, team = its village), unit id or cadre id as text
  done_on     TEXT NOT NULL,      -- 'YYYY-MM-DD', China Standard Time
  amount      REAL,               -- money, for funds (3.4) — the engine sums it against min_amount
  record_type TEXT NOT NULL,      -- the table of the record behind it, for the one-click drill-down
  record_id   INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,   -- unix seconds: when it was entered (a late entry is still late)
  revoked_at  INTEGER             -- set when the record is withdrawn; the row stays for the audit trail
);
CREATE INDEX obligation_evidence_party ON obligation_evidence(kind, party_type, party_id, done_on);
CREATE INDEX obligation_evidence_record ON obligation_evidence(record_type, record_id);
CREATE INDEX obligation_evidence_date ON obligation_evidence(kind, done_on);

-- Records lock record_lock_days after the end of their month (月度锁账): a late change to a
-- closed month would silently turn a "missing" into a "met". A higher level reopens a month for
-- a region (and everything under it) until a date; the unlock is audited.
CREATE TABLE period_unlock (
  id           INTEGER PRIMARY KEY,
  region_code  TEXT NOT NULL REFERENCES region(code),
  month        TEXT NOT NULL,            -- 'YYYY-MM'
  until        TEXT NOT NULL,            -- 'YYYY-MM-DD': the last day records of that month may change
  reason       TEXT NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES user(id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX period_unlock_month ON period_unlock(month, region_code);
