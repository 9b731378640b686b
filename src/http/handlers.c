/* handlers — what every handler shares: the audit row of a write, the audit row of an export, and
 * answering a list either as JSON or as an Excel file. A list that can reach a province's size
 * streams its export: handler_stream_list, right before the store's list call, hands each row
 * from the statement to the workbook (store/list's sink), so neither the JSON list nor the sheet
 * is ever whole in memory, nor the finished file: it is written to a spool file (export/spool) and
 * sent from its descriptor. */
#include "http/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/xlsx.h"
#include "http/json_in.h"
#include "http/write_tx.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/list.h"

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

/* Personal data leaving the system (F6): an audit-only write (http/write_tx), committed before the
 * file goes out; -1 with the 500 written when it could not be. */
static int audit_export(struct request *req, struct reply *rep, const char *list_zh, size_t rows)
{
  json_t *detail = json_pack("{s:s, s:s, s:I}", "list", list_zh, "path", req->url, "rows", (json_int_t)rows);
  if (!detail) return reply_internal(rep);
  struct write_tx w = {.action = "export.xlsx", .entity = "export", .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  return rc;
}

/* The export being streamed on this thread (handler_stream_list), finished by handler_reply_list. */
struct list_stream {
  struct xlsx_stream *x;
  struct request *req;
  handler_row_fn fix;
  size_t rows;
};
static _Thread_local struct list_stream streaming;

static int stream_row(void *ctx, json_t *row)
{
  struct list_stream *s = ctx;
  if (s->fix) s->fix(s->req, row);
  s->rows++;
  return xlsx_stream_row(s->x, row);
}

void handler_stream_list(struct request *req, const char *const columns[][2], const char *filename_zh,
                         handler_row_fn fix)
{
  xlsx_stream_free(streaming.x); /* one left by a request that ended before its reply: never its rows */
  streaming.x = NULL;
  list_sink_set(NULL, NULL);
  if (!query_wants_xlsx(req)) return;
  size_t count = 0;
  while (columns[count][0]) count++;
  if (xlsx_stream_open(columns, count, filename_zh, &streaming.x) != 0) return; /* then the list comes whole */
  streaming.req = req;
  streaming.fix = fix;
  streaming.rows = 0;
  list_sink_set(stream_row, &streaming);
}

/* The workbook: streamed by the store's list, or written now from the list's items. */
static int workbook_of(json_t *list, const char *const columns[][2], const char *filename_zh, int *fd,
                       size_t *len, size_t *rows)
{
  struct xlsx_stream *x = streaming.x;
  streaming.x = NULL;
  list_sink_set(NULL, NULL);
  if (x && !list) { xlsx_stream_free(x); return -1; }
  if (x) { *rows = streaming.rows; return xlsx_stream_close(x, fd, len); }
  if (!list) return -1;
  size_t count = 0;
  while (columns[count][0]) count++;
  *rows = json_array_size(json_object_get(list, "items"));
  return xlsx_from_items(json_object_get(list, "items"), columns, count, filename_zh, fd, len);
}

int handler_reply_list(struct request *req, struct reply *rep, json_t *list, const char *const columns[][2],
                       const char *filename_zh)
{
  if (!query_wants_xlsx(req)) {
    if (!list) return reply_internal(rep);
    reply_json(rep, 200, list);
    return 0;
  }
  int fd;
  size_t len, rows = 0;
  int rc = workbook_of(list, columns, filename_zh, &fd, &len, &rows);
  json_decref(list);
  if (rc != 0) return reply_internal(rep);
  /* personal data leaving the system (F6): who (the audit row's user), which list, how many rows;
   * no file without its audit row */
  if (audit_export(req, rep, filename_zh, rows) != 0) { close(fd); return -1; }
  reply_file(rep, fd, len, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
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
