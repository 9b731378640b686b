/* exchange_layout — the column layouts of the bulk exchange with the 防返贫监测 platforms (issue 13,
 * part 2): four datasets (户, 成员, 风险线索, 监测帮扶案件), each an ordered list of columns with the
 * Chinese header that the file carries, the key of the value and a note on its format. The layouts
 * are documented in docs/EXCHANGE.md from this table; the template, the export and the import all
 * read it, so a header cannot drift between them. Only the 成员 layout is imported: it carries the
 * household's cells on every member row, as the county's sheets do (core/household_sheet). */
#ifndef ZHUCUN_EXCHANGE_LAYOUT_H
#define ZHUCUN_EXCHANGE_LAYOUT_H

#include <jansson.h>
#include <stdbool.h>

#define EXCHANGE_MAX_COLUMNS 24

struct exchange_column {
  const char *key;      /* the value's key in the store's row */
  const char *header;   /* the header cell, 中文 */
  const char *note;     /* format and meaning, 中文 */
};

struct exchange_layout {
  const char *code;     /* households, members, leads, cases */
  const char *name_zh;  /* 户, 成员, 风险线索, 监测帮扶案件 */
  const char *key_zh;   /* the natural key the import matches on */
  bool importable;
  int ncolumns;
  struct exchange_column columns[EXCHANGE_MAX_COLUMNS];
};

/* The layout of a dataset code, NULL for an unknown one. */
const struct exchange_layout *exchange_layout_find(const char *code);
/* Every layout as JSON [{code, name_zh, key_zh, importable, columns: [{letter, header, note}]}]. */
json_t *exchange_layouts_json(void);
/* The index of a column key in the layout, -1 when absent. */
int exchange_layout_column(const struct exchange_layout *l, const char *key);

#endif
