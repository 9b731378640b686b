/* csv — an RFC 4180 reader over a buffer in memory, for spreadsheet imports (花名册, 台账). */
#ifndef ZHUCUN_CSV_H
#define ZHUCUN_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_DEFAULT_MAX_FIELDS 256
#define CSV_DEFAULT_MAX_FIELD_LEN 4096 /* bytes, after unquoting */

struct csv_limits {
  size_t max_fields;    /* per row, >= 1 */
  size_t max_field_len; /* bytes per field after unquoting, >= 1 */
};

enum csv_result {
  CSV_OK = 0,                  /* a row was produced */
  CSV_END = 1,                 /* no more rows */
  CSV_UNTERMINATED_QUOTE = -1, /* a quoted field runs to the end of the input */
  CSV_STRAY_QUOTE = -2,        /* a '"' inside an unquoted field */
  CSV_TEXT_AFTER_QUOTE = -3,   /* something other than , or a line end after a closing '"' */
  CSV_TOO_MANY_FIELDS = -4,
  CSV_FIELD_TOO_LONG = -5,
  CSV_NOMEM = -6,
  CSV_INVALID = -7, /* bad arguments or limits */
};

struct csv_reader;

/* One record. fields[i] points at lengths[i] bytes followed by a NUL (a field may itself hold
 * NUL bytes; lengths are authoritative). Everything points into the reader and is valid
 * until the next csv_next_row() or csv_reader_free(). */
struct csv_row {
  size_t count;               /* >= 1: an empty line is one empty field */
  const char *const *fields;
  const size_t *lengths;
  size_t number;              /* 1-based record number (the spreadsheet row) */
  size_t line;                /* 1-based physical line where the record starts */
};

/* Where an error was found: record number, 1-based field index within it (the spreadsheet
 * column), and the physical line where that field starts. */
struct csv_position {
  size_t row;
  size_t column;
  size_t line;
};

/* A reader over data[0..len), which must outlive it (it is not copied). A leading UTF-8 BOM
 * is skipped. limits NULL means the defaults. All memory the reader will ever need is
 * allocated here, so csv_next_row() never fails for want of memory. */
int csv_reader_new(const char *data, size_t len, const struct csv_limits *limits,
                   struct csv_reader **out);
void csv_reader_free(struct csv_reader *r);

/* CSV_OK with *row filled, CSV_END, or an error. Errors are final: every later call returns
 * the same error, and csv_reader_error_position() says where it was. */
int csv_next_row(struct csv_reader *r, struct csv_row *row);
struct csv_position csv_reader_error_position(const struct csv_reader *r);

/* True for a row that is a single empty field (a blank line), which importers usually skip. */
bool csv_row_is_blank(const struct csv_row *row);

const char *csv_result_message_zh(enum csv_result r);
const char *csv_result_code(enum csv_result r); /* "csv_stray_quote", ... */

#endif
