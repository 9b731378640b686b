/* upward_reports — see upward_reports.h. */
#include "store/upward_reports.h"

#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
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
  int rc = strbuf_appendf(&sql, "SELECT count(*) AS regions, count(*) FILTER (WHERE " STATE_SQL " = 'unreported') AS unreported,"
                                " count(*) FILTER (WHERE ur.status = 'draft') AS draft,"
                                " count(*) FILTER (WHERE ur.status = 'submitted') AS submitted,"
                                " count(*) FILTER (WHERE ur.status = 'received') AS received,"
                                " count(*) FILTER (WHERE ur.status = 'returned') AS returned"
                                " FROM ");
  rc |= period_from(&sql, scope, &all);
  struct query *qr = rc ? NULL : query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  query_bind_params(qr, p, np);
  query_bind_scope(qr, scope);
  return query_one_json(qr, NULL);
}

json_t *upward_reports_period_json(struct db *db, const struct scope *scope, const struct upward_period_query *q,
                                   int page, int page_size)
{
  struct sql_param p[7];
  int np = period_params(q, p);
  struct strbuf from;
  strbuf_init(&from, 4096);
  json_t *out = period_from(&from, scope, q) == 0
                    ? query_list(db, PERIOD_COLUMNS, strbuf_cstr(&from), "r.level DESC, r.parent_code, r.code", p, np,
                                 scope, query_row_object, page, page_size)
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
  struct query *q = query_open(db,
      "SELECT code, name, level, path, coalesce(parent_code, '') AS parent FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  if (found) {
    snprintf(out->code, sizeof out->code, "%s", query_get_text(q, "code"));
    snprintf(out->name, sizeof out->name, "%s", query_get_text(q, "name"));
    snprintf(out->level, sizeof out->level, "%s", query_get_text(q, "level"));
    snprintf(out->path, sizeof out->path, "%s", query_get_text(q, "path"));
    snprintf(out->parent, sizeof out->parent, "%s", query_get_text(q, "parent"));
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int upward_reports_insert(struct db *db, const struct upward_new *n, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO upward_report (region_code, receiver_code, kind, period, period_from, period_to, work_text,"
      " problems_text, plans_text, created_by, created_at, updated_at)"
      " VALUES (:region, :receiver, :kind, :period, :from, :to, :work, :problems, :plans, :user, :now, :now)"
      " RETURNING id");
  query_bind_text(q, ":region", n->region_code);
  query_bind_text(q, ":receiver", n->receiver_code);
  query_bind_text(q, ":kind", n->kind);
  query_bind_text(q, ":period", n->period);
  query_bind_text(q, ":from", n->from);
  query_bind_text(q, ":to", n->to);
  query_bind_text(q, ":work", n->work_text);
  query_bind_text(q, ":problems", n->problems_text);
  query_bind_text(q, ":plans", n->plans_text);
  query_bind_int_or_null(q, ":user", n->user_id);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
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
  " LEFT JOIN \"user\" su ON su.id = ur.submitted_by LEFT JOIN \"user\" cu ON cu.id = ur.received_by" \
  " LEFT JOIN \"user\" tu ON tu.id = ur.returned_by"

json_t *upward_reports_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, REPORT_COLUMNS, REPORT_FROM, "ur.id", scope, SCOPE_REGION, query_row_object, id);
}

int upward_reports_set_texts(struct db *db, int64_t id, int64_t version, const char *work, const char *problems,
                             const char *plans, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE upward_report SET work_text = :work, problems_text = :problems, plans_text = :plans, updated_at = :now,"
      " version = version + 1 WHERE id = :id AND version = :version AND status IN ('draft','returned')");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", version);
  query_bind_text(q, ":work", work);
  query_bind_text(q, ":problems", problems);
  query_bind_text(q, ":plans", plans);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

int upward_reports_submit(struct db *db, int64_t id, int64_t version, const char *figures, int64_t user_id,
                          int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE upward_report SET status = 'submitted', figures = :figures, submitted_by = :user, submitted_at = :now,"
      " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version AND status IN ('draft','returned')");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", version);
  query_bind_text(q, ":figures", figures);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

int upward_reports_receive(struct db *db, int64_t id, int64_t version, int64_t user_id, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE upward_report SET status = 'received', received_by = :user, received_at = :now, updated_at = :now,"
      " version = version + 1 WHERE id = :id AND version = :version AND status = 'submitted'");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", version);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

int upward_reports_return(struct db *db, int64_t id, int64_t version, const char *reason, int64_t user_id,
                          int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE upward_report SET status = 'returned', return_reason = :reason, returned_by = :user, returned_at = :now,"
      " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version AND status = 'submitted'");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", version);
  query_bind_text(q, ":reason", reason);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}
