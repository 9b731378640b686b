/* handlers — what every handler shares: the audit row of a write, ending a write, and
 * answering a list either as JSON or as an Excel file. */
#include "http/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/xlsx.h"
#include "http/json_in.h"
#include "store/audit.h"
#include "store/db.h"

int handler_audit(struct request *req, const char *action, const char *entity, const char *entity_id,
                  json_t *detail)
{
  char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  char self[24];
  if (!entity_id) { snprintf(self, sizeof self, "%lld", (long long)req->user.id); entity_id = self; }
  struct audit_entry e = {req->user.id, req->user.username, action, entity, entity_id, req->ip, text, req->now};
  int rc = audit_append(req->db, &e);
  free(text);
  return rc;
}

int handler_finish_write(struct request *req, struct reply *rep, int rc)
{
  if (rc == 0 && db_commit(req->db) == DB_OK) return 0;
  db_rollback(req->db);
  if (rc == 0) return reply_internal(rep);
  return -1;
}

static int audit_export(struct request *req, const char *list_zh, size_t rows)
{
  json_t *detail = json_pack("{s:s, s:s, s:I}", "list", list_zh, "path", req->url, "rows", (json_int_t)rows);
  int w = detail ? db_begin(req->db) : DB_ERROR;
  if (w == DB_OK) {
    w = handler_audit(req, "export.xlsx", "export", NULL, detail);
    if (w == DB_OK) w = db_commit(req->db);
    if (w != DB_OK) db_rollback(req->db);
  }
  json_decref(detail);
  return w == DB_OK ? 0 : -1;
}

int handler_reply_list(struct request *req, struct reply *rep, json_t *list, const char *const columns[][2],
                       const char *filename_zh)
{
  if (!list) return reply_internal(rep);
  if (!query_wants_xlsx(req)) { reply_json(rep, 200, list); return 0; }
  size_t count = 0;
  while (columns[count][0]) count++;
  char *data;
  size_t len;
  size_t rows = json_array_size(json_object_get(list, "items"));
  int rc = xlsx_from_items(json_object_get(list, "items"), columns, count, filename_zh, &data, &len);
  json_decref(list);
  if (rc != 0) return reply_internal(rep);
  /* personal data leaving the system (F6): who (the audit row's user), which list, how many rows;
   * no file without its audit row */
  if (audit_export(req, filename_zh, rows) != 0) { free(data); return reply_internal(rep); }
  rep->status = 200;
  rep->raw = data;
  rep->raw_len = len;
  rep->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  /* RFC 5987: the Chinese file name percent-encoded, with an ASCII fallback */
  char encoded[256] = "", *p = encoded;
  for (const unsigned char *s = (const unsigned char *)filename_zh; *s && p < encoded + sizeof encoded - 4; s++)
    p += sprintf(p, "%%%02X", *s);
  char disposition[400];
  snprintf(disposition, sizeof disposition, "attachment; filename=\"export.xlsx\"; filename*=UTF-8''%s.xlsx", encoded);
  rep->disposition = strdup(disposition);
  return 0;
}

int handler_cadre_filter(struct request *req, struct reply *rep, const char *value, int64_t *out)
{
  *out = 0;
  if (!value || !*value) return 0;
  char *endp;
  long long v = strtoll(value, &endp, 10);
  if (*endp || v <= 0) return reply_error(rep, 400, "field_invalid", "查询参数 cadre 应为干部编号", "cadre");
  /* A region or unit official's records are bounded by village or unit, which keeps a cadre's past
   * posts visible to them; only a cadre's own scope is one person, so only there is a name refused. */
  if (req->scope.kind == SCOPE_KIND_SELF && v != req->user.cadre_id)
    return reply_error(rep, 403, "forbidden", "驻村干部只能查看本人的记录", "cadre");
  *out = v;
  return 0;
}
