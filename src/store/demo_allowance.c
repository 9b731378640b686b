/* demo_allowance — see demo_allowance.h. */
#include "store/demo_allowance.h"

#include <stdio.h>

#include "core/date.h"
#include "store/allowance.h"
#include "store/query.h"

/* *id = the column "answer" of sql's first row with :key bound to key, 0 when there is no row; DB_ERROR when
 * the read failed. ("answer", not an alias that names a column: SQLite's ORDER BY takes an output alias
 * before a column of the table.) */
static int one_id(struct db *db, const char *sql, int64_t key, int64_t *id)
{
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":key", key);
  *id = query_next(q) ? query_get_int(q, "answer") : 0;
  return query_close(q);
}

/* The line with the fewest days in the village: a day the phone missed, added by the unit. */
static int adjust_one(struct db *db, int64_t sheet, int month, int64_t daily, int64_t cap, int64_t hr, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT id AS id, living_computed AS living, transport_computed AS transport FROM allowance_line"
      " WHERE sheet_id = :sheet ORDER BY days_in_village, id LIMIT 1");
  query_bind_int(q, ":sheet", sheet);
  int64_t line = 0, living = 0, transport = 0;
  if (query_next(q)) {
    line = query_get_int(q, "id");
    living = query_get_int(q, "living");
    transport = query_get_int(q, "transport");
  }
  int rc = query_close(q);
  if (rc != DB_OK || !line) return rc;
  /* a day in the village recorded on paper (the phone was broken): one more day's allowance */
  char reason[200];
  snprintf(reason, sizeof reason, "%d月12日手机故障未能打卡，经乡镇党委核实当日在村，补计1天生活补助", month);
  struct allowance_adjust a = {sheet, line, 1, living + daily > cap ? cap : living + daily, transport, reason, hr, now};
  return allowance_adjust_line(db, &a);
}

int demo_allowance(struct db *db, int64_t demo_cadre, const struct allowance_rules *rules,
                   const struct presence_rules *presence, int64_t now)
{
  int64_t unit = 0, hr = 0;
  int rc = one_id(db, "SELECT unit_id AS answer FROM assignment WHERE cadre_id = :key ORDER BY id DESC LIMIT 1",
                  demo_cadre, &unit);
  if (rc == DB_OK)
    rc = one_id(db, "SELECT id AS answer FROM \"user\" WHERE unit_id = :key AND role = 'unit_hr' ORDER BY id LIMIT 1",
                unit, &hr);
  if (rc != DB_OK) return rc;
  if (!unit || !hr) return DB_OK; /* a small demo (--key-villages): the demo cadre's unit has no HR account for the story */
  int today = date_from_unix_cst((time_t)now);
  int last = date_add_months(date_make(date_year(today), date_month(today), 1), -1);
  struct allowance_count c = {unit, date_year(last), date_month(last), today, rules, presence};
  int64_t sheet = 0;
  rc = allowance_draft(db, &c, 0, now, &sheet);
  if (rc == DB_OK) rc = adjust_one(db, sheet, c.month, rules->living_daily_fen, rules->living_monthly_cap_fen, hr, now);
  char paid_on[DATE_ISO_SIZE], doc_no[64];
  date_format_iso(today, paid_on);
  snprintf(doc_no, sizeof doc_no, "补助核算%04d-%02d-%lld", c.year, c.month, (long long)sheet);
  /* the version the sheet has now: 2 after the adjustment, 1 when there was no line to adjust */
  int64_t version = 0;
  if (rc == DB_OK) rc = one_id(db, "SELECT version AS answer FROM allowance_sheet WHERE id = :key", sheet, &version);
  if (rc == DB_OK) rc = allowance_confirm(db, sheet, version, paid_on, doc_no, hr, now);
  struct allowance_count this_month = {unit, date_year(today), date_month(today), today, rules, presence};
  int64_t draft = 0;
  return rc == DB_OK ? allowance_draft(db, &this_month, 0, now, &draft) : rc;
}
