#!/usr/bin/env bash
# lists.sh BIN DB — the whole-city lists of a built database (issue 15, the cadre list at province scale):
# serves DB with BIN on $PORT (18294) under the policy as shipped except per_address_connections (wrk's
# connections all come from 127.0.0.1, as in run.sh), logs in city_org and shazhouba_sec the way run.sh
# does, waits for the day's settlement, then
#   - times each list of $LISTS (relative to /api/v1/) as both accounts, $REPS times (3): the median of
#     curl's time_total, the status and the total;
#   - drives `wrk -t2 -c$CONNS -d$DURATION --latency` (200, 10s) at the first page of cadres as each account,
#     printing wrk's summary (socket errors included) and report.lua's BENCH line;
#   - prints the server's peak RSS (VmHWM), and with ACCESS_LOG=1 (the server then logs every request, as
#     run.sh's --quiet does not) the count of answers other than 200 and the first of them.
# Run it from the repository's root. Set ZHUCUN_NOW to serve a database built at a pinned instant.
set -euo pipefail
BIN=$1 DB=$2
PORT=${PORT:-18294} BASE=http://127.0.0.1:${PORT:-18294} REPS=${REPS:-3}
CONNS=${CONNS:-200} DURATION=${DURATION:-10s}
LISTS=${LISTS:-"cadres?page=1&page_size=20 cadres?page=50&page_size=20 villages?page=1&page_size=20 assignments?page=1&page_size=20"}
tmp=$(mktemp -d)
PASSWORD=$(sed -n 's/^#define DEMO_PASSWORD "\(.*\)"/\1/p' src/store/demo.h 2>/dev/null || true)
PASSWORD=${PASSWORD:-Zhucun@2026}
cp -r policy "$tmp/policy"
python3 - "$tmp/policy/security.json" "$((CONNS + 64))" <<'PY'
import json, sys
with open(sys.argv[1]) as f: s = json.load(f)
s["per_address_connections"] = int(sys.argv[2])
with open(sys.argv[1], "w") as f: json.dump(s, f, ensure_ascii=False, indent=2)
PY
"$BIN" serve --db "$DB" --port "$PORT" --bind 127.0.0.1 --policy-dir "$tmp/policy" \
  $([[ -n ${ACCESS_LOG:-} ]] || echo --quiet) > "$tmp/server.log" 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null; wait $SP 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 300); do curl -sf -o /dev/null --max-time 1 "$BASE/api/v1/health" && break; sleep 0.2; done
source "$(dirname "${BASH_SOURCE[0]}")/login.sh"
declare -A sess
for user in city_org shazhouba_sec; do
  sess[$user]=$(bench_login "$user")
  [[ -n ${sess[$user]} ]] || { echo "lists.sh: login as $user failed: $(cat "$tmp/login-$user.json")" >&2; exit 1; }
done
t0=$(date +%s%N)
curl -s -o /dev/null --max-time 1800 -H "Cookie: zc_session=${sess[city_org]}" "$BASE/api/v1/cadres?page=1&page_size=1"
echo "the day settled: first list $((($(date +%s%N) - t0) / 1000000)) ms after the logins"
for user in city_org shazhouba_sec; do
  for u in $LISTS; do
    times=()
    for i in $(seq "$REPS"); do
      times+=("$(curl -s -o "$tmp/out.$i" -w '%{http_code}:%{time_total}' -H "Cookie: zc_session=${sess[$user]}" "$BASE/api/v1/$u")")
    done
    med=$(printf '%s\n' "${times[@]}" | awk -F: '{ printf "%.1f\n", $2 * 1000 }' | sort -n | sed -n "$(((REPS + 1) / 2))p")
    total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$tmp/out.1")
    printf '%-14s %-40s status=%s median=%s ms total=%s\n' "$user" "$u" "${times[0]%%:*}" "$med" "$total"
  done
done
for user in city_org shazhouba_sec; do
  echo "== wrk -t2 -c$CONNS -d$DURATION --latency cadres?page=1&page_size=20 as $user"
  ZC_SESSION=${sess[$user]} wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s bench/report.lua \
    "$BASE/api/v1/cadres?page=1&page_size=20" 2>&1 | grep -v '^ *[0-9.]*%.*[0-9]$' | sed 's/^/   /'
done
echo "VmHWM $(awk '$1 == "VmHWM:" { print $2 }' "/proc/$SP/status") kB"
[[ -z ${ACCESS_LOG:-} ]] && exit 0
echo "access log: $(grep -c '"status":' "$tmp/server.log" || true) answers, $(grep '"status":' "$tmp/server.log" |
  grep -c -v '"status":200' || true) other than 200"
grep '"status":' "$tmp/server.log" | grep -v '"status":200' | head -3 || true
