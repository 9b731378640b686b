/* funds — the ledger, the policies and the per-team view of 3.4a, 3.4b and 3.5 (see funds.h).
 * The view is one SQL statement: a row per village with a post in the year, its sums and dates
 * as correlated sub-queries over the small ledger, and the flags computed from them, so that a
 * filter on a flag pages like any list. */
#include "store/funds.h"

#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/evidence.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


/* A post of assignment x held at some time in [:first, :last] (the year, cut to today). */
#define POST_IN_YEAR(x) \
  x ".status IN ('active','handover','ended') AND " x ".start_date <= :last AND (" x ".ended_on IS NULL OR " x \
  ".ended_on >= :first)"

static int one_row(struct db *db, struct strbuf *sql, const struct scope *scope, const struct sql_param *p, int np)
{
  struct query *q = query_open(db, strbuf_cstr(sql));
  strbuf_free(sql);
  query_bind_params(q, p, np);
  query_bind_scope(q, scope);
  bool found = query_next(q);
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int funds_team_in_scope(struct db *db, const struct scope *scope, const char *village_code, char path[96])
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  strbuf_appendf(&sql, "SELECT tv.path AS path FROM region tv WHERE tv.code = :v AND tv.level = 'village'"
                       " AND EXISTS (SELECT 1 FROM assignment x WHERE x.village_code = tv.code"
                       " AND x.status IN ('active','handover'))");
  if (scope_sql(scope, SCOPE_TEAM, &sql) != 0) { strbuf_free(&sql); return DB_ERROR; }
  struct query *q = query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  query_bind_text(q, ":v", village_code);
  query_bind_scope(q, scope);
  bool found = query_next(q);
  if (found) snprintf(path, 96, "%s", query_get_text(q, "path"));
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int funds_cadre_in_team(struct db *db, const struct scope *scope, int64_t cadre_id, const char *village_code)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  strbuf_appendf(&sql, "SELECT 1 AS found FROM assignment a JOIN region ar ON ar.code = a.village_code WHERE a.cadre_id = :c"
                       " AND a.village_code = :v AND a.status IN ('active','handover')");
  if (scope_sql(scope, SCOPE_ASSIGNMENT, &sql) != 0) { strbuf_free(&sql); return DB_ERROR; }
  struct sql_param p[] = {{":c", NULL, cadre_id}, {":v", village_code, 0}};
  return one_row(db, &sql, scope, p, 2);
}

/* ---- the ledger (3.4a, 3.4b) ---- */

int funds_unit_name(struct db *db, int64_t unit_id, char *out, size_t size)
{
  struct query *q = query_open(db, "SELECT name AS name FROM unit WHERE id = :id");
  query_bind_int(q, ":id", unit_id);
  bool found = query_next(q);
  if (found) snprintf(out, size, "%s", query_get_text(q, "name"));
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int funds_insert(struct db *db, const struct fund_new *f, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO fund_entry (village_code, kind, cadre_id, amount, paid_on, doc_no, payer_unit_id, payer_name,"
      " note, recorded_by, created_at) VALUES (:village, :kind, :cadre, :amount, :paid_on, :doc_no, :payer_unit,"
      " :payer_name, :note, :recorded_by, :now) RETURNING id");
  query_bind_text(q, ":village", f->village_code);
  query_bind_text(q, ":kind", f->kind);
  query_bind_int_or_null(q, ":cadre", f->cadre_id);
  query_bind_double(q, ":amount", f->amount);
  query_bind_text(q, ":paid_on", f->paid_on);
  query_bind_text(q, ":doc_no", f->doc_no);
  query_bind_int_or_null(q, ":payer_unit", f->payer_unit_id);
  query_bind_text(q, ":payer_name", f->payer_name);
  query_bind_text(q, ":note", f->note && *f->note ? f->note : NULL);
  query_bind_int_or_null(q, ":recorded_by", f->recorded_by);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  if (rc != DB_OK || strcmp(f->kind, "work_funds") != 0) return rc;
  /* 3.4a: the engine sums the amounts of a team's year against min_amount, by the deadline of 3.5 */
  struct evidence e = {"work_funds", PARTY_TEAM, f->village_code, f->paid_on, f->amount, true, "fund_entry", *id_out};
  return evidence_add(db, &e, now);
}

int funds_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE fund_entry SET withdrawn_at = :now, withdrawn_by = :user, withdraw_reason = :reason"
      " WHERE id = :id AND withdrawn_at IS NULL");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":reason", reason);
  int rc = query_exec_guarded(q);
  return rc == DB_OK ? evidence_revoke(db, "fund_entry", id, now) : rc;
}

#define FUND_COLUMNS \
  "f.id AS id, f.village_code AS village_code, tv.name AS village_name, coalesce(tw.name, '') AS township_name," \
  " f.kind AS kind, f.cadre_id AS cadre_id, c.name AS cadre_name, f.amount AS amount, f.paid_on AS paid_on," \
  " f.doc_no AS doc_no, f.payer_unit_id AS payer_unit_id, f.payer_name AS payer_name, f.note AS note," \
  " coalesce(ru.display_name, '') AS recorded_by_name, " SQL_CST_ISO("f.created_at") " AS created_at," \
  " CASE WHEN f.withdrawn_at IS NULL THEN 'valid' ELSE 'withdrawn' END AS status," \
  " " SQL_CST_ISO("f.withdrawn_at") " AS withdrawn_at, f.withdraw_reason AS withdraw_reason"
#define FUND_FROM \
  "fund_entry f JOIN region tv ON tv.code = f.village_code LEFT JOIN region tw ON tw.code = tv.parent_code" \
  " LEFT JOIN cadre c ON c.id = f.cadre_id LEFT JOIN \"user\" ru ON ru.id = f.recorded_by"

json_t *funds_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, FUND_COLUMNS, FUND_FROM, "f.id", scope, SCOPE_TEAM, query_row_object, id);
}

/* The filters shared by the ledger and the policies: :year on date_column, :v, :k, :c. */
static int filter_sql(struct strbuf *sql, const struct fund_filter *f, const char *year_expr, const char *alias)
{
  int rc = 0;
  if (f->year) rc |= strbuf_appendf(sql, " AND %s = :year", year_expr);
  if (f->village_code) rc |= strbuf_appendf(sql, " AND %s.village_code = :v", alias);
  if (!f->with_withdrawn) rc |= strbuf_appendf(sql, " AND %s.withdrawn_at IS NULL", alias);
  return rc;
}

json_t *funds_list_json(struct db *db, const struct scope *scope, const struct fund_filter *f, int page,
                        int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", FUND_FROM);
  rc |= filter_sql(&where, f, "CAST(substr(f.paid_on, 1, 4) AS INTEGER)", "f");
  if (f->kind) rc |= strbuf_appendf(&where, " AND f.kind = :k");
  if (f->cadre_id) rc |= strbuf_appendf(&where, " AND f.cadre_id = :c");
  /* a cadre sees the team's funds and their own allowances (3.4b), not their colleagues' */
  if (scope->kind == SCOPE_KIND_SELF) rc |= strbuf_appendf(&where, " AND (f.cadre_id IS NULL OR f.cadre_id = :scope_cadre)");
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  struct sql_param p[] = {{":year", NULL, f->year}, {":v", f->village_code, 0}, {":k", f->kind, 0},
                          {":c", NULL, f->cadre_id}};
  json_t *out = rc ? NULL : query_list(db, FUND_COLUMNS, strbuf_cstr(&where), "f.paid_on DESC, f.id DESC", p, 4,
                                       scope, query_row_object, page, page_size);
  strbuf_free(&where);
  return out;
}

/* ---- accident insurance (3.5) ---- */

/* Cadres with a post in the team's year not covered by a live policy of that year, and those
 * in post at all. */
static int cover_counts(struct db *db, const char *village, int year, const char *today, int *in_post,
                        int *uncovered, char latest_start[11], int64_t *latest_policy)
{
  char first[11], last[11];
  snprintf(first, sizeof first, "%04d-01-01", year);
  snprintf(last, sizeof last, "%04d-12-31", year);
  if (strcmp(today, last) < 0) snprintf(last, sizeof last, "%s", today);
  struct query *q = query_open(db,
      "SELECT count(DISTINCT x.cadre_id) AS in_post, count(DISTINCT CASE WHEN NOT EXISTS (SELECT 1 FROM insurance_cover ic"
      "  JOIN insurance_policy ip ON ip.id = ic.policy_id WHERE ic.cadre_id = x.cadre_id AND ip.village_code = :v"
      "  AND ip.year = :year AND ip.withdrawn_at IS NULL) THEN x.cadre_id END) AS uncovered,"
      " (SELECT max(ip.cover_start) FROM insurance_policy ip WHERE ip.village_code = :v AND ip.year = :year"
      "  AND ip.withdrawn_at IS NULL) AS latest_start,"
      " (SELECT max(ip.id) FROM insurance_policy ip WHERE ip.village_code = :v AND ip.year = :year"
      "  AND ip.withdrawn_at IS NULL) AS latest_policy"
      " FROM assignment x WHERE x.village_code = :v AND " POST_IN_YEAR("x"));
  struct sql_param p[] = {{":v", village, 0}, {":year", NULL, year}, {":first", first, 0}, {":last", last, 0}};
  query_bind_params(q, p, 4);
  /* an aggregate: one row, always */
  bool found = query_next(q);
  if (found) {
    *in_post = (int)query_get_int(q, "in_post");
    *uncovered = (int)query_get_int(q, "uncovered");
    snprintf(latest_start, 11, "%s", query_get_text(q, "latest_start"));
    *latest_policy = query_get_int(q, "latest_policy");
  }
  return query_close(q) == DB_OK && found ? DB_OK : DB_ERROR;
}

/* 3.5: the team's year has accident_insurance evidence once every cadre in post is covered; the
 * day it was in place is the latest cover start of its policies, at the earliest 1 January. */
static int sync_evidence(struct db *db, const char *village, int year, const char *today, int64_t now)
{
  char first[11], last[11], start[11] = "";
  snprintf(first, sizeof first, "%04d-01-01", year);
  snprintf(last, sizeof last, "%04d-12-31", year);
  struct query *q = query_open(db,
      "SELECT 1 AS found FROM obligation_evidence WHERE kind = 'accident_insurance' AND party_type = 'team'"
      " AND party_id = :village AND done_on BETWEEN :first AND :last AND revoked_at IS NULL");
  query_bind_text(q, ":village", village);
  query_bind_text(q, ":first", first);
  query_bind_text(q, ":last", last);
  bool found = query_next(q);
  if (query_close(q) != DB_OK) return DB_ERROR;
  if (found) return DB_OK;
  int in_post = 0, uncovered = 0;
  int64_t policy = 0;
  if (cover_counts(db, village, year, today, &in_post, &uncovered, start, &policy) != DB_OK) return DB_ERROR;
  if (in_post == 0 || uncovered > 0 || !policy) return DB_OK;
  const char *done = strcmp(start, first) < 0 ? first : start;
  struct evidence e = {"accident_insurance", PARTY_TEAM, village, done, 0, false, "insurance_policy", policy};
  return evidence_add(db, &e, now);
}

int insurance_insert(struct db *db, const struct insurance_new *n, const char *today, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO insurance_policy (village_code, year, insurer, policy_no, cover_start, cover_end, payer_unit_id,"
      " payer_name, recorded_by, created_at) VALUES (:village, :year, :insurer, :policy_no, :cover_start, :cover_end,"
      " :payer_unit, :payer_name, :recorded_by, :now) RETURNING id");
  query_bind_text(q, ":village", n->village_code);
  query_bind_int(q, ":year", n->year);
  query_bind_text(q, ":insurer", n->insurer);
  query_bind_text(q, ":policy_no", n->policy_no);
  query_bind_text(q, ":cover_start", n->cover_start);
  query_bind_text(q, ":cover_end", n->cover_end);
  query_bind_int_or_null(q, ":payer_unit", n->payer_unit_id);
  query_bind_text(q, ":payer_name", n->payer_name);
  query_bind_int_or_null(q, ":recorded_by", n->recorded_by);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  for (size_t i = 0; rc == DB_OK && i < n->ncadres; i++) {
    struct query *c = query_open(db, "INSERT INTO insurance_cover (policy_id, cadre_id) VALUES (:policy, :cadre)");
    query_bind_int(c, ":policy", *id_out);
    query_bind_int(c, ":cadre", n->cadres[i]);
    rc = query_exec(c);
  }
  return rc == DB_OK ? sync_evidence(db, n->village_code, n->year, today, now) : rc;
}

int insurance_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, const char *today,
                       int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE insurance_policy SET withdrawn_at = :now, withdrawn_by = :user, withdraw_reason = :reason"
      " WHERE id = :id AND withdrawn_at IS NULL RETURNING village_code AS village_code, year AS year");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":reason", reason);
  char village[16] = "";
  int year = 0;
  if (query_next(q)) {
    snprintf(village, sizeof village, "%s", query_get_text(q, "village_code"));
    year = (int)query_get_int(q, "year");
    query_next(q); /* finish the statement so that it commits */
  }
  int result = query_close(q);
  if (result != DB_OK) return result;
  if (!year) return DB_CONFLICT;
  /* the other policies may still cover the team: their evidence then replaces this one's */
  if (evidence_revoke(db, "insurance_policy", id, now) != DB_OK) return DB_ERROR;
  return sync_evidence(db, village, year, today, now);
}

#define POLICY_COLUMNS \
  "ip.id AS id, ip.village_code AS village_code, tv.name AS village_name, coalesce(tw.name, '') AS township_name," \
  " ip.year AS year, ip.insurer AS insurer, ip.policy_no AS policy_no, ip.cover_start AS cover_start," \
  " ip.cover_end AS cover_end, ip.payer_unit_id AS payer_unit_id, ip.payer_name AS payer_name," \
  " (SELECT json_group_array(json_object('id', cc.id, 'name', cc.name)) FROM insurance_cover ic" \
  "  JOIN cadre cc ON cc.id = ic.cadre_id WHERE ic.policy_id = ip.id) AS cadres_json," \
  " coalesce(ru.display_name, '') AS recorded_by_name, " SQL_CST_ISO("ip.created_at") " AS created_at," \
  " CASE WHEN ip.withdrawn_at IS NULL THEN 'valid' ELSE 'withdrawn' END AS status," \
  " " SQL_CST_ISO("ip.withdrawn_at") " AS withdrawn_at, ip.withdraw_reason AS withdraw_reason"
#define POLICY_FROM \
  "insurance_policy ip JOIN region tv ON tv.code = ip.village_code LEFT JOIN region tw ON tw.code = tv.parent_code" \
  " LEFT JOIN \"user\" ru ON ru.id = ip.recorded_by"

json_t *insurance_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, POLICY_COLUMNS, POLICY_FROM, "ip.id", scope, SCOPE_TEAM, query_row_object, id);
}

json_t *insurance_list_json(struct db *db, const struct scope *scope, const struct fund_filter *f, int page,
                            int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", POLICY_FROM);
  rc |= filter_sql(&where, f, "ip.year", "ip");
  if (f->cadre_id)
    rc |= strbuf_appendf(&where, " AND EXISTS (SELECT 1 FROM insurance_cover ic WHERE ic.policy_id = ip.id"
                                 " AND ic.cadre_id = :c)");
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  struct sql_param p[] = {{":year", NULL, f->year}, {":v", f->village_code, 0}, {":c", NULL, f->cadre_id}};
  json_t *out = rc ? NULL : query_list(db, POLICY_COLUMNS, strbuf_cstr(&where), "ip.year DESC, ip.id DESC", p, 3,
                                       scope, query_row_object, page, page_size);
  strbuf_free(&where);
  return out;
}

/* ---- the team view (3.4a, 3.5) ---- */

#define LIVE_FUNDS(k) \
  "coalesce((SELECT sum(f.amount) FROM fund_entry f WHERE f.village_code = tv.code AND " k \
  " AND f.withdrawn_at IS NULL AND f.paid_on BETWEEN :first AND :year_end), 0)"

/* The team's lead unit (牵头单位) of the year, which answers for the team's funds and insurance
 * (3.4a, 3.5; docs/POLICY.md): the dispatching unit of the first secretary who held the post in
 * the year, the latest one after a rotation; without a first secretary, the team leader's; else
 * the latest member's. The other units with a post in the team are co-units (协同单位): listed,
 * not blamed. Before this, every unit of a mixed team was counted as failing the team. */
#define LEAD_UNIT_ID \
  "(SELECT lx.unit_id FROM assignment lx WHERE lx.village_code = tv.code AND " POST_IN_YEAR("lx") \
  " ORDER BY CASE lx.post WHEN 'first_secretary' THEN 0 WHEN 'team_leader' THEN 1 ELSE 2 END," \
  " lx.start_date DESC, lx.id DESC LIMIT 1)"

static const char TEAM_INNER[] =
  "SELECT tv.code AS village_code, tv.name AS village_name, coalesce(tw.name, '') AS township_name,"
  " coalesce(co.code, '') AS county_code, coalesce(co.name, '') AS county_name,"
  " (SELECT group_concat(name, '、') FROM (SELECT DISTINCT u.name AS name FROM assignment x JOIN unit u ON u.id = x.unit_id"
  "   WHERE x.village_code = tv.code AND " POST_IN_YEAR("x") " ORDER BY name) AS un) AS units,"
  " " LEAD_UNIT_ID " AS lead_unit_id,"
  " (SELECT u.name FROM unit u WHERE u.id = " LEAD_UNIT_ID ") AS lead_unit_name,"
  " (SELECT group_concat(name, '、') FROM (SELECT DISTINCT u.name AS name FROM assignment x JOIN unit u ON u.id = x.unit_id"
  "   WHERE x.village_code = tv.code AND " POST_IN_YEAR("x") " AND x.unit_id <> coalesce(" LEAD_UNIT_ID ", 0)"
  "   ORDER BY name) AS cu) AS co_units,"
  " (SELECT count(DISTINCT x.cadre_id) FROM assignment x WHERE x.village_code = tv.code AND " POST_IN_YEAR("x") ") AS cadres,"
  " (SELECT count(DISTINCT x.cadre_id) FROM assignment x WHERE x.village_code = tv.code AND " POST_IN_YEAR("x")
  "   AND EXISTS (SELECT 1 FROM insurance_cover ic JOIN insurance_policy ip ON ip.id = ic.policy_id"
  "   WHERE ic.cadre_id = x.cadre_id AND ip.village_code = tv.code AND ip.year = :year AND ip.withdrawn_at IS NULL))"
  "   AS insured,"
  " " LIVE_FUNDS("f.kind = 'work_funds'") " AS work_funds,"
  " " LIVE_FUNDS("f.kind = 'assistance_funds'") " AS assistance_funds,"
  " " LIVE_FUNDS("f.cadre_id IS NOT NULL") " AS cadre_funds,"
  " (SELECT count(*) FROM fund_entry f WHERE f.village_code = tv.code AND f.withdrawn_at IS NULL"
  "   AND f.paid_on BETWEEN :first AND :year_end) AS entries,"
  " (SELECT min(f.paid_on) FROM fund_entry f WHERE f.village_code = tv.code AND f.kind = 'work_funds'"
  "   AND f.withdrawn_at IS NULL AND f.paid_on BETWEEN :first AND :year_end"
  "   AND (SELECT sum(g.amount) FROM fund_entry g WHERE g.village_code = tv.code AND g.kind = 'work_funds'"
  "   AND g.withdrawn_at IS NULL AND g.paid_on BETWEEN :first AND f.paid_on) >= :min) AS reached_on,"
  " (SELECT max(max(ip.cover_start, :first)) FROM insurance_policy ip WHERE ip.village_code = tv.code"
  "   AND ip.year = :year AND ip.withdrawn_at IS NULL) AS insured_from"
  " FROM region tv LEFT JOIN region tw ON tw.code = tv.parent_code LEFT JOIN region co ON co.code = tw.parent_code"
  " WHERE tv.level = 'village' AND EXISTS (SELECT 1 FROM assignment x WHERE x.village_code = tv.code AND "
  POST_IN_YEAR("x") ")";

/* Flags as SQL over the inner row t: :due is 1 once the deadline has passed. */
#define BELOW_SQL "(t.work_funds < :min)"
#define LATE_SQL "(:due = 1 AND (t.reached_on IS NULL OR t.reached_on > :deadline))"
#define INSURANCE_SQL "(t.insured < t.cadres)"

static int team_from(struct strbuf *b, const struct scope *scope, const struct team_query *q)
{
  int rc = strbuf_appendf(b, "(%s", TEAM_INNER);
  if (q->region_code) rc |= strbuf_appendf(b, " AND tv.path >= :rlo AND tv.path < :rhi");
  if (q->unit_id)
    rc |= strbuf_appendf(b, " AND EXISTS (SELECT 1 FROM assignment x WHERE x.village_code = tv.code AND x.unit_id = :unit"
                            " AND " POST_IN_YEAR("x") ")");
  rc |= scope_sql(scope, SCOPE_TEAM, b);
  rc |= strbuf_appendf(b, ") t WHERE 1 = 1");
  if (!q->flag) return rc;
  if (strcmp(q->flag, "below_min") == 0) return rc | strbuf_appendf(b, " AND " BELOW_SQL);
  if (strcmp(q->flag, "late") == 0) return rc | strbuf_appendf(b, " AND " LATE_SQL);
  if (strcmp(q->flag, "insurance") == 0) return rc | strbuf_appendf(b, " AND " INSURANCE_SQL);
  return rc | strbuf_appendf(b, " AND (" BELOW_SQL " OR " LATE_SQL " OR " INSURANCE_SQL ")");
}

static void add_flag(json_t *flags, const char *code, const char *clause, const char *text)
{
  json_array_append_new(flags, json_pack("{s:s, s:s, s:s}", "code", code, "clause", clause, "text", text));
}

static void team_flags(json_t *row)
{
  json_t *flags = json_array();
  bool below = json_integer_value(json_object_get(row, "below_min")) != 0;
  bool late = json_integer_value(json_object_get(row, "late")) != 0;
  json_object_set_new(row, "below_min", json_boolean(below));
  json_object_set_new(row, "late", json_boolean(late));
  const char *ins = json_string_value(json_object_get(row, "insurance"));
  if (below) add_flag(flags, "below_min", "3.4a", "工作经费不足1万元");
  if (late) add_flag(flags, "late", "3.5", "未在一季度末（3月31日）前落实到位");
  if (ins && strcmp(ins, "missing") == 0) add_flag(flags, "insurance_missing", "3.5", "未购买人身意外伤害保险");
  if (ins && strcmp(ins, "partial") == 0) add_flag(flags, "insurance_partial", "3.5", "意外伤害保险未覆盖全部驻村干部");
  json_object_set_new(row, "flags", flags);
}

static json_t *team_summary(struct db *db, const struct scope *scope, const struct team_query *q,
                            const struct sql_param *p, int np)
{
  struct team_query all = *q;
  all.flag = NULL;
  struct strbuf sql;
  strbuf_init(&sql, 32768);
  int rc = strbuf_appendf(&sql, "SELECT count(*) AS teams, coalesce(sum(" BELOW_SQL "), 0) AS below_min,"
                                " coalesce(sum(" LATE_SQL "), 0) AS late, coalesce(sum(" INSURANCE_SQL "), 0) AS insurance,"
                                " coalesce(sum(t.work_funds), 0) AS work_funds FROM ");
  rc |= team_from(&sql, scope, &all);
  struct query *qr = rc ? NULL : query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  query_bind_params(qr, p, np);
  query_bind_scope(qr, scope);
  json_t *out = NULL;
  if (query_next(qr))
    out = json_pack("{s:I, s:I, s:I, s:I, s:f}", "teams", (json_int_t)query_get_int(qr, "teams"),
                    "below_min", (json_int_t)query_get_int(qr, "below_min"), "late", (json_int_t)query_get_int(qr, "late"),
                    "insurance", (json_int_t)query_get_int(qr, "insurance"), "work_funds",
                    query_get_double(qr, "work_funds"));
  if (query_close(qr) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

/* The parameters of the team statement; texts in *tp. The first np of p: :rlo and :rhi only with a
 * region, :unit only with a unit, as team_from names them. */
struct team_params {
  char first[11], year_end[11], last[11], deadline[24], rlo[100], rhi[101];
  struct sql_param p[10];
  int np;
};

static int team_params(struct db *db, const struct team_query *q, struct team_params *tp)
{
  memset(tp, 0, sizeof *tp);
  snprintf(tp->first, sizeof tp->first, "%04d-01-01", q->year);
  snprintf(tp->year_end, sizeof tp->year_end, "%04d-12-31", q->year);
  snprintf(tp->last, sizeof tp->last, "%s", strcmp(q->today, tp->year_end) < 0 ? q->today : tp->year_end);
  snprintf(tp->deadline, sizeof tp->deadline, "%04d-%.5s", q->year, q->deadline);
  if (q->region_code) {
    /* a region not found keeps an empty range, which holds no team */
    struct query *qr = query_open(db, "SELECT path AS path FROM region WHERE code = :code");
    query_bind_text(qr, ":code", q->region_code);
    if (query_next(qr)) snprintf(tp->rlo, sizeof tp->rlo, "%s", query_get_text(qr, "path"));
    if (query_close(qr) != DB_OK) return DB_ERROR;
    snprintf(tp->rhi, sizeof tp->rhi, "%s~", tp->rlo);
  }
  struct sql_param p[] = {{":year", NULL, q->year}, {":first", tp->first, 0}, {":last", tp->last, 0},
                          {":year_end", tp->year_end, 0}, {":deadline", tp->deadline, 0},
                          {":due", NULL, strcmp(q->today, tp->deadline) > 0}, {":min", NULL, (int64_t)q->min_amount}};
  memcpy(tp->p, p, sizeof p);
  tp->np = (int)(sizeof p / sizeof p[0]);
  if (q->region_code) {
    tp->p[tp->np++] = (struct sql_param){":rlo", tp->rlo, 0};
    tp->p[tp->np++] = (struct sql_param){":rhi", tp->rhi, 0};
  }
  if (q->unit_id) tp->p[tp->np++] = (struct sql_param){":unit", NULL, q->unit_id};
  return DB_OK;
}

json_t *funds_teams_json(struct db *db, const struct scope *scope, const struct team_query *q, int page,
                         int page_size)
{
  struct team_params tp;
  if (team_params(db, q, &tp) != DB_OK) return NULL;
  const struct sql_param *p = tp.p;
  int np = tp.np;
  const char *deadline = tp.deadline;
  struct strbuf from;
  strbuf_init(&from, 32768);
  json_t *out = NULL;
  if (team_from(&from, scope, q) == 0)
    out = query_list(db,
                     "t.*, " BELOW_SQL " AS below_min, " LATE_SQL " AS late, CASE WHEN t.insured = 0 THEN 'missing'"
                     " WHEN t.insured < t.cadres THEN 'partial' ELSE 'ok' END AS insurance",
                     strbuf_cstr(&from), "t.county_code, t.township_name, t.village_code", p, np, scope, query_row_object,
                     page, page_size);
  strbuf_free(&from);
  if (!out) return NULL;
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(out, "items"), i, row) team_flags(row);
  json_t *summary = team_summary(db, scope, q, p, np);
  if (!summary) { json_decref(out); return NULL; }
  json_object_set_new(summary, "year", json_integer(q->year));
  json_object_set_new(summary, "deadline", json_string(deadline));
  json_object_set_new(summary, "min_amount", json_real(q->min_amount));
  json_object_set_new(out, "summary", summary);
  return out;
}

json_t *funds_units_json(struct db *db, const struct scope *scope, const struct team_query *q, int page,
                         int page_size)
{
  struct team_params tp;
  if (team_params(db, q, &tp) != DB_OK) return NULL;
  struct team_query all = *q;
  all.flag = NULL;
  struct strbuf from;
  strbuf_init(&from, 32768);
  /* a unit answers for the teams it leads (LEAD_UNIT_ID); the teams where it is a co-unit are counted
   * apart, without their flags */
#define IS_LEAD "(tu.unit_id = t.lead_unit_id)"
  int rc = strbuf_appendf(&from, "(SELECT u.id AS unit_id, u.name AS unit_name, sum(" IS_LEAD ") AS teams,"
                                 " sum(NOT " IS_LEAD ") AS co_teams,"
                                 " sum(" IS_LEAD " AND " BELOW_SQL ") AS below_min, sum(" IS_LEAD " AND " LATE_SQL ") AS late,"
                                 " sum(" IS_LEAD " AND " INSURANCE_SQL ") AS insurance,"
                                 " coalesce((SELECT sum(f.amount) FROM fund_entry f WHERE f.payer_unit_id = u.id"
                                 "  AND f.kind = 'work_funds' AND f.withdrawn_at IS NULL"
                                 "  AND f.paid_on BETWEEN :first AND :year_end), 0) AS paid FROM (SELECT t.* FROM ");
  rc |= team_from(&from, scope, &all);
  /* each unit with a post in the team during the year: the lead, or a co-unit */
  rc |= strbuf_appendf(&from, ") t JOIN (SELECT DISTINCT x.village_code AS village_code, x.unit_id AS unit_id"
                              " FROM assignment x WHERE " POST_IN_YEAR("x") ") tu ON tu.village_code = t.village_code"
                              " JOIN unit u ON u.id = tu.unit_id");
  if (scope->kind == SCOPE_KIND_UNIT) rc |= strbuf_appendf(&from, " WHERE u.id = :scope_unit");
  rc |= strbuf_appendf(&from, " GROUP BY u.id) k WHERE 1 = 1");
  if (q->flag && strcmp(q->flag, "below_min") == 0) rc |= strbuf_appendf(&from, " AND k.below_min > 0");
  else if (q->flag && strcmp(q->flag, "late") == 0) rc |= strbuf_appendf(&from, " AND k.late > 0");
  else if (q->flag && strcmp(q->flag, "insurance") == 0) rc |= strbuf_appendf(&from, " AND k.insurance > 0");
  else if (q->flag) rc |= strbuf_appendf(&from, " AND (k.below_min > 0 OR k.late > 0 OR k.insurance > 0)");
  json_t *out = rc ? NULL : query_list(db, "k.*", strbuf_cstr(&from), "k.late DESC, k.below_min DESC, k.unit_name, k.unit_id",
                                       tp.p, tp.np, scope, query_row_object, page, page_size);
  strbuf_free(&from);
  return out;
}
