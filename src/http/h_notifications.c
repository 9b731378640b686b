/* h_notifications — 消息 and 通知渠道 (issue 13, part 1).
 *
 * Every account reads its own in-app messages (the header's badge, the 消息 page) and marks them
 * read. The system administrator configures the robot channels (DingTalk, WeCom), the delivery
 * parameters, and sees the dead letters with their reasons, re-queueing them; each of those writes
 * is audited, and no answer or audit row ever carries a webhook or a secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/robot_message.h"
#include "http/channel_person.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/request.h"
#include "http/sender.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/delivery.h"
#include "store/notifications.h"
#include "store/outbox.h"

/* ---- my messages ---- */

int api_notifications_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *unread;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "unread", 2, &unread) != 0) return -1;
  json_t *list = notifications_list_json(req->db, req->user.id, unread && strcmp(unread, "1") == 0, page, page_size);
  if (!list) return reply_internal(rep);
  reply_json(rep, 200, list);
  return 0;
}

int api_notifications_unread(struct request *req, struct reply *rep)
{
  int64_t n = 0;
  if (notifications_unread(req->db, req->user.id, &n) != DB_OK) return reply_internal(rep);
  reply_json(rep, 200, json_pack("{s:I}", "unread", (json_int_t)n));
  return 0;
}

int api_notifications_read(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  int rc = notifications_mark_read(req->db, req->user.id, id, req->now);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 404, "not_found", "消息不存在", NULL);
  if (rc != DB_OK) return reply_internal(rep);
  return api_notifications_unread(req, rep);
}

int api_notifications_read_all(struct request *req, struct reply *rep)
{
  int64_t changed = 0;
  if (notifications_mark_all_read(req->db, req->user.id, req->now, &changed) != DB_OK) return reply_internal(rep);
  return api_notifications_unread(req, rep);
}

/* ---- my choice of channels per kind ---- */

int api_notification_prefs_get(struct request *req, struct reply *rep)
{
  json_t *kinds = notifications_prefs_json(req->db, req->user.id);
  if (!kinds) return reply_internal(rep);
  reply_json(rep, 200, json_pack("{s:o}", "kinds", kinds));
  return 0;
}

static const char *const PREF_CHANNELS[] = {"robots", "sms", "wecom_app", NULL};

/* Whether item is {kind, and at least one of robots / sms / wecom_app / digest as true or false}. */
static bool pref_item_ok(const json_t *item)
{
  const char *kind = json_string_value(json_object_get(item, "kind"));
  const struct notification_kind *k = notifications_kinds();
  while (kind && k->kind && strcmp(k->kind, kind) != 0) k++;
  if (!kind || !k->kind) return false;
  int given = 0;
  for (const char *const *c = PREF_CHANNELS; *c; c++) {
    json_t *v = json_object_get(item, *c);
    if (v && !json_is_boolean(v)) return false;
    given += v != NULL;
  }
  json_t *digest = json_object_get(item, "digest"); /* 每日汇总 */
  if (digest && !json_is_boolean(digest)) return false;
  return given > 0 || digest;
}

static int pref_item_write(struct request *req, const json_t *item)
{
  const char *kind = json_string_value(json_object_get(item, "kind"));
  int w = DB_OK;
  for (const char *const *c = PREF_CHANNELS; *c && w == DB_OK; c++) {
    json_t *v = json_object_get(item, *c);
    if (v) w = notifications_pref_set_channel(req->db, req->user.id, kind, *c, json_is_true(v));
  }
  json_t *digest = json_object_get(item, "digest");
  if (w == DB_OK && digest) w = notifications_pref_set_digest(req->db, req->user.id, kind, json_is_true(digest));
  return w;
}

/* A write of the notification settings: one's own preferences (no audit row: they are one's own),
 * a channel created (id 0 until the store sets it) or changed, the sending settings, a message
 * queued again. */
struct notify_write {
  const json_t *kinds;
  const struct channel_input *channel;
  const struct notify_settings *settings;
  int64_t id;
  bool create;
};

static int store_prefs(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct notify_write *n = ctx;
  int w = DB_OK;
  size_t i;
  json_t *item;
  json_array_foreach(n->kinds, i, item) {
    if (w == DB_OK) w = pref_item_write(req, item);
  }
  return w;
}

static int store_channel(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct notify_write *n = ctx;
  return n->create ? outbox_channel_create(req->db, req->app->vault, n->channel, req->now, &n->id)
                   : outbox_channel_update(req->db, req->app->vault, n->id, n->channel, req->now);
}

static int store_settings(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return outbox_settings_put(req->db, ((const struct notify_write *)ctx)->settings);
}

static int store_requeue(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return delivery_requeue(req->db, DELIVERY_OUTBOX, ((const struct notify_write *)ctx)->id, req->now);
}

static const struct write_error CHANNEL_ERRORS[] = {{DB_NOT_FOUND, 404, "not_found", "通知渠道不存在", NULL},
                                                    {DB_CONFLICT, 400, "field_invalid", "地区不存在", "region_code"},
                                                    {0}};
static const struct write_error NOT_DEAD[] = {
    {DB_CONFLICT, 409, "not_dead", "只有发送失败的消息可以重新发送", NULL}, {0}};

/* {"kinds":[{"kind","robots","sms","wecom_app","digest"}]}: every item checked before any is written. */
int api_notification_prefs_put(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"kinds", NULL};
  json_t *kinds = json_object_get(body, "kinds");
  int rc = -1;
  size_t i;
  json_t *item;
  if (fields_allowed(rep, body, ALLOWED) != 0) goto out;
  if (!json_is_array(kinds)) { rc = reply_error(rep, 400, "field_type", "kinds 应为列表", "kinds"); goto out; }
  json_array_foreach(kinds, i, item) {
    if (!pref_item_ok(item)) {
      rc = reply_error(rep, 400, "field_invalid", "每项应为 {kind: 消息类型, robots/sms/wecom_app/digest（每日汇总）: true/false}，类型须为系统所列", "kinds");
      goto out;
    }
  }
  struct notify_write n = {.kinds = kinds};
  struct write_tx w = {.store = store_prefs, .ctx = &n};
  rc = write_tx_run(req, rep, &w);
  if (rc == 0) rc = api_notification_prefs_get(req, rep);
out:
  json_decref(body);
  return rc;
}

/* ---- channels (the system administrator) ---- */

static int reply_channels(struct request *req, struct reply *rep, int status)
{
  struct notify_settings s;
  json_t *items = outbox_channels_json(req->db);
  if (!items || outbox_settings_get(req->db, &s) != DB_OK) { json_decref(items); return reply_internal(rep); }
  reply_json(rep, status, json_pack("{s:o, s:o}", "items", items, "settings", outbox_settings_json(&s)));
  return 0;
}

int api_channels_list(struct request *req, struct reply *rep) { return reply_channels(req, rep, 200); }

/* A group robot's webhook and secret rules: 0, or -1 with the 400 in rep. */
static int robot_fields_check(struct reply *rep, const char *kind, bool creating, const char *webhook, const char *secret)
{
  if (webhook && !robot_webhook_allowed(webhook))
    return reply_error(rep, 400, "field_invalid", "机器人地址须以 https:// 开头（本机测试可用 http://127.0.0.1）", "webhook");
  const char *host = strcmp(kind, "dingtalk") == 0 ? "https://oapi.dingtalk.com/robot/send?access_token="
                                                    : "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=";
  if (webhook && strncmp(webhook, "https://", 8) == 0 && strncmp(webhook, host, strlen(host)) != 0)
    return reply_error(rep, 400, "field_invalid", strcmp(kind, "dingtalk") == 0
                       ? "钉钉机器人地址应为 https://oapi.dingtalk.com/robot/send?access_token=…"
                       : "企业微信机器人地址应为 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…", "webhook");
  if (secret && *secret && strcmp(kind, "wecom") == 0)
    return reply_error(rep, 400, "field_invalid", "企业微信群机器人没有加签密钥，其密钥已在地址的 key 中", "secret");
  if (creating && strcmp(kind, "dingtalk") == 0 && (!secret || strncmp(secret, "SEC", 3) != 0))
    return reply_error(rep, 400, "field_invalid", "请填写钉钉机器人“加签”的密钥（以 SEC 开头）", "secret");
  return 0;
}

/* The webhook and secret fields of a channel: checked, never echoed. */
static int channel_fields(struct reply *rep, const json_t *body, const char *kind, bool creating, struct channel_input *in)
{
  const char *webhook = NULL, *secret = NULL, *name = NULL;
  bool enabled = true, present = false;
  if (field_string(rep, body, "name", creating, 40, &name) != 0 ||
      field_string(rep, body, "webhook", creating && strcmp(kind, "wecom_app") != 0, 1000, &webhook) != 0 ||
      field_string(rep, body, "secret", false, 200, &secret) != 0 ||
      field_bool(rep, body, "enabled", false, &enabled, &present) != 0)
    return -1;
  if (name && !*name) return reply_error(rep, 400, "field_required", "请填写渠道名称", "name");
  if (channel_person_kind(kind) ? channel_person_check(rep, kind, creating, webhook, secret) != 0
                                : robot_fields_check(rep, kind, creating, webhook, secret) != 0)
    return -1;
  if (creating && !webhook) webhook = "https://qyapi.weixin.qq.com"; /* wecom_app: WeCom's own API */
  in->name = name;
  in->webhook = webhook;
  in->secret = secret;
  in->enabled = present || creating ? enabled : -1;
  return 0;
}

static json_t *channel_audit_detail(const json_t *body)
{
  json_t *d = json_deep_copy(body);
  if (json_object_get(d, "webhook")) json_object_set_new(d, "webhook", json_string("（已更换，不记录）"));
  if (json_object_get(d, "secret")) json_object_set_new(d, "secret", json_string("（已更换，不记录）"));
  return d;
}

static int channel_write(struct request *req, struct reply *rep, int64_t id, const struct channel_input *in,
                         const json_t *body)
{
  struct notify_write n = {.channel = in, .id = id, .create = id == 0};
  json_t *detail = channel_audit_detail(body);
  struct write_tx w = {.store = store_channel, .ctx = &n, .errors = CHANNEL_ERRORS,
                       .action = id ? "channel.update" : "channel.create", .entity = "notification_channel",
                       .id = &n.id, .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  if (rc != 0) return -1;
  json_t *one = outbox_channel_json(req->db, n.id);
  if (!one) return reply_internal(rep);
  reply_json(rep, id ? 200 : 201, one);
  return 0;
}

int api_channels_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"kind", "name", "region_code", "webhook", "secret", "enabled",
                                        "template", "auth_header", "corpid", "agentid", NULL};
  const char *kind, *region = NULL;
  struct channel_input in = {0};
  char *config = NULL;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "kind", true, 16, &kind) != 0 ||
      field_string(rep, body, "region_code", false, 12, &region) != 0)
    goto out;
  if (strcmp(kind, "dingtalk") != 0 && strcmp(kind, "wecom") != 0 && !channel_person_kind(kind)) {
    rc = reply_error(rep, 400, "field_invalid", "渠道类型应为 dingtalk（钉钉群机器人）、wecom（企业微信群机器人）、sms（短信）或 wecom_app（企业微信应用消息）", "kind");
    goto out;
  }
  if (channel_fields(rep, body, kind, true, &in) != 0) goto out;
  if (channel_person_kind(kind) && channel_person_config(rep, body, kind, NULL, &config) != 0) goto out;
  in.config = config;
  in.kind = kind;
  in.region_code = region && *region ? region : NULL;
  rc = channel_write(req, rep, 0, &in, body);
out:
  free(config);
  json_decref(body);
  return rc;
}

int api_channels_patch(struct request *req, struct reply *rep)
{
  int64_t id;
  json_t *body;
  if (param_id(req, rep, 0, &id) != 0 || body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"name", "webhook", "secret", "enabled", "template", "auth_header", "corpid",
                                        "agentid", NULL};
  json_t *current = outbox_channel_json(req->db, id);
  const char *kind = json_string_value(json_object_get(current, "kind"));
  struct channel_input in = {0};
  char *config = NULL;
  int rc = -1;
  if (!current) rc = reply_not_found(req, rep, "通知渠道不存在", NULL);
  else if (fields_allowed(rep, body, ALLOWED) == 0 && channel_fields(rep, body, kind, false, &in) == 0 &&
           (!channel_person_kind(kind) ||
            channel_person_config(rep, body, kind, json_object_get(current, "config"), &config) == 0)) {
    in.config = config;
    rc = channel_write(req, rep, id, &in, body);
  }
  free(config);
  json_decref(current);
  json_decref(body);
  return rc;
}

/* 每日汇总的时间 and 发送限额, each optional: a field not given keeps its value. */
static int limit_fields(struct reply *rep, const json_t *body, struct notify_settings *s)
{
  const char *digest_time = NULL;
  int64_t v[4] = {s->user_limit, s->user_window_seconds, s->channel_limit, s->channel_window_seconds};
  if (field_string(rep, body, "digest_time", false, 5, &digest_time) != 0 ||
      field_int(rep, body, "user_limit", false, 0, 1000, &v[0], NULL) != 0 ||
      field_int(rep, body, "user_window_seconds", false, 1, 86400, &v[1], NULL) != 0 ||
      field_int(rep, body, "channel_limit", false, 0, 1000, &v[2], NULL) != 0 ||
      field_int(rep, body, "channel_window_seconds", false, 1, 86400, &v[3], NULL) != 0)
    return -1;
  if (digest_time && !robot_hhmm_valid(digest_time))
    return reply_error(rep, 400, "field_invalid", "每日汇总时间应为“时:分”，如 08:00", "digest_time");
  if (digest_time) snprintf(s->digest_time, sizeof s->digest_time, "%s", digest_time);
  s->user_limit = (int)v[0];
  s->user_window_seconds = (int)v[1];
  s->channel_limit = (int)v[2];
  s->channel_window_seconds = (int)v[3];
  return 0;
}

int api_notification_settings_put(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"max_attempts", "backoff_seconds", "backoff_max_seconds", "timeout_seconds",
                                        "quiet_start", "quiet_end", "digest_time", "user_limit", "user_window_seconds",
                                        "channel_limit", "channel_window_seconds", NULL};
  int64_t attempts, base, max, timeout;
  const char *qs, *qe;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 ||
      field_int(rep, body, "max_attempts", true, 1, 50, &attempts, NULL) != 0 ||
      field_int(rep, body, "backoff_seconds", true, 1, 3600, &base, NULL) != 0 ||
      field_int(rep, body, "backoff_max_seconds", true, 1, 86400, &max, NULL) != 0 ||
      field_int(rep, body, "timeout_seconds", true, 1, 60, &timeout, NULL) != 0 ||
      field_string(rep, body, "quiet_start", false, 5, &qs) != 0 || field_string(rep, body, "quiet_end", false, 5, &qe) != 0)
    goto out;
  /* both given, "" allowed (no quiet hours) */
  if (!qs || !qe) { rc = reply_error(rep, 400, "field_required", "请填写免打扰时段（不设则两项都填空字符串）", qs ? "quiet_end" : "quiet_start"); goto out; }
  if ((*qs || *qe) && (!robot_hhmm_valid(qs) || !robot_hhmm_valid(qe))) {
    rc = reply_error(rep, 400, "field_invalid", "免打扰时段应为“时:分”，如 22:00 至 07:00；不设免打扰则两项都留空", robot_hhmm_valid(qs) ? "quiet_end" : "quiet_start");
    goto out;
  }
  if (max < base) { rc = reply_error(rep, 400, "field_invalid", "最长重试间隔不能小于首次重试间隔", "backoff_max_seconds"); goto out; }
  struct notify_settings s;
  if (outbox_settings_get(req->db, &s) != DB_OK) { rc = reply_internal(rep); goto out; }
  if (limit_fields(rep, body, &s) != 0) goto out;
  s.max_attempts = (int)attempts;
  s.backoff_seconds = (int)base;
  s.backoff_max_seconds = (int)max;
  s.timeout_seconds = (int)timeout;
  snprintf(s.quiet_start, sizeof s.quiet_start, "%s", qs);
  snprintf(s.quiet_end, sizeof s.quiet_end, "%s", qe);
  struct notify_write n = {.settings = &s};
  struct write_tx w = {.store = store_settings, .ctx = &n, .action = "channel.settings",
                       .entity = "notification_settings", .entity_id = "1", .detail = body};
  rc = write_tx_run(req, rep, &w);
  if (rc == 0) rc = reply_channels(req, rep, 200);
out:
  json_decref(body);
  return rc;
}

/* ---- the outbox: dead letters ---- */

int api_outbox_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *status;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "status", 8, &status) != 0) return -1;
  if (!status || !*status) status = "dead";
  if (strcmp(status, "dead") != 0 && strcmp(status, "pending") != 0 && strcmp(status, "sent") != 0)
    return reply_error(rep, 400, "field_invalid", "status 应为 dead（发送失败）、pending（待发送）或 sent（已发送）", "status");
  json_t *list = outbox_list_json(req->db, status, page, page_size);
  if (!list) return reply_internal(rep);
  reply_json(rep, 200, list);
  return 0;
}

int api_outbox_requeue(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  struct notify_write n = {.id = id};
  struct write_tx w = {.store = store_requeue, .ctx = &n, .errors = NOT_DEAD, .action = "outbox.requeue",
                       .entity = "outbox", .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  sender_wake();
  reply_json(rep, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
  return 0;
}
