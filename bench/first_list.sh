#!/bin/bash
# first_list.sh BIN DB PORT LABEL [NOW] — issue 15, the day's settlement in stages: starts BIN serve on DB (a copy:
# it writes the day's settlement) at NOW (`--now`, e.g. a day not yet settled) and prints exec → health,
# exec → the first /api/v1/cadres of a township secretary (shazhouba_sec, no second factor: no Python in the timed
# path; it waits for the posts' stage) and exec → the first /api/v1/notifications (it waits for the notices' stage),
# then the settlement's lines of the server's log; the server is stopped after (SIGTERM).
set -u
BIN=$1 DB=$2 PORT=$3 LABEL=$4 NOW=${5:-}
BASE=http://127.0.0.1:$PORT PASSWORD=Zhucun@2026 tmp=${TMPDIR:-/tmp}
cd "$(dirname "$0")/.." && source bench/login.sh
now_ns() { date +%s%N; }
t0=$(now_ns)
"$BIN" ${NOW:+--now "$NOW"} serve --db "$DB" --port "$PORT" --bind 127.0.0.1 >"$tmp/server-$LABEL.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null --max-time 1 "$BASE/api/v1/health"; do sleep 0.002; done
h=$((($(now_ns) - t0) / 1000000))
town=$(bench_login shazhouba_sec)
curl -s -o /dev/null --max-time 1800 -H "Cookie: zc_session=$town" "$BASE/api/v1/cadres?page=1&page_size=1"
l=$((($(now_ns) - t0) / 1000000))
curl -s -o /dev/null --max-time 1800 -H "Cookie: zc_session=$town" "$BASE/api/v1/notifications?page=1&page_size=1"
n=$((($(now_ns) - t0) / 1000000))
echo "$LABEL: exec→health ${h} ms, exec→first list ${l} ms, exec→notifications ${n} ms"
kill -TERM $pid
wait $pid
grep -E "settled|remembered|failed|matrix" "$tmp/server-$LABEL.log" | grep -v '"m":'
