/* leaves — 请销假 (2.1, 2.4): a cadre asks for leave, the township (short leaves) or the
 * county organization department / RRB (longer ones) decides, the cadre reports back (销假).
 *
 * States: pending → approved | refused (the approver) | cancelled (the cadre);
 * approved → closed (销假, with the day of return). An approved leave whose end_date has passed
 * without 销假 is "overdue": computed when read, never stored.
 *
 * Queries use the aliases of SCOPE_CADRE: the leave is l, its cadre c, the cadre's village cr,
 * so a township sees the leaves of the cadres stationed in it, a unit its cadres', a cadre
 * their own. The caller holds the write transaction for every write. */
#ifndef ZHUCUN_LEAVES_H
#define ZHUCUN_LEAVES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct scope;
struct auth_user;

/* Where a cadre is stationed now: the active (or handover) assignment and its places. */
struct cadre_station {
  int64_t assignment_id;
  char village_code[16], village_name[128];
  char township_code[16], township_name[128];
  char county_code[16], county_name[128];
  char cadre_name[64];
};
/* DB_NOT_FOUND when the cadre holds no post. */
int leaves_station(struct db *db, int64_t cadre_id, struct cadre_station *out);

struct leave_request {
  int64_t cadre_id, assignment_id;
  const char *type, *start_date, *end_date, *reason; /* ISO dates */
  int days;
  const char *approver_level;                        /* "township" | "county" */
};

/* The id of a pending, approved or closed leave of the cadre that shares a day with
 * [start, end] (a closed leave counts up to its day of return), or 0. */
int leaves_overlap(struct db *db, int64_t cadre_id, const char *start, const char *end, int64_t *other_id);
/* The first day in [start, end] with an in-fence check-in of the cadre, or "" (first[0] == 0). */
int leaves_first_checkin(struct db *db, int64_t cadre_id, const char *start, const char *end, char first[11]);

int leaves_insert(struct db *db, const struct leave_request *r, int64_t now, int64_t *id_out);
/* pending → approved | refused; DB_CONFLICT when no longer pending. */
int leaves_decide(struct db *db, int64_t id, bool approve, const char *comment, const struct auth_user *by,
                  int64_t now);
/* pending → cancelled; DB_CONFLICT when not pending. */
int leaves_cancel(struct db *db, int64_t id);
/* approved → closed with the day of return; DB_CONFLICT when not approved. */
int leaves_close(struct db *db, int64_t id, const char *returned_on);

/* One leave in scope, NULL when absent or out of scope. today: ISO date, for `overdue`. */
json_t *leaves_get_json(struct db *db, const struct scope *scope, int64_t id, const char *today);

struct leave_filter {
  const char *status;          /* NULL: any */
  int64_t cadre_id;            /* 0: any */
  const char *inbox_level;     /* "township"/"county": pending leaves of that approver level */
  bool overdue;                /* approved, end_date before today, not closed */
  const char *today;           /* ISO date */
};
json_t *leaves_list_json(struct db *db, const struct scope *scope, const struct leave_filter *f, int page,
                         int page_size);

#endif
