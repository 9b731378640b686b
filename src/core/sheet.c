/* sheet — shared pieces of the spreadsheet imports (see sheet.h). */
#include "core/sheet.h"

#include <stdio.h>
#include <string.h>

void sheet_column_letter(int index, char out[4])
{
  if (index < 26) snprintf(out, 4, "%c", 'A' + index);
  else snprintf(out, 4, "%c%c", 'A' + index / 26 - 1, 'A' + index % 26);
}

void sheet_trim(const char *s, char *out, size_t len)
{
  while (*s == ' ' || *s == '\t') s++;
  snprintf(out, len, "%s", s);
  size_t n = strlen(out);
  while (n && (out[n - 1] == ' ' || out[n - 1] == '\t')) out[--n] = '\0';
}

void sheet_match_header(const json_t *row, const char *const (*names)[3], int nfields, int *index)
{
  for (int f = 0; f < nfields; f++) index[f] = -1;
  size_t i;
  json_t *cell;
  json_array_foreach(row, i, cell) {
    char name[64];
    sheet_trim(json_string_value(cell) ? json_string_value(cell) : "", name, sizeof name);
    for (int f = 0; f < nfields; f++)
      for (int k = 0; k < 3 && names[f][k]; k++)
        if (strcmp(name, names[f][k]) == 0 && index[f] < 0) index[f] = (int)i;
  }
}

void sheet_add_error(json_t *errors, int row, int col, const char *field, const char *code, const char *msg)
{
  char letter[4] = "";
  if (col >= 0) sheet_column_letter(col, letter);
  json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", row, "column", letter, "field", field,
                                          "code", code, "message", msg));
}
