/* Unit tests for util/csv: RFC 4180 quoting, line endings, BOM, error kinds with their
 * positions, the hard limits at their exact boundaries, sticky errors, and odd inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/csv.h"

/* Renders every row as fields joined by '|' and rows by '\n', so expectations are
 * one string. Returns the final result (CSV_END or an error). */
static int render(const char *data, size_t len, const struct csv_limits *lim, char *out,
                  size_t n)
{
  struct csv_reader *r;
  assert_int_equal(csv_reader_new(data, len, lim, &r), CSV_OK);
  struct csv_row row;
  int rc;
  size_t used = 0;
  out[0] = '\0';
  while ((rc = csv_next_row(r, &row)) == CSV_OK) {
    for (size_t i = 0; i < row.count; i++) {
      assert_true(used + row.lengths[i] + 2 < n);
      assert_int_equal(row.fields[i][row.lengths[i]], '\0');
      memcpy(out + used, row.fields[i], row.lengths[i]);
      used += row.lengths[i];
      out[used++] = i + 1 < row.count ? '|' : '\n';
    }
    out[used] = '\0';
  }
  csv_reader_free(r);
  return rc;
}

struct parse_case {
  const char *in;
  const char *want;
  int rc;
};

static void run_cases(const struct parse_case *c, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    char out[512];
    int rc = render(c[i].in, strlen(c[i].in), NULL, out, sizeof out);
    if (rc != c[i].rc || strcmp(out, c[i].want) != 0)
      fail_msg("case %zu: rc %d (%s), got \"%s\", want \"%s\"", i, rc, csv_result_code(rc),
               out, c[i].want);
  }
}

static void test_basic(void **state)
{
  static const struct parse_case cases[] = {
      {"", "", CSV_END},
      {"a", "a\n", CSV_END},
      {"a,b,c", "a|b|c\n", CSV_END},
      {"a,b,c\n", "a|b|c\n", CSV_END},          /* final newline adds no row */
      {"a,b\r\nc,d\r\n", "a|b\nc|d\n", CSV_END},
      {"a,b\nc,d", "a|b\nc|d\n", CSV_END},
      {"a,b\rc,d\r", "a|b\nc|d\n", CSV_END},    /* lone CR */
      {"a\r\n\r\nb", "a\n\nb\n", CSV_END},      /* blank line is a row */
      {"\n", "\n", CSV_END},
      {"\n\n", "\n\n", CSV_END},
      {",", "|\n", CSV_END},                    /* two empty fields */
      {"a,", "a|\n", CSV_END},
      {",a", "|a\n", CSV_END},
      {",,\n", "||\n", CSV_END},
      {"户主,身份证号\n张三,360702197506151231\n", "户主|身份证号\n张三|360702197506151231\n",
       CSV_END},
      {" a , b ", " a | b \n", CSV_END},         /* spaces are data */
      {"a\tb,c", "a\tb|c\n", CSV_END},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_quoted(void **state)
{
  static const struct parse_case cases[] = {
      {"\"a\"", "a\n", CSV_END},
      {"\"\"", "\n", CSV_END},                         /* empty quoted field */
      {"\"\",\"\"", "|\n", CSV_END},
      {"\"a,b\",c", "a,b|c\n", CSV_END},
      {"\"say \"\"hi\"\"\"", "say \"hi\"\n", CSV_END},
      {"\"\"\"\"", "\"\n", CSV_END},                   /* a lone quote character */
      {"\"line1\nline2\",x", "line1\nline2|x\n", CSV_END},
      {"\"line1\r\nline2\"\r\n", "line1\r\nline2\n", CSV_END},
      {"\"a\"\r\n\"b\"", "a\nb\n", CSV_END},
      {"a,\"b\"\n", "a|b\n", CSV_END},
      {"\"赣州,瑞金\",\"于都\"", "赣州,瑞金|于都\n", CSV_END},
      {"\"a\"\"\",b", "a\"|b\n", CSV_END},
      {"\"\n\"", "\n\n", CSV_END},                    /* a field that is one newline */
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_bom(void **state)
{
  static const struct parse_case cases[] = {
      {"\xEF\xBB\xBF" "a,b\n", "a|b\n", CSV_END},
      {"\xEF\xBB\xBF", "", CSV_END},
      {"\xEF\xBB\xBF\"a\"", "a\n", CSV_END},
      {"\xEF\xBB" "a", "\xEF\xBB" "a\n", CSV_END},     /* a partial BOM is data */
      {"a,\xEF\xBB\xBF", "a|\xEF\xBB\xBF\n", CSV_END},  /* only a leading BOM is dropped */
      {"\xEF\xBB\xBF\xEF\xBB\xBF" "a", "\xEF\xBB\xBF" "a\n", CSV_END}, /* only one */
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

struct error_case {
  const char *in;
  int rc;
  size_t rows_before; /* rows returned before the error */
  struct csv_position at;
};

static void test_errors(void **state)
{
  static const struct error_case cases[] = {
      {"\"abc", CSV_UNTERMINATED_QUOTE, 0, {1, 1, 1}},
      {"a,b\nc,\"d\ne\nf", CSV_UNTERMINATED_QUOTE, 1, {2, 2, 2}},
      {"\"", CSV_UNTERMINATED_QUOTE, 0, {1, 1, 1}},
      {"\"a\"\"", CSV_UNTERMINATED_QUOTE, 0, {1, 1, 1}},
      {"ab\"c", CSV_STRAY_QUOTE, 0, {1, 1, 1}},
      {"a,b\nc,d,e\"f", CSV_STRAY_QUOTE, 1, {2, 3, 2}},
      {"a,b\"", CSV_STRAY_QUOTE, 0, {1, 2, 1}},
      {" \"a\"", CSV_STRAY_QUOTE, 0, {1, 1, 1}},        /* space before the quote */
      {"\"a\"b", CSV_TEXT_AFTER_QUOTE, 0, {1, 1, 1}},
      {"\"a\" ,b", CSV_TEXT_AFTER_QUOTE, 0, {1, 1, 1}},
      {"x\n\"multi\nline\"y", CSV_TEXT_AFTER_QUOTE, 1, {2, 1, 2}},
      {"\"a\nb\"\nc,\"d\"e", CSV_TEXT_AFTER_QUOTE, 1, {2, 2, 3}}, /* line counts quoted LF */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct error_case *c = &cases[i];
    struct csv_reader *r;
    assert_int_equal(csv_reader_new(c->in, strlen(c->in), NULL, &r), CSV_OK);
    struct csv_row row;
    size_t rows = 0;
    int rc;
    while ((rc = csv_next_row(r, &row)) == CSV_OK) rows++;
    struct csv_position at = csv_reader_error_position(r);
    if (rc != c->rc || rows != c->rows_before || at.row != c->at.row ||
        at.column != c->at.column || at.line != c->at.line)
      fail_msg("case %zu: rc %d after %zu rows at (%zu, %zu, line %zu)", i, rc, rows, at.row,
               at.column, at.line);
    /* Sticky: asking again gives the same error and position. */
    assert_int_equal(csv_next_row(r, &row), c->rc);
    assert_int_equal(csv_reader_error_position(r).row, c->at.row);
    csv_reader_free(r);
  }
}

static void test_row_metadata(void **state)
{
  const char *in = "h1,h2\n\"a\nb\",c\r\n\nlast";
  struct csv_reader *r;
  assert_int_equal(csv_reader_new(in, strlen(in), NULL, &r), CSV_OK);
  struct csv_row row;
  static const struct { size_t number, line, count; bool blank; } want[] = {
      {1, 1, 2, false}, {2, 2, 2, false}, {3, 4, 1, true}, {4, 5, 1, false},
  };
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(csv_next_row(r, &row), CSV_OK);
    assert_int_equal(row.number, want[i].number);
    assert_int_equal(row.line, want[i].line);
    assert_int_equal(row.count, want[i].count);
    assert_int_equal(csv_row_is_blank(&row), want[i].blank);
  }
  assert_int_equal(csv_next_row(r, &row), CSV_END);
  assert_int_equal(csv_next_row(r, &row), CSV_END); /* END is sticky too */
  struct csv_position none = csv_reader_error_position(r);
  assert_int_equal(none.row, 0);
  assert_int_equal(none.column, 0);
  csv_reader_free(r);
  assert_false(csv_row_is_blank(NULL));
}

static void test_limits(void **state)
{
  struct csv_limits lim = {3, 5};
  char out[256];
  /* Exactly at the limits. */
  assert_int_equal(render("abcde,b,c\n", 10, &lim, out, sizeof out), CSV_END);
  assert_string_equal(out, "abcde|b|c\n");
  assert_int_equal(render("\"ab\"\"de\",,", 10, &lim, out, sizeof out), CSV_END);
  assert_string_equal(out, "ab\"de||\n");
  /* One over: measured after unquoting, so the quotes do not count. */
  static const struct { const char *in; int rc; struct csv_position at; } over[] = {
      {"abcdef", CSV_FIELD_TOO_LONG, {1, 1, 1}},
      {"a,\"abc\"\"de\"", CSV_FIELD_TOO_LONG, {1, 2, 1}},
      {"a,b,c,d", CSV_TOO_MANY_FIELDS, {1, 4, 1}},
      {"a,b,c,", CSV_TOO_MANY_FIELDS, {1, 4, 1}},
      {"ok\n,,,", CSV_TOO_MANY_FIELDS, {2, 4, 2}},
  };
  for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
    struct csv_reader *r;
    assert_int_equal(csv_reader_new(over[i].in, strlen(over[i].in), &lim, &r), CSV_OK);
    struct csv_row row;
    int rc;
    while ((rc = csv_next_row(r, &row)) == CSV_OK) continue;
    assert_int_equal(rc, over[i].rc);
    struct csv_position at = csv_reader_error_position(r);
    assert_int_equal(at.row, over[i].at.row);
    assert_int_equal(at.column, over[i].at.column);
    assert_int_equal(at.line, over[i].at.line);
    csv_reader_free(r);
  }
  /* A single field of exactly the maximum with the minimum limits. */
  struct csv_limits tiny = {1, 1};
  assert_int_equal(render("a\nb\n\n", 5, &tiny, out, sizeof out), CSV_END);
  assert_string_equal(out, "a\nb\n\n");
  assert_int_equal(render("a,", 2, &tiny, out, sizeof out), CSV_TOO_MANY_FIELDS);
  assert_int_equal(render("ab", 2, &tiny, out, sizeof out), CSV_FIELD_TOO_LONG);
}

static void test_big_input(void **state)
{
  /* 2000 rows of 50 quoted fields, with the default limits. */
  static char in[2000 * 50 * 8];
  size_t n = 0;
  for (int row = 0; row < 2000; row++) {
    for (int f = 0; f < 50; f++)
      n += (size_t)snprintf(in + n, sizeof in - n, "\"%d\"\"\"%c", f, f == 49 ? '\n' : ',');
  }
  struct csv_reader *r;
  assert_int_equal(csv_reader_new(in, n, NULL, &r), CSV_OK);
  struct csv_row row;
  size_t rows = 0;
  while (csv_next_row(r, &row) == CSV_OK) {
    rows++;
    assert_int_equal(row.count, 50);
    assert_string_equal(row.fields[49], "49\"");
    assert_int_equal(row.lengths[10], 3);
  }
  assert_int_equal(rows, 2000);
  csv_reader_free(r);
}

static void test_embedded_nul_and_binary(void **state)
{
  static const char in[] = {'a', '\0', 'b', ',', '"', '\0', '"', '\n', '\xff', '\x01'};
  struct csv_reader *r;
  assert_int_equal(csv_reader_new(in, sizeof in, NULL, &r), CSV_OK);
  struct csv_row row;
  assert_int_equal(csv_next_row(r, &row), CSV_OK);
  assert_int_equal(row.count, 2);
  assert_int_equal(row.lengths[0], 3);
  assert_memory_equal(row.fields[0], "a\0b", 4);
  assert_int_equal(row.lengths[1], 1);
  assert_int_equal(row.fields[1][0], '\0');
  assert_int_equal(csv_next_row(r, &row), CSV_OK);
  assert_int_equal(row.lengths[0], 2);
  assert_memory_equal(row.fields[0], "\xff\x01", 2);
  assert_int_equal(csv_next_row(r, &row), CSV_END);
  csv_reader_free(r);

  /* The reader respects len and never reads the byte past it. */
  char buf[4] = {'a', ',', 'b', '"'};
  assert_int_equal(csv_reader_new(buf, 3, NULL, &r), CSV_OK);
  assert_int_equal(csv_next_row(r, &row), CSV_OK);
  assert_int_equal(row.count, 2);
  assert_int_equal(row.lengths[1], 1);
  csv_reader_free(r);
}

static void test_bad_arguments(void **state)
{
  struct csv_reader *r = (struct csv_reader *)&r;
  assert_int_equal(csv_reader_new("a", 1, NULL, NULL), CSV_INVALID);
  assert_int_equal(csv_reader_new(NULL, 1, NULL, &r), CSV_INVALID);
  assert_null(r);
  struct csv_limits zero_fields = {0, 10}, zero_len = {10, 0};
  assert_int_equal(csv_reader_new("a", 1, &zero_fields, &r), CSV_INVALID);
  assert_int_equal(csv_reader_new("a", 1, &zero_len, &r), CSV_INVALID);
  /* Limits too large to allocate slots for. */
  struct csv_limits absurd = {SIZE_MAX / 2, 1};
  assert_int_equal(csv_reader_new("a", 1, &absurd, &r), CSV_NOMEM);
  assert_null(r);
  /* Huge field length: text is sized by the input, not by the limit. */
  struct csv_limits wide = {2, SIZE_MAX};
  char out[16];
  assert_int_equal(render("x,y", 3, &wide, out, sizeof out), CSV_END);
  assert_string_equal(out, "x|y\n");
  /* NULL data with zero length is an empty file. */
  assert_int_equal(csv_reader_new(NULL, 0, NULL, &r), CSV_OK);
  struct csv_row row;
  assert_int_equal(csv_next_row(r, &row), CSV_END);
  assert_int_equal(csv_next_row(r, NULL), CSV_INVALID);
  assert_int_equal(csv_next_row(NULL, &row), CSV_INVALID);
  csv_reader_free(r);
  csv_reader_free(NULL);
}

static void test_messages(void **state)
{
  static const int all[] = {CSV_OK, CSV_END, CSV_UNTERMINATED_QUOTE, CSV_STRAY_QUOTE,
                            CSV_TEXT_AFTER_QUOTE, CSV_TOO_MANY_FIELDS, CSV_FIELD_TOO_LONG,
                            CSV_NOMEM, CSV_INVALID};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    const char *code = csv_result_code(all[i]);
    assert_string_not_equal(code, "csv_unknown");
    for (size_t j = 0; j < i; j++) {
      assert_string_not_equal(code, csv_result_code(all[j]));
      assert_string_not_equal(csv_result_message_zh(all[i]), csv_result_message_zh(all[j]));
    }
  }
  assert_string_equal(csv_result_code(CSV_STRAY_QUOTE), "csv_stray_quote");
  assert_string_equal(csv_result_code((enum csv_result)42), "csv_unknown");
  assert_non_null(csv_result_message_zh((enum csv_result)42));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic),          cmocka_unit_test(test_quoted),
      cmocka_unit_test(test_bom),            cmocka_unit_test(test_errors),
      cmocka_unit_test(test_row_metadata),   cmocka_unit_test(test_limits),
      cmocka_unit_test(test_big_input),      cmocka_unit_test(test_embedded_nul_and_binary),
      cmocka_unit_test(test_bad_arguments),  cmocka_unit_test(test_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
