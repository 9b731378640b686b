-- 009 funds, insurance, training and commendations (issue #5: 3.4a, 3.4b, 3.5, 3.7, 4.1–4.5).
--
-- Records only: whether a team was funded by the end of Q1, or a cadre trained by the end of
-- September, is computed from these rows (src/store/funds.c, src/store/training.c), and each
-- record that satisfies an obligation also writes its obligation_evidence row (007) in the same
-- transaction. Nothing is deleted: a withdrawn record keeps its row with withdrawn_at set, and
-- its evidence is revoked. A team (驻村工作队) is named by its village's region code.

-- 经费保障 (3.4a team kinds; 3.4b per-cadre kinds): one payment put in place (到位) on paid_on.
CREATE TABLE fund_entry (
  id              INTEGER PRIMARY KEY,
  village_code    TEXT NOT NULL REFERENCES region(code),   -- the team
  kind            TEXT NOT NULL CHECK (kind IN ('work_funds','assistance_funds','living_allowance',
                   'transport_subsidy','health_check','communication_subsidy')),
  cadre_id        INTEGER REFERENCES cadre(id),            -- 3.4b kinds only: the cadre it is for
  amount          REAL NOT NULL CHECK (amount > 0),        -- yuan
  paid_on         TEXT NOT NULL,                           -- 'YYYY-MM-DD' 到位日期; its year is the funds' year
  doc_no          TEXT NOT NULL,                           -- 文号
  payer_unit_id   INTEGER REFERENCES unit(id),             -- 拨付单位, when a dispatching unit
  payer_name      TEXT NOT NULL,                           -- 拨付单位 as shown (the unit's name, or e.g. 县财政局)
  note            TEXT,
  recorded_by     INTEGER REFERENCES user(id),            -- NULL: generated (demo) or imported
  created_at      INTEGER NOT NULL,
  withdrawn_at    INTEGER,
  withdrawn_by    INTEGER REFERENCES user(id),
  withdraw_reason TEXT,
  CHECK ((kind IN ('work_funds','assistance_funds')) = (cadre_id IS NULL))
);
-- No double entry: one document pays a team (or a cadre) once per kind.
CREATE UNIQUE INDEX fund_entry_doc ON fund_entry(doc_no, village_code, kind, coalesce(cadre_id, 0))
  WHERE withdrawn_at IS NULL;
CREATE INDEX fund_entry_team ON fund_entry(village_code, kind, paid_on);

-- 人身意外伤害保险 (3.5): a policy bought for cadres of one team, and the cadres it covers.
CREATE TABLE insurance_policy (
  id              INTEGER PRIMARY KEY,
  village_code    TEXT NOT NULL REFERENCES region(code),
  year            INTEGER NOT NULL,                        -- the year it insures (its cover overlaps it)
  insurer         TEXT NOT NULL,
  policy_no       TEXT NOT NULL,
  cover_start     TEXT NOT NULL,
  cover_end       TEXT NOT NULL,
  payer_unit_id   INTEGER REFERENCES unit(id),
  payer_name      TEXT NOT NULL,
  recorded_by     INTEGER REFERENCES user(id),            -- NULL: generated (demo) or imported
  created_at      INTEGER NOT NULL,
  withdrawn_at    INTEGER,
  withdrawn_by    INTEGER REFERENCES user(id),
  withdraw_reason TEXT,
  CHECK (cover_end >= cover_start)
);
CREATE UNIQUE INDEX insurance_policy_no ON insurance_policy(insurer, policy_no, village_code) WHERE withdrawn_at IS NULL;
CREATE INDEX insurance_policy_team ON insurance_policy(village_code, year);
CREATE TABLE insurance_cover (
  policy_id INTEGER NOT NULL REFERENCES insurance_policy(id),
  cadre_id  INTEGER NOT NULL REFERENCES cadre(id),
  PRIMARY KEY (policy_id, cadre_id)
);
CREATE INDEX insurance_cover_cadre ON insurance_cover(cadre_id);

-- 年度培训计划 (4.2a): one per county and year; filed (印发) on filed_on under doc_no.
CREATE TABLE training_plan (
  id           INTEGER PRIMARY KEY,
  county_code  TEXT NOT NULL REFERENCES region(code),
  year         INTEGER NOT NULL,
  title        TEXT NOT NULL,
  content      TEXT,
  doc_no       TEXT,
  filed_on     TEXT,                                       -- NULL: a draft, no evidence yet
  recorded_by  INTEGER REFERENCES user(id),
  created_at   INTEGER NOT NULL,
  UNIQUE (county_code, year)
);

-- 培训班次 (4.1a, 4.1b, 4.2a, 4.2b, 4.5): type from the policy's training_types, topics from
-- training_topics (4.3), organized by the city or a county (organizer_code).
CREATE TABLE training_event (
  id              INTEGER PRIMARY KEY,
  type            TEXT NOT NULL,
  title           TEXT NOT NULL,
  organizer_code  TEXT NOT NULL REFERENCES region(code),
  start_date      TEXT NOT NULL,
  end_date        TEXT NOT NULL,
  hours           REAL NOT NULL CHECK (hours > 0),
  place           TEXT NOT NULL,
  topics          TEXT NOT NULL DEFAULT '[]',             -- JSON array of training_topics codes
  doc_no          TEXT,
  recorded_by     INTEGER REFERENCES user(id),            -- NULL: generated (demo) or imported
  created_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1,
  withdrawn_at    INTEGER,
  withdrawn_by    INTEGER REFERENCES user(id),
  withdraw_reason TEXT,
  CHECK (end_date >= start_date)
);
CREATE UNIQUE INDEX training_event_doc ON training_event(doc_no) WHERE doc_no IS NOT NULL AND withdrawn_at IS NULL;
CREATE INDEX training_event_organizer ON training_event(organizer_code, start_date);

-- Who took part: a cadre (picked, attendance marked), or for 4.5 a unit's deputy leader / HR head.
CREATE TABLE training_participant (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES training_event(id),
  role        TEXT NOT NULL CHECK (role IN ('cadre','unit_deputy','unit_hr')),
  cadre_id    INTEGER REFERENCES cadre(id),
  name        TEXT NOT NULL,
  unit_id     INTEGER REFERENCES unit(id),
  attended    INTEGER NOT NULL DEFAULT 1,
  CHECK ((role = 'cadre') = (cadre_id IS NOT NULL))
);
CREATE UNIQUE INDEX training_participant_cadre ON training_participant(event_id, cadre_id) WHERE cadre_id IS NOT NULL;
CREATE INDEX training_participant_of_cadre ON training_participant(cadre_id, event_id);

-- 表彰激励 (3.7): awards, promotion, rank and title recommendations of a cadre or a unit.
CREATE TABLE commendation (
  id              INTEGER PRIMARY KEY,
  subject         TEXT NOT NULL CHECK (subject IN ('cadre','unit')),
  cadre_id        INTEGER REFERENCES cadre(id),
  unit_id         INTEGER REFERENCES unit(id),
  kind            TEXT NOT NULL,                           -- policy commendation_kinds
  level           TEXT NOT NULL,                           -- policy commendation_levels
  date            TEXT NOT NULL,
  doc_no          TEXT NOT NULL,
  title           TEXT NOT NULL,                           -- the award or post, e.g. 优秀驻村第一书记
  reason          TEXT NOT NULL,
  recorded_by     INTEGER REFERENCES user(id),            -- NULL: generated (demo) or imported
  created_at      INTEGER NOT NULL,
  withdrawn_at    INTEGER,
  withdrawn_by    INTEGER REFERENCES user(id),
  withdraw_reason TEXT,
  CHECK ((subject = 'cadre') = (cadre_id IS NOT NULL)),
  CHECK ((subject = 'unit') = (unit_id IS NOT NULL))
);
CREATE UNIQUE INDEX commendation_doc ON commendation(doc_no, subject, coalesce(cadre_id, unit_id))
  WHERE withdrawn_at IS NULL;
CREATE INDEX commendation_cadre ON commendation(cadre_id);
CREATE INDEX commendation_unit ON commendation(unit_id);
