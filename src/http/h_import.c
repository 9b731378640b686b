/* h_import — a cadre roster (干部花名册) from .csv or .xlsx, all or nothing: every row is
 * checked first, and if any cell is wrong the reply lists every problem by row and column and
 * nothing is written. A row whose ID number is already in the unit's registry updates that
 * cadre, so importing the corrected sheet again never duplicates anyone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/roster.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/cadres.h"
#include "store/db.h"
#include "util/csv.h"
#include "util/xlsx_read.h"

#define IMPORT_MAX_ROWS 5000

static json_t *row_json(size_t count, const char *const *fields)
{
  json_t *row = json_array();
  for (size_t i = 0; i < count; i++) json_array_append_new(row, json_string(fields[i] ? fields[i] : ""));
  return row;
}

/* Every row of the body as a JSON array of arrays of strings, blank rows kept as [] so that the
 * row numbers stay the spreadsheet's. */
static int rows_from_csv(const struct request *req, struct reply *rep, json_t *rows)
{
  struct csv_reader *r;
  if (csv_reader_new(strbuf_cstr(&req->body), strbuf_len(&req->body), NULL, &r) != CSV_OK) return reply_internal(rep);
  struct csv_row row;
  int rc;
  while ((rc = csv_next_row(r, &row)) == CSV_OK && json_array_size(rows) <= IMPORT_MAX_ROWS)
    json_array_append_new(rows, csv_row_is_blank(&row) ? json_array() : row_json(row.count, row.fields));
  int result = 0;
  if (rc != CSV_END && rc != CSV_OK) {
    struct csv_position pos = csv_reader_error_position(r);
    char msg[200];
    snprintf(msg, sizeof msg, "CSV 第 %zu 行第 %zu 列：%s", pos.row, pos.column, csv_result_message_zh((enum csv_result)rc));
    result = reply_error(rep, 400, csv_result_code((enum csv_result)rc), msg, NULL);
  }
  csv_reader_free(r);
  return result;
}

static int rows_from_xlsx(const struct request *req, struct reply *rep, json_t *rows)
{
  struct xlsx_reader *r;
  char err[200];
  int rc = xlsx_read_open((const unsigned char *)strbuf_cstr(&req->body), strbuf_len(&req->body), NULL, &r, err, sizeof err);
  if (rc != XLSX_OK) return reply_error(rep, 400, xlsx_read_result_code(rc), xlsx_read_result_message_zh(rc), NULL);
  struct xlsx_row row;
  while ((rc = xlsx_read_next_row(r, &row)) == XLSX_OK && json_array_size(rows) <= IMPORT_MAX_ROWS) {
    while (json_array_size(rows) + 1 < row.number) json_array_append_new(rows, json_array());
    json_array_append_new(rows, xlsx_row_is_blank(&row) ? json_array() : row_json(row.count, row.fields));
  }
  int result = 0;
  if (rc != XLSX_END && rc != XLSX_OK) {
    struct xlsx_position pos = xlsx_read_error_position(r);
    char msg[300];
    snprintf(msg, sizeof msg, "Excel 文件第 %zu 行第 %zu 列：%s", pos.row, pos.column, xlsx_read_result_message_zh(rc));
    result = reply_error(rep, 400, xlsx_read_result_code(rc), msg, NULL);
  }
  xlsx_read_free(r);
  return result;
}

static int read_rows(const struct request *req, struct reply *rep, json_t *rows)
{
  const char *type = request_header(req, "Content-Type");
  if (type && strstr(type, "spreadsheetml")) return rows_from_xlsx(req, rep, rows);
  if (type && (strstr(type, "text/csv") || strstr(type, "text/plain"))) return rows_from_csv(req, rep, rows);
  return reply_error(rep, 415, "unsupported_media_type",
                     "请上传 .xlsx（Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）或 .csv（text/csv）文件",
                     NULL);
}

/* Checks every row; fills parsed[] (one per data row, NULL for blank rows). */
static int check_rows(struct request *req, json_t *rows, struct roster_header *h, struct roster_row *parsed,
                      bool *blank, json_t *errors)
{
  int today = req->today;
  size_t n = json_array_size(rows);
  if (n == 0 || roster_read_header(json_array_get(rows, 0), h, errors) > 0) return -1;
  for (size_t i = 1; i < n; i++) {
    json_t *row = json_array_get(rows, i);
    blank[i] = json_array_size(row) == 0;
    if (!blank[i]) roster_read_row(req->app->policy, h, row, (int)i + 1, today, &parsed[i], errors);
    for (size_t k = 1; !blank[i] && k < i; k++)
      if (!blank[k] && strcmp(parsed[k].id_number, parsed[i].id_number) == 0 && parsed[i].id_number[0]) {
        char msg[96];
        snprintf(msg, sizeof msg, "身份证号与第 %zu 行重复", k + 1);
        char col[4];
        roster_column_letter(h->index[ROSTER_ID_NUMBER], col);
        json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", (int)i + 1, "column", col,
                                                "field", "id_number", "code", "duplicate_in_file", "message", msg));
      }
  }
  return json_array_size(errors) ? -1 : 0;
}

/* Writes one row: a new cadre, or an update of the unit's own cadre with that ID number. */
static int write_row(struct request *req, int64_t unit, const struct roster_row *r, int number, json_t *errors,
                     int *created, int *updated)
{
  struct cadre_fields f = {r->name, r->id_number, r->phone && *r->phone ? r->phone : NULL, r->party, unit, NULL, NULL,
                           r->employment, r->rank, r->rural, r->agri, NULL};
  int64_t id = 0;
  int rc = cadres_find_by_id_number(req->db, req->app->vault, r->id_number, &id);
  if (rc == DB_NOT_FOUND) {
    rc = cadres_create(req->db, req->app->vault, &f, req->now, &id);
    (*created)++;
  } else if (rc == DB_OK) {
    json_t *c = cadres_get_json(req->db, &(struct scope){.kind = SCOPE_KIND_UNIT, .unit_id = unit}, id);
    if (!c) {
      json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", number, "column", "", "field",
                                              "id_number", "code", "other_unit", "message",
                                              "该身份证号已登记在其他单位，请先由原单位办理工作单位变动"));
      return DB_OK;
    }
    json_decref(c);
    f.id_number = NULL;
    rc = cadres_update(req->db, req->app->vault, id, &f);
    (*updated)++;
  }
  if (rc == DB_OK && r->appraisal) rc = cadres_set_appraisal(req->db, id, r->appraisal_year, r->appraisal);
  return rc;
}

/* 422 listing every problem by row and column; nothing was written. */
static int import_invalid(struct reply *rep, json_t *errors)
{
  char msg[160];
  snprintf(msg, sizeof msg, "共发现 %zu 处错误，未导入任何数据；请按行列修改后重新导入", json_array_size(errors));
  int rc = reply_error(rep, 422, "import_invalid", msg, NULL);
  json_object_set(json_object_get(rep->json, "error"), "errors", errors);
  return rc;
}

/* The checked rows, written in one transaction (http/write_tx): every row or none. */
struct roster_write {
  int64_t unit;
  const struct roster_row *parsed;
  const bool *blank;
  size_t n;
  json_t *errors;
  json_t *detail; /* the audit row's: the unit and the counts, filled in here */
  int created, updated;
};

static int store_roster(struct request *req, struct reply *rep, void *ctx)
{
  struct roster_write *r = ctx;
  int rc = DB_OK;
  for (size_t i = 1; rc == DB_OK && i < r->n; i++)
    if (!r->blank[i]) rc = write_row(req, r->unit, &r->parsed[i], (int)i + 1, r->errors, &r->created, &r->updated);
  if (rc != DB_OK) return rc;
  /* a row that only the registry could judge (an ID number of another unit): the whole import goes */
  if (json_array_size(r->errors)) {
    import_invalid(rep, r->errors);
    return WRITE_TX_REPLIED;
  }
  json_object_set_new(r->detail, "unit", json_integer((json_int_t)r->unit));
  json_object_set_new(r->detail, "created", json_integer(r->created));
  json_object_set_new(r->detail, "updated", json_integer(r->updated));
  return DB_OK;
}

static int write_roster(struct request *req, struct reply *rep, struct roster_write *r, const char *unit_param)
{
  r->detail = json_object();
  if (!r->detail) return reply_internal(rep);
  struct write_tx w = {.store = store_roster, .ctx = r, .action = "cadre.import", .entity = "unit",
                       .entity_id = unit_param ? unit_param : "", .detail = r->detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(r->detail);
  return rc;
}

int api_cadres_import(struct request *req, struct reply *rep)
{
  int64_t unit = req->scope.kind == SCOPE_KIND_UNIT ? req->scope.unit_id : 0;
  const char *u = request_query(req, "unit");
  if (u && *u && req->scope.kind != SCOPE_KIND_UNIT) unit = atoll(u);
  if (!unit) return reply_error(rep, 400, "field_required", "须指定导入到哪个单位（?unit=）", "unit");
  if (handler_unit_in_scope(req, rep, unit) != 0) return -1;
  json_t *rows = json_array(), *errors = json_array();
  size_t n = 0;
  struct roster_row *parsed = NULL;
  bool *blank = NULL;
  int rc = read_rows(req, rep, rows);
  if (rc == 0 && (n = json_array_size(rows)) > IMPORT_MAX_ROWS)
    rc = reply_error(rep, 413, "too_many_rows", "一次最多导入 5000 行", NULL);
  if (rc == 0) {
    parsed = calloc(n + 1, sizeof *parsed);
    blank = calloc(n + 1, sizeof *blank);
    if (!parsed || !blank) rc = reply_internal(rep);
  }
  struct roster_header h;
  struct roster_write r = {unit, parsed, blank, n, errors, NULL, 0, 0};
  if (rc == 0 && check_rows(req, rows, &h, parsed, blank, errors) == 0) rc = write_roster(req, rep, &r, u);
  else if (rc == 0 && json_array_size(errors)) rc = import_invalid(rep, errors);
  if (rc == 0)
    reply_json(rep, 200, json_pack("{s:i, s:i, s:I}", "created", r.created, "updated", r.updated, "unit_id",
                                   (json_int_t)unit));
  free(parsed);
  free(blank);
  json_decref(rows);
  json_decref(errors);
  return rc;
}

/* For the other imports (households, a department's risk list): the body's rows, read as for the roster. */
int handler_import_rows(const struct request *req, struct reply *rep, json_t *rows)
{
  int rc = read_rows(req, rep, rows);
  if (rc == 0 && json_array_size(rows) > IMPORT_MAX_ROWS)
    rc = reply_error(rep, 413, "too_many_rows", "一次最多导入 5000 行", NULL);
  return rc;
}
