#!/usr/bin/env bash
# The store seam (issue 16): the database is reached only through src/store. Outside src/store, no
# file of src/ may
#   - name SQLite: `sqlite3` (the header, its types, its calls) or an SQLITE_ code;
#   - include a store-internal header: a header of src/store whose design comment says
#     "Store-internal:" (db_sqlite.h, list_sql.h, scope_sql.h, delivery_sealed.h, rows.h, vw_sql.h …);
#   - hold SQL in a string literal: "SELECT ", "INSERT INTO", "UPDATE <table> SET", "DELETE FROM"
#     inside double quotes (a conservative pattern: it catches a query written in a handler, not every
#     possible one).
# And a public store header (one without that mark) may not name SQLite either, so that the split of
# each header into its public and its internal half holds.
# Inside src/store, a ratchet on the move to the one query layer (store/query): the calls of SQLite's
# API (`sqlite3_…(`) outside the files that speak it by design (db.c, query.c, rows.c and backup.c,
# SQLite's online backup) may not exceed the figure in tests/seam_sqlite_calls.txt, and a file
# listed in tests/seam_query_files.txt (converted) may not name SQLite again. The unit tests of the store (tests/unit) may
# reach inside it; they are not checked.
# Usage: tests/check_seam.sh [ROOT]   (ROOT: the tree to check, default the repository)
# Prints each offending line and "seam: N passed, M failed" (one check); exits 1 on a finding.
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

internal=$(grep -l 'Store-internal:' src/store/*.h 2>/dev/null | sed 's|^src/||' | sort)
public=$(comm -23 <(ls src/store/*.h | sort) <(grep -l 'Store-internal:' src/store/*.h | sort))
outside() { grep -rnE "$@" --include='*.c' --include='*.h' src | grep -v '^src/store/'; }

# The store's ratchet (see above); prints its findings.
ratchet() {
  local figure files calls f
  figure=$(grep -v '^#' tests/seam_sqlite_calls.txt 2>/dev/null | tr -d '[:space:]')
  files=$(ls src/store/*.c | grep -vE '^src/store/(db|query|rows|backup)\.c$')
  calls=$(cat $files | grep -oE 'sqlite3_[a-z0-9_]+\(' | wc -l)
  if ! [[ "$figure" =~ ^[0-9]+$ ]]; then
    echo "[store ratchet] tests/seam_sqlite_calls.txt holds no figure"
  elif [ "$calls" -gt "$figure" ]; then
    echo "[store ratchet] $calls calls of sqlite3_ in src/store outside the query layer, more than the $figure recorded in tests/seam_sqlite_calls.txt: run the new SQL through store/query"
  fi
  # one grep over every converted file that exists (a grep a file was most of this script's time)
  local converted=()
  for f in $(grep -v '^#' tests/seam_query_files.txt 2>/dev/null); do [ -f "$f" ] && converted+=("$f"); done
  ((${#converted[@]})) &&
    grep -nHE 'sqlite3|SQLITE_[A-Z]|db_sqlite\.h' "${converted[@]}" | sed 's/^/[converted to store\/query, names SQLite again] /'
}

findings=$(
  {
    outside -i 'sqlite3|SQLITE_[A-Z]' | sed 's/^/[sqlite outside the store] /'
    headers=$(for h in $internal; do printf '%s|' "${h//./\\.}"; done)
    [ -n "$headers" ] && outside "#[[:space:]]*include[[:space:]]*\"(${headers%|})\"" | sed 's/^/[store-internal header] /'
    outside '"[^"]*(SELECT |INSERT INTO|UPDATE [A-Za-z_]+ SET|DELETE FROM)' | sed 's/^/[SQL outside the store] /'
    [ -n "$public" ] && grep -nHiE 'sqlite3|SQLITE_[A-Z]' $public | sed 's/^/[sqlite in a public store header] /'
    ratchet
  }
)
if [ -z "$internal" ]; then
  findings="${findings}${findings:+$'\n'}[no store-internal header found: the mark \"Store-internal:\" is missing]"
fi
if [ -n "$findings" ]; then
  echo "seam: the database reached outside src/store (docs/DESIGN.md, \"The store seam\"):"
  echo "$findings" | sed 's/^/  /'
  echo "seam: 0 passed, 1 failed"
  exit 1
fi
echo "seam: 1 passed, 0 failed"
