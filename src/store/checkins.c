/* checkins — SQL of the raw acts. The board is one query over the live assignments in scope,
 * with correlated look-ups by index (the day's facts post_day(cadre_id, date), leave(cadre_id,
 * start_date)), so it costs a few index probes per stationed cadre and nothing per check-in. Each
 * insert adds itself to the day's facts through a trigger (schema/142_post_day.sql) in its own
 * transaction. */
#include "store/checkins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "store/board.h"
#include "store/cadres.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/log.h"
#include "util/strbuf.h"

static int read_station(struct db *db, sqlite3_stmt *st, struct station *out)
{
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->assignment_id = sqlite3_column_int64(st, 0);
    snprintf(out->village_code, sizeof out->village_code, "%s", db_col_text(st, 1));
    snprintf(out->village_name, sizeof out->village_name, "%s", db_col_text(st, 2));
    snprintf(out->post, sizeof out->post, "%s", db_col_text(st, 3));
    snprintf(out->cadre_name, sizeof out->cadre_name, "%s", db_col_text(st, 7));
    out->has_fence = sqlite3_column_type(st, 4) != SQLITE_NULL && sqlite3_column_type(st, 6) != SQLITE_NULL;
    out->lat = sqlite3_column_double(st, 4);
    out->lng = sqlite3_column_double(st, 5);
    out->radius_m = sqlite3_column_double(st, 6);
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

#define STATION_SQL "SELECT a.id, a.village_code, r.name, a.post, r.lat, r.lng, r.radius_m," \
  " (SELECT c.name FROM cadre c WHERE c.id = a.cadre_id) FROM assignment a" \
  " JOIN region r ON r.code = a.village_code WHERE a.cadre_id = ?1"

int checkins_station(struct db *db, int64_t cadre_id, struct station *out)
{
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = db_stmt(db, STATION_SQL " AND a.status IN ('active','handover') ORDER BY a.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  return read_station(db, st, out);
}

int checkins_station_on(struct db *db, int64_t cadre_id, int day, struct station *out)
{
  memset(out, 0, sizeof *out);
  char iso[DATE_ISO_SIZE];
  date_format_iso(day, iso);
  sqlite3_stmt *st = db_stmt(db, STATION_SQL " AND a.status IN ('active','handover','ended') AND a.start_date <= ?2"
                                 " AND coalesce(a.ended_on, a.term_end) >= ?2 ORDER BY a.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, iso, -1, SQLITE_TRANSIENT);
  return read_station(db, st, out);
}

int checkins_previous(struct db *db, int64_t cadre_id, int64_t at, double lat, double lng, int days,
                      struct checkin_previous *out)
{
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = db_stmt(db,
      "SELECT at, lat, lng FROM checkin WHERE cadre_id = ?1 AND at <= ?2 AND lat IS NOT NULL"
      " ORDER BY at DESC LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_int64(st, 2, at);
  if (sqlite3_step(st) == SQLITE_ROW) {
    out->exists = true;
    out->at = sqlite3_column_int64(st, 0);
    out->lat = sqlite3_column_double(st, 1);
    out->lng = sqlite3_column_double(st, 2);
  }
  sqlite3_reset(st);
  if (!out->exists || days <= 0) return DB_OK;
  /* the previous `days` calendar days (CST) on which exactly these coordinates were reported */
  st = db_stmt(db,
      "SELECT count(DISTINCT date) FROM checkin WHERE cadre_id = ?1 AND lat = ?2 AND lng = ?3"
      " AND date >= " SQL_CST_DATE_BEFORE("?4", "?5")
      " AND date < " SQL_CST_DATE("?4"));
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_double(st, 2, lat);
  sqlite3_bind_double(st, 3, lng);
  sqlite3_bind_int64(st, 4, at);
  sqlite3_bind_int(st, 5, days);
  if (sqlite3_step(st) == SQLITE_ROW) out->same_coords_days = sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return DB_OK;
}

int checkins_insert(struct db *db, const struct new_checkin *c, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, kind, at, received_at, date, lat, lng,"
      " accuracy_m, source, distance_m, in_fence, delayed, reason, flags)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, c->cadre_id);
  sqlite3_bind_int64(st, 2, c->station->assignment_id);
  sqlite3_bind_text(st, 3, c->station->village_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, c->client_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, c->kind ? c->kind : "checkin", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 6, c->at);
  sqlite3_bind_int64(st, 7, c->received_at);
  sqlite3_bind_text(st, 8, c->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(st, 9, c->lat);
  sqlite3_bind_double(st, 10, c->lng);
  sqlite3_bind_double(st, 11, c->accuracy_m);
  db_bind_text_or_null(st, 12, c->source);
  if (c->station->has_fence) sqlite3_bind_double(st, 13, c->distance_m); else sqlite3_bind_null(st, 13);
  sqlite3_bind_int(st, 14, c->in_fence);
  sqlite3_bind_int(st, 15, c->delayed);
  db_bind_text_or_null(st, 16, c->reason);
  sqlite3_bind_text(st, 17, c->flags ? c->flags : "", -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

#define CHECKIN_COLUMNS \
  "k.id, k.cadre_id, c.name, k.village_code, kr.name, k.kind, " SQL_CST_DATETIME("k.at") ", k.date," \
  " k.lat, k.lng, k.accuracy_m, k.source, k.distance_m, k.in_fence, k.delayed, coalesce(k.reason, ''), k.flags," \
  " " SQL_CST_DATETIME("k.received_at") ", k.client_id"
#define CHECKIN_FROM "checkin k JOIN cadre c ON c.id = k.cadre_id JOIN region kr ON kr.code = k.village_code"

static json_t *real_or_null(sqlite3_stmt *st, int col)
{
  return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_real(sqlite3_column_double(st, col));
}

static json_t *checkin_row(sqlite3_stmt *st)
{
  json_t *flags = json_array();
  char buf[64];
  snprintf(buf, sizeof buf, "%s", db_col_text(st, 16));
  char *save = NULL;
  for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) json_array_append_new(flags, json_string(f));
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:b, s:b, s:s, s:o, s:s, s:s}",
                   "id", (json_int_t)sqlite3_column_int64(st, 0), "cadre_id", (json_int_t)sqlite3_column_int64(st, 1),
                   "cadre_name", db_col_text(st, 2), "village_code", db_col_text(st, 3), "village_name",
                   db_col_text(st, 4), "kind", db_col_text(st, 5), "time", db_col_text(st, 6), "date",
                   db_col_text(st, 7), "lat", real_or_null(st, 8), "lng", real_or_null(st, 9), "accuracy_m",
                   real_or_null(st, 10), "source", db_col_text(st, 11), "distance_m", real_or_null(st, 12),
                   "in_fence", sqlite3_column_int(st, 13), "delayed", sqlite3_column_int(st, 14), "reason",
                   db_col_text(st, 15), "flags", flags, "received", db_col_text(st, 17), "client_id",
                   db_col_text(st, 18));
}

json_t *checkins_get_json(struct db *db, int64_t id)
{
  /* read back by id after the cadre's own write, or for the cadre's own duplicate: no scope needed */
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  json_t *out = NULL;
  if (strbuf_appendf(&sql, "SELECT " CHECKIN_COLUMNS " FROM " CHECKIN_FROM " WHERE k.id = ?1") == 0) {
    sqlite3_stmt *st = db_stmt(db, strbuf_cstr(&sql));
    if (st) {
      sqlite3_bind_int64(st, 1, id);
      if (sqlite3_step(st) == SQLITE_ROW) out = checkin_row(st);
      sqlite3_reset(st);
    }
  }
  strbuf_free(&sql);
  return out;
}

static json_t *flags_json(const char *text)
{
  json_t *flags = json_array();
  char buf[64];
  snprintf(buf, sizeof buf, "%s", text ? text : "");
  char *save = NULL;
  for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) json_array_append_new(flags, json_string(f));
  return flags;
}

/* "YYYY-MM-DD HH:MM:SS" in China Standard Time, as SQL_CST_DATETIME writes it. */
static void cst_datetime(int64_t t, char out[CLOCK_ISO_SIZE])
{
  clock_format_cst(t, out);
  out[10] = ' ';
  out[19] = '\0';
}

json_t *checkins_written_json(const struct new_checkin *c, int64_t id)
{
  const struct station *st = c->station;
  char time[CLOCK_ISO_SIZE], received[CLOCK_ISO_SIZE];
  cst_datetime(c->at, time);
  cst_datetime(c->received_at, received);
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:s, s:o, s:b, s:b, s:s, s:o, s:s, s:s}",
                   "id", (json_int_t)id, "cadre_id", (json_int_t)c->cadre_id, "cadre_name", st->cadre_name,
                   "village_code", st->village_code, "village_name", st->village_name, "kind",
                   c->kind ? c->kind : "checkin", "time", time, "date", c->date, "lat", c->lat, "lng", c->lng,
                   "accuracy_m", c->accuracy_m, "source", c->source ? c->source : "", "distance_m",
                   st->has_fence ? json_real(c->distance_m) : json_null(), "in_fence", (int)c->in_fence, "delayed",
                   (int)c->delayed, "reason", c->reason ? c->reason : "", "flags", flags_json(c->flags), "received",
                   received, "client_id", c->client_id);
}

json_t *checkins_find_client_json(struct db *db, int64_t cadre_id, const char *client_id)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT id FROM checkin WHERE cadre_id = ?1 AND client_id = ?2");
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, client_id, -1, SQLITE_TRANSIENT);
  int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return id ? checkins_get_json(db, id) : NULL;
}

json_t *checkins_list_json(struct db *db, const struct scope *scope, const struct checkin_filter *f, int page,
                           int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, CHECKIN_FROM " WHERE (:cadre = 0 OR k.cadre_id = :cadre)"
                                  " AND (:village = '' OR k.village_code = :village)"
                                  " AND (:from = '' OR k.date >= :from) AND (:to = '' OR k.date <= :to)%s",
                          f->flagged ? " AND k.flags != ''" : "");
  rc |= scope_sql(scope, SCOPE_CHECKIN, &where);
  const struct sql_param params[] = {
    {":cadre", NULL, f->cadre_id}, {":village", f->village_code ? f->village_code : "", 0},
    {":from", f->from ? f->from : "", 0}, {":to", f->to ? f->to : "", 0}};
  json_t *out = rc == 0 ? list_query(db, CHECKIN_COLUMNS, strbuf_cstr(&where), "k.at DESC", params, 4, scope,
                                     checkin_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* The board as a jansson tree (the Excel export, 督查 and the daily report read it): the very text
 * GET /board serves (store/board), parsed, so both come from one statement. */
json_t *checkins_board_json(struct db *db, const struct scope *scope, const char *date, const char *region_code)
{
  char *text = NULL;
  size_t len = 0;
  if (board_json_text(db, scope, date, region_code, &text, &len) != DB_OK) return NULL;
  json_error_t err;
  json_t *board = json_loadb(text, len, 0, &err);
  if (!board) log_error("checkins", "the board's own text does not parse: %s", err.text);
  free(text);
  return board;
}

json_t *checkins_today_json(struct db *db, int64_t cadre_id, const char *date)
{
  struct station s;
  int rc = checkins_station(db, cadre_id, &s);
  if (rc == DB_ERROR) return NULL;
  json_t *station = rc == DB_OK
      ? json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)s.assignment_id, "village_code",
                  s.village_code, "village_name", s.village_name, "post", s.post, "post_name",
                  cadres_post_name_zh(s.post), "lat", s.has_fence ? json_real(s.lat) : json_null(), "lng",
                  s.has_fence ? json_real(s.lng) : json_null(), "radius_m",
                  s.has_fence ? json_integer((json_int_t)s.radius_m) : json_null())
      : json_null();
  struct scope self = {.kind = SCOPE_KIND_SELF, .cadre_id = cadre_id};
  struct checkin_filter f = {cadre_id, NULL, date, date, false};
  json_t *list = checkins_list_json(db, &self, &f, 1, 50);
  json_t *checkins = list ? json_incref(json_object_get(list, "items")) : json_array();
  json_decref(list);
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, type, start_date, end_date, status FROM leave WHERE cadre_id = ?1 AND status IN ('pending','approved')"
      " AND start_date <= ?2 AND end_date >= ?2 ORDER BY id DESC LIMIT 1");
  json_t *leave = json_null();
  if (st) {
    sqlite3_bind_int64(st, 1, cadre_id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
      leave = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "type",
                        db_col_text(st, 1), "start_date", db_col_text(st, 2), "end_date", db_col_text(st, 3), "status",
                        db_col_text(st, 4));
    sqlite3_reset(st);
  }
  int logs = 0;
  st = db_stmt(db, "SELECT count(*) FROM work_log WHERE cadre_id = ?1 AND date = ?2");
  if (st) {
    sqlite3_bind_int64(st, 1, cadre_id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) logs = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
  }
  return json_pack("{s:s, s:o, s:o, s:o, s:i}", "date", date, "assignment", station, "checkins", checkins, "leave",
                   leave, "logs_today", logs);
}
