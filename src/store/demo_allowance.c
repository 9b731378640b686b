/* demo_allowance — see demo_allowance.h. */
#include "store/demo_allowance.h"

#include <stdio.h>

#include "core/date.h"
#include "store/allowance.h"
#include "store/db_sqlite.h"

static int64_t one_id(struct db *db, const char *sql, int64_t arg)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return 0;
  sqlite3_bind_int64(st, 1, arg);
  int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return id;
}

/* The line with the fewest days in the village: a day the phone missed, added by the unit. */
static int adjust_one(struct db *db, int64_t sheet, int month, int64_t daily, int64_t cap, int64_t hr, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, living_computed, transport_computed FROM allowance_line WHERE sheet_id = ?1"
      " ORDER BY days_in_village, id LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, sheet);
  int64_t line = 0, living = 0, transport = 0;
  if (sqlite3_step(st) == SQLITE_ROW) {
    line = sqlite3_column_int64(st, 0);
    living = sqlite3_column_int64(st, 1);
    transport = sqlite3_column_int64(st, 2);
  }
  sqlite3_reset(st);
  if (!line) return DB_OK;
  /* a day in the village recorded on paper (the phone was broken): one more day's allowance */
  char reason[200];
  snprintf(reason, sizeof reason, "%d月12日手机故障未能打卡，经乡镇党委核实当日在村，补计1天生活补助", month);
  struct allowance_adjust a = {sheet, line, 1, living + daily > cap ? cap : living + daily, transport, reason, hr, now};
  return allowance_adjust_line(db, &a);
}

int demo_allowance(struct db *db, int64_t demo_cadre, const struct allowance_rules *rules,
                   const struct presence_rules *presence, int64_t now)
{
  int64_t unit = one_id(db, "SELECT unit_id FROM assignment WHERE cadre_id = ?1 ORDER BY id DESC LIMIT 1", demo_cadre);
  int64_t hr = one_id(db, "SELECT id FROM user WHERE unit_id = ?1 AND role = 'unit_hr' ORDER BY id LIMIT 1", unit);
  if (!unit || !hr) return DB_OK; /* a small demo (--key-villages): the demo cadre's unit has no HR account for the story */
  int today = date_from_unix_cst((time_t)now);
  int last = date_add_months(date_make(date_year(today), date_month(today), 1), -1);
  struct allowance_count c = {unit, date_year(last), date_month(last), today, rules, presence};
  int64_t sheet = 0;
  int rc = allowance_draft(db, &c, 0, now, &sheet);
  if (rc == DB_OK) rc = adjust_one(db, sheet, c.month, rules->living_daily_fen, rules->living_monthly_cap_fen, hr, now);
  char paid_on[DATE_ISO_SIZE], doc_no[64];
  date_format_iso(today, paid_on);
  snprintf(doc_no, sizeof doc_no, "补助核算%04d-%02d-%lld", c.year, c.month, (long long)sheet);
  /* the version the sheet has now: 2 after the adjustment, 1 when there was no line to adjust */
  int64_t version = one_id(db, "SELECT version FROM allowance_sheet WHERE id = ?1", sheet);
  if (rc == DB_OK) rc = allowance_confirm(db, sheet, version, paid_on, doc_no, hr, now);
  struct allowance_count this_month = {unit, date_year(today), date_month(today), today, rules, presence};
  int64_t draft = 0;
  return rc == DB_OK ? allowance_draft(db, &this_month, 0, now, &draft) : rc;
}
