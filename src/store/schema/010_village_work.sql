-- 010 village work (issue #6, second half): the risk → monitoring case (5.7), the monthly
-- monitoring meeting (5.7), village activities under the five duties (5.1–5.5), the organization
-- relation transfer of party-member cadres (5.3), the annual assistance plan (5.9) and the
-- resources the dispatching unit brings (3.3, 5.10). Households are 008's (household.*).

-- 防返贫监测帮扶 case (5.7): one household's path found → 民主评议 → 公示 → 乡镇审核 → 县级审定,
-- then measures and closure (风险消除) or reversal (返贫/重新纳入). The state machine is
-- src/core/case_flow.c; every change of state is a case_step row (who, when, note).
CREATE TABLE monitoring_case (
  id               INTEGER PRIMARY KEY,
  household_id     INTEGER NOT NULL REFERENCES household(id),
  village_code     TEXT NOT NULL REFERENCES region(code),
  source           TEXT NOT NULL CHECK (source IN
                     ('self_reported',    -- 自主申报
                      'cadre_screening',  -- 干部排查
                      'department',       -- 部门预警 (an imported department list)
                      'visit',            -- raised from a visit (遍访, 5.6)
                      'meeting')),        -- raised at the monthly monitoring meeting
  visit_id         INTEGER REFERENCES visit(id),
  meeting_id       INTEGER,             -- monitoring_meeting(id)
  department       TEXT,                -- the department that flagged it
  risks            TEXT NOT NULL DEFAULT '[]', -- JSON array of codes of policy lists.risk_types
  description      TEXT NOT NULL DEFAULT '',
  lead_on          TEXT NOT NULL,       -- the first lead (线索) date: the time limit runs from here
  state            TEXT NOT NULL CHECK (state IN ('found','reviewed','noticed','checked','monitored','dismissed','closed')),
  review_on        TEXT, review_participants TEXT, review_result TEXT,
  notice_start     TEXT, notice_days INTEGER,
  check_on         TEXT, check_result TEXT,
  decision_on      TEXT, decision TEXT, category TEXT,  -- unstable | marginal | sudden
  identified_on    TEXT,                -- 纳入监测 (the decision, or the reversal)
  closed_on        TEXT,
  version          INTEGER NOT NULL DEFAULT 1,
  created_by       INTEGER REFERENCES user(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX monitoring_case_village ON monitoring_case(village_code, state);
CREATE INDEX monitoring_case_household ON monitoring_case(household_id);

CREATE TABLE case_step (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES monitoring_case(id),
  step        TEXT NOT NULL,        -- found, review, notice, objection, check, decide, measure, close, reopen
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  on_date     TEXT NOT NULL,        -- the day the step was taken (YYYY-MM-DD)
  note        TEXT NOT NULL DEFAULT '',
  detail      TEXT NOT NULL DEFAULT '{}',  -- JSON: the fields of the step
  user_id     INTEGER REFERENCES user(id),
  at          INTEGER NOT NULL
);
CREATE INDEX case_step_case ON case_step(case_id, id);

-- 帮扶措施: type (policy measure_types), content, who, when.
CREATE TABLE case_measure (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES monitoring_case(id),
  type         TEXT NOT NULL,
  content      TEXT NOT NULL,
  responsible  TEXT NOT NULL,
  applied_on   TEXT NOT NULL,
  created_by   INTEGER REFERENCES user(id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX case_measure_case ON case_measure(case_id);

-- 防返贫监测研判专题会议 (5.7): one per village per month (a withdrawn one frees the month).
CREATE TABLE monitoring_meeting (
  id           INTEGER PRIMARY KEY,
  village_code TEXT NOT NULL REFERENCES region(code),
  month        TEXT NOT NULL,       -- YYYY-MM of held_on
  held_on      TEXT NOT NULL,
  attendees    TEXT NOT NULL,       -- JSON [{name, side: "team"|"village", cadre_id?}]
  decisions    TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held','withdrawn')),
  created_by   INTEGER REFERENCES user(id),
  created_at   INTEGER NOT NULL,
  withdrawn_at INTEGER
);
CREATE UNIQUE INDEX monitoring_meeting_month ON monitoring_meeting(village_code, month) WHERE status = 'held';

CREATE TABLE meeting_household (
  meeting_id   INTEGER NOT NULL REFERENCES monitoring_meeting(id),
  household_id INTEGER NOT NULL REFERENCES household(id),
  PRIMARY KEY (meeting_id, household_id)
) WITHOUT ROWID;

-- 村级活动 (5.1–5.5): each under one of the five duties, of a type from the policy list
-- activity_types (主题党日 among them: attendance per cadre, 5.3).
CREATE TABLE village_activity (
  id           INTEGER PRIMARY KEY,
  village_code TEXT NOT NULL REFERENCES region(code),
  held_on      TEXT NOT NULL,
  duty         TEXT NOT NULL CHECK (duty IN ('party_building','consolidation','industry','construction','governance')),
  type         TEXT NOT NULL,
  title        TEXT NOT NULL,
  participants INTEGER NOT NULL DEFAULT 0,   -- people present in all (村民, 党员 …)
  note         TEXT NOT NULL DEFAULT '',
  created_by   INTEGER REFERENCES user(id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX village_activity_village ON village_activity(village_code, held_on);

CREATE TABLE activity_cadre (
  activity_id  INTEGER NOT NULL REFERENCES village_activity(id),
  cadre_id     INTEGER NOT NULL REFERENCES cadre(id),
  PRIMARY KEY (activity_id, cadre_id)
) WITHOUT ROWID;

-- 组织关系转接 (5.3): one row per post of a party-member cadre once transferred.
CREATE TABLE org_transfer (
  assignment_id  INTEGER PRIMARY KEY REFERENCES assignment(id),
  cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
  transferred_on TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  recorded_by    INTEGER REFERENCES user(id),
  created_at     INTEGER NOT NULL
);

-- 年度定点帮扶计划 (5.9): per village per year, reviewed by the party committee of the unit of the
-- village's first secretary. Each edit raises version; a review names the version it read.
CREATE TABLE assistance_plan (
  id            INTEGER PRIMARY KEY,
  village_code  TEXT NOT NULL REFERENCES region(code),
  year          INTEGER NOT NULL,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),  -- the reviewing unit
  goals         TEXT NOT NULL,
  drafted_with  TEXT NOT NULL DEFAULT '',              -- 村两委 members who drafted it with the team
  status        TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','approved')),
  version       INTEGER NOT NULL DEFAULT 1,
  submitted_at  INTEGER, submitted_by INTEGER REFERENCES user(id),
  reviewed_at   INTEGER, reviewed_by INTEGER REFERENCES user(id), review_comment TEXT,
  created_by    INTEGER REFERENCES user(id),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX assistance_plan_year ON assistance_plan(village_code, year);

CREATE TABLE plan_item (
  id           INTEGER PRIMARY KEY,
  plan_id      INTEGER NOT NULL REFERENCES assistance_plan(id),
  seq          INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('project','funds','people','other')),
  title        TEXT NOT NULL,
  target       TEXT NOT NULL,
  amount       REAL,                -- yuan, for funds and projects
  due_month    TEXT NOT NULL,       -- YYYY-MM
  responsible  TEXT NOT NULL DEFAULT '',
  removed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_item_plan ON plan_item(plan_id, seq);

-- 审核记录: every submit, return and approval, with the version it concerned.
CREATE TABLE plan_event (
  id        INTEGER PRIMARY KEY,
  plan_id   INTEGER NOT NULL REFERENCES assistance_plan(id),
  action    TEXT NOT NULL,         -- create, edit, submit, return, approve
  version   INTEGER NOT NULL,
  comment   TEXT NOT NULL DEFAULT '',
  user_id   INTEGER REFERENCES user(id),
  at        INTEGER NOT NULL
);
CREATE INDEX plan_event_plan ON plan_event(plan_id, id);

CREATE TABLE plan_progress (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES plan_item(id),
  on_date     TEXT NOT NULL,
  percent     INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
  amount      REAL,
  note        TEXT NOT NULL,
  recorded_by INTEGER REFERENCES user(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX plan_progress_item ON plan_progress(item_id, on_date);

-- 派出单位帮扶资源 (3.3, 5.10): funds, projects, talent, technology … brought to a village.
CREATE TABLE village_resource (
  id            INTEGER PRIMARY KEY,
  village_code  TEXT NOT NULL REFERENCES region(code),
  unit_id       INTEGER REFERENCES unit(id),
  kind          TEXT NOT NULL,      -- policy resource_types
  title         TEXT NOT NULL,
  amount        REAL,               -- yuan
  brought_on    TEXT NOT NULL,
  plan_item_id  INTEGER REFERENCES plan_item(id),
  note          TEXT NOT NULL DEFAULT '',
  recorded_by   INTEGER REFERENCES user(id),
  created_at    INTEGER NOT NULL
);
CREATE INDEX village_resource_village ON village_resource(village_code, brought_on);
