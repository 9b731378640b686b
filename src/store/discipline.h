/* discipline — the SQL of 2.5 (violations fed back to the dispatching unit, acknowledged, then
 * accountability), 3.6 (secondments: the unit pulled its cadre to unrelated work), 2.7
 * (education reminders between the cadre and their managers) and 2.6 (the unit attendance score).
 *
 * Lists use the aliases of SCOPE_CADRE (the record's cadre c, the cadre's village cr): a region
 * official sees the records of the cadres stationed in the region, a unit its cadres', a cadre
 * their own. The score is computed per dispatching unit over the posts in scope (SCOPE_ASSIGNMENT:
 * a.unit_id, ar.path). The caller holds the write transaction for every write. */
#ifndef ZHUCUN_DISCIPLINE_H
#define ZHUCUN_DISCIPLINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;

/* A cadre's current post: the dispatching unit and the village, with the village's region path. */
struct discipline_post {
  int64_t assignment_id, unit_id;
  char village_code[16], village_path[96];
};
/* DB_NOT_FOUND when the cadre holds no active (or handover) post. */
int discipline_post_of(struct db *db, int64_t cadre_id, struct discipline_post *out);

struct violation_new {
  int64_t cadre_id, recorded_by;
  const struct discipline_post *post;
  const char *date, *kind, *clause, *description;
};
int violations_insert(struct db *db, const struct violation_new *v, int64_t now, int64_t *id_out);
/* feedback → acknowledged; DB_CONFLICT when already acknowledged. */
int violations_acknowledge(struct db *db, int64_t id, int64_t user_id, const char *note, int64_t now);
/* → decided (measure); DB_CONFLICT when accountability is already recorded. */
int violations_decide(struct db *db, int64_t id, int64_t user_id, const char *measure, const char *decided_on,
                      const char *note, int64_t now);

/* One violation in scope; NULL when absent or out of scope. */
json_t *violations_get_json(struct db *db, const struct scope *scope, int64_t id);

struct violation_filter {
  int64_t cadre_id, unit_id;     /* 0: any */
  const char *from, *to;         /* ISO dates or NULL */
  const char *status;            /* feedback | acknowledged | decided, or NULL */
  bool inbox;                    /* unacknowledged feedback without accountability yet */
};
json_t *violations_list_json(struct db *db, const struct scope *scope, const struct violation_filter *f, int page,
                             int page_size);

struct secondment_new {
  int64_t cadre_id, recorded_by;
  const struct discipline_post *post;
  const char *start_date, *end_date, *work, *note;
  int days;
};
int secondments_insert(struct db *db, const struct secondment_new *s, int64_t now, int64_t *id_out);
json_t *secondments_get_json(struct db *db, const struct scope *scope, int64_t id);
struct secondment_filter {
  int64_t cadre_id, unit_id;
  const char *from, *to;         /* overlapping [from, to] */
};
json_t *secondments_list_json(struct db *db, const struct scope *scope, const struct secondment_filter *f, int page,
                              int page_size);

struct reminder_new {
  int64_t cadre_id, sent_by;
  const struct discipline_post *post;
  const char *reason, *text;
};
int reminders_insert(struct db *db, const struct reminder_new *r, int64_t now, int64_t *id_out);
/* Marks read (idempotent: a second call keeps the first time). */
int reminders_mark_read(struct db *db, int64_t id, int64_t now);
json_t *reminders_get_json(struct db *db, const struct scope *scope, int64_t id);
struct reminder_filter {
  int64_t cadre_id;
  bool unread;
};
json_t *reminders_list_json(struct db *db, const struct scope *scope, const struct reminder_filter *f, int page,
                            int page_size);

/* 2.6: one row per dispatching unit with a post in scope during the month (first..last, last cut
 * to today): {unit_id, unit_name, cadres, posts, working_days, days_in_village, violations,
 * secondments}. working_days: the posts' working days (calendar_day + weekdays) in the period,
 * less approved leave days without an in-village act; days_in_village: those with an in-fence
 * check-in. region_code narrows to the posts in a county, township or village (NULL: all). */
struct score_query {
  const char *first, *last, *month_last; /* ISO */
  const char *region_code;
};
json_t *scores_list_json(struct db *db, const struct scope *scope, const struct score_query *q, int page,
                         int page_size);

#endif
