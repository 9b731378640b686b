/* visits — 遍访 (5.6): a cadre's visit to a 监测户 or 脱贫户, and what is derived from visits on the
 * fly: the coverage of a region's households in a period, and the households not yet visited.
 *
 * A visit is one act (最多报一次): the handler writes a check-in of kind 'visit' (attendance, 2.1),
 * a work-log entry under 巩固脱贫成果 (the diary, 5.1) and the visit row, in one transaction and
 * with one client_id, so a resend from the phone's offline queue is recognised.
 *
 * The households that must be visited (the target): every active household under monitoring
 * (monitored = 1: 监测户) and every 脱贫户 (category 'alleviated'). Queries use SCOPE_TEAM aliases:
 * the village region is tv. */
#ifndef ZHUCUN_VISITS_H
#define ZHUCUN_VISITS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct scope;

/* The SQL condition of a target household h (监测户 or 脱贫户). */
#define VISIT_TARGET "(h.monitored = 1 OR h.category = 'alleviated')"

struct new_visit {
  int64_t household_id, cadre_id, checkin_id;
  const char *village_code, *client_id, *visited_on, *findings, *risks_json;
};
/* DB_CONFLICT when the cadre already sent this client_id. */
int visits_insert(struct db *db, const struct new_visit *v, int64_t now, int64_t *id_out);
json_t *visits_get_json(struct db *db, int64_t id);
json_t *visits_find_client_json(struct db *db, int64_t cadre_id, const char *client_id);

struct visit_filter {
  const char *region_code;  /* NULL: all in scope */
  int64_t household_id, cadre_id;
  const char *from, *to;    /* ISO dates, NULL: open */
};
json_t *visits_list_json(struct db *db, const struct scope *scope, const struct visit_filter *f, int page, int page_size);

/* Coverage of [from, to] under region_code (today: yyyymmdd, where "up to today" ends), one row per child region (or the village itself):
 * {region, from, to, total: {...}, items: [{code, name, monitoring_total, monitoring_visited,
 * alleviated_total, alleviated_visited, total, visited, rate}]}. NULL on error. */
json_t *visits_coverage_json(struct db *db, const struct scope *scope, const char *region_code, const char *from,
                             const char *to, int today);
/* The target households under region_code with no visit in [from, to], with the cadre responsible
 * (the village's first secretary, else its team leader / member) and the team. */
json_t *visits_unvisited_json(struct db *db, const struct scope *scope, const char *region_code, const char *from,
                              const char *to, int today, int page, int page_size);
/* Per month from first_month (YYYY-MM) to last_month: target households and those visited. */
json_t *visits_monthly_json(struct db *db, const char *village_code, const char *first_month, const char *last_month);

#endif
