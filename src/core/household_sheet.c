/* household_sheet — header names are matched exactly after trimming spaces, with the synonyms
 * that county sheets use (户码 for 户编号, 身份证号码 for 身份证号). Categories and the yes/no
 * items accept the words officials write (脱贫户, 边缘易致贫户; 是/否, 有保障/无保障, 安全/不安全). */
#include "core/household_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/sheet.h"

static const char *const NAMES[HS_COLUMNS][3] = {
  [HS_NO] = {"户编号", "户码", "户号"},
  [HS_HEAD] = {"户主姓名", "户主", NULL},
  [HS_CATEGORY] = {"户类型", "户属性", "农户类型"},
  [HS_MONITORED] = {"是否纳入监测", "是否监测对象", NULL},
  [HS_MEMBER] = {"成员姓名", "姓名", NULL},
  [HS_ID] = {"身份证号", "身份证号码", "证件号码"},
  [HS_RELATION] = {"与户主关系", NULL, NULL},
  [HS_ABLE] = {"是否劳动力", "劳动能力", NULL},
  [HS_HEALTH] = {"健康状况", NULL, NULL},
  [HS_INCOME] = {"人均纯收入", "家庭人均纯收入", NULL},
  [HS_YEAR] = {"收入年度", "年度", NULL},
  [HS_PHONE] = {"联系电话", "手机号", NULL},
  [HS_ADDRESS] = {"住址", "家庭住址", NULL},
  [HS_FOOD] = {"不愁吃穿", "两不愁", NULL},
  [HS_SCHOOLING] = {"义务教育保障", "义务教育", NULL},
  [HS_MEDICAL] = {"基本医疗保障", "基本医疗", NULL},
  [HS_HOUSING] = {"住房安全保障", "住房安全", NULL},
  [HS_WATER] = {"饮水安全保障", "饮水安全", NULL},
};

static const char *const FIELDS[HS_COLUMNS] = {
  "household_no", "head_name", "category", "monitored", "name", "id_number", "relation", "able_bodied", "health",
  "per_capita", "year", "phone", "address", "food_clothing", "schooling", "medical", "housing", "water"};

/* 户类型 (5.6): code and the words a sheet may use. */
static const struct { const char *code, *name_zh, *alias; bool monitoring; } CATEGORIES[] = {
  {"alleviated", "脱贫户", "脱贫人口", false},
  {"unstable", "脱贫不稳定户", NULL, true},
  {"marginal", "边缘易致贫户", NULL, true},
  {"sudden", "突发严重困难户", NULL, true},
  {"general", "一般农户", "一般户", false},
};
#define NCATEGORIES (sizeof CATEGORIES / sizeof CATEGORIES[0])

const char *household_category_name_zh(const char *code)
{
  for (size_t i = 0; code && i < NCATEGORIES; i++)
    if (strcmp(CATEGORIES[i].code, code) == 0) return CATEGORIES[i].name_zh;
  return "";
}

bool household_category_monitoring(const char *code)
{
  for (size_t i = 0; code && i < NCATEGORIES; i++)
    if (strcmp(CATEGORIES[i].code, code) == 0) return CATEGORIES[i].monitoring;
  return false;
}

static const char *category_code(const char *s)
{
  for (size_t i = 0; i < NCATEGORIES; i++)
    if (!strcmp(s, CATEGORIES[i].code) || !strcmp(s, CATEGORIES[i].name_zh) ||
        (CATEGORIES[i].alias && !strcmp(s, CATEGORIES[i].alias)))
      return CATEGORIES[i].code;
  return NULL;
}

static void add_error(json_t *errors, int row, int col, enum hs_column field, const char *code, const char *msg)
{
  sheet_add_error(errors, row, col, FIELDS[field], code, msg);
}

int household_sheet_header(const json_t *row, struct hs_header *out, json_t *errors)
{
  sheet_match_header(row, NAMES, HS_COLUMNS, out->index);
  static const enum hs_column REQUIRED[] = {HS_NO, HS_HEAD, HS_CATEGORY, HS_MEMBER, HS_ID, HS_RELATION};
  int added = 0;
  for (size_t k = 0; k < sizeof REQUIRED / sizeof REQUIRED[0]; k++) {
    if (out->index[REQUIRED[k]] >= 0) continue;
    char msg[128];
    snprintf(msg, sizeof msg, "表头缺少“%s”列", NAMES[REQUIRED[k]][0]);
    add_error(errors, 1, -1, REQUIRED[k], "column_missing", msg);
    added++;
  }
  return added;
}

/* The cell of a field, "" when the column is absent or the row short. Spreadsheet cells come
 * trimmed by the readers' callers only in part, so leading/trailing spaces are ignored here. */
static const char *cell(const json_t *row, const struct hs_header *h, enum hs_column f)
{
  if (h->index[f] < 0) return "";
  const char *s = json_string_value(json_array_get(row, (size_t)h->index[f]));
  if (!s) return "";
  while (*s == ' ') s++;
  return s;
}

static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static int text_field(const struct hs_header *h, const json_t *row, int number, enum hs_column f, size_t min,
                      size_t max, const char **out, json_t *errors)
{
  *out = cell(row, h, f);
  size_t n = utf8_chars(*out);
  if (n >= min && n <= max && !strpbrk(*out, "\r\n")) return 0;
  char msg[128];
  if (min > 0 && n == 0) snprintf(msg, sizeof msg, "“%s”不能为空", NAMES[f][0]);
  else snprintf(msg, sizeof msg, "“%s”应为 %zu 至 %zu 个字的单行文字", NAMES[f][0], min ? min : 1, max);
  add_error(errors, number, h->index[f], f, min > 0 && n == 0 ? "field_required" : "field_invalid", msg);
  return 1;
}

/* 是/否 and the words of the 三保障 checks. -1 blank, -2 unreadable. */
static int yes_no(const char *s)
{
  if (!*s) return -1;
  static const char *const YES[] = {"是", "1", "有保障", "已保障", "安全", "达标", "普通劳动力", "技能劳动力", NULL};
  static const char *const NO[] = {"否", "0", "无保障", "未保障", "不安全", "不达标", "无劳动力", "丧失劳动力",
                                   "弱劳动力", NULL};
  for (int i = 0; YES[i]; i++) if (!strcmp(s, YES[i])) return 1;
  for (int i = 0; NO[i]; i++) if (!strcmp(s, NO[i])) return 0;
  return -2;
}

static int flag_field(const struct hs_header *h, const json_t *row, int number, enum hs_column f, int *out,
                      json_t *errors)
{
  *out = yes_no(cell(row, h, f));
  if (*out != -2) return 0;
  char msg[128];
  snprintf(msg, sizeof msg, "“%s”应填“是”或“否”", NAMES[f][0]);
  add_error(errors, number, h->index[f], f, "field_invalid", msg);
  return 1;
}

static int id_field(const struct hs_header *h, const json_t *row, int number, int today, struct hs_row *out,
                    json_t *errors)
{
  const char *id = cell(row, h, HS_ID);
  struct idcard_info info;
  enum idcard_result r = idcard_validate(id, today, &info);
  if (r != IDCARD_OK) {
    /* Excel turns an 18-digit number typed as a number into 3.60702197506151E+17 */
    bool sci = strchr(id, 'E') || strchr(id, 'e');
    add_error(errors, number, h->index[HS_ID], HS_ID, idcard_result_code(r),
              sci ? "身份证号被 Excel 存成了数字（科学计数法），请将该列设为文本后重新录入" : idcard_result_message_zh(r));
    return 1;
  }
  snprintf(out->id_number, sizeof out->id_number, "%s", info.number);
  out->sex = info.sex == IDCARD_SEX_MALE ? 'M' : 'F';
  date_format_iso(info.birth_date, out->birth_date);
  return 0;
}

static int income_fields(const struct hs_header *h, const json_t *row, int number, int today, struct hs_row *out,
                         json_t *errors)
{
  int bad = 0;
  const char *v = cell(row, h, HS_INCOME), *y = cell(row, h, HS_YEAR);
  if (*v) {
    char *end;
    out->income = strtod(v, &end);
    out->has_income = *end == '\0' && out->income >= 0 && out->income <= 10000000;
    if (!out->has_income) {
      add_error(errors, number, h->index[HS_INCOME], HS_INCOME, "field_invalid", "人均纯收入应为 0 以上的数字（元/人·年）");
      bad++;
    }
  }
  if (*y) {
    char *end;
    long year = strtol(y, &end, 10);
    if (*end || year < 2013 || year > today / 10000) {
      add_error(errors, number, h->index[HS_YEAR], HS_YEAR, "field_invalid", "收入年度应为 2013 年至今年之间的年份");
      bad++;
    } else out->income_year = (int)year;
  }
  if (out->has_income && !out->income_year) out->income_year = today / 10000 - 1; /* last year's income by default */
  return bad;
}

int household_sheet_row(const struct hs_header *h, const json_t *row, int number, int today, struct hs_row *out,
                        json_t *errors)
{
  memset(out, 0, sizeof *out);
  out->number = number;
  int bad = text_field(h, row, number, HS_NO, 1, 30, &out->no, errors);
  bad += text_field(h, row, number, HS_HEAD, 2, 30, &out->head, errors);
  bad += text_field(h, row, number, HS_MEMBER, 2, 30, &out->member, errors);
  bad += text_field(h, row, number, HS_RELATION, 1, 10, &out->relation, errors);
  bad += text_field(h, row, number, HS_HEALTH, 0, 50, &out->health, errors);
  bad += text_field(h, row, number, HS_ADDRESS, 0, 100, &out->address, errors);
  const char *category = cell(row, h, HS_CATEGORY);
  out->category = category_code(category);
  if (!out->category) {
    add_error(errors, number, h->index[HS_CATEGORY], HS_CATEGORY, *category ? "field_invalid" : "field_required",
              "户类型应为 脱贫户、脱贫不稳定户、边缘易致贫户、突发严重困难户 或 一般农户");
    bad++;
  }
  bad += id_field(h, row, number, today, out, errors);
  out->phone = cell(row, h, HS_PHONE);
  if (*out->phone && (strlen(out->phone) != 11 || out->phone[0] != '1' || strspn(out->phone, "0123456789") != 11)) {
    add_error(errors, number, h->index[HS_PHONE], HS_PHONE, "field_invalid", "联系电话应为 11 位手机号");
    bad++;
  }
  bad += flag_field(h, row, number, HS_MONITORED, &out->monitored, errors);
  bad += flag_field(h, row, number, HS_ABLE, &out->able, errors);
  for (int k = 0; k < HS_ITEMS; k++) bad += flag_field(h, row, number, (enum hs_column)(HS_FOOD + k), &out->items[k], errors);
  bad += income_fields(h, row, number, today, out, errors);
  return bad;
}

/* ---- grouping ---- */

static int find_group(const struct hs_household *list, int n, const struct hs_row *rows, const char *no)
{
  for (int i = 0; i < n; i++)
    if (strcmp(rows[list[i].first].no, no) == 0) return i;
  return -1;
}

/* A household cell given on two rows with different values. */
static void disagree(json_t *errors, const struct hs_header *h, int row, enum hs_column f, int first_row)
{
  char msg[160];
  snprintf(msg, sizeof msg, "同一户的“%s”与第 %d 行不一致", NAMES[f][0], first_row);
  add_error(errors, row, h->index[f], f, "household_mismatch", msg);
}

static int merge_text(const char **into, const char *v, json_t *errors, const struct hs_header *h, int row,
                      enum hs_column f, int first_row)
{
  if (!*v) return 0;
  if (!**into) { *into = v; return 0; }
  if (strcmp(*into, v) == 0) return 0;
  disagree(errors, h, row, f, first_row);
  return 1;
}

static int merge_flag(int *into, int v, json_t *errors, const struct hs_header *h, int row, enum hs_column f,
                      int first_row)
{
  if (v < 0) return 0;
  if (*into < 0) { *into = v; return 0; }
  if (*into == v) return 0;
  disagree(errors, h, row, f, first_row);
  return 1;
}

/* Folds a later row's household cells into the group's merged row. */
static int merge_row(struct hs_household *g, const struct hs_row *r, const struct hs_header *h, json_t *errors)
{
  struct hs_row *m = &g->merged;
  int bad = merge_text(&m->head, r->head, errors, h, r->number, HS_HEAD, m->number);
  if (strcmp(m->category, r->category) != 0) { disagree(errors, h, r->number, HS_CATEGORY, m->number); bad++; }
  bad += merge_text(&m->phone, r->phone, errors, h, r->number, HS_PHONE, m->number);
  bad += merge_text(&m->address, r->address, errors, h, r->number, HS_ADDRESS, m->number);
  bad += merge_flag(&m->monitored, r->monitored, errors, h, r->number, HS_MONITORED, m->number);
  for (int k = 0; k < HS_ITEMS; k++)
    bad += merge_flag(&m->items[k], r->items[k], errors, h, r->number, (enum hs_column)(HS_FOOD + k), m->number);
  if (r->has_income) {
    if (!m->has_income) { m->has_income = true; m->income = r->income; m->income_year = r->income_year; }
    else if (m->income != r->income || m->income_year != r->income_year) {
      disagree(errors, h, r->number, HS_INCOME, m->number);
      bad++;
    }
  }
  return bad;
}

/* Exactly one 户主, and it is the member named in 户主姓名. */
static int check_head(const struct hs_household *g, const struct hs_row *rows, const struct hs_header *h,
                      json_t *errors)
{
  int heads = 0, head_row = 0;
  for (int k = 0; k < g->count; k++)
    if (strcmp(rows[g->members[k]].relation, "户主") == 0) { heads++; head_row = rows[g->members[k]].number; }
  char msg[160];
  if (heads != 1) {
    snprintf(msg, sizeof msg, "户编号 %s 应有且仅有一名“与户主关系”为“户主”的成员（现有 %d 名）", g->merged.no, heads);
    add_error(errors, rows[g->first].number, h->index[HS_RELATION], HS_RELATION, "head_count", msg);
    return 1;
  }
  for (int k = 0; k < g->count; k++) {
    const struct hs_row *r = &rows[g->members[k]];
    if (r->number == head_row && strcmp(r->member, g->merged.head) != 0) {
      snprintf(msg, sizeof msg, "户主成员的姓名“%s”与户主姓名“%s”不一致", r->member, g->merged.head);
      add_error(errors, r->number, h->index[HS_MEMBER], HS_MEMBER, "head_mismatch", msg);
      return 1;
    }
  }
  return 0;
}

static int check_duplicate_ids(const struct hs_row *rows, const bool *skip, int n, const struct hs_header *h,
                               json_t *errors)
{
  int bad = 0;
  for (int i = 0; i < n; i++) {
    if (skip[i] || !rows[i].id_number[0]) continue;
    for (int k = 0; k < i; k++) {
      if (skip[k] || strcmp(rows[k].id_number, rows[i].id_number) != 0) continue;
      char msg[96];
      snprintf(msg, sizeof msg, "身份证号与第 %d 行重复", rows[k].number);
      add_error(errors, rows[i].number, h->index[HS_ID], HS_ID, "duplicate_in_file", msg);
      bad++;
      break;
    }
  }
  return bad;
}

int household_sheet_group(const struct hs_header *h, const struct hs_row *rows, const bool *skip, int n,
                          struct hs_household **out, int *nout, json_t *errors)
{
  *nout = 0;
  *out = calloc((size_t)(n > 0 ? n : 1), sizeof **out);
  int *group_of = calloc((size_t)(n > 0 ? n : 1), sizeof *group_of);
  if (!*out || !group_of) { free(group_of); return -1; }
  int bad = check_duplicate_ids(rows, skip, n, h, errors);
  for (int i = 0; i < n; i++) {
    group_of[i] = -1;
    if (skip[i] || !rows[i].no[0] || !rows[i].category) continue;
    int g = find_group(*out, *nout, rows, rows[i].no);
    if (g < 0) {
      g = (*nout)++;
      (*out)[g].first = i;
      (*out)[g].merged = rows[i];
    } else bad += merge_row(&(*out)[g], &rows[i], h, errors);
    (*out)[g].count++;
    group_of[i] = g;
  }
  for (int g = 0; g < *nout; g++) {
    (*out)[g].members = malloc(sizeof(int) * (size_t)(*out)[g].count);
    if (!(*out)[g].members) { free(group_of); return -1; }
    (*out)[g].count = 0;
  }
  for (int i = 0; i < n; i++)
    if (group_of[i] >= 0) (*out)[group_of[i]].members[(*out)[group_of[i]].count++] = i;
  free(group_of);
  for (int g = 0; g < *nout; g++) bad += check_head(&(*out)[g], rows, h, errors);
  return bad;
}

void household_sheet_free(struct hs_household *list, int n)
{
  if (!list) return;
  for (int i = 0; i < n; i++) free(list[i].members);
  free(list);
}
