-- 005 discipline (2.5), reminders (2.7), secondments (3.6) and the unit attendance score (2.6).
-- Each record keeps the cadre's post at the time (assignment, village, dispatching unit), so it
-- stays with the place and the unit it concerns when the cadre later moves.

-- 违纪记录 (2.5): recorded by the township or the county/city departments, fed back to the
-- dispatching unit (反馈派出单位), acknowledged by the unit, then the accountability (追责问责)
-- decided by the county or city department. State is read from the columns:
-- feedback (acknowledged_at NULL, measure NULL) → acknowledged → decided (measure set).
CREATE TABLE violation (
  id                INTEGER PRIMARY KEY,
  cadre_id          INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id     INTEGER REFERENCES assignment(id),
  unit_id           INTEGER NOT NULL REFERENCES unit(id),    -- the dispatching unit that receives the feedback
  village_code      TEXT NOT NULL REFERENCES region(code),
  date              TEXT NOT NULL,                           -- when it happened
  kind              TEXT NOT NULL,                           -- policy violation_kinds
  clause            TEXT NOT NULL,                           -- the clause broken (2.1, 2.5, 3.6 …)
  description       TEXT NOT NULL,
  recorded_by       INTEGER NOT NULL REFERENCES user(id),
  created_at        INTEGER NOT NULL,
  acknowledged_by   INTEGER REFERENCES user(id),             -- the unit has read the feedback
  acknowledged_at   INTEGER,
  ack_note          TEXT,
  measure           TEXT,                                    -- policy accountability_measures
  decided_on        TEXT,
  decision_note     TEXT,
  decided_by        INTEGER REFERENCES user(id),
  decided_at        INTEGER
);
CREATE INDEX violation_cadre ON violation(cadre_id, date);
CREATE INDEX violation_unit ON violation(unit_id, date);

-- 抽调 (3.6 派出单位不得抽调参与驻村帮扶无关的工作): the unit pulled its cadre to unrelated work.
-- A violation of the unit (counted in its score, 2.6). For presence: every day from start_date to
-- end_date (both included) the cadre was off site because of the unit — a reader of presence may
-- class those days as off-site (secondment) rather than absent.
CREATE TABLE secondment (
  id            INTEGER PRIMARY KEY,
  cadre_id      INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id INTEGER REFERENCES assignment(id),
  unit_id       INTEGER NOT NULL REFERENCES unit(id),        -- the unit that pulled the cadre
  village_code  TEXT NOT NULL REFERENCES region(code),
  start_date    TEXT NOT NULL,
  end_date      TEXT NOT NULL,
  days          INTEGER NOT NULL,
  work          TEXT NOT NULL,                               -- the unrelated work
  note          TEXT,
  recorded_by   INTEGER NOT NULL REFERENCES user(id),
  created_at    INTEGER NOT NULL,
  CHECK (start_date <= end_date)
);
CREATE INDEX secondment_cadre ON secondment(cadre_id, start_date);
CREATE INDEX secondment_unit ON secondment(unit_id, start_date);

-- 教育提醒 (2.7): between the cadre and their managers only; never a public list.
CREATE TABLE reminder (
  id            INTEGER PRIMARY KEY,
  cadre_id      INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id INTEGER REFERENCES assignment(id),
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  village_code  TEXT NOT NULL REFERENCES region(code),
  reason        TEXT NOT NULL,                               -- policy reminder_reasons
  text          TEXT NOT NULL,
  sent_by       INTEGER NOT NULL REFERENCES user(id),
  created_at    INTEGER NOT NULL,
  read_at       INTEGER                                      -- the cadre marked it read
);
CREATE INDEX reminder_cadre ON reminder(cadre_id, created_at);
