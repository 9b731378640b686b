/* plans — see plans.h. Every write is a few statements in the caller's transaction: the guarded
 * UPDATE of the plan (version and state in its WHERE), the items, and the plan_event row. */
#include "store/plans.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "store/vw_sql.h"
#include "util/strbuf.h"

#define REGION_FILTER(alias) \
  " AND (:village = '' OR " alias ".path >= (SELECT path FROM region WHERE code = :village)" \
  " AND " alias ".path < (SELECT path || '~' FROM region WHERE code = :village))"

static int cat(struct strbuf *b, const char *s) { return strbuf_append(b, s, strlen(s)); }

int plans_reviewing_unit(struct db *db, const char *village, int64_t *unit_id)
{
  const struct sql_param p[] = {{":v", village, 0}};
  return vw_int(db, "SELECT unit_id FROM assignment WHERE village_code = :v AND post = 'first_secretary'"
                    " AND status IN ('active','handover') ORDER BY status = 'active' DESC, id DESC LIMIT 1",
                p, 1, NULL, unit_id);
}

int plans_of_year(struct db *db, const char *village, int year, int64_t *id)
{
  const struct sql_param p[] = {{":v", village, 0}, {":y", NULL, year}};
  return vw_int(db, "SELECT id FROM assistance_plan WHERE village_code = :v AND year = :y", p, 2, NULL, id);
}

static int event(struct db *db, int64_t plan, const char *action, const char *comment, int64_t user, int64_t now)
{
  const struct sql_param p[] = {{":p", NULL, plan}, {":a", action, 0}, {":c", comment ? comment : "", 0},
                                {":u", NULL, user}, {":now", NULL, now}};
  return vw_exec(db, "INSERT INTO plan_event (plan_id, action, version, comment, user_id, at)"
                     " SELECT :p, :a, version, :c, nullif(:u, 0), :now FROM assistance_plan WHERE id = :p", p, 5, NULL);
}

static int put_items(struct db *db, int64_t plan, const json_t *items)
{
  const struct sql_param d[] = {{":p", NULL, plan}};
  /* items with progress or linked resources stay as removed rows, so the trail holds */
  int rc = vw_exec(db, "UPDATE plan_item SET removed = 1 WHERE plan_id = :p", d, 1, NULL);
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    if (rc != DB_OK) break;
    const json_t *amount = json_object_get(it, "amount");
    char amount_text[40] = "";
    if (json_is_number(amount)) snprintf(amount_text, sizeof amount_text, "%.2f", json_number_value(amount));
    const char *resp = json_string_value(json_object_get(it, "responsible"));
    const struct sql_param p[] = {
      {":p", NULL, plan}, {":seq", NULL, (int64_t)i + 1}, {":kind", json_string_value(json_object_get(it, "kind")), 0},
      {":title", json_string_value(json_object_get(it, "title")), 0},
      {":target", json_string_value(json_object_get(it, "target")), 0}, {":amount", amount_text, 0},
      {":due", json_string_value(json_object_get(it, "due_month")), 0}, {":resp", resp ? resp : "", 0},
      {":id", NULL, json_integer_value(json_object_get(it, "id"))}};
    /* an item named by id keeps its id (and its progress); others are new, numbered after the last as SQLite
     * numbers a NULL id (written out: a server's identity column takes no NULL; every item comes here) */
    rc = vw_exec(db,
                 "INSERT INTO plan_item (id, plan_id, seq, kind, title, target, amount, due_month, responsible, removed)"
                 " VALUES (coalesce((SELECT id FROM plan_item WHERE id = :id AND plan_id = :p),"
                 " (SELECT coalesce(max(id), 0) + 1 FROM plan_item)), :p, :seq, :kind, :title, :target,"
                 " CAST(nullif(:amount, '') AS REAL), :due, :resp, 0)"
                 " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, kind = excluded.kind, title = excluded.title,"
                 " target = excluded.target, amount = excluded.amount, due_month = excluded.due_month,"
                 " responsible = excluded.responsible, removed = 0",
                 p, 9, NULL);
  }
  return rc;
}

int plans_insert(struct db *db, const struct plan_write *w, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":v", w->village_code, 0}, {":y", NULL, w->year}, {":u", NULL, w->unit_id},
                                {":g", w->goals, 0}, {":d", w->drafted_with ? w->drafted_with : "", 0},
                                {":user", NULL, w->user_id}, {":now", NULL, now},
                                {":wp", w->weak_points_json ? w->weak_points_json : "[]", 0}};
  int rc = vw_exec(db,
                   "INSERT INTO assistance_plan (village_code, year, unit_id, goals, drafted_with, weak_points, status,"
                   " created_by, created_at, updated_at) VALUES (:v, :y, :u, :g, :d, :wp, 'draft', nullif(:user, 0), :now,"
                   " :now) RETURNING id",
                   p, 8, id_out);
  if (rc == DB_OK) rc = put_items(db, *id_out, w->items);
  if (rc == DB_OK) rc = event(db, *id_out, "create", NULL, w->user_id, now);
  return rc;
}

int plans_update(struct db *db, int64_t id, int64_t version, const struct plan_write *w, int64_t now)
{
  const struct sql_param p[] = {{":id", NULL, id}, {":ver", NULL, version}, {":g", w->goals, 0},
                                {":d", w->drafted_with ? w->drafted_with : "", 0}, {":now", NULL, now},
                                {":wp", w->weak_points_json ? w->weak_points_json : "[]", 0}};
  int rc = vw_update(db,
                     "UPDATE assistance_plan SET goals = :g, drafted_with = :d, weak_points = :wp, version = version + 1,"
                     " updated_at = :now WHERE id = :id AND version = :ver AND status IN ('draft','returned')",
                     p, 6);
  if (rc == DB_OK) rc = put_items(db, id, w->items);
  if (rc == DB_OK) rc = event(db, id, "edit", NULL, w->user_id, now);
  return rc;
}

int plans_transition(struct db *db, int64_t id, int64_t version, const char *from_states, const char *to,
                     const char *action, const char *comment, int64_t user_id, int64_t now)
{
  const struct sql_param p[] = {{":id", NULL, id}, {":ver", NULL, version}, {":from", from_states, 0},
                                {":to", to, 0}, {":c", comment ? comment : "", 0}, {":u", NULL, user_id},
                                {":now", NULL, now}};
  int rc = vw_update(db,
      "UPDATE assistance_plan SET status = :to, version = version + 1, updated_at = :now,"
      " submitted_at = CASE WHEN :to = 'submitted' THEN :now ELSE submitted_at END,"
      " submitted_by = CASE WHEN :to = 'submitted' THEN nullif(:u, 0) ELSE submitted_by END,"
      " reviewed_at = CASE WHEN :to IN ('approved','returned') THEN :now ELSE reviewed_at END,"
      " reviewed_by = CASE WHEN :to IN ('approved','returned') THEN nullif(:u, 0) ELSE reviewed_by END,"
      " review_comment = CASE WHEN :to IN ('approved','returned') THEN nullif(:c, '') ELSE review_comment END"
      " WHERE id = :id AND version = :ver AND instr(',' || :from || ',', ',' || status || ',') > 0",
      p, 7);
  if (rc == DB_OK) rc = event(db, id, action, comment, user_id, now);
  return rc;
}

#define PLAN_COLUMNS \
  "p.id AS id, p.village_code AS village_code, tv.name AS village_name, tw.name AS township_name, p.year AS year," \
  " p.unit_id AS unit_id, un.name AS unit_name, p.goals AS goals, p.drafted_with AS drafted_with, p.status AS status," \
  " p.weak_points AS weak_points_json," \
  " p.version AS version, " SQL_CST_ISO("p.submitted_at") " AS submitted_at, " SQL_CST_ISO("p.reviewed_at") " AS reviewed_at," \
  " ru.display_name AS reviewed_by_name, p.review_comment AS review_comment," \
  " (SELECT count(*) FROM plan_item i WHERE i.plan_id = p.id AND i.removed = 0) AS items," \
  " (SELECT round(avg(coalesce((SELECT pp.percent FROM plan_progress pp WHERE pp.item_id = i.id" \
  "   ORDER BY pp.on_date DESC, pp.id DESC LIMIT 1), 0))) FROM plan_item i WHERE i.plan_id = p.id AND i.removed = 0)" \
  " AS progress, " SQL_CST_ISO("p.updated_at") " AS updated_at"
#define PLAN_FROM \
  "assistance_plan p JOIN region tv ON tv.code = p.village_code LEFT JOIN region tw ON tw.code = tv.parent_code" \
  " JOIN unit un ON un.id = p.unit_id LEFT JOIN \"user\" ru ON ru.id = p.reviewed_by"

json_t *plans_list_json(struct db *db, const struct scope *scope, const struct plan_filter *f, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, PLAN_FROM " WHERE (:year = 0 OR p.year = :year) AND (:status = '' OR p.status = :status)"
                       REGION_FILTER("tv"));
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  /* a unit also sees the plans it reviews, wherever its cadres are now */
  if (scope->kind == SCOPE_KIND_UNIT) {
    strbuf_reset(&where);
    rc = cat(&where, PLAN_FROM " WHERE (:year = 0 OR p.year = :year) AND (:status = '' OR p.status = :status)"
                     REGION_FILTER("tv") " AND p.unit_id = :scope_unit");
  }
  const struct sql_param params[] = {{":village", f->village ? f->village : "", 0}, {":year", NULL, f->year},
                                     {":status", f->status ? f->status : "", 0}};
  json_t *out = rc == 0 ? list_query(db, PLAN_COLUMNS, strbuf_cstr(&where), "p.year DESC, tv.path", params, 3, scope,
                                     query_row_object, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *plans_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = cat(&sql, "SELECT " PLAN_COLUMNS " FROM " PLAN_FROM " WHERE p.id = :id");
  if (scope->kind == SCOPE_KIND_UNIT) /* the reviewing unit */ rc |= cat(&sql, " AND p.unit_id = :scope_unit");
  else rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param p[] = {{":id", NULL, id}};
  json_t *plan = rc == 0 ? vw_row(db, strbuf_cstr(&sql), p, 1, scope) : NULL;
  strbuf_free(&sql);
  if (!plan) return NULL;
  json_t *items = vw_rows(db,
      "SELECT i.id AS id, i.seq AS seq, i.kind AS kind, i.title AS title, i.target AS target, i.amount AS amount,"
      " i.due_month AS due_month, i.responsible AS responsible,"
      " coalesce((SELECT pp.percent FROM plan_progress pp WHERE pp.item_id = i.id ORDER BY pp.on_date DESC, pp.id DESC"
      "  LIMIT 1), 0) AS percent,"
      " (SELECT sum(pp.amount) FROM plan_progress pp WHERE pp.item_id = i.id) AS amount_done,"
      " (SELECT json_group_array(json_object('id', pp.id, 'on_date', pp.on_date, 'percent', pp.percent, 'amount',"
      "  pp.amount, 'note', pp.note)) FROM (SELECT * FROM plan_progress WHERE item_id = i.id ORDER BY on_date, id) pp)"
      "  AS progress_json,"
      " (SELECT json_group_array(json_object('id', r.id, 'kind', r.kind, 'title', r.title, 'amount', r.amount,"
      "  'brought_on', r.brought_on)) FROM village_resource r WHERE r.plan_item_id = i.id) AS resources_json"
      " FROM plan_item i WHERE i.plan_id = :id AND i.removed = 0 ORDER BY i.seq",
      p, 1, NULL);
  json_t *events = vw_rows(db,
      "SELECT e.action AS action, e.version AS version, e.comment AS comment, coalesce(u.display_name, '') AS user_name,"
      " " SQL_CST_ISO("e.at") " AS at FROM plan_event e LEFT JOIN \"user\" u ON u.id = e.user_id WHERE e.plan_id = :id"
      " ORDER BY e.id",
      p, 1, NULL);
  json_t *resources = vw_rows(db,
      "SELECT r.id AS id, r.kind AS kind, r.title AS title, r.amount AS amount, r.brought_on AS brought_on,"
      " r.plan_item_id AS plan_item_id, un.name AS unit_name, r.note AS note FROM village_resource r"
      " JOIN assistance_plan p ON p.id = :id LEFT JOIN unit un ON un.id = r.unit_id"
      " WHERE r.village_code = p.village_code AND substr(r.brought_on, 1, 4) = CAST(p.year AS TEXT)"
      " ORDER BY r.brought_on, r.id",
      p, 1, NULL);
  json_object_set_new(plan, "item_list", items ? items : json_array());
  json_object_set_new(plan, "events", events ? events : json_array());
  json_object_set_new(plan, "resources", resources ? resources : json_array());
  return plan;
}

int plans_item_of(struct db *db, int64_t plan_id, int64_t item_id)
{
  const struct sql_param p[] = {{":p", NULL, plan_id}, {":i", NULL, item_id}};
  int64_t one;
  return vw_int(db, "SELECT 1 FROM plan_item WHERE id = :i AND plan_id = :p AND removed = 0", p, 2, NULL, &one);
}

int plans_add_progress(struct db *db, int64_t item_id, const char *on, int percent, const char *amount_text,
                       const char *note, int64_t user_id, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":i", NULL, item_id}, {":on", on, 0}, {":pc", NULL, percent},
                                {":a", amount_text ? amount_text : "", 0}, {":n", note, 0}, {":u", NULL, user_id},
                                {":now", NULL, now}};
  return vw_exec(db,
                 "INSERT INTO plan_progress (item_id, on_date, percent, amount, note, recorded_by, created_at)"
                 " VALUES (:i, :on, :pc, CAST(nullif(:a, '') AS REAL), :n, nullif(:u, 0), :now) RETURNING id",
                 p, 7, id_out);
}

/* ---- resources ---- */

int resources_insert(struct db *db, const struct resource_new *r, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":v", r->village_code, 0}, {":u", NULL, r->unit_id}, {":k", r->kind, 0},
                                {":t", r->title, 0}, {":a", r->amount_text ? r->amount_text : "", 0},
                                {":on", r->brought_on, 0}, {":item", NULL, r->plan_item_id},
                                {":n", r->note ? r->note : "", 0}, {":user", NULL, r->user_id}, {":now", NULL, now}};
  return vw_exec(db,
                 "INSERT INTO village_resource (village_code, unit_id, kind, title, amount, brought_on, plan_item_id, note,"
                 " recorded_by, created_at) VALUES (:v, nullif(:u, 0), :k, :t, CAST(nullif(:a, '') AS REAL), :on,"
                 " nullif(:item, 0), :n, nullif(:user, 0), :now) RETURNING id",
                 p, 10, id_out);
}

int resources_item_in_village(struct db *db, const char *village, int64_t item_id)
{
  const struct sql_param p[] = {{":v", village, 0}, {":i", NULL, item_id}};
  int64_t one;
  return vw_int(db, "SELECT 1 FROM plan_item i JOIN assistance_plan p ON p.id = i.plan_id WHERE i.id = :i"
                    " AND p.village_code = :v AND i.removed = 0", p, 2, NULL, &one);
}

json_t *resources_list_json(struct db *db, const struct scope *scope, const struct resource_filter *f, int page,
                            int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, "village_resource r JOIN region tv ON tv.code = r.village_code"
                       " LEFT JOIN region tw ON tw.code = tv.parent_code LEFT JOIN unit un ON un.id = r.unit_id"
                       " LEFT JOIN plan_item i ON i.id = r.plan_item_id LEFT JOIN \"user\" ru ON ru.id = r.recorded_by"
                       " WHERE (:year = 0 OR substr(r.brought_on, 1, 4) = CAST(:year AS TEXT))"
                       " AND (:kind = '' OR r.kind = :kind) AND (:unit = 0 OR r.unit_id = :unit)" REGION_FILTER("tv"));
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {{":village", f->village ? f->village : "", 0}, {":year", NULL, f->year},
                                     {":kind", f->kind ? f->kind : "", 0}, {":unit", NULL, f->unit_id}};
  json_t *out = rc == 0 ? list_query(db,
      "r.id AS id, r.village_code AS village_code, tv.name AS village_name, tw.name AS township_name, r.unit_id AS unit_id,"
      " un.name AS unit_name, r.kind AS kind, r.title AS title, r.amount AS amount, r.brought_on AS brought_on,"
      " r.plan_item_id AS plan_item_id, i.title AS plan_item_title, r.note AS note,"
      " coalesce(ru.display_name, '') AS recorded_by_name",
      strbuf_cstr(&where), "r.brought_on DESC, r.id DESC", params, 4, scope, query_row_object, page, page_size) : NULL;
  strbuf_free(&where);
  return out;
}
