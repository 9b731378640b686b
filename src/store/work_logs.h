/* work_logs — 驻村日志 (2.1, 5.1): short entries of a cadre's day, each tagged with one of the
 * five duties, written in the cadre's village; the raw material of the periodic work report.
 *
 * Queries use the aliases of SCOPE_CADRE (the log is w, its cadre c, the cadre's village cr):
 * the same bounds as leaves. */
#ifndef ZHUCUN_WORK_LOGS_H
#define ZHUCUN_WORK_LOGS_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct scope;

struct work_log {
  int64_t cadre_id;
  const char *village_code, *date, *duty, *text; /* date ISO */
  int64_t checkin_id;                            /* 0: none */
};

/* The id of the cadre's check-in client_id made on date (ISO); DB_NOT_FOUND if there is none. */
int work_logs_find_checkin(struct db *db, int64_t cadre_id, const char *client_id, const char *date, int64_t *id_out);
int work_logs_insert(struct db *db, const struct work_log *w, int64_t now, int64_t *id_out);
/* The same, naming the households or projects concerned (free text; NULL or "": none). */
int work_logs_insert_subject(struct db *db, const struct work_log *w, const char *subject, int64_t now,
                             int64_t *id_out);

json_t *work_logs_get_json(struct db *db, const struct scope *scope, int64_t id);

struct work_log_filter {
  int64_t cadre_id;      /* 0: any */
  const char *from, *to; /* ISO dates, NULL: open */
  const char *duty;      /* NULL: any */
  const char *review_state; /* 批阅 state ("returned", ...); NULL: any */
};
json_t *work_logs_list_json(struct db *db, const struct scope *scope, const struct work_log_filter *f, int page,
                            int page_size);

/* 批阅: replaces the text of the cadre's entry (revision + 1); DB_CONFLICT when not the cadre's. The
 * caller keeps the old version first (reviews_keep_version) and moves the review state. */
int work_logs_revise(struct db *db, int64_t id, int64_t cadre_id, const char *text, int64_t now);

/* The cadre's entries of [from, to], oldest first: [{id, date, duty, text, subject|null}]. NULL on error. */
json_t *work_logs_period(struct db *db, int64_t cadre_id, const char *from, const char *to);
/* How many entries the cadre wrote for [from, to] (ISO dates); -1 on error. */
int64_t work_logs_count(struct db *db, int64_t cadre_id, const char *from, const char *to);

#endif
