/* users_identity — see users_identity.h. */
#include "store/users_identity.h"

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

int users_identity(struct db *db, int64_t id, struct auth_user *out)
{
  memset(out, 0, sizeof *out);
  const struct sql_param params[] = {{":id", NULL, id}};
  json_t *rows = vw_rows(db, "SELECT username AS username, display_name AS display_name, role AS role,"
                             " coalesce(region_code, '') AS region_code, coalesce(unit_id, 0) AS unit_id,"
                             " coalesce(cadre_id, 0) AS cadre_id FROM \"user\" WHERE id = :id", params, 1, NULL);
  if (!rows) return DB_ERROR;
  json_t *row = json_array_get(rows, 0);
  bool found = row != NULL;
  if (found) {
    out->id = id;
    copy_text(out->username, sizeof out->username, row, "username");
    copy_text(out->display_name, sizeof out->display_name, row, "display_name");
    copy_text(out->region_code, sizeof out->region_code, row, "region_code");
    const char *role = json_string_value(json_object_get(row, "role"));
    out->role = role ? roles_find(role) : NULL;
    out->unit_id = json_integer_value(json_object_get(row, "unit_id"));
    out->cadre_id = json_integer_value(json_object_get(row, "cadre_id"));
  }
  json_decref(rows);
  return found ? DB_OK : DB_NOT_FOUND;
}
