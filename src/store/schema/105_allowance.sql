-- 105 补助核算 (3.4b 生活补助、交通补贴): a monthly allowance sheet per dispatching unit.
--
-- The server drafts the sheet of a month from the presence of the unit's posts that month (the same
-- count as 在村情况: days in the village, approved leave days, the month's minimum met or not) and the
-- formula in force (policy allowance_rules, a local rule: the notice names the allowances, not the
-- amounts). The unit's HR may adjust a line, with a reason that is kept; then confirms the sheet, and
-- each confirmed amount above zero becomes a 3.4b row of the funds ledger (fund_entry), once: the line
-- keeps the ids of its entries. Amounts in fen (integers). Optimistic version on the sheet: every
-- adjustment, recount and confirmation names the version it saw.
CREATE TABLE allowance_sheet (
  id            INTEGER PRIMARY KEY,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  month         TEXT NOT NULL CHECK (length(month) = 7),    -- 'YYYY-MM'
  status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed')),
  version       INTEGER NOT NULL DEFAULT 1,
  rules         TEXT NOT NULL,                             -- the formula used (JSON of allowance_rules)
  min_days      INTEGER NOT NULL,                          -- min_days_in_village_per_month used (2.1)
  counted_to    TEXT NOT NULL,                             -- the last day counted ('YYYY-MM-DD')
  drafted_by    INTEGER REFERENCES user(id),               -- NULL: drafted by the server
  drafted_at    INTEGER NOT NULL,
  confirmed_by  INTEGER REFERENCES user(id),
  confirmed_at  INTEGER,
  doc_no        TEXT,                                      -- the ledger's 文号 of the confirmed sheet
  UNIQUE (unit_id, month),
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL))
);
CREATE INDEX allowance_sheet_status ON allowance_sheet(status, month);

-- One line per post (assignment) of the unit that held its village some day of the month.
CREATE TABLE allowance_line (
  id                  INTEGER PRIMARY KEY,
  sheet_id            INTEGER NOT NULL REFERENCES allowance_sheet(id),
  assignment_id       INTEGER NOT NULL REFERENCES assignment(id),
  cadre_id            INTEGER NOT NULL REFERENCES cadre(id),
  village_code        TEXT NOT NULL REFERENCES region(code),
  period_days         INTEGER NOT NULL,
  days_in_village     INTEGER NOT NULL,
  leave_days          INTEGER NOT NULL,
  required_days       INTEGER NOT NULL,
  meets_minimum       INTEGER NOT NULL,
  living_computed     INTEGER NOT NULL CHECK (living_computed >= 0),     -- fen, by the formula
  transport_computed  INTEGER NOT NULL CHECK (transport_computed >= 0),
  living_adjusted     INTEGER CHECK (living_adjusted >= 0),              -- fen, set by the unit; NULL: none
  transport_adjusted  INTEGER CHECK (transport_adjusted >= 0),
  adjust_reason       TEXT,
  adjusted_by         INTEGER REFERENCES user(id),
  adjusted_at         INTEGER,
  living_entry_id     INTEGER REFERENCES fund_entry(id),  -- the ledger rows written on confirmation
  transport_entry_id  INTEGER REFERENCES fund_entry(id),
  UNIQUE (sheet_id, assignment_id),
  CHECK ((living_adjusted IS NULL AND transport_adjusted IS NULL) OR adjust_reason IS NOT NULL)
);
CREATE INDEX allowance_line_cadre ON allowance_line(cadre_id, sheet_id);
