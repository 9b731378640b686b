#!/usr/bin/env bash
# views.sh BIN DB URL… — serves DB with BIN on $PORT (18293), logs in as $USER_NAME (city_org) the way
# run.sh does, and times each URL (relative to /api/v1/) $REPS times (3): the median of curl's time_total,
# the answer's status, size and the start of its md5 (to compare two binaries' answers), then the
# server's peak RSS (VmHWM). Used for the past-period visit coverage and the streaming exports of
# bench/README.md (issue 15); run it from the repository's root.
set -euo pipefail
BIN=$1 DB=$2; shift 2
PORT=${PORT:-18293} BASE=http://127.0.0.1:${PORT:-18293} REPS=${REPS:-3}
tmp=$(mktemp -d)
source "$(dirname "${BASH_SOURCE[0]}")/serve.sh"
bench_serve "$BIN" "$DB"
user=${USER_NAME:-city_org}
session=$(bench_login "$user")
[[ -n $session ]] || { echo "views.sh: login as $user failed: $(cat "$tmp/login-$user.json")" >&2; exit 1; }
for u in "$@"; do
  times=()
  for i in $(seq "$REPS"); do
    times+=("$(curl -s -o "$tmp/out.$i" -w '%{http_code}:%{time_total}' -H "Cookie: zc_session=$session" "$BASE/api/v1/$u")")
  done
  med=$(printf '%s\n' "${times[@]}" | awk -F: '{ print $2 * 1000 }' | sort -n | sed -n "$(((REPS + 1) / 2))p")
  echo "$u  status=${times[0]%%:*} median=${med}ms size=$(stat -c %s "$tmp/out.1") md5=$(md5sum < "$tmp/out.1" | cut -c1-8)"
done
echo "VmHWM $(awk '$1 == "VmHWM:" { print $2 }' "/proc/$SP/status") kB"
