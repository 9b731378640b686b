/* roster — header names are matched exactly after trimming spaces, with a few synonyms that
 * county sheets use (身份证号码 for 身份证号, 联系电话 for 手机号). Coded values (用工性质, 职级,
 * 考核结果) accept either the code or the Chinese name the policy file gives them, so the
 * lists are data, not code. */
#include "core/roster.h"

#include <stdio.h>
#include <string.h>

#include "core/policy.h"
#include "core/sheet.h"

static const char *const NAMES[ROSTER_COLUMNS][3] = {
  [ROSTER_NAME] = {"姓名", NULL, NULL},
  [ROSTER_ID_NUMBER] = {"身份证号", "身份证号码", "公民身份号码"},
  [ROSTER_PHONE] = {"手机号", "联系电话", "手机号码"},
  [ROSTER_PARTY] = {"中共党员", "是否党员", NULL},
  [ROSTER_EMPLOYMENT] = {"用工性质", "人员性质", NULL},
  [ROSTER_RANK] = {"职级", "职务职级", NULL},
  [ROSTER_RURAL] = {"农村工作经历", NULL, NULL},
  [ROSTER_AGRI] = {"涉农专业特长", NULL, NULL},
  [ROSTER_APPRAISAL_YEAR] = {"考核年度", NULL, NULL},
  [ROSTER_APPRAISAL] = {"考核结果", "年度考核结果", NULL},
};

static const char *const FIELDS[ROSTER_COLUMNS] = {
  "name", "id_number", "phone", "party_member", "employment_type", "rank", "rural_experience", "agri_expertise",
  "appraisal_year", "appraisal"};

const char *roster_column_name(enum roster_column c) { return NAMES[c][0]; }

void roster_column_letter(int index, char out[4]) { sheet_column_letter(index, out); }

static void add_error(json_t *errors, int row, int col, enum roster_column field, const char *code, const char *msg)
{
  sheet_add_error(errors, row, col, FIELDS[field], code, msg);
}

int roster_read_header(const json_t *row, struct roster_header *out, json_t *errors)
{
  sheet_match_header(row, NAMES, ROSTER_COLUMNS, out->index);
  int added = 0;
  for (int f = ROSTER_NAME; f <= ROSTER_ID_NUMBER; f++) {
    if (out->index[f] >= 0) continue;
    char msg[128];
    snprintf(msg, sizeof msg, "表头缺少“%s”列", NAMES[f][0]);
    add_error(errors, 1, -1, (enum roster_column)f, "column_missing", msg);
    added++;
  }
  return added;
}

static const char *cell(const json_t *row, const struct roster_header *h, enum roster_column f)
{
  if (h->index[f] < 0) return NULL;
  const char *s = json_string_value(json_array_get(row, (size_t)h->index[f]));
  return s ? s : "";
}

/* 是/否, 1/0, Y/N. -1 absent, -2 unreadable. */
static int yes_no(const char *s)
{
  if (!s) return -1;
  if (!*s || !strcmp(s, "否") || !strcmp(s, "0") || !strcmp(s, "N") || !strcmp(s, "n")) return 0;
  if (!strcmp(s, "是") || !strcmp(s, "1") || !strcmp(s, "Y") || !strcmp(s, "y")) return 1;
  return -2;
}

/* The code for a value given as a code or as its Chinese name, from a policy list of {code,name_zh}. */
static const char *coded(const struct policy *p, const char *list_id, int today, const char *value)
{
  const struct policy_param *param = policy_param(p, list_id, today);
  if (!param || !json_is_array(param->value)) return NULL;
  size_t i;
  json_t *item;
  json_array_foreach(param->value, i, item) {
    const char *code = json_string_value(json_object_get(item, "code"));
    const char *name = json_string_value(json_object_get(item, "name_zh"));
    if ((code && strcmp(code, value) == 0) || (name && strcmp(name, value) == 0)) return code;
  }
  return NULL;
}

static int read_id(const struct roster_header *h, const json_t *row, int number, int today, struct roster_row *out,
                   json_t *errors)
{
  const char *id = cell(row, h, ROSTER_ID_NUMBER);
  struct idcard_info info;
  enum idcard_result r = idcard_validate(id, today, &info);
  if (r != IDCARD_OK) {
    /* Excel turns an 18-digit number typed as a number into 3.60702197506151E+17 */
    bool sci = strchr(id, 'E') || strchr(id, 'e');
    add_error(errors, number, h->index[ROSTER_ID_NUMBER], ROSTER_ID_NUMBER, idcard_result_code(r),
              sci ? "身份证号被 Excel 存成了数字（科学计数法），请将该列设为文本后重新录入" : idcard_result_message_zh(r));
    return 1;
  }
  snprintf(out->id_number, sizeof out->id_number, "%s", info.number);
  return 0;
}

static int read_flag(const struct roster_header *h, const json_t *row, int number, enum roster_column f, int *out,
                     json_t *errors)
{
  *out = yes_no(cell(row, h, f));
  if (*out != -2) return 0;
  add_error(errors, number, h->index[f], f, "field_invalid", "应填“是”或“否”");
  return 1;
}

static int read_coded(const struct policy *p, const struct roster_header *h, const json_t *row, int number, int today,
                      enum roster_column f, const char *list_id, const char **out, json_t *errors)
{
  const char *v = cell(row, h, f);
  *out = NULL;
  if (!v || !*v) return 0;
  *out = coded(p, list_id, today, v);
  if (*out) return 0;
  char msg[160];
  snprintf(msg, sizeof msg, "“%s”不是有效的%s", v, NAMES[f][0]);
  add_error(errors, number, h->index[f], f, "field_invalid", msg);
  return 1;
}

int roster_read_row(const struct policy *p, const struct roster_header *h, const json_t *row, int number, int today,
                    struct roster_row *out, json_t *errors)
{
  memset(out, 0, sizeof *out);
  int bad = 0;
  out->name = cell(row, h, ROSTER_NAME);
  size_t chars = 0;
  for (const char *s = out->name; *s; s++) chars += ((unsigned char)*s & 0xC0) != 0x80;
  if (chars < 2 || chars > 30) {
    add_error(errors, number, h->index[ROSTER_NAME], ROSTER_NAME, "field_invalid", "姓名应为 2 至 30 个字");
    bad++;
  }
  bad += read_id(h, row, number, today, out, errors);
  out->phone = cell(row, h, ROSTER_PHONE);
  if (out->phone && *out->phone && (strlen(out->phone) != 11 || out->phone[0] != '1' ||
                                    strspn(out->phone, "0123456789") != 11)) {
    add_error(errors, number, h->index[ROSTER_PHONE], ROSTER_PHONE, "field_invalid", "手机号应为 11 位数字");
    bad++;
  }
  bad += read_flag(h, row, number, ROSTER_PARTY, &out->party, errors);
  bad += read_flag(h, row, number, ROSTER_RURAL, &out->rural, errors);
  bad += read_flag(h, row, number, ROSTER_AGRI, &out->agri, errors);
  bad += read_coded(p, h, row, number, today, ROSTER_EMPLOYMENT, "employment_types", &out->employment, errors);
  bad += read_coded(p, h, row, number, today, ROSTER_RANK, "rank_scale", &out->rank, errors);
  bad += read_coded(p, h, row, number, today, ROSTER_APPRAISAL, "appraisal_results", &out->appraisal, errors);
  const char *year = cell(row, h, ROSTER_APPRAISAL_YEAR);
  if (year && *year) {
    int y = 0;
    if (sscanf(year, "%d", &y) != 1 || y < 2000 || y > today / 10000) {
      add_error(errors, number, h->index[ROSTER_APPRAISAL_YEAR], ROSTER_APPRAISAL_YEAR, "field_invalid",
                "考核年度应为 2000 年至今年之间的年份");
      bad++;
    }
    out->appraisal_year = y;
  }
  if ((out->appraisal != NULL) != (out->appraisal_year != 0) && !bad) {
    add_error(errors, number, h->index[ROSTER_APPRAISAL], ROSTER_APPRAISAL, "field_required", "考核年度与考核结果须同时填写");
    bad++;
  }
  return bad;
}
