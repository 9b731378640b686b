-- 短信 and 企业微信应用消息 (issue 13, part 1): channels that reach one person rather than a group.
-- notification_channel gains the kinds 'sms' (an HTTP SMS gateway: webhook_sealed its URL, secret_sealed
-- the value of its auth header) and 'wecom_app' (webhook_sealed the API base URL, secret_sealed the
-- corpsecret), and config: the settings that are not secret, as JSON ({"template","auth_header"} for SMS,
-- {"corpid","agentid"} for WeCom). The table is rebuilt to widen the kind CHECK (SQLite's documented way).
CREATE TABLE notification_channel_new (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('dingtalk','wecom','sms','wecom_app')),
  name           TEXT NOT NULL,
  region_code    TEXT REFERENCES region(code),
  webhook_sealed BLOB NOT NULL,
  secret_sealed  BLOB,
  webhook_hint   TEXT NOT NULL,
  enabled        INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  config         TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO notification_channel_new (id, kind, name, region_code, webhook_sealed, secret_sealed, webhook_hint,
  enabled, created_at, updated_at)
  SELECT id, kind, name, region_code, webhook_sealed, secret_sealed, webhook_hint, enabled, created_at, updated_at
  FROM notification_channel;
DROP TABLE notification_channel;
ALTER TABLE notification_channel_new RENAME TO notification_channel;

-- A person's message: the outbox row names its recipient (NULL for a group robot's).
ALTER TABLE outbox ADD COLUMN user_id INTEGER REFERENCES user(id);
-- The account's WeCom userid (企业微信账号), set by the system administrator; without it no WeCom message.
ALTER TABLE user ADD COLUMN wecom_userid TEXT;
-- 接收设置: per kind, whether SMS and WeCom application messages may be used (default: yes).
ALTER TABLE notification_pref ADD COLUMN sms INTEGER NOT NULL DEFAULT 1 CHECK (sms IN (0, 1));
ALTER TABLE notification_pref ADD COLUMN wecom_app INTEGER NOT NULL DEFAULT 1 CHECK (wecom_app IN (0, 1));
