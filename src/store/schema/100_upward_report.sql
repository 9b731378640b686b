-- 100 上报材料 (upward_report): the township's and the county's periodic report to the level above
-- (issue #12 part 3) — 月报 (a month), 半年报 (January to June), 年报 (a year). A township (乡镇党委)
-- reports to its county, a county (组织部门 / 乡村振兴部门) to the city. One report per reporting
-- region, kind and period. Flow: draft → submitted → received, or returned (with a reason) → edited
-- → submitted again. The figures are assembled from the record while a draft is open and frozen
-- into `figures` (JSON) when it is submitted, so the report reads the same later. Every write
-- raises the version (optimistic: the version read is named by each write).
CREATE TABLE upward_report (
  id            INTEGER PRIMARY KEY,
  region_code   TEXT NOT NULL REFERENCES region(code),  -- the reporting township or county
  receiver_code TEXT NOT NULL REFERENCES region(code),  -- the level above: its county, or the city
  kind          TEXT NOT NULL CHECK (kind IN ('monthly','half_year','annual')),
  period        TEXT NOT NULL,                          -- 2026-05 | 2026-H1 | 2026
  period_from   TEXT NOT NULL,                          -- ISO dates, inclusive
  period_to     TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','received','returned')),
  version       INTEGER NOT NULL DEFAULT 1,
  work_text     TEXT NOT NULL DEFAULT '',               -- 工作开展情况
  problems_text TEXT NOT NULL DEFAULT '',               -- 存在问题
  plans_text    TEXT NOT NULL DEFAULT '',               -- 下步打算
  figures       TEXT,                                   -- the snapshot frozen at submission (JSON)
  return_reason TEXT,
  created_by    INTEGER REFERENCES user(id),            -- NULL: generated (demo)
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  submitted_by  INTEGER REFERENCES user(id), submitted_at INTEGER,
  received_by   INTEGER REFERENCES user(id), received_at  INTEGER,
  returned_by   INTEGER REFERENCES user(id), returned_at  INTEGER,
  UNIQUE (region_code, kind, period)
);
CREATE INDEX upward_report_receiver ON upward_report(receiver_code, kind, period);
