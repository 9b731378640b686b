/* xlsx — libxlsxwriter writes to a named file, so the workbook goes to an anonymous in-memory
 * file (memfd) named through /proc/self/fd and is read back from it: nothing is left behind if the
 * process dies. constant_memory keeps one row of cells in memory (the rows written go to
 * libxlsxwriter's unlinked temporary file until the sheet is zipped). Numbers stay numbers,
 * booleans become 是/否, so the sheet sums and filters as the official expects. */
#include "export/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const json_t *v)
{
  if (json_is_string(v)) worksheet_write_string(ws, row, col, json_string_value(v), NULL);
  else if (json_is_integer(v)) worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
  else if (json_is_real(v)) worksheet_write_number(ws, row, col, json_real_value(v), NULL);
  else if (json_is_boolean(v)) worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", NULL);
}

/* The whole file behind fd; *out malloc'd, owned by the caller. */
static int read_all(int fd, char **out, size_t *out_len)
{
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) return -1;
  size_t len = (size_t)st.st_size, done = 0;
  *out = malloc(len);
  if (!*out) return -1;
  while (done < len) {
    ssize_t n = pread(fd, *out + done, len - done, (off_t)done);
    if (n <= 0) { free(*out); *out = NULL; return -1; }
    done += (size_t)n;
  }
  *out_len = len;
  return 0;
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
  x->fd = memfd_create("zhucun-export", MFD_CLOEXEC);
  char path[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", x->fd);
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

int xlsx_stream_close(struct xlsx_stream *x, char **out, size_t *out_len)
{
  *out = NULL;
  lxw_error e = workbook_close(x->wb);
  x->wb = NULL;
  int rc = e == LXW_NO_ERROR ? read_all(x->fd, out, out_len) : -1;
  xlsx_stream_free(x);
  return rc;
}

int xlsx_from_items(const json_t *items, const char *const columns[][2], size_t count, const char *sheet_name,
                    char **out, size_t *out_len)
{
  struct xlsx_stream *x;
  *out = NULL;
  if (xlsx_stream_open(columns, count, sheet_name, &x) != 0) return -1;
  size_t i;
  json_t *item;
  json_array_foreach(items, i, item) xlsx_stream_row(x, item);
  return xlsx_stream_close(x, out, out_len);
}
