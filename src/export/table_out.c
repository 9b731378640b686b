/* table_out — see the header. Both formats write into a spool file (export/spool): the CSV through
 * a stdio stream on a duplicate of its descriptor (so that closing the stream flushes it and keeps the
 * file), the workbook by its /proc/self/fd path; constant_memory makes libxlsxwriter flush each row to
 * its own unlinked temporary file instead of keeping every cell. */
#include "export/table_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "export/spool.h"

struct table_out {
  enum table_format format;
  int fd;      /* the spool file */
  FILE *csv;   /* CSV: a stream on a duplicate of fd */
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *bold;
  lxw_row_t row;
};

static int open_csv(struct table_out *t)
{
  int dup_fd = dup(t->fd);
  t->csv = dup_fd >= 0 ? fdopen(dup_fd, "w") : NULL;
  if (!t->csv) {
    if (dup_fd >= 0) close(dup_fd);
    return -1;
  }
  return fputs("\xEF\xBB\xBF", t->csv) >= 0 ? 0 : -1;
}

static int open_xlsx(struct table_out *t, const char *sheet_name)
{
  char path[40];
  spool_path(t->fd, path);
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
  t->wb = workbook_new_opt(path, &opt);
  t->ws = t->wb ? workbook_add_worksheet(t->wb, sheet_name) : NULL;
  t->bold = t->ws ? workbook_add_format(t->wb) : NULL;
  if (!t->bold) return -1;
  format_set_bold(t->bold);
  return 0;
}

int table_out_open(enum table_format format, const char *sheet_name, struct table_out **out)
{
  struct table_out *t = calloc(1, sizeof *t);
  if (!t) return -1;
  t->format = format;
  t->fd = spool_create();
  int rc = t->fd < 0 ? -1 : format == TABLE_CSV ? open_csv(t) : open_xlsx(t, sheet_name);
  if (rc != 0) { table_out_free(t); return -1; }
  *out = t;
  return 0;
}

static int csv_cell(FILE *f, const char *s)
{
  if (!strpbrk(s, ",\"\r\n")) return fputs(s, f) >= 0 ? 0 : -1;
  int rc = putc('"', f) == EOF;
  for (const char *p = s; *p && !rc; p++) rc = (*p == '"' && putc('"', f) == EOF) || putc(*p, f) == EOF;
  rc |= putc('"', f) == EOF;
  return rc ? -1 : 0;
}

int table_out_row(struct table_out *t, const char *const *cells, int n, int bold)
{
  int rc = 0;
  for (int c = 0; c < n && rc == 0; c++) {
    const char *s = cells[c] ? cells[c] : "";
    if (t->format == TABLE_CSV) rc = (c && putc(',', t->csv) == EOF) ? -1 : csv_cell(t->csv, s);
    else if (*s || bold)
      rc = worksheet_write_string(t->ws, t->row, (lxw_col_t)c, s, bold ? t->bold : NULL) == LXW_NO_ERROR ? 0 : -1;
    if (bold && t->format == TABLE_XLSX) worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
  }
  if (t->format == TABLE_CSV && rc == 0) rc = fputs("\r\n", t->csv) >= 0 ? 0 : -1;
  t->row++;
  return rc;
}

int table_out_close(struct table_out *t, int *fd, size_t *len)
{
  int rc;
  *fd = -1;
  if (t->format == TABLE_CSV) {
    rc = fclose(t->csv) == 0 ? 0 : -1; /* the last buffer written: a full disk is seen here */
    t->csv = NULL;
  } else {
    rc = workbook_close(t->wb) == LXW_NO_ERROR ? 0 : -1;
    t->wb = NULL;
  }
  if (rc == 0 && spool_size(t->fd, len) == 0) {
    *fd = t->fd;
    t->fd = -1;
  } else {
    rc = -1;
  }
  table_out_free(t);
  return rc;
}

void table_out_free(struct table_out *t)
{
  if (!t) return;
  if (t->csv) fclose(t->csv);
  if (t->wb) workbook_close(t->wb);
  if (t->fd >= 0) close(t->fd);
  free(t);
}
