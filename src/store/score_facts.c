/* score_facts — the unit attendance score counted from month facts; see score_facts.h.
 * Day d of the month is bit d-1 of a uint32_t: the month's working days, a post's days, a
 * cadre's in-village days (checkin_month_days) and leave days are masks, and a unit's figures are
 * pop-counts of their intersections, each (unit, cadre, day) once as the old SQL counted them. */
#include "store/score_facts.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/discipline.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define LEAVE_END \
  "(CASE WHEN l.status = 'closed' AND l.returned_on IS NOT NULL THEN date(l.returned_on, '-1 day')" \
  " ELSE l.end_date END)"

const char *const SCORE_FACTS_CALENDAR_SQL =
    "SELECT date AS date, kind AS kind FROM calendar_day WHERE date >= :first AND date <= :last";
const char *const SCORE_FACTS_LEAVE_SQL =
    "SELECT l.cadre_id AS cadre_id, max(l.start_date, :first) AS from_day, min(" LEAVE_END ", :last) AS to_day"
    " FROM leave l WHERE l.status IN ('approved','closed') AND l.start_date <= :last AND " LEAVE_END " >= :first"
    " ORDER BY l.cadre_id";

/* Days s..e of the month (1-based, inclusive); 0 when s > e. */
static uint32_t day_range(int s, int e)
{
  if (s < 1) s = 1;
  if (e > 31) e = 31;
  if (s > e) return 0;
  uint64_t hi = (UINT64_C(1) << e) - 1, lo = (UINT64_C(1) << (s - 1)) - 1;
  return (uint32_t)(hi & ~lo);
}

static int day_of(const char *iso) { return strlen(iso) >= 10 ? atoi(iso + 8) : 0; }

static int popcount(uint32_t x) { return __builtin_popcount(x); }

/* The working days of first..last: weekdays, unless calendar_day says holiday or workday. */
static int working_days(struct db *db, const struct score_query *q, uint32_t *mask)
{
  int first, last;
  *mask = 0;
  if (date_parse_iso(q->first, &first) != 0 || date_parse_iso(q->last, &last) != 0) return DB_ERROR;
  for (int d = first; d <= last && d != 0; d = date_add_days(d, 1))
    if (date_weekday(d) <= 5) *mask |= day_range(date_day(d), date_day(d));
  struct query *cal = query_open(db, SCORE_FACTS_CALENDAR_SQL);
  query_bind_text(cal, ":first", q->first);
  query_bind_text(cal, ":last", q->last);
  while (query_next(cal)) {
    int day = day_of(query_get_text(cal, "date"));
    uint32_t bit = day_range(day, day);
    const char *kind = query_get_text(cal, "kind");
    if (strcmp(kind, "holiday") == 0) *mask &= ~bit;
    else if (strcmp(kind, "workday") == 0) *mask |= bit;
  }
  return query_close(cal);
}

struct cadre_leave {
  int64_t cadre_id;
  uint32_t days;
};

static int by_cadre(const void *a, const void *b)
{
  int64_t x = ((const struct cadre_leave *)a)->cadre_id, y = ((const struct cadre_leave *)b)->cadre_id;
  return (x > y) - (x < y);
}

/* Approved (or closed) leave days in the period, per cadre, sorted by cadre id. */
static int leave_days(struct db *db, const struct score_query *q, struct cadre_leave **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  struct query *lq = query_open(db, SCORE_FACTS_LEAVE_SQL);
  query_bind_text(lq, ":first", q->first);
  query_bind_text(lq, ":last", q->last);
  size_t cap = 0;
  bool grew = true;
  while (query_next(lq)) {
    int64_t cid = query_get_int(lq, "cadre_id");
    uint32_t days = day_range(day_of(query_get_text(lq, "from_day")), day_of(query_get_text(lq, "to_day")));
    if (*n && (*out)[*n - 1].cadre_id == cid) { (*out)[*n - 1].days |= days; continue; }
    if (*n == cap) {
      cap = cap ? cap * 2 : 256;
      struct cadre_leave *grown = realloc(*out, cap * sizeof **out);
      if (!grown) { grew = false; break; }
      *out = grown;
    }
    (*out)[(*n)++] = (struct cadre_leave){cid, days};
  }
  if (query_close(lq) == DB_OK && grew) return DB_OK;
  free(*out);
  *out = NULL;
  *n = 0;
  return DB_ERROR;
}

static uint32_t leave_of(const struct cadre_leave *leaves, size_t n, int64_t cadre_id)
{
  struct cadre_leave key = {cadre_id, 0};
  const struct cadre_leave *hit = n ? bsearch(&key, leaves, n, sizeof *leaves, by_cadre) : NULL;
  return hit ? hit->days : 0;
}

/* One (unit, cadre): the union of its posts' working days, counted against present and leave. */
static void add_cadre(struct unit_days *u, uint32_t posted, uint32_t present, uint32_t leave)
{
  u->cadres++;
  u->working_days += popcount(posted & (present | ~leave));
  u->days_in_village += popcount(posted & present);
  u->leave_days += popcount(posted & leave & ~present);
}

struct tally {
  struct unit_days *units;
  size_t n, cap;
  int64_t cadre_id;
  uint32_t posted, present, leave;
};

static int tally_unit(struct tally *t, int64_t unit_id)
{
  if (t->n && t->units[t->n - 1].unit_id == unit_id) return DB_OK;
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    struct unit_days *grown = realloc(t->units, t->cap * sizeof *t->units);
    if (!grown) return DB_ERROR;
    t->units = grown;
  }
  t->units[t->n++] = (struct unit_days){unit_id, 0, 0, 0, 0, 0};
  t->cadre_id = 0;
  return DB_OK;
}

static void tally_flush(struct tally *t)
{
  if (t->n && t->cadre_id) add_cadre(&t->units[t->n - 1], t->posted, t->present, t->leave);
  t->cadre_id = 0;
}

int score_facts_posts_sql(struct strbuf *sql, const char *bounds)
{
  return strbuf_appendf(sql,
      "SELECT a.unit_id AS unit_id, a.cadre_id AS cadre_id, max(a.start_date, :first) AS from_day,"
      " min(coalesce(a.ended_on, a.term_end), :last) AS to_day, coalesce(f.days, 0) AS days_mask"
      " FROM assignment a JOIN region ar ON ar.code = a.village_code"
      " LEFT JOIN checkin_month_days f ON f.cadre_id = a.cadre_id AND f.month = substr(:first, 1, 7)"
      " WHERE a.status IN ('active','handover','ended') AND a.start_date <= :last"
      " AND coalesce(a.ended_on, a.term_end) >= :first%s ORDER BY a.unit_id, a.cadre_id", bounds);
}

/* The posts' statement with its parameters bound: :first, :last, and :region when bounds names it (the
 * caller's filter by region is there only when a region was asked for). */
static struct query *posts_query(struct db *db, const struct scope *scope, const struct score_query *q,
                                 const char *bounds)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = score_facts_posts_sql(&sql, bounds);
  struct query *pq = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  const struct sql_param params[] = {{":first", q->first, 0}, {":last", q->last, 0}};
  query_bind_params(pq, params, 2);
  if (strstr(bounds, ":region")) query_bind_text(pq, ":region", q->region_code ? q->region_code : "");
  query_bind_scope(pq, scope);
  return pq;
}

/* Every column of a row is read, in the same order, whatever the row: the alias look-up stays one
 * pointer comparison per read in this loop over a province's posts. */
static int tally_posts(struct query *pq, uint32_t working, const struct cadre_leave *leaves, size_t nleaves,
                       struct tally *t)
{
  while (query_next(pq)) {
    int64_t uid = query_get_int(pq, "unit_id"), cid = query_get_int(pq, "cadre_id");
    uint32_t present = (uint32_t)query_get_int(pq, "days_mask");
    const char *pf = query_get_text(pq, "from_day"), *pt = query_get_text(pq, "to_day");
    if (t->n && t->units[t->n - 1].unit_id != uid) tally_flush(t);
    if (tally_unit(t, uid) != DB_OK) {
      query_close(pq);
      return DB_ERROR;
    }
    if (cid != t->cadre_id) {
      tally_flush(t);
      *t = (struct tally){t->units, t->n, t->cap, cid, 0, present, leave_of(leaves, nleaves, cid)};
    }
    t->units[t->n - 1].posts++;
    if (strcmp(pf, pt) <= 0) t->posted |= working & day_range(day_of(pf), day_of(pt));
  }
  tally_flush(t);
  return query_close(pq);
}

int score_facts_unit_days(struct db *db, const struct scope *scope, const struct score_query *q,
                          const char *bounds, struct unit_days **out, size_t *n)
{
  *out = NULL;
  *n = 0;
  uint32_t working = 0;
  if (strcmp(q->first, q->last) <= 0 && working_days(db, q, &working) != DB_OK) return DB_ERROR;
  struct cadre_leave *leaves;
  size_t nleaves;
  if (leave_days(db, q, &leaves, &nleaves) != DB_OK) return DB_ERROR;
  struct tally t = {0};
  int rc = tally_posts(posts_query(db, scope, q, bounds), working, leaves, nleaves, &t);
  free(leaves);
  if (rc != DB_OK) { free(t.units); return DB_ERROR; }
  *out = t.units;
  *n = t.n;
  return DB_OK;
}

int score_facts_rebuild(struct db *db)
{
  /* DB_ERROR for any failure, a refused write included, as one script of the two statements answered */
  if (query_exec(query_open(db, "DELETE FROM checkin_month_days")) != DB_OK) return DB_ERROR;
  return query_exec(query_open(db,
      "INSERT INTO checkin_month_days (cadre_id, month, days)"
      " SELECT cadre_id, substr(date, 1, 7), sum(DISTINCT 1 << (CAST(substr(date, 9, 2) AS INTEGER) - 1))"
      " FROM checkin WHERE in_fence = 1 GROUP BY cadre_id, substr(date, 1, 7)")) == DB_OK ? DB_OK : DB_ERROR;
}
