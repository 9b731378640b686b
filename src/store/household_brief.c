/* household_brief — see household_brief.h. */
#include "store/household_brief.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/list_sql.h"
#include "store/vw_sql.h"

static void copy_text(char *out, size_t len, const json_t *row, const char *key)
{
  const char *s = json_string_value(json_object_get(row, key));
  snprintf(out, len, "%s", s ? s : "");
}

int household_brief(struct db *db, int64_t id, struct household_brief *out)
{
  memset(out, 0, sizeof *out);
  const struct sql_param params[] = {{":id", NULL, id}};
  json_t *rows = vw_rows(db, "SELECT village_code AS village_code, head_name AS head_name, household_no AS household_no"
                             " FROM household WHERE id = :id AND status = 'active'", params, 1, NULL);
  if (!rows) return DB_ERROR;
  json_t *row = json_array_get(rows, 0);
  bool found = row != NULL;
  if (found) {
    copy_text(out->village_code, sizeof out->village_code, row, "village_code");
    copy_text(out->head_name, sizeof out->head_name, row, "head_name");
    copy_text(out->household_no, sizeof out->household_no, row, "household_no");
  }
  json_decref(rows);
  return found ? DB_OK : DB_NOT_FOUND;
}
