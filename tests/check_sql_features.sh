#!/usr/bin/env bash
# The SQL inventory cannot go blind (issue 16, part 2 on paper): scripts/sql_features.sh counts the
# SQLite-specific SQL of the store and its schema, and docs/OPERATIONS.md ("选择数据库") is built on its
# table. This check, run by the `clock` suite, fails when
#   - the inventory does not run, or finds none of a feature the migrations are known to use (the
#     migrations are never edited, so these stay: triggers with inline bodies, RAISE, WITHOUT ROWID,
#     INTEGER PRIMARY KEY, partial and expression indexes, views, COLLATE NOCASE, upserts, IIF, window
#     functions, printf, hex/zeroblob, two-argument min/max, truth values summed, BLOB, the `user`
#     table) or the dialect's own ('unixepoch' in dialect.h, sqlite3_* in db.c);
#   - in a copy of src/store with one planted C file and one planted migration, any feature's count
#     does not go up by exactly what was planted (one use each, in a string literal or in SQL), or the
#     planted file is not named among its files;
#   - the same features written in C comments or `--` comments are counted (the SQL is read from
#     string literals and schema text only).
# Usage: tests/check_sql_features.sh [ROOT]   (ROOT: the tree whose scripts/sql_features.sh is checked)
# Prints each finding and "sql_features: N passed, M failed" (one check); exits 1 on a finding.
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
inventory="$root/scripts/sql_features.sh"
work=$(mktemp -d /tmp/zhucun-sqlfeat.XXXXXX)
trap 'rm -rf "$work"' EXIT
findings=()

# id, then the count the live tree must at least have
known="trigger triggerbody triggerwhen raise newold withoutrowid intpk partialindex exprindex view nocase
upsert excluded iif window printf blobfn minmax2 boolsum intdiv concat blobtype intcol usertable unixepoch sqliteapi"

# id <TAB> a line of C that uses the feature once (inside a string literal unless the feature is C code)
plants_c=$(cat <<'EOF'
unixepoch	static const char *p1 = "SELECT date(x, 'unixepoch');";
datefn	static const char *p2 = "SELECT strftime('%Y', d) FROM t;";
datemod	static const char *p3 = "SELECT d FROM t WHERE d < ('+3 months');";
datemodexpr	static const char *p4 = "SELECT '-' || n || ' days' FROM t;";
julianday	static const char *p5 = "SELECT julianday(d) FROM t;";
dialect	static const char *p6 = "SELECT " SQL_CST_DATE("d") " FROM t;";
jsonextract	static const char *p7 = "SELECT json_extract(c, '$.a') FROM t;";
jsoneach	static const char *p8 = "SELECT value FROM json_each(?1);";
jsongroup	static const char *p9 = "SELECT json_group_object(k, v) FROM t;";
jsonbuild	static const char *p10 = "SELECT json_array(1, 2);";
jsonedit	static const char *p11 = "UPDATE t SET c = json_remove(c, '$.a');";
jsonother	static const char *p12 = "SELECT id FROM t WHERE json_valid(c);";
orignore	static const char *p13 = "INSERT OR IGNORE INTO t (a) VALUES (1);";
orreplace	static const char *p14 = "REPLACE INTO t (a) VALUES (1);";
upsert	static const char *p15 = "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO NOTHING;";
excluded	static const char *p16 = "UPDATE SET b = excluded.b;";
returning	static const char *p17 = "DELETE FROM t RETURNING id;";
indexedby	static const char *p18 = "SELECT a FROM t NOT INDEXED;";
pragma	static const char *p19 = "PRAGMA optimize;";
intpk	static const char *p20 = "CREATE TEMP TABLE q (id INTEGER PRIMARY KEY);";
autoincrement	static const char *p21 = "CREATE TEMP TABLE r (id INTEGER, n AUTOINCREMENT);";
lastrowid	static int p22(sqlite3 *h) { return (int)sqlite3_last_insert_rowid(h); }
withoutrowid	static const char *p23 = "CREATE TEMP TABLE s (a TEXT, b TEXT) WITHOUT ROWID;";
partialindex	static const char *p24 = "CREATE INDEX p24 ON t (a) WHERE b = 1;";
exprindex	static const char *p25 = "CREATE INDEX p25 ON t (lower(a));";
trigger	static const char *p26 = "CREATE TRIGGER p26 AFTER INSERT ON t BEGIN DELETE FROM u; END;";
raise	static const char *p27 = "SELECT RAISE(IGNORE);";
newold	static const char *p28 = "SELECT NEW.a;";
view	static const char *p29 = "CREATE VIEW p29 AS SELECT 1;";
nocase	static const char *p30 = "SELECT a FROM t ORDER BY a COLLATE NOCASE;";
like	static const char *p31 = "SELECT a FROM t WHERE a LIKE 'x%';";
glob	static const char *p32 = "SELECT a FROM t WHERE a GLOB 'x*';";
concat	static const char *p33 = "SELECT a || b FROM t;";
intdiv	static const char *p34 = "SELECT a / b FROM t;";
iif	static const char *p35 = "SELECT iif(a, 1, 2) FROM t;";
window	static const char *p36 = "SELECT rank() OVER (ORDER BY a) FROM t;";
minmax2	static const char *p37 = "SELECT min(a, b) FROM t;";
boolsum	static const char *p38 = "SELECT sum(a = 1) FROM t;";
groupconcat	static const char *p39 = "SELECT group_concat(a) FROM t;";
printf	static const char *p40 = "SELECT printf('%d', a) FROM t;";
instr	static const char *p41 = "SELECT instr(a, 'x') FROM t;";
blobfn	static const char *p42 = "SELECT randomblob(16);";
ifnull	static const char *p43 = "SELECT ifnull(a, 0) FROM t;";
total	static const char *p44 = "SELECT total(a) FROM t;";
isvalue	static const char *p45 = "SELECT a FROM t WHERE a IS ?1;";
changes	static const char *p46 = "SELECT changes();";
beginmode	static const char *p47 = "BEGIN EXCLUSIVE;";
limitneg	static const char *p48 = "SELECT a FROM t LIMIT -1;";
numparam	static const char *p49 = "SELECT a FROM t WHERE a = ?7;";
namedparam	static const char *p50 = "SELECT a FROM t WHERE a = :p50;";
blobtype	static const char *p51 = "CREATE TEMP TABLE w (a BLOB);";
intcol	static const char *p55 = "SELECT CAST(a AS INTEGER) FROM t;";
usertable	static const char *p52 = "SELECT a FROM user;";
sqliteapi	static int p53(sqlite3_stmt *st) { return sqlite3_data_count(st); }
backupapi	static int p54(void *b) { return b ? 0 : sqlite3_backup_remaining(b); }
EOF
)
# What the C lines above bring along beyond their own feature, one by one: p22 and p53 name SQLite's
# types, p22 and p54 call sqlite3_*, p1 calls date(), p26's trigger has an inline body, p4 concatenates
# twice, p8 and p45 bind ?1, p20 and p21 declare an INTEGER column. id <TAB> extra uses.
extras_c=$'sqlitetype\t2\ndatefn\t1\ntriggerbody\t1\nsqliteapi\t2\nconcat\t2\nnumparam\t2\nintcol\t2'
# One migration line per feature that only a schema shows in full: a trigger with a WHEN, RAISE and OLD.
plant_sql="CREATE TRIGGER plant_t BEFORE DELETE ON plant WHEN OLD.a = 1 BEGIN SELECT RAISE(ABORT, 'no'); END;"
sql_ids="trigger triggerbody triggerwhen raise newold"
# In comments only: never counted.
commented=$'/* INSERT OR IGNORE INTO t ON CONFLICT (a) DO UPDATE json_each( */\n// "PRAGMA foo" iif( GLOB x'
commented_sql="-- CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT RAISE(ABORT, 'x'); END; GLOB x"

tsv_of() { bash "$inventory" --tsv "$1" 2>&1; }
count_of() { awk -F'\t' -v id="$2" '$1 == id { print $2; found = 1 } END { if (!found) print "missing" }' <<< "$1"; }
files_of() { awk -F'\t' -v id="$2" '$1 == id { print $3 }' <<< "$1"; }

before=$(tsv_of "$root")
if [ -z "$before" ] || ! grep -q $'^trigger\t' <<< "$before"; then
  findings+=("the inventory did not run on $root: $before")
else
  for id in $known; do
    n=$(count_of "$before" "$id")
    if [ "$n" = missing ] || [ "$n" -le 0 ]; then findings+=("[blind] $id: $n in the tree, which is known to use it"); fi
  done
  grep -q '^unixepoch	[0-9]*	.*dialect\.h' <<< "$before" || findings+=("[blind] 'unixepoch' not found in dialect.h")
  grep -q '^sqliteapi	[0-9]*	.*db\.c' <<< "$before" || findings+=("[blind] sqlite3_* not found in db.c")

  # the planted copy
  mkdir -p "$work/tree/src" "$work/tree/scripts"
  cp -r "$root/src/store" "$work/tree/src/store"
  cp "$inventory" "$work/tree/scripts/"
  plant="$work/tree/src/store/zz_plant.c"
  { echo '#include "store/dialect.h"'; cut -f2- <<< "$plants_c"; echo "$commented"; } > "$plant"
  printf '%s\n%s\n' "$plant_sql" "$commented_sql" > "$work/tree/src/store/schema/999_plant.sql"
  after=$(tsv_of "$work/tree")
  declare -A want=()
  while IFS=$'\t' read -r id _; do want[$id]=$(( ${want[$id]:-0} + 1 )); done <<< "$plants_c"
  while IFS=$'\t' read -r id n; do want[$id]=$(( ${want[$id]:-0} + n )); done <<< "$extras_c"
  for id in $sql_ids; do want[$id]=$(( ${want[$id]:-0} + 1 )); done
  for id in "${!want[@]}"; do
    b=$(count_of "$before" "$id"); a=$(count_of "$after" "$id")
    if [ "$b" = missing ] || [ "$a" = missing ]; then findings+=("[missing] $id is not in the inventory"); continue; fi
    [ "$((a - b))" -eq "${want[$id]}" ] || findings+=("[planted] $id: $b → $a, expected +${want[$id]} from zz_plant.c or 999_plant.sql")
    if grep -q "^$id"$'\t' <<< "$plants_c"$'\n'"$extras_c" && ! files_of "$after" "$id" | grep -q 'zz_plant\.c'; then
      findings+=("[planted] $id: zz_plant.c not among its files")
    fi
  done
  for id in $sql_ids; do
    files_of "$after" "$id" | grep -q 'schema/999_plant\.sql' || findings+=("[planted] $id: schema/999_plant.sql not among its files")
  done
  # every feature of the inventory has a planted line (a new row without one is not checked)
  while IFS=$'\t' read -r id _; do
    [ -n "${want[$id]+x}" ] || findings+=("[unplanted] $id has no planted line in tests/check_sql_features.sh")
  done <<< "$before"
  # the Markdown table prints a row per feature
  rows=$(bash "$inventory" "$root" | grep -c '^| ')
  [ "$rows" -eq "$(( $(wc -l <<< "$before") + 1 ))" ] || findings+=("[markdown] $rows rows for $(wc -l <<< "$before") features")
fi

if [ ${#findings[@]} -gt 0 ]; then
  echo "sql_features: the inventory of SQLite-specific SQL (scripts/sql_features.sh) missed:"
  printf '  %s\n' "${findings[@]}"
  echo "sql_features: 0 passed, 1 failed"
  exit 1
fi
echo "sql_features: 1 passed, 0 failed ($(wc -l <<< "$before") features, each found when planted)"
