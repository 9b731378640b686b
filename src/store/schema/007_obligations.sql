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
-- What the engine reads (store/obligations.c), in the order it merges it with the parties: the
-- live rows of one kind and party type, by party and day, with the columns it needs (covering).
CREATE INDEX obligation_evidence_engine ON obligation_evidence(kind, party_type, party_id, done_on, recorded_at, amount)
  WHERE revoked_at IS NULL;

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

-- 督导记录: the records of the county, the township and the dispatching unit that feed the engine
-- (2.2a/2.3a meetings, 2.2b/2.3b dispatches, 3.1a inquiries, 3.1b/3.2a report hearings, 3.2b/3.2c
-- leader visits). One table, one kind column: they share who, when, where and the trail; what is
-- particular to a kind sits in its own columns (attendees, the dispatch snapshot, the visit's
-- coordinates). A record is never deleted: withdrawing it revokes its evidence.
CREATE TABLE supervision_record (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('county_team_leader_meeting','county_dispatch','township_meeting',
                 'township_dispatch','unit_inquiry','unit_report_hearing','principal_report_hearing',
                 'principal_visit','deputy_visit')),
  clause       TEXT NOT NULL,              -- 2.2a, 2.2b, 2.3a, 2.3b, 3.1a, 3.1b, 3.2a, 3.2b, 3.2c
  party_type   TEXT NOT NULL,              -- county | township | unit | unit_principal | unit_deputy
  party_id     TEXT NOT NULL,              -- region code or unit id, as in obligation_evidence
  region_code  TEXT NOT NULL REFERENCES region(code), -- where it belongs: scope and the month lock
  unit_id      INTEGER REFERENCES unit(id),
  village_code TEXT REFERENCES region(code),          -- the team concerned (3.1a, 3.1b, 3.2a, visits)
  date         TEXT NOT NULL,              -- YYYY-MM-DD (CST) it took place
  title        TEXT NOT NULL,              -- topic / subject
  minutes      TEXT,                       -- 会议纪要, 了解情况, 汇报要点
  contacts     TEXT,                       -- 3.1a: whom the unit asked in the township and the village
  attendees    TEXT NOT NULL DEFAULT '[]', -- JSON [{cadre_id, name, post}] picked from the cadres in scope
  snapshot     TEXT,                       -- dispatches: JSON of the on-duty status computed at saving
  lat REAL, lng REAL, accuracy_m REAL, distance_m REAL, -- visits: the check-in at the village
  status       TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','withdrawn')),
  withdraw_reason TEXT,
  withdrawn_by INTEGER REFERENCES user(id),
  withdrawn_at INTEGER,
  created_by   INTEGER REFERENCES user(id),       -- NULL: made by the demo generator
  created_at   INTEGER NOT NULL
);
CREATE INDEX supervision_record_region ON supervision_record(region_code, date);
CREATE INDEX supervision_record_unit ON supervision_record(unit_id, date);
-- a double submission: one live record of a kind per party, day and village
CREATE UNIQUE INDEX supervision_record_once ON supervision_record(kind, party_id, date, coalesce(village_code, ''))
  WHERE status = 'valid';

-- The calendar feed (ICS) of a user: only the SHA-256 of the secret token is kept; a new token
-- replaces the old one (rotation).
CREATE TABLE ics_token (
  user_id    INTEGER PRIMARY KEY REFERENCES user(id),
  token_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
