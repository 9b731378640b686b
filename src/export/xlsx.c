/* xlsx — libxlsxwriter writes to a named file, so the workbook goes to an anonymous in-memory
 * file (memfd) named through /proc/self/fd and is read back from it: an export full of names
 * and places never touches the disk, and nothing is left behind if the process dies. Numbers
 * stay numbers, booleans become 是/否, so the sheet sums and filters as the official expects. */
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

int xlsx_from_items(const json_t *items, const char *const columns[][2], size_t count, const char *sheet_name,
                    char **out, size_t *out_len)
{
  *out = NULL;
  int fd = memfd_create("zhucun-export", MFD_CLOEXEC);
  if (fd < 0) return -1;
  char path[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, sheet_name) : NULL;
  if (!ws) { if (wb) workbook_close(wb); close(fd); return -1; }
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
  int rc = workbook_close(wb) == LXW_NO_ERROR ? read_all(fd, out, out_len) : -1;
  close(fd);
  return rc;
}
