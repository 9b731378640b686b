-- 011 a post's whole life (1.1, 1.2, 1.5–1.8).
--
-- A post (assignment) is one state machine, every transition dated and in its timeline:
--   pending → approved (both departments, 1.5; starts later) → [handover in] → active
--           → [handover out] → ended, with the end's cause (end_reason): term_end, rotation,
--             adjustment (a 1.2 reason), recall (1.8)
-- The dates decide, not a clerk's click: a post holds its village from start_date to ended_on
-- (both days included; ended_on is NULL while the end is only planned, term_end then). A
-- handover's 15 days are both cadres' (1.6): day 1 … day 15, day 16 the new one alone.
--
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt with 'approved' among
-- the states (SQLite's documented procedure: db_migrate runs migrations with foreign keys off and
-- checks them all before the commit).

CREATE TABLE assignment_new (
  id              INTEGER PRIMARY KEY,
  cadre_id        INTEGER NOT NULL REFERENCES cadre(id),
  village_code    TEXT NOT NULL REFERENCES region(code),
  unit_id         INTEGER NOT NULL REFERENCES unit(id),
  post            TEXT NOT NULL CHECK (post IN ('first_secretary','team_leader','team_member')),
  kind            TEXT NOT NULL CHECK (kind IN ('rotation','adjustment','initial')),
  batch_id        INTEGER REFERENCES rotation_batch(id),
  adjustment_id   INTEGER REFERENCES adjustment(id),
  status          TEXT NOT NULL
                  CHECK (status IN ('pending','rejected','withdrawn','approved','active','handover','ended')),
  verdict         TEXT NOT NULL,
  reasons         TEXT NOT NULL,
  justification   TEXT,
  approval_region TEXT NOT NULL REFERENCES region(code),
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
  ended_on        TEXT,            -- the last day the post held its village
  end_reason      TEXT CHECK (end_reason IN ('term_end','rotation','adjustment','recall','replaced')),
  replaces_id     INTEGER REFERENCES assignment(id),  -- the post this one takes over, with a handover
  version         INTEGER NOT NULL DEFAULT 1,
  created_by      INTEGER REFERENCES user(id),
  created_at      INTEGER NOT NULL
);
INSERT INTO assignment_new (id, cadre_id, village_code, unit_id, post, kind, batch_id, adjustment_id, status, verdict,
    reasons, justification, approval_region, org_decision, org_user, org_at, org_comment, rrb_decision, rrb_user,
    rrb_at, rrb_comment, start_date, term_end, ended_on, end_reason, version, created_by, created_at)
  SELECT id, cadre_id, village_code, unit_id, post, kind, batch_id, adjustment_id, status, verdict, reasons,
    justification, approval_region, org_decision, org_user, org_at, org_comment, rrb_decision, rrb_user, rrb_at,
    rrb_comment, start_date, term_end, ended_on, end_reason, version, created_by, created_at FROM assignment;
DROP TABLE assignment;
ALTER TABLE assignment_new RENAME TO assignment;
CREATE INDEX assignment_village ON assignment(village_code, status);
CREATE INDEX assignment_cadre ON assignment(cadre_id, status);
CREATE INDEX assignment_status ON assignment(status, approval_region);
CREATE INDEX assignment_ends ON assignment(term_end) WHERE status IN ('active','handover');
-- A cadre holds at most one live post or nomination at a time.
CREATE UNIQUE INDEX assignment_one_live ON assignment(cadre_id) WHERE status IN ('pending','approved','active','handover');

-- A recall (1.8) ends the post on the day it takes effect: the cadre holds the post until the day
-- before, and their check-ins from that day are refused.
ALTER TABLE adjustment ADD COLUMN effective_on TEXT;

-- A handover comes from an adjustment or from a rotation (no adjustment: the batch replaces the
-- incumbent, 1.6), so adjustment_id may be NULL. Its checklist is what was handed over;
-- confirming it (confirmed_on) is a record, not a gate: the dates decide who holds the post.
CREATE TABLE handover_new (
  id                     INTEGER PRIMARY KEY,
  adjustment_id          INTEGER REFERENCES adjustment(id),
  outgoing_assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  incoming_assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  starts_on              TEXT NOT NULL,     -- day 1, both cadres hold the post
  ends_on                TEXT NOT NULL,     -- day 15, the outgoing cadre's last day
  checklist              TEXT NOT NULL,     -- JSON [{"item","done","by","at"}]
  completed_on           TEXT,              -- set by the day's settle: the period has run
  confirmed_on           TEXT,
  confirmed_by           INTEGER REFERENCES user(id)
);
INSERT INTO handover_new (id, adjustment_id, outgoing_assignment_id, incoming_assignment_id, starts_on, ends_on,
    checklist, completed_on, confirmed_on)
  SELECT id, adjustment_id, outgoing_assignment_id, incoming_assignment_id, starts_on, ends_on, checklist, completed_on,
    completed_on FROM handover;
DROP TABLE handover;
ALTER TABLE handover_new RENAME TO handover;
CREATE INDEX handover_outgoing ON handover(outgoing_assignment_id);
CREATE INDEX handover_incoming ON handover(incoming_assignment_id);

-- 空缺 (1.7): a village left without its first secretary (a recall, a term ended with nobody to
-- follow) until a successor takes the post; the county has vacancy_fill_days (local) to fill it.
CREATE TABLE vacancy (
  id            INTEGER PRIMARY KEY,
  village_code  TEXT NOT NULL REFERENCES region(code),
  post          TEXT NOT NULL CHECK (post IN ('first_secretary','team_leader','team_member')),
  assignment_id INTEGER NOT NULL REFERENCES assignment(id),  -- the post that ended
  cause         TEXT NOT NULL CHECK (cause IN ('term_end','rotation','adjustment','recall','replaced')),
  opened_on     TEXT NOT NULL,   -- the first day without the post
  deadline      TEXT NOT NULL,   -- opened_on + vacancy_fill_days
  filled_on     TEXT,            -- the first day the successor held the post
  filled_by     INTEGER REFERENCES assignment(id),
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX vacancy_one_per_post ON vacancy(assignment_id);
CREATE INDEX vacancy_open ON vacancy(village_code, post) WHERE filled_on IS NULL;
