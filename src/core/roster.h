/* roster — reading a cadre roster (干部花名册) as the county keeps it in Excel: a header row of
 * Chinese column names, then one cadre per row. Every cell is checked and every problem is
 * reported with its row, column and a Chinese message, so the official fixes the sheet once.
 * Pure: rows come in as JSON arrays of strings (from csv.c or xlsx_read.c). */
#ifndef ZHUCUN_ROSTER_H
#define ZHUCUN_ROSTER_H

#include <jansson.h>
#include <stdbool.h>

#include "core/idcard.h"

struct policy;

enum roster_column {
  ROSTER_NAME, ROSTER_ID_NUMBER, ROSTER_PHONE, ROSTER_PARTY, ROSTER_EMPLOYMENT, ROSTER_RANK, ROSTER_RURAL,
  ROSTER_AGRI, ROSTER_APPRAISAL_YEAR, ROSTER_APPRAISAL, ROSTER_COLUMNS
};

struct roster_header { int index[ROSTER_COLUMNS]; /* column of each field, -1 if absent */ };

struct roster_row {
  const char *name, *phone, *employment, *rank, *appraisal;   /* codes, borrowed from the row or policy */
  char id_number[IDCARD_SIZE];                                /* normalized */
  int party, rural, agri;                                     /* 0/1, or -1 when the column is absent */
  int appraisal_year;                                         /* 0 when none */
};

/* Maps the header row's names (e.g. 姓名, 身份证号) to fields; appends errors (row 1). Returns
 * the number of errors added. 姓名 and 身份证号 are required columns. */
int roster_read_header(const json_t *row, struct roster_header *out, json_t *errors);
/* Checks one data row (number: the spreadsheet row). Returns the number of errors added. */
int roster_read_row(const struct policy *p, const struct roster_header *h, const json_t *row, int number, int today,
                    struct roster_row *out, json_t *errors);
/* "A", "B", ... "AA" for a 0-based column. */
void roster_column_letter(int index, char out[4]);
/* The Chinese header name of a field. */
const char *roster_column_name(enum roster_column c);

#endif
