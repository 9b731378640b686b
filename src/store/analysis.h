/* analysis — the full-coverage analysis of cadres' performance (全覆盖分析, 2.7): every cadre in
 * scope, one row each, with presence (2.1), 吃住在村 (3.6), leave, work logs by duty (5.1) and the
 * reminders already given; and the same figures rolled up by the next level down, so an official
 * drills city → county → township → village. Built on the presence rows, read with the rest in the
 * same statement: one pass over the posts in scope, never a query per cadre. The rows stay C structs
 * until the page is chosen: a city's month is ten thousand rows, and only a page of them becomes JSON. */
#ifndef ZHUCUN_ANALYSIS_H
#define ZHUCUN_ANALYSIS_H

#include <jansson.h>
#include <stddef.h>

#include "store/presence.h"

struct db;
struct scope;

#define ANALYSIS_DUTIES 5  /* the five duties of 5.1, in the order of the policy's "duties" */

struct analysis_row {
  const struct presence_post *post;      /* borrowed from the presence_posts it was built on */
  int logs_by_duty[ANALYSIS_DUTIES];
  int logs, leaves, violations, reminders;
};

/* Every post in scope for the month (presence_posts_read with page_size 0), each with its cadre's
 * month counts read in the same statement: logs per duty and in all, leaves asked, and whatever the
 * optional tables hold (violations, reminders). DB_OK or DB_ERROR. */
int analysis_posts_read(struct db *db, const struct scope *scope, const struct presence_query *q,
                        struct presence_posts *posts);

/* One row per post of posts read by analysis_posts_read. *rows is malloc'd and owned by the caller
 * (free()); it borrows from posts, which must outlive it. DB_OK or DB_ERROR. */
int analysis_rows_build(const struct presence_posts *posts, struct analysis_row **rows);

/* The presence item of the post plus logs_by_duty, logs, leaves, violations, reminders. */
json_t *analysis_row_json(const struct analysis_row *row, const struct presence_rules *rules);

/* Groups rows by the child of `region` (or of the scope's root when NULL) that holds their
 * village: [{code, name, level, cadres, meets_minimum, days_in_village, working_days, logs, ...}]. */
json_t *analysis_rollup(struct db *db, const struct scope *scope, const struct analysis_row *rows, size_t n,
                        const char *region);

#endif
