/* upward_reports — see upward_reports.h. */
#include "store/upward_reports.h"

#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


/* unreported: no report, or only a draft — what the level above counts as 未报. */
#define STATE_SQL "CASE WHEN ur.status IS NULL OR ur.status = 'draft' THEN 'unreported' ELSE ur.status END"

/* The regions owing a report of the period: townships and counties with a post in the period,
 * each left-joined with its report (alias ur), bounded by the scope (alias r). The post is sought
 * from the region's own villages (CROSS JOIN keeps them outermost): read by status, every region
 * would walk the city's posts (issue 15: 待办 of a township). */
static int period_from(struct strbuf *sql, const struct scope *scope, const struct upward_period_query *q)
{
  int rc = strbuf_appendf(sql,
      "region r JOIN region pr ON pr.code = r.parent_code"
      " LEFT JOIN upward_report ur ON ur.region_code = r.code AND ur.kind = :kind AND ur.period = :period"
      " WHERE r.level IN ('township','county')"
      " AND EXISTS (SELECT 1 FROM region ar CROSS JOIN assignment a ON a.village_code = ar.code"
      "  WHERE ar.path > r.path AND ar.path < r.path || '~' AND ar.level = 'village'"
      "  AND a.status IN ('active','handover','ended') AND a.start_date <= :to"
      "  AND coalesce(a.ended_on, a.term_end) >= :from)");
  if (q->parent) rc |= strbuf_appendf(sql, " AND r.parent_code = :parent");
  if (q->region) rc |= strbuf_appendf(sql, " AND r.code = :region");
  if (q->state) rc |= strbuf_appendf(sql, " AND " STATE_SQL " = :state");
  return rc | scope_sql(scope, SCOPE_REGION, sql);
}

static int period_params(const struct upward_period_query *q, struct sql_param p[7])
{
  int n = 0;
  p[n++] = (struct sql_param){":kind", q->kind, 0};
  p[n++] = (struct sql_param){":period", q->period, 0};
  p[n++] = (struct sql_param){":from", q->from, 0};
  p[n++] = (struct sql_param){":to", q->to, 0};
  if (q->parent) p[n++] = (struct sql_param){":parent", q->parent, 0};
  if (q->region) p[n++] = (struct sql_param){":region", q->region, 0};
  if (q->state) p[n++] = (struct sql_param){":state", q->state, 0};
  return n;
}

#define PERIOD_COLUMNS \
  "r.code AS region_code, r.name AS region_name, r.level AS region_level, r.parent_code AS parent_code," \
  " pr.name AS parent_name, ur.id AS report_id, ur.status AS status, " STATE_SQL " AS state," \
  " ur.version AS version, " SQL_CST_ISO("ur.submitted_at") " AS submitted_at, " SQL_CST_ISO("ur.received_at") \
  " AS received_at, " SQL_CST_ISO("ur.returned_at") " AS returned_at, ur.return_reason AS return_reason," \
  " ur.figures AS figures_json"

/* The counts by state over the same rows as the list (without its state filter). */
static json_t *period_summary(struct db *db, const struct scope *scope, const struct upward_period_query *q)
{
  struct upward_period_query all = *q;
  all.state = NULL;
  struct sql_param p[7];
  int np = period_params(&all, p);
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "SELECT count(*), count(*) FILTER (WHERE " STATE_SQL " = 'unreported'),"
                                " count(*) FILTER (WHERE ur.status = 'draft'), count(*) FILTER (WHERE ur.status = 'submitted'),"
                                " count(*) FILTER (WHERE ur.status = 'received'), count(*) FILTER (WHERE ur.status = 'returned')"
                                " FROM ");
  rc |= period_from(&sql, scope, &all);
  sqlite3_stmt *st = rc ? NULL : db_stmt(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  if (!st) return NULL;
  list_bind(st, p, np);
  scope_bind(scope, st);
  json_t *out = NULL;
  if (db_step_row(db, st))
    out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "regions", (json_int_t)sqlite3_column_int64(st, 0),
                    "unreported", (json_int_t)sqlite3_column_int64(st, 1), "draft", (json_int_t)sqlite3_column_int64(st, 2),
                    "submitted", (json_int_t)sqlite3_column_int64(st, 3), "received", (json_int_t)sqlite3_column_int64(st, 4),
                    "returned", (json_int_t)sqlite3_column_int64(st, 5));
  sqlite3_reset(st);
  return out;
}

json_t *upward_reports_period_json(struct db *db, const struct scope *scope, const struct upward_period_query *q,
                                   int page, int page_size)
{
  struct sql_param p[7];
  int np = period_params(q, p);
  struct strbuf from;
  strbuf_init(&from, 4096);
  json_t *out = period_from(&from, scope, q) == 0
                    ? list_query(db, PERIOD_COLUMNS, strbuf_cstr(&from), "r.level DESC, r.parent_code, r.code", p, np,
                                 scope, rows_object, page, page_size)
                    : NULL;
  strbuf_free(&from);
  if (!out) return NULL;
  json_t *summary = period_summary(db, scope, q);
  if (!summary) { json_decref(out); return NULL; }
  json_object_set_new(out, "summary", summary);
  return out;
}

int upward_region_of(struct db *db, const char *code, struct upward_region *out)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT code, name, level, path, coalesce(parent_code, '') FROM region WHERE code = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    snprintf(out->code, sizeof out->code, "%s", db_col_text(st, 0));
    snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 1));
    snprintf(out->level, sizeof out->level, "%s", db_col_text(st, 2));
    snprintf(out->path, sizeof out->path, "%s", db_col_text(st, 3));
    snprintf(out->parent, sizeof out->parent, "%s", db_col_text(st, 4));
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : DB_ERROR;
}

int upward_reports_insert(struct db *db, const struct upward_new *n, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO upward_report (region_code, receiver_code, kind, period, period_from, period_to, work_text,"
      " problems_text, plans_text, created_by, created_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) RETURNING id");
  if (!st) return DB_ERROR;
  const char *texts[] = {n->region_code, n->receiver_code, n->kind, n->period, n->from, n->to, n->work_text,
                         n->problems_text, n->plans_text};
  for (int i = 0; i < 9; i++) sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_TRANSIENT);
  if (n->user_id) sqlite3_bind_int64(st, 10, n->user_id); else sqlite3_bind_null(st, 10);
  sqlite3_bind_int64(st, 11, now);
  return db_insert_returning(db, st, id_out);
}

#define REPORT_COLUMNS \
  "ur.id AS id, ur.region_code AS region_code, r.name AS region_name, r.level AS region_level," \
  " ur.receiver_code AS receiver_code, rr.name AS receiver_name, rr.level AS receiver_level, ur.kind AS kind," \
  " ur.period AS period, ur.period_from AS period_from, ur.period_to AS period_to, ur.status AS status," \
  " ur.version AS version, ur.work_text AS work_text, ur.problems_text AS problems_text," \
  " ur.plans_text AS plans_text, ur.figures AS figures_json, ur.return_reason AS return_reason," \
  " " SQL_CST_ISO("ur.created_at") " AS created_at, " SQL_CST_ISO("ur.updated_at") " AS updated_at," \
  " " SQL_CST_ISO("ur.submitted_at") " AS submitted_at, coalesce(su.display_name, '') AS submitted_by_name," \
  " " SQL_CST_ISO("ur.received_at") " AS received_at, coalesce(cu.display_name, '') AS received_by_name," \
  " " SQL_CST_ISO("ur.returned_at") " AS returned_at, coalesce(tu.display_name, '') AS returned_by_name"
#define REPORT_FROM \
  "upward_report ur JOIN region r ON r.code = ur.region_code JOIN region rr ON rr.code = ur.receiver_code" \
  " LEFT JOIN user su ON su.id = ur.submitted_by LEFT JOIN user cu ON cu.id = ur.received_by" \
  " LEFT JOIN user tu ON tu.id = ur.returned_by"

json_t *upward_reports_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, REPORT_COLUMNS, REPORT_FROM, "ur.id", scope, SCOPE_REGION, rows_object, id);
}

int upward_reports_set_texts(struct db *db, int64_t id, int64_t version, const char *work, const char *problems,
                             const char *plans, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE upward_report SET work_text = ?3, problems_text = ?4, plans_text = ?5, updated_at = ?6,"
      " version = version + 1 WHERE id = ?1 AND version = ?2 AND status IN ('draft','returned')");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, version);
  sqlite3_bind_text(st, 3, work, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, problems, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, plans, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, now);
  return db_update_guarded(db, st);
}

int upward_reports_submit(struct db *db, int64_t id, int64_t version, const char *figures, int64_t user_id,
                          int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE upward_report SET status = 'submitted', figures = ?3, submitted_by = ?4, submitted_at = ?5,"
      " updated_at = ?5, version = version + 1 WHERE id = ?1 AND version = ?2 AND status IN ('draft','returned')");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, version);
  sqlite3_bind_text(st, 3, figures, -1, SQLITE_TRANSIENT);
  if (user_id) sqlite3_bind_int64(st, 4, user_id); else sqlite3_bind_null(st, 4);
  sqlite3_bind_int64(st, 5, now);
  return db_update_guarded(db, st);
}

int upward_reports_receive(struct db *db, int64_t id, int64_t version, int64_t user_id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE upward_report SET status = 'received', received_by = ?3, received_at = ?4, updated_at = ?4,"
      " version = version + 1 WHERE id = ?1 AND version = ?2 AND status = 'submitted'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, version);
  if (user_id) sqlite3_bind_int64(st, 3, user_id); else sqlite3_bind_null(st, 3);
  sqlite3_bind_int64(st, 4, now);
  return db_update_guarded(db, st);
}

int upward_reports_return(struct db *db, int64_t id, int64_t version, const char *reason, int64_t user_id,
                          int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE upward_report SET status = 'returned', return_reason = ?3, returned_by = ?4, returned_at = ?5,"
      " updated_at = ?5, version = version + 1 WHERE id = ?1 AND version = ?2 AND status = 'submitted'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, version);
  sqlite3_bind_text(st, 3, reason, -1, SQLITE_TRANSIENT);
  if (user_id) sqlite3_bind_int64(st, 4, user_id); else sqlite3_bind_null(st, 4);
  sqlite3_bind_int64(st, 5, now);
  return db_update_guarded(db, st);
}
