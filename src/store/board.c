/* board — one statement over the posts stationed in scope on the date, each with its first in-fence
 * instant and its acts outside the fence from the day's facts (post_day by cadre and date), whether a
 * leave covers the date, and whether the date is a working day (one look-up of the calendar). The
 * rows are written as they are stepped, into one growing buffer. */
#include "store/board.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cadres.h"
#include "store/db.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/scope.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define BOARD_MAX_BYTES (256u << 20)

/* A leave covers the date when approved and not yet returned from, or closed after the date. */
#define LEAVE_COVERS \
  "EXISTS (SELECT 1 FROM leave l WHERE l.cadre_id = c.id AND l.status IN ('approved','closed')" \
  " AND l.start_date <= :date AND ((l.returned_on IS NULL AND l.end_date >= :date) OR l.returned_on > :date))"
#define WORKING_DAY \
  "(SELECT CASE WHEN cd.kind = 'holiday' THEN 0 WHEN cd.kind = 'workday' THEN 1" \
  " WHEN strftime('%%w', :date) IN ('0','6') THEN 0 ELSE 1 END FROM (SELECT 1) LEFT JOIN calendar_day cd ON cd.date = :date)"

static const char *const STATUS[BOARD_STATUSES] = {"present", "leave", "absent", "rest"};
static const char *const STATUS_ZH[BOARD_STATUSES] = {"在村", "请假", "未到岗", "休息日"};

static sqlite3_stmt *board_stmt(struct db *db, const struct scope *scope, const char *date, const char *region_code)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql,
      "SELECT c.id, c.name, ar.name, tw.name, u.name, a.post,"
      " (SELECT " SQL_CST_DATETIME("min(f.first_in_at)") " FROM post_day f"
      "   WHERE f.cadre_id = c.id AND f.date = :date),"
      " (SELECT coalesce(sum(f.outside_acts), 0) FROM post_day f WHERE f.cadre_id = c.id AND f.date = :date), "
      LEAVE_COVERS ", " WORKING_DAY ", a.village_code"
      " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code"
      " LEFT JOIN region tw ON tw.code = ar.parent_code JOIN unit u ON u.id = a.unit_id"
      " WHERE a.status IN ('active','handover') AND a.start_date <= :date"
      " AND (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, " ORDER BY a.village_code, a.post, c.id");
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!st) return NULL;
  scope_bind(scope, st);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":date"), date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":region"), region_code ? region_code : "", -1,
                    SQLITE_TRANSIENT);
  return st;
}

static int row_status(sqlite3_stmt *st)
{
  if (sqlite3_column_type(st, 6) != SQLITE_NULL) return BOARD_PRESENT;
  if (sqlite3_column_int(st, 8)) return BOARD_LEAVE;
  return sqlite3_column_int(st, 9) ? BOARD_ABSENT : BOARD_REST;
}

/* A JSON string as jansson writes it: quotes, backslash and control characters escaped, the rest
 * (UTF-8 included) as it is. */
static int put_string(struct strbuf *b, const char *s)
{
  int rc = strbuf_append(b, "\"", 1);
  const char *run = s;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    rc |= strbuf_append(b, run, (size_t)(s - run));
    switch (ch) {
    case '"': rc |= strbuf_append(b, "\\\"", 2); break;
    case '\\': rc |= strbuf_append(b, "\\\\", 2); break;
    case '\b': rc |= strbuf_append(b, "\\b", 2); break;
    case '\f': rc |= strbuf_append(b, "\\f", 2); break;
    case '\n': rc |= strbuf_append(b, "\\n", 2); break;
    case '\r': rc |= strbuf_append(b, "\\r", 2); break;
    case '\t': rc |= strbuf_append(b, "\\t", 2); break;
    default: rc |= strbuf_appendf(b, "\\u%04X", ch); break;
    }
    run = s + 1;
  }
  rc |= strbuf_append(b, run, (size_t)(s - run));
  return rc | strbuf_append(b, "\"", 1);
}

static int put_item(struct strbuf *b, sqlite3_stmt *st, int status, bool first)
{
  int rc = strbuf_appendf(b, "%s{\"cadre_id\":%lld,\"name\":", first ? "" : ",", (long long)sqlite3_column_int64(st, 0));
  rc |= put_string(b, db_col_text(st, 1));
  rc |= strbuf_appendf(b, ",\"village_code\":");
  rc |= put_string(b, db_col_text(st, 10));
  rc |= strbuf_appendf(b, ",\"village_name\":");
  rc |= put_string(b, db_col_text(st, 2));
  rc |= strbuf_appendf(b, ",\"township_name\":");
  rc |= put_string(b, db_col_text(st, 3));
  rc |= strbuf_appendf(b, ",\"unit_name\":");
  rc |= put_string(b, db_col_text(st, 4));
  rc |= strbuf_appendf(b, ",\"post_name\":");
  rc |= put_string(b, cadres_post_name_zh(db_col_text(st, 5)));
  rc |= strbuf_appendf(b, ",\"status\":\"%s\",\"status_name\":\"%s\",\"first_at\":", STATUS[status], STATUS_ZH[status]);
  rc |= status == BOARD_PRESENT ? put_string(b, db_col_text(st, 6)) : strbuf_append(b, "null", 4);
  return rc | strbuf_appendf(b, ",\"outside_checkins\":%lld}", (long long)sqlite3_column_int64(st, 7));
}

int board_json_text(struct db *db, const struct scope *scope, const char *date, const char *region_code,
                    char **text, size_t *len)
{
  sqlite3_stmt *st = board_stmt(db, scope, date, region_code);
  if (!st) return DB_ERROR;
  struct strbuf b;
  strbuf_init(&b, BOARD_MAX_BYTES);
  int counts[BOARD_STATUSES] = {0}, step = SQLITE_ERROR, out = strbuf_appendf(&b, "{\"clause\":\"2.1\",\"date\":");
  out |= put_string(&b, date);
  out |= strbuf_appendf(&b, ",\"items\":[");
  bool first = true;
  while (out == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
    int status = row_status(st);
    counts[status]++;
    out |= put_item(&b, st, status, first);
    first = false;
  }
  sqlite3_reset(st);
  out |= strbuf_appendf(&b, "],\"totals\":{\"present\":%d,\"leave\":%d,\"absent\":%d,\"rest\":%d}}",
                        counts[BOARD_PRESENT], counts[BOARD_LEAVE], counts[BOARD_ABSENT], counts[BOARD_REST]);
  if (out != 0 || step != SQLITE_DONE) { strbuf_free(&b); return DB_ERROR; }
  *text = strbuf_take(&b, len);
  return *text ? DB_OK : DB_ERROR;
}

int board_totals(struct db *db, const struct scope *scope, const char *date, const char *region_code,
                 int counts[BOARD_STATUSES])
{
  memset(counts, 0, BOARD_STATUSES * sizeof *counts);
  sqlite3_stmt *st = board_stmt(db, scope, date, region_code);
  if (!st) return DB_ERROR;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) counts[row_status(st)]++;
  sqlite3_reset(st);
  return step == SQLITE_DONE ? DB_OK : DB_ERROR;
}
