/* Unit tests for util/xlsx_read: real workbooks (one written by libxlsxwriter, one with
 * hand-written XML parts, both in tests/unit/data — see the generators there), then ZIP
 * archives built here in memory to reach every error: truncation, not-a-zip, zip bombs,
 * CRC, encryption, ZIP64, malformed XML and cells, and the limits at their boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/xlsx_read.h"

/* ------------------------------------------------------------------ helpers */

static unsigned char *load_fixture(const char *name, size_t *len)
{
  char path[512];
  const char *dirs[] = {"tests/unit/data/", NULL};
  char here[512];
  /* Also next to this source file, for runs from another directory. */
  snprintf(here, sizeof here, "%s", __FILE__);
  char *slash = strrchr(here, '/');
  if (slash) {
    strcpy(slash + 1, "data/");
    dirs[1] = here;
  }
  for (size_t i = 0; i < 2 && dirs[i]; i++) {
    snprintf(path, sizeof path, "%s%s", dirs[i], name);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_true(n > 0);
    unsigned char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
  }
  fail_msg("fixture %s not found (run from the repository root)", name);
  return NULL;
}

/* Renders every row as "N:" + fields joined by '|', rows separated by '\n'. Returns the
 * final result (XLSX_END or an error). */
static int render(struct xlsx_reader *r, char *out, size_t n)
{
  struct xlsx_row row;
  int rc;
  size_t used = 0;
  out[0] = '\0';
  size_t expect = 1;
  while ((rc = xlsx_read_next_row(r, &row)) == XLSX_OK) {
    assert_int_equal(row.number, expect++);
    assert_non_null(row.fields);
    assert_true(xlsx_row_is_blank(&row) == (row.count == 0));
    int k = snprintf(out + used, n - used, "%zu:", row.number);
    assert_true(k > 0 && (size_t)k < n - used);
    used += (size_t)k;
    for (size_t i = 0; i < row.count; i++) {
      assert_int_equal(strlen(row.fields[i]), row.lengths[i]);
      k = snprintf(out + used, n - used, "%s%s", i ? "|" : "", row.fields[i]);
      assert_true(k >= 0 && (size_t)k < n - used);
      used += (size_t)k;
    }
    if (row.count) assert_true(row.lengths[row.count - 1] > 0); /* count = last non-empty + 1 */
    assert_true(used + 1 < n);
    out[used++] = '\n';
    out[used] = '\0';
  }
  assert_int_equal(xlsx_read_next_row(r, &row), rc); /* final results are sticky */
  return rc;
}

/* ---- an in-memory ZIP writer, to make archives with exactly the flaws a test needs ---- */

struct zpart {
  const char *name;
  const char *data; /* NUL-terminated unless len is set */
  size_t len;
  int method;            /* 0 stored, 8 deflate, anything else written as is */
  uint32_t crc_xor;      /* corrupts the CRC */
  uint32_t fake_usize;   /* declared uncompressed size if non-zero */
  uint16_t flags;
};

struct zbuf {
  unsigned char *d;
  size_t len, cap;
};

static void zb_put(struct zbuf *b, const void *p, size_t n)
{
  if (b->len + n > b->cap) {
    b->cap = (b->len + n) * 2 + 64;
    b->d = realloc(b->d, b->cap);
    assert_non_null(b->d);
  }
  if (n) memcpy(b->d + b->len, p, n);
  b->len += n;
}

static void zb_16(struct zbuf *b, unsigned v)
{
  unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
  zb_put(b, x, 2);
}

static void zb_32(struct zbuf *b, uint32_t v)
{
  unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  zb_put(b, x, 4);
}

static unsigned char *deflate_raw(const void *src, size_t n, size_t *out_n)
{
  z_stream s;
  memset(&s, 0, sizeof s);
  assert_int_equal(deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  size_t cap = deflateBound(&s, (uLong)n);
  unsigned char *out = malloc(cap);
  assert_non_null(out);
  s.next_in = (Bytef *)(uintptr_t)src;
  s.avail_in = (uInt)n;
  s.next_out = out;
  s.avail_out = (uInt)cap;
  assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
  *out_n = s.total_out;
  deflateEnd(&s);
  return out;
}

static unsigned char *make_zip(const struct zpart *parts, size_t n, size_t *out_len)
{
  struct zbuf b = {0}, cd = {0};
  for (size_t i = 0; i < n; i++) {
    const struct zpart *p = &parts[i];
    size_t ulen = p->len ? p->len : strlen(p->data);
    uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)p->data, (uInt)ulen) ^ p->crc_xor;
    size_t clen = ulen;
    unsigned char *comp = NULL;
    const void *payload = p->data;
    if (p->method == 8) {
      comp = deflate_raw(p->data, ulen, &clen);
      payload = comp;
    }
    uint32_t usize = p->fake_usize ? p->fake_usize : (uint32_t)ulen;
    size_t nlen = strlen(p->name);
    uint32_t off = (uint32_t)b.len;
    zb_32(&b, 0x04034b50u);
    zb_16(&b, 20);
    zb_16(&b, p->flags);
    zb_16(&b, (unsigned)p->method);
    zb_16(&b, 0);
    zb_16(&b, 0x5A21);
    zb_32(&b, crc);
    zb_32(&b, (uint32_t)clen);
    zb_32(&b, usize);
    zb_16(&b, (unsigned)nlen);
    zb_16(&b, 0);
    zb_put(&b, p->name, nlen);
    zb_put(&b, payload, clen);
    zb_32(&cd, 0x02014b50u);
    zb_16(&cd, 20);
    zb_16(&cd, 20);
    zb_16(&cd, p->flags);
    zb_16(&cd, (unsigned)p->method);
    zb_16(&cd, 0);
    zb_16(&cd, 0x5A21);
    zb_32(&cd, crc);
    zb_32(&cd, (uint32_t)clen);
    zb_32(&cd, usize);
    zb_16(&cd, (unsigned)nlen);
    zb_16(&cd, 0);
    zb_16(&cd, 0);
    zb_16(&cd, 0);
    zb_16(&cd, 0);
    zb_32(&cd, 0);
    zb_32(&cd, off);
    zb_put(&cd, p->name, nlen);
    free(comp);
  }
  uint32_t cd_off = (uint32_t)b.len;
  zb_put(&b, cd.d, cd.len);
  zb_32(&b, 0x06054b50u);
  zb_16(&b, 0);
  zb_16(&b, 0);
  zb_16(&b, (unsigned)n);
  zb_16(&b, (unsigned)n);
  zb_32(&b, (uint32_t)cd.len);
  zb_32(&b, cd_off);
  zb_16(&b, 0);
  free(cd.d);
  *out_len = b.len;
  return b.d;
}

#define WB                                                                                 \
  "<?xml version=\"1.0\"?><workbook "                                                      \
  "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "                   \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"       \
  "<sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS                                                                               \
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
  "<Relationship Id=\"rId1\" "                                                             \
  "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" " \
  "Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define SHEET(rows) "<worksheet><sheetData>" rows "</sheetData></worksheet>"

/* A workbook whose first sheet has the given XML (and shared strings, if not NULL). */
static unsigned char *make_book(const char *sheet, const char *sst, int method, size_t *len)
{
  struct zpart parts[4] = {
      {"xl/workbook.xml", WB, 0, method, 0, 0, 0},
      {"xl/_rels/workbook.xml.rels", RELS, 0, method, 0, 0, 0},
      {"xl/worksheets/sheet1.xml", sheet, 0, method, 0, 0, 0},
      {"xl/sharedStrings.xml", sst ? sst : "", 0, method, 0, 0, 0},
  };
  return make_zip(parts, sst ? 4 : 3, len);
}

/* Opens and reads everything; the first result that is not XLSX_OK (the open error or the
 * final row result). Rendered rows go to out if not NULL. */
static int read_all(const unsigned char *zip, size_t len, const struct xlsx_limits *lim,
                    char *out, size_t n)
{
  struct xlsx_reader *r = NULL;
  char err[256];
  int rc = xlsx_read_open(zip, len, lim, &r, err, sizeof err);
  if (rc != XLSX_OK) {
    assert_null(r);
    assert_true(rc < 0);
    assert_true(err[0] != '\0'); /* every open error explains itself */
    return rc;
  }
  char local[4096];
  rc = render(r, out ? out : local, out ? n : sizeof local);
  if (rc < 0) assert_true(xlsx_read_error_detail(r)[0] != '\0');
  xlsx_read_free(r);
  return rc;
}

static int read_sheet(const char *sheet, const char *sst, char *out, size_t n)
{
  size_t len;
  unsigned char *zip = make_book(sheet, sst, 8, &len);
  int rc = read_all(zip, len, NULL, out, n);
  free(zip);
  return rc;
}

/* ------------------------------------------------------------------ real workbooks */

static void test_libxlsxwriter_roster(void **state)
{
  size_t len;
  unsigned char *zip = load_fixture("xlsx_roster.xlsx", &len);
  char out[2048];
  assert_int_equal(read_all(zip, len, NULL, out, sizeof out), XLSX_END);
  assert_string_equal(out,
                      "1:姓名|身份证号|年龄|备注|入职日期|在岗\n"
                      "2:张三|36070219750615123X|49|瑞金市沙洲坝镇|45658|TRUE\n"
                      "3:李四||37.5|||FALSE\n"
                      "4:\n"
                      "5:\n"
                      "6:王五|3.60702197506151E+17|-3\n" /* an ID stored as a number */
                      "7:|||  前后空格  \n");
  free(zip);
}

static void test_libxlsxwriter_row_shape(void **state)
{
  size_t len;
  unsigned char *zip = load_fixture("xlsx_roster.xlsx", &len);
  struct xlsx_reader *r;
  char err[128];
  assert_int_equal(xlsx_read_open(zip, len, NULL, &r, err, sizeof err), XLSX_OK);
  free(zip); /* the reader keeps what it needs */
  struct xlsx_row row;
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(row.count, 6);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(xlsx_read_serial_to_date(atof(row.fields[4])), 20250101);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(row.number, 3);
  assert_int_equal(row.count, 6);
  assert_string_equal(row.fields[1], "");
  assert_int_equal(row.lengths[1], 0);
  assert_string_equal(row.fields[3], "");
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(row.number, 4);
  assert_int_equal(row.count, 0);
  assert_true(xlsx_row_is_blank(&row));
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(row.number, 5);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(row.number, 6);
  assert_int_equal(row.count, 3);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(row.number, 7);
  assert_int_equal(row.count, 4); /* the styled blank B7 does not count */
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_END);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_END);
  assert_int_equal(xlsx_read_error_position(r).row, 0);
  assert_string_equal(xlsx_read_error_detail(r), "");
  xlsx_read_free(r);
}

static void test_handmade_xml_stored(void **state)
{
  size_t len;
  unsigned char *zip = load_fixture("xlsx_handmade.xlsx", &len);
  char out[2048];
  assert_int_equal(read_all(zip, len, NULL, out, sizeof out), XLSX_END);
  assert_string_equal(out,
                      /* shared, rich (rPh dropped), inline, inline rich, entities and
                       * references, _xHHHH_ escapes and CRLF, preserved spaces, CDATA */
                      "1:普通文本|红色 文字|内联|甲乙|<a> & \"q\" 's' 中文\xF0\x9F\x98\x80|"
                      "a\rb_x0041_\nc|  两端空格  |<cdata & stuff>\n"
                      /* formula string, error, numbers normalised */
                      "2:公式结果|#DIV/0!|1|0.3|1E-07|0|123456789012345|1.23456789012346E+15\n"
                      "3:\n"
                      "4:||普通文本\n"
                      "5:\n");
  free(zip);
}

static void test_limits_on_real_workbook(void **state)
{
  size_t len;
  unsigned char *zip = load_fixture("xlsx_roster.xlsx", &len);
  char out[2048];
  struct xlsx_reader *r;
  struct xlsx_row row;

  /* columns: six are fine with max_cols 6, five are not */
  struct xlsx_limits lim = {0, 6, 0, 0};
  assert_int_equal(read_all(zip, len, &lim, out, sizeof out), XLSX_END);
  lim.max_cols = 5;
  assert_int_equal(xlsx_read_open(zip, len, &lim, &r, NULL, 0), XLSX_OK);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_TOO_MANY_COLS);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_TOO_MANY_COLS);
  assert_int_equal(xlsx_read_error_position(r).row, 1);
  assert_int_equal(xlsx_read_error_position(r).column, 6);
  assert_non_null(strstr(xlsx_read_error_detail(r), "column 6"));
  xlsx_read_free(r);

  /* rows: the sheet's last row is 7 */
  lim = (struct xlsx_limits){7, 0, 0, 0};
  assert_int_equal(read_all(zip, len, &lim, out, sizeof out), XLSX_END);
  lim.max_rows = 6;
  assert_int_equal(read_all(zip, len, &lim, out, sizeof out), XLSX_TOO_MANY_ROWS);
  assert_string_equal(out, "1:姓名|身份证号|年龄|备注|入职日期|在岗\n"
                           "2:张三|36070219750615123X|49|瑞金市沙洲坝镇|45658|TRUE\n"
                           "3:李四||37.5|||FALSE\n"
                           "4:\n"
                           "5:\n"
                           "6:王五|3.60702197506151E+17|-3\n");

  /* cell length: the longest cell is 瑞金市沙洲坝镇, 21 bytes */
  lim = (struct xlsx_limits){0, 0, 21, 0};
  assert_int_equal(read_all(zip, len, &lim, out, sizeof out), XLSX_END);
  lim.max_cell_len = 20;
  assert_int_equal(xlsx_read_open(zip, len, &lim, &r, NULL, 0), XLSX_OK);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_OK);
  assert_int_equal(xlsx_read_next_row(r, &row), XLSX_CELL_TOO_LONG);
  assert_int_equal(xlsx_read_error_position(r).row, 2);
  assert_int_equal(xlsx_read_error_position(r).column, 4);
  xlsx_read_free(r);

  /* uncompressed budget: far too small for the parts */
  lim = (struct xlsx_limits){0, 0, 0, 1000};
  assert_int_equal(read_all(zip, len, &lim, NULL, 0), XLSX_TOO_BIG);
  free(zip);
}

/* ------------------------------------------------------------------ broken archives */

static void test_truncated_every_length(void **state)
{
  size_t len;
  unsigned char *zip = load_fixture("xlsx_roster.xlsx", &len);
  for (size_t cut = 0; cut < len; cut++) {
    unsigned char *copy = malloc(cut ? cut : 1); /* exact size, so ASan sees any overrun */
    memcpy(copy, zip, cut);
    struct xlsx_reader *r = (struct xlsx_reader *)1;
    int rc = xlsx_read_open(copy, cut, NULL, &r, NULL, 0);
    assert_true(rc < 0);
    assert_null(r);
    if (cut >= 4) assert_true(rc == XLSX_BAD_ZIP);
    free(copy);
  }
  free(zip);
}

static void test_not_a_zip(void **state)
{
  char err[128];
  struct xlsx_reader *r;
  const char *csv = "姓名,身份证号\n张三,36070219750615123X\n";
  assert_int_equal(xlsx_read_open((const unsigned char *)csv, strlen(csv), NULL, &r, err,
                                  sizeof err),
                   XLSX_NOT_ZIP);
  assert_null(r);
  assert_non_null(strstr(err, "not a ZIP"));
  assert_int_equal(xlsx_read_open(NULL, 0, NULL, &r, err, sizeof err), XLSX_NOT_ZIP);
  unsigned char zeros[100] = {0};
  assert_int_equal(xlsx_read_open(zeros, sizeof zeros, NULL, &r, err, sizeof err), XLSX_NOT_ZIP);
  /* an old .xls or a password-protected workbook is an OLE compound file */
  unsigned char ole[512] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  assert_int_equal(xlsx_read_open(ole, sizeof ole, NULL, &r, err, sizeof err),
                   XLSX_LEGACY_FORMAT);
  assert_int_equal(xlsx_read_open(ole, sizeof ole, NULL, NULL, err, sizeof err), XLSX_INVALID);
  assert_int_equal(xlsx_read_open(NULL, 5, NULL, &r, err, sizeof err), XLSX_INVALID);
}

static void test_zip_bomb(void **state)
{
  /* 8 MiB of one repeated row compresses to a few KiB */
  const char *head = "<worksheet><sheetData>";
  const char *tail = "</sheetData></worksheet>";
  size_t big = 8u << 20;
  char *sheet = malloc(big + 1);
  memcpy(sheet, head, strlen(head));
  size_t pos = strlen(head);
  while (pos + 40 < big) {
    memcpy(sheet + pos, "<row><c><v>1</v></c></row>", 26);
    pos += 26;
  }
  memcpy(sheet + pos, tail, strlen(tail) + 1);
  size_t slen = pos + strlen(tail);

  struct zpart parts[3] = {
      {"xl/workbook.xml", WB, 0, 8, 0, 0, 0},
      {"xl/_rels/workbook.xml.rels", RELS, 0, 8, 0, 0, 0},
      {"xl/worksheets/sheet1.xml", sheet, slen, 8, 0, 0, 0},
  };
  size_t len;
  unsigned char *zip = make_zip(parts, 3, &len);
  assert_true(len < slen / 100);
  struct xlsx_limits lim = {0, 0, 0, 1u << 20}; /* 1 MiB */
  char err[256];
  struct xlsx_reader *r;
  assert_int_equal(xlsx_read_open(zip, len, &lim, &r, err, sizeof err), XLSX_TOO_BIG);
  assert_non_null(strstr(err, "xl/worksheets/sheet1.xml"));
  free(zip);

  /* an entry that claims 4 GiB - 2: refused before any allocation, default limits */
  parts[2].fake_usize = 0xFFFFFFFEu;
  zip = make_zip(parts, 3, &len);
  assert_int_equal(xlsx_read_open(zip, len, NULL, &r, err, sizeof err), XLSX_TOO_BIG);
  free(zip);

  /* an entry that claims 1000 bytes but inflates to 8 MiB: stopped at 1001 */
  parts[2].fake_usize = 1000;
  zip = make_zip(parts, 3, &len);
  assert_int_equal(xlsx_read_open(zip, len, NULL, &r, err, sizeof err), XLSX_CORRUPT_DATA);
  assert_non_null(strstr(err, "more than the declared"));
  free(zip);

  /* ... and one that claims more than it holds */
  parts[2].data = "<worksheet><sheetData/></worksheet>";
  parts[2].len = 0;
  parts[2].fake_usize = 100;
  zip = make_zip(parts, 3, &len);
  assert_int_equal(xlsx_read_open(zip, len, NULL, &r, err, sizeof err), XLSX_CORRUPT_DATA);
  free(zip);
  free(sheet);
}

static void test_crc_mismatch(void **state)
{
  for (int method = 0; method <= 8; method += 8) {
    struct zpart parts[3] = {
        {"xl/workbook.xml", WB, 0, method, 0, 0, 0},
        {"xl/_rels/workbook.xml.rels", RELS, 0, method, 0, 0, 0},
        {"xl/worksheets/sheet1.xml", SHEET("<row><c><v>1</v></c></row>"), 0, method, 0, 0, 0},
    };
    size_t len;
    unsigned char *zip = make_zip(parts, 3, &len);
    assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_END);
    free(zip);
    parts[2].crc_xor = 0x00010000u;
    zip = make_zip(parts, 3, &len);
    char err[256];
    struct xlsx_reader *r;
    assert_int_equal(xlsx_read_open(zip, len, NULL, &r, err, sizeof err), XLSX_CRC_MISMATCH);
    assert_non_null(strstr(err, "sheet1.xml"));
    free(zip);
  }
}

static void test_zip_structure_errors(void **state)
{
  struct zpart parts[3] = {
      {"xl/workbook.xml", WB, 0, 8, 0, 0, 0},
      {"xl/_rels/workbook.xml.rels", RELS, 0, 8, 0, 0, 0},
      {"xl/worksheets/sheet1.xml", SHEET("<row><c><v>1</v></c></row>"), 0, 8, 0, 0, 0},
  };
  size_t len;
  unsigned char *zip;

  parts[2].flags = 1; /* traditional PKWARE encryption */
  zip = make_zip(parts, 3, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_ENCRYPTED);
  free(zip);
  parts[2].flags = 0;

  parts[2].method = 12; /* bzip2 */
  zip = make_zip(parts, 3, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_BAD_COMPRESSION);
  free(zip);
  parts[2].method = 8;

  /* ZIP64: the entry count says "see the ZIP64 record" */
  zip = make_zip(parts, 3, &len);
  zip[len - 12] = 0xFF, zip[len - 11] = 0xFF, zip[len - 14] = 0xFF, zip[len - 13] = 0xFF;
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_ZIP64);
  free(zip);

  /* central directory offset beyond the file */
  zip = make_zip(parts, 3, &len);
  zip[len - 4] = 0x7F;
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_BAD_ZIP);
  free(zip);

  /* local header offset pointing at garbage */
  zip = make_zip(parts, 3, &len);
  zip[0] = 'X';
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_BAD_ZIP);
  free(zip);

  /* a corrupted deflate stream: first byte of the workbook's data set to an invalid
   * block type (0b11) */
  zip = make_zip(parts, 3, &len);
  zip[30 + strlen("xl/workbook.xml")] |= 0x06;
  int rc = read_all(zip, len, NULL, NULL, 0);
  assert_true(rc == XLSX_CORRUPT_DATA || rc == XLSX_CRC_MISMATCH);
  free(zip);

  /* a part present twice */
  struct zpart dup[4] = {parts[0], parts[1], parts[2], parts[2]};
  zip = make_zip(dup, 4, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_BAD_ZIP);
  free(zip);

  /* trailing ZIP comment is fine */
  zip = make_zip(parts, 3, &len);
  const char *comment = "exported by WPS";
  zip[len - 2] = (unsigned char)strlen(comment);
  zip = realloc(zip, len + strlen(comment));
  memcpy(zip + len, comment, strlen(comment));
  assert_int_equal(read_all(zip, len + strlen(comment), NULL, NULL, 0), XLSX_END);
  /* but a comment length running past the end is not */
  zip[len - 2] = (unsigned char)(strlen(comment) + 1);
  assert_int_equal(read_all(zip, len + strlen(comment), NULL, NULL, 0), XLSX_BAD_ZIP);
  free(zip);
}

/* ------------------------------------------------------------------ workbook structure */

static void test_sheet_selection(void **state)
{
  char out[512];
  size_t len;
  unsigned char *zip;
  const char *s1 = SHEET("<row><c t=\"inlineStr\"><is><t>one</t></is></c></row>");
  const char *s2 = SHEET("<row><c t=\"inlineStr\"><is><t>two</t></is></c></row>");

  /* no rels part: the conventional sheet1.xml */
  struct zpart norels[2] = {{"xl/workbook.xml", WB, 0, 8, 0, 0, 0},
                            {"xl/worksheets/sheet1.xml", s1, 0, 8, 0, 0, 0}};
  zip = make_zip(norels, 2, &len);
  assert_int_equal(read_all(zip, len, NULL, out, sizeof out), XLSX_END);
  assert_string_equal(out, "1:one\n");
  free(zip);

  /* the first sheet is a chart sheet: the first worksheet after it is read; a ".." target */
  const char *wb =
      "<workbook xmlns:r=\"R\"><sheets><sheet name=\"图\" r:id=\"c1\"/>"
      "<sheet name=\"表\" r:id=\"w2\"/><sheet name=\"表1\" r:id=\"w1\"/></sheets></workbook>";
  const char *rels =
      "<Relationships>"
      "<Relationship Id=\"w1\" Type=\"http://x/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"c1\" Type=\"http://x/relationships/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
      "<Relationship Id=\"w2\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet\" "
      "Target=\"./worksheets/../worksheets/sheet2.xml\"/>"
      "</Relationships>";
  struct zpart chart[4] = {{"xl/workbook.xml", wb, 0, 8, 0, 0, 0},
                           {"xl/_rels/workbook.xml.rels", rels, 0, 0, 0, 0, 0},
                           {"xl/worksheets/sheet1.xml", s1, 0, 8, 0, 0, 0},
                           {"xl/worksheets/sheet2.xml", s2, 0, 8, 0, 0, 0}};
  zip = make_zip(chart, 4, &len);
  assert_int_equal(read_all(zip, len, NULL, out, sizeof out), XLSX_END);
  assert_string_equal(out, "1:two\n");
  free(zip);

  /* missing workbook, missing sheet part, no worksheet at all */
  struct zpart nowb[1] = {{"xl/worksheets/sheet1.xml", s1, 0, 8, 0, 0, 0}};
  zip = make_zip(nowb, 1, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_MISSING_PART);
  free(zip);
  zip = make_zip(chart, 2, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_MISSING_PART);
  free(zip);
  struct zpart onlychart[2] = {
      {"xl/workbook.xml", "<workbook><sheets><sheet r:id=\"c1\"/></sheets></workbook>", 0, 8, 0, 0, 0},
      {"xl/_rels/workbook.xml.rels", rels, 0, 8, 0, 0, 0}};
  zip = make_zip(onlychart, 2, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_MISSING_PART);
  free(zip);
  /* a target escaping the package root */
  struct zpart escape[2] = {
      {"xl/workbook.xml", WB, 0, 8, 0, 0, 0},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"../../../etc/passwd\"/>"
       "</Relationships>", 0, 8, 0, 0, 0}};
  zip = make_zip(escape, 2, &len);
  assert_int_equal(read_all(zip, len, NULL, NULL, 0), XLSX_MISSING_PART);
  free(zip);
}

/* ------------------------------------------------------------------ cells and XML */

static void test_cells_and_gaps(void **state)
{
  char out[1024];
  /* attributes in any order, '>' inside a value, cells and rows without references, a
   * leading gap of rows, an empty styled cell far to the right (ignored) */
  assert_int_equal(
      read_sheet(SHEET("<row r=\"3\"><c t=\"s\" r=\"B3\" note='a>b'><v>1</v></c><c><v>7</v></c>"
                       "<c r=\"XFD3\" s=\"2\"/></row>"
                       "<row><c r=\"E4\" t=\"b\"><v>1</v></c></row>"
                       "<row r=\"6\" hidden=\"1\"></row>"),
                 "<sst><si><t>零</t></si><si><t>一</t></si></sst>", out, sizeof out),
      XLSX_END);
  assert_string_equal(out, "1:\n2:\n3:|一|7\n4:||||TRUE\n5:\n6:\n");
  /* an empty sheet */
  assert_int_equal(read_sheet("<worksheet><sheetData/></worksheet>", NULL, out, sizeof out),
                   XLSX_END);
  assert_string_equal(out, "");
  /* a value in column IV (256) is fine, IW (257) is over the default limit */
  assert_int_equal(read_sheet(SHEET("<row><c r=\"IV1\"><v>1</v></c></row>"), NULL, out, sizeof out),
                   XLSX_END);
  assert_int_equal(read_sheet(SHEET("<row><c r=\"IW1\"><v>1</v></c></row>"), NULL, out, sizeof out),
                   XLSX_TOO_MANY_COLS);
  /* row 100000 is the default limit */
  size_t len;
  unsigned char *zip = make_book(SHEET("<row r=\"100000\"/>"), NULL, 8, &len);
  struct xlsx_reader *r;
  struct xlsx_row row;
  assert_int_equal(xlsx_read_open(zip, len, NULL, &r, NULL, 0), XLSX_OK);
  size_t n = 0;
  int rc;
  while ((rc = xlsx_read_next_row(r, &row)) == XLSX_OK) n++;
  assert_int_equal(rc, XLSX_END);
  assert_int_equal(n, 100000);
  xlsx_read_free(r);
  free(zip);
  assert_int_equal(read_sheet(SHEET("<row r=\"100001\"/>"), NULL, NULL, 0), XLSX_TOO_MANY_ROWS);
}

/* F-L7 (security review 2026-12): a shared-strings part holding only empty strings left the
 * table's text unallocated, and a cell pointing at it computed NULL + 0 (undefined behaviour that
 * clang's UBSan reports). The cell must read as an empty field; the fuzz suite replays the
 * reviewer's reproducer (tests/fuzz/corpus/xlsx/f-l7-empty-shared-strings) under clang. */
static void test_all_shared_strings_empty(void **state)
{
  char out[256];
  assert_int_equal(read_sheet(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>5</v></c></row>"),
                              "<sst><si><t></t></si></sst>", out, sizeof out),
                   XLSX_END);
  assert_string_equal(out, "1:|5\n");
}

static void test_numbers(void **state)
{
  char out[1024];
  assert_int_equal(
      read_sheet(SHEET("<row><c><v>42</v></c><c><v>42.0</v></c><c><v>4.2E1</v></c>"
                       "<c><v>-0.5</v></c><c><v>3.607021975061512E+17</v></c>"
                       "<c><v>360702197506151234</v></c><c><v>999999999999999</v></c>"
                       "<c><v>1000000000000000</v></c><c><v>0.1</v></c><c><v>45658.5</v></c>"
                       "<c t=\"n\"><v>.5</v></c><c><v>-0</v></c><c t=\"d\"><v>2025-01-01</v></c></row>"),
                 NULL, out, sizeof out),
      XLSX_END);
  assert_string_equal(out, "1:42|42|42|-0.5|3.60702197506151E+17|3.60702197506151E+17|"
                           "999999999999999|1E+15|0.1|45658.5|0.5|0|2025-01-01\n");
  const char *bad[] = {"1,5", "1e", "abc", "1e400", "--1", "0x10", "1.2.3", "NaN", "inf", " "};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char sheet[256];
    snprintf(sheet, sizeof sheet, SHEET("<row><c><v>%s</v></c></row>"), bad[i]);
    int rc = read_sheet(sheet, NULL, NULL, 0);
    if (strcmp(bad[i], " ") == 0)
      assert_int_equal(rc, XLSX_BAD_CELL); /* whitespace only: not a number */
    else
      assert_int_equal(rc, XLSX_BAD_CELL);
  }
}

static void test_bad_cells(void **state)
{
  const char *sst = "<sst><si><t>a</t></si></sst>";
  const struct {
    const char *sheet;
    int rc;
  } cases[] = {
      {SHEET("<row><c r=\"B1\"/><c r=\"A1\"/></row>"), XLSX_BAD_CELL},  /* cells out of order */
      {SHEET("<row><c r=\"A1\"/><c r=\"A1\"/></row>"), XLSX_BAD_CELL},  /* duplicate */
      {SHEET("<row r=\"2\"/><row r=\"1\"/>"), XLSX_BAD_CELL},           /* rows out of order */
      {SHEET("<row r=\"2\"/><row r=\"2\"/>"), XLSX_BAD_CELL},
      {SHEET("<row r=\"0\"/>"), XLSX_BAD_CELL},
      {SHEET("<row r=\"-1\"/>"), XLSX_BAD_CELL},
      {SHEET("<row r=\"1048577\"/>"), XLSX_BAD_CELL},
      {SHEET("<row r=\"1\"><c r=\"A2\"/></row>"), XLSX_BAD_CELL},        /* ref in another row */
      {SHEET("<row><c r=\"a1\"/></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c r=\"A01\"/></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c r=\"XFE1\"/></row>"), XLSX_BAD_CELL},              /* beyond XFD */
      {SHEET("<row><c r=\"AAAA1\"/></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c r=\"1A\"/></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c t=\"s\"><v>1</v></c></row>"), XLSX_BAD_CELL},     /* index out of range */
      {SHEET("<row><c t=\"s\"><v>-1</v></c></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c t=\"s\"><v>99999999999999999999999</v></c></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c t=\"b\"><v>2</v></c></row>"), XLSX_BAD_CELL},
      {SHEET("<row><c t=\"x\"><v>2</v></c></row>"), XLSX_BAD_CELL},     /* unknown type */
      {SHEET("<row><c t=\"s\"><v>0</v></c></row>"), XLSX_END},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = read_sheet(cases[i].sheet, sst, NULL, 0);
    if (rc != cases[i].rc) fail_msg("case %zu: %s -> %d", i, cases[i].sheet, rc);
  }
}

static void test_bad_xml(void **state)
{
  const struct {
    const char *sheet;
    int rc;
  } cases[] = {
      {SHEET("<row><c t=\"inlineStr\"><is><t>&foo;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&amp</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>a & b</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#0;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#xD800;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#x110000;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#xFFFE;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#99999999999999999999;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#x;</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>\xC0\xAF</t></is></c></row>"), XLSX_BAD_XML}, /* overlong */
      {SHEET("<row><c t=\"inlineStr\"><is><t>\xED\xA0\x80</t></is></c></row>"), XLSX_BAD_XML}, /* surrogate */
      {SHEET("<row><c t=\"inlineStr\"><is><t>\xE4\xB8</t></is></c></row>"), XLSX_BAD_XML}, /* cut */
      {SHEET("<row><c t=\"inlineStr\"><is><t>\x01</t></is></c></row>"), XLSX_BAD_XML},
      {SHEET("<row><c t=\"inlineStr\"><is><t>x</t></is></c>"), XLSX_BAD_XML}, /* row not closed */
      {"<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet><sheetData/></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData><row><c r=\"A1></row></sheetData></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData><row><c r=A1/></row></sheetData></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData><row><c r=\"A1\"t=\"s\"/></row></sheetData></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData><row><c r=\"A1\" / ></row></sheetData></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData><row><!-- unterminated </row></sheetData></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData><row></row>", XLSX_BAD_XML},          /* sheetData not closed */
      {"<worksheet></worksheet>", XLSX_BAD_XML},                     /* no sheetData */
      {"<worksheet><sheetData><row><c><v>1<x/></v></c></row></sheetData></worksheet>", XLSX_BAD_XML},
      {"<worksheet><sheetData></row></sheetData></worksheet>", XLSX_BAD_XML},
      /* and things that are fine */
      {"<?xml version='1.0'?><!-- c --><worksheet><sheetData><row ><c r = \"A1\" ><v >1</v ></c ></row\n>"
       "</sheetData ></worksheet>", XLSX_END},
      {SHEET("<row><c t=\"inlineStr\"><is><t>&#x9;&#10;&#xd;&#x10FFFF;</t></is></c></row>"), XLSX_END},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int rc = read_sheet(cases[i].sheet, NULL, NULL, 0);
    if (rc != cases[i].rc) fail_msg("case %zu: %s -> %d", i, cases[i].sheet, rc);
  }
  /* broken shared strings fail at open */
  assert_int_equal(read_sheet(SHEET(""), "<sst><si><t>&bogus;</t></si></sst>", NULL, 0),
                   XLSX_BAD_XML);
  assert_int_equal(read_sheet(SHEET(""), "<sst><si><t>open", NULL, 0), XLSX_BAD_XML);
}

static void test_strings(void **state)
{
  char out[1024];
  assert_int_equal(
      read_sheet(SHEET("<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c>"
                       "<c t=\"str\"><v>x_x0009_y</v></c><c t=\"inlineStr\"><is><t/></is></c>"
                       "<c t=\"inlineStr\"><is><t>&#x4E2D;&#22269;</t></is></c></row>"),
                 "<x:sst xmlns:x=\"urn:x\"><x:si><x:r><x:t>前</x:t></x:r><x:r><x:t>后</x:t></x:r>"
                 "<x:rPh sb=\"0\" eb=\"1\"><x:t>qian</x:t></x:rPh></x:si>"
                 "<x:si><x:t>_x005F_x000D_ is literal</x:t></x:si>"
                 "<x:si><x:t>_x0000_ and _xZZZZ_ and _x00</x:t></x:si></x:sst>",
                 out, sizeof out),
      XLSX_END);
  assert_string_equal(out, "1:前后|_x000D_ is literal|_x0000_ and _xZZZZ_ and _x00|x\ty||中国\n");
}

static void test_cell_length_exact(void **state)
{
  struct xlsx_limits lim = {0, 0, 6, 0};
  size_t len;
  char out[256];
  /* 6 bytes after decoding: "&amp;&amp;" is 2 */
  unsigned char *zip = make_book(
      SHEET("<row><c t=\"inlineStr\"><is><t>中文</t></is></c><c t=\"inlineStr\"><is><t>&amp;&amp;</t></is></c></row>"),
      NULL, 8, &len);
  assert_int_equal(read_all(zip, len, &lim, out, sizeof out), XLSX_END);
  assert_string_equal(out, "1:中文|&&\n");
  free(zip);
  zip = make_book(SHEET("<row><c t=\"inlineStr\"><is><t>中文a</t></is></c></row>"), NULL, 8, &len);
  assert_int_equal(read_all(zip, len, &lim, NULL, 0), XLSX_CELL_TOO_LONG);
  free(zip);
  /* through a shared string too */
  zip = make_book(SHEET("<row><c t=\"s\"><v>0</v></c></row>"), "<sst><si><t>1234567</t></si></sst>",
                  8, &len);
  assert_int_equal(read_all(zip, len, &lim, NULL, 0), XLSX_CELL_TOO_LONG);
  free(zip);
}

/* ------------------------------------------------------------------ dates and messages */

static void test_serial_to_date(void **state)
{
  const struct {
    double serial;
    int date;
  } cases[] = {
      {1, 19000101},      {59, 19000228},   {60, -1},       {61, 19000301},
      {45658, 20250101},  {45658.99, 20250101}, {36526, 20000101}, {2958465, 99991231},
      {2958466, -1},      {0, -1},          {-5, -1},       {0.5, -1},
      {27154, 19740505},  {43890, 20200229}, {43891, 20200301},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (xlsx_read_serial_to_date(cases[i].serial) != cases[i].date)
      fail_msg("serial %g -> %d, expected %d", cases[i].serial,
               xlsx_read_serial_to_date(cases[i].serial), cases[i].date);
  assert_int_equal(xlsx_read_serial_to_date(0.0 / 0.0), -1);
}

static void test_result_messages(void **state)
{
  for (int rc = XLSX_INVALID; rc <= XLSX_END; rc++) {
    assert_string_not_equal(xlsx_read_result_code(rc), "xlsx_unknown");
    assert_true(strlen(xlsx_read_result_message_zh(rc)) > 0);
  }
  assert_string_equal(xlsx_read_result_code(XLSX_CRC_MISMATCH), "xlsx_crc_mismatch");
  assert_string_equal(xlsx_read_result_code(-99), "xlsx_unknown");
  assert_non_null(strstr(xlsx_read_result_message_zh(XLSX_LEGACY_FORMAT), ".xls"));
  assert_int_equal(xlsx_read_next_row(NULL, NULL), XLSX_INVALID);
  xlsx_read_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_libxlsxwriter_roster),
      cmocka_unit_test(test_all_shared_strings_empty),
      cmocka_unit_test(test_libxlsxwriter_row_shape),
      cmocka_unit_test(test_handmade_xml_stored),
      cmocka_unit_test(test_limits_on_real_workbook),
      cmocka_unit_test(test_truncated_every_length),
      cmocka_unit_test(test_not_a_zip),
      cmocka_unit_test(test_zip_bomb),
      cmocka_unit_test(test_crc_mismatch),
      cmocka_unit_test(test_zip_structure_errors),
      cmocka_unit_test(test_sheet_selection),
      cmocka_unit_test(test_cells_and_gaps),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_bad_cells),
      cmocka_unit_test(test_bad_xml),
      cmocka_unit_test(test_strings),
      cmocka_unit_test(test_cell_length_exact),
      cmocka_unit_test(test_serial_to_date),
      cmocka_unit_test(test_result_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
