/* h_webhooks — 数据推送 (issue 13 part 2): the system administrator registers the receivers of other
 * systems (a URL, a signing secret, the events taken, optionally a region), turns them on and off, and
 * sees the deliveries that failed for good (dead letters) with their reason, re-queueing them. Every
 * write is audited; no answer or audit row carries a URL in full or a secret. */
#include <stdio.h>
#include <string.h>

#include "core/robot_message.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/request.h"
#include "http/sender.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/delivery.h"
#include "store/webhooks.h"

#define EVENTS_SIZE 512

int api_webhooks_list(struct request *req, struct reply *rep)
{
  json_t *items = webhooks_list_json(req->db);
  if (!items) return reply_internal(rep);
  reply_json(rep, 200, json_pack("{s:o, s:o}", "items", items, "events", webhooks_events_json()));
  return 0;
}

/* events: a non-empty list of known events, each once; out ",a,b," */
static int events_field(struct reply *rep, const json_t *list, char out[EVENTS_SIZE])
{
  if (!json_is_array(list) || json_array_size(list) == 0)
    return reply_error(rep, 400, "field_required", "请至少选择一项推送的事件", "events");
  size_t i, used = (size_t)snprintf(out, EVENTS_SIZE, ",");
  json_t *item;
  json_array_foreach(list, i, item) {
    const char *e = json_string_value(item);
    if (!webhooks_event_known(e)) return reply_error(rep, 400, "field_invalid", "推送事件不在系统所列范围内", "events");
    char needle[64];
    snprintf(needle, sizeof needle, ",%s,", e);
    if (strstr(out, needle)) return reply_error(rep, 400, "field_invalid", "推送事件重复", "events");
    if (used + strlen(e) + 2 >= EVENTS_SIZE) return reply_error(rep, 400, "field_invalid", "推送事件过多", "events");
    used += (size_t)snprintf(out + used, EVENTS_SIZE - used, "%s,", e);
  }
  return 0;
}

/* The fields shared by creating and changing a receiver; the URL and secret are checked, never echoed. */
static int webhook_fields(struct reply *rep, const json_t *body, bool creating, struct webhook_input *in,
                          char events[EVENTS_SIZE])
{
  bool enabled = true, present = false;
  if (field_string(rep, body, "name", creating, 40, &in->name) != 0 ||
      field_string(rep, body, "url", creating, 1000, &in->url) != 0 ||
      field_string(rep, body, "secret", creating, 200, &in->secret) != 0 ||
      field_bool(rep, body, "enabled", false, &enabled, &present) != 0)
    return -1;
  if (in->name && !*in->name) return reply_error(rep, 400, "field_required", "请填写接收系统的名称", "name");
  if (in->url && !robot_webhook_allowed(in->url))
    return reply_error(rep, 400, "field_invalid", "推送地址须以 https:// 开头（本机测试可用 http://127.0.0.1）", "url");
  if (in->secret && strlen(in->secret) < 16)
    return reply_error(rep, 400, "field_invalid", "签名密钥至少 16 个字符，请使用随机生成的密钥", "secret");
  json_t *list = json_object_get(body, "events");
  in->events = NULL;
  if (creating || list) {
    if (events_field(rep, list, events) != 0) return -1;
    in->events = events;
  }
  in->enabled = present || creating ? enabled : -1;
  return 0;
}

static json_t *audit_detail(const json_t *body)
{
  json_t *d = json_deep_copy(body);
  if (json_object_get(d, "url")) json_object_set_new(d, "url", json_string("（已更换，不记录）"));
  if (json_object_get(d, "secret")) json_object_set_new(d, "secret", json_string("（已更换，不记录）"));
  return d;
}

/* A webhook created (id 0 until the store sets it) or changed; a delivery queued again. */
struct webhook_change {
  const struct webhook_input *in;
  int64_t id;
  bool create;
};

static int store_webhook(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct webhook_change *c = ctx;
  return c->create ? webhooks_create(req->db, req->app->vault, c->in, req->now, &c->id)
                   : webhooks_update(req->db, req->app->vault, c->id, c->in, req->now);
}

static int store_requeue(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return delivery_requeue(req->db, DELIVERY_WEBHOOK, ((const struct webhook_change *)ctx)->id, req->now);
}

static const struct write_error WEBHOOK_ERRORS[] = {{DB_NOT_FOUND, 404, "not_found", "推送地址不存在", NULL},
                                                    {DB_CONFLICT, 400, "field_invalid", "地区不存在", "region_code"},
                                                    {0}};
static const struct write_error NOT_DEAD[] = {
    {DB_CONFLICT, 409, "not_dead", "只有推送失败的数据可以重新推送", NULL}, {0}};

static int webhook_write(struct request *req, struct reply *rep, int64_t id, const struct webhook_input *in,
                         const json_t *body)
{
  struct webhook_change c = {in, id, id == 0};
  json_t *detail = audit_detail(body);
  struct write_tx w = {.store = store_webhook, .ctx = &c, .errors = WEBHOOK_ERRORS,
                       .action = id ? "webhook.update" : "webhook.create", .entity = "webhook", .id = &c.id,
                       .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  int64_t new_id = c.id;
  if (rc != 0) return -1;
  json_t *one = webhooks_get_json(req->db, new_id);
  if (!one) return reply_internal(rep);
  reply_json(rep, id ? 200 : 201, one);
  return 0;
}

int api_webhooks_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"name", "url", "secret", "events", "region_code", "enabled", NULL};
  struct webhook_input in = {0};
  char events[EVENTS_SIZE];
  const char *region = NULL;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) == 0 && field_string(rep, body, "region_code", false, 12, &region) == 0 &&
      webhook_fields(rep, body, true, &in, events) == 0) {
    in.region_code = region && *region ? region : NULL;
    rc = webhook_write(req, rep, 0, &in, body);
  }
  json_decref(body);
  return rc;
}

int api_webhooks_patch(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *body;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"name", "url", "secret", "events", "enabled", NULL};
  struct webhook_input in = {0};
  char events[EVENTS_SIZE];
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) == 0 && webhook_fields(rep, body, false, &in, events) == 0)
    rc = webhook_write(req, rep, id, &in, body);
  json_decref(body);
  return rc;
}

int api_webhook_deliveries_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *status;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "status", 8, &status) != 0) return -1;
  if (!status || !*status) status = "dead";
  if (strcmp(status, "dead") != 0 && strcmp(status, "pending") != 0 && strcmp(status, "sent") != 0)
    return reply_error(rep, 400, "field_invalid", "status 应为 dead（推送失败）、pending（待推送）或 sent（已推送）", "status");
  json_t *list = webhooks_deliveries_json(req->db, status, page, page_size);
  if (!list) return reply_internal(rep);
  reply_json(rep, 200, list);
  return 0;
}

int api_webhook_deliveries_requeue(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  struct webhook_change c = {NULL, id, false};
  struct write_tx w = {.store = store_requeue, .ctx = &c, .errors = NOT_DEAD, .action = "webhook.requeue",
                       .entity = "webhook_delivery", .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  sender_wake();
  reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
  return 0;
}
