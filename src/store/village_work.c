/* village_work — see village_work.h. Lists go through list_query (count and page in SQL);
 * the meetings grid is one statement (villages with a team × a recursive list of months,
 * left-joined to the meetings held). */
#include "store/village_work.h"

#include <string.h>

#include "store/db.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "store/vw_sql.h"
#include "util/strbuf.h"

/* ?village=: the village itself or a region above it (its path prefixes the village's) */
#define REGION_FILTER(alias) \
  " AND (:village = '' OR " alias ".path >= (SELECT path FROM region WHERE code = :village)" \
  " AND " alias ".path < (SELECT path || '~' FROM region WHERE code = :village))"

static int cat(struct strbuf *b, const char *s) { return strbuf_append(b, s, strlen(s)); }

/* ---- meetings ---- */

int meetings_insert(struct db *db, const struct meeting_new *m, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":village", m->village_code, 0}, {":held", m->held_on, 0},
                                {":attendees", m->attendees_json, 0}, {":decisions", m->decisions, 0},
                                {":user", NULL, m->user_id}, {":now", NULL, now}};
  int rc = vw_exec(db,
                   "INSERT INTO monitoring_meeting (village_code, month, held_on, attendees, decisions, created_by,"
                   " created_at) VALUES (:village, substr(:held, 1, 7), :held, :attendees, :decisions, nullif(:user, 0), :now)"
                   " RETURNING id",
                   p, 6, id_out);
  if (rc != DB_OK) return rc;
  const struct sql_param q[] = {{":id", NULL, *id_out}, {":ids", m->household_ids_json, 0}};
  return vw_exec(db, "INSERT INTO meeting_household (meeting_id, household_id) SELECT DISTINCT CAST(:id AS INTEGER),"
                     " CAST(value AS INTEGER) FROM json_each(:ids)", q, 2, NULL);
}

int meetings_withdraw(struct db *db, int64_t id, int64_t now)
{
  const struct sql_param p[] = {{":id", NULL, id}, {":now", NULL, now}};
  return vw_update(db, "UPDATE monitoring_meeting SET status = 'withdrawn', withdrawn_at = :now"
                       " WHERE id = :id AND status = 'held'", p, 2);
}

int meetings_of_month(struct db *db, const char *village, const char *month, int64_t *id)
{
  const struct sql_param p[] = {{":v", village, 0}, {":m", month, 0}};
  return vw_int(db, "SELECT id FROM monitoring_meeting WHERE village_code = :v AND month = :m AND status = 'held'", p,
                2, NULL, id);
}

int meetings_households_in_village(struct db *db, const char *village, const char *ids_json, int64_t *count)
{
  const struct sql_param p[] = {{":v", village, 0}, {":ids", ids_json, 0}};
  return vw_int(db, "SELECT count(DISTINCT h.id) FROM household h WHERE h.village_code = :v AND h.status = 'active'"
                    " AND h.id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))", p, 2, NULL, count);
}

int meetings_cadres_in_village(struct db *db, const char *village, const char *ids_json, int64_t *count)
{
  const struct sql_param p[] = {{":v", village, 0}, {":ids", ids_json, 0}};
  return vw_int(db, "SELECT count(DISTINCT a.cadre_id) FROM assignment a WHERE a.village_code = :v"
                    " AND a.status IN ('active','handover') AND a.cadre_id IN (SELECT CAST(value AS INTEGER) FROM json_each(:ids))",
                p, 2, NULL, count);
}

#define MEETING_COLUMNS \
  "m.id AS id, m.village_code AS village_code, tv.name AS village_name, tw.name AS township_name," \
  " m.month AS month, m.held_on AS held_on, m.attendees AS attendees_json, m.decisions AS decisions," \
  " m.status AS status, (SELECT count(*) FROM meeting_household mh WHERE mh.meeting_id = m.id) AS households," \
  " (SELECT count(*) FROM monitoring_case mc WHERE mc.meeting_id = m.id) AS cases_raised," \
  " coalesce(u.display_name, '') AS recorded_by_name, " SQL_CST_ISO("m.created_at") " AS created_at"
#define MEETING_FROM \
  "monitoring_meeting m JOIN region tv ON tv.code = m.village_code LEFT JOIN region tw ON tw.code = tv.parent_code" \
  " LEFT JOIN \"user\" u ON u.id = m.created_by"

json_t *meetings_list_json(struct db *db, const struct scope *scope, const struct meeting_filter *f, int page,
                           int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, MEETING_FROM " WHERE (:from = '' OR m.held_on >= :from) AND (:to = '' OR m.held_on <= :to)"
                       REGION_FILTER("tv"));
  if (!f->withdrawn) rc |= cat(&where, " AND m.status = 'held'");
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {{":village", f->village ? f->village : "", 0},
                                     {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0}};
  json_t *out = rc == 0 ? list_query(db, MEETING_COLUMNS, strbuf_cstr(&where), "m.held_on DESC, m.id DESC", params, 3,
                                     scope, query_row_object, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *meetings_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  json_t *m = list_get_one(db, MEETING_COLUMNS, MEETING_FROM, "m.id", scope, SCOPE_TEAM, query_row_object, id);
  if (!m) return NULL;
  const struct sql_param p[] = {{":id", NULL, id}};
  json_t *h = vw_rows(db, "SELECT h.id AS id, h.household_no AS household_no, h.head_name AS head_name,"
                          " h.category AS category, h.monitored AS monitored FROM meeting_household mh"
                          " JOIN household h ON h.id = mh.household_id WHERE mh.meeting_id = :id ORDER BY h.household_no",
                      p, 1, NULL);
  json_t *c = vw_rows(db, "SELECT mc.id AS id, mc.household_id AS household_id, h.head_name AS head_name,"
                          " mc.state AS state FROM monitoring_case mc JOIN household h ON h.id = mc.household_id"
                          " WHERE mc.meeting_id = :id ORDER BY mc.id",
                      p, 1, NULL);
  json_object_set_new(m, "household_list", h ? h : json_array());
  json_object_set_new(m, "cases", c ? c : json_array());
  return m;
}

json_t *meetings_grid_json(struct db *db, const struct scope *scope, const char *region, const char *from,
                           const char *to)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = cat(&sql,
               "WITH RECURSIVE months(m) AS (SELECT :from UNION ALL SELECT strftime('%Y-%m', m || '-01', '+1 month')"
               " FROM months WHERE m < :to),"
               " villages AS (SELECT DISTINCT tv.code AS code, tv.name AS name, tw.name AS township,"
               /* the month the village's first team arrived (any post that has held, now or before):
                * a month before it cannot miss a meeting the team was not there to hold (issue 11) */
               " (SELECT strftime('%Y-%m', min(fa.start_date)) FROM assignment fa WHERE fa.village_code = tv.code"
               "  AND fa.status IN ('active','handover','ended')) AS team_since FROM region tv"
               " JOIN assignment a ON a.village_code = tv.code AND a.status IN ('active','handover')"
               " LEFT JOIN region tw ON tw.code = tv.parent_code WHERE tv.level = 'village'" REGION_FILTER("tv"));
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  rc |= cat(&sql, ") SELECT v.code AS village_code, v.name AS village_name, v.township AS township_name,"
                  " months.m AS month, mm.id AS meeting_id, mm.held_on AS held_on, v.team_since AS team_since"
                  " FROM villages v CROSS JOIN months ON 1 = 1"  /* every join with an ON: store/pg */
                  " LEFT JOIN monitoring_meeting mm ON mm.village_code = v.code AND mm.month = months.m"
                  " AND mm.status = 'held' ORDER BY v.township, v.code, months.m");
  const struct sql_param p[] = {{":village", region ? region : "", 0}, {":from", from, 0}, {":to", to, 0}};
  json_t *out = rc == 0 ? vw_rows(db, strbuf_cstr(&sql), p, 3, scope) : NULL;
  strbuf_free(&sql);
  return out;
}

/* ---- activities ---- */

int activities_insert(struct db *db, const struct activity_new *a, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":village", a->village_code, 0}, {":held", a->held_on, 0}, {":duty", a->duty, 0},
                                {":type", a->type, 0},           {":title", a->title, 0},   {":note", a->note ? a->note : "", 0},
                                {":participants", NULL, a->participants}, {":user", NULL, a->user_id},
                                {":now", NULL, now}};
  int rc = vw_exec(db,
                   "INSERT INTO village_activity (village_code, held_on, duty, type, title, participants, note,"
                   " created_by, created_at) VALUES (:village, :held, :duty, :type, :title, :participants, :note,"
                   " nullif(:user, 0), :now) RETURNING id",
                   p, 9, id_out);
  if (rc != DB_OK) return rc;
  const struct sql_param q[] = {{":id", NULL, *id_out}, {":ids", a->cadre_ids_json, 0}};
  return vw_exec(db, "INSERT INTO activity_cadre (activity_id, cadre_id) SELECT DISTINCT CAST(:id AS INTEGER),"
                     " CAST(value AS INTEGER) FROM json_each(:ids)",
                 q, 2, NULL);
}

#define ACTIVITY_COLUMNS \
  "va.id AS id, va.village_code AS village_code, tv.name AS village_name, tw.name AS township_name," \
  " va.held_on AS held_on, va.duty AS duty, va.type AS type, va.title AS title, va.participants AS participants," \
  " va.note AS note, (SELECT json_group_array(json_object('id', c.id, 'name', c.name)) FROM activity_cadre ac" \
  " JOIN cadre c ON c.id = ac.cadre_id WHERE ac.activity_id = va.id) AS cadres_json," \
  " coalesce(u.display_name, '') AS recorded_by_name, " SQL_CST_ISO("va.created_at") " AS created_at"
#define ACTIVITY_FROM \
  "village_activity va JOIN region tv ON tv.code = va.village_code LEFT JOIN region tw ON tw.code = tv.parent_code" \
  " LEFT JOIN \"user\" u ON u.id = va.created_by"

json_t *activities_list_json(struct db *db, const struct scope *scope, const struct activity_filter *f, int page,
                             int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, ACTIVITY_FROM " WHERE (:from = '' OR va.held_on >= :from) AND (:to = '' OR va.held_on <= :to)"
                       " AND (:duty = '' OR va.duty = :duty) AND (:type = '' OR va.type = :type)" REGION_FILTER("tv"));
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {
    {":village", f->village ? f->village : "", 0}, {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0},
    {":duty", f->duty ? f->duty : "", 0},          {":type", f->type ? f->type : "", 0}};
  json_t *out = rc == 0 ? list_query(db, ACTIVITY_COLUMNS, strbuf_cstr(&where), "va.held_on DESC, va.id DESC", params,
                                     5, scope, query_row_object, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *activities_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, ACTIVITY_COLUMNS, ACTIVITY_FROM, "va.id", scope, SCOPE_TEAM, query_row_object, id);
}

json_t *duties_counts_json(struct db *db, const char *village, const char *from, const char *to)
{
  const struct sql_param p[] = {{":v", village, 0}, {":from", from, 0}, {":to", to, 0}};
  return vw_rows(db,
                 "SELECT month, duty, sum(logs) AS logs, sum(acts) AS activities FROM ("
                 " SELECT substr(w.date, 1, 7) AS month, w.duty AS duty, count(*) AS logs, 0 AS acts FROM work_log w"
                 "  WHERE w.village_code = :v AND w.date BETWEEN :from AND :to GROUP BY 1, 2"
                 " UNION ALL SELECT substr(va.held_on, 1, 7), va.duty, 0, count(*) FROM village_activity va"
                 "  WHERE va.village_code = :v AND va.held_on BETWEEN :from AND :to GROUP BY 1, 2) AS t"
                 " GROUP BY month, duty ORDER BY month, duty",
                 p, 3, NULL);
}

/* ---- organization relation transfer (5.3) ---- */

#define THEME_DAYS \
  "(SELECT count(*) FROM village_activity va WHERE va.village_code = a.village_code AND va.type = 'theme_party_day'" \
  " AND va.held_on >= a.start_date)"
#define THEME_ATTENDED \
  "(SELECT count(*) FROM village_activity va JOIN activity_cadre ac ON ac.activity_id = va.id AND ac.cadre_id = a.cadre_id" \
  " WHERE va.village_code = a.village_code AND va.type = 'theme_party_day' AND va.held_on >= a.start_date)"
#define DUE_ON "date(a.start_date, '+' || :max_days || ' days')"
#define OVERDUE "(ot.assignment_id IS NULL AND :today > " DUE_ON ")"
#define TRANSFER_COLUMNS \
  "a.id AS assignment_id, c.id AS cadre_id, c.name AS cadre_name, a.village_code AS village_code," \
  " ar.name AS village_name, tw.name AS township_name, a.post AS post, a.start_date AS start_date," \
  " " DUE_ON " AS due_on, CASE WHEN ot.assignment_id IS NULL THEN 'not_started' ELSE 'transferred' END AS status," \
  " ot.transferred_on AS transferred_on, ot.note AS note, " OVERDUE " AS overdue, " THEME_DAYS " AS theme_days," \
  " " THEME_ATTENDED " AS theme_attended"
#define TRANSFER_FROM \
  "assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code" \
  " LEFT JOIN region tw ON tw.code = ar.parent_code LEFT JOIN org_transfer ot ON ot.assignment_id = a.id"

json_t *transfers_list_json(struct db *db, const struct scope *scope, const struct transfer_filter *f, int page,
                            int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = cat(&where, TRANSFER_FROM " WHERE a.status IN ('active','handover') AND c.party_member = 1" REGION_FILTER("ar"));
  if (f->flagged) rc |= cat(&where, " AND " OVERDUE);
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {{":village", f->village ? f->village : "", 0}, {":today", f->today, 0},
                                     {":max_days", NULL, f->max_days}};
  json_t *out = rc == 0 ? list_query(db, TRANSFER_COLUMNS, strbuf_cstr(&where), "ar.path, a.id", params, 3, scope,
                                     query_row_object, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *transfers_post_json(struct db *db, const struct scope *scope, int64_t assignment_id)
{
  return list_get_one(db,
                      "a.id AS assignment_id, a.cadre_id AS cadre_id, c.party_member AS party_member,"
                      " a.start_date AS start_date, a.status AS status, a.village_code AS village_code",
                      "assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code",
                      "a.id", scope, SCOPE_ASSIGNMENT, query_row_object, assignment_id);
}

int transfers_put(struct db *db, int64_t assignment_id, int64_t cadre_id, const char *on, const char *note,
                  int64_t user_id, int64_t now)
{
  const struct sql_param p[] = {{":a", NULL, assignment_id}, {":c", NULL, cadre_id}, {":on", on, 0},
                                {":note", note ? note : "", 0}, {":user", NULL, user_id}, {":now", NULL, now}};
  return vw_exec(db,
                 "INSERT INTO org_transfer (assignment_id, cadre_id, transferred_on, note, recorded_by, created_at)"
                 " VALUES (:a, :c, :on, :note, nullif(:user, 0), :now) ON CONFLICT (assignment_id) DO UPDATE SET"
                 " transferred_on = excluded.transferred_on, note = excluded.note, recorded_by = excluded.recorded_by,"
                 " created_at = excluded.created_at",
                 p, 6, NULL);
}
