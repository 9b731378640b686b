/* h_village_profile — the village profile (村情) of 5.8 分析本村发展存在的短板弱项: collective
 * income, population, industries, infrastructure, the 两委 and the weak points the team found,
 * each change dated and kept (store/village_profile.c). Read by anyone who sees the village;
 * written by those who record its village work (the team, the township, the county). A plan names
 * the weak points it addresses from here (5.9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/village_profile.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/cases.h"
#include "store/db.h"
#include "store/village_profile.h"

/* The village of the path in the caller's scope (SCOPE_TEAM), else 404. */
static int village_of_path(struct request *req, struct reply *rep, json_t **village)
{
  const char *code = req->params[0];
  *village = code && strlen(code) == 12 ? cases_village_json(req->db, &req->scope, code) : NULL;
  if (!*village) return reply_not_found(req, rep, "村不存在或不在管辖范围内", NULL);
  return 0;
}

static int reply_profile(struct request *req, struct reply *rep, json_t *village, const char *on, int status)
{
  json_t *p = village_profile_json(req->db, json_string_value(json_object_get(village, "code")), on);
  if (!p) { json_decref(village); return reply_internal(rep); }
  json_t *names = json_array();
  for (int i = 0; village_profile_fields[i]; i++)
    json_array_append_new(names, json_pack("{s:s, s:s}", "code", village_profile_fields[i], "name",
                                           village_profile_field_zh(village_profile_fields[i])));
  json_object_set_new(p, "village_code", json_incref(json_object_get(village, "code")));
  json_object_set_new(p, "village_name", json_incref(json_object_get(village, "name")));
  json_object_set_new(p, "clause", json_string("5.8"));
  json_object_set_new(p, "on", json_string(on));
  json_object_set_new(p, "field_names", names);
  json_decref(village);
  reply_json(rep, status, p);
  return 0;
}

/* GET /villages/:code/profile?on=YYYY-MM-DD (default today): the profile that day and all changes. */
/* A change of a village's profile, and the id the store gives it. */
struct profile_write {
  const struct profile_change *c;
  int64_t id;
};

static int store_change(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct profile_write *p = ctx;
  return village_profile_insert(req->db, p->c, req->now, &p->id);
}

int api_village_profile_get(struct request *req, struct reply *rep)
{
  int on;
  json_t *village;
  if (handler_query_date(req, rep, "on", &on) != 0 || village_of_path(req, rep, &village) != 0) return -1;
  char iso[DATE_ISO_SIZE];
  date_format_iso(on, iso);
  return reply_profile(req, rep, village, iso, 200);
}

/* as_of: YYYY-MM-DD, from 2000 to today; default today. */
static int read_as_of(struct request *req, struct reply *rep, const json_t *body, char out[DATE_ISO_SIZE])
{
  const char *s;
  if (field_string(rep, body, "as_of", false, 10, &s) != 0) return -1;
  int d = req->today;
  if (s && *s && (date_parse_iso(s, &d) != 0 || d < 20000101))
    return reply_error(rep, 400, "field_invalid", "变化日期应为 YYYY-MM-DD 格式的有效日期", "as_of");
  if (d > req->today) return reply_error(rep, 400, "field_invalid", "变化日期不能晚于今天", "as_of");
  date_format_iso(d, out);
  return 0;
}

/* POST /villages/:code/profile {field, value, as_of?, note?}: one dated change of one field. */
int api_village_profile_change(struct request *req, struct reply *rep)
{
  json_t *body, *village = NULL, *value = NULL;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"field", "value", "as_of", "note", NULL};
  const char *field, *note;
  char as_of[DATE_ISO_SIZE], why[200];
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "field", true, 40, &field) != 0 ||
      field_text(rep, body, "note", false, 500, &note) != 0 || read_as_of(req, rep, body, as_of) != 0 ||
      village_of_path(req, rep, &village) != 0)
    goto out;
  if (!village_profile_field_zh(field)) {
    rc = reply_error(rep, 400, "field_invalid", "村情项目应为 collective_income、population、industries、infrastructure、"
                                                "committee、weak_points 之一", "field");
    goto out;
  }
  if (!json_object_get(body, "value")) { rc = reply_error(rep, 400, "field_required", "请填写村情内容", "value"); goto out; }
  if (village_profile_check(field, json_object_get(body, "value"), req->today / 10000, &value, why, sizeof why) != 0) {
    rc = reply_error(rep, 400, "field_invalid", why, "value");
    goto out;
  }
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
  if (!text) { rc = reply_internal(rep); goto out; }
  struct profile_change c = {json_string_value(json_object_get(village, "code")), field, text, as_of,
                             note ? note : "", req->user.id};
  struct profile_write pw = {&c, 0};
  struct write_tx w = {.store = store_change, .ctx = &pw, .action = "village_profile.change",
                       .entity = "village_profile_entry", .id = &pw.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  free(text);
out:
  json_decref(value);
  json_decref(body);
  if (rc != 0) { json_decref(village); return -1; }
  char today[DATE_ISO_SIZE];
  date_format_iso(req->today, today);
  return reply_profile(req, rep, village, today, 201);
}
