/* h_audit — the audit log, readable by the audit administrator alone (三权分立), and the
 * verification of its hash chain. */
#include <stdio.h>

#include "http/handlers.h"
#include "http/json_in.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/list.h"

static json_t *audit_row(sqlite3_stmt *st)
{
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                   "at", (json_int_t)sqlite3_column_int64(st, 1), "time", db_col_text(st, 2),
                   "username", db_col_text(st, 3), "action", db_col_text(st, 4), "entity", db_col_text(st, 5),
                   "entity_id", db_col_text(st, 6), "ip", db_col_text(st, 7));
}

static const char *const AUDIT_EXPORT[][2] = {
  {"id", "序号"}, {"time", "时间"}, {"username", "用户"}, {"action", "操作"}, {"entity", "对象"},
  {"entity_id", "对象编号"}, {"ip", "来源地址"}, {"detail", "内容"}, {NULL, NULL}};

static json_t *audit_row_with_detail(sqlite3_stmt *st)
{
  json_t *o = audit_row(st);
  json_object_set_new(o, "detail", json_string(db_col_text(st, 8)));
  return o;
}

int api_audit_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *action, *user;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "action", 64, &action) != 0 ||
      query_text(req, rep, "user", 64, &user) != 0)
    return -1;
  const struct sql_param params[] = {{":action", action ? action : "", 0}, {":user", user ? user : "", 0}};
  json_t *list = list_query(req->db,
                            "id, at, datetime(at, 'unixepoch', '+8 hours'), username, action, entity, entity_id, ip, detail",
                            "audit WHERE (:action = '' OR action = :action) AND (:user = '' OR username = :user)",
                            "id DESC", params, 2, NULL, audit_row_with_detail, page,
                            query_wants_xlsx(req) ? 0 : page_size);
  return handler_reply_list(req, rep, list, AUDIT_EXPORT, "审计日志");
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
