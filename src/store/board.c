/* board — one statement over the posts stationed in scope on the date, each with its first in-fence
 * instant and its acts outside the fence from the day's facts (post_day by cadre and date), whether a
 * leave covers the date, and whether the date is a working day (one look-up of the calendar). The
 * rows are written as they are stepped, into one growing buffer; every column of a row is read, in one
 * order, whatever the row, so that the alias look-up of store/query stays one pointer comparison a read
 * over a city's ten thousand posts. */
#include "store/board.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cadres.h"
#include "store/db.h"
#include "store/dialect.h"
#include "store/query.h"
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
  " WHEN strftime('%%w', :date) IN ('0','6') THEN 0 ELSE 1 END FROM (SELECT 1) AS one LEFT JOIN calendar_day cd ON cd.date = :date)"

static const char *const STATUS[BOARD_STATUSES] = {"present", "leave", "absent", "rest"};
static const char *const STATUS_ZH[BOARD_STATUSES] = {"在村", "请假", "未到岗", "休息日"};

/* The alias read twice a row (its NULL test, then its text): one pointer, so that the second read finds
 * it by that pointer. */
static const char FIRST_AT[] = "first_at";

static struct query *board_query(struct db *db, const struct scope *scope, const char *date, const char *region_code)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql,
      "SELECT c.id AS cadre_id, c.name AS name, ar.name AS village_name, tw.name AS township_name,"
      " u.name AS unit_name, a.post AS post,"
      " (SELECT " SQL_CST_DATETIME("min(f.first_in_at)") " FROM post_day f"
      "   WHERE f.cadre_id = c.id AND f.date = :date) AS first_at,"
      " (SELECT coalesce(sum(f.outside_acts), 0) FROM post_day f WHERE f.cadre_id = c.id AND f.date = :date)"
      " AS outside_acts, " LEAVE_COVERS " AS on_leave, " WORKING_DAY " AS working_day, a.village_code AS village_code"
      " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code"
      " LEFT JOIN region tw ON tw.code = ar.parent_code JOIN unit u ON u.id = a.unit_id"
      " WHERE a.status IN ('active','handover') AND a.start_date <= :date"
      " AND (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, " ORDER BY a.village_code, a.post, c.id");
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_text(q, ":date", date);
  query_bind_text(q, ":region", region_code ? region_code : "");
  return q;
}

/* The row's status; *first_at its first in-fence instant ("" when none). */
static int row_status(struct query *q, const char **first_at)
{
  bool present = !query_is_null(q, FIRST_AT);
  *first_at = query_get_text(q, FIRST_AT);
  bool leave = query_get_int(q, "on_leave") != 0, working = query_get_int(q, "working_day") != 0;
  if (present) return BOARD_PRESENT;
  if (leave) return BOARD_LEAVE;
  return working ? BOARD_ABSENT : BOARD_REST;
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

static int put_item(struct strbuf *b, struct query *q, int status, const char *first_at, bool first)
{
  int rc = strbuf_appendf(b, "%s{\"cadre_id\":%lld,\"name\":", first ? "" : ",", (long long)query_get_int(q, "cadre_id"));
  rc |= put_string(b, query_get_text(q, "name"));
  rc |= strbuf_appendf(b, ",\"village_code\":");
  rc |= put_string(b, query_get_text(q, "village_code"));
  rc |= strbuf_appendf(b, ",\"village_name\":");
  rc |= put_string(b, query_get_text(q, "village_name"));
  rc |= strbuf_appendf(b, ",\"township_name\":");
  rc |= put_string(b, query_get_text(q, "township_name"));
  rc |= strbuf_appendf(b, ",\"unit_name\":");
  rc |= put_string(b, query_get_text(q, "unit_name"));
  rc |= strbuf_appendf(b, ",\"post_name\":");
  rc |= put_string(b, cadres_post_name_zh(query_get_text(q, "post")));
  rc |= strbuf_appendf(b, ",\"status\":\"%s\",\"status_name\":\"%s\",\"first_at\":", STATUS[status], STATUS_ZH[status]);
  rc |= status == BOARD_PRESENT ? put_string(b, first_at) : strbuf_append(b, "null", 4);
  return rc | strbuf_appendf(b, ",\"outside_checkins\":%lld}", (long long)query_get_int(q, "outside_acts"));
}

int board_json_text(struct db *db, const struct scope *scope, const char *date, const char *region_code,
                    char **text, size_t *len)
{
  struct query *q = board_query(db, scope, date, region_code);
  if (!q) return DB_ERROR;
  struct strbuf b;
  strbuf_init(&b, BOARD_MAX_BYTES);
  int counts[BOARD_STATUSES] = {0}, out = strbuf_appendf(&b, "{\"clause\":\"2.1\",\"date\":");
  out |= put_string(&b, date);
  out |= strbuf_appendf(&b, ",\"items\":[");
  bool first = true;
  while (out == 0 && query_next(q)) {
    const char *first_at;
    int status = row_status(q, &first_at);
    counts[status]++;
    out |= put_item(&b, q, status, first_at, first);
    first = false;
  }
  int rc = query_close(q);
  out |= strbuf_appendf(&b, "],\"totals\":{\"present\":%d,\"leave\":%d,\"absent\":%d,\"rest\":%d}}",
                        counts[BOARD_PRESENT], counts[BOARD_LEAVE], counts[BOARD_ABSENT], counts[BOARD_REST]);
  if (out != 0 || rc != DB_OK) { strbuf_free(&b); return DB_ERROR; }
  *text = strbuf_take(&b, len);
  return *text ? DB_OK : DB_ERROR;
}

int board_totals(struct db *db, const struct scope *scope, const char *date, const char *region_code,
                 int counts[BOARD_STATUSES])
{
  memset(counts, 0, BOARD_STATUSES * sizeof *counts);
  struct query *q = board_query(db, scope, date, region_code);
  const char *first_at;
  while (query_next(q)) counts[row_status(q, &first_at)]++;
  return query_close(q);
}
