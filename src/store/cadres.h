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

/* The registry's fields. For updates, NULL strings and -1 flags mean "unchanged". */
struct cadre_fields {
  const char *name;
  const char *id_number;     /* validated by the caller (idcard_validate) */
  const char *phone;
  int party_member;
  int64_t unit_id;           /* the employer (工作单位) */
  const char *village_code;  /* NULL: not stationed; set by assignments */
  const char *post;          /* first_secretary | team_leader | team_member */
  const char *employment_type;
  const char *rank;
  int rural_experience;
  int agri_expertise;
  const char *note;
};

/* DB_CONFLICT when the ID number is already in the registry. */
int cadres_create(struct db *db, const struct vault *vault, const struct cadre_fields *f, int64_t now, int64_t *id_out);
/* phone: NULL unchanged, "" cleared, else sealed anew. */
int cadres_update(struct db *db, const struct vault *vault, int64_t id, const struct cadre_fields *f);
/* The cadre with this ID number (by keyed hash), DB_NOT_FOUND if none. */
int cadres_find_by_id_number(struct db *db, const struct vault *vault, const char *id_number, int64_t *id_out);
/* The full record: the list row plus registry fields, sanctions, appraisals and assignments. */
json_t *cadres_detail_json(struct db *db, const struct vault *vault, const struct scope *scope, int64_t id);
/* The full ID number (malloc'd, caller frees after sodium_memzero), for the roles that need it. */
int cadres_reveal_id_number(struct db *db, const struct vault *vault, int64_t id, char **out);
/* The full phone number (malloc'd, "" when none); the caller audits the read (issue 11). */
int cadres_reveal_phone(struct db *db, const struct vault *vault, int64_t id, char **out);
int cadres_add_sanction(struct db *db, int64_t cadre_id, const char *kind, const char *start, const char *end,
                        const char *note, int64_t now, int64_t *id_out);
int cadres_set_appraisal(struct db *db, int64_t cadre_id, int year, const char *result);
/* Where a cadre is stationed now (kept in step with assignments). NULL village clears it. */
int cadres_set_station(struct db *db, int64_t cadre_id, const char *village_code, const char *post);
json_t *cadres_list_json(struct db *db, const struct scope *scope, const char *region_code, int64_t unit_id,
                         const char *q, int page, int page_size);
json_t *cadres_get_json(struct db *db, const struct scope *scope, int64_t id);
const char *cadres_post_name_zh(const char *post);

#endif
