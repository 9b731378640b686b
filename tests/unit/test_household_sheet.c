/* Unit tests for core/household_sheet: the county's household list (5.6) read cell by cell —
 * header names and synonyms, the checks of a member row, and the grouping of rows into
 * households with its own checks (cells that must agree, one 户主, one ID number once). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/household_sheet.h"

#define TODAY 20261129

static json_t *row_of(const char *const *cells)
{
  json_t *row = json_array();
  for (size_t i = 0; cells[i]; i++) json_array_append_new(row, json_string(cells[i]));
  return row;
}

static const char *const HEADER[] = {"户编号", "户主姓名", "户类型", "成员姓名", "身份证号", "与户主关系", "人均纯收入",
                                     "义务教育保障", NULL};

/* The number of errors with this row and code (and column, if not NULL). */
static int errors_with(const json_t *errors, int row, const char *code, const char *column)
{
  int n = 0;
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) {
    if (json_integer_value(json_object_get(e, "row")) != row) continue;
    if (strcmp(json_string_value(json_object_get(e, "code")), code) != 0) continue;
    if (column && strcmp(json_string_value(json_object_get(e, "column")), column) != 0) continue;
    n++;
  }
  return n;
}

static void header(struct hs_header *h)
{
  json_t *row = row_of(HEADER), *errors = json_array();
  assert_int_equal(household_sheet_header(row, h, errors), 0);
  json_decref(row);
  json_decref(errors);
}

static void test_header_synonyms_and_missing(void **state)
{
  (void)state;
  static const char *const SYN[] = {" 户码 ", "户主", "户属性", "姓名", "身份证号码", "与户主关系", "家庭人均纯收入", NULL};
  json_t *row = row_of(SYN), *errors = json_array();
  struct hs_header h;
  assert_int_equal(household_sheet_header(row, &h, errors), 0);
  assert_int_equal(h.index[HS_NO], 0);
  assert_int_equal(h.index[HS_ID], 4);
  assert_int_equal(h.index[HS_INCOME], 6);
  assert_int_equal(h.index[HS_WATER], -1);
  json_decref(row);
  static const char *const LACKING[] = {"户编号", "户主姓名", "成员姓名", NULL};
  row = row_of(LACKING);
  assert_int_equal(household_sheet_header(row, &h, errors), 3); /* 户类型, 身份证号, 与户主关系 */
  assert_int_equal(errors_with(errors, 1, "column_missing", ""), 3);
  json_decref(row);
  json_decref(errors);
}

static void test_row_checks(void **state)
{
  (void)state;
  struct hs_header h;
  header(&h);
  json_t *errors = json_array();
  struct hs_row r;
  static const char *const GOOD[] = {"001", "钟长生", "边缘易致贫户", "钟长生", "362101196803120114", "户主", "7200",
                                      "否", NULL};
  json_t *row = row_of(GOOD);
  assert_int_equal(household_sheet_row(&h, row, 2, TODAY, &r, errors), 0);
  assert_string_equal(r.category, "marginal");
  assert_int_equal(r.sex, 'M');
  assert_string_equal(r.birth_date, "1968-03-12");
  assert_true(r.has_income);
  assert_true(r.income == 7200.0);
  assert_int_equal(r.income_year, 2025); /* blank 收入年度: last year */
  assert_int_equal(r.items[1], 0);       /* 义务教育保障 否 */
  assert_int_equal(r.items[0], -1);      /* no column: unknown */
  assert_int_equal(r.monitored, -1);
  json_decref(row);

  static const char *const BAD[] = {"", "钟", "贫困户", "钟长生", "362101196803120115", "", "-5", "也许", NULL};
  row = row_of(BAD);
  assert_true(household_sheet_row(&h, row, 7, TODAY, &r, errors) >= 7);
  assert_int_equal(errors_with(errors, 7, "field_required", "A"), 1);   /* 户编号 */
  assert_int_equal(errors_with(errors, 7, "field_invalid", "B"), 1);    /* 户主姓名 too short */
  assert_int_equal(errors_with(errors, 7, "field_invalid", "C"), 1);    /* 户类型 */
  assert_int_equal(errors_with(errors, 7, "id_checksum", "E"), 1);
  assert_int_equal(errors_with(errors, 7, "field_required", "F"), 1);   /* 与户主关系 */
  assert_int_equal(errors_with(errors, 7, "field_invalid", "G"), 1);    /* income */
  assert_int_equal(errors_with(errors, 7, "field_invalid", "H"), 1);    /* 是/否 */
  json_decref(row);
  json_decref(errors);
}

static void test_grouping(void **state)
{
  (void)state;
  struct hs_header h;
  header(&h);
  static const char *const CELLS[][9] = {
    {"001", "钟长生", "脱贫户", "钟长生", "362101196803120114", "户主", "9000", "", NULL},
    {"001", "钟长生", "脱贫户", "刘秀英", "362101197005020228", "配偶", "9000", "", NULL},
    {"002", "黄水根", "脱贫户", "黄水根", "362101195911020415", "户主", "", "", NULL},
    {"002", "黄水根", "脱贫不稳定户", "陈桂花", "362101196201200520", "配偶", "", "", NULL}, /* category differs */
    {"003", "谢国华", "脱贫户", "谢国华", "362101198007070610", "子女", "", "", NULL},       /* no 户主 */
    {"004", "赖金发", "脱贫户", "赖小发", "362101197502281015", "户主", "", "", NULL},       /* head's name differs */
    {"005", "罗福明", "脱贫户", "罗福明", "362101196803120114", "户主", "", "", NULL},       /* ID of row 2 again */
  };
  json_t *rows_json[7], *errors = json_array();
  struct hs_row rows[8];
  bool skip[8] = {true};
  for (int i = 0; i < 7; i++) {
    rows_json[i] = row_of(CELLS[i]);
    household_sheet_row(&h, rows_json[i], i + 2, TODAY, &rows[i + 1], errors);
  }
  assert_int_equal(json_array_size(errors), 0);
  struct hs_household *list;
  int n;
  assert_true(household_sheet_group(&h, rows, skip, 8, &list, &n, errors) >= 4);
  assert_int_equal(n, 5);
  assert_int_equal(list[0].count, 2);
  assert_string_equal(list[0].merged.no, "001");
  assert_true(list[0].merged.has_income);
  assert_int_equal(errors_with(errors, 5, "household_mismatch", "C"), 1);
  assert_int_equal(errors_with(errors, 6, "head_count", "F"), 1);
  assert_int_equal(errors_with(errors, 7, "head_mismatch", "D"), 1);
  assert_int_equal(errors_with(errors, 8, "duplicate_in_file", "E"), 1);
  assert_int_equal(errors_with(errors, 2, "head_count", NULL), 0);
  household_sheet_free(list, n);
  for (int i = 0; i < 7; i++) json_decref(rows_json[i]);
  json_decref(errors);
}

static void test_category_names(void **state)
{
  (void)state;
  assert_string_equal(household_category_name_zh("sudden"), "突发严重困难户");
  assert_string_equal(household_category_name_zh("nope"), "");
  assert_string_equal(household_category_name_zh(NULL), "");
  assert_true(household_category_monitoring("unstable"));
  assert_false(household_category_monitoring("alleviated"));
  assert_false(household_category_monitoring("general"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header_synonyms_and_missing), cmocka_unit_test(test_row_checks),
      cmocka_unit_test(test_grouping), cmocka_unit_test(test_category_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
