-- 每日驻村事实 (issue 15): one row per post (assignment) and CST day on which the post's cadre sent
-- any in-village act (check-in, visit, log), with what the monthly roll-ups read of that day's acts:
-- presence (2.1, 3.6) and the full-coverage analysis need whether an act was inside the fence, whether
-- an act outside it gave a reason, and the first and last in-fence minutes; the board needs the first
-- in-fence instant and the number of acts outside the fence. Leaves, the calendar and the posts'
-- dates stay in their own small tables and are joined when read: the day's status (在村/请假/未到岗/
-- 休息日) depends on them and on "today", so it is computed, not stored.
-- Kept by the triggers below in the transaction of every write to checkin, whoever writes (the
-- check-in and visit handlers, the demo generator, an operator's SQL); store/facts rebuilds it from
-- checkin (`zhucun rebuild facts`), and the demo generator's bulk inserts end with that rebuild.
CREATE TABLE post_day (
  assignment_id     INTEGER NOT NULL,
  date              TEXT NOT NULL,     -- CST date, as checkin.date
  cadre_id          INTEGER NOT NULL,
  village_code      TEXT NOT NULL,
  acts              INTEGER NOT NULL,  -- check-ins of the post that day
  in_fence_acts     INTEGER NOT NULL,
  outside_acts      INTEGER NOT NULL,
  outside_reasoned  INTEGER NOT NULL,  -- outside the fence with the cadre's reason
  first_in_at       INTEGER,           -- unix seconds of the first and last act inside the fence
  last_in_at        INTEGER,
  PRIMARY KEY (assignment_id, date)
) WITHOUT ROWID;
CREATE INDEX post_day_cadre_date ON post_day(cadre_id, date);

INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                      outside_reasoned, first_in_at, last_in_at)
SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),
       sum(in_fence = 0 AND coalesce(reason, '') <> ''),
       min(CASE WHEN in_fence THEN at END), max(CASE WHEN in_fence THEN at END)
  FROM checkin GROUP BY assignment_id, date;

-- an act adds itself: counts add up, the first and last in-fence instants take the min and the max
CREATE TRIGGER post_day_insert AFTER INSERT ON checkin BEGIN
  INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                        outside_reasoned, first_in_at, last_in_at)
  VALUES (NEW.assignment_id, NEW.date, NEW.cadre_id, NEW.village_code, 1, NEW.in_fence <> 0, NEW.in_fence = 0,
          NEW.in_fence = 0 AND coalesce(NEW.reason, '') <> '', CASE WHEN NEW.in_fence THEN NEW.at END,
          CASE WHEN NEW.in_fence THEN NEW.at END)
  ON CONFLICT (assignment_id, date) DO UPDATE SET acts = acts + 1,
    in_fence_acts = in_fence_acts + excluded.in_fence_acts, outside_acts = outside_acts + excluded.outside_acts,
    outside_reasoned = outside_reasoned + excluded.outside_reasoned,
    first_in_at = coalesce(min(first_in_at, excluded.first_in_at), first_in_at, excluded.first_in_at),
    last_in_at = coalesce(max(last_in_at, excluded.last_in_at), last_in_at, excluded.last_in_at);
END;

-- a removed or changed act: its day (and the new one) recomputed from the day's acts
CREATE TRIGGER post_day_delete AFTER DELETE ON checkin BEGIN
  DELETE FROM post_day WHERE assignment_id = OLD.assignment_id AND date = OLD.date;
  INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                        outside_reasoned, first_in_at, last_in_at)
  SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),
         sum(in_fence = 0 AND coalesce(reason, '') <> ''),
         min(CASE WHEN in_fence THEN at END), max(CASE WHEN in_fence THEN at END)
    FROM checkin WHERE cadre_id = OLD.cadre_id AND date = OLD.date AND assignment_id = OLD.assignment_id
   GROUP BY assignment_id, date;
END;

CREATE TRIGGER post_day_update AFTER UPDATE ON checkin BEGIN
  DELETE FROM post_day WHERE (assignment_id = OLD.assignment_id AND date = OLD.date)
                          OR (assignment_id = NEW.assignment_id AND date = NEW.date);
  INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                        outside_reasoned, first_in_at, last_in_at)
  SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),
         sum(in_fence = 0 AND coalesce(reason, '') <> ''),
         min(CASE WHEN in_fence THEN at END), max(CASE WHEN in_fence THEN at END)
    FROM checkin WHERE (cadre_id = OLD.cadre_id AND date = OLD.date AND assignment_id = OLD.assignment_id)
                    OR (cadre_id = NEW.cadre_id AND date = NEW.date AND assignment_id = NEW.assignment_id)
   GROUP BY assignment_id, date;
END;
