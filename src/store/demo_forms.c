/* demo_forms — see demo_forms.h. The leave goes through store/leaves as the product writes it. */
#include "store/demo_forms.h"

#include <stdio.h>
#include <time.h>

#include "core/date.h"
#include "store/leaves.h"
#include "store/query.h"
#include "store/users.h"

/* The second active post of 沙洲坝镇 in the order demo_reviews uses, and the secretary's account. */
static int pick(struct db *db, int64_t *cadre, int64_t *assignment, int64_t *secretary)
{
  struct query *q = query_open(db,
      "SELECT a.cadre_id AS cadre_id, a.id AS id, (SELECT id FROM \"user\" WHERE username = 'shazhouba_sec') AS secretary"
      " FROM assignment a"
      " WHERE a.status = 'active' AND substr(a.village_code, 1, 9) = '360781104'"
      " AND a.cadre_id NOT IN (SELECT cadre_id FROM \"user\" WHERE cadre_id IS NOT NULL)"
      " ORDER BY a.village_code, a.post, a.id LIMIT 1 OFFSET 1");
  bool found = query_next(q);
  if (found) {
    *cadre = query_get_int(q, "cadre_id");
    *assignment = query_get_int(q, "id");
    *secretary = query_get_int(q, "secretary");
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found && *secretary ? DB_OK : DB_NOT_FOUND;
}

static int64_t at_nine(int date)
{
  long days = 0;
  date_to_days(date, &days);
  return (int64_t)days * 86400 + 3600; /* 09:00 CST */
}

int demo_forms(struct db *db, int64_t now)
{
  int64_t cadre = 0, assignment = 0;
  struct auth_user sec = {0};
  int rc = pick(db, &cadre, &assignment, &sec.id);
  if (rc != DB_OK) return rc;
  int today = date_from_unix_cst((time_t)now);
  int this_month = date_make(date_year(today), date_month(today), 1);
  int start = date_add_days(date_add_months(this_month, -1), 11), end = date_add_days(start, 1);
  char s[DATE_ISO_SIZE], e[DATE_ISO_SIZE], back[DATE_ISO_SIZE];
  date_format_iso(start, s);
  date_format_iso(end, e);
  date_format_iso(date_add_days(end, 1), back);
  struct leave_request r = {cadre, assignment, "personal", s, e, "母亲住院手术，回家照料", 2, "township"};
  int64_t id = 0;
  rc = leaves_insert(db, &r, at_nine(date_add_days(start, -3)), &id);
  if (rc == DB_OK) rc = leaves_decide(db, id, true, "请安排好村里工作，按时返岗并销假。", &sec,
                                      at_nine(date_add_days(start, -2)));
  if (rc == DB_OK) rc = leaves_close(db, id, back);
  return rc;
}
