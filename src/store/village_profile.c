/* village_profile (store) — SQL of the profile's dated changes (see village_profile.h). */
#include "store/list_sql.h"
#include "store/village_profile.h"

#include <string.h>

#include "core/village_profile.h"
#include "store/db.h"
#include "store/dialect.h"
#include "store/vw_sql.h"

int village_profile_insert(struct db *db, const struct profile_change *c, int64_t now, int64_t *id_out)
{
  const struct sql_param p[] = {{":v", c->village_code, 0}, {":f", c->field, 0},      {":val", c->value_json, 0},
                                {":as_of", c->as_of, 0},    {":note", c->note, 0},     {":user", NULL, c->user_id},
                                {":now", NULL, now}};
  return vw_exec(db,
                 "INSERT INTO village_profile_entry (village_code, field, value, as_of, note, recorded_by, recorded_at)"
                 " VALUES (:v, :f, :val, :as_of, :note, nullif(:user, 0), :now) RETURNING id",
                 p, 7, id_out);
}

/* The value column is JSON text: answer it parsed. */
static void parse_values(json_t *rows)
{
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    const char *text = json_string_value(json_object_get(row, "value"));
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    json_object_set_new(row, "value", v ? v : json_null());
    const char *f = json_string_value(json_object_get(row, "field"));
    const char *zh = village_profile_field_zh(f);
    json_object_set_new(row, "field_name", json_string(zh ? zh : ""));
  }
}

#define ENTRY_COLUMNS \
  "e.id AS id, e.field AS field, e.value AS value, e.as_of AS as_of, e.note AS note," \
  " coalesce(u.display_name, u.username, '') AS recorded_by_name," \
  " " SQL_CST_ISO("e.recorded_at") " AS recorded_at"

json_t *village_profile_json(struct db *db, const char *village_code, const char *on)
{
  const struct sql_param p[] = {{":v", village_code, 0}, {":on", on, 0}};
  json_t *history = vw_rows(db,
                            "SELECT " ENTRY_COLUMNS " FROM village_profile_entry e LEFT JOIN \"user\" u ON u.id = e.recorded_by"
                            " WHERE e.village_code = :v ORDER BY e.as_of DESC, e.id DESC",
                            p, 1, NULL);
  /* the latest change of each field on or before :on */
  json_t *current = vw_rows(db,
                            "SELECT " ENTRY_COLUMNS " FROM village_profile_entry e LEFT JOIN \"user\" u ON u.id = e.recorded_by"
                            " WHERE e.village_code = :v AND e.as_of <= :on AND e.id = (SELECT x.id FROM"
                            " village_profile_entry x WHERE x.village_code = e.village_code AND x.field = e.field"
                            " AND x.as_of <= :on ORDER BY x.as_of DESC, x.id DESC LIMIT 1)",
                            p, 2, NULL);
  if (!history || !current) { json_decref(history); json_decref(current); return NULL; }
  parse_values(history);
  parse_values(current);
  json_t *fields = json_object();
  for (int i = 0; village_profile_fields[i]; i++) json_object_set_new(fields, village_profile_fields[i], json_null());
  size_t i;
  json_t *row;
  json_array_foreach(current, i, row)
    json_object_set(fields, json_string_value(json_object_get(row, "field")), row);
  json_decref(current);
  return json_pack("{s:o, s:o}", "fields", fields, "history", history);
}

json_t *village_profile_weak_points(struct db *db, const char *village_code, const char *on)
{
  const struct sql_param p[] = {{":v", village_code, 0}, {":on", on, 0}};
  json_t *row = vw_row(db,
                       "SELECT value AS value FROM village_profile_entry WHERE village_code = :v"
                       " AND field = 'weak_points' AND as_of <= :on ORDER BY as_of DESC, id DESC LIMIT 1",
                       p, 2, NULL);
  if (!row) return json_array(); /* none recorded (a database error reads as none: the plan is refused) */
  const char *text = json_string_value(json_object_get(row, "value"));
  json_t *v = text ? json_loads(text, 0, NULL) : NULL;
  json_decref(row);
  if (!json_is_array(v)) { json_decref(v); return json_array(); }
  return v;
}
