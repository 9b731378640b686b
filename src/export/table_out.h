/* table_out — one table written row after row to .xlsx or .csv (UTF-8 with a BOM, so that Excel
 * opens the Chinese as Chinese; RFC 4180 quoting, CRLF), for the bulk exchange. Neither format is
 * ever whole in memory (issue 15: a province's households are a few hundred megabytes of CSV): the
 * CSV goes through a stdio buffer into a spool file (export/spool), the .xlsx is written by
 * libxlsxwriter in its constant-memory mode (each row to the worksheet's temporary file as it comes)
 * and zipped into a spool file; the finished file is handed over as that file's descriptor, which the
 * web server sends from. Every cell is written as text, so that a 户编号 like 0012 or a date keeps its
 * form. */
#ifndef ZHUCUN_TABLE_OUT_H
#define ZHUCUN_TABLE_OUT_H

#include <stddef.h>

enum table_format { TABLE_CSV, TABLE_XLSX };
struct table_out;

int table_out_open(enum table_format format, const char *sheet_name, struct table_out **out);
/* Appends one row of n cells (NULL cells are blank); bold: the header row. */
int table_out_row(struct table_out *t, const char *const *cells, int n, int bold);
/* Finishes the file: *fd the spool file holding it (owned by the caller, who closes it or hands it
 * to the web server), *len its size; frees t in every case. */
int table_out_close(struct table_out *t, int *fd, size_t *len);
/* Frees t without a file (on an error half-way). */
void table_out_free(struct table_out *t);

#endif
