-- 每日驻村事实 (issue 15): one row per post (assignment) and CST day on which the post's cadre sent
-- any in-village act (check-in, visit, log), with what the monthly roll-ups read of that day's acts:
-- presence (2.1, 3.6) and the full-coverage analysis need whether an act was inside the fence, whether
-- an act outside it gave a reason, and the first and last in-fence minutes; the board needs the first
-- in-fence instant and the number of acts outside the fence. Leaves, the calendar and the posts'
-- dates stay in their own small tables and are joined when read: the day's status (在村/请假/未到岗/
-- 休息日) depends on them and on "today", so it is computed, not stored.
-- Kept by store/checkins in the transaction of each insert; store/facts rebuilds it from checkin
-- (`zhucun rebuild facts`), and the demo generator's bulk inserts end with that rebuild.
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
