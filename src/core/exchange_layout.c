/* exchange_layout — the four layouts as data (see the header). The 成员 layout's headers are the
 * first names that core/household_sheet accepts, so the file the export writes is the file the
 * import reads; the leading 村代码 places each row in its village (the 12-digit 统计用区划代码). */
#include "core/exchange_layout.h"

#include <string.h>

#include "core/sheet.h"

#define YES_NO "是 / 否"
#define ITEM "是（有保障）/ 否（无保障）/ 空（未核实）"

static const struct exchange_layout LAYOUTS[] = {
  {"households", "户", "村代码 + 户编号", false, 20, {
    {"village_code", "村代码", "12 位统计用区划代码"},
    {"township_name", "乡镇", "名称，仅供阅读"},
    {"village_name", "村", "名称，仅供阅读"},
    {"household_no", "户编号", "县里台账的户编号，村内唯一"},
    {"head_name", "户主姓名", "2 至 30 个字"},
    {"category_name", "户类型", "脱贫户、脱贫不稳定户、边缘易致贫户、突发严重困难户、一般农户"},
    {"monitored", "是否纳入监测", YES_NO},
    {"members_count", "家庭人口数", "在册成员人数"},
    {"able_bodied", "劳动力人数", "在册成员中的劳动力"},
    {"income_year", "收入年度", "四位年份"},
    {"per_capita", "人均纯收入", "元/人·年"},
    {"food_clothing", "不愁吃穿", ITEM},
    {"schooling", "义务教育保障", ITEM},
    {"medical", "基本医疗保障", ITEM},
    {"housing", "住房安全保障", ITEM},
    {"water", "饮水安全保障", ITEM},
    {"phone", "联系电话", "脱敏：138****1234"},
    {"address", "住址", "文字"},
    {"last_visit", "最近走访日期", "YYYY-MM-DD"},
    {"status_name", "户状态", "在册"},
  }},
  {"members", "成员", "村代码 + 户编号 + 身份证号", true, 21, {
    {"village_code", "村代码", "12 位统计用区划代码；导入时须为本人管辖范围内的村"},
    {"township_name", "乡镇", "名称，仅供阅读，导入时不读"},
    {"village_name", "村", "名称，仅供阅读，导入时不读"},
    {"household_no", "户编号", "县里台账的户编号，村内唯一；同一户各行的户级信息须一致"},
    {"head_name", "户主姓名", "2 至 30 个字，须与“与户主关系”为“户主”的成员姓名一致"},
    {"category_name", "户类型", "脱贫户、脱贫不稳定户、边缘易致贫户、突发严重困难户、一般农户"},
    {"monitored", "是否纳入监测", YES_NO},
    {"name", "成员姓名", "2 至 30 个字"},
    {"id_number", "身份证号", "18 位，校验码须正确；导出为脱敏形式（前 4 位 + 10 个 * + 后 4 位），导入时脱敏形式只用于认出本户已有成员"},
    {"relation", "与户主关系", "户主、配偶、子女、父母、其他……；每户有且仅有一名户主"},
    {"able_bodied", "是否劳动力", YES_NO},
    {"health", "健康状况", "敏感信息，导出为 ****；导入时 **** 或空表示不改"},
    {"per_capita", "人均纯收入", "元/人·年，0 以上的数字"},
    {"income_year", "收入年度", "2013 年至今年之间；空则为上一年"},
    {"phone", "联系电话", "11 位手机号；导出为脱敏形式，导入时脱敏形式或空表示不改"},
    {"address", "住址", "文字"},
    {"food_clothing", "不愁吃穿", ITEM},
    {"schooling", "义务教育保障", ITEM},
    {"medical", "基本医疗保障", ITEM},
    {"housing", "住房安全保障", ITEM},
    {"water", "饮水安全保障", ITEM},
  }},
  {"leads", "风险线索", "线索编号", false, 12, {
    {"id", "线索编号", "本系统的编号"},
    {"village_code", "村代码", "12 位统计用区划代码"},
    {"township_name", "乡镇", "名称"},
    {"village_name", "村", "名称"},
    {"household_no", "户编号", "县里台账的户编号"},
    {"head_name", "户主姓名", "文字"},
    {"source_name", "线索来源", "农户自主申报、干部排查、部门筛查预警、走访发现、研判会议"},
    {"department", "预警部门", "部门筛查预警时填写"},
    {"risk_names", "风险类型", "因病、因残、因学、因灾、因意外事故……，多项以“、”分隔"},
    {"lead_on", "发现日期", "YYYY-MM-DD"},
    {"description", "情况说明", "文字"},
    {"state_name", "当前环节", "发现风险、民主评议、公示、乡镇审核、未纳入监测"},
  }},
  {"cases", "监测帮扶案件", "案件编号", false, 14, {
    {"id", "案件编号", "本系统的编号"},
    {"village_code", "村代码", "12 位统计用区划代码"},
    {"township_name", "乡镇", "名称"},
    {"village_name", "村", "名称"},
    {"household_no", "户编号", "县里台账的户编号"},
    {"head_name", "户主姓名", "文字"},
    {"category_name", "监测对象类别", "脱贫不稳定户、边缘易致贫户、突发严重困难户"},
    {"risk_names", "风险类型", "多项以“、”分隔"},
    {"lead_on", "发现日期", "YYYY-MM-DD"},
    {"identified_on", "识别（纳入监测）日期", "YYYY-MM-DD，县级审定之日"},
    {"measures", "帮扶措施", "措施内容（落实日期），多项以“；”分隔"},
    {"state_name", "监测状态", "已纳入监测、风险消除办理中、已消除风险"},
    {"closed_on", "风险消除日期", "YYYY-MM-DD"},
    {"members_count", "家庭人口数", "在册成员人数"},
  }},
};
#define NLAYOUTS (sizeof LAYOUTS / sizeof LAYOUTS[0])

const struct exchange_layout *exchange_layout_find(const char *code)
{
  for (size_t i = 0; code && i < NLAYOUTS; i++)
    if (strcmp(LAYOUTS[i].code, code) == 0) return &LAYOUTS[i];
  return NULL;
}

int exchange_layout_column(const struct exchange_layout *l, const char *key)
{
  for (int c = 0; c < l->ncolumns; c++)
    if (strcmp(l->columns[c].key, key) == 0) return c;
  return -1;
}

json_t *exchange_layouts_json(void)
{
  json_t *out = json_array();
  for (size_t i = 0; i < NLAYOUTS; i++) {
    json_t *cols = json_array();
    for (int c = 0; c < LAYOUTS[i].ncolumns; c++) {
      char letter[4];
      sheet_column_letter(c, letter);
      json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:s}", "letter", letter, "key", LAYOUTS[i].columns[c].key,
                                            "header", LAYOUTS[i].columns[c].header, "note", LAYOUTS[i].columns[c].note));
    }
    json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, s:o}", "code", LAYOUTS[i].code, "name_zh",
                                         LAYOUTS[i].name_zh, "key_zh", LAYOUTS[i].key_zh, "importable",
                                         LAYOUTS[i].importable, "columns", cols));
  }
  return out;
}
