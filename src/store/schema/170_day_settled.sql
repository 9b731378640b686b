-- 结算日 (issue 15): the last day (yyyymmdd, CST) each stage of the day's settlement (http/day_start)
-- brought the data to — 'posts' (the posts' state of the day, 1.1, 1.6, 1.8), 'notices' (the day's
-- notices of terms, handovers, vacancies, cases and duties), 'allowance' (the sheets of the month just
-- ended, 3.4b). Written in the transaction of the stage's last write, so a row says the stage's work of
-- that day is in the database: a server restarted on a day already settled need not settle it again
-- before it answers. A stage that failed or was cut short leaves its row as it was.
CREATE TABLE day_settled (
  stage      TEXT PRIMARY KEY CHECK (stage IN ('posts', 'notices', 'allowance')),
  day        INTEGER NOT NULL,   -- yyyymmdd
  settled_at INTEGER NOT NULL    -- unix seconds of the instant the stage settled it
);
