/* households — the registry of 脱贫户 and 监测户 per village (5.6), with members, income by year and
 * the 两不愁三保障 items, and every change to a household kept as its history (5.8).
 *
 * Members' ID numbers are kept as for cadres (vault.h): ciphertext, keyed look-up hash, masked
 * form; only the masked form leaves through these functions, except households_reveal_id_number.
 * Queries use the aliases of SCOPE_TEAM: the household is h, its village region tv. */
#ifndef ZHUCUN_HOUSEHOLDS_H
#define ZHUCUN_HOUSEHOLDS_H

#include <jansson.h>
#include <stdint.h>

#include "core/household_sheet.h"

struct db;
struct scope;
struct vault;

struct household_filter {
  const char *region_code;   /* a region (village, township, county, city): its households; NULL: all in scope */
  const char *category;      /* NULL: any */
  int monitored;             /* -1 any, 0/1 */
  const char *q;             /* part of 户主姓名 or 户编号; NULL or "": any */
};
json_t *households_list_json(struct db *db, const struct scope *scope, const struct household_filter *f, int page,
                             int page_size);
/* The list row of one household in scope, NULL when absent or out of scope. */
json_t *households_get_json(struct db *db, const struct scope *scope, int64_t id);
/* The whole record: the row plus members (masked), income by year, visits and the history (5.8). */
json_t *households_detail_json(struct db *db, const struct scope *scope, int64_t id);

/* An edit (NULL strings / -2 ints: unchanged; items: -1 clears to unknown). */
struct household_edit {
  const char *head_name, *category, *address, *status;
  int monitored, able_bodied;
  int items[HS_ITEMS];
  int income_year;            /* 0: no income change */
  double per_capita;
};
/* Applies the edit if version is the household's current one (else DB_CONFLICT), bumps the
 * version and writes the history row (source 'edit') with what changed. *changes_out (may be
 * NULL) receives the {"field": [old, new]} object, owned by the caller. */
int households_update(struct db *db, int64_t id, int64_t version, const struct household_edit *e, int64_t user_id,
                      int64_t now, json_t **changes_out);

/* Appends a history row. changes is borrowed. */
int households_history_add(struct db *db, int64_t household_id, int64_t user_id, const char *source,
                           const json_t *changes, int64_t now);

/* The full ID number of a member of household_id (malloc'd; sodium_memzero then free). */
/* A member's health note (issue 17, F7: sensitive personal data, sealed at rest; lists show HEALTH_MASKED
 * when there is one). malloc'd, "" when none; the caller audits the read. */
#define HEALTH_MASKED "****"
int households_reveal_health(struct db *db, const struct vault *vault, int64_t household_id, int64_t member_id,
                             char **out);
int households_reveal_id_number(struct db *db, const struct vault *vault, int64_t household_id, int64_t member_id,
                                char **out);

/* Import of one village's sheet (rows already checked and grouped): households matched by
 * village + 户编号, members by ID number; every change goes into the history (source 'import').
 * Members of a household that are no longer on the sheet are marked removed. */
struct import_stats { int added, updated, unchanged, members_added, members_removed; };
int households_import(struct db *db, const struct vault *vault, const char *village_code, const struct hs_row *rows,
                      const struct hs_household *groups, int ngroups, int64_t user_id, int64_t now,
                      struct import_stats *stats);

/* Writes one member (insert, or revive/update by ID number) — also used by the demo generator.
 * *changed tells whether anything differed. */
int households_put_member(struct db *db, const struct vault *vault, int64_t household_id, const struct hs_row *r,
                          bool *changed);

#endif
