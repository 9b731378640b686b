/* h_exchange — 数据交换: the bulk exchange with the provincial and national 防返贫监测 platforms
 * (issue 13, part 2). Four datasets in the layouts of core/exchange_layout: a template (the header
 * row), an export in scope (.xlsx or .csv with a BOM, written row by row: export/table_out), and the
 * import of the 成员 layout, all or nothing: every row checked first, every problem reported by row,
 * column letter, the column's header and a Chinese message, nothing written on any error; then one
 * transaction that upserts by 村代码 + 户编号 (the household) and 身份证号 (the member) through
 * store/households, so importing the file just exported reports 0 new and 0 changed.
 * ID numbers and phones leave masked, as on every list (the full number is shown only one at a time
 * through reveal_gate); a masked number in an imported row names the member it was exported from. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/case_flow.h"
#include "core/exchange_layout.h"
#include "core/household_sheet.h"
#include "core/policy.h"
#include "core/sheet.h"
#include "export/table_out.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/exchange.h"
#include "store/households.h"
#include "store/scope.h"

static const struct exchange_layout *dataset_of(const struct request *req, struct reply *rep)
{
  const struct exchange_layout *l = exchange_layout_find(req->params[0]);
  if (!l) reply_not_found(req, rep, "数据集应为 households（户）、members（成员）、leads（风险线索）或 cases（监测帮扶案件）", "dataset");
  return l;
}

static int format_of(struct request *req, struct reply *rep, enum table_format *out)
{
  const char *f;
  if (query_text(req, rep, "format", 8, &f) != 0) return -1;
  if (!f || !*f || strcmp(f, "xlsx") == 0) { *out = TABLE_XLSX; return 0; }
  if (strcmp(f, "csv") == 0) { *out = TABLE_CSV; return 0; }
  return reply_error(rep, 400, "field_invalid", "文件格式（format）应为 xlsx 或 csv", "format");
}

int api_exchange_layouts(struct request *req, struct reply *rep)
{
  (void)req;
  reply_json(rep, 200, json_pack("{s:o}", "items", exchange_layouts_json()));
  return 0;
}

/* The file as the reply, named 数据集（范围）.xlsx / .csv (RFC 5987). */
static void reply_table(struct reply *rep, enum table_format f, int fd, size_t len, const char *name_zh)
{
  reply_file(rep, fd, len, f == TABLE_CSV ? "text/csv; charset=utf-8"
                                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const char *ext = f == TABLE_CSV ? "csv" : "xlsx";
  char encoded[400] = "", *p = encoded;
  for (const unsigned char *s = (const unsigned char *)name_zh; *s && p < encoded + sizeof encoded - 4; s++)
    p += sprintf(p, "%%%02X", *s);
  char disposition[600];
  snprintf(disposition, sizeof disposition, "attachment; filename=\"exchange.%s\"; filename*=UTF-8''%s.%s", ext,
           encoded, ext);
  rep->disposition = strdup(disposition);
}

static int header_row(struct table_out *t, const struct exchange_layout *l)
{
  const char *cells[EXCHANGE_MAX_COLUMNS];
  for (int c = 0; c < l->ncolumns; c++) cells[c] = l->columns[c].header;
  return table_out_row(t, cells, l->ncolumns, 1);
}

int api_exchange_template(struct request *req, struct reply *rep)
{
  const struct exchange_layout *l = dataset_of(req, rep);
  enum table_format f;
  if (!l || format_of(req, rep, &f) != 0) return -1;
  struct table_out *t;
  int fd;
  size_t len;
  if (table_out_open(f, l->name_zh, &t) != 0) return reply_internal(rep);
  if (header_row(t, l) != 0) { table_out_free(t); return reply_internal(rep); }
  if (table_out_close(t, &fd, &len) != 0) return reply_internal(rep);
  char name[120];
  snprintf(name, sizeof name, "数据交换模板-%s", l->name_zh);
  reply_table(rep, f, fd, len, name);
  return 0;
}

/* ---- export ---- */

struct export_ctx {
  struct request *req;
  const struct exchange_layout *layout;
  struct table_out *out;
  size_t rows;
};

static const char *yes_no(const json_t *v) { return json_is_null(v) || !v ? "" : json_integer_value(v) ? "是" : "否"; }

/* A number as the shortest text that reads back to the same double. */
static void number_text(double v, char out[32])
{
  snprintf(out, 32, "%.15g", v);
  if (strtod(out, NULL) != v) snprintf(out, 32, "%.17g", v);
}

static const char *policy_name(const struct request *req, const char *list, const json_t *code)
{
  const char *c = json_string_value(code);
  const char *n = c ? policy_list_name(req->app->policy, list, req->today, c) : NULL;
  return n ? n : c ? c : "";
}

static void risk_names(const struct request *req, const json_t *risks_json, char *out, size_t len)
{
  json_t *risks = json_loads(json_string_value(risks_json) ? json_string_value(risks_json) : "[]", 0, NULL);
  size_t i, used = 0;
  json_t *r;
  out[0] = '\0';
  json_array_foreach(risks, i, r)
    if (used < len) used += (size_t)snprintf(out + used, len - used, "%s%s", i ? "、" : "", policy_name(req, "risk_types", r));
  json_decref(risks);
}

/* The text of one cell of the layout from the store's row. */
static const char *cell_text(const struct export_ctx *x, const json_t *row, const char *key, char *buf, size_t len)
{
  const char *ds = x->layout->code;
  bool a_case = !strcmp(ds, "leads") || !strcmp(ds, "cases");
  static const char *const ITEMS[] = {"food_clothing", "schooling", "medical", "housing", "water", "monitored", NULL};
  for (int k = 0; ITEMS[k]; k++) if (!strcmp(key, ITEMS[k])) return yes_no(json_object_get(row, key));
  if (!strcmp(key, "able_bodied") && !strcmp(ds, "members")) return yes_no(json_object_get(row, key));
  if (!strcmp(key, "status_name")) return "在册";
  if (!strcmp(key, "category_name"))
    return a_case ? policy_name(x->req, "monitoring_categories", json_object_get(row, "category"))
                  : household_category_name_zh(json_string_value(json_object_get(row, "category")));
  if (!strcmp(key, "source_name")) return policy_name(x->req, "case_sources", json_object_get(row, "source"));
  if (!strcmp(key, "risk_names")) { risk_names(x->req, json_object_get(row, "risks"), buf, len); return buf; }
  if (!strcmp(key, "state_name")) {
    enum case_state s;
    return case_state_parse(json_string_value(json_object_get(row, "state")), &s) == 0 ? case_state_name_zh(s) : "";
  }
  const json_t *v = json_object_get(row, key);
  if (json_is_string(v)) return json_string_value(v);
  if (json_is_integer(v)) { snprintf(buf, len, "%lld", (long long)json_integer_value(v)); return buf; }
  if (json_is_real(v)) { char n[32]; number_text(json_real_value(v), n); snprintf(buf, len, "%s", n); return buf; }
  return "";
}

static int export_row(void *ctx, json_t *row)
{
  struct export_ctx *x = ctx;
  const char *cells[EXCHANGE_MAX_COLUMNS];
  char bufs[EXCHANGE_MAX_COLUMNS][512];
  for (int c = 0; c < x->layout->ncolumns; c++)
    cells[c] = cell_text(x, row, x->layout->columns[c].key, bufs[c], sizeof bufs[c]);
  x->rows++;
  return table_out_row(x->out, cells, x->layout->ncolumns, 0) == 0 ? DB_OK : DB_ERROR;
}

/* ?region=: a region in scope, or the whole scope. */
static int export_region(struct request *req, struct reply *rep, const char **region)
{
  if (query_text(req, rep, "region", 12, region) != 0) return -1;
  if (!*region || !**region) { *region = NULL; return 0; }
  char level[16], path[96];
  int rc = exchange_region(req->db, *region, level, path);
  if (rc == DB_ERROR) return reply_internal(rep);
  if (rc != DB_OK || !scope_covers_path(&req->scope, path))
    return reply_not_found(req, rep, "区划不存在或不在管辖范围内", "region");
  return 0;
}

/* An audit-only write (http/write_tx); -1 with the 500 written when it could not be committed. */
static int audit_export(struct request *req, struct reply *rep, const struct exchange_layout *l, const char *region,
                        size_t rows, enum table_format f)
{
  json_t *detail = json_pack("{s:s, s:s, s:I, s:s}", "dataset", l->code, "region", region ? region : "",
                             "rows", (json_int_t)rows, "format", f == TABLE_CSV ? "csv" : "xlsx");
  if (!detail) return reply_internal(rep);
  struct write_tx w = {.action = "exchange.export", .entity = "exchange", .entity_id = l->code, .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  return rc;
}

int api_exchange_export(struct request *req, struct reply *rep)
{
  const struct exchange_layout *l = dataset_of(req, rep);
  enum table_format f;
  const char *region;
  if (!l || format_of(req, rep, &f) != 0 || export_region(req, rep, &region) != 0) return -1;
  struct export_ctx x = {req, l, NULL, 0};
  if (table_out_open(f, l->name_zh, &x.out) != 0) return reply_internal(rep);
  int rc = header_row(x.out, l) == 0 ? exchange_walk(req->db, &req->scope, l->code, region, export_row, &x) : DB_ERROR;
  int fd;
  size_t len = 0;
  if (rc != DB_OK) { table_out_free(x.out); return reply_internal(rep); }
  if (table_out_close(x.out, &fd, &len) != 0) return reply_internal(rep);
  /* personal data leaving the system: who, which dataset, how many rows; no file without its audit row */
  if (audit_export(req, rep, l, region, x.rows, f) != 0) { close(fd); return -1; }
  char name[120];
  snprintf(name, sizeof name, "数据交换-%s%s%s", l->name_zh, region ? "-" : "", region ? region : "");
  reply_table(rep, f, fd, len, name);
  return 0;
}

/* ---- import (成员 layout) ---- */

static const char *const VILLAGE_NAMES[1][3] = {{"村代码", "村级区划代码", "行政区划代码"}};

struct import_state {
  struct request *req;
  json_t *rows, *errors;
  int n, village_col;
  struct hs_header h;
  struct hs_row *parsed;
  bool *skip, *village_ok;
};

static const char *row_cell(const json_t *row, int col)
{
  const char *s = col >= 0 ? json_string_value(json_array_get(row, (size_t)col)) : NULL;
  return s ? s : "";
}

/* The row's 村代码: a village, in the importer's scope. */
static int check_village(struct import_state *s, int i, char code[16])
{
  sheet_trim(row_cell(json_array_get(s->rows, (size_t)i), s->village_col), code, 16);
  char level[16], path[96], msg[160];
  int rc = *code ? exchange_region(s->req->db, code, level, path) : DB_NOT_FOUND;
  if (rc == DB_ERROR) return -1;
  const char *err = NULL, *what = NULL;
  if (!*code) { err = "field_required"; what = "“村代码”不能为空"; }
  else if (rc == DB_NOT_FOUND) { err = "village_unknown"; what = "没有这个村代码"; }
  else if (strcmp(level, "village") != 0) { err = "field_invalid"; what = "应为村级（12 位）区划代码"; }
  else if (!scope_covers_path(&s->req->scope, path)) { err = "out_of_scope"; what = "该村不在您的管辖范围内，不能导入"; }
  if (!err) return 1;
  snprintf(msg, sizeof msg, "%s%s%s", *code ? code : "", *code ? "：" : "", what);
  sheet_add_error(s->errors, i + 1, s->village_col, "village_code", err, msg);
  return 0;
}

/* The masked forms the export writes: a masked ID names an existing member; a masked phone and a
 * masked health note mean "as it is". Returns 1 when a masked ID could not be matched. */
static int unmask(struct import_state *s, json_t *row, int i, const char *village)
{
  const int *ix = s->h.index;
  const char *phone = row_cell(row, ix[HS_PHONE]), *health = row_cell(row, ix[HS_HEALTH]);
  if (ix[HS_PHONE] >= 0 && strchr(phone, '*')) json_array_set_new(row, (size_t)ix[HS_PHONE], json_string(""));
  if (ix[HS_HEALTH] >= 0 && strcmp(health, HEALTH_MASKED) == 0) json_array_set_new(row, (size_t)ix[HS_HEALTH], json_string(""));
  const char *id = row_cell(row, ix[HS_ID]);
  if (ix[HS_ID] < 0 || !strchr(id, '*')) return 0;
  char full[IDCARD_SIZE], no[64], name[64], masked[32];
  sheet_trim(row_cell(row, ix[HS_NO]), no, sizeof no);
  sheet_trim(row_cell(row, ix[HS_MEMBER]), name, sizeof name);
  sheet_trim(id, masked, sizeof masked);
  if (!village) return 1;  /* the row's 村代码 is already reported; a masked number cannot be read without it */
  if (exchange_member_id(s->req->db, s->req->app->vault, village, no, name, masked, full) == DB_OK) {
    json_array_set_new(row, (size_t)ix[HS_ID], json_string(full));
    sodium_memzero(full, sizeof full);
    return 0;
  }
  sheet_add_error(s->errors, i + 1, ix[HS_ID], "id_number", "masked_unknown",
                  "脱敏的身份证号只能用于本户已登记的同名成员；新成员请填写完整的 18 位身份证号");
  return 1;
}

/* Checks one data row; the household sheet's own errors for a masked ID that named nobody are
 * dropped (the row already says why). */
static int check_row(struct import_state *s, int i, char village[16])
{
  json_t *row = json_array_get(s->rows, (size_t)i);
  s->skip[i] = json_array_size(row) == 0;
  if (s->skip[i]) return 0;
  int ok = check_village(s, i, village);
  if (ok < 0) return -1;
  s->village_ok[i] = ok == 1;
  int masked_bad = unmask(s, row, i, ok == 1 ? village : NULL);
  json_t *mine = json_array();
  household_sheet_row(&s->h, row, i + 1, s->req->today, &s->parsed[i], mine);
  size_t k;
  json_t *e;
  json_array_foreach(mine, k, e)
    if (!masked_bad || strcmp(json_string_value(json_object_get(e, "field")), "id_number") != 0)
      json_array_append(s->errors, e);
  json_decref(mine);
  return 0;
}

/* An ID number on two rows of different villages (within a village the household sheet says it). */
static void check_cross_village(struct import_state *s, char (*villages)[16])
{
  for (int i = 1; i < s->n; i++) {
    if (s->skip[i] || !s->parsed[i].id_number[0]) continue;
    for (int k = 1; k < i; k++) {
      if (s->skip[k] || strcmp(s->parsed[k].id_number, s->parsed[i].id_number) != 0 ||
          strcmp(villages[k], villages[i]) == 0)
        continue;
      char msg[96];
      snprintf(msg, sizeof msg, "身份证号与第 %d 行重复", k + 1);
      sheet_add_error(s->errors, i + 1, s->h.index[HS_ID], "id_number", "duplicate_in_file", msg);
      break;
    }
  }
}

struct village_groups { char code[16]; struct hs_household *groups; int ngroups; };

/* Groups the rows of each village (the household sheet's checks, village by village). */
static int group_villages(struct import_state *s, char (*villages)[16], struct village_groups *vg, int *nvg)
{
  bool *mask = calloc((size_t)s->n + 1, sizeof *mask);
  if (!mask) return -1;
  *nvg = 0;
  for (int i = 1; i < s->n; i++) {
    if (s->skip[i] || !s->village_ok[i]) continue;
    int v = 0;
    while (v < *nvg && strcmp(vg[v].code, villages[i]) != 0) v++;
    if (v < *nvg) continue;
    snprintf(vg[v].code, sizeof vg[v].code, "%s", villages[i]);
    for (int k = 0; k < s->n; k++) mask[k] = k == 0 || s->skip[k] || strcmp(villages[k], villages[i]) != 0;
    (*nvg)++;
    if (household_sheet_group(&s->h, s->parsed, mask, s->n, &vg[v].groups, &vg[v].ngroups, s->errors) < 0) {
      free(mask);
      return -1;
    }
  }
  free(mask);
  return 0;
}

/* Each error's column header, as the file has it. */
static void add_headers(json_t *errors, const json_t *head)
{
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) {
    const char *letter = json_string_value(json_object_get(e, "column"));
    int col = -1;
    if (letter && letter[0]) col = letter[1] ? (letter[0] - 'A' + 1) * 26 + letter[1] - 'A' : letter[0] - 'A';
    json_object_set_new(e, "header", json_string(row_cell(head, col)));
  }
}

static int header_check(struct import_state *s)
{
  const json_t *head = json_array_get(s->rows, 0);
  if (s->n == 0) {
    sheet_add_error(s->errors, 1, -1, "", "empty", "文件是空的");
    return -1;
  }
  sheet_match_header(head, VILLAGE_NAMES, 1, &s->village_col);
  if (s->village_col < 0) sheet_add_error(s->errors, 1, -1, "village_code", "column_missing", "表头缺少“村代码”列");
  household_sheet_header(head, &s->h, s->errors);
  return json_array_size(s->errors) ? -1 : 0;
}

/* Every village's households of the sheet, and the audit row with the sums of what was done. */
struct members_import {
  struct village_groups *vg;
  int nvg;
  const struct hs_row *parsed;
  struct import_stats *sum;
};

static int store_members(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct members_import *m = ctx;
  struct import_stats *sum = m->sum;
  int w = DB_OK;
  for (int v = 0; w == DB_OK && v < m->nvg; v++) {
    struct import_stats st;
    w = households_import(req->db, req->app->vault, m->vg[v].code, m->parsed, m->vg[v].groups, m->vg[v].ngroups,
                          req->user.id, req->now, &st);
    sum->added += st.added;
    sum->updated += st.updated;
    sum->unchanged += st.unchanged;
    sum->members_removed += st.members_removed;
  }
  if (w != DB_OK) return w;
  json_t *detail = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "dataset", "members", "villages", m->nvg, "added",
                             sum->added, "updated", sum->updated, "unchanged", sum->unchanged, "members_removed",
                             sum->members_removed);
  w = handler_audit(req, "exchange.import", "exchange", "members", detail);
  json_decref(detail);
  return w;
}

static int import_write(struct request *req, struct reply *rep, struct village_groups *vg, int nvg,
                        const struct hs_row *parsed, struct import_stats *sum)
{
  struct members_import m = {vg, nvg, parsed, sum};
  struct write_tx w = {.store = store_members, .ctx = &m}; /* the audit row is the store call's: it names the sums */
  return write_tx_run(req, rep, &w);
}

static int import_members(struct request *req, struct reply *rep, struct import_state *s)
{
  char (*villages)[16] = calloc((size_t)s->n + 1, sizeof *villages);
  struct village_groups *vg = calloc((size_t)s->n + 1, sizeof *vg);
  int nvg = 0, rc = villages && vg ? 0 : reply_internal(rep);
  for (int i = 1; rc == 0 && i < s->n; i++)
    if (check_row(s, i, villages[i]) != 0) rc = reply_internal(rep);
  if (rc == 0) check_cross_village(s, villages);
  if (rc == 0 && group_villages(s, villages, vg, &nvg) != 0) rc = reply_internal(rep);
  struct import_stats sum = {0};
  if (rc == 0 && json_array_size(s->errors) == 0) rc = import_write(req, rep, vg, nvg, s->parsed, &sum);
  if (rc == 0 && json_array_size(s->errors) == 0) {
    int households = 0;
    for (int v = 0; v < nvg; v++) households += vg[v].ngroups;
    reply_json(rep, 200, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "dataset", "members", "villages", nvg,
                                   "households", households, "added", sum.added, "updated", sum.updated, "unchanged",
                                   sum.unchanged, "members_removed", sum.members_removed));
  }
  for (int v = 0; vg && v < nvg; v++) household_sheet_free(vg[v].groups, vg[v].ngroups);
  free(vg);
  free(villages);
  return rc;
}

int api_exchange_import(struct request *req, struct reply *rep)
{
  const struct exchange_layout *l = dataset_of(req, rep);
  if (!l) return -1;
  if (!l->importable)
    return reply_error(rep, 400, "not_importable",
                       "只有“成员”数据集可以导入（户级信息随成员各行一并导入）；风险线索和监测帮扶案件须按程序逐户办理，不能批量导入",
                       "dataset");
  struct import_state s = {req, json_array(), json_array(), 0, -1, {{0}}, NULL, NULL, NULL};
  int rc = handler_import_rows(req, rep, s.rows);
  s.n = (int)json_array_size(s.rows);
  if (rc == 0) {
    s.parsed = calloc((size_t)s.n + 1, sizeof *s.parsed);
    s.skip = calloc((size_t)s.n + 1, sizeof *s.skip);
    s.village_ok = calloc((size_t)s.n + 1, sizeof *s.village_ok);
    if (!s.parsed || !s.skip || !s.village_ok) rc = reply_internal(rep);
  }
  if (rc == 0 && header_check(&s) == 0) rc = import_members(req, rep, &s);
  if (rc == 0 && json_array_size(s.errors)) {
    add_headers(s.errors, json_array_get(s.rows, 0));
    char msg[160];
    snprintf(msg, sizeof msg, "共发现 %zu 处错误，未导入任何数据；请按行列修改后重新导入", json_array_size(s.errors));
    rc = reply_error(rep, 422, "import_invalid", msg, NULL);
    json_object_set(json_object_get(rep->json, "error"), "errors", s.errors);
  }
  free(s.parsed);
  free(s.skip);
  free(s.village_ok);
  json_decref(s.rows);
  json_decref(s.errors);
  return rc;
}
