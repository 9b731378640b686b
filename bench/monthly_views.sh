#!/usr/bin/env bash
# monthly_views.sh BIN DB LABEL — serves DB with BIN on $PORT (18292), logs in as city_org and
# ruijin_org the way run.sh does, and times the monthly views of the whole city and of 瑞金市 (the
# analysis and presence of $MONTH, today's board): each URL five times, the median of curl's
# time_total and the server's CPU time per request (utime + stime from /proc, which a busy shared
# machine does not inflate the way it does the wall time). With SAVE=DIR each answer is kept, to
# compare two binaries' answers byte for byte (issue 15: before and after the per-day facts).
set -euo pipefail
BIN=$1 DB=$2 LABEL=$3
PORT=${PORT:-18292} BASE=http://127.0.0.1:${PORT:-18292}
tmp=$(mktemp -d)
source "$(dirname "${BASH_SOURCE[0]}")/serve.sh"
bench_serve "$BIN" "$DB"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SP/stat"; }
city=$(bench_login city_org)
county=$(bench_login ruijin_org)
month=${MONTH:-$(TZ=Asia/Shanghai date +%Y-%m)}
for u in "city analysis?month=$month" "county analysis?month=$month" "city presence?month=$month&page_size=200" \
         "city board" "county board"; do
  who=${u%% *} path=${u#* } sess=$county times=()
  [[ $who == city ]] && sess=$city
  c0=$(cpu_ticks)
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o "$tmp/out.json" -w '%{time_total}' -H "Cookie: zc_session=$sess" "$BASE/api/v1/$path")")
  done
  c1=$(cpu_ticks)
  [[ -z ${SAVE:-} ]] || { mkdir -p "$SAVE"; cp "$tmp/out.json" "$SAVE/$who-${path%%\?*}-$month.json"; }
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  printf '%-14s %-7s %-9s %6.0f ms wall (median of 5) %5d ms server CPU per request\n' "$LABEL" "$who" \
    "${path%%\?*}" "$(awk -v t="$median" 'BEGIN { print t * 1000 }')" \
    "$(( (c1 - c0) * 1000 / $(getconf CLK_TCK) / 5 ))"
done
