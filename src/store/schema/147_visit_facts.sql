-- 遍访覆盖 (5.6) at city scale (issue 15): the target households (active; monitored or alleviated,
-- VISIT_TARGET of store/visits.h) of each village counted by monitored and by the month of their
-- latest visit ('' for never visited). The city's coverage of a period that starts on the 1st of a
-- month and reaches today sums these rows (a few per village) instead of reading every household.
-- Triggers keep it in the transaction of every write to household (new households, changes of
-- category, monitoring, status or village, each visit's last_visit_on, the demo's withdrawals);
-- store/visit_facts rebuilds it with the same statement as below.
CREATE TABLE household_visit_month (
  village_code TEXT NOT NULL,
  monitored    INTEGER NOT NULL,
  month        TEXT NOT NULL,     -- YYYY-MM of household.last_visit_on, '' when never visited
  n            INTEGER NOT NULL,  -- households; never 0
  PRIMARY KEY (village_code, monitored, month)
) WITHOUT ROWID;

INSERT INTO household_visit_month (village_code, monitored, month, n)
  SELECT village_code, monitored, coalesce(substr(last_visit_on, 1, 7), ''), count(*) FROM household
  WHERE status = 'active' AND (monitored = 1 OR category = 'alleviated')
  GROUP BY village_code, monitored, coalesce(substr(last_visit_on, 1, 7), '');

CREATE TRIGGER household_visit_month_insert AFTER INSERT ON household
WHEN NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated')
BEGIN
  INSERT INTO household_visit_month (village_code, monitored, month, n)
    VALUES (NEW.village_code, NEW.monitored, coalesce(substr(NEW.last_visit_on, 1, 7), ''), 1)
    ON CONFLICT (village_code, monitored, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER household_visit_month_delete AFTER DELETE ON household
WHEN OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated')
BEGIN
  UPDATE household_visit_month SET n = n - 1 WHERE village_code = OLD.village_code AND monitored = OLD.monitored
    AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '');
  DELETE FROM household_visit_month WHERE village_code = OLD.village_code AND monitored = OLD.monitored
    AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '') AND n <= 0;
END;

CREATE TRIGGER household_visit_month_update
AFTER UPDATE OF village_code, status, category, monitored, last_visit_on ON household
WHEN (OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated'))
  OR (NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated'))
BEGIN
  UPDATE household_visit_month SET n = n - 1 WHERE village_code = OLD.village_code AND monitored = OLD.monitored
    AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '')
    AND OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated');
  DELETE FROM household_visit_month WHERE village_code = OLD.village_code AND monitored = OLD.monitored
    AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '') AND n <= 0;
  INSERT INTO household_visit_month (village_code, monitored, month, n)
    SELECT NEW.village_code, NEW.monitored, coalesce(substr(NEW.last_visit_on, 1, 7), ''), 1
    WHERE NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated')
    ON CONFLICT (village_code, monitored, month) DO UPDATE SET n = n + 1;
END;
