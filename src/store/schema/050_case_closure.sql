-- 050 风险消除 by procedure (5.7): closing a monitoring case goes through the same kind of steps as
-- taking it in, as the national 防止返贫动态监测和帮扶机制 requires: 入户核实 (the team or the
-- township proposes, with the home check) → 民主评议 (the village) → 公示 (at least the policy's
-- public_notice_min_days) → 审核确认 (the county rural revitalization department, which checks the
-- closure criteria on that day) → closed. A refusal at the review or confirmation returns the case
-- to monitored. The states and their order are src/core/case_flow.c's.
--
-- SQLite cannot widen a CHECK constraint in place, so monitoring_case is rebuilt with the closure
-- states and the closure's dates (SQLite's documented procedure, as 011 does for assignment:
-- db_migrate runs migrations with foreign keys off and checks them all before the commit).

CREATE TABLE monitoring_case_new (
  id               INTEGER PRIMARY KEY,
  household_id     INTEGER NOT NULL REFERENCES household(id),
  village_code     TEXT NOT NULL REFERENCES region(code),
  source           TEXT NOT NULL CHECK (source IN
                     ('self_reported','cadre_screening','department','visit','meeting')),
  visit_id         INTEGER REFERENCES visit(id),
  meeting_id       INTEGER,
  department       TEXT,
  risks            TEXT NOT NULL DEFAULT '[]',
  description      TEXT NOT NULL DEFAULT '',
  lead_on          TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('found','reviewed','noticed','checked','monitored','dismissed',
                                                  'closed','close_verified','close_reviewed','close_noticed')),
  review_on        TEXT, review_participants TEXT, review_result TEXT,
  notice_start     TEXT, notice_days INTEGER,
  check_on         TEXT, check_result TEXT,
  decision_on      TEXT, decision TEXT, category TEXT,
  identified_on    TEXT,
  -- the closure's procedure (the latest one: a reversal and a new closure overwrite them)
  close_verify_on  TEXT,                -- 入户核实
  close_review_on  TEXT, close_review_result TEXT,  -- 民主评议
  close_notice_start TEXT, close_notice_days INTEGER,  -- 公示
  closed_on        TEXT,                -- 审核确认: 风险消除
  version          INTEGER NOT NULL DEFAULT 1,
  created_by       INTEGER REFERENCES user(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
INSERT INTO monitoring_case_new (id, household_id, village_code, source, visit_id, meeting_id, department, risks,
    description, lead_on, state, review_on, review_participants, review_result, notice_start, notice_days, check_on,
    check_result, decision_on, decision, category, identified_on, closed_on, version, created_by, created_at,
    updated_at)
  SELECT id, household_id, village_code, source, visit_id, meeting_id, department, risks, description, lead_on, state,
    review_on, review_participants, review_result, notice_start, notice_days, check_on, check_result, decision_on,
    decision, category, identified_on, closed_on, version, created_by, created_at, updated_at FROM monitoring_case;
DROP TABLE monitoring_case;
ALTER TABLE monitoring_case_new RENAME TO monitoring_case;
CREATE INDEX monitoring_case_village ON monitoring_case(village_code, state);
CREATE INDEX monitoring_case_household ON monitoring_case(household_id);
