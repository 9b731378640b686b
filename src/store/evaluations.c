/* evaluations — see evaluations.h. */
#include "store/evaluations.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int evaluations_county_path(struct db *db, const char *code, char path[96])
{
  sqlite3_stmt *st = db_stmt(db, "SELECT path FROM region WHERE code = ?1 AND level = 'county'");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) snprintf(path, 96, "%s", db_col_text(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : DB_ERROR;
}

/* The cadres of the round: each cadre's latest post in the county's villages that was held during
 * the year (annual) or whose term ended in it (term). */
static int add_cadres(struct db *db, int64_t round, const struct eval_round_new *n, const char *from, const char *to,
                      int *count)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO evaluation (round_id, cadre_id, assignment_id, village_code, unit_id, post, term_start, term_end)"
      " SELECT ?1, cadre_id, id, village_code, unit_id, post, start_date, term_end FROM ("
      "  SELECT a.*, row_number() OVER (PARTITION BY a.cadre_id ORDER BY a.start_date DESC, a.id DESC) AS k"
      "  FROM assignment a JOIN region ar ON ar.code = a.village_code"
      "  WHERE ar.path >= ?2 AND ar.path < ?2 || '~' AND a.status IN ('active','handover','ended')"
      "  AND a.start_date <= ?4 AND coalesce(a.ended_on, a.term_end) >= ?3"
      "  AND (?5 = 'annual' OR coalesce(a.ended_on, a.term_end) <= ?4)"
      " ) WHERE k = 1 ORDER BY village_code, cadre_id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, round);
  sqlite3_bind_text(st, 2, n->county_path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, n->kind, -1, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  *count = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  return rc;
}

int evaluations_open_round(struct db *db, const struct eval_round_new *n, int64_t now, int64_t *id_out, int *count)
{
  char from[11], to[11];
  snprintf(from, sizeof from, "%04d-01-01", n->year);
  snprintf(to, sizeof to, "%04d-12-31", n->year);
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO evaluation_round (county_code, kind, year, period_from, period_to, created_by, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, n->county_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, n->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 3, n->year);
  sqlite3_bind_text(st, 4, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, to, -1, SQLITE_TRANSIENT);
  if (n->user_id) sqlite3_bind_int64(st, 6, n->user_id); else sqlite3_bind_null(st, 6);
  sqlite3_bind_int64(st, 7, now);
  int rc = db_insert_returning(db, st, id_out);
  if (rc != DB_OK) return rc;
  return add_cadres(db, *id_out, n, from, to, count);
}

/* Counts of the steps over the evaluations in the FROM/WHERE that precedes (alias rp). */
#define STEP_COUNTS \
  "count(rp.id) AS evaluated, count(rp.report_at) AS reports, count(rp.votes_at) AS votes," \
  " count(rp.township_at) AS township_opinions, count(rp.unit_at) AS unit_opinions, count(rp.result) AS decided," \
  " sum(rp.result = 'excellent') AS excellent, sum(rp.result = 'competent') AS competent," \
  " sum(rp.result = 'basically_competent') AS basically_competent, sum(rp.result = 'incompetent') AS incompetent"

#define ROUND_COLUMNS \
  "x.id AS id, x.county_code AS county_code, cr.name AS county_name, x.kind AS kind, x.year AS year," \
  " x.period_from AS period_from, x.period_to AS period_to, x.status AS status, x.excellent_cap AS excellent_cap," \
  " " SQL_CST_ISO("x.created_at") " AS created_at, " SQL_CST_ISO("x.confirmed_at") " AS confirmed_at," \
  " coalesce(cu.display_name, '') AS confirmed_by_name"

/* A round's row with the step counts of the evaluations in scope. */
static int round_sql(const struct scope *scope, struct strbuf *sql, const char *where)
{
  int rc = strbuf_appendf(sql,
      "SELECT %s, " STEP_COUNTS " FROM evaluation_round x JOIN region cr ON cr.code = x.county_code"
      " LEFT JOIN user cu ON cu.id = x.confirmed_by JOIN evaluation rp ON rp.round_id = x.id"
      " JOIN region rpv ON rpv.code = rp.village_code WHERE %s", ROUND_COLUMNS, where);
  rc |= scope_sql(scope, SCOPE_REPORT, sql);
  return rc | strbuf_appendf(sql, " GROUP BY x.id ORDER BY x.year DESC, x.kind, x.id DESC");
}

static json_t *rows_all(struct db *db, const struct scope *scope, struct strbuf *sql, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db, strbuf_cstr(sql));
  if (!st) return NULL;
  scope_bind(scope, st);
  int idx = sqlite3_bind_parameter_index(st, ":id");
  if (idx) sqlite3_bind_int64(st, idx, id);
  json_t *out = json_array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(out, rows_object(st));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { json_decref(out); return NULL; }
  return out;
}

json_t *evaluations_rounds_json(struct db *db, const struct scope *scope)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  json_t *out = round_sql(scope, &sql, "1") == 0 ? rows_all(db, scope, &sql, 0) : NULL;
  strbuf_free(&sql);
  return out;
}

/* The progress of each township of the round, in scope. */
static json_t *round_townships(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql,
      "SELECT t.code AS township_code, t.name AS township_name, " STEP_COUNTS
      " FROM evaluation rp JOIN region rpv ON rpv.code = rp.village_code JOIN region t ON t.code = rpv.parent_code"
      " WHERE rp.round_id = :id");
  rc |= scope_sql(scope, SCOPE_REPORT, &sql);
  rc |= strbuf_appendf(&sql, " GROUP BY t.code ORDER BY t.code");
  json_t *out = rc == 0 ? rows_all(db, scope, &sql, id) : NULL;
  strbuf_free(&sql);
  return out;
}

json_t *evaluations_round_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  json_t *rows = round_sql(scope, &sql, "x.id = :id") == 0 ? rows_all(db, scope, &sql, id) : NULL;
  strbuf_free(&sql);
  json_t *round = rows && json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : NULL;
  json_decref(rows);
  if (!round) return NULL;
  json_t *towns = round_townships(db, scope, id);
  if (!towns) { json_decref(round); return NULL; }
  json_object_set_new(round, "townships", towns);
  return round;
}

int evaluations_round_counts(struct db *db, int64_t round_id, int *evaluated, int *decided, int *excellent)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT count(*), count(result), count(CASE WHEN result = 'excellent' THEN 1 END) FROM evaluation"
      " WHERE round_id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, round_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *evaluated = sqlite3_column_int(st, 0);
    *decided = sqlite3_column_int(st, 1);
    *excellent = sqlite3_column_int(st, 2);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : DB_ERROR;
}

int evaluations_confirm(struct db *db, int64_t round_id, int cap, int64_t user_id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE evaluation_round SET status = 'confirmed', confirmed_by = ?2, confirmed_at = ?3, excellent_cap = ?4"
      " WHERE id = ?1 AND status = 'open'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, round_id);
  if (user_id) sqlite3_bind_int64(st, 2, user_id); else sqlite3_bind_null(st, 2);
  sqlite3_bind_int64(st, 3, now);
  sqlite3_bind_int(st, 4, cap);
  return db_update_guarded(db, st);
}

#define EVAL_COLUMNS \
  "rp.id AS id, rp.round_id AS round_id, x.kind AS round_kind, x.year AS year, x.status AS round_status," \
  " x.period_from AS period_from, x.period_to AS period_to, x.county_code AS county_code, xr.name AS county_name," \
  " rp.cadre_id AS cadre_id, c.name AS cadre_name, c.sex AS sex, coalesce(c.rank, '') AS rank, c.birth_date AS birth_date, c.party_member AS party_member, rp.village_code AS village_code," \
  " rpv.name AS village_name, t.code AS township_code, t.name AS township_name, rp.unit_id AS unit_id," \
  " u.name AS unit_name, rp.post AS post, rp.term_start AS term_start, rp.term_end AS term_end," \
  " rp.version AS version, rp.report_text AS report_text, " SQL_CST_ISO("rp.report_at") " AS report_at," \
  " rp.votes AS votes_json, rp.votes_source AS votes_source, " SQL_CST_ISO("rp.votes_at") " AS votes_at," \
  " rp.township_opinion AS township_opinion, " SQL_CST_ISO("rp.township_at") " AS township_at," \
  " coalesce(tu.display_name, '') AS township_by_name, rp.unit_opinion AS unit_opinion," \
  " " SQL_CST_ISO("rp.unit_at") " AS unit_at, coalesce(uu.display_name, '') AS unit_by_name, rp.result AS result," \
  " rp.result_comment AS result_comment, " SQL_CST_ISO("rp.result_at") " AS result_at," \
  " coalesce(ru.display_name, '') AS result_by_name"
#define EVAL_FROM \
  "evaluation rp JOIN evaluation_round x ON x.id = rp.round_id JOIN region xr ON xr.code = x.county_code" \
  " JOIN cadre c ON c.id = rp.cadre_id JOIN region rpv ON rpv.code = rp.village_code" \
  " JOIN region t ON t.code = rpv.parent_code JOIN unit u ON u.id = rp.unit_id" \
  " LEFT JOIN user tu ON tu.id = rp.township_by LEFT JOIN user uu ON uu.id = rp.unit_by" \
  " LEFT JOIN user ru ON ru.id = rp.result_by"

static const char *waiting_sql(const char *w)
{
  if (!w) return NULL;
  if (strcmp(w, "report") == 0) return " AND rp.report_at IS NULL";
  if (strcmp(w, "votes") == 0) return " AND rp.report_at IS NOT NULL AND rp.votes_at IS NULL";
  if (strcmp(w, "township") == 0) return " AND rp.votes_at IS NOT NULL AND rp.township_at IS NULL";
  if (strcmp(w, "unit") == 0) return " AND rp.report_at IS NOT NULL AND rp.unit_at IS NULL";
  if (strcmp(w, "result") == 0)
    return " AND rp.votes_at IS NOT NULL AND rp.township_at IS NOT NULL AND rp.unit_at IS NOT NULL AND rp.result IS NULL";
  return NULL;
}

json_t *evaluations_list_json(struct db *db, const struct scope *scope, const struct eval_filter *f, int page,
                              int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s WHERE 1", EVAL_FROM);
  if (f->round_id) rc |= strbuf_appendf(&where, " AND rp.round_id = :round");
  if (f->cadre_id) rc |= strbuf_appendf(&where, " AND rp.cadre_id = :cadre");
  if (f->township) rc |= strbuf_appendf(&where, " AND t.code = :township");
  if (f->result) rc |= strbuf_appendf(&where, " AND rp.result = :result");
  const char *w = waiting_sql(f->waiting);
  if (w) rc |= strbuf_appendf(&where, " AND x.status = 'open'%s", w);
  rc |= scope_sql(scope, SCOPE_REPORT, &where);
  struct sql_param p[] = {{":round", NULL, f->round_id}, {":cadre", NULL, f->cadre_id},
                          {":township", f->township, 0}, {":result", f->result, 0}};
  json_t *out = rc ? NULL : list_query(db, EVAL_COLUMNS, strbuf_cstr(&where), "x.year DESC, t.code, rpv.code, rp.id", p, 4,
                                       scope, rows_object, page, page_size);
  strbuf_free(&where);
  return out;
}

json_t *evaluations_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, EVAL_COLUMNS, EVAL_FROM, "rp.id", scope, SCOPE_REPORT, rows_object, id);
}

/* ---- steps ---- */

static int guarded(struct db *db, sqlite3_stmt *st, int64_t id, int64_t version)
{
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, version);
  return db_update_guarded(db, st);
}

int evaluations_save_report(struct db *db, int64_t id, int64_t version, const char *text, int submit, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE evaluation SET report_text = ?3, report_at = CASE WHEN ?4 THEN ?5 END, version = version + 1"
      " WHERE id = ?1 AND version = ?2 AND report_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 4, submit ? 1 : 0);
  sqlite3_bind_int64(st, 5, now);
  return guarded(db, st, id, version);
}

int evaluations_set_votes(struct db *db, int64_t id, int64_t version, const char *votes_json, const char *source,
                          int64_t user_id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE evaluation SET votes = ?3, votes_source = ?4, votes_by = ?5, votes_at = ?6, version = version + 1"
      " WHERE id = ?1 AND version = ?2 AND votes_at IS NULL AND report_at IS NOT NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 3, votes_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, source, -1, SQLITE_TRANSIENT);
  if (user_id) sqlite3_bind_int64(st, 5, user_id); else sqlite3_bind_null(st, 5);
  sqlite3_bind_int64(st, 6, now);
  return guarded(db, st, id, version);
}

int evaluations_set_opinion(struct db *db, int64_t id, int64_t version, const char *who, const char *text,
                            int64_t user_id, int64_t now)
{
  bool township = strcmp(who, "township") == 0;
  sqlite3_stmt *st = db_stmt(db, township
      ? "UPDATE evaluation SET township_opinion = ?3, township_by = ?4, township_at = ?5, version = version + 1"
        " WHERE id = ?1 AND version = ?2 AND township_at IS NULL AND votes_at IS NOT NULL"
      : "UPDATE evaluation SET unit_opinion = ?3, unit_by = ?4, unit_at = ?5, version = version + 1"
        " WHERE id = ?1 AND version = ?2 AND unit_at IS NULL AND report_at IS NOT NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
  if (user_id) sqlite3_bind_int64(st, 4, user_id); else sqlite3_bind_null(st, 4);
  sqlite3_bind_int64(st, 5, now);
  return guarded(db, st, id, version);
}

int evaluations_set_result(struct db *db, int64_t id, int64_t version, const char *result, const char *comment,
                           int64_t user_id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE evaluation SET result = ?3, result_comment = ?4, result_by = ?5, result_at = ?6, version = version + 1"
      " WHERE id = ?1 AND version = ?2 AND township_at IS NOT NULL AND unit_at IS NOT NULL"
      " AND (SELECT status FROM evaluation_round WHERE id = evaluation.round_id) = 'open'");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 3, result, -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 4, comment);
  if (user_id) sqlite3_bind_int64(st, 5, user_id); else sqlite3_bind_null(st, 5);
  sqlite3_bind_int64(st, 6, now);
  return guarded(db, st, id, version);
}

/* ---- facts ---- */

struct fact_query {
  const char *sql;   /* ?1 cadre, ?2 village, ?3 from, ?4 to, ?5 year */
  const char *keys[3];
};

static const struct fact_query FACTS[] = {
  {"SELECT count(DISTINCT date) FROM checkin WHERE cadre_id = ?1 AND in_fence = 1 AND date BETWEEN ?3 AND ?4",
   {"days_in_village"}},
  {"SELECT count(*), count(measure) FROM violation WHERE cadre_id = ?1 AND date BETWEEN ?3 AND ?4",
   {"violations", "accountability"}},
  {"SELECT count(*), coalesce(sum(e.hours), 0) FROM training_participant p JOIN training_event e ON e.id = p.event_id"
   " WHERE p.cadre_id = ?1 AND p.attended = 1 AND e.withdrawn_at IS NULL AND e.start_date BETWEEN ?3 AND ?4",
   {"training_events", "training_hours"}},
  {"SELECT count(*) FROM household WHERE village_code = ?2 AND status = 'active'", {"households"}},
  {"SELECT count(DISTINCT household_id), count(CASE WHEN cadre_id = ?1 THEN 1 END) FROM visit"
   " WHERE village_code = ?2 AND visited_on BETWEEN ?3 AND ?4", {"households_visited", "own_visits"}},
  {"SELECT count(*), count(CASE WHEN state = 'closed' THEN 1 END) FROM monitoring_case"
   " WHERE village_code = ?2 AND lead_on BETWEEN ?3 AND ?4", {"cases_raised", "cases_closed"}},
  {"SELECT count(*) FROM work_report WHERE cadre_id = ?1 AND period_to BETWEEN ?3 AND ?4", {"reports"}},
  {"SELECT count(*) FROM work_log WHERE cadre_id = ?1 AND date BETWEEN ?3 AND ?4", {"log_total"}},
};

static sqlite3_stmt *fact_stmt(struct db *db, const char *sql, int64_t cadre, const char *village, const char *from,
                               const char *to, int year)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return NULL;
  int n = sqlite3_bind_parameter_count(st);
  if (n >= 1) sqlite3_bind_int64(st, 1, cadre);
  if (n >= 2) sqlite3_bind_text(st, 2, village, -1, SQLITE_TRANSIENT);
  if (n >= 3) sqlite3_bind_text(st, 3, from, -1, SQLITE_TRANSIENT);
  if (n >= 4) sqlite3_bind_text(st, 4, to, -1, SQLITE_TRANSIENT);
  if (n >= 5) sqlite3_bind_int(st, 5, year);
  return st;
}

static int one_fact(struct db *db, json_t *out, const struct fact_query *q, int64_t cadre, const char *village,
                    const char *from, const char *to, int year)
{
  sqlite3_stmt *st = fact_stmt(db, q->sql, cadre, village, from, to, year);
  if (!st) return -1;
  int rc = sqlite3_step(st);
  for (int k = 0; rc == SQLITE_ROW && k < 3 && q->keys[k]; k++)
    json_object_set_new(out, q->keys[k], sqlite3_column_type(st, k) == SQLITE_FLOAT
                                             ? json_real(sqlite3_column_double(st, k))
                                             : json_integer(sqlite3_column_int64(st, k)));
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

/* The village's plan of the year: status, live items and the mean of each item's latest percent. */
static int plan_fact(struct db *db, json_t *out, const char *village, int year)
{
  sqlite3_stmt *st = fact_stmt(db,
      "SELECT p.status, count(i.id), coalesce(round(avg(coalesce((SELECT g.percent FROM plan_progress g"
      " WHERE g.item_id = i.id ORDER BY g.on_date DESC, g.id DESC LIMIT 1), 0))), 0)"
      " FROM assistance_plan p LEFT JOIN plan_item i ON i.plan_id = p.id AND i.removed = 0"
      " WHERE p.village_code = ?2 AND p.year = ?5 AND ?1 IS NOT NULL AND ?3 IS NOT NULL AND ?4 IS NOT NULL"
      " GROUP BY p.id", 0, village, "", "", year);
  if (!st) return -1;
  int rc = sqlite3_step(st);
  json_object_set_new(out, "plan", rc == SQLITE_ROW
      ? json_pack("{s:s, s:i, s:i}", "status", db_col_text(st, 0), "items", sqlite3_column_int(st, 1), "progress",
                  (int)sqlite3_column_double(st, 2))
      : json_null());
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The logs by duty (the five duties of 5.1). */
static int logs_fact(struct db *db, json_t *out, int64_t cadre, const char *from, const char *to)
{
  sqlite3_stmt *st = fact_stmt(db,
      "SELECT duty, count(*) FROM work_log WHERE cadre_id = ?1 AND ?2 IS NOT NULL AND date BETWEEN ?3 AND ?4"
      " GROUP BY duty ORDER BY duty", cadre, "", from, to, 0);
  if (!st) return -1;
  json_t *logs = json_object();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    json_object_set_new(logs, db_col_text(st, 0), json_integer(sqlite3_column_int(st, 1)));
  sqlite3_reset(st);
  json_object_set_new(out, "logs", logs);
  return rc == SQLITE_DONE ? 0 : -1;
}

json_t *evaluations_facts_json(struct db *db, int64_t cadre_id, const char *village, const char *from,
                               const char *to, int year)
{
  json_t *out = json_object();
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof FACTS / sizeof FACTS[0]; i++)
    rc = one_fact(db, out, &FACTS[i], cadre_id, village, from, to, year);
  if (rc == 0) rc = plan_fact(db, out, village, year);
  if (rc == 0) rc = logs_fact(db, out, cadre_id, from, to);
  if (rc != 0) { json_decref(out); return NULL; }
  return out;
}
