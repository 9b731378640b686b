/* table_out — see the header. The workbook goes to an anonymous in-memory file (memfd), as in
 * export/xlsx.c; constant_memory makes libxlsxwriter flush each row to its own unlinked temporary
 * file instead of keeping every cell. */
#include "export/table_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/strbuf.h"

struct table_out {
  enum table_format format;
  struct strbuf csv;
  int fd;
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *bold;
  lxw_row_t row;
};

int table_out_open(enum table_format format, const char *sheet_name, struct table_out **out)
{
  struct table_out *t = calloc(1, sizeof *t);
  if (!t) return -1;
  t->format = format;
  t->fd = -1;
  if (format == TABLE_CSV) {
    strbuf_init(&t->csv, (size_t)256 << 20);
    *out = t;
    return strbuf_appendf(&t->csv, "\xEF\xBB\xBF") == 0 ? 0 : (table_out_free(t), -1);
  }
  t->fd = memfd_create("zhucun-exchange", MFD_CLOEXEC);
  char path[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", t->fd);
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
  t->wb = t->fd >= 0 ? workbook_new_opt(path, &opt) : NULL;
  t->ws = t->wb ? workbook_add_worksheet(t->wb, sheet_name) : NULL;
  if (!t->ws) { table_out_free(t); return -1; }
  t->bold = workbook_add_format(t->wb);
  format_set_bold(t->bold);
  *out = t;
  return 0;
}

static int csv_cell(struct strbuf *b, const char *s)
{
  if (!strpbrk(s, ",\"\r\n")) return strbuf_appendf(b, "%s", s);
  int rc = strbuf_appendf(b, "\"");
  for (const char *p = s; *p && rc == 0; p++) rc = *p == '"' ? strbuf_appendf(b, "\"\"") : strbuf_appendf(b, "%c", *p);
  return rc | strbuf_appendf(b, "\"");
}

int table_out_row(struct table_out *t, const char *const *cells, int n, int bold)
{
  int rc = 0;
  for (int c = 0; c < n && rc == 0; c++) {
    const char *s = cells[c] ? cells[c] : "";
    if (t->format == TABLE_CSV) rc = (c ? strbuf_appendf(&t->csv, ",") : 0) | csv_cell(&t->csv, s);
    else if (*s || bold)
      rc = worksheet_write_string(t->ws, t->row, (lxw_col_t)c, s, bold ? t->bold : NULL) == LXW_NO_ERROR ? 0 : -1;
    if (bold && t->format == TABLE_XLSX) worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
  }
  if (t->format == TABLE_CSV) rc |= strbuf_appendf(&t->csv, "\r\n");
  t->row++;
  return rc;
}

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

int table_out_close(struct table_out *t, char **data, size_t *len)
{
  int rc = -1;
  *data = NULL;
  if (t->format == TABLE_CSV) {
    *len = strbuf_len(&t->csv);
    *data = malloc(*len + 1);
    if (*data) { memcpy(*data, strbuf_cstr(&t->csv), *len); rc = 0; }
  } else {
    lxw_error e = workbook_close(t->wb);
    t->wb = NULL;
    rc = e == LXW_NO_ERROR ? read_all(t->fd, data, len) : -1;
  }
  table_out_free(t);
  return rc;
}

void table_out_free(struct table_out *t)
{
  if (!t) return;
  if (t->format == TABLE_CSV) strbuf_free(&t->csv);
  if (t->wb) workbook_close(t->wb);
  if (t->fd >= 0) close(t->fd);
  free(t);
}
