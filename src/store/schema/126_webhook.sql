-- 数据推送 (issue 13, part 2): outgoing webhooks. The system administrator registers a receiver (its
-- URL and signing secret sealed with the key file, like the robot channels), the events it takes and
-- optionally a region. An event writes, in the same transaction as the change, one webhook_delivery
-- row per receiver that takes it, carrying the JSON body exactly as it will be sent; the sender thread
-- posts it with retries, back-off and dead letters, signed HMAC-SHA256 over timestamp + "." + body.
CREATE TABLE webhook (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  url_sealed    BLOB NOT NULL,
  url_hint      TEXT NOT NULL,
  secret_sealed BLOB NOT NULL,
  events        TEXT NOT NULL,                 -- ",leave_pending,case_decided,"
  region_code   TEXT REFERENCES region(code),  -- NULL: every region
  enabled       INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE webhook_delivery (
  id          INTEGER PRIMARY KEY,
  webhook_id  INTEGER NOT NULL REFERENCES webhook(id),
  event       TEXT NOT NULL,
  body        TEXT NOT NULL,                   -- {id, event, occurred_at, region_code, data}
  idem_key    TEXT NOT NULL UNIQUE,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  last_error  TEXT NOT NULL DEFAULT '',
  sent_at     INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX webhook_delivery_due ON webhook_delivery(status, next_at);
