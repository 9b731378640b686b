/* demo_evaluation — see demo_evaluation.h. The steps carry dates of January–March of this year, in
 * the order the product takes them: 述职, 民主测评, the two opinions, the result, the confirmation. */
#include "store/demo_evaluation.h"

#include <stdio.h>
#include <time.h>

#include "core/date.h"
#include "core/evaluation.h"
#include "store/evaluations.h"
#include "store/query.h"

/* 09:00 CST of the date, as unix seconds. */
static int64_t at_nine(int date)
{
  long days = 0;
  date_to_days(date, &days);
  return (int64_t)days * 86400 + 3600;
}

/* Step i (-1: the opening, 5: the confirmation) on 5 January + 10 days per step of the next year,
 * and never after now (a demo made early in January). */
static int64_t step_time(int year, int i, int64_t now)
{
  int64_t t = at_nine(date_add_days(date_make(year + 1, 1, 5), 10L * (i + 1)));
  int64_t latest = now - (int64_t)(6 - i) * 3600;
  return t < latest ? t : latest;
}

static int exec_bound(struct db *db, const char *sql, int64_t round, int64_t t, int year)
{
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":round", round);
  query_bind_int(q, ":at", t);
  query_bind_int(q, ":year", year);
  return query_exec(q);
}

/* Every step but the result, at its day; the votes vary with the evaluation's id. Each names all three
 * parameters (:year * 0 where the year is not wanted): exec_bound binds all three, and a name the
 * statement lacks is a failure (store/query). */
static const char *const STEPS[] = {
  "UPDATE evaluation SET report_at = :at, version = version + 1, report_text = :year || ' 年度，本人在' ||"
  " (SELECT replace(name, '村民委员会', '村') FROM region WHERE code = evaluation.village_code) || '驻村，坚持吃住在村，围绕建强村党组织、巩固脱贫成果、"
  "发展乡村产业、推进乡村建设、抓好乡村治理五项职责开展工作，按时报送工作报告，完成入户走访。存在的不足：产业项目推进偏慢，"
  "下一步将加强与派出单位的沟通，争取更多资源。' WHERE round_id = :round",
  "UPDATE evaluation SET votes_at = :at + :year * 0, votes_by = NULL, votes_source = 'form', version = version + 1, votes ="
  " json_array(json_object('group', 'village_cadres', 'good', 5 + id % 3, 'fair', 2, 'average', id % 2, 'poor', 0),"
  " json_object('group', 'party_members', 'good', 12 + id % 5, 'fair', 4 + id % 3, 'average', 1, 'poor', 0),"
  " json_object('group', 'villagers', 'good', 18 + id % 7, 'fair', 6 + id % 4, 'average', 2, 'poor', id % 2))"
  " WHERE round_id = :round",
  "UPDATE evaluation SET township_at = :at + :year * 0, version = version + 1, township_opinion ="
  " '该同志能够遵守驻村纪律，履行驻村工作职责，民主测评结果已按类别录入，乡镇党委同意其述职内容。' WHERE round_id = :round",
  "UPDATE evaluation SET unit_at = :at + :year * 0, version = version + 1, unit_opinion ="
  " '该同志驻村期间工作认真，单位党组织同意乡镇党委意见。' WHERE round_id = :round",
  /* the registry's appraisal of the year (称职 when none) */
  "UPDATE evaluation SET result_at = :at, version = version + 1, result = coalesce((SELECT a.result FROM cadre_appraisal a"
  " WHERE a.cadre_id = evaluation.cadre_id AND a.year = :year), 'competent') WHERE round_id = :round",
};

/* The 优秀 beyond the cap become 称职: the last ones by id. */
static int apply_cap(struct db *db, int64_t round, int cap)
{
  struct query *q = query_open(db,
      "UPDATE evaluation SET result = 'competent', result_comment = '优秀等次超出比例，评定为称职'"
      " WHERE id IN (SELECT id FROM evaluation WHERE round_id = :round AND result = 'excellent'"
      " ORDER BY id LIMIT 1000000000 OFFSET :cap)"  /* "all the rest" on both: PostgreSQL takes no -1 */);
  query_bind_int(q, ":round", round);
  query_bind_int(q, ":cap", cap);
  return query_exec(q);
}

int demo_evaluation(struct db *db, const char *county_code, long excellent_max_percent, int64_t now)
{
  int year = date_year(date_from_unix_cst((time_t)now)) - 1;
  char path[96];
  int rc = evaluations_county_path(db, county_code, path);
  struct eval_round_new n = {county_code, path, "annual", year, 0};
  int64_t round = 0;
  int count = 0, evaluated = 0, decided = 0, excellent = 0;
  if (rc == DB_OK) rc = evaluations_open_round(db, &n, step_time(year, -1, now), &round, &count);
  for (int i = 0; rc == DB_OK && i < (int)(sizeof STEPS / sizeof STEPS[0]); i++)
    rc = exec_bound(db, STEPS[i], round, step_time(year, i, now), year);
  int cap = eval_excellent_cap(count, excellent_max_percent);
  if (rc == DB_OK) rc = apply_cap(db, round, cap);
  if (rc == DB_OK) rc = evaluations_round_counts(db, round, &evaluated, &decided, &excellent);
  if (rc == DB_OK && (decided != evaluated || excellent > cap)) rc = DB_ERROR;
  if (rc == DB_OK) rc = evaluations_confirm(db, round, cap, 0, step_time(year, 5, now));
  return rc;
}
