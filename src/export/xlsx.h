/* xlsx — every table exports to Excel (officials live in Excel). Turns JSON objects and a column
 * list into an .xlsx workbook, row after row: libxlsxwriter's constant-memory mode writes each
 * row out as the next one starts, so a province's list never sits in memory as a sheet, nor the finished
 * file (it is written to a spool file and served from its descriptor); a list
 * streamed from the store (http/handlers, store/list's sink) never sits there as JSON either. */
#ifndef ZHUCUN_XLSX_H
#define ZHUCUN_XLSX_H

#include <jansson.h>
#include <stddef.h>

struct xlsx_stream;

/* columns: count pairs {json key, 中文 column title}, kept by reference until the stream is closed;
 * writes the bold header row. 0, or -1 (no memory, no file). */
int xlsx_stream_open(const char *const columns[][2], size_t count, const char *sheet_name, struct xlsx_stream **out);
/* The next row: each column's value of item (strings, numbers, 是/否 for booleans, blank otherwise). */
int xlsx_stream_row(struct xlsx_stream *x, const json_t *item);
/* Finishes the workbook: *fd the spool file (export/spool) holding it, owned by the caller (closed, or
 * handed to the web server), *len its size; frees x in every case. */
int xlsx_stream_close(struct xlsx_stream *x, int *fd, size_t *len);
/* Frees x without a file (on an error half-way). */
void xlsx_stream_free(struct xlsx_stream *x);

/* The whole array at once, through the stream; *fd and *len as xlsx_stream_close. */
int xlsx_from_items(const json_t *items, const char *const columns[][2], size_t count, const char *sheet_name,
                    int *fd, size_t *len);

#endif
