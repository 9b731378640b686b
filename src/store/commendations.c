/* commendations — see commendations.h. */
#include "store/commendations.h"

#include <stdio.h>
#include <string.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int commendations_insert(struct db *db, const struct commendation_new *n, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO commendation (subject, cadre_id, unit_id, kind, level, date, doc_no, title, reason, recorded_by,"
      " created_at) VALUES (:subject, :cadre, :unit, :kind, :level, :date, :doc_no, :title, :reason, :recorded_by,"
      " :now) RETURNING id");
  query_bind_text(q, ":subject", n->subject);
  query_bind_int_or_null(q, ":cadre", n->cadre_id);
  query_bind_int_or_null(q, ":unit", n->unit_id);
  query_bind_text(q, ":kind", n->kind);
  query_bind_text(q, ":level", n->level);
  query_bind_text(q, ":date", n->date);
  query_bind_text(q, ":doc_no", n->doc_no);
  query_bind_text(q, ":title", n->title);
  query_bind_text(q, ":reason", n->reason);
  query_bind_int_or_null(q, ":recorded_by", n->recorded_by);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int commendations_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE commendation SET withdrawn_at = :now, withdrawn_by = :user, withdraw_reason = :reason"
      " WHERE id = :id AND withdrawn_at IS NULL");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":reason", reason);
  return query_exec_guarded(q);
}

int commendations_place(struct db *db, const char *subject, int64_t id, char path[96])
{
  struct query *q = query_open(db, strcmp(subject, "cadre") == 0
      ? "SELECT coalesce(cr.path, ur.path) AS path FROM cadre c LEFT JOIN region cr ON cr.code = c.village_code"
        " JOIN unit u ON u.id = c.unit_id JOIN region ur ON ur.code = u.region_code WHERE c.id = :id"
      : "SELECT ur.path AS path FROM unit u JOIN region ur ON ur.code = u.region_code WHERE u.id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  if (found) snprintf(path, 96, "%s", query_get_text(q, "path"));
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

#define COLUMNS \
  "m.id AS id, m.subject AS subject, m.cadre_id AS cadre_id, c.name AS cadre_name, coalesce(cr.name, '') AS village_name," \
  " u.id AS unit_id, u.name AS unit_name, m.kind AS kind, m.level AS level, m.date AS date, m.doc_no AS doc_no," \
  " m.title AS title, m.reason AS reason, coalesce(ru.display_name, '') AS recorded_by_name," \
  " " SQL_CST_ISO("m.created_at") " AS created_at, CASE WHEN m.withdrawn_at IS NULL THEN 'valid' ELSE 'withdrawn' END AS status," \
  " m.withdraw_reason AS withdraw_reason," \
  " (SELECT r.year FROM evaluation e JOIN evaluation_round r ON r.id = e.round_id WHERE e.cadre_id = m.cadre_id" \
  "  AND r.status = 'confirmed' AND e.result IS NOT NULL ORDER BY r.year DESC, r.id DESC LIMIT 1) AS evaluation_year," \
  " (SELECT e.result FROM evaluation e JOIN evaluation_round r ON r.id = e.round_id WHERE e.cadre_id = m.cadre_id" \
  "  AND r.status = 'confirmed' AND e.result IS NOT NULL ORDER BY r.year DESC, r.id DESC LIMIT 1) AS evaluation_result"
#define FROM \
  "commendation m LEFT JOIN cadre c ON c.id = m.cadre_id LEFT JOIN region cr ON cr.code = c.village_code" \
  " JOIN unit u ON u.id = coalesce(m.unit_id, c.unit_id) JOIN region ur ON ur.code = u.region_code" \
  " LEFT JOIN \"user\" ru ON ru.id = m.recorded_by"

/* A cadre's record by the cadre's scope, a unit's by the unit's. */
static int scope_clause(const struct scope *scope, struct strbuf *sql)
{
  int rc = strbuf_appendf(sql, " AND ((m.subject = 'cadre'");
  rc |= scope_sql(scope, SCOPE_CADRE, sql);
  rc |= strbuf_appendf(sql, ") OR (m.subject = 'unit'");
  rc |= scope_sql(scope, SCOPE_UNIT, sql);
  return rc | strbuf_appendf(sql, "))");
}

json_t *commendations_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT %s FROM %s WHERE m.id = :id", COLUMNS, FROM);
  rc |= scope_clause(scope, &sql);
  struct query *q = rc ? NULL : query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_int(q, ":id", id);
  return query_one_json(q, NULL);
}

json_t *commendations_list_json(struct db *db, const struct scope *scope, const struct commendation_filter *f,
                                int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", FROM);
  if (f->year) rc |= strbuf_appendf(&where, " AND substr(m.date, 1, 4) = :year");
  if (f->cadre_id) rc |= strbuf_appendf(&where, " AND m.cadre_id = :cadre");
  if (f->unit_id) rc |= strbuf_appendf(&where, " AND u.id = :unit");
  if (f->kind) rc |= strbuf_appendf(&where, " AND m.kind = :kind");
  if (!f->with_withdrawn) rc |= strbuf_appendf(&where, " AND m.withdrawn_at IS NULL");
  rc |= scope_clause(scope, &where);
  char year[8];
  snprintf(year, sizeof year, "%04d", f->year);
  struct sql_param p[] = {{":year", year, 0}, {":cadre", NULL, f->cadre_id}, {":unit", NULL, f->unit_id},
                          {":kind", f->kind, 0}};
  json_t *out = rc ? NULL : query_list(db, COLUMNS, strbuf_cstr(&where), "m.date DESC, m.id DESC", p, 4, scope,
                                       query_row_object, page, page_size);
  strbuf_free(&where);
  return out;
}
