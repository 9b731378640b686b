#!/usr/bin/env bash
# The one-clock rule (issue: time is an input). zhucun learns the time only from src/core/clock.c
# (clock_now, clock_today, clock_monotonic_ms); the UI only from ui/src/clock.js (the server's
# instant); the tests only from tests/clock.mjs (the pinned ZHUCUN_NOW). This check fails on any
# other read of the system time:
#   C       time(NULL), time(&…), clock_gettime, gettimeofday, localtime, gmtime, ftime
#   SQL     'now', unixepoch(), CURRENT_TIMESTAMP / CURRENT_DATE / CURRENT_TIME (SQLite's own clock)
#   JS      Date.now(), new Date() with no argument
# A line may be let through with a "clock-ok:" comment that says why (the phone's own instant,
# sent as evidence; code that runs inside the browser whose clock a test fixed).
# Usage: tests/check_clock.sh [ROOT]   (ROOT: the tree to check, default the repository)
# Prints each offending line and "clock: N passed, M failed" (one check); exits 1 on a finding.
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

findings=$(
  {
    grep -rnE '\btime\(NULL\)|\btime\(&|clock_gettime|gettimeofday|\blocaltime(_r)?\(|\bgmtime(_r)?\(|\bftime\(' \
      --include='*.c' --include='*.h' src | grep -v '^src/core/clock\.c:'
    grep -rnE "'now'|unixepoch\(\)|CURRENT_(TIMESTAMP|DATE|TIME)\b" --include='*.c' --include='*.h' --include='*.sql' src
    grep -rnE "Date\.now\(\)|new Date\(\)" --include='*.js' --include='*.vue' --include='*.mjs' ui/src tests/api tests/e2e \
      tests/clock.mjs 2>/dev/null
    grep -rnE "'now'|unixepoch\(\)" --include='*.mjs' tests/api tests/e2e 2>/dev/null
  } | grep -v 'clock-ok:'
)
if [ -n "$findings" ]; then
  echo "clock: reads of the system time outside the one clock (src/core/clock.c, ui/src/clock.js, tests/clock.mjs):"
  echo "$findings" | sed 's/^/  /'
  echo "clock: 0 passed, 1 failed"
  exit 1
fi
echo "clock: 1 passed, 0 failed"
