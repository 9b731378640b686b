/* xlsx — libxlsxwriter writes to a file, so the workbook goes to a private temporary file,
 * is read back and the file removed. Numbers stay numbers, booleans become 是/否, so the
 * sheet sums and filters as the official expects. */
#include "export/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const json_t *v)
{
  if (json_is_string(v)) worksheet_write_string(ws, row, col, json_string_value(v), NULL);
  else if (json_is_integer(v)) worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
  else if (json_is_real(v)) worksheet_write_number(ws, row, col, json_real_value(v), NULL);
  else if (json_is_boolean(v)) worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", NULL);
}

static int read_all(const char *path, char **out, size_t *out_len)
{
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  *out = len > 0 ? malloc((size_t)len) : NULL;
  int rc = -1;
  if (*out && fread(*out, 1, (size_t)len, f) == (size_t)len) { *out_len = (size_t)len; rc = 0; }
  fclose(f);
  if (rc != 0) { free(*out); *out = NULL; }
  return rc;
}

int xlsx_from_items(const json_t *items, const char *const columns[][2], size_t count, const char *sheet_name,
                    char **out, size_t *out_len)
{
  *out = NULL;
  char path[] = "/tmp/zhucun-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  close(fd);
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet_name) : NULL;
  if (!ws) { if (wb) workbook_close(wb); unlink(path); return -1; }
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t c = 0; c < count; c++) {
    worksheet_write_string(ws, 0, (lxw_col_t)c, columns[c][1], bold);
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 18, NULL);
  }
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item)
    for (size_t c = 0; c < count; c++)
      write_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, json_object_get(item, columns[c][0]));
  worksheet_freeze_panes(ws, 1, 0);
  int rc = workbook_close(wb) == LXW_NO_ERROR ? read_all(path, out, out_len) : -1;
  unlink(path);
  return rc;
}
