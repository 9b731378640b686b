-- 每月驻村事实 (issue 15, R1): one row per post (assignment) and month with what presence (2.1, 3.6),
-- the full-coverage analysis (2.7) and the home page read of each day of the month, so a city's month is
-- ~10,000 rows read once instead of ~300,000 rows of post_day. `days` is 31 slots of 9 characters, slot
-- d-1 for day d (CST, as post_day.date):
--   character 1   '0': no post_day row that day; else 1 + (in-fence act) + 2 × (outside act with a reason)
--   characters 2-5  the CST minute (0000-1439) of the first in-fence act, 9999 when none
--   characters 6-9  the CST minute of the last in-fence act, 9999 when none
-- A month with no post_day row has no post_month row. Kept from post_day by the triggers below (post_day
-- is itself kept from checkin in the same transaction), rebuilt by store/post_month (zhucun rebuild facts),
-- which writes each slot with the same expression; tests/api/facts.test.mjs compares the two.
CREATE TABLE post_month (
  assignment_id INTEGER NOT NULL,
  month         TEXT NOT NULL,   -- YYYY-MM
  days          TEXT NOT NULL,   -- 31 × 9 characters, as above
  PRIMARY KEY (assignment_id, month)
) WITHOUT ROWID;

-- the months already there, built the way store/post_month rebuilds them
INSERT INTO post_month (assignment_id, month, days)
SELECT a, m, coalesce(max(iif(d = 1, s, NULL)), '099999999') || coalesce(max(iif(d = 2, s, NULL)), '099999999') || coalesce(max(iif(d = 3, s, NULL)), '099999999')
        || coalesce(max(iif(d = 4, s, NULL)), '099999999') || coalesce(max(iif(d = 5, s, NULL)), '099999999') || coalesce(max(iif(d = 6, s, NULL)), '099999999')
        || coalesce(max(iif(d = 7, s, NULL)), '099999999') || coalesce(max(iif(d = 8, s, NULL)), '099999999') || coalesce(max(iif(d = 9, s, NULL)), '099999999')
        || coalesce(max(iif(d = 10, s, NULL)), '099999999') || coalesce(max(iif(d = 11, s, NULL)), '099999999') || coalesce(max(iif(d = 12, s, NULL)), '099999999')
        || coalesce(max(iif(d = 13, s, NULL)), '099999999') || coalesce(max(iif(d = 14, s, NULL)), '099999999') || coalesce(max(iif(d = 15, s, NULL)), '099999999')
        || coalesce(max(iif(d = 16, s, NULL)), '099999999') || coalesce(max(iif(d = 17, s, NULL)), '099999999') || coalesce(max(iif(d = 18, s, NULL)), '099999999')
        || coalesce(max(iif(d = 19, s, NULL)), '099999999') || coalesce(max(iif(d = 20, s, NULL)), '099999999') || coalesce(max(iif(d = 21, s, NULL)), '099999999')
        || coalesce(max(iif(d = 22, s, NULL)), '099999999') || coalesce(max(iif(d = 23, s, NULL)), '099999999') || coalesce(max(iif(d = 24, s, NULL)), '099999999')
        || coalesce(max(iif(d = 25, s, NULL)), '099999999') || coalesce(max(iif(d = 26, s, NULL)), '099999999') || coalesce(max(iif(d = 27, s, NULL)), '099999999')
        || coalesce(max(iif(d = 28, s, NULL)), '099999999') || coalesce(max(iif(d = 29, s, NULL)), '099999999') || coalesce(max(iif(d = 30, s, NULL)), '099999999')
        || coalesce(max(iif(d = 31, s, NULL)), '099999999')
  FROM (SELECT assignment_id AS a, substr(date, 1, 7) AS m, CAST(substr(date, 9, 2) AS INTEGER) AS d,
               printf('%d%04d%04d', 1 + (in_fence_acts > 0) + 2 * (outside_reasoned > 0),
                      coalesce((first_in_at + 28800) % 86400 / 60, 9999),
                      coalesce((last_in_at + 28800) % 86400 / 60, 9999)) AS s FROM post_day)
 GROUP BY a, m;

-- a day's row sets its slot (a new month starts from 31 empty slots)
CREATE TRIGGER post_month_insert AFTER INSERT ON post_day BEGIN
  INSERT INTO post_month (assignment_id, month, days)
  SELECT NEW.assignment_id, substr(NEW.date, 1, 7),
         substr(e, 1, k) || s || substr(e, k + 10)
    FROM (SELECT replace(hex(zeroblob(31)), '00', '099999999') AS e,
                 (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 AS k,
                 printf('%d%04d%04d', 1 + (NEW.in_fence_acts > 0) + 2 * (NEW.outside_reasoned > 0),
                        coalesce((NEW.first_in_at + 28800) % 86400 / 60, 9999),
                        coalesce((NEW.last_in_at + 28800) % 86400 / 60, 9999)) AS s)
   WHERE true
  ON CONFLICT (assignment_id, month) DO UPDATE
    SET days = substr(days, 1, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9)
               || substr(excluded.days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 1, 9)
               || substr(days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 10);
END;

-- a day's row gone: its slot emptied, and the month's row with it when no slot is left
CREATE TRIGGER post_month_delete AFTER DELETE ON post_day BEGIN
  UPDATE post_month
     SET days = substr(days, 1, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9) || '099999999'
                || substr(days, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9 + 10)
   WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM post_month WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7)
     AND days = replace(hex(zeroblob(31)), '00', '099999999');
END;

-- a further act of the day (post_day's upsert changes the day's row in place): its slot rewritten
CREATE TRIGGER post_month_same_day AFTER UPDATE ON post_day
  WHEN OLD.assignment_id = NEW.assignment_id AND OLD.date = NEW.date BEGIN
  UPDATE post_month
     SET days = substr(days, 1, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9)
                || printf('%d%04d%04d', 1 + (NEW.in_fence_acts > 0) + 2 * (NEW.outside_reasoned > 0),
                          coalesce((NEW.first_in_at + 28800) % 86400 / 60, 9999),
                          coalesce((NEW.last_in_at + 28800) % 86400 / 60, 9999))
                || substr(days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 10)
   WHERE assignment_id = NEW.assignment_id AND month = substr(NEW.date, 1, 7);
END;

-- a day's row moved to another post or date (SQL by hand): the old slot emptied, the new one set
CREATE TRIGGER post_month_update AFTER UPDATE ON post_day
  WHEN OLD.assignment_id <> NEW.assignment_id OR OLD.date <> NEW.date BEGIN
  UPDATE post_month
     SET days = substr(days, 1, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9) || '099999999'
                || substr(days, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9 + 10)
   WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM post_month WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7)
     AND days = replace(hex(zeroblob(31)), '00', '099999999');
  INSERT INTO post_month (assignment_id, month, days)
  SELECT NEW.assignment_id, substr(NEW.date, 1, 7),
         substr(e, 1, k) || s || substr(e, k + 10)
    FROM (SELECT replace(hex(zeroblob(31)), '00', '099999999') AS e,
                 (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 AS k,
                 printf('%d%04d%04d', 1 + (NEW.in_fence_acts > 0) + 2 * (NEW.outside_reasoned > 0),
                        coalesce((NEW.first_in_at + 28800) % 86400 / 60, 9999),
                        coalesce((NEW.last_in_at + 28800) % 86400 / 60, 9999)) AS s)
   WHERE true
  ON CONFLICT (assignment_id, month) DO UPDATE
    SET days = substr(days, 1, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9)
               || substr(excluded.days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 1, 9)
               || substr(days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 10);
END;
