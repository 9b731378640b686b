/* xlsx_read — a reader for the first worksheet of an .xlsx workbook held in memory, for
 * roster imports (花名册) that officials upload from Excel or WPS. Rows come out in the same
 * shape as util/csv, so an importer can treat CSV and XLSX alike.
 *
 * Self-contained apart from zlib: its own ZIP directory reader (stored and deflate entries,
 * no ZIP64, no encryption) and its own small XML scanner. Every offset is checked against
 * the input, every decompressed byte is counted against max_uncompressed before it is
 * produced, and CRC-32 is verified, so a hostile or damaged upload gives an error, never a
 * crash or an unbounded allocation. */
#ifndef ZHUCUN_XLSX_READ_H
#define ZHUCUN_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>

#define XLSX_DEFAULT_MAX_ROWS 100000
#define XLSX_DEFAULT_MAX_COLS 256
#define XLSX_DEFAULT_MAX_CELL_LEN 4096                      /* bytes of UTF-8 */
#define XLSX_DEFAULT_MAX_UNCOMPRESSED (64u * 1024u * 1024u) /* bytes, all parts read */

/* Exceeding a limit is an error, never a silent truncation. A field left 0 takes its default. */
struct xlsx_limits {
  size_t max_rows;         /* highest spreadsheet row number accepted */
  size_t max_cols;         /* a non-empty cell in column max_cols+1 or beyond is an error */
  size_t max_cell_len;     /* bytes per cell text after decoding */
  size_t max_uncompressed; /* total bytes decompressed from the ZIP (workbook, rels, sheet,
                              shared strings); an entry declaring more is refused unread */
};

enum xlsx_result {
  XLSX_OK = 0,                   /* a row was produced */
  XLSX_END = 1,                  /* no more rows */
  XLSX_NOT_ZIP = -1,             /* not a ZIP archive at all */
  XLSX_LEGACY_FORMAT = -2,       /* an OLE file: old .xls, or a password-protected workbook */
  XLSX_BAD_ZIP = -3,             /* the ZIP structure is malformed or truncated */
  XLSX_ZIP64 = -4,               /* ZIP64 archives are not supported */
  XLSX_ENCRYPTED = -5,           /* an encrypted ZIP entry */
  XLSX_BAD_COMPRESSION = -6,     /* a method other than stored/deflate */
  XLSX_TOO_BIG = -7,             /* decompressed size over max_uncompressed */
  XLSX_CORRUPT_DATA = -8,        /* deflate stream broken, or size differs from the declared */
  XLSX_CRC_MISMATCH = -9,
  XLSX_MISSING_PART = -10,       /* no workbook, or no worksheet to read */
  XLSX_BAD_XML = -11,            /* malformed XML in a part */
  XLSX_BAD_CELL = -12,           /* bad cell/row reference, order, type, number or string index */
  XLSX_TOO_MANY_ROWS = -13,
  XLSX_TOO_MANY_COLS = -14,
  XLSX_CELL_TOO_LONG = -15,
  XLSX_NOMEM = -16,
  XLSX_INVALID = -17,            /* bad arguments */
};

struct xlsx_reader;

/* One spreadsheet row. fields[i] is the text of column i (A = 0), NUL-terminated, of
 * lengths[i] bytes (cells never contain NUL, so lengths[i] == strlen(fields[i])); a missing
 * or empty cell is "". count is the last non-empty column + 1, so a blank row has count 0
 * (fields is still a valid pointer). Rows are numbered as in the spreadsheet: rows absent
 * from the file between two present ones come back as blank rows. Everything points into
 * the reader and is valid until the next xlsx_read_next_row() or xlsx_read_free().
 *
 * Cell text: strings (shared, inline, formula results) as typed, with entities and Excel's
 * _xHHHH_ escapes decoded, rich-text runs concatenated and phonetic runs (rPh) dropped;
 * numbers as written in the file, normalised: integers below 1e15 in plain digits without
 * ".0", anything else to 15 significant digits in printf %G style ("3.60702197506151E+17" —
 * an ID number that Excel stored as a number stays visibly broken, it is not "repaired");
 * dates are numbers (serials, see xlsx_read_serial_to_date); booleans "TRUE"/"FALSE"; error
 * cells as written ("#N/A"). */
struct xlsx_row {
  size_t count;
  const char *const *fields;
  const size_t *lengths;
  size_t number; /* 1-based spreadsheet row */
};

/* Where a row error was found: spreadsheet row and 1-based column (0 if not known). */
struct xlsx_position {
  size_t row;
  size_t column;
};

/* Opens data[0..len), which is only read during this call: the reader keeps its own
 * decompressed copies, so the upload may be freed right after. Reads the ZIP directory,
 * the workbook, its relationships, the shared strings and the first worksheet in workbook
 * order (falling back to xl/worksheets/sheet1.xml if the workbook has no relationships
 * part). limits NULL means the defaults. On error *out is NULL and err (if errlen > 0)
 * holds a one-line technical detail in English, for logs. */
int xlsx_read_open(const unsigned char *data, size_t len, const struct xlsx_limits *limits,
                   struct xlsx_reader **out, char *err, size_t errlen);

/* XLSX_OK with *row filled, XLSX_END, or an error < 0. Errors are final: every later call
 * returns the same one; xlsx_read_error_position() and xlsx_read_error_detail() say where
 * and what. */
int xlsx_read_next_row(struct xlsx_reader *r, struct xlsx_row *row);
struct xlsx_position xlsx_read_error_position(const struct xlsx_reader *r);
const char *xlsx_read_error_detail(const struct xlsx_reader *r); /* "" if none */
void xlsx_read_free(struct xlsx_reader *r);

/* True for a row with no non-empty cell (count == 0), which importers usually skip. */
bool xlsx_row_is_blank(const struct xlsx_row *row);

/* Excel 1900 date system serial -> yyyymmdd (e.g. 45658 -> 20250101); any time-of-day
 * fraction is dropped. Keeps Lotus 1-2-3's leap-year bug: serial 60 is the non-existent
 * 1900-02-29, for which -1 is returned, and 61 is 1900-03-01. -1 also for serials below 1,
 * from year 10000 on, and NaN. */
int xlsx_read_serial_to_date(double serial);

const char *xlsx_read_result_code(int rc);       /* "xlsx_bad_zip", ... */
const char *xlsx_read_result_message_zh(int rc); /* a sentence for the uploader */

#endif
