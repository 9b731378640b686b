#!/bin/bash
# notice_rows.sh DB — the rows the day's notices' stage writes (store/notify_events, notify_duties), in a fixed
# order, so that two copies settled for the same instant by two builds can be compared with cmp (issue 15):
# the events, the notifications, the occasions' keys, the outbox and the posts' and notices' settled days.
set -eu
sqlite3 "$1" <<'SQL'
.mode list
SELECT 'event', id, kind, title, body, link, region_code, entity, entity_id, created_at FROM notification_event ORDER BY id;
SELECT 'notification', * FROM notification ORDER BY id;
SELECT 'key', kind, object, day, event_id FROM notification_key ORDER BY kind, object, day;
SELECT 'outbox', * FROM outbox ORDER BY id;
SELECT 'settled', * FROM day_settled WHERE stage IN ('posts','notices') ORDER BY stage;
SQL
