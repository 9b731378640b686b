/* presence (store) — the monthly presence analysis (在村情况, 2.1 and 3.6) of every post in scope.
 *
 * One pass for a whole scope and month, never a query per cadre: the page of posts (assignments
 * touching the month), each with its month's facts (store/post_month) and its cadre's approved or
 * closed leaves in the same row, and the month's calendar exceptions; core/presence counts each
 * post as it is read. One row per post: a cadre who changed village in the month has two. */
#ifndef ZHUCUN_STORE_PRESENCE_H
#define ZHUCUN_STORE_PRESENCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/presence.h"

struct db;
struct scope;

struct presence_query {
  int year, month;
  const char *region_code;             /* NULL: the whole scope */
  int today;                           /* yyyymmdd: later days are not counted */
  const struct presence_rules *rules;
};

#define PRESENCE_EXTRA 10

/* One post (assignment) touching the month, and its counts. */
struct presence_post {
  int64_t id, cadre_id, unit_id;
  char *name, *village_code, *village_name, *township_name, *unit_name, *post;  /* owned */
  int start, end;
  struct presence_result result;
  int extra[PRESENCE_EXTRA];    /* what a presence_extra's read() kept of the row */
};
struct presence_posts {
  struct presence_post *items;  /* owned: presence_posts_free() */
  size_t n;
  int64_t total;                /* posts in scope, all pages */
};

/* The page of posts (page_size 0: all of them) with their counts computed. DB_OK or DB_ERROR. */
int presence_posts_read(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                        int page_size, struct presence_posts *out);
void presence_posts_free(struct presence_posts *posts);

/* One item of the list below. */
json_t *presence_post_json(const struct presence_post *post, const struct presence_rules *rules);

/* {"items":[...],"total","page","page_size"} (page_size 0: every row, for exports); NULL on a
 * database error. Each item: assignment_id, cadre_id, unit_id, name, village_code, village_name,
 * township_name, unit_name, post, post_name, start_date, end_date, period_first, period_last,
 * in_progress, working_days, days_in_village, leave_days, off_site_days, absent_working_days,
 * rest_days, min_days, required_days, meets_minimum, nights, nights_confirmed, nights_expected,
 * stay_score (null when nothing to judge), stay_label, stay_label_name. */
json_t *presence_list_json(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                           int page_size);

#endif
