/* csv — imports come from spreadsheets that village cadres fill in by hand, so the reader
 * must be strict enough to report exactly where a file is broken (record and column, the
 * numbers a person sees in Excel) and bounded enough that a hostile or corrupted upload
 * cannot make the server allocate without limit.
 *
 * Unquoting never makes text longer, and each separator that it drops pays for one field's
 * NUL, so a record decodes into at most its own raw length plus one byte. The reader
 * therefore allocates, once, min(input + 1, max_fields * (max_field_len + 1)) bytes of text
 * and max_fields field slots, and the parse loop itself never allocates: there is no
 * out-of-memory path in the middle of a file. Fields point into that text buffer, which is
 * reused for each record.
 *
 * CRLF, LF and a lone CR (old Mac exports) all end a record; inside quotes they are data. An
 * empty line is a record of one empty field, as RFC 4180 says; csv_row_is_blank() lets the
 * caller skip it. Errors are sticky because after a quoting error the rest of the file
 * cannot be trusted to split where the author meant. */
#include "util/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
  const char *data;
  size_t len;
  size_t pos;
  struct csv_limits limits;
  char *text;           /* decoded fields of the current record, NUL-separated */
  size_t text_cap;
  size_t text_used;
  const char **fields;  /* max_fields slots */
  size_t *lengths;
  size_t count;
  size_t record;        /* number of the record being read */
  size_t line;          /* current physical line */
  int state;            /* CSV_OK while reading; CSV_END or an error once finished */
  struct csv_position error;
};

static size_t text_capacity(size_t len, const struct csv_limits *lim)
{
  size_t per_row = SIZE_MAX;
  if (lim->max_field_len < SIZE_MAX && lim->max_fields <= SIZE_MAX / (lim->max_field_len + 1))
    per_row = lim->max_fields * (lim->max_field_len + 1);
  size_t whole = len < SIZE_MAX ? len + 1 : SIZE_MAX;
  return whole < per_row ? whole : per_row;
}

int csv_reader_new(const char *data, size_t len, const struct csv_limits *limits,
                   struct csv_reader **out)
{
  static const struct csv_limits defaults = {CSV_DEFAULT_MAX_FIELDS, CSV_DEFAULT_MAX_FIELD_LEN};
  if (!out) return CSV_INVALID;
  *out = NULL;
  if (!data && len > 0) return CSV_INVALID;
  const struct csv_limits *lim = limits ? limits : &defaults;
  if (lim->max_fields == 0 || lim->max_field_len == 0) return CSV_INVALID;
  if (lim->max_fields > SIZE_MAX / sizeof(char *)) return CSV_NOMEM;

  struct csv_reader *r = calloc(1, sizeof *r);
  if (!r) return CSV_NOMEM;
  r->text_cap = text_capacity(len, lim);
  r->text = malloc(r->text_cap);
  r->fields = calloc(lim->max_fields, sizeof *r->fields);
  r->lengths = calloc(lim->max_fields, sizeof *r->lengths);
  if (!r->text || !r->fields || !r->lengths) {
    csv_reader_free(r);
    return CSV_NOMEM;
  }
  r->data = data ? data : "";
  r->len = len;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
  r->limits = *lim;
  r->line = 1;
  r->state = CSV_OK;
  *out = r;
  return CSV_OK;
}

void csv_reader_free(struct csv_reader *r)
{
  if (!r) return;
  free(r->text);
  free(r->fields);
  free(r->lengths);
  free(r);
}

static bool at_end(const struct csv_reader *r) { return r->pos >= r->len; }

static char peek(const struct csv_reader *r) { return r->data[r->pos]; }

static int fail(struct csv_reader *r, int code, size_t field_line)
{
  r->state = code;
  r->error = (struct csv_position){r->record, r->count + 1, field_line};
  return code;
}

/* Appends one decoded byte to the field being built. */
static int put(struct csv_reader *r, size_t field_start, char c, size_t field_line)
{
  if (r->text_used - field_start >= r->limits.max_field_len)
    return fail(r, CSV_FIELD_TOO_LONG, field_line);
  if (r->text_used + 1 >= r->text_cap) return fail(r, CSV_INVALID, field_line); /* cannot happen */
  r->text[r->text_used++] = c;
  return CSV_OK;
}

static int read_quoted(struct csv_reader *r, size_t start, size_t field_line)
{
  r->pos++; /* the opening quote */
  for (;;) {
    if (at_end(r)) return fail(r, CSV_UNTERMINATED_QUOTE, field_line);
    char c = peek(r);
    if (c == '"') {
      if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
        r->pos++; /* "" is one quote */
      } else {
        r->pos++;
        break;
      }
    } else if (c == '\n') {
      r->line++;
    }
    int rc = put(r, start, c, field_line);
    if (rc != CSV_OK) return rc;
    r->pos++;
  }
  if (!at_end(r) && peek(r) != ',' && peek(r) != '\r' && peek(r) != '\n')
    return fail(r, CSV_TEXT_AFTER_QUOTE, field_line);
  return CSV_OK;
}

static int read_unquoted(struct csv_reader *r, size_t start, size_t field_line)
{
  while (!at_end(r)) {
    char c = peek(r);
    if (c == ',' || c == '\r' || c == '\n') break;
    if (c == '"') return fail(r, CSV_STRAY_QUOTE, field_line);
    int rc = put(r, start, c, field_line);
    if (rc != CSV_OK) return rc;
    r->pos++;
  }
  return CSV_OK;
}

static int read_field(struct csv_reader *r)
{
  size_t line = r->line;
  if (r->count == r->limits.max_fields) return fail(r, CSV_TOO_MANY_FIELDS, line);
  size_t start = r->text_used;
  int rc = (!at_end(r) && peek(r) == '"') ? read_quoted(r, start, line)
                                            : read_unquoted(r, start, line);
  if (rc != CSV_OK) return rc;
  r->text[r->text_used++] = '\0'; /* room guaranteed: see the comment at the top */
  r->fields[r->count] = r->text + start;
  r->lengths[r->count] = r->text_used - 1 - start;
  r->count++;
  return CSV_OK;
}

/* Consumes the separator after a field: true if another field follows in this record. */
static bool next_separator(struct csv_reader *r)
{
  if (at_end(r)) return false;
  char c = peek(r);
  r->pos++;
  if (c == ',') return true;
  if (c == '\r' && !at_end(r) && peek(r) == '\n') r->pos++;
  r->line++;
  return false;
}

int csv_next_row(struct csv_reader *r, struct csv_row *row)
{
  if (!r || !row) return CSV_INVALID;
  if (r->state != CSV_OK) return r->state;
  if (at_end(r)) return r->state = CSV_END;
  r->record++;
  r->count = 0;
  r->text_used = 0;
  size_t first_line = r->line;
  do {
    int rc = read_field(r);
    if (rc != CSV_OK) return rc;
  } while (next_separator(r));
  *row = (struct csv_row){r->count, r->fields, r->lengths, r->record, first_line};
  return CSV_OK;
}

struct csv_position csv_reader_error_position(const struct csv_reader *r)
{
  if (!r || r->state >= CSV_OK) return (struct csv_position){0, 0, 0};
  return r->error;
}

bool csv_row_is_blank(const struct csv_row *row)
{
  return row && row->count == 1 && row->lengths[0] == 0;
}

static const struct {
  enum csv_result r;
  const char *code;
  const char *zh;
} results[] = {
    {CSV_OK, "ok", "读取成功"},
    {CSV_END, "csv_end", "文件已读完"},
    {CSV_UNTERMINATED_QUOTE, "csv_unterminated_quote", "引号未闭合：该单元格以双引号开头，但直到文件末尾都没有结束引号"},
    {CSV_STRAY_QUOTE, "csv_stray_quote", "单元格中出现多余的双引号；如需包含双引号，请将整个单元格用双引号括起并把引号写两遍"},
    {CSV_TEXT_AFTER_QUOTE, "csv_text_after_quote", "结束引号之后还有其他字符"},
    {CSV_TOO_MANY_FIELDS, "csv_too_many_fields", "该行的列数超过上限"},
    {CSV_FIELD_TOO_LONG, "csv_field_too_long", "单元格内容超过长度上限"},
    {CSV_NOMEM, "csv_nomem", "内存不足，无法读取文件"},
    {CSV_INVALID, "csv_invalid", "读取参数无效"},
};

const char *csv_result_message_zh(enum csv_result r)
{
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (results[i].r == r) return results[i].zh;
  return "读取CSV文件时出现未知错误";
}

const char *csv_result_code(enum csv_result r)
{
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (results[i].r == r) return results[i].code;
  return "csv_unknown";
}
