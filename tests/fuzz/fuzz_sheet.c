/* libFuzzer harness for the sheet readers above the file formats: CSV text → rows → the household
 * sheet's header, row and group checks (src/core/household_sheet.c, src/core/sheet.c), the path
 * every 户情 import takes. Beyond the sanitizers: every error names a row that exists, and the
 * groups hold each checked row at most once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/household_sheet.h"
#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
  if (!ok) abort();
}

#define MAX_ROWS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct csv_limits lim = {32, 256};
  struct csv_reader *r;
  if (csv_reader_new((const char *)data, size, &lim, &r) != CSV_OK) return 0;
  json_t *rows = json_array(), *errors = json_array();
  struct csv_row row;
  while (json_array_size(rows) < MAX_ROWS + 1 && csv_next_row(r, &row) == CSV_OK) {
    json_t *cells = json_array();
    for (size_t i = 0; i < row.count; i++) json_array_append_new(cells, json_stringn(row.fields[i], row.lengths[i]));
    json_array_append_new(rows, cells);
  }
  csv_reader_free(r);
  /* the same steps as the import (h_households.c check_sheet): header, each non-blank row, groups */
  struct hs_header h;
  int n = (int)json_array_size(rows);
  if (n > 0 && household_sheet_header(json_array_get(rows, 0), &h, errors) == 0) {
    struct hs_row parsed[MAX_ROWS + 1];
    bool skip[MAX_ROWS + 1];
    memset(parsed, 0, sizeof parsed);
    for (int i = 1; i < n; i++) {
      json_t *cells = json_array_get(rows, (size_t)i);
      skip[i] = json_array_size(cells) == 0;
      if (!skip[i]) household_sheet_row(&h, cells, i + 1, 20260610, &parsed[i], errors);
    }
    skip[0] = true;
    struct hs_household *groups = NULL;
    int ngroups = 0;
    if (household_sheet_group(&h, parsed, skip, n, &groups, &ngroups, errors) >= 0) {
      int total = 0;
      for (int g = 0; g < ngroups; g++) total += groups[g].count;
      check(total <= n - 1);
    }
    household_sheet_free(groups, ngroups);
  }
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) {
    json_int_t at = json_integer_value(json_object_get(e, "row"));
    check(at >= 0 && at <= MAX_ROWS + 2);
  }
  json_decref(rows);
  json_decref(errors);
  return 0;
}
