#!/usr/bin/env bash
# sql_features — the inventory of the SQLite-specific SQL that the store and its schema use (issue 16,
# part 2, on paper: what a PostgreSQL, openGauss or KingbaseES build would have to replace). zhucun runs
# on SQLite only; no such build exists yet. docs/OPERATIONS.md ("选择数据库") embeds the table.
#
# What it reads: src/store/*.c and src/store/*.h (the text inside their C string literals, where the
# SQL is, and for a few rows the C code outside literals and comments) and src/store/schema/*.sql
# (without its `--` comments). A statement written over several lines is read as one text per file, so
# that `ON CONFLICT (…)` on one line and `DO UPDATE` on the next count as one upsert. Each feature is a
# case-insensitive regular expression (awk ERE) over that text; its count is the number of matches, its
# files those with at least one. The patterns are deliberately plain: a row counts what is written, not
# what runs (a statement built from parts in C is counted where its parts are).
#
# Usage: scripts/sql_features.sh [ROOT]      (ROOT: the tree to read, default the repository)
#        scripts/sql_features.sh --tsv [ROOT] (id, count and files, tab-separated: for tests)
# Prints a Markdown table: feature, uses, files. A feature with no use is printed with 0 and "—", so a
# reader sees that it was looked for. Needs only bash and a POSIX awk; reads no network.
set -uo pipefail
format=md
if [ "${1:-}" = "--tsv" ]; then format=tsv; shift; fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || { echo "sql_features: no tree at $root" >&2; exit 2; }
[ -d src/store/schema ] || { echo "sql_features: $root has no src/store/schema" >&2; exit 2; }

# The features: id | where (lit: SQL text, code: C outside literals and comments) | pattern | label.
# Patterns are matched against lower-cased text.
features() {
  cat <<'EOF'
unixepoch@@lit@@'unixepoch'@@the `'unixepoch'` modifier (an instant in Unix seconds read as a date)
datefn@@lit@@(^|[^a-z0-9_.])(date|datetime|time|strftime)\(@@date and time functions `date()`, `datetime()`, `strftime()`
datemod@@lit@@'[-+][0-9]+ (day|days|hour|hours|month|months|year|years)'@@fixed date modifiers such as `'+8 hours'`, `'-1 days'`
datemodexpr@@lit@@' *(days|day|months|month)'@@date modifiers built at run time (`'-' \|\| n \|\| ' days'`)
julianday@@lit@@(^|[^a-z0-9_])julianday\(@@`julianday()` (day arithmetic on dates kept as text)
dialect@@code@@(^|[^a-z0-9_])sql_cst_[a-z_]+\(@@uses of the dialect macros `SQL_CST_*` (src/store/dialect.h)
jsonextract@@lit@@(^|[^a-z0-9_])json_extract\(|->>?@@json1 `json_extract()`, `->`, `->>`
jsoneach@@lit@@(^|[^a-z0-9_])json_(each|tree)\(@@json1 table-valued `json_each()` / `json_tree()`
jsongroup@@lit@@(^|[^a-z0-9_])json_group_(array|object)\(@@json1 aggregates `json_group_array()` / `json_group_object()`
jsonbuild@@lit@@(^|[^a-z0-9_])json_(object|array)\(@@json1 `json_object()` / `json_array()` in SQL
jsonedit@@lit@@(^|[^a-z0-9_])json_(set|insert|replace|remove|patch)\(@@json1 `json_set()` and its kin
jsonother@@lit@@(^|[^a-z0-9_])json(_valid|_type|_array_length|_quote)?\(@@json1 `json()`, `json_valid()`, `json_type()`, `json_array_length()`
orignore@@lit@@insert +or +ignore@@`INSERT OR IGNORE`
orreplace@@lit@@(insert +or +replace|(^|[^a-z_])replace +into)@@`INSERT OR REPLACE` / `REPLACE INTO`
upsert@@lit@@on +conflict *(\([^)]*\))? *do +(update|nothing)@@`ON CONFLICT … DO UPDATE / DO NOTHING` (upsert)
excluded@@lit@@(^|[^a-z0-9_])excluded\.@@the upsert's `excluded.` row
returning@@lit@@(^|[^a-z0-9_])returning +[a-z*]@@`RETURNING`
indexedby@@lit@@(^|[^a-z0-9_])(indexed +by|not +indexed)@@`INDEXED BY` / `NOT INDEXED` (planner hints)
pragma@@lit@@(^|[^a-z0-9_])pragma +[a-z_]+@@`PRAGMA` statements
intpk@@lit@@integer +primary +key@@`INTEGER PRIMARY KEY` (a rowid alias: SQLite numbers new rows)
autoincrement@@lit@@(^|[^a-z0-9_])autoincrement@@`AUTOINCREMENT`
lastrowid@@code@@sqlite3_last_insert_rowid@@`sqlite3_last_insert_rowid()` (the id of a new row from the C API)
withoutrowid@@lit@@without +rowid@@`WITHOUT ROWID` tables
partialindex@@lit@@create +(unique +)?index +[a-z0-9_]+ +on +[a-z0-9_]+ *\([^;]*\) +where @@partial indexes (`CREATE INDEX … WHERE`)
exprindex@@lit@@create +(unique +)?index +[a-z0-9_]+ +on +[a-z0-9_]+ *\([^;)]*[a-z_]+\(@@expression indexes (a function in the indexed columns)
trigger@@lit@@create +trigger@@triggers (`CREATE TRIGGER`)
triggerbody@@lit@@for +each +row +begin|(^|[^a-z0-9_])(before|after|instead +of) +(insert|update|delete)[^;]*[^a-z0-9_]begin([^a-z0-9_]|$)@@trigger bodies written inline (`… BEGIN stmt; … END`), not as a function
triggerwhen@@lit@@on +[a-z0-9_]+ +(for +each +row +)?when @@a trigger's `WHEN` condition
raise@@lit@@(^|[^a-z0-9_])raise *\( *(abort|fail|ignore|rollback)@@`RAISE(ABORT, …)` in a trigger
newold@@lit@@(^|[^a-z0-9_])(new|old)\.[a-z_]+@@`NEW.` / `OLD.` in trigger bodies
view@@lit@@create +view@@views (`CREATE VIEW`)
nocase@@lit@@collate +nocase@@`COLLATE NOCASE`
like@@lit@@[^a-z0-9_]like +[^ ]@@`LIKE` (case-insensitive for ASCII letters in SQLite)
glob@@lit@@[^a-z0-9_]glob +[^ ]@@`GLOB`
concat@@lit@@\|\|@@`\|\|` concatenation
intdiv@@lit@@[a-z0-9_)] +/ +[a-z0-9_(]@@`/` between operands (integers divide as integers; a zero divisor gives NULL in SQLite)
iif@@lit@@(^|[^a-z0-9_])iif\(@@`IIF()`
window@@lit@@(^|[^a-z0-9_])over *\(@@window functions (`… OVER (…)`)
minmax2@@lit@@(^|[^a-z0-9_.])(min|max)\([^(),]*,@@two-argument scalar `min(a, b)` / `max(a, b)`
boolsum@@lit@@(^|[^a-z0-9_])(sum|total)\([^()]*(=|<>|<|>| is )[^()]*\)|(^|[^a-z0-9_])when +[a-z_]+(\.[a-z_]+)? +then@@truth values as integers: a comparison summed (`sum(x = 0)`), an integer column as a condition (`CASE WHEN NEW.in_fence THEN`)
groupconcat@@lit@@(^|[^a-z0-9_])group_concat\(@@`group_concat()`
printf@@lit@@(^|[^a-z0-9_])(printf|format)\(@@`printf()` / `format()` in SQL
instr@@lit@@(^|[^a-z0-9_])instr\(@@`instr()`
blobfn@@lit@@(^|[^a-z0-9_])(hex|unhex|zeroblob|randomblob)\(@@blob functions `hex()`, `zeroblob()`, `randomblob()`
ifnull@@lit@@(^|[^a-z0-9_])ifnull\(@@`ifnull()`
total@@lit@@(^|[^a-z0-9_])total\(@@`total()`
isvalue@@lit@@[^a-z0-9_]is +(not +)?(:|\?|[a-z_]+\.)@@`IS` / `IS NOT` between values (null-safe comparison)
changes@@lit@@(^|[^a-z0-9_])(changes|total_changes|last_insert_rowid)\(\)@@`changes()` / `last_insert_rowid()` in SQL
beginmode@@lit@@begin +(immediate|exclusive|deferred)@@`BEGIN IMMEDIATE` / `EXCLUSIVE`
limitneg@@lit@@limit +-1@@`LIMIT -1`
numparam@@lit@@\?[0-9]+@@numbered parameters `?1`
namedparam@@lit@@(^|[^:a-z0-9_']):[a-z_][a-z0-9_]*@@named parameters `:name`
intcol@@lit@@[^a-z0-9_]integer([^a-z0-9_]|$)@@`INTEGER` columns and casts (64 bits in SQLite)
blobtype@@lit@@[^a-z0-9_]blob([^a-z0-9_]|$)@@`BLOB` columns
usertable@@lit@@(from|join|into|update|table|references|on) +user([^a-z0-9_]|$)@@a table named `user`
sqliteapi@@code@@(^|[^a-z0-9_])sqlite3_[a-z0-9_]+ *\(@@`sqlite3_*()` calls of the C API
sqlitetype@@code@@(^|[^a-z0-9_])sqlite3(_stmt|_value|_context)?[^a-z0-9_(]@@SQLite's C types (`sqlite3 *`, `sqlite3_stmt *`) named in declarations
backupapi@@code@@sqlite3_backup_[a-z]+@@SQLite's online backup API
EOF
}

# One record per file: "file<TAB>kind<TAB>text", kind "lit" (string literals of C, or a schema file's
# SQL) and "code" (C outside literals and comments), each the file's lines joined by spaces, lower-cased.
extract() {
  awk '
    function flush() {
      if (file != "") { printf "%s\tlit\t%s\n", file, tolower(lit); printf "%s\tcode\t%s\n", file, tolower(code) }
    }
    FNR == 1 { flush(); file = FILENAME; lit = ""; code = ""; incomment = 0; sql = (FILENAME ~ /\.sql$/) }
    sql {
      line = $0
      # a schema line: its SQL up to a "--" comment outside quotes
      out = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "\047") q = !q
        if (!q && c == "-" && substr(line, i + 1, 1) == "-") break
        out = out c
      }
      lit = lit " " out
      next
    }
    {
      line = $0; n = length(line); i = 1; l = ""; k = ""
      while (i <= n) {
        c = substr(line, i, 1)
        if (incomment) {
          if (c == "*" && substr(line, i + 1, 1) == "/") { incomment = 0; i += 2 } else i++
          continue
        }
        if (c == "/" && substr(line, i + 1, 1) == "*") { incomment = 1; i += 2; continue }
        if (c == "/" && substr(line, i + 1, 1) == "/") break
        if (c == "\047") {            # a C character literal: skipped
          i++
          while (i <= n && substr(line, i, 1) != "\047") { if (substr(line, i, 1) == "\\") i++; i++ }
          i++; k = k " "; continue
        }
        if (c == "\"") {              # a string literal: its text goes to lit
          i++
          while (i <= n && substr(line, i, 1) != "\"") {
            d = substr(line, i, 1)
            if (d == "\\") { l = l substr(line, i, 2); i += 2; continue }
            l = l d; i++
          }
          i++; k = k " \"\" "; continue
        }
        k = k c; i++
      }
      lit = lit " " l; code = code " " k
    }
    END { flush() }
  ' "$@"
}

files=(src/store/*.c src/store/*.h src/store/schema/*.sql)
list=$(mktemp)
trap 'rm -f "$list"' EXIT
features > "$list"
# The features file is read as data (not through -v, which would take the patterns' backslashes as
# escapes); then the extracted records, one per file and kind.
table=$(
  extract "${files[@]}" | awk -F'\t' '
    FNR == NR {
      split($0, f, "@@"); nf++
      id[nf] = f[1]; kind[nf] = f[2]; pat[nf] = f[3]; label[nf] = f[4]
      next
    }
    {
      name = $1; sub(/^src\/store\//, "", name)
      for (r = 1; r <= nf; r++) {
        if (kind[r] != $2) continue
        t = $3; c = gsub(pat[r], "", t)
        if (c > 0) { count[r] += c; where[r] = where[r] (where[r] == "" ? "" : ", ") name (c > 1 ? " (" c ")" : "") }
      }
    }
    END {
      for (r = 1; r <= nf; r++) printf "%s\t%d\t%s\t%s\n", id[r], count[r], (where[r] == "" ? "—" : where[r]), label[r]
    }
  ' "$list" -
)
if [ "$format" = tsv ]; then echo "$table" | cut -f1-3; exit 0; fi
# Markdown: every file of a feature, or for a feature in more than 12 files their number and the 8
# with the most uses (`--tsv` lists them all).
echo "| feature | uses | files (src/store/; uses in brackets when more than one) |"
echo "|---|---:|---|"
echo "$table" | awk -F'\t' '
  {
    files = $3
    n = split($3, f, ", ")
    if (n > 12) {
      for (i = 1; i <= n; i++) { u[i] = 1; if (match(f[i], /\([0-9]+\)$/)) u[i] = substr(f[i], RSTART + 1, RLENGTH - 2) + 0 }
      files = n " files; the most uses: "
      for (k = 1; k <= 8; k++) {
        best = 0
        for (i = 1; i <= n; i++) if (u[i] > 0 && (best == 0 || u[i] > u[best])) best = i
        files = files (k > 1 ? ", " : "") f[best]; u[best] = 0
      }
      files = files ", …"
    }
    printf "| %s | %d | %s |\n", $4, $2, files
  }'
