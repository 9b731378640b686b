-- 每日汇总 and 发送限额 (issue 13, part 1). A kind an account chose to receive as a daily digest (digest = 1)
-- is not pushed to the group robots one by one: its in-app message arrives at once as always, and a
-- notification_digest row waits until the day's digest time (notification_settings.digest_time, China
-- Standard Time), when the sender gathers each account's waiting rows into one message per channel and
-- marks them with the day. The digest's outbox row is keyed 'digest-<user>-<day>-<channel>', so the
-- same day never sends twice, even after a restart.
ALTER TABLE notification_pref ADD COLUMN digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1));

CREATE TABLE notification_digest (
  notification_id INTEGER PRIMARY KEY REFERENCES notification(id),
  user_id         INTEGER NOT NULL REFERENCES user(id),
  created_at      INTEGER NOT NULL,
  digested_day    TEXT                -- 'YYYY-MM-DD' of the digest that gathered it; NULL: waiting
);
CREATE INDEX notification_digest_waiting ON notification_digest(user_id, created_at) WHERE digested_day IS NULL;

-- The digest time and the limits (0: no limit). A message over a limit waits for the next window
-- (its next_at moved); none is dropped. Windows are aligned to the clock (a minute from :00).
ALTER TABLE notification_settings ADD COLUMN digest_time TEXT NOT NULL DEFAULT '08:00';
ALTER TABLE notification_settings ADD COLUMN user_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notification_settings ADD COLUMN user_window_seconds INTEGER NOT NULL DEFAULT 3600;
ALTER TABLE notification_settings ADD COLUMN channel_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notification_settings ADD COLUMN channel_window_seconds INTEGER NOT NULL DEFAULT 60;
