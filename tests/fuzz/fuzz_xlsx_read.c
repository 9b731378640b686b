/* libFuzzer harness for util/xlsx_read. Not built by the Makefile; build and run with:
 *
 *   clang -std=c17 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
 *     tests/fuzz/fuzz_xlsx_read.c src/util/xlsx_read.c -o build/fuzz_xlsx_read -lz -lm
 *   mkdir -p build/fuzz_xlsx_corpus && cp tests/unit/data/xlsx_*.xlsx build/fuzz_xlsx_corpus/
 *   build/fuzz_xlsx_read -max_total_time=60 -rss_limit_mb=1024 build/fuzz_xlsx_corpus
 *
 * The first input byte picks small limits (so the caps are reached often) and a mode:
 *   bit 7 clear: the rest is the .xlsx file itself (ZIP layer and everything above it);
 *   bit 7 set:   the rest is XML — the worksheet, and after a NUL byte the shared strings —
 *                which the harness wraps in a valid stored ZIP, so the fuzzer spends its
 *                time in the XML scanner and cell decoding instead of fighting CRCs.
 * Beyond the sanitizers, the harness checks the reader's promises: rows are numbered
 * 1, 2, 3..., counts and cell lengths are within the limits, every field is NUL-terminated
 * with the stated length and the last one is non-empty, and results are sticky. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
  if (!ok) abort();
}

struct out {
  unsigned char *d;
  size_t len;
};

static void put(struct out *o, const void *p, size_t n)
{
  if (n) memcpy(o->d + o->len, p, n);
  o->len += n;
}

static void put16(struct out *o, unsigned v)
{
  unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
  put(o, b, 2);
}

static void put32(struct out *o, uint32_t v)
{
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  put(o, b, 4);
}

/* A stored ZIP of the given parts. */
static unsigned char *wrap(const char *const *names, const uint8_t *const *bodies,
                           const size_t *lens, size_t n, size_t *out_len)
{
  size_t total = 22;
  for (size_t i = 0; i < n; i++) total += 30 + 46 + 2 * strlen(names[i]) + lens[i];
  struct out o = {malloc(total), 0};
  if (!o.d) return NULL;
  uint32_t offs[4];
  for (size_t i = 0; i < n; i++) {
    offs[i] = (uint32_t)o.len;
    put32(&o, 0x04034b50u);
    put16(&o, 20), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0);
    put32(&o, (uint32_t)crc32(0L, bodies[i], (uInt)lens[i]));
    put32(&o, (uint32_t)lens[i]), put32(&o, (uint32_t)lens[i]);
    put16(&o, (unsigned)strlen(names[i])), put16(&o, 0);
    put(&o, names[i], strlen(names[i]));
    put(&o, bodies[i], lens[i]);
  }
  size_t cd = o.len;
  for (size_t i = 0; i < n; i++) {
    put32(&o, 0x02014b50u);
    put16(&o, 20), put16(&o, 20), put16(&o, 0), put16(&o, 0), put16(&o, 0), put16(&o, 0);
    put32(&o, (uint32_t)crc32(0L, bodies[i], (uInt)lens[i]));
    put32(&o, (uint32_t)lens[i]), put32(&o, (uint32_t)lens[i]);
    put16(&o, (unsigned)strlen(names[i])), put16(&o, 0), put16(&o, 0), put16(&o, 0),
        put16(&o, 0);
    put32(&o, 0), put32(&o, offs[i]);
    put(&o, names[i], strlen(names[i]));
  }
  size_t cd_len = o.len - cd;
  put32(&o, 0x06054b50u);
  put16(&o, 0), put16(&o, 0), put16(&o, (unsigned)n), put16(&o, (unsigned)n);
  put32(&o, (uint32_t)cd_len), put32(&o, (uint32_t)cd), put16(&o, 0);
  *out_len = o.len;
  return o.d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0) return 0;
  uint8_t mode = data[0];
  struct xlsx_limits lim = {
      (size_t)(mode & 0x03) * 300 + 20,  /* max_rows */
      (size_t)((mode >> 2) & 0x03) * 5 + 3, /* max_cols */
      (size_t)((mode >> 4) & 0x07) * 10 + 1, /* max_cell_len */
      1u << 20,                           /* max_uncompressed */
  };
  const uint8_t *rest = data + 1;
  size_t rest_len = size - 1;
  unsigned char *zip = NULL;
  size_t zip_len = rest_len;
  if (mode & 0x80) {
    static const char wb[] = "<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] =
        "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/></Relationships>";
    const uint8_t *nul = memchr(rest, 0, rest_len);
    size_t sheet_len = nul ? (size_t)(nul - rest) : rest_len;
    const char *names[4] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                            "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};
    const uint8_t *bodies[4] = {(const uint8_t *)wb, (const uint8_t *)rels, rest,
                                nul ? nul + 1 : NULL};
    size_t lens[4] = {sizeof wb - 1, sizeof rels - 1, sheet_len,
                      nul ? rest_len - sheet_len - 1 : 0};
    zip = wrap(names, bodies, lens, nul ? 4 : 3, &zip_len);
    if (!zip) return 0;
  } else {
    /* an exact-size copy, so that any read past the end is caught */
    zip = malloc(rest_len ? rest_len : 1);
    if (!zip) return 0;
    memcpy(zip, rest, rest_len);
  }

  struct xlsx_reader *r = NULL;
  char err[128];
  int rc = xlsx_read_open(zip, zip_len, &lim, &r, err, sizeof err);
  if (rc != XLSX_OK) {
    check(rc < 0 && r == NULL && err[0] != '\0');
    check(xlsx_read_result_code(rc)[0] != '\0');
    free(zip);
    return 0;
  }
  free(zip); /* the reader must not need the input any more */
  struct xlsx_row row;
  size_t expect = 1;
  while ((rc = xlsx_read_next_row(r, &row)) == XLSX_OK) {
    check(row.number == expect++);
    check(row.number <= lim.max_rows);
    check(row.count <= lim.max_cols);
    check(row.fields != NULL);
    for (size_t i = 0; i < row.count; i++) {
      check(row.lengths[i] <= lim.max_cell_len);
      check(row.fields[i][row.lengths[i]] == '\0');
      check(strlen(row.fields[i]) == row.lengths[i]);
    }
    check(row.count == 0 || row.lengths[row.count - 1] > 0);
  }
  check(xlsx_read_next_row(r, &row) == rc);
  if (rc != XLSX_END) {
    check(rc < 0);
    check(xlsx_read_error_detail(r)[0] != '\0');
    struct xlsx_position at = xlsx_read_error_position(r);
    check(at.row >= 1 && at.row <= 1048577);
  }
  xlsx_read_free(r);
  return 0;
}
