#!/usr/bin/env bash
# The fuzz suite: builds every libFuzzer harness of tests/fuzz with clang (-fsanitize=fuzzer,address,
# undefined, every UBSan check fatal) and runs each for ZHUCUN_FUZZ_SECONDS (60) from its seed corpus
# (tests/fuzz/corpus/NAME, plus the unit tests' workbooks for the xlsx reader), so a reproducer
# committed there (e.g. the review's F-L7 workbook) is replayed on every run. A crash, a leak, a
# sanitizer report or a failed check of the harness fails it. Prints one line per harness:
#   fuzz NAME: ok, N runs in S s (E exec/s), C edges        or        fuzz NAME: FAILED …
# and, on its last line, "P F" (passed, failed) for tests/run_all.sh.
# Usage: tests/fuzz/run.sh OUT_DIR [NAME ...]
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: tests/fuzz/run.sh OUT_DIR [NAME ...]}; shift
mkdir -p "$out"
seconds=${ZHUCUN_FUZZ_SECONDS:-60}
CLANG=${CLANG:-$(command -v clang-14 || command -v clang)}
FLAGS="-std=c17 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
FLAGS="$FLAGS $(pkg-config --cflags jansson 2>/dev/null)"

# name: the sources each harness needs beside its own file, then its libraries
declare -A SRC=(
  [csv]="src/util/csv.c"
  [xlsx_read]="src/util/xlsx_read.c"
  [json_body]="src/http/json_in.c src/http/request.c src/util/log.c src/util/strbuf.c src/core/date.c src/core/idcard.c"
  [route_match]="src/http/route_match.c"
  [instant]="src/core/clock.c src/core/date.c"
  [sheet]="src/util/csv.c src/core/household_sheet.c src/core/sheet.c src/core/date.c src/core/idcard.c"
)
declare -A LIBS=(
  [csv]="" [xlsx_read]="-lz -lm" [json_body]="-ljansson -lmicrohttpd" [route_match]=""
  [instant]="-lm" [sheet]="-ljansson -lm"
)
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(csv xlsx_read json_body route_match instant sheet)
passed=0; failed=0
if [ -z "$CLANG" ]; then echo "fuzz: clang not found (scripts/setup.sh installs clang-14)"; echo "0 1"; exit 1; fi
for name in "${names[@]}"; do
  bin="$out/fuzz_$name"
  if ! $CLANG $FLAGS -o "$bin" "tests/fuzz/fuzz_$name.c" ${SRC[$name]} ${LIBS[$name]} > "$out/$name.build.log" 2>&1; then
    echo "fuzz $name: FAILED to build"; cat "$out/$name.build.log" | head -30; failed=$((failed + 1)); continue
  fi
  corpus="$out/corpus_$name"; mkdir -p "$corpus"
  seeds=()
  [ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
  [ "$name" = xlsx_read ] && seeds+=(tests/unit/data)
  # the seeds first, on their own: a committed reproducer must pass before any search starts
  log="$out/$name.log"
  if [ ${#seeds[@]} -gt 0 ] && ! UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$bin" -runs=0 -rss_limit_mb=1024 -artifact_prefix="$out/crash_${name}_" "${seeds[@]}" > "$log.seeds" 2>&1; then
    echo "fuzz $name: FAILED on a committed seed"; grep -m1 -A25 -E "ERROR|runtime error|==[0-9]+==" "$log.seeds" | head -40
    failed=$((failed + 1)); continue
  fi
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$bin" -max_total_time="$seconds" -rss_limit_mb=1024 \
    -max_len=65536 -timeout=20 -artifact_prefix="$out/crash_${name}_" -print_final_stats=1 \
    "$corpus" "${seeds[@]}" > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  if [ $rc -eq 0 ] && ! grep -qE "runtime error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)" "$log"; then
    echo "fuzz $name: ok, ${runs:-?} runs in ${seconds} s (${speed:-?} exec/s), ${edges:-?} edges"
    passed=$((passed + 1))
  else
    echo "fuzz $name: FAILED (exit $rc)"; grep -m1 -B2 -A30 -E "runtime error|ERROR:|deadly signal" "$log" | head -50
    ls "$out"/crash_"${name}"_* 2>/dev/null
    failed=$((failed + 1))
  fi
done
echo "$passed $failed"
[ "$failed" -eq 0 ]
