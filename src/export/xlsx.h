/* xlsx — every table exports to Excel (officials live in Excel). Turns a JSON array of
 * objects and a column list into an .xlsx workbook in memory. */
#ifndef ZHUCUN_XLSX_H
#define ZHUCUN_XLSX_H

#include <jansson.h>
#include <stddef.h>

/* columns: count pairs {json key, 中文 column title}. *out is malloc'd, owned by the caller. */
int xlsx_from_items(const json_t *items, const char *const columns[][2], size_t count, const char *sheet_name,
                    char **out, size_t *out_len);

#endif
