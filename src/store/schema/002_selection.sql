-- 002 selection and assignment (section 1 of the notice: 1.1–1.9).

-- The cadre registry, completed. cadre.unit_id is the employer (工作单位).
ALTER TABLE cadre ADD COLUMN employment_type TEXT NOT NULL DEFAULT 'established';
ALTER TABLE cadre ADD COLUMN rank TEXT;
ALTER TABLE cadre ADD COLUMN rural_experience INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cadre ADD COLUMN agri_expertise INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cadre ADD COLUMN note TEXT;

-- 处分 (1.3c): in force from start_date to end_date inclusive; end_date NULL = open-ended.
CREATE TABLE cadre_sanction (
  id         INTEGER PRIMARY KEY,
  cadre_id   INTEGER NOT NULL REFERENCES cadre(id),
  kind       TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date   TEXT,
  note       TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX cadre_sanction_cadre ON cadre_sanction(cadre_id);

-- 年度考核 (1.3c, 1.4)
CREATE TABLE cadre_appraisal (
  cadre_id INTEGER NOT NULL REFERENCES cadre(id),
  year     INTEGER NOT NULL,
  result   TEXT NOT NULL,
  PRIMARY KEY (cadre_id, year)
) WITHOUT ROWID;

-- 集中轮换 (1.1): a window in which units nominate cadres for villages.
CREATE TABLE rotation_batch (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES region(code),  -- the city or county that runs it
  opens_on    TEXT NOT NULL,
  closes_on   TEXT NOT NULL,
  term_start  TEXT NOT NULL,
  created_by  INTEGER REFERENCES user(id),
  created_at  INTEGER NOT NULL,
  CHECK (opens_on <= closes_on)
);

-- 调整 (1.1, 1.2): a change outside a rotation window, for a reason from 1.2.
CREATE TABLE adjustment (
  id                     INTEGER PRIMARY KEY,
  outgoing_assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  reason                 TEXT NOT NULL,
  explanation            TEXT,
  recall                 INTEGER NOT NULL DEFAULT 0,   -- opened by a recall (1.8)
  accountability         TEXT,                         -- 问责 recorded with a recall
  status                 TEXT NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open','nominated','handover','done','cancelled')),
  requested_by           INTEGER REFERENCES user(id),
  created_at             INTEGER NOT NULL
);
CREATE UNIQUE INDEX adjustment_one_open ON adjustment(outgoing_assignment_id) WHERE status IN ('open','nominated','handover');

-- 选派: one cadre in one village for a term. The two departments' decisions (1.5) are columns,
-- so "both approved" is one row's state, and `version` refuses stale decisions.
CREATE TABLE assignment (
  id              INTEGER PRIMARY KEY,
  cadre_id        INTEGER NOT NULL REFERENCES cadre(id),
  village_code    TEXT NOT NULL REFERENCES region(code),
  unit_id         INTEGER NOT NULL REFERENCES unit(id),     -- the dispatching unit
  post            TEXT NOT NULL CHECK (post IN ('first_secretary','team_leader','team_member')),
  kind            TEXT NOT NULL CHECK (kind IN ('rotation','adjustment','initial')),
  batch_id        INTEGER REFERENCES rotation_batch(id),
  adjustment_id   INTEGER REFERENCES adjustment(id),
  status          TEXT NOT NULL CHECK (status IN ('pending','rejected','withdrawn','active','handover','ended')),
  verdict         TEXT NOT NULL,            -- eligible | needs_justification at nomination
  reasons         TEXT NOT NULL,            -- the engine's reasons, as JSON, at nomination
  justification   TEXT,                     -- required when verdict is needs_justification
  approval_region TEXT NOT NULL REFERENCES region(code),  -- the level whose org dept + RRB approve
  org_decision    TEXT CHECK (org_decision IN ('approved','rejected')),
  org_user        INTEGER REFERENCES user(id),
  org_at          INTEGER,
  org_comment     TEXT,
  rrb_decision    TEXT CHECK (rrb_decision IN ('approved','rejected')),
  rrb_user        INTEGER REFERENCES user(id),
  rrb_at          INTEGER,
  rrb_comment     TEXT,
  start_date      TEXT NOT NULL,
  term_end        TEXT NOT NULL,
  ended_on        TEXT,
  end_reason      TEXT,
  version         INTEGER NOT NULL DEFAULT 1,
  created_by      INTEGER REFERENCES user(id),
  created_at      INTEGER NOT NULL
);
CREATE INDEX assignment_village ON assignment(village_code, status);
CREATE INDEX assignment_cadre ON assignment(cadre_id, status);
CREATE INDEX assignment_status ON assignment(status, approval_region);
-- A cadre holds at most one live post or nomination at a time.
CREATE UNIQUE INDEX assignment_one_live ON assignment(cadre_id) WHERE status IN ('pending','active','handover');

-- The timeline: every state change, who, when, why.
CREATE TABLE assignment_event (
  id            INTEGER PRIMARY KEY,
  assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  at            INTEGER NOT NULL,
  user_id       INTEGER REFERENCES user(id),
  username      TEXT NOT NULL,
  action        TEXT NOT NULL,
  from_status   TEXT,
  to_status     TEXT,
  note          TEXT
);
CREATE INDEX assignment_event_assignment ON assignment_event(assignment_id);

-- 交接过渡期 (1.6): both cadres hold the post from starts_on to ends_on; a checklist.
CREATE TABLE handover (
  id                     INTEGER PRIMARY KEY,
  adjustment_id          INTEGER NOT NULL REFERENCES adjustment(id),
  outgoing_assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  incoming_assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  starts_on              TEXT NOT NULL,
  ends_on                TEXT NOT NULL,
  checklist              TEXT NOT NULL,       -- JSON [{"item","done","by","at"}]
  completed_on           TEXT
);

-- Each policy file the server has run under, by content hash: a change of the policy in force is
-- recorded here and in the audit log when the server starts with a different file.
CREATE TABLE policy_load (
  id        INTEGER PRIMARY KEY,
  sha256    TEXT NOT NULL,
  path      TEXT NOT NULL,
  loaded_at INTEGER NOT NULL
);
