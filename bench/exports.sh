#!/usr/bin/env bash
# exports.sh BIN DB URL… — what an export costs the server in memory (issue 15: "exports of province-sized
# lists stream without holding the whole sheet in memory"). Serves DB with BIN on $PORT (18294), logs in as
# $USER_NAME (province_rrb) the way run.sh does, waits for the day's settlement to end (so that its memory is
# not counted), then for each URL (relative to /api/v1/) fetches it once while sampling the server's VmRSS
# every 10 ms: prints the status, the file's size, the time, the RSS before, the highest RSS seen during
# the export and the rise. DB is written to (the day is settled): pass a copy. Run from the repository's root.
set -euo pipefail
BIN=$1 DB=$2; shift 2
PORT=${PORT:-18294} BASE=http://127.0.0.1:${PORT:-18294}
tmp=$(mktemp -d)
source "$(dirname "${BASH_SOURCE[0]}")/serve.sh"
bench_serve "$BIN" "$DB"
user=${USER_NAME:-province_rrb}
session=$(bench_login "$user")
[[ -n $session ]] || { echo "exports.sh: login as $user failed: $(cat "$tmp/login-$user.json")" >&2; exit 1; }
# every stage of the day settled: 待办 waits for all of them (http/day_start)
curl -s -o /dev/null --max-time 600 -H "Cookie: zc_session=$session" "$BASE/api/v1/me/todo"
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$SP/status"; }
for u in "$@"; do
  before=$(rss) peak=$before
  curl -s -o "$tmp/out" -w '%{http_code} %{time_total}\n' --max-time 1200 -H "Cookie: zc_session=$session" \
    "$BASE/api/v1/$u" > "$tmp/curl" &
  cp=$!
  while kill -0 "$cp" 2>/dev/null; do
    r=$(rss); ((r > peak)) && peak=$r
    sleep 0.01
  done
  wait "$cp" || true
  read -r code secs < "$tmp/curl"
  printf '%-48s status=%s size=%6.1f MB time=%6.1f s rss before=%5d MB peak=%5d MB rise=%5d MB\n' "$u" "$code" \
    "$(awk -v b="$(stat -c %s "$tmp/out")" 'BEGIN { print b / 1048576 }')" "$secs" $((before / 1024)) \
    $((peak / 1024)) $(((peak - before) / 1024))
done
