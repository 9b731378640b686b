/* rows — see rows.h. */
#include "store/rows.h"

#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"

static json_t *value_of(sqlite3_stmt *st, int i)
{
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
  case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
  case SQLITE_NULL: return json_null();
  default: break;
  }
  const char *t = (const char *)sqlite3_column_text(st, i);
  return json_string(t ? t : "");
}

json_t *rows_object(sqlite3_stmt *st)
{
  json_t *o = json_object();
  int n = sqlite3_column_count(st);
  for (int i = 0; i < n; i++) {
    const char *name = sqlite3_column_name(st, i);
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, "_json") == 0 && sqlite3_column_type(st, i) == SQLITE_TEXT) {
      char key[64];
      snprintf(key, sizeof key, "%.*s", (int)(len - 5), name);
      json_t *v = json_loads((const char *)sqlite3_column_text(st, i), JSON_DECODE_ANY, NULL);
      json_object_set_new(o, key, v ? v : json_null());
      continue;
    }
    json_object_set_new(o, name, value_of(st, i));
  }
  return o;
}

/* The ending of rows_array: st reset; out when the last step was SQLITE_DONE, or NULL
 * (out freed) when a step failed, the failure reported through db. */
static json_t *rows_finish(struct db *db, sqlite3_stmt *st, json_t *out, int rc)
{
  sqlite3_reset(st);
  if (out && rc != SQLITE_DONE) {
    db_step_result(db, rc);
    json_decref(out);
    return NULL;
  }
  return out;
}

json_t *rows_array(struct db *db, sqlite3_stmt *st, void (*fix)(json_t *row))
{
  json_t *out = json_array();
  int rc = SQLITE_DONE;
  while (out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *row = rows_object(st);
    if (row && fix) fix(row);
    json_array_append_new(out, row);
  }
  return rows_finish(db, st, out, rc);
}

int rows_set(json_t *obj, const char *key, json_t *rows)
{
  if (!rows) return -1;
  return json_object_set_new(obj, key, rows);
}
