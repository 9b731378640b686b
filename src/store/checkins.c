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
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/log.h"
#include "util/strbuf.h"

static int read_station(struct query *q, struct station *out)
{
  if (query_next(q)) {
    out->assignment_id = query_get_int(q, "assignment_id");
    snprintf(out->village_code, sizeof out->village_code, "%s", query_get_text(q, "village_code"));
    snprintf(out->village_name, sizeof out->village_name, "%s", query_get_text(q, "village_name"));
    snprintf(out->post, sizeof out->post, "%s", query_get_text(q, "post"));
    snprintf(out->cadre_name, sizeof out->cadre_name, "%s", query_get_text(q, "cadre_name"));
    out->has_fence = !query_is_null(q, "lat") && !query_is_null(q, "radius_m");
    out->lat = query_get_double(q, "lat");
    out->lng = query_get_double(q, "lng");
    out->radius_m = query_get_double(q, "radius_m");
    return query_close(q);
  }
  int rc = query_close(q);
  return rc == DB_OK ? DB_NOT_FOUND : rc;
}

#define STATION_SQL "SELECT a.id AS assignment_id, a.village_code AS village_code, r.name AS village_name," \
  " a.post AS post, r.lat AS lat, r.lng AS lng, r.radius_m AS radius_m," \
  " (SELECT c.name FROM cadre c WHERE c.id = a.cadre_id) AS cadre_name FROM assignment a" \
  " JOIN region r ON r.code = a.village_code WHERE a.cadre_id = :cadre"

int checkins_station(struct db *db, int64_t cadre_id, struct station *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db, STATION_SQL " AND a.status IN ('active','handover') ORDER BY a.id DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  return read_station(q, out);
}

int checkins_station_on(struct db *db, int64_t cadre_id, int day, struct station *out)
{
  memset(out, 0, sizeof *out);
  char iso[DATE_ISO_SIZE];
  date_format_iso(day, iso);
  struct query *q = query_open(db, STATION_SQL " AND a.status IN ('active','handover','ended') AND a.start_date <= :day"
                                   " AND coalesce(a.ended_on, a.term_end) >= :day ORDER BY a.id DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":day", iso);
  return read_station(q, out);
}

int checkins_previous(struct db *db, int64_t cadre_id, int64_t at, double lat, double lng, int days,
                      struct checkin_previous *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db,
      "SELECT at AS at, lat AS lat, lng AS lng FROM checkin WHERE cadre_id = :cadre AND at <= :at AND lat IS NOT NULL"
      " ORDER BY at DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_int(q, ":at", at);
  if (query_next(q)) {
    out->exists = true;
    out->at = query_get_int(q, "at");
    out->lat = query_get_double(q, "lat");
    out->lng = query_get_double(q, "lng");
  }
  int rc = query_close(q);
  if (rc != DB_OK || !out->exists || days <= 0) return rc;
  /* the previous `days` calendar days (CST) on which exactly these coordinates were reported */
  q = query_open(db,
      "SELECT count(DISTINCT date) AS days FROM checkin WHERE cadre_id = :cadre AND lat = :lat AND lng = :lng"
      " AND date >= " SQL_CST_DATE_BEFORE(":at", ":days")
      " AND date < " SQL_CST_DATE(":at"));
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_double(q, ":lat", lat);
  query_bind_double(q, ":lng", lng);
  query_bind_int(q, ":at", at);
  query_bind_int(q, ":days", days);
  if (query_next(q)) out->same_coords_days = (int)query_get_int(q, "days");
  return query_close(q);
}

int checkins_insert(struct db *db, const struct new_checkin *c, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, kind, at, received_at, date, lat, lng,"
      " accuracy_m, source, distance_m, in_fence, delayed, reason, flags)"
      " VALUES (:cadre, :assignment, :village, :client, :kind, :at, :received, :date, :lat, :lng, :accuracy, :source,"
      " :distance, :in_fence, :delayed, :reason, :flags) RETURNING id");
  query_bind_int(q, ":cadre", c->cadre_id);
  query_bind_int(q, ":assignment", c->station->assignment_id);
  query_bind_text(q, ":village", c->station->village_code);
  query_bind_text(q, ":client", c->client_id);
  query_bind_text(q, ":kind", c->kind ? c->kind : "checkin");
  query_bind_int(q, ":at", c->at);
  query_bind_int(q, ":received", c->received_at);
  query_bind_text(q, ":date", c->date);
  query_bind_double(q, ":lat", c->lat);
  query_bind_double(q, ":lng", c->lng);
  query_bind_double(q, ":accuracy", c->accuracy_m);
  query_bind_text(q, ":source", c->source);
  if (c->station->has_fence) query_bind_double(q, ":distance", c->distance_m); else query_bind_null(q, ":distance");
  query_bind_int(q, ":in_fence", c->in_fence);
  query_bind_int(q, ":delayed", c->delayed);
  query_bind_text(q, ":reason", c->reason);
  query_bind_text(q, ":flags", c->flags ? c->flags : "");
  return query_insert_id(q, id_out);
}

#define CHECKIN_COLUMNS \
  "k.id AS id, k.cadre_id AS cadre_id, c.name AS cadre_name, k.village_code AS village_code, kr.name AS village_name," \
  " k.kind AS kind, " SQL_CST_DATETIME("k.at") " AS time, k.date AS date, k.lat AS lat, k.lng AS lng," \
  " k.accuracy_m AS accuracy_m, k.source AS source, k.distance_m AS distance_m, k.in_fence AS in_fence," \
  " k.delayed AS delayed, coalesce(k.reason, '') AS reason, k.flags AS flags," \
  " " SQL_CST_DATETIME("k.received_at") " AS received, k.client_id AS client_id"
#define CHECKIN_FROM "checkin k JOIN cadre c ON c.id = k.cadre_id JOIN region kr ON kr.code = k.village_code"

static json_t *real_or_null(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_real(query_get_double(q, alias));
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

static json_t *checkin_row(struct query *q)
{
  json_t *flags = flags_json(query_get_text(q, "flags"));
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:b, s:b, s:s, s:o, s:s, s:s}",
                   "id", (json_int_t)query_get_int(q, "id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                   "cadre_name", query_get_text(q, "cadre_name"), "village_code", query_get_text(q, "village_code"),
                   "village_name", query_get_text(q, "village_name"), "kind", query_get_text(q, "kind"),
                   "time", query_get_text(q, "time"), "date", query_get_text(q, "date"),
                   "lat", real_or_null(q, "lat"), "lng", real_or_null(q, "lng"),
                   "accuracy_m", real_or_null(q, "accuracy_m"), "source", query_get_text(q, "source"),
                   "distance_m", real_or_null(q, "distance_m"), "in_fence", (int)query_get_int(q, "in_fence"),
                   "delayed", (int)query_get_int(q, "delayed"), "reason", query_get_text(q, "reason"),
                   "flags", flags, "received", query_get_text(q, "received"),
                   "client_id", query_get_text(q, "client_id"));
}

json_t *checkins_get_json(struct db *db, int64_t id)
{
  /* read back by id after the cadre's own write, or for the cadre's own duplicate: no scope needed */
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  json_t *out = NULL;
  if (strbuf_appendf(&sql, "SELECT " CHECKIN_COLUMNS " FROM " CHECKIN_FROM " WHERE k.id = :id") == 0) {
    struct query *q = query_open(db, strbuf_cstr(&sql));
    query_bind_int(q, ":id", id);
    if (query_next(q)) out = checkin_row(q);
    if (query_close(q) != DB_OK) {
      json_decref(out);
      out = NULL;
    }
  }
  strbuf_free(&sql);
  return out;
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
  struct query *q = query_open(db, "SELECT id AS id FROM checkin WHERE cadre_id = :cadre AND client_id = :client");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":client", client_id);
  int64_t id = query_next(q) ? query_get_int(q, "id") : 0;
  if (query_close(q) != DB_OK) return NULL;
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
  /* check-ins of one instant (a phone's queue, a pinned clock) newest received first, the same on both
   * databases: a page of today's cuts them at the same row */
  json_t *out = rc == 0 ? query_list(db, CHECKIN_COLUMNS, strbuf_cstr(&where), "k.at DESC, k.id DESC", params, 4, scope,
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
  int read = list ? DB_OK : DB_ERROR;
  struct query *q = query_open(db,
      "SELECT id AS id, type AS type, start_date AS start_date, end_date AS end_date, status AS status FROM leave"
      " WHERE cadre_id = :cadre AND status IN ('pending','approved') AND start_date <= :date AND end_date >= :date"
      " ORDER BY id DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":date", date);
  json_t *leave = query_next(q)
      ? json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)query_get_int(q, "id"), "type",
                  query_get_text(q, "type"), "start_date", query_get_text(q, "start_date"), "end_date",
                  query_get_text(q, "end_date"), "status", query_get_text(q, "status"))
      : json_null();
  if (query_close(q) != DB_OK) read = DB_ERROR;
  int logs = 0;
  q = query_open(db, "SELECT count(*) AS logs FROM work_log WHERE cadre_id = :cadre AND date = :date");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":date", date);
  if (query_next(q)) logs = (int)query_get_int(q, "logs");
  if (query_close(q) != DB_OK) read = DB_ERROR;
  if (read != DB_OK) {
    /* a failed read is not an empty day */
    json_decref(station);
    json_decref(checkins);
    json_decref(leave);
    return NULL;
  }
  return json_pack("{s:s, s:o, s:o, s:o, s:i}", "date", date, "assignment", station, "checkins", checkins, "leave",
                   leave, "logs_today", logs);
}
