/* evaluations — see evaluations.h. */
#include "store/evaluations.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int evaluations_county_path(struct db *db, const char *code, char path[96])
{
  struct query *q = query_open(db, "SELECT path FROM region WHERE code = :code AND level = 'county'");
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  if (found) snprintf(path, 96, "%s", query_get_text(q, "path"));
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The cadres of the round: each cadre's latest post in the county's villages that was held during
 * the year (annual) or whose term ended in it (term). */
static int add_cadres(struct db *db, int64_t round, const struct eval_round_new *n, const char *from, const char *to,
                      int *count)
{
  struct query *q = query_open(db,
      "INSERT INTO evaluation (round_id, cadre_id, assignment_id, village_code, unit_id, post, term_start, term_end)"
      " SELECT :round, cadre_id, id, village_code, unit_id, post, start_date, term_end FROM ("
      "  SELECT a.*, row_number() OVER (PARTITION BY a.cadre_id ORDER BY a.start_date DESC, a.id DESC) AS k"
      "  FROM assignment a JOIN region ar ON ar.code = a.village_code"
      "  WHERE ar.path >= :county_path AND ar.path < :county_path || '~' AND a.status IN ('active','handover','ended')"
      "  AND a.start_date <= :to AND coalesce(a.ended_on, a.term_end) >= :from"
      "  AND (:kind = 'annual' OR coalesce(a.ended_on, a.term_end) <= :to)"
      " ) AS latest WHERE k = 1 ORDER BY village_code, cadre_id");
  query_bind_int(q, ":round", round);
  query_bind_text(q, ":county_path", n->county_path);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  query_bind_text(q, ":kind", n->kind);
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  *count = (int)changed;
  return rc;
}

int evaluations_open_round(struct db *db, const struct eval_round_new *n, int64_t now, int64_t *id_out, int *count)
{
  char from[11], to[11];
  snprintf(from, sizeof from, "%04d-01-01", n->year);
  snprintf(to, sizeof to, "%04d-12-31", n->year);
  struct query *q = query_open(db,
      "INSERT INTO evaluation_round (county_code, kind, year, period_from, period_to, created_by, created_at)"
      " VALUES (:county, :kind, :year, :from, :to, :user, :now) RETURNING id");
  query_bind_text(q, ":county", n->county_code);
  query_bind_text(q, ":kind", n->kind);
  query_bind_int(q, ":year", n->year);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  query_bind_int_or_null(q, ":user", n->user_id);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
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
      " LEFT JOIN \"user\" cu ON cu.id = x.confirmed_by JOIN evaluation rp ON rp.round_id = x.id"
      " JOIN region rpv ON rpv.code = rp.village_code WHERE %s", ROUND_COLUMNS, where);
  rc |= scope_sql(scope, SCOPE_REPORT, sql);
  return rc | strbuf_appendf(sql, " GROUP BY x.id, cr.code, cu.id ORDER BY x.year DESC, x.kind, x.id DESC");
}

/* Every row of sql (its scope bound, and :id when by_id) as an object keyed by alias; NULL when a read failed. */
static json_t *rows_all(struct db *db, const struct scope *scope, struct strbuf *sql, bool by_id, int64_t id)
{
  struct query *q = query_open(db, strbuf_cstr(sql));
  query_bind_scope(q, scope);
  if (by_id) query_bind_int(q, ":id", id);
  return query_rows_json(q, NULL);
}

json_t *evaluations_rounds_json(struct db *db, const struct scope *scope)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  json_t *out = round_sql(scope, &sql, "1 = 1") == 0 ? rows_all(db, scope, &sql, false, 0) : NULL;
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
  json_t *out = rc == 0 ? rows_all(db, scope, &sql, true, id) : NULL;
  strbuf_free(&sql);
  return out;
}

json_t *evaluations_round_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  json_t *rows = round_sql(scope, &sql, "x.id = :id") == 0 ? rows_all(db, scope, &sql, true, id) : NULL;
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
  struct query *q = query_open(db,
      "SELECT count(*) AS evaluated, count(result) AS decided,"
      " count(CASE WHEN result = 'excellent' THEN 1 END) AS excellent FROM evaluation WHERE round_id = :round");
  query_bind_int(q, ":round", round_id);
  bool found = query_next(q);
  if (found) {
    *evaluated = (int)query_get_int(q, "evaluated");
    *decided = (int)query_get_int(q, "decided");
    *excellent = (int)query_get_int(q, "excellent");
  }
  int rc = query_close(q);
  return rc == DB_OK && found ? DB_OK : DB_ERROR;
}

int evaluations_confirm(struct db *db, int64_t round_id, int cap, int64_t user_id, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE evaluation_round SET status = 'confirmed', confirmed_by = :user, confirmed_at = :now,"
      " excellent_cap = :cap WHERE id = :round AND status = 'open'");
  query_bind_int(q, ":round", round_id);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":cap", cap);
  return query_exec_guarded(q);
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
  " LEFT JOIN \"user\" tu ON tu.id = rp.township_by LEFT JOIN \"user\" uu ON uu.id = rp.unit_by" \
  " LEFT JOIN \"user\" ru ON ru.id = rp.result_by"

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
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", EVAL_FROM);
  if (f->round_id) rc |= strbuf_appendf(&where, " AND rp.round_id = :round");
  if (f->cadre_id) rc |= strbuf_appendf(&where, " AND rp.cadre_id = :cadre");
  if (f->township) rc |= strbuf_appendf(&where, " AND t.code = :township");
  if (f->result) rc |= strbuf_appendf(&where, " AND rp.result = :result");
  const char *w = waiting_sql(f->waiting);
  if (w) rc |= strbuf_appendf(&where, " AND x.status = 'open'%s", w);
  rc |= scope_sql(scope, SCOPE_REPORT, &where);
  struct sql_param p[] = {{":round", NULL, f->round_id}, {":cadre", NULL, f->cadre_id},
                          {":township", f->township, 0}, {":result", f->result, 0}};
  json_t *out = rc ? NULL : query_list(db, EVAL_COLUMNS, strbuf_cstr(&where), "x.year DESC, t.code, rpv.code, rp.id", p, 4,
                                       scope, query_row_object, page, page_size);
  strbuf_free(&where);
  return out;
}

json_t *evaluations_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, EVAL_COLUMNS, EVAL_FROM, "rp.id", scope, SCOPE_REPORT, query_row_object, id);
}

/* ---- steps ---- */

/* A step: the UPDATE guarded by :id and the :version read (DB_CONFLICT when it changed no row). */
static int guarded(struct query *q, int64_t id, int64_t version)
{
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", version);
  return query_exec_guarded(q);
}

int evaluations_save_report(struct db *db, int64_t id, int64_t version, const char *text, int submit, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE evaluation SET report_text = :text, report_at = CASE WHEN :submit = 1 THEN CAST(:now AS BIGINT) END, version = version + 1"
      " WHERE id = :id AND version = :version AND report_at IS NULL");
  query_bind_text(q, ":text", text);
  query_bind_int(q, ":submit", submit ? 1 : 0);
  query_bind_int(q, ":now", now);
  return guarded(q, id, version);
}

int evaluations_set_votes(struct db *db, int64_t id, int64_t version, const char *votes_json, const char *source,
                          int64_t user_id, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE evaluation SET votes = :votes, votes_source = :source, votes_by = :user, votes_at = :now,"
      " version = version + 1 WHERE id = :id AND version = :version AND votes_at IS NULL AND report_at IS NOT NULL");
  query_bind_text(q, ":votes", votes_json);
  query_bind_text(q, ":source", source);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return guarded(q, id, version);
}

int evaluations_set_opinion(struct db *db, int64_t id, int64_t version, const char *who, const char *text,
                            int64_t user_id, int64_t now)
{
  bool township = strcmp(who, "township") == 0;
  struct query *q = query_open(db, township
      ? "UPDATE evaluation SET township_opinion = :text, township_by = :user, township_at = :now,"
        " version = version + 1 WHERE id = :id AND version = :version AND township_at IS NULL AND votes_at IS NOT NULL"
      : "UPDATE evaluation SET unit_opinion = :text, unit_by = :user, unit_at = :now, version = version + 1"
        " WHERE id = :id AND version = :version AND unit_at IS NULL AND report_at IS NOT NULL");
  query_bind_text(q, ":text", text);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return guarded(q, id, version);
}

int evaluations_set_result(struct db *db, int64_t id, int64_t version, const char *result, const char *comment,
                           int64_t user_id, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE evaluation SET result = :result, result_comment = :comment, result_by = :user, result_at = :now,"
      " version = version + 1 WHERE id = :id AND version = :version AND township_at IS NOT NULL AND unit_at IS NOT NULL"
      " AND (SELECT status FROM evaluation_round WHERE id = evaluation.round_id) = 'open'");
  query_bind_text(q, ":result", result);
  query_bind_text(q, ":comment", comment);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return guarded(q, id, version);
}

/* ---- facts ---- */

/* The parameters a fact's query names. */
enum { FACT_CADRE = 1, FACT_VILLAGE = 2, FACT_PERIOD = 4 /* :from and :to */ };

struct fact_query {
  const char *sql;   /* each column aliased by the key it answers */
  int params;        /* FACT_* */
};

static const struct fact_query FACTS[] = {
  {"SELECT count(DISTINCT date) AS days_in_village FROM checkin WHERE cadre_id = :cadre AND in_fence = 1"
   " AND date BETWEEN :from AND :to", FACT_CADRE | FACT_PERIOD},
  {"SELECT count(*) AS violations, count(measure) AS accountability FROM violation WHERE cadre_id = :cadre"
   " AND date BETWEEN :from AND :to", FACT_CADRE | FACT_PERIOD},
  {"SELECT count(*) AS training_events, coalesce(sum(e.hours), 0) AS training_hours FROM training_participant p"
   " JOIN training_event e ON e.id = p.event_id WHERE p.cadre_id = :cadre AND p.attended = 1"
   " AND e.withdrawn_at IS NULL AND e.start_date BETWEEN :from AND :to", FACT_CADRE | FACT_PERIOD},
  {"SELECT count(*) AS households FROM household WHERE village_code = :village AND status = 'active'", FACT_VILLAGE},
  {"SELECT count(DISTINCT household_id) AS households_visited, count(CASE WHEN cadre_id = :cadre THEN 1 END)"
   " AS own_visits FROM visit WHERE village_code = :village AND visited_on BETWEEN :from AND :to",
   FACT_CADRE | FACT_VILLAGE | FACT_PERIOD},
  {"SELECT count(*) AS cases_raised, count(CASE WHEN state = 'closed' THEN 1 END) AS cases_closed FROM monitoring_case"
   " WHERE village_code = :village AND lead_on BETWEEN :from AND :to", FACT_VILLAGE | FACT_PERIOD},
  {"SELECT count(*) AS reports FROM work_report WHERE cadre_id = :cadre AND period_to BETWEEN :from AND :to",
   FACT_CADRE | FACT_PERIOD},
  {"SELECT count(*) AS log_total FROM work_log WHERE cadre_id = :cadre AND date BETWEEN :from AND :to",
   FACT_CADRE | FACT_PERIOD},
};

/* The fact's one row merged into out, each figure as SQLite holds it (an integer, or a real: hours); -1
 * when the read failed. */
static int one_fact(struct db *db, json_t *out, const struct fact_query *f, int64_t cadre, const char *village,
                    const char *from, const char *to)
{
  struct query *q = query_open(db, f->sql);
  if (f->params & FACT_CADRE) query_bind_int(q, ":cadre", cadre);
  if (f->params & FACT_VILLAGE) query_bind_text(q, ":village", village);
  if (f->params & FACT_PERIOD) {
    query_bind_text(q, ":from", from);
    query_bind_text(q, ":to", to);
  }
  json_t *row = query_one_json(q, NULL);
  if (!row) return -1;
  int rc = json_object_update(out, row);
  json_decref(row);
  return rc;
}

/* The village's plan of the year: status, live items and the mean of each item's latest percent. */
static int plan_fact(struct db *db, json_t *out, const char *village, int year)
{
  struct query *q = query_open(db,
      "SELECT p.status AS status, count(i.id) AS items, coalesce(round(avg(coalesce((SELECT g.percent"
      " FROM plan_progress g WHERE g.item_id = i.id ORDER BY g.on_date DESC, g.id DESC LIMIT 1), 0))), 0) AS progress"
      " FROM assistance_plan p LEFT JOIN plan_item i ON i.plan_id = p.id AND i.removed = 0"
      " WHERE p.village_code = :village AND p.year = :year GROUP BY p.id");
  query_bind_text(q, ":village", village);
  query_bind_int(q, ":year", year);
  json_t *plan = query_next(q) ? json_pack("{s:s, s:i, s:i}", "status", query_get_text(q, "status"), "items",
                                           (int)query_get_int(q, "items"), "progress",
                                           (int)query_get_double(q, "progress"))
                               : json_null();
  json_object_set_new(out, "plan", plan);
  return query_close(q) == DB_OK ? 0 : -1;
}

/* The logs by duty (the five duties of 5.1). */
static int logs_fact(struct db *db, json_t *out, int64_t cadre, const char *from, const char *to)
{
  struct query *q = query_open(db,
      "SELECT duty, count(*) AS n FROM work_log WHERE cadre_id = :cadre AND date BETWEEN :from AND :to"
      " GROUP BY duty ORDER BY duty");
  query_bind_int(q, ":cadre", cadre);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  json_t *logs = json_object();
  while (query_next(q)) json_object_set_new(logs, query_get_text(q, "duty"), json_integer((int)query_get_int(q, "n")));
  json_object_set_new(out, "logs", logs);
  return query_close(q) == DB_OK ? 0 : -1;
}

json_t *evaluations_facts_json(struct db *db, int64_t cadre_id, const char *village, const char *from,
                               const char *to, int year)
{
  json_t *out = json_object();
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof FACTS / sizeof FACTS[0]; i++)
    rc = one_fact(db, out, &FACTS[i], cadre_id, village, from, to);
  if (rc == 0) rc = plan_fact(db, out, village, year);
  if (rc == 0) rc = logs_fact(db, out, cadre_id, from, to);
  if (rc != 0) { json_decref(out); return NULL; }
  return out;
}
