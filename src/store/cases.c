/* cases — see cases.h. The list's flags (overdue, stalled) are SQL expressions over the same
 * definitions as core/case_flow (case_flow_elapsed, case_flow_stalled), so that a filter and the
 * row agree; the handler recomputes them with case_flow for the reply. */
#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "store/vw_sql.h"
#include "util/strbuf.h"

#define PENDING "mc.state IN ('found','reviewed','noticed','checked')"
#define LAST_STEP "(SELECT max(cs.on_date) FROM case_step cs WHERE cs.case_id = mc.id)"
/* 5.7: days from the first lead to the decision, or to today while pending */
#define AGE_DAYS \
  "CAST(julianday(CASE WHEN " PENDING " OR mc.decision_on IS NULL THEN :today ELSE mc.decision_on END)" \
  " - julianday(mc.lead_on) AS INTEGER)"
#define OVERDUE \
  "((" PENDING " AND julianday(:today) - julianday(mc.lead_on) > :max_days) OR (mc.decision_on IS NOT NULL" \
  " AND julianday(mc.decision_on) - julianday(mc.lead_on) > :max_days))"
#define STALLED "(" PENDING " AND julianday(:today) - julianday(" LAST_STEP ") > :stalled_days)"

#define CASE_COLUMNS \
  "mc.id AS id, mc.household_id AS household_id, h.household_no AS household_no, h.head_name AS head_name," \
  " h.members_count AS members_count, mc.village_code AS village_code, tv.name AS village_name," \
  " tw.name AS township_name, mc.source AS source, mc.visit_id AS visit_id, mc.meeting_id AS meeting_id," \
  " mc.department AS department, mc.risks AS risks_json, mc.description AS description, mc.lead_on AS lead_on," \
  " mc.state AS state, mc.review_on AS review_on, mc.review_participants AS review_participants," \
  " mc.review_result AS review_result, mc.notice_start AS notice_start, mc.notice_days AS notice_days," \
  " mc.check_on AS check_on, mc.check_result AS check_result, mc.decision_on AS decision_on," \
  " mc.decision AS decision, mc.category AS category, mc.identified_on AS identified_on," \
  " mc.close_verify_on AS close_verify_on, mc.close_review_on AS close_review_on," \
  " mc.close_review_result AS close_review_result, mc.close_notice_start AS close_notice_start," \
  " mc.close_notice_days AS close_notice_days," \
  " mc.closed_on AS closed_on, mc.version AS version, " SQL_CST_ISO("mc.created_at") " AS created_at," \
  " " LAST_STEP " AS last_step_on, " AGE_DAYS " AS age_days, " OVERDUE " AS overdue, " STALLED " AS stalled"
#define CASE_FROM \
  "monitoring_case mc JOIN household h ON h.id = mc.household_id JOIN region tv ON tv.code = mc.village_code" \
  " LEFT JOIN region tw ON tw.code = tv.parent_code"

static int cat(struct strbuf *b, const char *s) { return strbuf_append(b, s, strlen(s)); }

/* The bounds of ?village=: a region whose path prefixes the case's village's. */
#define VILLAGE_FILTER \
  " AND (:village = '' OR tv.path >= (SELECT path FROM region WHERE code = :village)" \
  " AND tv.path < (SELECT path || '~' FROM region WHERE code = :village))"

json_t *cases_list_json(struct db *db, const struct scope *scope, const struct case_filter *f,
                        const struct case_limits *lim, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 16384);
  int rc = cat(&where, CASE_FROM " WHERE (:household = 0 OR mc.household_id = :household)" VILLAGE_FILTER);
  const char *state = f->state ? f->state : "";
  if (strcmp(state, "open") == 0) rc |= cat(&where, " AND mc.state NOT IN ('dismissed','closed')");
  else if (strcmp(state, "pending") == 0) rc |= cat(&where, " AND " PENDING);
  else if (*state) rc |= cat(&where, " AND mc.state = :state");
  if (f->overdue) rc |= cat(&where, " AND " OVERDUE);
  if (f->stalled) rc |= cat(&where, " AND " STALLED);
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {
    {":household", NULL, f->household_id}, {":village", f->village ? f->village : "", 0}, {":state", state, 0},
    {":today", lim->today, 0}, {":max_days", NULL, lim->max_days}, {":stalled_days", NULL, lim->stalled_days}};
  json_t *out = rc == 0 ? list_query(db, CASE_COLUMNS, strbuf_cstr(&where), "mc.lead_on ASC, mc.id ASC", params, 6,
                                     scope, query_row_object, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *cases_get_json(struct db *db, const struct scope *scope, int64_t id, const struct case_limits *lim)
{
  struct strbuf sql;
  strbuf_init(&sql, 16384);
  int rc = cat(&sql, "SELECT " CASE_COLUMNS " FROM " CASE_FROM " WHERE mc.id = :id");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param params[] = {{":id", NULL, id}, {":today", lim->today, 0}, {":max_days", NULL, lim->max_days},
                                     {":stalled_days", NULL, lim->stalled_days}};
  json_t *out = rc == 0 ? vw_row(db, strbuf_cstr(&sql), params, 4, scope) : NULL;
  strbuf_free(&sql);
  return out;
}

json_t *cases_steps_json(struct db *db, int64_t id)
{
  const struct sql_param p[] = {{":id", NULL, id}};
  return vw_rows(db,
                 "SELECT s.id AS id, s.step AS step, s.from_state AS from_state, s.to_state AS to_state,"
                 " s.on_date AS on_date, s.note AS note, s.detail AS detail_json, coalesce(u.display_name, '') AS user_name,"
                 " " SQL_CST_ISO("s.at") " AS at FROM case_step s LEFT JOIN \"user\" u ON u.id = s.user_id"
                 " WHERE s.case_id = :id ORDER BY s.id",
                 p, 1, NULL);
}

json_t *cases_measures_json(struct db *db, int64_t id)
{
  const struct sql_param p[] = {{":id", NULL, id}};
  return vw_rows(db,
                 "SELECT m.id AS id, m.type AS type, m.content AS content, m.responsible AS responsible,"
                 " m.applied_on AS applied_on, coalesce(u.display_name, '') AS recorded_by_name,"
                 " " SQL_CST_ISO("m.created_at") " AS created_at FROM case_measure m LEFT JOIN \"user\" u ON u.id = m.created_by"
                 " WHERE m.case_id = :id ORDER BY m.applied_on, m.id",
                 p, 1, NULL);
}

json_t *cases_summary_json(struct db *db, const struct scope *scope, const char *village, const struct case_limits *lim)
{
  struct strbuf sql;
  strbuf_init(&sql, 16384);
  int rc = cat(&sql,
               "SELECT count(*) FILTER (WHERE " PENDING ") AS pending,"
               " count(*) FILTER (WHERE mc.state = 'monitored') AS monitored,"
               " count(*) FILTER (WHERE mc.state = 'closed') AS closed,"
               " count(*) FILTER (WHERE mc.state IN ('close_verified','close_reviewed','close_noticed')) AS closing,"
               " count(*) FILTER (WHERE mc.state = 'dismissed') AS dismissed,"
               " count(*) FILTER (WHERE " PENDING " AND " OVERDUE ") AS overdue,"
               " count(*) FILTER (WHERE " STALLED ") AS stalled,"
               " count(*) FILTER (WHERE " PENDING " AND " AGE_DAYS " <= 7) AS age_0_7,"
               " count(*) FILTER (WHERE " PENDING " AND " AGE_DAYS " BETWEEN 8 AND 15) AS age_8_15,"
               " count(*) FILTER (WHERE " PENDING " AND " AGE_DAYS " BETWEEN 16 AND 30) AS age_16_30,"
               " count(*) FILTER (WHERE " PENDING " AND " AGE_DAYS " > 30) AS age_over_30"
               " FROM " CASE_FROM " WHERE 1 = 1" VILLAGE_FILTER);
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param params[] = {{":village", village ? village : "", 0}, {":today", lim->today, 0},
                                     {":max_days", NULL, lim->max_days}, {":stalled_days", NULL, lim->stalled_days}};
  json_t *out = rc == 0 ? vw_row(db, strbuf_cstr(&sql), params, 4, scope) : NULL;
  strbuf_free(&sql);
  return out;
}

json_t *cases_household_json(struct db *db, const struct scope *scope, int64_t household_id)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = cat(&sql, "SELECT h.id AS id, h.village_code AS village_code, tv.path AS village_path,"
                     " h.head_name AS head_name, h.household_no AS household_no, h.members_count AS members_count,"
                     " h.able_bodied AS able_bodied, h.schooling AS schooling, h.medical AS medical,"
                     " h.housing AS housing, h.water AS water, h.monitored AS monitored, h.category AS category,"
                     " h.status AS status FROM household h JOIN region tv ON tv.code = h.village_code WHERE h.id = :id");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param p[] = {{":id", NULL, household_id}};
  json_t *out = rc == 0 ? vw_row(db, strbuf_cstr(&sql), p, 1, scope) : NULL;
  strbuf_free(&sql);
  return out;
}

json_t *cases_visit_json(struct db *db, const struct scope *scope, int64_t visit_id)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = cat(&sql, "SELECT v.id AS id, v.household_id AS household_id, v.village_code AS village_code,"
                     " v.visited_on AS visited_on, v.risks AS risks_json, v.findings AS findings"
                     " FROM visit v JOIN region tv ON tv.code = v.village_code WHERE v.id = :id");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param p[] = {{":id", NULL, visit_id}};
  json_t *out = rc == 0 ? vw_row(db, strbuf_cstr(&sql), p, 1, scope) : NULL;
  strbuf_free(&sql);
  return out;
}

int cases_open_of_household(struct db *db, int64_t household_id, int64_t *open_id)
{
  const struct sql_param p[] = {{":h", NULL, household_id}};
  return vw_int(db, "SELECT id FROM monitoring_case WHERE household_id = :h AND state NOT IN ('dismissed','closed')"
                    " ORDER BY id DESC LIMIT 1", p, 1, NULL, open_id);
}

int cases_insert(struct db *db, const struct case_new *c, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {
    {":household", NULL, c->household_id}, {":village", c->village_code, 0}, {":source", c->source, 0},
    {":visit", NULL, c->visit_id}, {":meeting", NULL, c->meeting_id},
    {":department", c->department ? c->department : "", 0}, {":risks", c->risks_json, 0},
    {":description", c->description ? c->description : "", 0}, {":lead_on", c->lead_on, 0},
    {":user", NULL, c->user_id}, {":now", NULL, now}};
  int rc = vw_exec(db,
                   "INSERT INTO monitoring_case (household_id, village_code, source, visit_id, meeting_id, department, risks,"
                   " description, lead_on, state, created_by, created_at, updated_at) VALUES (:household, :village, :source,"
                   " nullif(:visit, 0), nullif(:meeting, 0), nullif(:department, ''), :risks, :description, :lead_on,"
                   " 'found', nullif(:user, 0), :now, :now) RETURNING id",
                   p, 11, id_out);
  if (rc != DB_OK) return rc;
  const struct sql_param s[] = {{":case", NULL, *id_out}, {":on", c->lead_on, 0},
                                {":note", c->description ? c->description : "", 0}, {":user", NULL, c->user_id},
                                {":now", NULL, now}, {":source", c->source, 0}};
  return vw_exec(db,
                 "INSERT INTO case_step (case_id, step, from_state, to_state, on_date, note, detail, user_id, at)"
                 " VALUES (:case, 'found', NULL, 'found', :on, :note, json_object('source', :source), nullif(:user, 0), :now)",
                 s, 6, NULL);
}

int cases_step(struct db *db, const struct case_step_new *s, int64_t now)
{
  const char *action = case_action_code(s->action);
  const struct sql_param p[] = {
    {":id", NULL, s->case_id}, {":version", NULL, s->version}, {":to", case_state_code(s->to), 0},
    {":action", action, 0}, {":on", s->on_date, 0}, {":now", NULL, now},
    {":participants", s->review_participants ? s->review_participants : "", 0},
    {":result", s->result ? s->result : "", 0}, {":notice_days", NULL, s->notice_days},
    {":category", s->category ? s->category : "", 0}, {":monitor", NULL, s->to == CASE_MONITORED},
    {":closed", NULL, s->to == CASE_CLOSED}};
  int rc = vw_update(db,
      "UPDATE monitoring_case SET state = :to, version = version + 1, updated_at = :now,"
      " review_on = CASE WHEN :action = 'review' THEN :on ELSE review_on END,"
      " review_participants = CASE WHEN :action = 'review' THEN :participants ELSE review_participants END,"
      " review_result = CASE WHEN :action = 'review' THEN :result ELSE review_result END,"
      " notice_start = CASE WHEN :action = 'notice' THEN :on ELSE notice_start END,"
      " notice_days = CASE WHEN :action = 'notice' THEN :notice_days ELSE notice_days END,"
      " check_on = CASE WHEN :action = 'check' THEN :on ELSE check_on END,"
      " check_result = CASE WHEN :action = 'check' THEN :result ELSE check_result END,"
      " decision_on = CASE WHEN :action = 'decide' THEN :on ELSE decision_on END,"
      " decision = CASE WHEN :action = 'decide' THEN :result ELSE decision END,"
      " category = CASE WHEN :action = 'decide' AND :monitor THEN :category ELSE category END,"
      " identified_on = CASE WHEN :action IN ('decide','reopen') AND :monitor THEN :on ELSE identified_on END,"
      " close_verify_on = CASE WHEN :action = 'close_verify' THEN :on ELSE close_verify_on END,"
      " close_review_on = CASE WHEN :action = 'close_review' THEN :on ELSE close_review_on END,"
      " close_review_result = CASE WHEN :action = 'close_review' THEN :result ELSE close_review_result END,"
      " close_notice_start = CASE WHEN :action = 'close_notice' THEN :on ELSE close_notice_start END,"
      " close_notice_days = CASE WHEN :action = 'close_notice' THEN :notice_days ELSE close_notice_days END,"
      " closed_on = CASE WHEN :action = 'close' AND :closed THEN :on WHEN :action = 'reopen' THEN NULL"
      " ELSE closed_on END"
      " WHERE id = :id AND version = :version",
      p, 12);
  if (rc != DB_OK) return rc;
  enum case_state from = s->from;
  const struct sql_param q[] = {
    {":case", NULL, s->case_id}, {":step", action, 0}, {":from", case_state_code(from), 0},
    {":to", case_state_code(s->to), 0}, {":on", s->on_date, 0}, {":note", s->note ? s->note : "", 0},
    {":detail", s->detail_json ? s->detail_json : "{}", 0}, {":user", NULL, s->user_id}, {":now", NULL, now}};
  return vw_exec(db,
                 "INSERT INTO case_step (case_id, step, from_state, to_state, on_date, note, detail, user_id, at)"
                 " VALUES (:case, :step, :from, :to, :on, :note, :detail, nullif(:user, 0), :now)",
                 q, 9, NULL);
}

int cases_add_measure(struct db *db, const struct case_measure_new *m, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":case", NULL, m->case_id},        {":type", m->type, 0},
                                {":content", m->content, 0},         {":responsible", m->responsible, 0},
                                {":on", m->applied_on, 0},           {":user", NULL, m->user_id},
                                {":now", NULL, now}};
  return vw_exec(db,
                 "INSERT INTO case_measure (case_id, type, content, responsible, applied_on, created_by, created_at)"
                 " VALUES (:case, :type, :content, :responsible, :on, nullif(:user, 0), :now) RETURNING id",
                 p, 7, id_out);
}

int cases_household_set(struct db *db, int64_t household_id, bool monitored, const char *category,
                        int64_t user_id, int64_t now)
{
  const struct sql_param p[] = {{":h", NULL, household_id}};
  json_t *old = vw_row(db, "SELECT monitored, category FROM household WHERE id = :h", p, 1, NULL);
  if (!old) return DB_NOT_FOUND;
  json_t *changes = json_object();
  json_int_t was = json_integer_value(json_object_get(old, "monitored"));
  const char *old_cat = json_string_value(json_object_get(old, "category"));
  if (was != (monitored ? 1 : 0))
    json_object_set_new(changes, "monitored", json_pack("[I,I]", was, (json_int_t)(monitored ? 1 : 0)));
  if (category && old_cat && strcmp(category, old_cat) != 0)
    json_object_set_new(changes, "category", json_pack("[s,s]", old_cat, category));
  int rc = DB_OK;
  if (json_object_size(changes) > 0) {
    char *text = json_dumps(changes, JSON_COMPACT);
    const struct sql_param u[] = {{":h", NULL, household_id}, {":m", NULL, monitored ? 1 : 0},
                                  {":c", category ? category : "", 0}, {":now", NULL, now},
                                  {":user", NULL, user_id}, {":changes", text ? text : "{}", 0}};
    rc = vw_update(db, "UPDATE household SET monitored = :m, category = coalesce(nullif(:c, ''), category),"
                       " version = version + 1, updated_at = :now WHERE id = :h", u, 6);
    /* 5.8: the household's story keeps every change, with who and when */
    if (rc == DB_OK)
      rc = vw_exec(db, "INSERT INTO household_history (household_id, at, user_id, source, changes)"
                       " VALUES (:h, :now, nullif(:user, 0), 'case', :changes)", u, 6, NULL);
    free(text);
  }
  json_decref(changes);
  json_decref(old);
  return rc;
}

json_t *cases_incomes_json(struct db *db, int64_t household_id)
{
  const struct sql_param p[] = {{":h", NULL, household_id}};
  return vw_rows(db, "SELECT year, per_capita FROM household_income WHERE household_id = :h ORDER BY year", p, 1, NULL);
}

int cases_measure_count(struct db *db, int64_t case_id, int64_t *out)
{
  const struct sql_param p[] = {{":c", NULL, case_id}};
  return vw_int(db, "SELECT count(*) FROM case_measure WHERE case_id = :c", p, 1, NULL, out);
}

json_t *cases_notice_rows(struct db *db, const struct scope *scope, const char *village)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  /* only what a 公示 must show: no ID number, phone, bank account or health detail is selected */
  int rc = cat(&sql, "SELECT mc.id AS id, h.head_name AS head_name, h.members_count AS members_count,"
                     " mc.risks AS risks_json, mc.source AS source, mc.review_on AS review_on,"
                     " mc.notice_start AS notice_start, mc.notice_days AS notice_days, tv.name AS village_name,"
                     " tw.name AS township_name"
                     " FROM " CASE_FROM " WHERE mc.village_code = :village AND mc.state = 'noticed'");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  rc |= cat(&sql, " ORDER BY mc.notice_start, mc.id");
  const struct sql_param p[] = {{":village", village, 0}};
  json_t *out = rc == 0 ? vw_rows(db, strbuf_cstr(&sql), p, 1, scope) : NULL;
  strbuf_free(&sql);
  return out;
}

int cases_household_by_no(struct db *db, const char *village, const char *household_no, int64_t *id)
{
  const struct sql_param p[] = {{":v", village, 0}, {":no", household_no, 0}};
  return vw_int(db, "SELECT id FROM household WHERE village_code = :v AND household_no = :no AND status = 'active'", p,
                2, NULL, id);
}

int cases_meeting_village(struct db *db, const struct scope *scope, int64_t meeting_id, char village[16])
{
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  int rc = cat(&sql, "SELECT m.village_code AS village_code FROM monitoring_meeting m JOIN region tv ON tv.code ="
                     " m.village_code WHERE m.id = :id AND m.status = 'held'");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param p[] = {{":id", NULL, meeting_id}};
  json_t *row = rc == 0 ? vw_row(db, strbuf_cstr(&sql), p, 1, scope) : NULL;
  strbuf_free(&sql);
  if (!row) return DB_NOT_FOUND;
  snprintf(village, 16, "%s", json_string_value(json_object_get(row, "village_code")));
  json_decref(row);
  return DB_OK;
}

json_t *cases_village_json(struct db *db, const struct scope *scope, const char *village)
{
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  int rc = cat(&sql, "SELECT tv.code AS code, tv.name AS name, tv.path AS path, tw.name AS township_name,"
                     " tc.name AS county_name FROM region tv LEFT JOIN region tw ON tw.code = tv.parent_code"
                     " LEFT JOIN region tc ON tc.code = tw.parent_code WHERE tv.code = :v AND tv.level = 'village'");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  const struct sql_param p[] = {{":v", village, 0}};
  json_t *row = rc == 0 ? vw_row(db, strbuf_cstr(&sql), p, 1, scope) : NULL;
  strbuf_free(&sql);
  return row;
}
