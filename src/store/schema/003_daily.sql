-- 003 daily management in the village (section 2 of the notice: 2.1, 2.4; and 3.6 吃住在村).

-- The working calendar: only the exceptions to Monday–Friday — 法定节假日 (holiday) and 调休上班
-- (a weekend day that is a working day). Loaded from chinese-days; an admin can load later years.
CREATE TABLE calendar_day (
  date TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),
  name TEXT NOT NULL
) WITHOUT ROWID;

-- 考勤: every in-village act, raw. A check-in, a household visit, a log written there: one act
-- serves attendance, the diary and visit coverage (最多报一次). Attendance is derived from these.
CREATE TABLE checkin (
  id            INTEGER PRIMARY KEY,
  cadre_id      INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id INTEGER NOT NULL REFERENCES assignment(id),
  village_code  TEXT NOT NULL REFERENCES region(code),
  client_id     TEXT NOT NULL,              -- made by the phone, so a resend is recognised
  kind          TEXT NOT NULL DEFAULT 'checkin' CHECK (kind IN ('checkin','visit','log')),
  at            INTEGER NOT NULL,           -- when it happened (unix seconds, checked against the server clock)
  received_at   INTEGER NOT NULL,
  date          TEXT NOT NULL,              -- China Standard Time date of `at`
  lat           REAL,
  lng           REAL,
  accuracy_m    REAL,
  source        TEXT,                       -- gps | network | manual
  distance_m    REAL,
  in_fence      INTEGER NOT NULL,
  delayed       INTEGER NOT NULL DEFAULT 0, -- kept offline and sent later
  reason        TEXT,                       -- the cadre's reason when outside the fence
  flags         TEXT NOT NULL DEFAULT ''    -- for review: speed, same_coords, poor_accuracy
);
CREATE UNIQUE INDEX checkin_client ON checkin(cadre_id, client_id);
CREATE INDEX checkin_cadre_date ON checkin(cadre_id, date);
CREATE INDEX checkin_village_date ON checkin(village_code, date);

-- 请销假 (2.1, 2.4)
CREATE TABLE leave (
  id             INTEGER PRIMARY KEY,
  cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id  INTEGER REFERENCES assignment(id),
  type           TEXT NOT NULL,
  start_date     TEXT NOT NULL,
  end_date       TEXT NOT NULL,
  days           INTEGER NOT NULL,
  reason         TEXT NOT NULL,
  approver_level TEXT NOT NULL CHECK (approver_level IN ('township','county')),
  status         TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending','approved','refused','cancelled','closed')),
  decided_by     INTEGER REFERENCES user(id),
  decided_at     INTEGER,
  comment        TEXT,
  returned_on    TEXT,                      -- 销假
  created_at     INTEGER NOT NULL,
  CHECK (start_date <= end_date)
);
CREATE INDEX leave_cadre ON leave(cadre_id, start_date);
CREATE INDEX leave_status ON leave(status);

-- 驻村日志 (2.1, 5.1): short, tagged with one of the five duties.
CREATE TABLE work_log (
  id           INTEGER PRIMARY KEY,
  cadre_id     INTEGER NOT NULL REFERENCES cadre(id),
  village_code TEXT NOT NULL REFERENCES region(code),
  date         TEXT NOT NULL,
  duty         TEXT NOT NULL CHECK (duty IN ('party_building','consolidation','industry','construction','governance')),
  text         TEXT NOT NULL,
  checkin_id   INTEGER REFERENCES checkin(id), -- written in the village: the same act counts for attendance
  created_at   INTEGER NOT NULL
);
CREATE INDEX work_log_cadre_date ON work_log(cadre_id, date);
