-- 单位考评计分 (2.6) at city scale (issue 15): the days of each month on which a cadre had an
-- in-village act (checkin.in_fence = 1), one row per cadre and month, bit d-1 of `days` for day d.
-- The unit scores read ~10,000 of these rows for a month of the city instead of probing the
-- check-ins once per cadre and working day. The triggers keep it in the transaction of every
-- write to checkin (the check-in itself, the demo's acts, the demo's withdrawal of a post's acts);
-- store/score_facts rebuilds it with the same statement as below (zhucun rebuild facts).
CREATE TABLE checkin_month_days (
  cadre_id INTEGER NOT NULL,
  month    TEXT NOT NULL,     -- YYYY-MM (China Standard Time, as checkin.date)
  days     INTEGER NOT NULL,  -- bit d-1 set: an in-village act on day d; never 0
  PRIMARY KEY (cadre_id, month)
) WITHOUT ROWID;

INSERT INTO checkin_month_days (cadre_id, month, days)
  SELECT cadre_id, substr(date, 1, 7), sum(DISTINCT 1 << (CAST(substr(date, 9, 2) AS INTEGER) - 1))
  FROM checkin WHERE in_fence = 1 GROUP BY cadre_id, substr(date, 1, 7);

CREATE TRIGGER checkin_month_days_insert AFTER INSERT ON checkin WHEN NEW.in_fence = 1
BEGIN
  INSERT INTO checkin_month_days (cadre_id, month, days)
    VALUES (NEW.cadre_id, substr(NEW.date, 1, 7), 1 << (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1))
    ON CONFLICT (cadre_id, month) DO UPDATE SET days = days | excluded.days;
END;

-- a removed act: that month of the cadre again from the check-ins (another act may hold the day)
CREATE TRIGGER checkin_month_days_delete AFTER DELETE ON checkin WHEN OLD.in_fence = 1
BEGIN
  UPDATE checkin_month_days SET days = (SELECT coalesce(sum(DISTINCT 1 << (CAST(substr(k.date, 9, 2) AS INTEGER) - 1)), 0)
      FROM checkin k WHERE k.cadre_id = OLD.cadre_id AND k.in_fence = 1
      AND k.date >= substr(OLD.date, 1, 7) || '-01' AND k.date <= substr(OLD.date, 1, 7) || '-31')
    WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM checkin_month_days WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7) AND days = 0;
END;

CREATE TRIGGER checkin_month_days_update AFTER UPDATE OF cadre_id, date, in_fence ON checkin
BEGIN
  UPDATE checkin_month_days SET days = (SELECT coalesce(sum(DISTINCT 1 << (CAST(substr(k.date, 9, 2) AS INTEGER) - 1)), 0)
      FROM checkin k WHERE k.cadre_id = OLD.cadre_id AND k.in_fence = 1
      AND k.date >= substr(OLD.date, 1, 7) || '-01' AND k.date <= substr(OLD.date, 1, 7) || '-31')
    WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM checkin_month_days WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7) AND days = 0;
  INSERT INTO checkin_month_days (cadre_id, month, days)
    SELECT NEW.cadre_id, substr(NEW.date, 1, 7), 1 << (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1)
    WHERE NEW.in_fence = 1
    ON CONFLICT (cadre_id, month) DO UPDATE SET days = days | excluded.days;
END;
