/* commendations — 表彰激励 (3.7): "对业绩突出、群众公认的驻村干部，在评先评优、提拔使用、评定职级、评聘职称
 * 等方面优先考虑". One row per award or recommendation of a cadre or a dispatching unit, with its
 * kind (policy commendation_kinds), level (commendation_levels), date, document number (文号)
 * and reason. Not an obligation: no evidence. A cadre's records are bounded by SCOPE_CADRE (c,
 * cr), a unit's by SCOPE_UNIT (u, ur). The caller holds the write transaction. */
#ifndef ZHUCUN_COMMENDATIONS_H
#define ZHUCUN_COMMENDATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

struct commendation_new {
  const char *subject; /* cadre | unit */
  int64_t cadre_id, unit_id;
  const char *kind, *level, *date, *doc_no, *title, *reason;
  int64_t recorded_by; /* 0: generated (demo) */
};
/* DB_CONFLICT: the same document already commends this cadre (unit). */
int commendations_insert(struct db *db, const struct commendation_new *n, int64_t now, int64_t *id_out);
/* DB_CONFLICT when already withdrawn. */
int commendations_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now);
/* The region path of the cadre's village (or unit's region, when the cadre has none) or of the
 * unit's region: the place the month lock is asked for. */
int commendations_place(struct db *db, const char *subject, int64_t id, char path[96]);
json_t *commendations_get_json(struct db *db, const struct scope *scope, int64_t id);
struct commendation_filter {
  int year;
  int64_t cadre_id, unit_id;
  const char *kind;
  bool with_withdrawn;
};
json_t *commendations_list_json(struct db *db, const struct scope *scope, const struct commendation_filter *f,
                                int page, int page_size);

#endif
