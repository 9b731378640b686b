/* cadres — the registry of village-stationed cadres (驻村干部). The foundation keeps what scope
 * needs (unit, village, post) and the ID number under encryption; the selection issue adds the
 * rest of the record. */
#ifndef ZHUCUN_CADRES_H
#define ZHUCUN_CADRES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;
struct vault;

struct cadre_fields {
  const char *name;
  const char *id_number;     /* validated by the caller (idcard_validate) */
  const char *phone;
  bool party_member;
  int64_t unit_id;
  const char *village_code;  /* NULL: not stationed */
  const char *post;          /* first_secretary | team_leader | team_member */
};

int cadres_create(struct db *db, const struct vault *vault, const struct cadre_fields *f, int64_t now, int64_t *id_out);
json_t *cadres_list_json(struct db *db, const struct scope *scope, const char *region_code, int64_t unit_id,
                         const char *q, int page, int page_size);
json_t *cadres_get_json(struct db *db, const struct scope *scope, int64_t id);
const char *cadres_post_name_zh(const char *post);

#endif
