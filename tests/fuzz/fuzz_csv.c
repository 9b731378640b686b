/* libFuzzer harness for util/csv. Not built by the Makefile; build and run with:
 *
 *   clang -std=c17 -g -O1 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
 *     tests/fuzz/fuzz_csv.c src/util/csv.c -o build/fuzz_csv
 *   mkdir -p build/fuzz_csv_corpus && build/fuzz_csv -max_total_time=60 build/fuzz_csv_corpus
 *
 * The first input byte picks small limits so that the caps are reached often; the rest is
 * the CSV text. Beyond the sanitizers, the harness checks the reader's promises: every
 * field is within the limits and NUL-terminated, rows are numbered 1, 2, 3..., and errors
 * are sticky and carry a position. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
  if (!ok) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0) return 0;
  struct csv_limits lim = {(size_t)(data[0] & 0x0f) + 1, (size_t)(data[0] >> 4) * 4 + 1};
  struct csv_reader *r;
  if (csv_reader_new((const char *)data + 1, size - 1, &lim, &r) != CSV_OK) return 0;
  struct csv_row row;
  size_t expect = 1;
  int rc;
  while ((rc = csv_next_row(r, &row)) == CSV_OK) {
    check(row.number == expect++);
    check(row.count >= 1 && row.count <= lim.max_fields);
    for (size_t i = 0; i < row.count; i++) {
      check(row.lengths[i] <= lim.max_field_len);
      check(row.fields[i][row.lengths[i]] == '\0');
    }
  }
  check(csv_next_row(r, &row) == rc);
  if (rc != CSV_END) {
    struct csv_position at = csv_reader_error_position(r);
    check(rc < 0 && at.row == expect && at.column >= 1 && at.column <= lim.max_fields + 1);
    check(at.line >= 1);
  }
  csv_reader_free(r);
  return 0;
}
