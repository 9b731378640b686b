-- 008 households (issue #6, section 5): the registry of 脱贫户 and 监测户 per village, with
-- members, income by year and the 两不愁三保障 items; and the visits (遍访, 5.6) to them.
-- ID numbers are kept as for cadres (vault.h): ciphertext, keyed look-up hash, masked form.

-- 户: one household in one village. household_no is the number the county already keeps
-- (its import key), so re-importing an updated list updates instead of duplicating.
CREATE TABLE household (
  id              INTEGER PRIMARY KEY,
  village_code    TEXT NOT NULL REFERENCES region(code),
  household_no    TEXT NOT NULL,
  head_name       TEXT NOT NULL,
  category        TEXT NOT NULL CHECK (category IN
                    ('alleviated',  -- 脱贫户
                     'unstable',    -- 脱贫不稳定户 (监测户)
                     'marginal',    -- 边缘易致贫户 (监测户)
                     'sudden',      -- 突发严重困难户 (监测户)
                     'general')),   -- 一般农户 (e.g. taken in through a case)
  monitored       INTEGER NOT NULL DEFAULT 0,   -- 纳入监测 (set by a county decision, 5.7)
  phone_cipher    BLOB,                         -- sensitive: never on a printed 公示
  phone_masked    TEXT,                         -- 138****1234, the only form that leaves the server
  address         TEXT,
  members_count   INTEGER NOT NULL DEFAULT 0,
  able_bodied     INTEGER NOT NULL DEFAULT 0,   -- members able to work (无劳动力户 are never closed, 5.7)
  food_clothing   INTEGER,                      -- 两不愁: 1 secure, 0 not, NULL unknown
  schooling       INTEGER,                      -- 三保障: 义务教育
  medical         INTEGER,                      --         基本医疗
  housing         INTEGER,                      --         住房安全
  water           INTEGER,                      -- 饮水安全
  last_visit_on   TEXT,                         -- the latest visit (遍访, 5.6), kept by each visit: coverage up to today reads it
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','removed')),
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX household_no ON household(village_code, household_no);
CREATE INDEX household_category ON household(category, monitored);
-- coverage and the unvisited list walk one village's households at a time: a covering index
CREATE INDEX household_village ON household(village_code, status, category, monitored, last_visit_on);

-- 家庭成员
CREATE TABLE household_member (
  id            INTEGER PRIMARY KEY,
  household_id  INTEGER NOT NULL REFERENCES household(id),
  name          TEXT NOT NULL,
  id_cipher     BLOB NOT NULL,
  id_lookup     BLOB NOT NULL,        -- not UNIQUE: a number in two households is a cross-check finding (疑点)
  id_masked     TEXT NOT NULL,
  sex           TEXT NOT NULL CHECK (sex IN ('M','F')),
  birth_date    TEXT NOT NULL,
  relation      TEXT NOT NULL,        -- 户主, 配偶, 子女, 父母, 其他
  able_bodied   INTEGER NOT NULL DEFAULT 0,
  health        TEXT,                 -- sensitive: never on a printed 公示
  removed_at    INTEGER
);
CREATE INDEX household_member_household ON household_member(household_id);
-- covering for the cross-checks that group members by ID number (疑点比对 R1, R2)
CREATE INDEX household_member_lookup ON household_member(id_lookup, removed_at, household_id);
-- one household holds one number once: re-imports match members by it
CREATE UNIQUE INDEX household_member_once ON household_member(household_id, id_lookup);

-- 人均纯收入 by year (yuan per person per year).
CREATE TABLE household_income (
  household_id  INTEGER NOT NULL REFERENCES household(id),
  year          INTEGER NOT NULL,
  per_capita    REAL NOT NULL,
  PRIMARY KEY (household_id, year)
) WITHOUT ROWID;

-- 5.8: every change to a household, who and when, so its story can be told.
CREATE TABLE household_history (
  id            INTEGER PRIMARY KEY,
  household_id  INTEGER NOT NULL REFERENCES household(id),
  at            INTEGER NOT NULL,
  user_id       INTEGER REFERENCES user(id),
  source        TEXT NOT NULL,        -- 'import', 'edit', 'case', 'visit'
  changes       TEXT NOT NULL         -- JSON: {"field": [old, new], ...}
);
CREATE INDEX household_history_household ON household_history(household_id, at);

-- 遍访 (5.6): a visit is also an in-village act (checkin.kind = 'visit'): one act serves
-- attendance, the diary and visit coverage (最多报一次).
CREATE TABLE visit (
  id            INTEGER PRIMARY KEY,
  household_id  INTEGER NOT NULL REFERENCES household(id),
  cadre_id      INTEGER NOT NULL REFERENCES cadre(id),
  village_code  TEXT NOT NULL REFERENCES region(code),
  checkin_id    INTEGER REFERENCES checkin(id),
  client_id     TEXT NOT NULL,        -- made by the phone: a resend from the offline queue is recognised
  visited_on    TEXT NOT NULL,        -- 'YYYY-MM-DD' China Standard Time
  findings      TEXT NOT NULL DEFAULT '',
  risks         TEXT NOT NULL DEFAULT '[]',  -- JSON array of risk type codes seen (policy lists.risk_types)
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX visit_client ON visit(cadre_id, client_id);
CREATE INDEX visit_household ON visit(household_id, visited_on);
CREATE INDEX visit_village ON visit(village_code, visited_on);
