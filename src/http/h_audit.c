/* h_audit — the audit log, readable by the audit administrator alone (三权分立), and the
 * verification of its hash chain. Each row says in words who (name and role), when (Beijing
 * time), did what (core/audit_words) to what (store/audit_object); the codes and the JSON stay
 * beside them for the 技术详情. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit_words.h"
#include "core/roles.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "store/audit.h"
#include "store/audit_list.h"
#include "store/audit_object.h"
#include "store/db.h"

static const char *text_of(const json_t *row, const char *key)
{
  const char *s = json_string_value(json_object_get(row, key));
  return s ? s : "";
}

/* "张三（审计管理员）"; the system's own acts and a failed login by who they were. */
static json_t *who_words(const json_t *row)
{
  const char *username = text_of(row, "username"), *display = text_of(row, "display_name"),
             *role_code = text_of(row, "role");
  const struct role *role = roles_find(role_code);
  char who[256];
  if (*display) snprintf(who, sizeof who, "%s（%s）", display, role ? role->name_zh : role_code);
  else if (strcmp(username, "system") == 0) snprintf(who, sizeof who, "系统（每日自动处理）");
  else if (strcmp(username, "console") == 0) snprintf(who, sizeof who, "服务器命令行");
  else snprintf(who, sizeof who, "未登录用户（输入的用户名：%s）", username);
  return json_string(who);
}

/* A row of the log in words beside its codes: who, action_zh, detail_zh (the account's name and role
 * are only read for who). */
static void add_words(json_t *row)
{
  const char *action = text_of(row, "action");
  const char *phrase = audit_action_phrase(action);
  char *detail_zh = audit_detail_words(text_of(row, "detail"));
  json_object_set_new(row, "who", who_words(row));
  json_object_set_new(row, "action_zh", json_string(phrase ? phrase : action));
  json_object_set_new(row, "detail_zh", json_string(detail_zh ? detail_zh : ""));
  free(detail_zh);
  json_object_del(row, "display_name");
  json_object_del(row, "role");
}

static const char *const AUDIT_EXPORT[][2] = {
  {"id", "序号"}, {"time", "时间（北京时间）"}, {"who", "操作人"}, {"action_zh", "做了什么"}, {"object_zh", "对象"},
  {"detail_zh", "内容"}, {"ip", "来源地址"}, {"username", "用户名"}, {"action", "操作代码"}, {"entity", "对象类型"},
  {"entity_id", "对象编号"}, {"detail", "原始内容"}, {NULL, NULL}};

/* Every row in words, with its object (a query per row: a page is at most 200 rows). */
static int add_objects(struct request *req, json_t *list)
{
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(list, "items"), i, row) {
    char words[512];
    add_words(row);
    if (audit_object_words(req->db, json_string_value(json_object_get(row, "entity")),
                           json_string_value(json_object_get(row, "entity_id")), words, sizeof words) != DB_OK)
      return -1;
    json_object_set_new(row, "object_zh", json_string(words));
  }
  return 0;
}

int api_audit_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *action, *user;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "action", 64, &action) != 0 ||
      query_text(req, rep, "user", 64, &user) != 0)
    return -1;
  json_t *list = audit_list_json(req->db, action, user, page, query_wants_xlsx(req) ? 0 : page_size);
  if (list && add_objects(req, list) != 0) { json_decref(list); return reply_internal(rep); }
  return handler_reply_list(req, rep, list, AUDIT_EXPORT, "审计日志");
}

/* The table of action codes and their phrases (the filter's choices; the test of completeness). */
int api_audit_phrases_get(struct request *req, struct reply *rep)
{
  json_t *phrases = audit_phrases_json();
  if (!phrases) return reply_internal(rep);
  reply_json(rep, 200, json_pack("{s:o}", "items", phrases));
  return 0;
}

/* ?anchor=ID:HASH: a head the audit administrator wrote down earlier (see audit.h). */
int api_audit_verify_get(struct request *req, struct reply *rep)
{
  const char *anchor_text;
  struct audit_anchor anchor;
  if (query_text(req, rep, "anchor", 90, &anchor_text) != 0) return -1;
  bool has_anchor = anchor_text && *anchor_text;
  if (has_anchor && audit_anchor_parse(anchor_text, &anchor) != 0)
    return reply_error(rep, 400, "field_invalid", "锚点格式应为“行号:哈希值”（64位十六进制）", "anchor");
  struct audit_verdict v;
  if (audit_verify(req->db, has_anchor ? &anchor : NULL, &v) != DB_OK) return reply_internal(rep);
  char head[90];
  snprintf(head, sizeof head, "%lld:%s", (long long)v.head_id, v.head_hash);
  reply_json(rep, 200, json_pack("{s:b, s:I, s:o, s:s, s:s, s:b}", "ok", v.ok, "rows", (json_int_t)v.rows, "first_bad_id",
                                 v.ok ? json_null() : json_integer(v.first_bad_id), "reason", v.reason, "head",
                                 v.head_id ? head : "", "anchor_checked", has_anchor));
  return 0;
}
