/* table_out — one table written row after row to .xlsx or .csv (UTF-8 with a BOM, so that Excel
 * opens the Chinese as Chinese; RFC 4180 quoting, CRLF), for the bulk exchange. The .xlsx is written
 * by libxlsxwriter in its constant-memory mode: each row goes to the worksheet's temporary file as it
 * comes, so memory holds one row, not the sheet; the finished file is then returned as one buffer.
 * Every cell is written as text, so that a 户编号 like 0012 or a date keeps its form. */
#ifndef ZHUCUN_TABLE_OUT_H
#define ZHUCUN_TABLE_OUT_H

#include <stddef.h>

enum table_format { TABLE_CSV, TABLE_XLSX };
struct table_out;

int table_out_open(enum table_format format, const char *sheet_name, struct table_out **out);
/* Appends one row of n cells (NULL cells are blank); bold: the header row. */
int table_out_row(struct table_out *t, const char *const *cells, int n, int bold);
/* Finishes the file: *data malloc'd (owned by the caller); frees t in every case. */
int table_out_close(struct table_out *t, char **data, size_t *len);
/* Frees t without a file (on an error half-way). */
void table_out_free(struct table_out *t);

#endif
