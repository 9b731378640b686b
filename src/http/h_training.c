/* h_training — 培训管理 (4.1–4.5).
 *
 * The county's annual training plan (4.2a), filed (印发) by a date under a document number; the
 * training events by type (policy training_types: the city's demonstration class for first
 * secretaries 4.1a and 乡村振兴大讲堂 4.1b, the county's rotation batches 4.2a, industry training
 * 4.2b, the biennial policy training of units' deputy leaders and HR heads 4.5), each organized
 * by a region of the type's level within the writer's scope, with topics from the 4.3 list and
 * participants picked from the cadres in post under the organizer (attendance marked) or, for
 * 4.5, the units' staff by name and unit. Coverage per cadre and per county against the end of
 * September (4.4). Writes need PERM_TRAINING_WRITE and are audited; reads PERM_OBLIGATION_READ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/date.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/record_input.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/scope.h"
#include "store/training.h"

#define MAX_PARTICIPANTS 500
#define MAX_TOPICS 10

static const json_t *policy_value(const struct request *req, const char *id)
{
  const struct policy_param *p = policy_param(req->app->policy, id, req->today);
  return p ? p->value : NULL;
}

/* A region the writer may organize for: a county for plans, a level of the type for events. */
static int organizer_in_scope(struct request *req, struct reply *rep, const char *code, const char *field,
                              char path[96], char level[16])
{
  int rc = training_region(req->db, code, path, level);
  if (rc == DB_ERROR) return reply_internal(rep);
  if (rc == DB_NOT_FOUND || req->scope.kind != SCOPE_KIND_REGION || !scope_covers_path(&req->scope, path))
    return reply_not_found(req, rep, "该区划不存在或不在管辖范围内", field);
  return 0;
}

/* ---- plans (4.2a) ---- */

static int reply_plan(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *p = training_plan_get_json(req->db, &req->scope, id);
  if (!p) return reply_not_found(req, rep, "培训计划不存在或不在管辖范围内", NULL);
  reply_json(rep, status, p);
  return 0;
}

/* filed_on (past date) and doc_no go together. */
static int filing(const struct request *req, struct reply *rep, const json_t *body, bool required, const char **doc_no, const char **filed_on)
{
  int d;
  if (field_string(rep, body, "doc_no", required, 60, doc_no) != 0 ||
      field_string(rep, body, "filed_on", required, 10, filed_on) != 0)
    return -1;
  if (*filed_on && !**filed_on) *filed_on = NULL;
  if (!*filed_on) return 0;
  if (rec_date(req, rep, *filed_on, "filed_on", false, &d) != 0) return -1;
  if (!*doc_no || !**doc_no) return reply_error(rep, 400, "field_required", "印发的培训计划须填写文号", "doc_no");
  return 0;
}

/* A write of a training plan or event: entered (its id set by the store), filed, its people set, or
 * withdrawn. */
struct training_write {
  const struct plan_new *plan;
  const struct event_new *event;
  int64_t id, version;
  const char *doc_no, *filed_on, *reason;
};

static int store_plan(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct training_write *t = ctx;
  return training_plan_insert(req->db, t->plan, req->now, &t->id);
}

static int store_plan_file(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct training_write *t = ctx;
  return training_plan_file(req->db, t->id, t->doc_no, t->filed_on, req->now);
}

static int store_event(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct training_write *t = ctx;
  return training_event_insert(req->db, t->event, req->now, &t->id);
}

static int store_participants(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct training_write *t = ctx;
  return training_event_set_participants(req->db, t->id, t->version, t->event, req->now);
}

static int store_event_withdraw(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct training_write *t = ctx;
  return training_event_withdraw(req->db, t->id, req->user.id, t->reason, req->now);
}

static const struct write_error PLAN_DUPLICATE[] = {{DB_CONFLICT, 409, "duplicate", "该县本年度已有培训计划", "year"}, {0}};
static const struct write_error PLAN_FILED[] = {{DB_CONFLICT, 409, "already_filed", "该培训计划已印发", NULL}, {0}};
static const struct write_error EVENT_DUPLICATE[] = {
    {DB_CONFLICT, 409, "duplicate", "该文号已登记过培训班次，请勿重复录入", "doc_no"}, {0}};
static const struct write_error EVENT_STALE[] = {
    {DB_CONFLICT, 409, "stale_version", "该班次已被他人修改或已撤销，请刷新后重试", "version"}, {0}};
static const struct write_error EVENT_WITHDRAWN[] = {
    {DB_CONFLICT, 409, "already_withdrawn", "该培训班次已撤销", NULL}, {0}};

int api_training_plans_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"county_code", "year", "title", "content", "doc_no", "filed_on", NULL};
  const char *county, *title, *content, *doc_no, *filed_on;
  char path[96], level[16];
  int64_t year, id = 0;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "county_code", true, 12, &county) != 0 ||
      field_int(rep, body, "year", true, 2000, 2100, &year, NULL) != 0 ||
      field_string(rep, body, "title", true, 200, &title) != 0 || field_text(rep, body, "content", false, 5000, &content) != 0 ||
      filing(req, rep, body, false, &doc_no, &filed_on) != 0 || organizer_in_scope(req, rep, county, "county_code", path, level) != 0)
    goto out;
  if (strcmp(level, "county") != 0) {
    rc = reply_error(rep, 400, "field_invalid", "年度培训计划由县（市、区）制定（4.2a）", "county_code");
    goto out;
  }
  if (!*title) { rc = reply_error(rep, 400, "field_required", "请填写计划名称", "title"); goto out; }
  if (filed_on && rec_check_lock(req, rep, filed_on, path, "filed_on") != 0) goto out;
  struct plan_new n = {county, title, content, doc_no, filed_on, (int)year, req->user.id};
  struct training_write t = {.plan = &n};
  struct write_tx w = {.store = store_plan, .ctx = &t, .errors = PLAN_DUPLICATE, .action = "training_plan.create",
                       .entity = "training_plan", .id = &t.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = t.id;
out:
  json_decref(body);
  return rc != 0 ? -1 : reply_plan(req, rep, id, 201);
}

int api_training_plans_file(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  json_t *p = training_plan_get_json(req->db, &req->scope, id), *body = NULL;
  if (!p) return reply_not_found(req, rep, "培训计划不存在或不在管辖范围内", NULL);
  static const char *const ALLOWED[] = {"doc_no", "filed_on", NULL};
  const char *doc_no, *filed_on;
  char path[96], level[16];
  int rc = -1;
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      filing(req, rep, body, true, &doc_no, &filed_on) != 0 ||
      organizer_in_scope(req, rep, json_string_value(json_object_get(p, "county_code")), NULL, path, level) != 0 ||
      rec_check_lock(req, rep, filed_on, path, "filed_on") != 0)
    goto out;
  struct training_write t = {.id = id, .doc_no = doc_no, .filed_on = filed_on};
  struct write_tx w = {.store = store_plan_file, .ctx = &t, .errors = PLAN_FILED, .action = "training_plan.file",
                       .entity = "training_plan", .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(p);
  json_decref(body);
  return rc != 0 ? -1 : reply_plan(req, rep, id, 200);
}

int api_training_plans_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_plan(req, rep, id, 200);
}

static const char *const PLAN_EXPORT[][2] = {
  {"year", "年度"}, {"county_name", "县（市、区）"}, {"title", "计划名称"}, {"doc_no", "文号"}, {"filed_on", "印发日期"},
  {"status", "状态"}, {"recorded_by_name", "填报人"}, {NULL, NULL}};

int api_training_plans_list(struct request *req, struct reply *rep)
{
  int page, page_size, year = 0;
  const char *y;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "year", 4, &y) != 0) return -1;
  if (y && *y && rec_query_year(req, rep, &year) != 0) return -1;
  json_t *list = training_plans_list_json(req->db, &req->scope, year, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, PLAN_EXPORT, "年度培训计划");
}

/* ---- events ---- */

static void event_names(const struct request *req, json_t *row)
{
  rec_add_name(req, row, "type", "training_types");
  const json_t *item = policy_list_item(req->app->policy, "training_types", req->today,
                                        json_string_value(json_object_get(row, "type")));
  json_object_set_new(row, "clause", json_string(json_string_value(json_object_get(item, "clause")) ?
                                                 json_string_value(json_object_get(item, "clause")) : ""));
  json_t *names = json_array();
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(row, "topics"), i, t) {
    const char *n = policy_list_name(req->app->policy, "training_topics", req->today, json_string_value(t));
    json_array_append_new(names, json_string(n ? n : json_string_value(t)));
  }
  json_object_set_new(row, "topic_names", names);
}

static int reply_event(struct request *req, struct reply *rep, int64_t id, int status)
{
  json_t *e = training_event_get_json(req->db, &req->scope, id);
  if (!e) return reply_not_found(req, rep, "培训班次不存在或不在管辖范围内", NULL);
  event_names(req, e);
  reply_json(rep, status, e);
  return 0;
}

/* topics: distinct codes of the 4.3 list; *out a JSON text (free()). */
static int read_topics(struct request *req, struct reply *rep, const json_t *body, char **out)
{
  const json_t *arr = json_object_get(body, "topics");
  *out = NULL;
  if (arr && !json_is_array(arr)) return reply_error(rep, 400, "field_type", "培训内容（topics）应为培训内容代码的列表", "topics");
  if (json_array_size(arr) > MAX_TOPICS) return reply_error(rep, 400, "field_invalid", "培训内容最多 10 项", "topics");
  size_t i;
  const json_t *t;
  const json_t *item;
  json_array_foreach(arr, i, t) {
    if (!json_is_string(t)) return reply_error(rep, 400, "field_type", "培训内容（topics）应为培训内容代码的列表", "topics");
    if (rec_coded(req, rep, "training_topics", json_string_value(t), "topics", &item) != 0) return -1;
    for (size_t j = 0; j < i; j++)
      if (json_equal(t, json_array_get(arr, j))) return reply_error(rep, 400, "field_invalid", "培训内容不能重复", "topics");
  }
  *out = arr ? json_dumps(arr, JSON_COMPACT) : strdup("[]");
  return *out ? 0 : reply_internal(rep);
}

struct people {
  struct participant list[MAX_PARTICIPANTS];
  size_t n;
};

/* participants [{cadre_id, attended}] for a cadre training: each in post under the organizer
 * during the event, in the writer's scope, of a post the type admits (4.1a: first secretaries). */
static int read_cadres(struct request *req, struct reply *rep, const json_t *arr, const json_t *type,
                       const char *start, const char *end, const char *under, struct people *out)
{
  const json_t *posts = json_object_get(type, "posts");
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v) {
    const json_t *id = json_object_get(v, "cadre_id"), *att = json_object_get(v, "attended");
    if (!json_is_object(v) || !json_is_integer(id) || json_integer_value(id) <= 0 || (att && !json_is_boolean(att)))
      return reply_error(rep, 400, "field_type", "参训人员（participants）应为 {cadre_id, attended} 的列表", "participants");
    struct participant *p = &out->list[out->n];
    *p = (struct participant){"cadre", json_integer_value(id), NULL, 0, !att || json_is_true(att)};
    for (size_t j = 0; j < out->n; j++)
      if (out->list[j].cadre_id == p->cadre_id)
        return reply_error(rep, 400, "field_invalid", "同一干部不能重复列入", "participants");
    char post[24];
    int rc = training_cadre_eligible(req->db, &req->scope, p->cadre_id, start, end, under, post);
    if (rc == DB_NOT_FOUND)
      return reply_error(rep, 404, "not_found", "所选干部在培训期间未在主办地区驻村，或不在管辖范围内", "participants");
    if (rc != DB_OK) return reply_internal(rep);
    bool admitted = !json_is_array(posts);
    size_t k;
    const json_t *ps;
    json_array_foreach(posts, k, ps) admitted |= strcmp(json_string_value(ps), post) == 0;
    if (!admitted) return reply_error(rep, 400, "field_invalid", "示范培训班面向驻村第一书记（4.1a）", "participants");
    out->n++;
  }
  return 0;
}

/* staff [{name, unit_id, role: unit_deputy | unit_hr, attended}] for 4.5: 「各地每两年要对本级派出单位分管领导、
 * 组织人事部门负责人开展政策培训」 — units under the organizer and of its own level (本级): the city trains the
 * city's units, a county its county units. */
static int read_staff(struct request *req, struct reply *rep, const json_t *arr, const char *under,
                      const char *organizer_level, struct people *out)
{
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v) {
    const json_t *unit = json_object_get(v, "unit_id"), *att = json_object_get(v, "attended");
    const char *name = json_string_value(json_object_get(v, "name")), *role = json_string_value(json_object_get(v, "role"));
    if (!json_is_object(v) || !json_is_integer(unit) || !name || !role || (att && !json_is_boolean(att)))
      return reply_error(rep, 400, "field_type", "参训的单位人员（staff）应为 {name, unit_id, role} 的列表", "staff");
    if (!*name || strlen(name) > 60) return reply_error(rep, 400, "field_invalid", "请填写参训人员姓名（不超过 20 字）", "staff");
    if (strcmp(role, "unit_deputy") != 0 && strcmp(role, "unit_hr") != 0)
      return reply_error(rep, 400, "field_invalid", "职务（role）应为分管领导（unit_deputy）或人事部门负责人（unit_hr）", "staff");
    char unit_level[16] = "";
    int rc = training_unit_under(req->db, json_integer_value(unit), under, unit_level);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "派出单位不存在或不在主办地区", "staff");
    if (rc != DB_OK) return reply_internal(rep);
    if (strcmp(unit_level, organizer_level) != 0)
      return reply_error(rep, 400, "field_invalid", "政策培训面向主办方本级派出单位（4.5：各地对本级派出单位），该单位不属本级", "staff");
    out->list[out->n++] = (struct participant){role, 0, name, json_integer_value(unit), !att || json_is_true(att)};
  }
  return 0;
}

static int read_people(struct request *req, struct reply *rep, const json_t *body, const json_t *type,
                       const char *start, const char *end, const char *under, const char *level, struct people *out)
{
  const json_t *cadres = json_object_get(body, "participants"), *staff = json_object_get(body, "staff");
  bool unit_staff = strcmp(json_string_value(json_object_get(type, "participants")) ?
                           json_string_value(json_object_get(type, "participants")) : "", "unit_staff") == 0;
  out->n = 0;
  if ((cadres && !json_is_array(cadres)) || (staff && !json_is_array(staff)))
    return reply_error(rep, 400, "field_type", "参训人员（participants、staff）应为列表", cadres && !json_is_array(cadres) ? "participants" : "staff");
  if (json_array_size(cadres) + json_array_size(staff) > MAX_PARTICIPANTS)
    return reply_error(rep, 400, "field_invalid", "一个班次最多登记 500 名参训人员", "participants");
  if (unit_staff && json_array_size(cadres))
    return reply_error(rep, 400, "field_invalid", "该类培训面向派出单位分管领导和人事部门负责人（4.5），请在 staff 中填写", "participants");
  if (!unit_staff && json_array_size(staff))
    return reply_error(rep, 400, "field_invalid", "该类培训的参训人员为驻村干部，请从干部中选择", "staff");
  return unit_staff ? read_staff(req, rep, staff, under, level, out) : read_cadres(req, rep, cadres, type, start, end, under, out);
}

struct event_input {
  const char *type, *title, *organizer, *start, *end, *place, *doc_no;
  const json_t *type_item;
  char *topics, path[96], level[16];
  double hours;
  struct people *people;
};

static int read_event(struct request *req, struct reply *rep, const json_t *body, struct event_input *in)
{
  static const char *const ALLOWED[] = {"type", "title", "organizer_code", "start_date", "end_date", "hours", "place",
                                        "topics", "doc_no", "participants", "staff", NULL};
  int s, e;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "type", true, 40, &in->type) != 0 ||
      rec_coded(req, rep, "training_types", in->type, "type", &in->type_item) != 0 ||
      field_string(rep, body, "title", true, 200, &in->title) != 0 ||
      field_string(rep, body, "organizer_code", true, 12, &in->organizer) != 0 ||
      field_string(rep, body, "start_date", true, 10, &in->start) != 0 ||
      field_string(rep, body, "end_date", true, 10, &in->end) != 0 ||
      rec_date(req, rep, in->start, "start_date", false, &s) != 0 || rec_date(req, rep, in->end, "end_date", false, &e) != 0 ||
      field_number(rep, body, "hours", true, 0.5, 1000, &in->hours, NULL) != 0 ||
      field_string(rep, body, "place", true, 200, &in->place) != 0 ||
      field_string(rep, body, "doc_no", false, 60, &in->doc_no) != 0)
    return -1;
  if (e < s) return reply_error(rep, 400, "field_invalid", "结束日期不能早于开始日期", "end_date");
  if (!*in->title) return reply_error(rep, 400, "field_required", "请填写班次名称", "title");
  if (!*in->place) return reply_error(rep, 400, "field_required", "请填写培训地点", "place");
  if (organizer_in_scope(req, rep, in->organizer, "organizer_code", in->path, in->level) != 0) return -1;
  bool level_ok = false;
  size_t i;
  const json_t *l;
  json_array_foreach(json_object_get(in->type_item, "organizer_levels"), i, l) level_ok |= strcmp(json_string_value(l), in->level) == 0;
  if (!level_ok) return reply_error(rep, 400, "field_invalid", "该类培训不由此级别主办（见政策参数 training_types）", "organizer_code");
  if (read_topics(req, rep, body, &in->topics) != 0) return -1;
  return read_people(req, rep, body, in->type_item, in->start, in->end, in->path, in->level, in->people);
}

static void event_new_of(const struct request *req, const struct event_input *in, struct event_new *n)
{
  const char *who = json_string_value(json_object_get(in->type_item, "participants"));
  *n = (struct event_new){in->type, in->title, in->organizer, in->start, in->end, in->place, in->topics, in->doc_no,
                          in->hours, json_string_value(json_object_get(in->type_item, "evidence")),
                          who && strcmp(who, "unit_staff") == 0, in->people->list, in->people->n, req->user.id};
}

int api_training_events_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  struct event_input in = {0};
  in.people = malloc(sizeof *in.people);
  int64_t id = 0;
  int rc = -1;
  if (!in.people) { rc = reply_internal(rep); goto out; }
  if (read_event(req, rep, body, &in) != 0 || rec_check_lock(req, rep, in.end, in.path, "end_date") != 0) goto out;
  struct event_new n;
  event_new_of(req, &in, &n);
  struct training_write t = {.event = &n};
  struct write_tx w = {.store = store_event, .ctx = &t, .errors = EVENT_DUPLICATE, .action = "training_event.create",
                       .entity = "training_event", .id = &t.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = t.id;
out:
  free(in.topics);
  free(in.people);
  json_decref(body);
  return rc != 0 ? -1 : reply_event(req, rep, id, 201);
}

/* The event of the path, in scope and organized within the writer's region; path and level: the organizer's. */
static int event_for_write(struct request *req, struct reply *rep, int64_t *id, json_t **out, char path[96],
                           char level[16])
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  *out = training_event_get_json(req->db, &req->scope, *id);
  if (!*out) return reply_not_found(req, rep, "培训班次不存在或不在管辖范围内", NULL);
  if (organizer_in_scope(req, rep, json_string_value(json_object_get(*out, "organizer_code")), NULL, path, level) == 0)
    return 0;
  json_decref(*out);
  *out = NULL;
  return -1;
}

int api_training_events_participants(struct request *req, struct reply *rep)
{
  int64_t id, version;
  json_t *e, *body = NULL;
  char path[96], level[16];
  if (event_for_write(req, rep, &id, &e, path, level) != 0) return -1;
  struct people *people = malloc(sizeof *people);
  static const char *const ALLOWED[] = {"version", "participants", "staff", NULL};
  int rc = -1;
  const char *type = json_string_value(json_object_get(e, "type"));
  const json_t *item = policy_list_item(req->app->policy, "training_types", req->today, type);
  if (!people || !item) { rc = reply_internal(rep); goto out; }
  if (body_object(req, rep, &body) != 0 || fields_allowed(rep, body, ALLOWED) != 0 ||
      field_int(rep, body, "version", true, 1, INT64_MAX, &version, NULL) != 0 ||
      read_people(req, rep, body, item, json_string_value(json_object_get(e, "start_date")),
                  json_string_value(json_object_get(e, "end_date")), path, level, people) != 0 ||
      rec_check_lock(req, rep, json_string_value(json_object_get(e, "end_date")), path, NULL) != 0)
    goto out;
  struct event_input in = {.type_item = item, .people = people};
  struct event_new n;
  event_new_of(req, &in, &n);
  struct training_write t = {.event = &n, .id = id, .version = version};
  struct write_tx w = {.store = store_participants, .ctx = &t, .errors = EVENT_STALE,
                       .action = "training_event.participants", .entity = "training_event",
                       .entity_id = req->params[0], .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  free(people);
  json_decref(e);
  json_decref(body);
  return rc != 0 ? -1 : reply_event(req, rep, id, 200);
}

int api_training_events_withdraw(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *e, *body = NULL;
  char path[96], level[16];
  const char *reason;
  if (event_for_write(req, rep, &id, &e, path, level) != 0) return -1;
  int rc = -1;
  if (rec_withdraw_body(req, rep, &body, &reason) != 0 ||
      rec_check_lock(req, rep, json_string_value(json_object_get(e, "end_date")), path, NULL) != 0)
    goto out;
  struct training_write t = {.id = id, .reason = reason};
  struct write_tx w = {.store = store_event_withdraw, .ctx = &t, .errors = EVENT_WITHDRAWN,
                       .action = "training_event.withdraw", .entity = "training_event", .entity_id = req->params[0],
                       .detail = body};
  rc = write_tx_run(req, rep, &w);
out:
  json_decref(e);
  json_decref(body);
  return rc != 0 ? -1 : reply_event(req, rep, id, 200);
}

int api_training_events_get(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  return reply_event(req, rep, id, 200);
}

static const char *const EVENT_EXPORT[][2] = {
  {"id", "编号"}, {"type_name", "类型"}, {"clause", "条款"}, {"title", "班次名称"}, {"organizer_name", "主办"},
  {"start_date", "开始日期"}, {"end_date", "结束日期"}, {"hours", "学时"}, {"place", "地点"},
  {"topics_text", "培训内容"}, {"doc_no", "文号"}, {"participants_count", "参训人数"}, {"attended_count", "实到人数"},
  {"status", "状态"}, {NULL, NULL}};

int api_training_events_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *y, *withdrawn, *region;
  struct event_filter f = {0};
  char path[96] = "", level[16];
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "year", 4, &y) != 0 ||
      query_text(req, rep, "type", 40, &f.type) != 0 || rec_query_region(req, rep, &region) != 0 ||
      rec_query_id(req, rep, "cadre", &f.cadre_id) != 0 || query_text(req, rep, "withdrawn", 1, &withdrawn) != 0)
    return -1;
  if (y && *y && rec_query_year(req, rep, &f.year) != 0) return -1;
  if (f.type && !*f.type) f.type = NULL;
  if (region) {
    if (training_region(req->db, region, path, level) != DB_OK)
      return reply_error(rep, 400, "field_invalid", "区划不存在", "region");
    f.region_path = path;
  }
  f.with_withdrawn = withdrawn && strcmp(withdrawn, "1") == 0;
  json_t *list = training_events_list_json(req->db, &req->scope, &f, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list)
    json_array_foreach(json_object_get(list, "items"), i, row) {
      event_names(req, row);
      char text[1024] = "";
      size_t len = 0, j;
      json_t *t;
      json_array_foreach(json_object_get(row, "topic_names"), j, t)
        if (len < sizeof text) len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", j ? "；" : "", json_string_value(t));
      json_object_set_new(row, "topics_text", json_string(len < sizeof text ? text : ""));
    }
  return handler_reply_list(req, rep, list, EVENT_EXPORT, "培训班次");
}

/* ---- coverage (4.1, 4.2a, 4.4, 4.5) ---- */

static int coverage_query(struct request *req, struct reply *rep, struct coverage_query *q, char today[11])
{
  static const char *const STATUS[] = {"untrained", "incomplete", NULL};
  memset(q, 0, sizeof *q);
  date_format_iso(req->today, today);
  if (rec_query_year(req, rep, &q->year) != 0 || rec_query_region(req, rep, &q->region_code) != 0 ||
      rec_query_enum(req, rep, "status", STATUS, &q->status) != 0)
    return -1;
  const json_t *deadline = policy_value(req, "training_deadline");
  q->today = today;
  q->complete_by = json_string_value(json_object_get(deadline, "complete_by"));
  q->start_by = json_string_value(json_object_get(deadline, "start_by"));
  if (!q->complete_by) q->complete_by = "09-30"; /* 4.4: 9月底前基本完成 */
  if (!q->start_by) q->start_by = "06-30";       /* 4.4: 上半年启动 */
  q->types = policy_value(req, "training_types");
  long anchor = policy_int(req->app->policy, "obligation_two_year_anchor", req->today);
  q->anchor_year = anchor > 0 ? (int)anchor : 0;
  if (!q->types) return reply_internal(rep);
  return 0;
}

static const char *const COVERAGE_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"township_name", "乡镇"}, {"village_name", "村"}, {"cadre_name", "姓名"},
  {"post_name", "岗位"}, {"unit_name", "派出单位"}, {"done_text", "已完成培训"}, {"missing_text", "未完成的必训"},
  {"hours", "学时"}, {"status_name", "状态"}, {NULL, NULL}};

static const char *status_zh(const char *s, bool overdue)
{
  if (strcmp(s, "complete") == 0) return "按时完成";
  if (strcmp(s, "late") == 0) return "逾期完成";
  if (strcmp(s, "partial") == 0) return overdue ? "未完成（已逾期）" : "部分完成";
  return overdue ? "未参训（已逾期）" : "尚未参训";
}

static const char *post_zh(const char *p)
{
  if (!p) return "";
  if (strcmp(p, "first_secretary") == 0) return "第一书记";
  if (strcmp(p, "team_leader") == 0) return "工作队长";
  return "队员";
}

/* Names for the table and the workbook: done / missing types by name and clause. */
static void coverage_names(const struct request *req, json_t *row)
{
  char done[512] = "", missing[512] = "";
  size_t dl = 0, ml = 0;
  const char *code;
  json_t *t;
  json_object_foreach(json_object_get(row, "types"), code, t) {
    const char *on = json_string_value(json_object_get(t, "done_on"));
    const char *name = policy_list_name(req->app->policy, "training_types", req->today, code);
    if (on && dl < sizeof done) dl += (size_t)snprintf(done + dl, sizeof done - dl, "%s%s %s", dl ? "；" : "", name ? name : code, on);
    if (!on && json_is_true(json_object_get(t, "required")) && ml < sizeof missing)
      ml += (size_t)snprintf(missing + ml, sizeof missing - ml, "%s%s", ml ? "；" : "", name ? name : code);
  }
  json_object_set_new(row, "done_text", json_string(dl < sizeof done ? done : ""));
  json_object_set_new(row, "missing_text", json_string(ml < sizeof missing ? missing : ""));
  json_object_set_new(row, "post_name", json_string(post_zh(json_string_value(json_object_get(row, "post")))));
  json_object_set_new(row, "status_name", json_string(status_zh(json_string_value(json_object_get(row, "status")),
                                                                json_is_true(json_object_get(row, "overdue")))));
}

int api_training_coverage_get(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct coverage_query q;
  char today[11];
  if (query_page(req, rep, &page, &page_size) != 0 || coverage_query(req, rep, &q, today) != 0) return -1;
  json_t *list = training_coverage_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  size_t i;
  json_t *row;
  if (list) json_array_foreach(json_object_get(list, "items"), i, row) coverage_names(req, row);
  return handler_reply_list(req, rep, list, COVERAGE_EXPORT, "培训覆盖");
}

static const char *const COUNTY_EXPORT[][2] = {
  {"county_name", "县（市、区）"}, {"cadres", "在岗干部"}, {"trained_on_time", "9月底前已培训"}, {"trained", "已培训（含逾期）"},
  {"rate", "按时培训率"}, {"first_secretaries", "第一书记"}, {"first_secretaries_demo", "参加示范班的第一书记"},
  {"plan_filed_on", "年度计划印发日期"}, {"started_on", "首期培训开始"}, {"policy_training_on", "两年一次政策培训"},
  {NULL, NULL}};

int api_training_counties_get(struct request *req, struct reply *rep)
{
  int page, page_size;
  struct coverage_query q;
  char today[11];
  if (query_page(req, rep, &page, &page_size) != 0 || coverage_query(req, rep, &q, today) != 0) return -1;
  json_t *list = training_counties_json(req->db, &req->scope, &q, page, query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, COUNTY_EXPORT, "培训覆盖（县）");
}
