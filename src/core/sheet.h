/* sheet — what every import of a spreadsheet needs, whatever its columns: the column letter of an
 * index (A, B, … AA), a cell trimmed of blanks, a header row matched against each field's accepted
 * names, and one error row {row, column, field, code, message} in the shape the UI lists. Shared by
 * the cadre roster (core/roster.c) and the household sheet (core/household_sheet.c). */
#ifndef ZHUCUN_SHEET_H
#define ZHUCUN_SHEET_H

#include <jansson.h>
#include <stddef.h>

/* 0 → "A", 25 → "Z", 26 → "AA" (two letters at most: 702 columns). */
void sheet_column_letter(int index, char out[4]);
/* The text with leading and trailing spaces and tabs removed, cut to len - 1 bytes. */
void sheet_trim(const char *s, char *out, size_t len);
/* For each of nfields fields, the index of the first header cell equal to one of its (up to three)
 * names, or -1: index[f]. */
void sheet_match_header(const json_t *row, const char *const (*names)[3], int nfields, int *index);
/* Appends {row, column (letter; "" when col < 0), field, code, message} to errors. */
void sheet_add_error(json_t *errors, int row, int col, const char *field, const char *code, const char *msg);

#endif
