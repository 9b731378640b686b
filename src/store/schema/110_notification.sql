-- 消息 (issue 13, part 1): a transactional outbox. An event that notifies writes, in the same
-- transaction as the change itself, one notification_event row (the words, in Chinese, with no ID
-- number, phone or health detail), one notification row per recipient (the in-app 消息, always on)
-- and one outbox row per enabled robot channel (通知渠道) whose region covers the event. The sender
-- thread delivers outbox rows with retries and back-off; idem_key is sent with every attempt so a
-- receiver that honours it drops a repeat after a crash between the send and the mark.
CREATE TABLE notification_event (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,            -- leave_pending, leave_decided, ...
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  link        TEXT NOT NULL DEFAULT '', -- the page in the web UI, e.g. /leaves
  region_code TEXT,                     -- where it happened: which channels carry it
  entity      TEXT NOT NULL DEFAULT '',
  entity_id   TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

CREATE TABLE notification (
  id        INTEGER PRIMARY KEY,
  event_id  INTEGER NOT NULL REFERENCES notification_event(id),
  user_id   INTEGER NOT NULL REFERENCES user(id),
  read_at   INTEGER,
  UNIQUE (event_id, user_id)
);
CREATE INDEX notification_by_user ON notification(user_id, read_at, id);

-- A robot channel: DingTalk (钉钉) or WeCom (企业微信) group robot. The webhook and the signing
-- secret are sealed with the key file (store/vault): a copy of the database sends nothing.
CREATE TABLE notification_channel (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('dingtalk','wecom')),
  name           TEXT NOT NULL,
  region_code    TEXT REFERENCES region(code), -- NULL: every event; else events in this region and below
  webhook_sealed BLOB NOT NULL,
  secret_sealed  BLOB,                          -- DingTalk 加签 secret; NULL for WeCom (the key is in the webhook)
  webhook_hint   TEXT NOT NULL,                 -- the host and the last 4 characters, for the admin page
  enabled        INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  event_id     INTEGER NOT NULL REFERENCES notification_event(id),
  channel_id   INTEGER NOT NULL REFERENCES notification_channel(id),
  idem_key     TEXT NOT NULL UNIQUE,
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      INTEGER NOT NULL,
  last_error   TEXT NOT NULL DEFAULT '',
  sent_at      INTEGER,
  created_at   INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(status, next_at);

-- The delivery parameters, one row, set by the system administrator.
CREATE TABLE notification_settings (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  max_attempts       INTEGER NOT NULL DEFAULT 8,
  backoff_seconds    INTEGER NOT NULL DEFAULT 30,   -- the first retry; doubled each time
  backoff_max_seconds INTEGER NOT NULL DEFAULT 3600,
  timeout_seconds    INTEGER NOT NULL DEFAULT 10,   -- one request, connection included
  quiet_start        TEXT NOT NULL DEFAULT '22:00', -- robots hold messages from here (China Standard Time)
  quiet_end          TEXT NOT NULL DEFAULT '07:00'  -- until here ('' both: no quiet hours)
);
INSERT INTO notification_settings (id) VALUES (1);
