/* household_sheet — reading a village's household list (脱贫户、监测户名册, 5.6, 5.8) as the county
 * keeps it in Excel: a header row of Chinese column names, then one row per member (成员), the
 * household's own cells (户编号, 户主姓名, 户类型, income, 两不愁三保障) repeated on each of its rows.
 *
 * Every cell is checked and every problem reported with its row, column and a Chinese message;
 * then the rows are grouped into households, and the groups checked: the household's cells agree
 * on every row, exactly one member is 户主 and bears the 户主姓名, an ID number appears once in the
 * file. Pure: rows come in as JSON arrays of strings (from csv.c or xlsx_read.c). */
#ifndef ZHUCUN_HOUSEHOLD_SHEET_H
#define ZHUCUN_HOUSEHOLD_SHEET_H

#include <jansson.h>
#include <stdbool.h>

#include "core/idcard.h"

enum hs_column {
  HS_NO, HS_HEAD, HS_CATEGORY, HS_MONITORED, HS_MEMBER, HS_ID, HS_RELATION, HS_ABLE, HS_HEALTH, HS_INCOME, HS_YEAR,
  HS_PHONE, HS_ADDRESS, HS_FOOD, HS_SCHOOLING, HS_MEDICAL, HS_HOUSING, HS_WATER, HS_COLUMNS
};

/* 两不愁三保障 + 饮水: the five items, in the order of the household table's columns. */
#define HS_ITEMS 5

struct hs_header { int index[HS_COLUMNS]; /* column of each field, -1 if absent */ };

struct hs_row {
  int number;                        /* the spreadsheet row */
  const char *no, *head, *category;  /* category: household.category code */
  const char *member, *relation, *health, *phone, *address;  /* borrowed from the row */
  char id_number[IDCARD_SIZE];       /* normalized */
  char sex;                          /* 'M' / 'F', from the ID number */
  char birth_date[11];               /* YYYY-MM-DD, from the ID number */
  int monitored, able;               /* 0/1, -1 when blank */
  int items[HS_ITEMS];               /* 1 secure, 0 not, -1 blank */
  bool has_income;
  double income;                     /* 人均纯收入, yuan per person per year */
  int income_year;                   /* 0 when blank */
};

/* One household of the sheet: its first row's cells merged with the later rows' non-blank ones. */
struct hs_household {
  struct hs_row merged;              /* household-level fields; member fields of the first row */
  int first, count;                  /* rows[first ..] in file order are its members: see members */
  int *members;                      /* indices into the rows array, malloc'd */
};

/* Maps the header row (row 1); returns the number of errors added. */
int household_sheet_header(const json_t *row, struct hs_header *out, json_t *errors);
/* Checks one member row; returns the number of errors added. today bounds birth dates and years. */
int household_sheet_row(const struct hs_header *h, const json_t *row, int number, int today, struct hs_row *out,
                        json_t *errors);
/* Groups n checked rows (blank ones marked skip[i]) by 户编号 into *out (malloc'd, *nout of them;
 * free with household_sheet_free) and checks each group; returns the number of errors added. */
int household_sheet_group(const struct hs_header *h, const struct hs_row *rows, const bool *skip, int n,
                          struct hs_household **out, int *nout, json_t *errors);
void household_sheet_free(struct hs_household *list, int n);

/* The Chinese name of a category code (脱贫户 …), "" for an unknown code; NULL-safe. */
const char *household_category_name_zh(const char *code);
/* True for the three 监测户 categories (脱贫不稳定户, 边缘易致贫户, 突发严重困难户). */
bool household_category_monitoring(const char *code);

#endif
