/* h_checkins — the cadre's one-tap check-in from the phone (2.1), the raw list for review, the
 * cadre's own day, and today's board for the township and county. No photo is asked for and no
 * one is ranked: the 2023/2024 rules against 指尖上的形式主义 forbid check-in rituals and rankings. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/checkin_rules.h"
#include "core/date.h"
#include "core/policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/no_post.h"
#include "http/server.h"
#include "store/board.h"
#include "store/checkins.h"
#include "store/db.h"
#include "store/writer.h"

static struct checkin_limits limits_of(const struct policy *p, int today)
{
  struct checkin_limits l = {10 * 60, 72 * 3600, 150.0, 5};
  long v;
  if ((v = policy_int(p, "checkin_clock_tolerance_minutes", today)) > 0) l.clock_tolerance_s = (int)v * 60;
  if ((v = policy_int(p, "checkin_max_delay_hours", today)) > 0) l.max_delay_s = (int)v * 3600;
  if ((v = policy_int(p, "checkin_max_speed_kmh", today)) > 0) l.max_speed_kmh = (double)v;
  if ((v = policy_int(p, "checkin_same_coords_days", today)) > 0) l.same_coords_days = (int)v;
  return l;
}

/* ISO 8601 with an offset ("2026-11-29T09:12:00+08:00", "…Z") or unix milliseconds. */
static int parse_instant(struct reply *rep, const json_t *body, const char *name, int64_t *out)
{
  json_t *v = json_object_get(body, name);
  if (!v) return reply_error(rep, 400, "field_required", "缺少时间字段", name);
  if (json_is_integer(v)) {
    json_int_t ms = json_integer_value(v);
    if (ms < 946684800000LL || ms > 4102444800000LL) return reply_error(rep, 400, "field_invalid", "时间超出范围", name);
    *out = ms / 1000;
    return 0;
  }
  if (!json_is_string(v)) return reply_error(rep, 400, "field_type", "时间应为 ISO 8601 字符串或毫秒数", name);
  int y, mo, d, h, mi, s, oh = 0, om = 0, n = 0;
  char sign = 0;
  const char *t = json_string_value(v);
  if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6)
    return reply_error(rep, 400, "field_invalid", "时间格式应为 2026-11-29T09:12:00+08:00", name);
  t += n;
  if (*t == '.') { t++; while (*t >= '0' && *t <= '9') t++; }
  if (*t == 'Z' && !t[1]) sign = '+';
  else if ((*t == '+' || *t == '-') && sscanf(t + 1, "%2d:%2d", &oh, &om) == 2 && strlen(t) == 6) sign = *t;
  long days;
  int date = date_make(y, mo, d);
  if (!sign || !date_valid(date) || h > 23 || mi > 59 || s > 60 || oh > 14 || om > 59 || date_to_days(date, &days) != 0)
    return reply_error(rep, 400, "field_invalid", "时间须带时区，如 2026-11-29T09:12:00+08:00", name);
  int64_t offset = (sign == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
  *out = (int64_t)days * 86400 + h * 3600 + mi * 60 + s - offset;
  return 0;
}

struct checkin_input {
  const char *client_id, *source, *reason;
  int64_t at, sent_at;
  double lat, lng, accuracy;
};

static int read_checkin(struct reply *rep, const json_t *body, struct checkin_input *in)
{
  static const char *const ALLOWED[] = {"client_id", "at", "sent_at", "lat", "lng", "accuracy_m", "source", "reason", NULL};
  bool has;
  memset(in, 0, sizeof *in);
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "client_id", true, 64, &in->client_id) != 0 ||
      field_string(rep, body, "source", false, 16, &in->source) != 0 ||
      field_string(rep, body, "reason", false, 200, &in->reason) != 0 ||
      parse_instant(rep, body, "at", &in->at) != 0 || parse_instant(rep, body, "sent_at", &in->sent_at) != 0 ||
      field_number(rep, body, "lat", true, -90, 90, &in->lat, &has) != 0 ||
      field_number(rep, body, "lng", true, -180, 180, &in->lng, &has) != 0 ||
      field_number(rep, body, "accuracy_m", true, 0, 100000, &in->accuracy, &has) != 0)
    return -1;
  if (strlen(in->client_id) < 8 || strspn(in->client_id, "0123456789abcdefABCDEF-") != strlen(in->client_id))
    return reply_error(rep, 400, "field_invalid", "提交编号（client_id）应为 8 至 64 位十六进制字符（如 UUID）", "client_id");
  if (in->source && strcmp(in->source, "gps") && strcmp(in->source, "network") && strcmp(in->source, "manual"))
    return reply_error(rep, 400, "field_invalid", "定位方式（source）应为卫星定位（gps）、网络定位（network）或手动（manual）", "source");
  return 0;
}

static int duplicate(struct request *req, struct reply *rep, const char *client_id)
{
  json_t *existing = checkins_find_client_json(req->db, req->user.cadre_id, client_id);
  reply_error(rep, 409, "duplicate", "该打卡已提交过，不再重复记录", "client_id");
  if (existing) json_object_set_new(json_object_get(rep->json, "error"), "existing", existing);
  return -1;
}

/* The insert runs in the group commit of store/writer.c: answered once on disk. */
struct insert_job { const struct new_checkin *c; int64_t id; };

static int insert_checkin(struct db *db, void *ctx)
{
  struct insert_job *job = ctx;
  return checkins_insert(db, job->c, &job->id);
}

/* Judges and records one check-in; the strings of `in` are borrowed from the body. */
static int record_checkin(struct request *req, struct reply *rep, const struct checkin_input *in_);

int api_checkins_create(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部本人可以打卡", NULL);
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct checkin_input in;
  int rc = read_checkin(rep, body, &in);
  if (rc == 0) rc = record_checkin(req, rep, &in);
  json_decref(body);
  return rc;
}

static int record_checkin(struct request *req, struct reply *rep, const struct checkin_input *in_)
{
  struct checkin_input in = *in_;
  int64_t now = req->now;
  int today = req->today;
  struct checkin_limits limits = limits_of(req->app->policy, today);
  bool delayed;
  enum checkin_time_result tr = checkin_judge_time(in.at, in.sent_at, now, &limits, &delayed);
  if (tr != CHECKIN_TIME_OK)
    return reply_error(rep, 400, checkin_time_code(tr), checkin_time_message_zh(tr),
                       tr == CHECKIN_TIME_CLOCK_SKEW ? "sent_at" : "at");
  /* the post held on the check-in's own day: a check-in queued offline on the last day counts */
  struct station st;
  int found = checkins_station_on(req->db, req->user.cadre_id, date_from_unix_cst((time_t)in.at), &st);
  if (found == DB_NOT_FOUND) return reply_no_post(req, rep, "当前没有在岗的驻村任务，不能打卡");
  if (found != DB_OK) return reply_internal(rep);
  double distance = 0;
  bool in_fence = st.has_fence && checkin_in_fence(in.lat, in.lng, st.lat, st.lng, st.radius_m, &distance);
  struct checkin_previous prev;
  if (checkins_previous(req->db, req->user.cadre_id, in.at, in.lat, in.lng, limits.same_coords_days, &prev) != DB_OK)
    return reply_internal(rep);
  char flags[64], date[DATE_ISO_SIZE];
  checkin_flags_text(checkin_flags(&prev, in.at, in.lat, in.lng, in.accuracy, st.has_fence ? st.radius_m : 1e9, &limits),
                     flags, sizeof flags);
  date_format_iso(date_from_unix_cst((time_t)in.at), date);
  struct new_checkin c = {req->user.cadre_id, &st, in.client_id, "checkin", in.source, in.reason, flags, in.at, now,
                          date, in.lat, in.lng, in.accuracy, distance, in_fence, delayed};
  struct insert_job job = {&c, 0};
  int w = writer_run(req->db, insert_checkin, &job);
  if (w == DB_CONFLICT) return duplicate(req, rep, in.client_id);
  if (w != DB_OK) return reply_internal(rep);
  int64_t id = job.id;
  char message[256];
  if (st.has_fence) checkin_message_zh(in_fence, distance, st.village_name, message, sizeof message);
  else snprintf(message, sizeof message, "已记录；%s尚未设置打卡范围，请联系乡镇设置", st.village_name);
  json_t *out = checkins_written_json(&c, id); /* not read back: see store/checkins.h */
  if (!out) return reply_internal(rep);
  json_object_set_new(out, "message", json_string(message));
  json_object_set_new(out, "radius_m", st.has_fence ? json_integer((json_int_t)st.radius_m) : json_null());
  reply_json(rep, 201, out);
  return 0;
}

static const char *const CHECKIN_EXPORT[][2] = {
  {"time", "时间"}, {"cadre_name", "姓名"}, {"village_name", "村"}, {"in_fence", "在村范围内"},
  {"distance_m", "距村部（米）"}, {"accuracy_m", "定位精度（米）"}, {"delayed", "补传"}, {"reason", "说明"},
  {"received", "接收时间"}, {NULL, NULL}};

int api_checkins_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *village, *from, *to, *cadre, *flagged;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "village", 12, &village) != 0 ||
      query_text(req, rep, "from", 10, &from) != 0 || query_text(req, rep, "to", 10, &to) != 0 ||
      query_text(req, rep, "cadre", 12, &cadre) != 0 || query_text(req, rep, "flagged", 1, &flagged) != 0)
    return -1;
  int d;
  if ((from && *from && date_parse_iso(from, &d) != 0) || (to && *to && date_parse_iso(to, &d) != 0))
    return reply_error(rep, 400, "field_invalid", "日期应为 YYYY-MM-DD", from && date_parse_iso(from, &d) ? "from" : "to");
  int64_t cadre_id;
  if (handler_cadre_filter(req, rep, cadre, &cadre_id) != 0) return -1;
  struct checkin_filter f = {cadre_id, village && *village ? village : NULL, from, to, flagged && *flagged == '1'};
  handler_stream_list(req, CHECKIN_EXPORT, "打卡记录", NULL);
  json_t *list = checkins_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, CHECKIN_EXPORT, "打卡记录");
}

int api_me_today(struct request *req, struct reply *rep)
{
  if (!req->user.cadre_id) return reply_error(rep, 403, "forbidden", "只有驻村干部有“我的驻村”", NULL);
  char date[DATE_ISO_SIZE];
  date_format_iso(req->today, date);
  json_t *out = checkins_today_json(req->db, req->user.cadre_id, date);
  if (!out) return reply_internal(rep);
  reply_json(rep, 200, out);
  return 0;
}

static const char *const BOARD_EXPORT[][2] = {
  {"township_name", "乡镇"}, {"village_name", "村"}, {"name", "姓名"}, {"post_name", "职务"}, {"unit_name", "派出单位"},
  {"status_name", "状态"}, {"first_at", "首次在村时间"}, {NULL, NULL}};

int api_board_get(struct request *req, struct reply *rep)
{
  int date;
  const char *region;
  if (handler_query_date(req, rep, "date", &date) != 0 || query_text(req, rep, "region", 12, &region) != 0) return -1;
  char iso[DATE_ISO_SIZE];
  date_format_iso(date, iso);
  if (!query_wants_xlsx(req)) {
    /* the JSON written as it is read (store/board: a city's board without a jansson object per post) */
    if (board_json_text(req->db, &req->scope, iso, region && *region ? region : NULL, &rep->raw, &rep->raw_len) != DB_OK)
      return reply_internal(rep);
    rep->status = 200;
    rep->content_type = "application/json; charset=utf-8";
    return 0;
  }
  json_t *board = checkins_board_json(req->db, &req->scope, iso, region && *region ? region : NULL);
  return handler_reply_list(req, rep, board, BOARD_EXPORT, "今日在岗");
}

/* For the visit (h_visits.c, 5.6): a visit is a check-in too, judged by the same clock and limits. */
int handler_parse_instant(struct reply *rep, const json_t *body, const char *name, int64_t *out)
{
  return parse_instant(rep, body, name, out);
}

struct checkin_limits handler_checkin_limits(const struct policy *p, int today) { return limits_of(p, today); }
