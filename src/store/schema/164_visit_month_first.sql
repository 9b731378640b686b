-- 遍访覆盖 (5.6) of any past period at city scale (issue 15). A target household (active; monitored
-- or alleviated, VISIT_TARGET of store/visits.h) is visited in the whole months A..B when one of its
-- visited months m lies in A..B; exactly one of them has its previous visited month before A (the
-- first in A..B). So each village keeps, by month, monitoring and previous visited month ('' for
-- none), how many target households were visited in that month: the households visited in A..B are
-- the rows with A <= month <= B and prev_month < A, a few per village and month, summed without
-- reading a household or a visit (store/visit_facts; the partial months at a period's edges are
-- read from the visits by visit(village_code, visited_on)).
-- Triggers keep it in the transaction of every write: a household's rows are taken away before and
-- put back after a change of its visited months (a visit added, removed or moved) or of what makes
-- it a target (category, monitoring, status, village) — a few rows each, from visit_household.
-- store/visit_facts rebuilds it with the same statement as below.
CREATE TABLE visit_month_first (
  village_code TEXT NOT NULL,     -- the household's village
  month        TEXT NOT NULL,     -- YYYY-MM with a visit
  monitored    INTEGER NOT NULL,
  prev_month   TEXT NOT NULL,     -- the household's previous month with a visit, '' when none
  n            INTEGER NOT NULL,  -- households; never 0
  PRIMARY KEY (village_code, month, monitored, prev_month)
) WITHOUT ROWID;

INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
  SELECT h.village_code, m.month, h.monitored, m.prev_month, count(*)
  FROM (SELECT household_id, month, coalesce(lag(month) OVER (PARTITION BY household_id ORDER BY month), '') AS prev_month
        FROM (SELECT DISTINCT household_id, substr(visited_on, 1, 7) AS month FROM visit)) m
  JOIN household h ON h.id = m.household_id
  WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
  GROUP BY h.village_code, m.month, h.monitored, m.prev_month;

-- A visit in a month the household already has changes nothing; the first of a month (or the last
-- one removed) takes the household's rows away before and puts them back after.
CREATE TRIGGER visit_month_first_insert_before BEFORE INSERT ON visit
WHEN NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = NEW.household_id
                 AND o.visited_on >= substr(NEW.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(NEW.visited_on, 1, 7) || '-99')
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = NEW.household_id) m
    JOIN household h ON h.id = NEW.household_id
    WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = (SELECT village_code FROM household WHERE id = NEW.household_id);
END;

CREATE TRIGGER visit_month_first_insert_after AFTER INSERT ON visit
WHEN NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id
                 AND o.visited_on >= substr(NEW.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(NEW.visited_on, 1, 7) || '-99')
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), 1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = NEW.household_id) m
    JOIN household h ON h.id = NEW.household_id
    WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER visit_month_first_delete_before BEFORE DELETE ON visit
WHEN NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id
                 AND o.visited_on >= substr(OLD.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(OLD.visited_on, 1, 7) || '-99')
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.household_id) m
    JOIN household h ON h.id = OLD.household_id
    WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = (SELECT village_code FROM household WHERE id = OLD.household_id);
END;

CREATE TRIGGER visit_month_first_delete_after AFTER DELETE ON visit
WHEN NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = OLD.household_id
                 AND o.visited_on >= substr(OLD.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(OLD.visited_on, 1, 7) || '-99')
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), 1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.household_id) m
    JOIN household h ON h.id = OLD.household_id
    WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
END;

-- A visit moved to another household or date: both households' rows, away before and back after.
CREATE TRIGGER visit_month_first_update_before BEFORE UPDATE OF household_id, visited_on ON visit
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT h.village_code, m.month, h.monitored,
           coalesce(lag(m.month) OVER (PARTITION BY m.household_id ORDER BY m.month), ''), -1
    FROM (SELECT DISTINCT household_id, substr(visited_on, 1, 7) AS month FROM visit
          WHERE household_id IN (OLD.household_id, NEW.household_id)) m
    JOIN household h ON h.id = m.household_id
    WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0
    AND village_code IN (SELECT village_code FROM household WHERE id IN (OLD.household_id, NEW.household_id));
END;

CREATE TRIGGER visit_month_first_update_after AFTER UPDATE OF household_id, visited_on ON visit
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT h.village_code, m.month, h.monitored,
           coalesce(lag(m.month) OVER (PARTITION BY m.household_id ORDER BY m.month), ''), 1
    FROM (SELECT DISTINCT household_id, substr(visited_on, 1, 7) AS month FROM visit
          WHERE household_id IN (OLD.household_id, NEW.household_id)) m
    JOIN household h ON h.id = m.household_id
    WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
END;

-- What makes a household a target, or its village, changed: its rows away before, back after.
CREATE TRIGGER visit_month_first_household_before BEFORE UPDATE OF village_code, status, category, monitored ON household
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT OLD.village_code, m.month, OLD.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.id) m
    WHERE OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = OLD.village_code;
END;

CREATE TRIGGER visit_month_first_household_after AFTER UPDATE OF village_code, status, category, monitored ON household
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT NEW.village_code, m.month, NEW.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), 1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = NEW.id) m
    WHERE NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER visit_month_first_household_delete BEFORE DELETE ON household
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
    SELECT OLD.village_code, m.month, OLD.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
    FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.id) m
    WHERE OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated')
    ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = OLD.village_code;
END;
