-- 006 工作报告 (2.1 严格落实……工作报告……制度): the periodic work report of a cadre, drafted from the
-- work logs of the period, edited by the cadre and sent to the township and the dispatching unit,
-- who mark it read. A period is reported once (UNIQUE): a later change is a revision of the same
-- row (revision counts them). Each report keeps the post at the time it was sent (assignment,
-- village, dispatching unit), so it stays with the township and the unit it was sent to.
CREATE TABLE work_report (
  id                  INTEGER PRIMARY KEY,
  cadre_id            INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id       INTEGER REFERENCES assignment(id),
  village_code        TEXT NOT NULL REFERENCES region(code),
  unit_id             INTEGER NOT NULL REFERENCES unit(id),     -- the dispatching unit at the time
  period_from         TEXT NOT NULL,
  period_to           TEXT NOT NULL,
  text                TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  log_count           INTEGER NOT NULL DEFAULT 0,               -- logs of the period when (re)sent
  revision            INTEGER NOT NULL DEFAULT 0,               -- 0: as first sent; n: revised n times
  submitted_at        INTEGER NOT NULL,
  revised_at          INTEGER,
  read_by_township_at INTEGER,                                  -- a revision clears both read marks
  read_by_unit_at     INTEGER,
  CHECK (period_from <= period_to),
  UNIQUE (cadre_id, period_from, period_to)
);
CREATE INDEX work_report_village ON work_report(village_code, period_to);
CREATE INDEX work_report_unit ON work_report(unit_id, period_to);

-- 驻村日志 may name the households or projects concerned (free text for now; a household
-- register comes later and will link to it).
ALTER TABLE work_log ADD COLUMN subject TEXT;
