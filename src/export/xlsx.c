/* xlsx — libxlsxwriter writes to a named file, so the workbook goes to a spool file (export/spool:
 * unlinked, on disk) named through /proc/self/fd, and the caller gets its descriptor to serve: nothing
 * is left behind if the process dies, and the finished file is never read into memory. constant_memory
 * keeps one row of cells in memory (the rows written go to libxlsxwriter's unlinked temporary file
 * until the sheet is zipped). Numbers stay numbers,
 * booleans become 是/否, so the sheet sums and filters as the official expects. */
#include "export/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "export/spool.h"

static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const json_t *v)
{
  if (json_is_string(v)) worksheet_write_string(ws, row, col, json_string_value(v), NULL);
  else if (json_is_integer(v)) worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
  else if (json_is_real(v)) worksheet_write_number(ws, row, col, json_real_value(v), NULL);
  else if (json_is_boolean(v)) worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", NULL);
}

struct xlsx_stream {
  int fd;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  const char *const (*columns)[2];
  size_t count;
  lxw_row_t row;
};

void xlsx_stream_free(struct xlsx_stream *x)
{
  if (!x) return;
  if (x->wb) workbook_close(x->wb);
  if (x->fd >= 0) close(x->fd);
  free(x);
}

int xlsx_stream_open(const char *const columns[][2], size_t count, const char *sheet_name, struct xlsx_stream **out)
{
  struct xlsx_stream *x = calloc(1, sizeof *x);
  if (!x) return -1;
  x->columns = columns;
  x->count = count;
  x->fd = spool_create();
  char path[40];
  spool_path(x->fd, path);
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
  x->wb = x->fd >= 0 ? workbook_new_opt(path, &opt) : NULL;
  x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet_name) : NULL;
  lxw_format *bold = x->ws ? workbook_add_format(x->wb) : NULL;
  if (!bold) { xlsx_stream_free(x); return -1; }
  format_set_bold(bold);
  for (size_t c = 0; c < count; c++) {
    worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, 18, NULL);
    worksheet_write_string(x->ws, 0, (lxw_col_t)c, columns[c][1], bold);
  }
  worksheet_freeze_panes(x->ws, 1, 0);
  *out = x;
  return 0;
}

int xlsx_stream_row(struct xlsx_stream *x, const json_t *item)
{
  x->row++;
  for (size_t c = 0; c < x->count; c++) write_cell(x->ws, x->row, (lxw_col_t)c, json_object_get(item, x->columns[c][0]));
  return 0;
}

int xlsx_stream_close(struct xlsx_stream *x, int *fd, size_t *len)
{
  *fd = -1;
  lxw_error e = workbook_close(x->wb);
  x->wb = NULL;
  int rc = e == LXW_NO_ERROR ? spool_size(x->fd, len) : -1;
  if (rc == 0) {
    *fd = x->fd;
    x->fd = -1;
  }
  xlsx_stream_free(x);
  return rc;
}

int xlsx_from_items(const json_t *items, const char *const columns[][2], size_t count, const char *sheet_name,
                    int *fd, size_t *len)
{
  struct xlsx_stream *x;
  *fd = -1;
  if (xlsx_stream_open(columns, count, sheet_name, &x) != 0) return -1;
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item) xlsx_stream_row(x, item);
  return xlsx_stream_close(x, fd, len);
}
