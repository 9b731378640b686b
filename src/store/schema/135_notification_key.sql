-- 消息 (issue 13): the events the day's settlement raises (a term ending, a handover due, a vacancy overdue,
-- a monitoring case's step due) are keyed by (kind, object, day): the object ("vacancy:12") and its day (the
-- deadline, the term's end) name the occasion, so settling the same day again — a restart, a second worker,
-- the next day with the occasion still open — never notifies twice.
CREATE TABLE notification_key (
  kind     TEXT NOT NULL,
  object   TEXT NOT NULL,
  day      TEXT NOT NULL,
  event_id INTEGER REFERENCES notification_event(id),
  PRIMARY KEY (kind, object, day)
);
