#!/usr/bin/env bash
# Runs every suite and ends with one line that counts them all together: "N passed, N failed".
#   clock  the one-clock rule (tests/check_clock.sh), the store seam (tests/check_seam.sh) and the
#          SQL inventory (tests/check_sql_features.sh)
#   unit   cmocka binaries of the core
#   api    black-box over HTTP against the sanitizer build of the server
#   api_pg the API suite again, the server on PostgreSQL (issue 16): a throw-away cluster
#          (tests/pg_cluster.sh), the demo made there once, two servers each on a copy of it
#   e2e    a real browser (headless Chromium) against the sanitizer build
#   fuzz   every libFuzzer harness of tests/fuzz, built with clang, ZHUCUN_FUZZ_SECONDS (60) each
#          (tests/fuzz/run.sh): fails on any crash, leak or sanitizer report
#   sweep  the suites that judge time again, at the instants that break naive date code
#          (tests/sweep.sh), against the release build
# Usage: tests/run_all.sh [clock|unit|api|api_pg|e2e|fuzz|sweep ...]   (default: all; api, e2e and fuzz side by
# side: the browser and API suites wait on the server most of the time, the fuzzers run at a lower
# priority in the CPU they leave)
# Environment, for running beside another copy: B (build dir, "build"), UI_OUT ("ui/dist"),
# ZHUCUN_API_PORT (18181), ZHUCUN_API_PG_PORT (18183), ZHUCUN_API_PG_WORKERS (2), ZHUCUN_PG_PORT (25431: the
# first port tried for a PostgreSQL server), ZHUCUN_E2E_PORT (18182), ZHUCUN_SWEEP_PORT (18190, and up),
# ZHUCUN_TESTS (a glob of test file names within each suite, "*": e.g. "obligations*"),
# ZHUCUN_SWEEP_INSTANTS (the sweep's instants, default those of tests/sweep.sh),
# ZHUCUN_JOBS (suites run at once; default the number of cores, at most 2),
# ZHUCUN_E2E_LATE (1) and ZHUCUN_SWEEP_LATE (2): servers of the browser suite, instants of the sweep, that
# start on a line of work another suite has left (lend_line),
# ZHUCUN_API_WORKERS, ZHUCUN_E2E_WORKERS (servers each of those suites runs its files on at once; default 1:
# with two of each and the sweep two at a time a saturated 2-core machine made browser tests time out —
# the 数据大屏's requests reset, an offline check-in not shown sent in 30 s —; worker k listens on the
# suite's port + 1000·k), ZHUCUN_SWEEP_JOBS (instants of the sweep at once after the api suite, 1),
# ZHUCUN_TIMES_DIR (a directory: each pool's seconds per file written there as SUITE.times, for budgeting).
set -uo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
UI_OUT=${UI_OUT:-ui/dist}
TESTS_GLOB=${ZHUCUN_TESTS:-*}
JOBS=${ZHUCUN_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$JOBS" -gt 2 ] && JOBS=2

# Every suite runs at one pinned instant — Wednesday 10 June 2026, 10:00 in Beijing: a working day in
# the middle of a year, its week free of holidays — so that no result depends on the real date. The
# server, `init --demo` and the tests all read ZHUCUN_NOW (tests/clock.mjs); the sweep runs the
# suites that judge time again at other instants.
export ZHUCUN_NOW=${ZHUCUN_NOW:-2026-06-10T10:00:00+08:00}
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ZHUCUN_RELEASE_BIN="$(realpath "$B")/zhucun"

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(clock unit api e2e fuzz api_pg sweep)
work=$(mktemp -d /tmp/zhucun-test.XXXXXX)
children=()
cleanup() {
  for p in "${children[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null; done
  # a PostgreSQL server a suite left running (the run was cut short)
  local d
  for d in "$work"/pg_dir.*; do
    [ -s "$d" ] && bash tests/pg_cluster.sh stop "$(cat "$d")/c" && rmdir "$(cat "$d")" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Each suite prints its report to stdout and its counts, "P F", to the file named by $COUNTS.
add_counts() { local p f; read -r p f < "$COUNTS"; echo "$((p + $1)) $((f + $2))" > "$COUNTS"; }

run_clock() {
  local check out rc
  for check in tests/check_clock.sh tests/check_seam.sh tests/check_sql_features.sh; do
    out=$(bash "$check"); rc=$?
    echo "$out"
    [ $rc -eq 0 ] && add_counts 1 0 || add_counts 0 1
  done
}

# A throw-away PostgreSQL server (tests/pg_cluster.sh) for the unit tests of the store's PostgreSQL half:
# its URL in ZHUCUN_TEST_PG, the server stopped and its directory removed when the suite ends. The port is
# the first free one from ZHUCUN_PG_PORT (25431): several runs on one machine each find their own.
start_test_pg() {
  local label=$1 port url
  PG_DIR=$(mktemp -d /tmp/zhucun-pg.XXXXXX) && chmod 711 "$PG_DIR" || return 1
  echo "$PG_DIR" > "$work/pg_dir.$label"
  for port in $(seq "${ZHUCUN_PG_PORT:-25431}" "$(( ${ZHUCUN_PG_PORT:-25431} + 40 ))"); do
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue  # taken
    if url=$(bash tests/pg_cluster.sh start "$PG_DIR/c" "$port" 2>&1); then export ZHUCUN_TEST_PG=$url; return 0; fi
    bash tests/pg_cluster.sh stop "$PG_DIR/c"
  done
  echo "$label: no PostgreSQL server could be started: $url"
  return 1
}

stop_test_pg() {
  local label=$1
  [ -n "${PG_DIR:-}" ] || return 0
  bash tests/pg_cluster.sh stop "$PG_DIR/c"
  rmdir "$PG_DIR" 2>/dev/null
  : > "$work/pg_dir.$label"
  unset ZHUCUN_TEST_PG PG_DIR
}

run_unit() {
  local bin out p f
  if ! ls $B/test/unit/test_* > /dev/null 2>&1; then echo "unit: no test binaries (make build-test)"; add_counts 0 1; return; fi
  start_test_pg unit  # without it the tests of the PostgreSQL half fail (never skipped)
  for bin in $B/test/unit/test_*; do
    [ -x "$bin" ] || continue
    out=$("$bin" 2>&1); local rc=$?
    p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # a crash or sanitizer report
    [ "$f" -ne 0 ] && echo "$out"
    echo "unit $(basename "$bin"): $p passed, $f failed"
    add_counts "$p" "$f"
  done
  stop_test_pg unit
}

# The demo database at the current ZHUCUN_NOW, made once per instant however many servers ask for it;
# prints its path. The release build makes it whichever build serves it (the demo is the same data): the
# sanitizer build's init --demo took 60–90 s of CPU on each run, and several times longer on a server, where
# each statement is a round trip; the demo's code runs under the sanitizers in tests/api/cli.test.mjs, at a
# small size. On PostgreSQL (ZHUCUN_TEST_PG set: the api_pg suite) it is a database of that server, its key
# a file.
# ZHUCUN_DEMO_CACHE: a directory where the templates outlive the run (a developer's loop; remove it when
# the demo's code changes).
demo_template() {
  local t
  # the backend in the name: the api and api_pg suites make their demos at the same instant
  t="${ZHUCUN_DEMO_CACHE:-$work}/demo-$(echo "$ZHUCUN_NOW $ZHUCUN_RELEASE_BIN ${ZHUCUN_TEST_PG:+postgresql}" | md5sum | cut -c1-12).db"
  ( flock 9
    [ -e "$t.ready" ] || {
      if [ -n "${ZHUCUN_TEST_PG:-}" ]; then
        psql -X -q "$ZHUCUN_TEST_PG" -c "CREATE DATABASE $(basename "$t" .db | tr - _)" > "$t.log" 2>&1 &&
          ZHUCUN_KEY_FILE="$t.key" "$ZHUCUN_RELEASE_BIN" init --demo --demo-known-passwords --db "$(pg_url "$(basename "$t" .db | tr - _)")" >> "$t.log" 2>&1
      else
        "$ZHUCUN_RELEASE_BIN" init --demo --demo-known-passwords --db "$t" > "$t.log" 2>&1
      fi && touch "$t.ready"; }
  ) 9> "$t.lock"
  [ -e "$t.ready" ] || { cat "$t.log" >&2; return 1; }
  echo "$t"
}

# The URL of database NAME on the suite's PostgreSQL server.
pg_url() { echo "${ZHUCUN_TEST_PG%/*}/$1"; }

# A fresh copy of the demo template for server NAME: a file (sqlite3's online backup) or, on PostgreSQL, a
# database made from the template database; sets ZHUCUN_DB (and ZHUCUN_KEY_FILE for a server's URL).
copy_demo() {
  local name=$1 template=$2 db
  if [ -n "${ZHUCUN_TEST_PG:-}" ]; then
    db=$(echo "$name" | tr -c 'a-z0-9_\n' _)
    psql -X -q "$ZHUCUN_TEST_PG" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE $(basename "$template" .db | tr - _)" \
      > /dev/null || return 1
    export ZHUCUN_DB=$(pg_url "$db") ZHUCUN_KEY_FILE="$work/$name.key"
    cp "$template.key" "$ZHUCUN_KEY_FILE"
  else
    export ZHUCUN_DB="$work/$name.db"
    # with a busy timeout: two servers' copies opening the template at once (its WAL recovered by the first)
    # made the other fail, "database is locked" (CI, 2026-12-07)
    sqlite3 -cmd ".timeout 60000" "$template" ".backup '$ZHUCUN_DB'" && cp "$template.key" "$ZHUCUN_DB.key"
  fi
}

# Starts BIN on a fresh copy of the demo database made at the current ZHUCUN_NOW; sets ZHUCUN_URL,
# ZHUCUN_DB, ZHUCUN_BIN and SERVER_PID. Waits for the health answer as long as a busy machine needs.
start_server() {
  local name=$1 port=$2 bin=$3 template
  export ZHUCUN_BIN="$bin" ZHUCUN_URL="http://127.0.0.1:$port"
  template=$(demo_template) || return 1
  copy_demo "$name" "$template" || { echo "$name: cannot copy $template"; return 1; }
  "$ZHUCUN_BIN" serve --db "$ZHUCUN_DB" --port "$port" --ui "$UI_OUT" > "$work/$name-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -sf "$ZHUCUN_URL/api/v1/health" > /dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name: server did not start:"; cat "$work/$name-server.log"; return 1
}

# Stops the server with SIGTERM; a clean exit (no leak, no sanitizer report) counts as a test.
stop_server() {
  local name=$1
  kill -TERM "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID"; local rc=$?
  if [ $rc -eq 0 ] && ! grep -q "Sanitizer" "$work/$name-server.log"; then
    echo "$name server: shut down cleanly on SIGTERM, no sanitizer report"; add_counts 1 0
  else
    echo "$name server: exit $rc"; grep -A30 "Sanitizer" "$work/$name-server.log" | head -60; add_counts 0 1
  fi
}

# Runs node's test runner on files under a time limit (ZHUCUN_FILE_LIMIT seconds, 600 unless set; the
# slowest file takes about a minute) and prints its TAP. Once, on a loaded machine, node's child finished a
# file's tests and then never exited (a V8 worker thread's join, in node's own exit); the parent prints its
# summary only after the child exits, so without a limit that run would have held CI to its own limit. A run
# the limit kills is said and run once more; a second kill is a failure. A test that fails is never rerun.
node_tap() {
  local limit=${ZHUCUN_FILE_LIMIT:-600} out rc attempt
  for attempt in 1 2; do
    out=$(timeout --kill-after=10 "$limit" node --test --test-concurrency=1 --test-reporter=tap "$@" 2>&1); rc=$?
    [ $rc -ne 124 ] && [ $rc -ne 137 ] && break
    echo "# killed after ${limit} s (attempt $attempt): $*" >&2
    out="$out
not ok - killed after ${limit} s (ZHUCUN_FILE_LIMIT): $*"
  done
  printf '%s\n' "$out"
  return $rc
}

# name, test dir, port, binary, test files (globs)
run_node_suite() {
  local name=$1 dir=$2 port=$3 bin=$4; shift 4
  if ! start_server "$name" "$port" "$bin"; then add_counts 0 1; return; fi
  local files=() g
  for g in "$@"; do files+=("$dir"/$g.test.mjs); done
  local out
  out=$(node_tap "${files[@]}"); local rc=$?
  local p f
  p=$(echo "$out" | sed -n 's/^# pass \([0-9]*\)/\1/p' | tail -1); f=$(echo "$out" | sed -n 's/^# fail \([0-9]*\)/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$f" -ne 0 ] && echo "$out" | grep -A25 "^ *not ok" | head -300
  [ "$f" -ne 0 ] && echo "$out" | grep "^# openapi: " | head -100  # answers docs/openapi.json does not describe
  echo "$name: $p passed, $f failed"
  add_counts "$p" "$f"
  stop_server "$name"
}

# One file of a pool on the worker's server: its TAP counted, its failures shown.
run_node_file() {
  local name=$1 file=$2 out rc p f
  out=$(node_tap "$file"); rc=$?
  p=$(echo "$out" | sed -n 's/^# pass \([0-9]*\)/\1/p' | tail -1); f=$(echo "$out" | sed -n 's/^# fail \([0-9]*\)/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ]; then
    echo "$name $(basename "$file"): $p passed, $f failed"
    echo "$out" | grep -A25 "^ *not ok" | head -300
    echo "$out" | grep "^# openapi: " | head -100  # answers docs/openapi.json does not describe
  fi
  add_counts "$p" "$f"
}

# The next file of a pool's queue (one line each), taken under a lock: false when none is left.
next_file() {
  local queue=$1
  ( flock 9; f=$(head -n 1 "$queue"); [ -n "$f" ] || exit 1; sed -i 1d "$queue"; echo "$f" ) 9> "$queue.lock"
}

# Lines of work that have ended lend themselves to the suites still running (tests/run_all.sh runs three
# side by side: the API suite then the sweep, the browser suite, the fuzzers then the API suite on
# PostgreSQL). A line that ends leaves a token in $work/free; a late worker of a pool (the browser suite's
# second server, the sweep's further instants) waits for one, takes it (mv: one taker) and gives it back
# when its queue is empty, so at most three suites' servers run at once and the last suites to end are
# shared by the lines that are idle — the browser suite alone took ~2,000 s of one line while the
# fuzzers' line had been idle since ~750 s.
lend_line() { mkdir -p "$work/free" && touch "$work/free/$1"; }

# Waits for a free line while QUEUE still has work; prints the token taken (to give back), or fails (the
# queue emptied first). When every one of the pool's FIRST workers has ended (listed in ENDED) with work
# left — one could not start its server, or the suite runs alone and no line will be lent — it goes on
# without a token (prints nothing), so that no file is left undone and nobody waits forever.
take_line() {
  local queue=$1 ended=$2 first=$3 tok
  while [ -s "$queue" ]; do
    [ "$(cat "$ended" 2>/dev/null | wc -l)" -ge "$first" ] && return 0
    for tok in "$work"/free/*; do
      [[ -e $tok && $tok != *.taken.* ]] || continue
      mv "$tok" "$tok.taken.$BASHPID" 2>/dev/null && { echo "$tok.taken.$BASHPID"; return 0; }
    done
    sleep 2
  done
  return 1
}

give_line() { mv "$1" "${1%.taken.*}"; }

# Worker k of a pool: its own demo database and server, files from the queue until it is empty.
pool_worker() {
  local name=$1 k=$2 port=$3 bin=$4 late=$5 first=$6 file t0 tok=
  export COUNTS="$work/$name-w$k.counts"
  echo "0 0" > "$COUNTS"
  if [ "$late" = late ]; then
    tok=$(take_line "$work/$name.queue" "$work/$name.ended" "$first") || return 0  # the queue emptied first
    if [ -n "$tok" ]; then echo "$name: server $k joined on the line the $(basename "${tok%.taken.*}") suites left"
    else echo "$name: server $k takes the files left over (the first servers have ended)"; fi
  fi
  if ! start_server "$name-$k" "$port" "$bin"; then
    add_counts 0 1
    if [ -n "$tok" ]; then give_line "$tok"; else echo "$k" >> "$work/$name.ended"; fi
    return
  fi
  while file=$(next_file "$work/$name.queue"); do
    t0=$(date +%s)  # clock-ok: how long each file took, printed for the CI budget, never judged
    run_node_file "$name" "$file"
    echo "$(( $(date +%s) - t0 )) $(basename "$file")" >> "$work/$name.times"  # clock-ok: a duration
  done
  stop_server "$name-$k"
  if [ -n "$tok" ]; then give_line "$tok"; elif [ "$late" != late ]; then echo "$k" >> "$work/$name.ended"; fi
  return 0
}

# The files of a suite shared by `workers` servers side by side (the browser and API suites wait on
# their server and the browser most of the time, so two of each keep two cores busy). The queue keeps
# the files' order (by name), so each server sees its files in the order a single server did: a file
# that expects a record some later file makes (e.g. no evaluation round yet) still finds none.
run_pool() {
  local name=$1 dir=$2 port=$3 bin=$4 workers=$5 glob=$6 late=${7:-0} files=() f k pids=() p c
  for f in "$dir"/$glob.test.mjs; do [ -e "$f" ] && files+=("$f"); done
  if [ ${#files[@]} -eq 0 ]; then echo "$name: no test file matches $glob"; add_counts 0 1; return; fi
  printf '%s\n' "${files[@]}" > "$work/$name.queue"
  : > "$work/$name.times"
  [ "$workers" -gt ${#files[@]} ] && workers=${#files[@]}
  [ "$workers" -lt 1 ] && workers=1
  for ((k = 0; k < workers + late; k++)); do
    ( pool_worker "$name" "$k" "$((port + 1000 * k))" "$bin" "$([ "$k" -ge "$workers" ] && echo late)" "$workers" ) \
      > "$work/$name-w$k.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  workers=$((workers + late))
  for ((k = 0; k < workers; k++)); do
    cat "$work/$name-w$k.out"
    read -r p c < "$work/$name-w$k.counts"; add_counts "$p" "$c"
  done
  read -r p c < "$COUNTS"
  [ -n "${ZHUCUN_TIMES_DIR:-}" ] && sort -rn "$work/$name.times" > "$ZHUCUN_TIMES_DIR/$name.times"
  # the servers that ran: a late worker that found the queue empty said nothing
  workers=$(for ((k = 0; k < workers; k++)); do [ -s "$work/$name-w$k.out" ] && echo; done | wc -l)
  echo "$name: $p passed, $c failed ($workers servers; the slowest files, s: $(sort -rn "$work/$name.times" | head -8 | awk '{ printf "%s %s  ", $2, $1 }'))"
}

run_api() { run_pool api tests/api "${ZHUCUN_API_PORT:-18181}" "$(realpath "$B")/test/zhucun" "${ZHUCUN_API_WORKERS:-1}" "$TESTS_GLOB"; }

# The API suite on PostgreSQL (issue 16), against the sanitizer build on a throw-away server, two servers side
# by side: its files wait on timers and on the server far more than they use a core (the whole suite on SQLite:
# 487 s, 175 cpu-s on a quiet machine, 2026-12-07), and on a server the files that copy the database (copyDb: a
# dump and restore) wait longer still.
# A server already running (ZHUCUN_TEST_PG set, e.g. by a developer's tests/pg_cluster.sh start) is used as it
# is and left running.
run_api_pg() {
  local own=1
  if [ -n "${ZHUCUN_TEST_PG:-}" ]; then own=0; else start_test_pg api_pg || { add_counts 0 1; return; }; fi
  run_pool api_pg tests/api "${ZHUCUN_API_PG_PORT:-18183}" "$(realpath "$B")/test/zhucun" "${ZHUCUN_API_PG_WORKERS:-2}" \
    "$TESTS_GLOB"
  [ $own -eq 1 ] && stop_test_pg api_pg
}

run_e2e() {
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "e2e: Node.js 20 or newer is needed for playwright-core; found $(node --version)"; add_counts 0 1; return
  fi
  run_pool e2e tests/e2e "${ZHUCUN_E2E_PORT:-18182}" "$(realpath "$B")/test/zhucun" "${ZHUCUN_E2E_WORKERS:-1}" "$TESTS_GLOB" \
    "${ZHUCUN_E2E_LATE:-1}"
}

# The fuzzers, one after another, niced so that the servers of the api and e2e suites come first.
run_fuzz() {
  local out; out=$(nice -n 10 bash tests/fuzz/run.sh "$work/fuzz")
  echo "$out" | sed '$d'
  local p f; read -r p f <<< "$(echo "$out" | tail -1)"
  add_counts "${p:-0}" "${f:-1}"
}

# The sweep: each instant of tests/sweep.sh gets its own demo, made at that instant, and its own
# server; JOBS instants at a time, and more on the lines other suites have left (lend_line).
run_sweep() {
  local base=${ZHUCUN_SWEEP_PORT:-18190} n=0 k pids=() instant
  local files; read -r -a files <<< "$(bash tests/sweep.sh files)"
  [ "$TESTS_GLOB" != "*" ] && files=("$TESTS_GLOB")
  : > "$work/sweep.queue"
  for instant in ${ZHUCUN_SWEEP_INSTANTS:-$(bash tests/sweep.sh instants)}; do
    echo "$n $instant" >> "$work/sweep.queue"
    n=$((n + 1))
  done
  # JOBS instants at once from the start, and up to ZHUCUN_SWEEP_LATE (2) more on lines that other suites left
  for ((k = 0; k < JOBS + ${ZHUCUN_SWEEP_LATE:-2}; k++)); do
    sweep_worker "$base" "$([ "$k" -ge "$JOBS" ] && echo late)" "$JOBS" "${files[@]}" &
    pids+=($!)
  done
  wait "${pids[@]}"
  for ((k = 0; k < n; k++)); do
    cat "$work/sweep-$k.out"
    local p f; read -r p f < "$work/sweep-$k.counts"; add_counts "$p" "$f"
  done
}

# Instants of the sweep's queue ("index instant"), each with its own demo and server, until it is empty.
sweep_worker() {
  local base=$1 late=$2 first=$3 tok= line i instant; shift 3
  if [ "$late" = late ]; then
    tok=$(take_line "$work/sweep.queue" "$work/sweep.ended" "$first") || return 0
  fi
  while line=$(next_file "$work/sweep.queue"); do
    read -r i instant <<< "$line"
    (
      export ZHUCUN_NOW=$instant COUNTS="$work/sweep-$i.counts"
      echo "0 0" > "$COUNTS"
      [ -n "$tok" ] && echo "sweep $instant: on the line the $(basename "${tok%.taken.*}") suites left"
      run_node_suite "sweep $instant" tests/api "$((base + i))" "$(realpath "$B")/zhucun" "$@"
    ) > "$work/sweep-$i.out" 2>&1
  done
  if [ -n "$tok" ]; then give_line "$tok"; elif [ "$late" != late ]; then echo first >> "$work/sweep.ended"; fi
  return 0
}

# Runs one suite into its own report and counts files.
run_suite() {
  local s=$1
  export COUNTS="$work/$s.counts"
  echo "0 0" > "$COUNTS"
  local t0; t0=$(date +%s)  # clock-ok: how long each suite took, printed for the CI budget, never judged
  case $s in
    clock) run_clock ;; unit) run_unit ;; api) run_api ;; api_pg) run_api_pg ;; e2e) run_e2e ;; fuzz) run_fuzz ;;
    sweep) run_sweep ;;
    *) echo "unknown suite $s"; add_counts 0 1 ;;
  esac
  echo "suite $s took $(( $(date +%s) - t0 )) s"  # clock-ok: a duration
}

# api, e2e and fuzz are independent (own ports, own databases, own build): side by side when there
# are two cores. Everything else runs in order.
started=$(date +%s)  # clock-ok: how long the suites took, printed for the README, never judged
declare -A parallel=()
if [ "$JOBS" -ge 2 ]; then
  n=0
  for s in api e2e fuzz; do [[ " ${suites[*]} " == *" $s "* ]] && n=$((n + 1)); done
  if [ "$n" -ge 2 ]; then
    for s in api e2e fuzz; do [[ " ${suites[*]} " == *" $s "* ]] && parallel[$s]=1; done
  fi
fi
# The sweep re-runs API files: it follows the api suite in the same line of work, beside the browser
# suite (the longest), instead of waiting for everything before it. The API files on PostgreSQL follow
# the fuzzers (the shortest line) the same way.
if [ -n "${parallel[api]:-}" ] && [[ " ${suites[*]} " == *" sweep "* ]]; then parallel[sweep]=after_api; fi
if [ -n "${parallel[fuzz]:-}" ] && [[ " ${suites[*]} " == *" api_pg "* ]]; then parallel[api_pg]=after_fuzz; fi
for s in "${suites[@]}"; do
  if [ "${parallel[$s]:-}" = after_api ] || [ "${parallel[$s]:-}" = after_fuzz ]; then continue; fi
  if [ -n "${parallel[$s]:-}" ]; then
    if [ "$s" = api ] && [ "${parallel[sweep]:-}" = after_api ]; then
      ( run_suite api > "$work/api.out" 2>&1; JOBS=${ZHUCUN_SWEEP_JOBS:-1} run_suite sweep > "$work/sweep.out" 2>&1
        lend_line api ) &
    elif [ "$s" = fuzz ] && [ "${parallel[api_pg]:-}" = after_fuzz ]; then
      ( run_suite fuzz > "$work/fuzz.out" 2>&1; run_suite api_pg > "$work/api_pg.out" 2>&1; lend_line fuzz ) &
    else
      ( run_suite "$s" > "$work/$s.out" 2>&1; lend_line "$s" ) &
    fi
    children+=($!)
    continue
  fi
  [ ${#children[@]} -gt 0 ] && wait "${children[@]}"  # the next suite gets the cores to itself
  children=()
  run_suite "$s" 2>&1 | tee "$work/$s.out"
done
[ ${#children[@]} -gt 0 ] && wait "${children[@]}"
passed=0
failed=0
for s in "${suites[@]}"; do
  [ -n "${parallel[$s]:-}" ] && cat "$work/$s.out"
  read -r p f < "$work/$s.counts"
  passed=$((passed + p)); failed=$((failed + f))
done
echo "suites took $(( $(date +%s) - started )) s"  # clock-ok: a duration
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
