-- The full-coverage analysis (2.7, issue 15, R1) reads each post's cadre's logs of the month by duty
-- in the statement that reads the posts: a look-up by cadre and month answered from this index alone
-- (the duty beside the date), never the log rows. Replaces work_log_cadre_date, of which it is a prefix.
CREATE INDEX work_log_cadre_date_duty ON work_log(cadre_id, date, duty);
DROP INDEX work_log_cadre_date;
