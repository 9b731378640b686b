/* Generates xlsx_roster.xlsx with libxlsxwriter (run from the repo root):
 *   gcc tests/unit/data/xlsx_gen_roster.c -o /tmp/xlsx_gen_roster $(pkg-config --cflags --libs xlsxwriter)
 *   /tmp/xlsx_gen_roster tests/unit/data/xlsx_roster.xlsx */
#include <xlsxwriter.h>
int main(int argc, char **argv)
{
  lxw_workbook *wb = workbook_new(argv[1]);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
  lxw_worksheet *ws2 = workbook_add_worksheet(wb, "说明");
  lxw_format *date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  /* row 1: header */
  const char *hdr[] = {"姓名", "身份证号", "年龄", "备注", "入职日期", "在岗"};
  for (int i = 0; i < 6; i++) worksheet_write_string(ws, 0, i, hdr[i], NULL);
  /* row 2: full row, ID as string */
  worksheet_write_string(ws, 1, 0, "张三", NULL);
  worksheet_write_string(ws, 1, 1, "36070219750615123X", NULL);
  worksheet_write_number(ws, 1, 2, 49, NULL);
  worksheet_write_string(ws, 1, 3, "瑞金市沙洲坝镇", NULL);
  lxw_datetime dt = {2025, 1, 1, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 4, &dt, date);
  worksheet_write_boolean(ws, 1, 5, 1, NULL);
  /* row 3: empty cells in the middle (B, D empty), a decimal */
  worksheet_write_string(ws, 2, 0, "李四", NULL);
  worksheet_write_number(ws, 2, 2, 37.5, NULL);
  worksheet_write_boolean(ws, 2, 5, 0, NULL);
  /* rows 4 and 5 absent; row 6: ID number stored as a NUMBER (the classic error) */
  worksheet_write_string(ws, 5, 0, "王五", NULL);
  worksheet_write_number(ws, 5, 1, 360702197506151234.0, NULL);
  worksheet_write_number(ws, 5, 2, -3, NULL);
  /* row 7: a blank cell with a format only (must not count), then a value in D */
  worksheet_write_blank(ws, 6, 1, date);
  worksheet_write_string(ws, 6, 3, "  前后空格  ", NULL);
  /* the second sheet must be ignored */
  worksheet_write_string(ws2, 0, 0, "不应读到", NULL);
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
