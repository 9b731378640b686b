/* demo_post_life — see demo_post_life.h. Each story is written as the product would have
 * written it (the nomination approved, the recall with its effective day), then post_life_settle
 * moves the posts as the days between would have. */
#include "store/demo_post_life.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/assignments.h"
#include "store/post_life.h"
#include "store/query.h"

/* DB_OK when a row was found, DB_NOT_FOUND when none, or the failure. */
static int close_found(struct query *q, bool found)
{
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The first secretary of the n-th last staffed key village of the township (not the demo cadre's). */
static int pick_first_secretary(struct db *db, const char *township, int nth, int64_t *assignment, int64_t *unit,
                                char village[16])
{
  struct query *q = query_open(db,
      "SELECT a.id AS id, a.unit_id AS unit_id, a.village_code AS village_code FROM assignment a"
      " WHERE a.post = 'first_secretary' AND a.status = 'active'"
      " AND substr(a.village_code, 1, 9) = :township AND a.village_code != '360781104200'"
      " ORDER BY a.village_code DESC LIMIT 1 OFFSET :nth");
  query_bind_text(q, ":township", township);
  query_bind_int(q, ":nth", nth);
  bool found = query_next(q);
  if (found) {
    *assignment = query_get_int(q, "id");
    *unit = query_get_int(q, "unit_id");
    snprintf(village, 16, "%s", query_get_text(q, "village_code"));
  }
  return close_found(q, found);
}

/* A candidate of the county's units fit to go (1.3): established, under 50, no sanction. */
static int pick_successor(struct db *db, const char *township, int today, int64_t *cadre, int64_t *unit)
{
  char born_after[DATE_ISO_SIZE];
  date_format_iso(date_add_months(today, -12 * 48), born_after);
  struct query *q = query_open(db,
      "SELECT c.id AS id, c.unit_id AS unit_id FROM cadre c JOIN unit u ON u.id = c.unit_id WHERE c.village_code IS NULL"
      " AND u.region_code = substr(:township, 1, 6) AND c.employment_type = 'established' AND c.birth_date > :born_after"
      " AND NOT EXISTS (SELECT 1 FROM cadre_sanction s WHERE s.cadre_id = c.id)"
      " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.cadre_id = c.id) ORDER BY c.id DESC LIMIT 1");
  query_bind_text(q, ":township", township);
  query_bind_text(q, ":born_after", born_after);
  bool found = query_next(q);
  if (found) {
    *cadre = query_get_int(q, "id");
    *unit = query_get_int(q, "unit_id");
  }
  return close_found(q, found);
}

/* 集中轮换 (1.6): a successor approved by both departments arrived five days ago; the outgoing
 * first secretary hands over until day 15. */
static int rotation_in_handover(struct db *db, const char *township, const struct post_rules *r, int today, int64_t now)
{
  int64_t outgoing, out_unit, cadre, unit;
  char village[16];
  int rc = pick_first_secretary(db, township, 0, &outgoing, &out_unit, village);
  if (rc == DB_OK) rc = pick_successor(db, township, today, &cadre, &unit);
  if (rc == DB_NOT_FOUND) return DB_OK; /* a county too small for the story */
  if (rc != DB_OK) return rc;
  int first = date_add_days(today, -5);
  char start[DATE_ISO_SIZE], end[DATE_ISO_SIZE], region[16];
  date_format_iso(first, start);
  date_format_iso(date_add_days(date_add_months(first, 24), -1), end);
  if (assignments_approval_region(db, unit, region) != DB_OK) return DB_ERROR;
  struct nomination n = {cadre, unit, 0, 0, village, "first_secretary", "rotation", NULL, start, end, region,
                         "eligible", "[]", "approved"};
  int64_t incoming, handover;
  rc = assignments_insert(db, &n, NULL, now, &incoming);
  /* both departments agreed (1.5) three weeks ago */
  if (rc == DB_OK) {
    struct query *q = query_open(db, "UPDATE assignment SET org_decision = 'approved', rrb_decision = 'approved',"
                                     " org_at = :at, rrb_at = :at WHERE id = :id");
    query_bind_int(q, ":id", incoming);
    query_bind_int(q, ":at", now - 20 * 86400);
    rc = query_exec(q);
  }
  static const char CHECKLIST[] =
      "[{\"item\":\"村情民情介绍，新老干部共同走访监测户和脱贫户\",\"done\":true},"
      "{\"item\":\"工作台账、档案资料移交\",\"done\":true},"
      "{\"item\":\"在建帮扶项目和帮扶资金使用情况交接\",\"done\":false},"
      "{\"item\":\"年度定点帮扶计划执行情况及未完成事项交接\",\"done\":false},"
      "{\"item\":\"党员驻村干部组织关系转接\",\"done\":false},"
      "{\"item\":\"与乡镇党委、村“两委”的工作对接\",\"done\":false}]";
  if (rc == DB_OK) rc = post_life_start_handover(db, 0, outgoing, incoming, first, r->handover_days, CHECKLIST, &handover);
  return rc;
}

/* 召回 (1.8): recalled for failing the discipline, effective twelve days ago; nobody named yet. */
static int recall_with_vacancy(struct db *db, const char *township, int today, int64_t now)
{
  int64_t post, unit;
  char village[16], effective[DATE_ISO_SIZE];
  int rc = pick_first_secretary(db, township, 1, &post, &unit, village);
  if (rc == DB_NOT_FOUND) return DB_OK;
  if (rc != DB_OK) return rc;
  date_format_iso(date_add_days(today, -12), effective);
  struct query *q = query_open(db,
      "INSERT INTO adjustment (outgoing_assignment_id, reason, explanation, recall, accountability, requested_by,"
      " created_at, effective_on) VALUES (:post, 'failing_duties', '连续两月在村天数未达要求，经约谈后仍未改正', 1,"
      " '由派出单位进行诫勉谈话，年度考核不得评为优秀', NULL, :at, :effective)");
  query_bind_int(q, ":post", post);
  query_bind_int(q, ":at", now - 14 * 86400);
  query_bind_text(q, ":effective", effective);
  rc = query_exec(q);
  /* the generator gave every post its days up to today: none from the recall on (what refers to
   * those acts first, then the acts, then the households' latest visit again) */
  static const char *const UNDO[] = {
    "UPDATE monitoring_case SET visit_id = NULL WHERE visit_id IN (SELECT id FROM visit WHERE cadre_id ="
    " (SELECT cadre_id FROM assignment WHERE id = :post) AND visited_on >= :from)",
    "DELETE FROM visit WHERE cadre_id = (SELECT cadre_id FROM assignment WHERE id = :post) AND visited_on >= :from",
    "DELETE FROM work_log WHERE cadre_id = (SELECT cadre_id FROM assignment WHERE id = :post) AND date >= :from",
    "DELETE FROM checkin WHERE cadre_id = (SELECT cadre_id FROM assignment WHERE id = :post) AND date >= :from",
    "UPDATE household SET last_visit_on = (SELECT max(v.visited_on) FROM visit v WHERE v.household_id = household.id)"
    " WHERE village_code = (SELECT village_code FROM assignment WHERE id = :post) AND last_visit_on >= :from",
  };
  for (size_t i = 0; rc == DB_OK && i < sizeof UNDO / sizeof UNDO[0]; i++) {
    struct query *undo = query_open(db, UNDO[i]);
    query_bind_int(undo, ":post", post);
    query_bind_text(undo, ":from", effective);
    rc = query_exec(undo);
  }
  return rc;
}

/* 任期届满 (1.1): a first secretary whose two years end in five weeks. */
static int term_ending_soon(struct db *db, const char *township, int today)
{
  int64_t post, unit;
  char village[16], start[DATE_ISO_SIZE], end[DATE_ISO_SIZE];
  int rc = pick_first_secretary(db, township, 2, &post, &unit, village);
  if (rc == DB_NOT_FOUND) return DB_OK;
  if (rc != DB_OK) return rc;
  int last = date_add_days(today, 35);
  date_format_iso(last, end);
  date_format_iso(date_add_months(date_add_days(last, 1), -24), start);
  struct query *q = query_open(db, "UPDATE assignment SET start_date = :start, term_end = :end WHERE id = :id");
  query_bind_int(q, ":id", post);
  query_bind_text(q, ":start", start);
  query_bind_text(q, ":end", end);
  return query_exec(q);
}

int demo_post_life(struct db *db, const char *township_code, const struct post_rules *rules, int64_t now)
{
  int today = date_from_unix_cst((time_t)now);
  int rc = rotation_in_handover(db, township_code, rules, today, now);
  if (rc == DB_OK) rc = recall_with_vacancy(db, township_code, today, now);
  if (rc == DB_OK) rc = term_ending_soon(db, township_code, today);
  if (rc == DB_OK) rc = post_life_settle(db, rules, today, now, NULL, NULL);
  return rc;
}
