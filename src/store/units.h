/* units — dispatching units (派出单位): level, type, parent unit (so that 1.3b can tell a
 * subordinate unit), and the region that administers them. */
#ifndef ZHUCUN_UNITS_H
#define ZHUCUN_UNITS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct scope;

struct unit_fields {
  const char *name;
  const char *level;        /* province | city | county | township */
  const char *type;         /* party_gov | institution | soe | other */
  int64_t parent_id;        /* 0: none */
  const char *region_code;
};

json_t *units_list_json(struct db *db, const struct scope *scope, const char *region_code, const char *q,
                        int page, int page_size);
/* NULL when absent or out of scope. */
json_t *units_get_json(struct db *db, const struct scope *scope, int64_t id);
/* DB_CONFLICT: the same name already exists in that region. */
int units_create(struct db *db, const struct unit_fields *f, int64_t now, int64_t *id_out);
/* Fields left NULL / 0 stay as they are; parent_id -1 clears the parent. */
int units_update(struct db *db, int64_t id, const struct unit_fields *f);
/* True when making parent_id the parent of id would close a loop. */
int units_would_cycle(struct db *db, int64_t id, int64_t parent_id, int *cycle);
const char *units_level_name_zh(const char *level);
const char *units_type_name_zh(const char *type);

#endif
