/* demo_upward — see demo_upward.h. */
#include "store/demo_upward.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/date.h"
#include "core/upward_period.h"
#include "store/query.h"
#include "store/upward_figures.h"
#include "store/upward_reports.h"

static int user_id(struct db *db, const char *username, int64_t *id)
{
  struct query *q = query_open(db, "SELECT id AS id FROM \"user\" WHERE username = :username");
  query_bind_text(q, ":username", username);
  bool found = query_next(q);
  if (found) *id = query_get_int(q, "id");
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The region's 月报 of the month [first, last], drafted and submitted at `at` by the user. */
static int submitted(struct db *db, const struct policy *pol, int today, const char *code, const char *period,
                     int first, int last, int64_t by, int64_t at, int64_t *id)
{
  struct upward_region reg;
  if (upward_region_of(db, code, &reg) != DB_OK) return DB_NOT_FOUND;
  json_t *f = upward_figures(db, pol, today, &reg, first, last);
  char *work = NULL, *problems = NULL, *plans = NULL, *text = f ? json_dumps(f, JSON_COMPACT) : NULL, zh[32];
  upward_period_zh(UPWARD_MONTHLY, first, zh, sizeof zh);
  int rc = text && upward_draft_texts(f, reg.name, zh, &work, &problems, &plans) == 0 ? DB_OK : DB_ERROR;
  json_decref(f);
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];
  date_format_iso(first, from);
  date_format_iso(last, to);
  struct upward_new n = {reg.code, reg.parent, "monthly", period, from, to, work, problems, plans, by};
  if (rc == DB_OK) rc = upward_reports_insert(db, &n, at - 3600, id);
  if (rc == DB_OK) rc = upward_reports_submit(db, *id, 1, text, by, at);
  free(text);
  free(work);
  free(problems);
  free(plans);
  return rc;
}

int demo_upward(struct db *db, const struct policy *pol, int64_t now)
{
  if (!pol) return DB_OK;
  int today = date_from_unix_cst((time_t)now), first, last;
  char period[12];
  upward_period_last(UPWARD_MONTHLY, today, period, sizeof period);
  if (upward_period_parse(UPWARD_MONTHLY, period, &first, &last) != 0) return DB_ERROR;
  int64_t sec = 0, org = 0, township = 0, county = 0;
  int rc = user_id(db, "shazhouba_sec", &sec);
  if (rc == DB_OK) rc = user_id(db, "ruijin_org", &org);
  /* the township on the morning of its third day back, the county that afternoon and the next day;
   * never later than a few hours before now */
  int64_t at = now - 3 * 86400 + 3600;
  if (rc == DB_OK) rc = submitted(db, pol, today, "360781104", period, first, last, sec, at, &township);
  if (rc == DB_OK) rc = upward_reports_receive(db, township, 2, org, at + 5 * 3600);
  if (rc == DB_OK) rc = submitted(db, pol, today, "360781", period, first, last, org, at + 26 * 3600, &county);
  return rc;
}
