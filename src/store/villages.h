/* villages — 村情 (5.6–5.10): the villages in scope with their households and first secretary,
 * one village's page (its names, its households by category, its team now), and the village a
 * cadre serves in now. A village is a region row of level 'village'; its team is the assignments
 * in post there ('active' or 'handover'). Queries bound by the scope use the SCOPE_TEAM alias tv.
 *
 * Every function tells a database error apart from "nothing there": NULL or DB_ERROR on an
 * error (logged by the store), an empty list or DB_NOT_FOUND when there is nothing to show. */
#ifndef ZHUCUN_VILLAGES_H
#define ZHUCUN_VILLAGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

struct village_filter {
  const char *region_code;  /* NULL or "": every village in scope; else those under this region */
  const char *q;            /* NULL or "": any name; else a part of the village's name */
  bool key_only;            /* only 重点村 */
};

/* {items: [{code, name, township_name, key_village, households, monitored, first_secretary}], total,
 * page, page_size}, 重点村 first; page_size 0: every row (exports). NULL on a database error. */
json_t *villages_list_json(struct db *db, const struct scope *scope, const struct village_filter *f, int page,
                           int page_size);

/* The village's page in *out (owned by the caller): {code, name, township_name, county_name, key_village,
 * official_name, categories: [{category, name, count, monitored}], team: [{cadre_id, name, post, post_name,
 * unit_name}]}. DB_NOT_FOUND when it is no village or lies outside the scope; DB_ERROR on a database error. */
int villages_page_json(struct db *db, const struct scope *scope, const char *code, json_t **out);

/* The village whose team the cadre belongs to now (an 'active' post before one in handover).
 * DB_NOT_FOUND when the cadre holds no post; DB_ERROR on a database error. */
int villages_of_cadre(struct db *db, int64_t cadre_id, char out[16]);

#endif
