/* supervision — the SQL of the supervision records (see supervision.h). */
#include "store/supervision.h"

#include <stdio.h>
#include <string.h>

#include "store/cadres.h"
#include "store/dialect.h"
#include "store/evidence.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int supervision_insert(struct db *db, const struct supervision_new *s, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO supervision_record (kind, clause, party_type, party_id, region_code, unit_id, village_code, date,"
      " title, minutes, contacts, attendees, snapshot, lat, lng, accuracy_m, distance_m, created_by, created_at)"
      " VALUES (:kind, :clause, :party_type, :party_id, :region, :unit, :village, :date, :title, :minutes, :contacts,"
      " :attendees, :snapshot, :lat, :lng, :accuracy, :distance, :created_by, :now) RETURNING id");
  query_bind_text(q, ":kind", s->kind);
  query_bind_text(q, ":clause", s->clause);
  query_bind_text(q, ":party_type", s->party_type);
  query_bind_text(q, ":party_id", s->party_id);
  query_bind_text(q, ":region", s->region_code);
  query_bind_int_or_null(q, ":unit", s->unit_id);
  query_bind_text(q, ":village", s->village_code);
  query_bind_text(q, ":date", s->date);
  query_bind_text(q, ":title", s->title);
  query_bind_text(q, ":minutes", s->minutes && *s->minutes ? s->minutes : NULL);
  query_bind_text(q, ":contacts", s->contacts && *s->contacts ? s->contacts : NULL);
  query_bind_text(q, ":attendees", s->attendees_json ? s->attendees_json : "[]");
  query_bind_text(q, ":snapshot", s->snapshot_json);
  if (s->has_geo) {
    query_bind_double(q, ":lat", s->lat);
    query_bind_double(q, ":lng", s->lng);
    query_bind_double(q, ":accuracy", s->accuracy_m);
    query_bind_double(q, ":distance", s->distance_m);
  } else {
    query_bind_null(q, ":lat");
    query_bind_null(q, ":lng");
    query_bind_null(q, ":accuracy");
    query_bind_null(q, ":distance");
  }
  query_bind_int_or_null(q, ":created_by", s->created_by);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  if (rc != DB_OK) return rc;
  /* the evidence the engine counts: the kind of record is the kind of evidence */
  struct evidence e = {s->kind, s->party_type, s->party_id, s->date, 0, false, "supervision_record", *id_out};
  return evidence_add(db, &e, now);
}

int supervision_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE supervision_record SET status = 'withdrawn', withdraw_reason = :reason, withdrawn_by = :user,"
      " withdrawn_at = :now WHERE id = :id AND status = 'valid'");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":reason", reason);
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  int rc = query_exec_guarded(q);
  if (rc != DB_OK) return rc;
  return evidence_revoke(db, "supervision_record", id, now);
}

#define RECORD_COLUMNS \
  "a.id AS id, a.kind AS kind, a.clause AS clause, a.party_type AS party_type, a.party_id AS party_id," \
  " a.region_code AS region_code, ar.name AS region_name, coalesce(a.unit_id, 0) AS unit_id," \
  " coalesce(u.name, '') AS unit_name, coalesce(a.village_code, '') AS village_code," \
  " coalesce(v.name, '') AS village_name, a.date AS date, a.title AS title, coalesce(a.minutes, '') AS minutes," \
  " coalesce(a.contacts, '') AS contacts, a.attendees AS attendees, a.snapshot AS snapshot, a.lat AS lat," \
  " a.lng AS lng, a.distance_m AS distance_m, a.status AS status, coalesce(a.withdraw_reason, '') AS withdraw_reason," \
  " coalesce(cu.display_name, '') AS recorded_by_name, " SQL_CST_ISO("a.created_at") " AS created_at," \
  " ar.level AS region_level"
#define RECORD_FROM \
  "supervision_record a JOIN region ar ON ar.code = a.region_code LEFT JOIN unit u ON u.id = a.unit_id" \
  " LEFT JOIN region v ON v.code = a.village_code LEFT JOIN \"user\" cu ON cu.id = a.created_by"

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

static json_t *parsed(struct query *q, const char *alias)
{
  if (query_is_null(q, alias)) return json_null();
  json_error_t e;
  json_t *v = json_loads(query_get_text(q, alias), 0, &e);
  return v ? v : json_null();
}

static json_t *real_or_null(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_real(query_get_double(q, alias));
}

static json_t *record_row(struct query *q)
{
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)query_get_int(q, "id"), "kind", query_get_text(q, "kind"), "clause",
                          query_get_text(q, "clause"), "party_type", query_get_text(q, "party_type"), "party_id",
                          query_get_text(q, "party_id"), "region_code", query_get_text(q, "region_code"),
                          "region_name", query_get_text(q, "region_name"), "date", query_get_text(q, "date"),
                          "title", query_get_text(q, "title"), "status", query_get_text(q, "status"));
  int64_t unit = query_get_int(q, "unit_id");
  json_object_set_new(row, "unit_id", unit ? json_integer((json_int_t)unit) : json_null());
  json_object_set_new(row, "unit_name", text_or_null(query_get_text(q, "unit_name")));
  json_object_set_new(row, "village_code", text_or_null(query_get_text(q, "village_code")));
  json_object_set_new(row, "village_name", text_or_null(query_get_text(q, "village_name")));
  json_object_set_new(row, "minutes", text_or_null(query_get_text(q, "minutes")));
  json_object_set_new(row, "contacts", text_or_null(query_get_text(q, "contacts")));
  json_t *att = parsed(q, "attendees");
  json_object_set_new(row, "attendees", json_is_array(att) ? att : json_array());
  if (!json_is_array(att)) json_decref(att);
  json_object_set_new(row, "snapshot", parsed(q, "snapshot"));
  json_object_set_new(row, "lat", real_or_null(q, "lat"));
  json_object_set_new(row, "lng", real_or_null(q, "lng"));
  json_object_set_new(row, "distance_m", query_is_null(q, "distance_m")
                                             ? json_null()
                                             : json_integer((json_int_t)query_get_double(q, "distance_m")));
  json_object_set_new(row, "withdraw_reason", text_or_null(query_get_text(q, "withdraw_reason")));
  json_object_set_new(row, "recorded_by_name", text_or_null(query_get_text(q, "recorded_by_name")));
  json_object_set_new(row, "created_at", json_string(query_get_text(q, "created_at")));
  json_object_set_new(row, "region_level", json_string(query_get_text(q, "region_level")));
  json_object_set_new(row, "attendee_count", json_integer((json_int_t)json_array_size(json_object_get(row, "attendees"))));
  return row;
}

json_t *supervision_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  if (scope->kind == SCOPE_KIND_SELF || scope->kind == SCOPE_KIND_NONE) return NULL;
  return query_get_one(db, RECORD_COLUMNS, RECORD_FROM, "a.id", scope, SCOPE_ASSIGNMENT, record_row, id);
}

json_t *supervision_list_json(struct db *db, const struct scope *scope, const struct supervision_filter *f, int page,
                              int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s", RECORD_FROM
      " WHERE (:kind = '' OR a.kind = :kind) AND (:from = '' OR a.date >= :from) AND (:to = '' OR a.date <= :to)"
      " AND (:status = '' OR a.status = :status) AND (:unit = 0 OR a.unit_id = :unit)"
      " AND (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      "  AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')");
  if (scope->kind == SCOPE_KIND_SELF || scope->kind == SCOPE_KIND_NONE) rc |= strbuf_appendf(&where, " AND 1 = 0");
  else rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {
    {":kind", f->kind ? f->kind : "", 0}, {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0},
    {":status", f->status ? f->status : "", 0}, {":unit", NULL, f->unit_id},
    {":region", f->region_code ? f->region_code : "", 0}};
  json_t *out = rc == 0 ? query_list(db, RECORD_COLUMNS, strbuf_cstr(&where), "a.date DESC, a.id DESC", params, 6,
                                     scope, record_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

int supervision_region(struct db *db, const char *code, char path[96], char level[12], char name[96])
{
  struct query *q = query_open(db,
      "SELECT path AS path, level AS level, name AS name FROM region WHERE code = :code AND valid_to IS NULL");
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  if (found) {
    snprintf(path, 96, "%s", query_get_text(q, "path"));
    snprintf(level, 12, "%s", query_get_text(q, "level"));
    snprintf(name, 96, "%s", query_get_text(q, "name"));
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int supervision_village_fence(struct db *db, const char *code, bool *has_fence, double *lat, double *lng, double *radius)
{
  struct query *q = query_open(db,
      "SELECT lat AS lat, lng AS lng, coalesce(radius_m, 1500) AS radius FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  *has_fence = found && !query_is_null(q, "lat") && !query_is_null(q, "lng");
  if (*has_fence) {
    *lat = query_get_double(q, "lat");
    *lng = query_get_double(q, "lng");
    *radius = query_get_double(q, "radius");
  }
  int rc = query_close(q);
  if (rc != DB_OK) *has_fence = false;
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int supervision_unit_serves(struct db *db, int64_t unit_id, const char *village_code, bool *serves)
{
  struct query *q = query_open(db,
      "SELECT 1 AS one FROM assignment WHERE unit_id = :unit AND village_code = :village"
      " AND status IN ('active','handover') LIMIT 1");
  query_bind_int(q, ":unit", unit_id);
  query_bind_text(q, ":village", village_code);
  bool found = query_next(q);
  int rc = query_close(q);
  *serves = rc == DB_OK && found;
  return rc;
}

#define IN_POST_FROM \
  " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code" \
  " LEFT JOIN region tw ON tw.code = ar.parent_code" \
  " WHERE a.status IN ('active','handover') AND (:path = '' OR (ar.path >= :path AND ar.path < :path || '~'))" \
  " AND (:unit = 0 OR a.unit_id = :unit)"

/* A query of IN_POST_FROM, its place (:path, :unit) bound. */
static struct query *in_post_query(struct db *db, const char *sql, const char *region_path, int64_t unit_id)
{
  struct query *q = query_open(db, sql);
  query_bind_text(q, ":path", region_path ? region_path : "");
  query_bind_int(q, ":unit", unit_id);
  return q;
}

/* Every row of q as row_fn makes it; NULL when a step or a read failed (q ended either way). */
static json_t *rows_of(struct query *q, json_t *(*row_fn)(struct query *q))
{
  json_t *out = json_array();
  while (out && query_next(q)) json_array_append_new(out, row_fn(q));
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

json_t *supervision_cadre_in(struct db *db, int64_t cadre_id, const char *region_path, int64_t unit_id)
{
  struct query *q = in_post_query(db,
      "SELECT c.id AS cadre_id, c.name AS name, a.post AS post, ar.name AS village_name" IN_POST_FROM
      " AND c.id = :cadre LIMIT 1", region_path, unit_id);
  query_bind_int(q, ":cadre", cadre_id);
  json_t *out = NULL;
  if (query_next(q)) {
    const char *post = query_get_text(q, "post");
    out = json_pack("{s:I, s:s, s:s, s:s, s:s}", "cadre_id", (json_int_t)query_get_int(q, "cadre_id"), "name",
                    query_get_text(q, "name"), "post", post, "post_name", cadres_post_name_zh(post),
                    "village_name", query_get_text(q, "village_name"));
  }
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

static json_t *cadre_row(struct query *q)
{
  const char *post = query_get_text(q, "post");
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "cadre_id", (json_int_t)query_get_int(q, "cadre_id"), "name",
                   query_get_text(q, "name"), "post", post, "post_name", cadres_post_name_zh(post),
                   "village_name", query_get_text(q, "village_name"), "township_name",
                   query_get_text(q, "township_name"));
}

json_t *supervision_cadres_json(struct db *db, const char *region_path, int64_t unit_id)
{
  return rows_of(in_post_query(db,
      "SELECT c.id AS cadre_id, c.name AS name, a.post AS post, ar.name AS village_name,"
      " coalesce(tw.name, '') AS township_name" IN_POST_FROM
      " ORDER BY a.post = 'first_secretary' DESC, a.post = 'team_leader' DESC, ar.code, c.id LIMIT 500",
      region_path, unit_id), cadre_row);
}

static json_t *village_row(struct query *q)
{
  return json_pack("{s:s, s:s, s:s, s:b}", "code", query_get_text(q, "code"), "name", query_get_text(q, "name"),
                   "township_name", query_get_text(q, "township_name"), "has_fence",
                   (int)query_get_int(q, "has_fence"));
}

json_t *supervision_villages_json(struct db *db, const char *region_path, int64_t unit_id)
{
  return rows_of(in_post_query(db,
      "SELECT ar.code AS code, ar.name AS name, coalesce(tw.name, '') AS township_name,"
      " ar.lat IS NOT NULL AS has_fence" IN_POST_FROM " GROUP BY ar.code, tw.code ORDER BY ar.code LIMIT 500",
      region_path, unit_id), village_row);
}

/* One statement per cadre, each a handful of index look-ups (checkin(cadre_id, date),
 * work_log(cadre_id, date), visit(cadre_id, ...), activity_cadre, plan_item(plan_id)); a county
 * dispatch is a few hundred cadres. Each count's alias is its key in the item. */
static const char DUTY_SQL[] =
    "SELECT (SELECT count(DISTINCT k.date) FROM checkin k WHERE k.cadre_id = :cadre AND k.in_fence = 1"
    "        AND k.date BETWEEN :from AND :to) AS days_in_village,"
    " (SELECT count(*) FROM work_log w WHERE w.cadre_id = :cadre AND w.date BETWEEN :from AND :to) AS logs,"
    " (SELECT count(*) FROM visit v WHERE v.cadre_id = :cadre AND v.visited_on BETWEEN :from AND :to) AS visits,"
    " (SELECT count(*) FROM activity_cadre ac JOIN village_activity va ON va.id = ac.activity_id"
    "   WHERE ac.cadre_id = :cadre AND va.held_on BETWEEN :from AND :to) AS activities,"
    " (SELECT count(*) FROM plan_item pi JOIN assistance_plan ap ON ap.id = pi.plan_id"
    "   WHERE ap.village_code = :village AND ap.status = 'approved' AND pi.removed = 0"
    "   AND pi.due_month BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)) AS tasks_due,"
    " (SELECT count(DISTINCT pp.item_id) FROM plan_progress pp JOIN plan_item pi ON pi.id = pp.item_id"
    "   JOIN assistance_plan ap ON ap.id = pi.plan_id WHERE ap.village_code = :village AND pi.removed = 0"
    "   AND pp.on_date BETWEEN :from AND :to) AS tasks_progressed";

int supervision_duty_add(struct db *db, json_t *items, const char *from, const char *to)
{
  static const char *const KEYS[] = {"days_in_village", "logs", "visits", "activities", "tasks_due",
                                     "tasks_progressed"};
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    struct query *q = query_open(db, DUTY_SQL);
    const char *village = json_string_value(json_object_get(it, "village_code"));
    query_bind_int(q, ":cadre", (int64_t)json_integer_value(json_object_get(it, "cadre_id")));
    query_bind_text(q, ":from", from);
    query_bind_text(q, ":to", to);
    query_bind_text(q, ":village", village ? village : "");
    bool found = query_next(q);
    if (found)
      for (int k = 0; k < 6; k++) json_object_set_new(it, KEYS[k], json_integer(query_get_int(q, KEYS[k])));
    if (query_close(q) != DB_OK || !found) return DB_ERROR; /* an aggregate always answers one row */
  }
  return DB_OK;
}
