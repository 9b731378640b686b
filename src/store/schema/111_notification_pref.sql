-- 消息接收设置 (issue 13): per account and kind of message, whether it may also go to the work groups' robots
-- (robots = 0: not). The in-app message is always delivered. A row only when the account changed the default (on).
CREATE TABLE notification_pref (
  user_id  INTEGER NOT NULL REFERENCES user(id),
  kind     TEXT NOT NULL,
  robots   INTEGER NOT NULL CHECK (robots IN (0, 1)),
  PRIMARY KEY (user_id, kind)
);
