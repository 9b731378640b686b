/* supervision — the SQL of the supervision records (see supervision.h). */
#include "store/supervision.h"

#include <stdio.h>
#include <string.h>

#include "store/cadres.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/evidence.h"
#include "store/list_sql.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


int supervision_insert(struct db *db, const struct supervision_new *s, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO supervision_record (kind, clause, party_type, party_id, region_code, unit_id, village_code, date,"
      " title, minutes, contacts, attendees, snapshot, lat, lng, accuracy_m, distance_m, created_by, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, s->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, s->clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, s->party_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, s->party_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, s->region_code, -1, SQLITE_TRANSIENT);
  if (s->unit_id) sqlite3_bind_int64(st, 6, s->unit_id); else sqlite3_bind_null(st, 6);
  db_bind_text_or_null(st, 7, s->village_code);
  sqlite3_bind_text(st, 8, s->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 9, s->title, -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 10, s->minutes && *s->minutes ? s->minutes : NULL);
  db_bind_text_or_null(st, 11, s->contacts && *s->contacts ? s->contacts : NULL);
  sqlite3_bind_text(st, 12, s->attendees_json ? s->attendees_json : "[]", -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 13, s->snapshot_json);
  if (s->has_geo) {
    sqlite3_bind_double(st, 14, s->lat);
    sqlite3_bind_double(st, 15, s->lng);
    sqlite3_bind_double(st, 16, s->accuracy_m);
    sqlite3_bind_double(st, 17, s->distance_m);
  }
  if (s->created_by) sqlite3_bind_int64(st, 18, s->created_by); else sqlite3_bind_null(st, 18);
  sqlite3_bind_int64(st, 19, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = rc == SQLITE_ROW ? DB_OK : db_step_result(db, rc);
  sqlite3_reset(st);
  if (result != DB_OK) return result;
  /* the evidence the engine counts: the kind of record is the kind of evidence */
  struct evidence e = {s->kind, s->party_type, s->party_id, s->date, 0, false, "supervision_record", *id_out};
  return evidence_add(db, &e, now);
}

int supervision_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE supervision_record SET status = 'withdrawn', withdraw_reason = ?2, withdrawn_by = ?3, withdrawn_at = ?4"
      " WHERE id = ?1 AND status = 'valid'");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, user_id);
  sqlite3_bind_int64(st, 4, now);
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  if (!changed) return DB_CONFLICT;
  return evidence_revoke(db, "supervision_record", id, now);
}

#define RECORD_COLUMNS \
  "a.id, a.kind, a.clause, a.party_type, a.party_id, a.region_code, ar.name, coalesce(a.unit_id, 0)," \
  " coalesce(u.name, ''), coalesce(a.village_code, ''), coalesce(v.name, ''), a.date, a.title, coalesce(a.minutes, '')," \
  " coalesce(a.contacts, ''), a.attendees, a.snapshot, a.lat, a.lng, a.distance_m, a.status," \
  " coalesce(a.withdraw_reason, ''), coalesce(cu.display_name, ''), " SQL_CST_ISO("a.created_at") ", ar.level"
#define RECORD_FROM \
  "supervision_record a JOIN region ar ON ar.code = a.region_code LEFT JOIN unit u ON u.id = a.unit_id" \
  " LEFT JOIN region v ON v.code = a.village_code LEFT JOIN user cu ON cu.id = a.created_by"

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

static json_t *parsed(sqlite3_stmt *st, int col)
{
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return json_null();
  json_error_t e;
  json_t *v = json_loads(db_col_text(st, col), 0, &e);
  return v ? v : json_null();
}

static json_t *record_row(sqlite3_stmt *st)
{
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "kind", db_col_text(st, 1), "clause",
                          db_col_text(st, 2), "party_type", db_col_text(st, 3), "party_id", db_col_text(st, 4),
                          "region_code", db_col_text(st, 5), "region_name", db_col_text(st, 6), "date",
                          db_col_text(st, 11), "title", db_col_text(st, 12), "status", db_col_text(st, 20));
  int64_t unit = sqlite3_column_int64(st, 7);
  json_object_set_new(row, "unit_id", unit ? json_integer((json_int_t)unit) : json_null());
  json_object_set_new(row, "unit_name", text_or_null(db_col_text(st, 8)));
  json_object_set_new(row, "village_code", text_or_null(db_col_text(st, 9)));
  json_object_set_new(row, "village_name", text_or_null(db_col_text(st, 10)));
  json_object_set_new(row, "minutes", text_or_null(db_col_text(st, 13)));
  json_object_set_new(row, "contacts", text_or_null(db_col_text(st, 14)));
  json_t *att = parsed(st, 15);
  json_object_set_new(row, "attendees", json_is_array(att) ? att : json_array());
  if (!json_is_array(att)) json_decref(att);
  json_object_set_new(row, "snapshot", parsed(st, 16));
  json_object_set_new(row, "lat", sqlite3_column_type(st, 17) == SQLITE_NULL ? json_null() : json_real(sqlite3_column_double(st, 17)));
  json_object_set_new(row, "lng", sqlite3_column_type(st, 18) == SQLITE_NULL ? json_null() : json_real(sqlite3_column_double(st, 18)));
  json_object_set_new(row, "distance_m", sqlite3_column_type(st, 19) == SQLITE_NULL ? json_null()
                                                                                    : json_integer((json_int_t)sqlite3_column_double(st, 19)));
  json_object_set_new(row, "withdraw_reason", text_or_null(db_col_text(st, 21)));
  json_object_set_new(row, "recorded_by_name", text_or_null(db_col_text(st, 22)));
  json_object_set_new(row, "created_at", json_string(db_col_text(st, 23)));
  json_object_set_new(row, "region_level", json_string(db_col_text(st, 24)));
  json_object_set_new(row, "attendee_count", json_integer((json_int_t)json_array_size(json_object_get(row, "attendees"))));
  return row;
}

json_t *supervision_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  if (scope->kind == SCOPE_KIND_SELF || scope->kind == SCOPE_KIND_NONE) return NULL;
  return list_get_one(db, RECORD_COLUMNS, RECORD_FROM, "a.id", scope, SCOPE_ASSIGNMENT, record_row, id);
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
  if (scope->kind == SCOPE_KIND_SELF || scope->kind == SCOPE_KIND_NONE) rc |= strbuf_appendf(&where, " AND 0");
  else rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {
    {":kind", f->kind ? f->kind : "", 0}, {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0},
    {":status", f->status ? f->status : "", 0}, {":unit", NULL, f->unit_id},
    {":region", f->region_code ? f->region_code : "", 0}};
  json_t *out = rc == 0 ? list_query(db, RECORD_COLUMNS, strbuf_cstr(&where), "a.date DESC, a.id DESC", params, 6, scope,
                                     record_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

int supervision_region(struct db *db, const char *code, char path[96], char level[12], char name[96])
{
  sqlite3_stmt *st = db_stmt(db, "SELECT path, level, name FROM region WHERE code = ?1 AND valid_to IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    snprintf(path, 96, "%s", db_col_text(st, 0));
    snprintf(level, 12, "%s", db_col_text(st, 1));
    snprintf(name, 96, "%s", db_col_text(st, 2));
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : DB_ERROR;
}

int supervision_village_fence(struct db *db, const char *code, bool *has_fence, double *lat, double *lng, double *radius)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT lat, lng, coalesce(radius_m, 1500) FROM region WHERE code = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  *has_fence = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL && sqlite3_column_type(st, 1) != SQLITE_NULL;
  if (*has_fence) {
    *lat = sqlite3_column_double(st, 0);
    *lng = sqlite3_column_double(st, 1);
    *radius = sqlite3_column_double(st, 2);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : DB_ERROR;
}

int supervision_unit_serves(struct db *db, int64_t unit_id, const char *village_code, bool *serves)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT 1 FROM assignment WHERE unit_id = ?1 AND village_code = ?2 AND status IN ('active','handover') LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, unit_id);
  sqlite3_bind_text(st, 2, village_code, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  *serves = rc == SQLITE_ROW;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}

#define IN_POST_FROM \
  " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code" \
  " LEFT JOIN region tw ON tw.code = ar.parent_code" \
  " WHERE a.status IN ('active','handover') AND (?2 = '' OR (ar.path >= ?2 AND ar.path < ?2 || '~'))" \
  " AND (?3 = 0 OR a.unit_id = ?3)"

json_t *supervision_cadre_in(struct db *db, int64_t cadre_id, const char *region_path, int64_t unit_id)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT c.id, c.name, a.post, ar.name" IN_POST_FROM " AND c.id = ?1 LIMIT 1");
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, region_path ? region_path : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, unit_id);
  json_t *out = NULL;
  if (db_step_row(db, st))
    out = json_pack("{s:I, s:s, s:s, s:s, s:s}", "cadre_id", (json_int_t)sqlite3_column_int64(st, 0), "name",
                    db_col_text(st, 1), "post", db_col_text(st, 2), "post_name", cadres_post_name_zh(db_col_text(st, 2)),
                    "village_name", db_col_text(st, 3));
  sqlite3_reset(st);
  return out;
}

static json_t *cadre_row(sqlite3_stmt *st)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "cadre_id", (json_int_t)sqlite3_column_int64(st, 0), "name",
                   db_col_text(st, 1), "post", db_col_text(st, 2), "post_name", cadres_post_name_zh(db_col_text(st, 2)),
                   "village_name", db_col_text(st, 3), "township_name", db_col_text(st, 4));
}

json_t *supervision_cadres_json(struct db *db, const char *region_path, int64_t unit_id)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT c.id, c.name, a.post, ar.name, coalesce(tw.name, '')" IN_POST_FROM
      " AND ?1 = ?1 ORDER BY a.post = 'first_secretary' DESC, a.post = 'team_leader' DESC, ar.code, c.id LIMIT 500");
  if (!st) return NULL;
  sqlite3_bind_int(st, 1, 0);
  sqlite3_bind_text(st, 2, region_path ? region_path : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, unit_id);
  return rows_map(db, st, cadre_row);
}

static json_t *village_row(sqlite3_stmt *st)
{
  return json_pack("{s:s, s:s, s:s, s:b}", "code", db_col_text(st, 0), "name", db_col_text(st, 1), "township_name",
                   db_col_text(st, 2), "has_fence", sqlite3_column_int(st, 3));
}

json_t *supervision_villages_json(struct db *db, const char *region_path, int64_t unit_id)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT ar.code, ar.name, coalesce(tw.name, ''), ar.lat IS NOT NULL" IN_POST_FROM
      " AND ?1 = ?1 GROUP BY ar.code ORDER BY ar.code LIMIT 500");
  if (!st) return NULL;
  sqlite3_bind_int(st, 1, 0);
  sqlite3_bind_text(st, 2, region_path ? region_path : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, unit_id);
  return rows_map(db, st, village_row);
}

/* One statement per cadre, each a handful of index look-ups (checkin(cadre_id, date),
 * work_log(cadre_id, date), visit(cadre_id, ...), activity_cadre, plan_item(plan_id)); a county
 * dispatch is a few hundred cadres. */
static const char DUTY_SQL[] =
    "SELECT (SELECT count(DISTINCT k.date) FROM checkin k WHERE k.cadre_id = ?1 AND k.in_fence = 1"
    "        AND k.date BETWEEN ?2 AND ?3),"
    " (SELECT count(*) FROM work_log w WHERE w.cadre_id = ?1 AND w.date BETWEEN ?2 AND ?3),"
    " (SELECT count(*) FROM visit v WHERE v.cadre_id = ?1 AND v.visited_on BETWEEN ?2 AND ?3),"
    " (SELECT count(*) FROM activity_cadre ac JOIN village_activity va ON va.id = ac.activity_id"
    "   WHERE ac.cadre_id = ?1 AND va.held_on BETWEEN ?2 AND ?3),"
    " (SELECT count(*) FROM plan_item pi JOIN assistance_plan ap ON ap.id = pi.plan_id"
    "   WHERE ap.village_code = ?4 AND ap.status = 'approved' AND pi.removed = 0"
    "   AND pi.due_month BETWEEN substr(?2, 1, 7) AND substr(?3, 1, 7)),"
    " (SELECT count(DISTINCT pp.item_id) FROM plan_progress pp JOIN plan_item pi ON pi.id = pp.item_id"
    "   JOIN assistance_plan ap ON ap.id = pi.plan_id WHERE ap.village_code = ?4 AND pi.removed = 0"
    "   AND pp.on_date BETWEEN ?2 AND ?3)";

int supervision_duty_add(struct db *db, json_t *items, const char *from, const char *to)
{
  static const char *const KEYS[] = {"days_in_village", "logs", "visits", "activities", "tasks_due",
                                     "tasks_progressed"};
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    sqlite3_stmt *st = db_stmt(db, DUTY_SQL);
    if (!st) return DB_ERROR;
    const char *village = json_string_value(json_object_get(it, "village_code"));
    sqlite3_bind_int64(st, 1, (sqlite3_int64)json_integer_value(json_object_get(it, "cadre_id")));
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, village ? village : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
      for (int k = 0; k < 6; k++) json_object_set_new(it, KEYS[k], json_integer(sqlite3_column_int64(st, k)));
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) return DB_ERROR; /* an aggregate always answers one row */
  }
  return DB_OK;
}
