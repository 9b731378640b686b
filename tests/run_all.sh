#!/usr/bin/env bash
# Runs every suite — unit (cmocka), api (black-box over HTTP against the sanitizer build of the
# server), e2e (a real browser) — and ends with one line that counts them all together:
# "N passed, N failed". Usage: tests/run_all.sh [unit|api|e2e ...]
# Environment, for running beside another copy: B (build dir, "build"), UI_OUT ("ui/dist"),
# ZHUCUN_API_PORT (18181), ZHUCUN_E2E_PORT (18182), ZHUCUN_TESTS (a glob of test file names
# within each suite, "*": e.g. "obligations*" runs only those files).
set -uo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
UI_OUT=${UI_OUT:-ui/dist}
TESTS_GLOB=${ZHUCUN_TESTS:-*}

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit api e2e)
passed=0
failed=0
work=$(mktemp -d /tmp/zhucun-test.XXXXXX)
server_pid=""
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

count() { passed=$((passed + $1)); failed=$((failed + $2)); }

run_unit() {
  local bin out p f
  if ! ls $B/test/unit/test_* > /dev/null 2>&1; then echo "unit: no test binaries (make build-test)"; count 0 1; return; fi
  for bin in $B/test/unit/test_*; do
    [ -x "$bin" ] || continue
    out=$("$bin" 2>&1); local rc=$?
    p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # a crash or sanitizer report
    [ "$f" -ne 0 ] && echo "$out"
    echo "unit $(basename "$bin"): $p passed, $f failed"
    count "$p" "$f"
  done
}

# Starts the sanitizer build on a fresh demo database; sets ZHUCUN_URL, ZHUCUN_DB, ZHUCUN_BIN.
start_server() {
  local name=$1 port=$2
  export ZHUCUN_DB="$work/$name.db" ZHUCUN_BIN="$(realpath "$B")/test/zhucun" ZHUCUN_URL="http://127.0.0.1:$port"
  "$ZHUCUN_BIN" init --demo --db "$ZHUCUN_DB" > "$work/$name-init.log" 2>&1 || { cat "$work/$name-init.log"; return 1; }
  "$ZHUCUN_BIN" serve --db "$ZHUCUN_DB" --port "$port" --ui "$UI_OUT" > "$work/$name-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "$ZHUCUN_URL/api/v1/health" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start:"; cat "$work/$name-server.log"; return 1
}

# Stops the server with SIGTERM; a clean exit (no leak, no sanitizer report) counts as a test.
stop_server() {
  local name=$1
  [ -n "$server_pid" ] || return
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"; local rc=$?
  server_pid=""
  if [ $rc -eq 0 ] && ! grep -q "Sanitizer" "$work/$name-server.log"; then
    echo "$name server: shut down cleanly on SIGTERM, no sanitizer report"; count 1 0
  else
    echo "$name server: exit $rc"; grep -A30 "Sanitizer" "$work/$name-server.log" | head -60; count 0 1
  fi
}

run_node_suite() {
  local name=$1 dir=$2 port=$3
  if ! start_server "$name" "$port"; then count 0 1; return; fi
  local out
  out=$(node --test --test-concurrency=1 --test-reporter=tap "$dir"/$TESTS_GLOB.test.mjs 2>&1); local rc=$?
  local p f
  p=$(echo "$out" | sed -n 's/^# pass \([0-9]*\)/\1/p' | tail -1); f=$(echo "$out" | sed -n 's/^# fail \([0-9]*\)/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$f" -ne 0 ] && echo "$out" | grep -A25 "^ *not ok" | head -300
  echo "$name: $p passed, $f failed"
  count "$p" "$f"
  stop_server "$name"
}

cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for s in "${suites[@]}"; do
  case $s in
    unit) run_unit ;;
    api) run_node_suite api tests/api "${ZHUCUN_API_PORT:-18181}" ;;
    e2e)
      if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
        echo "e2e: Node.js 20 or newer is needed for playwright-core; found $(node --version)"; count 0 1
      else
        run_node_suite e2e tests/e2e "${ZHUCUN_E2E_PORT:-18182}"
      fi ;;
    *) echo "unknown suite $s"; count 0 1 ;;
  esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
