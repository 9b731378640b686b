/* channel_person — see channel_person.h. */
#include "http/channel_person.h"

#include <stdlib.h>
#include <string.h>

#include "core/person_message.h"
#include "core/robot_message.h"
#include "http/json_in.h"
#include "http/request.h"

bool channel_person_kind(const char *kind)
{
  return kind && (strcmp(kind, "sms") == 0 || strcmp(kind, "wecom_app") == 0);
}

static int sms_config(struct reply *rep, const json_t *body, json_t *config)
{
  const char *template = NULL, *header = NULL;
  if (field_string(rep, body, "template", false, 1000, &template) != 0 ||
      field_string(rep, body, "auth_header", false, 60, &header) != 0)
    return -1;
  if (template) json_object_set_new(config, "template", json_string(template));
  if (header) json_object_set_new(config, "auth_header", json_string(*header ? header : "Authorization"));
  if (!json_object_get(config, "auth_header")) json_object_set_new(config, "auth_header", json_string("Authorization"));
  const char *t = json_string_value(json_object_get(config, "template"));
  if (!sms_template_ok(t))
    return reply_error(rep, 400, "field_invalid",
                       "短信请求模板应为 JSON，并含 {phone}（手机号）和 {text}（短信内容）两处，如 {\"mobile\":\"{phone}\",\"content\":\"{text}\"}",
                       "template");
  const char *h = json_string_value(json_object_get(config, "auth_header"));
  if (strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != strlen(h))
    return reply_error(rep, 400, "field_invalid", "认证头名称只能由字母、数字和“-”组成，如 Authorization", "auth_header");
  return 0;
}

static int wecom_config(struct reply *rep, const json_t *body, json_t *config, bool creating)
{
  const char *corpid = NULL;
  int64_t agentid = 0;
  bool has_agent = false;
  if (field_string(rep, body, "corpid", creating, 64, &corpid) != 0 ||
      field_int(rep, body, "agentid", creating, 1, 9999999999LL, &agentid, &has_agent) != 0)
    return -1;
  if (corpid && (!*corpid || strspn(corpid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(corpid)))
    return reply_error(rep, 400, "field_invalid", "企业 ID（corpid）应为企业微信管理后台“我的企业”中的字母数字串", "corpid");
  if (corpid) json_object_set_new(config, "corpid", json_string(corpid));
  if (has_agent) json_object_set_new(config, "agentid", json_integer(agentid));
  return 0;
}

int channel_person_config(struct reply *rep, const json_t *body, const char *kind, const json_t *current, char **config)
{
  *config = NULL;
  static const char *const FIELDS[] = {"template", "auth_header", "corpid", "agentid", NULL};
  bool given = false;
  for (const char *const *f = FIELDS; *f; f++) given = given || json_object_get(body, *f);
  if (current && !given) return 0;
  json_t *c = current ? json_deep_copy(current) : json_object();
  if (!c) return reply_internal(rep);
  int rc = strcmp(kind, "sms") == 0 ? sms_config(rep, body, c) : wecom_config(rep, body, c, current == NULL);
  if (rc == 0) *config = json_dumps(c, JSON_COMPACT);
  json_decref(c);
  if (rc == 0 && !*config) return reply_internal(rep);
  return rc;
}

int channel_person_check(struct reply *rep, const char *kind, bool creating, const char *webhook, const char *secret)
{
  bool sms = strcmp(kind, "sms") == 0;
  if (creating && sms && !webhook) return reply_error(rep, 400, "field_required", "请填写短信网关地址", "webhook");
  if (webhook && !robot_webhook_allowed(webhook))
    return reply_error(rep, 400, "field_invalid", sms ? "短信网关地址须以 https:// 开头（本机测试可用 http://127.0.0.1）"
                                                      : "企业微信接口地址须以 https:// 开头（本机测试可用 http://127.0.0.1）", "webhook");
  if (creating && !sms && (!secret || !*secret))
    return reply_error(rep, 400, "field_required", "请填写企业微信应用的 Secret（corpsecret）", "secret");
  if (secret && strpbrk(secret, "\r\n"))
    return reply_error(rep, 400, "field_invalid", sms ? "认证头的值不能含换行" : "Secret 不能含换行", "secret");
  return 0;
}
