/* post_life (store) — see post_life.h.
 *
 * The dates of every live post are read in one query (its own start and term, the handover it
 * came in by, the successor's handover it goes out by, a recall), core/post_life says what the
 * post is on the day, and every difference is written with its consequences: the cadre's
 * station, the handover closed, the adjustment done, a vacancy opened or filled. The transitions
 * are idempotent, so running the day twice changes nothing the second time. */
#include "store/post_life.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/post_life.h"
#include "store/audit.h"
#include "store/cadres.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

/* One live post and its dates. */
struct live_post {
  int64_t id, cadre_id, handover_out, adjustment_id;
  char village[16], post[24], status[16];
  struct post_dates d;
};

static int iso_col(struct query *q, const char *alias)
{
  int d = 0;
  const char *s = query_get_text(q, alias);
  return *s && date_parse_iso(s, &d) == DATE_OK ? d : 0;
}

#define LIVE_POST_SQL \
  "SELECT a.id AS id, a.cadre_id AS cadre_id, a.village_code AS village, a.post AS post, a.status AS status," \
  " a.start_date AS start_date, a.term_end AS term_end," \
  " coalesce((SELECT h.ends_on FROM handover h WHERE h.incoming_assignment_id = a.id ORDER BY h.id DESC LIMIT 1), '')" \
  "   AS handover_in_last," \
  " coalesce(o.starts_on, '') AS succeeded_from, coalesce(o.ends_on, '') AS succeeded_last," \
  " coalesce(s.kind, '') AS successor_kind, coalesce(o.id, 0) AS handover_out," \
  " coalesce((SELECT j.effective_on FROM adjustment j WHERE j.outgoing_assignment_id = a.id AND j.recall = 1" \
  "   AND j.status != 'cancelled' AND j.effective_on IS NOT NULL ORDER BY j.id DESC LIMIT 1), '') AS recalled_from," \
  " coalesce(s.adjustment_id, 0) AS adjustment_id" \
  " FROM assignment a" \
  " LEFT JOIN handover o ON o.id = (SELECT max(h.id) FROM handover h WHERE h.outgoing_assignment_id = a.id)" \
  " LEFT JOIN assignment s ON s.id = o.incoming_assignment_id"

static void read_live_post(struct query *q, struct live_post *p)
{
  memset(p, 0, sizeof *p);
  p->id = query_get_int(q, "id");
  p->cadre_id = query_get_int(q, "cadre_id");
  snprintf(p->village, sizeof p->village, "%s", query_get_text(q, "village"));
  snprintf(p->post, sizeof p->post, "%s", query_get_text(q, "post"));
  snprintf(p->status, sizeof p->status, "%s", query_get_text(q, "status"));
  p->d.start = iso_col(q, "start_date");
  p->d.term_end = iso_col(q, "term_end");
  p->d.handover_in_last = iso_col(q, "handover_in_last");
  p->d.succeeded_from = iso_col(q, "succeeded_from");
  p->d.succeeded_last = iso_col(q, "succeeded_last");
  p->d.succeeded_by = strcmp(query_get_text(q, "successor_kind"), "rotation") == 0 ? POST_END_ROTATION : POST_END_ADJUSTMENT;
  p->handover_out = query_get_int(q, "handover_out");
  p->d.recalled_from = iso_col(q, "recalled_from");
  p->adjustment_id = query_get_int(q, "adjustment_id"); /* the successor's adjustment, when it came by one */
}

/* The live posts (approved, active, in handover), of one village or all, read whole before any
 * write: *out is malloc'd. */
static int live_posts(struct db *db, const char *village, int64_t only_id, struct live_post **out, size_t *n)
{
  *out = NULL; /* set before anything can fail: the caller frees it */
  *n = 0;
  struct query *q = query_open(db, LIVE_POST_SQL
      " WHERE a.status IN ('approved','active','handover') AND (:village = '' OR a.village_code = :village)"
      " AND (:id = 0 OR a.id = :id) ORDER BY a.id");
  query_bind_text(q, ":village", village ? village : "");
  query_bind_int(q, ":id", only_id);
  size_t cap = 0;
  bool grown = true;
  while (grown && query_next(q)) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 256;
      struct live_post *bigger = realloc(*out, cap * sizeof **out);
      grown = bigger != NULL;
      if (!bigger) break;
      *out = bigger;
    }
    read_live_post(q, &(*out)[(*n)++]);
  }
  if (query_close(q) != DB_OK || !grown) { free(*out); *out = NULL; *n = 0; return DB_ERROR; }
  return DB_OK;
}

/* ---- one transition ---- */

/* Runs a write whose one parameter is :id. */
static int exec_id(struct db *db, const char *sql, int64_t id)
{
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":id", id);
  return query_exec(q);
}

static const char *transition_note(const char *from, enum post_state to, enum post_end cause)
{
  if (to == POST_ENDED) {
    switch (cause) {
    case POST_END_TERM: return "任期届满，此为最后在岗日（1.1）";
    case POST_END_ROTATION: return "集中轮换交接过渡期最后一天，此后离任（1.6）";
    case POST_END_ADJUSTMENT: return "调整交接过渡期最后一天，此后离任（1.6）";
    case POST_END_RECALL: return "召回生效前最后在岗日，此后离任（1.8）";
    }
  }
  if (to == POST_HANDOVER)
    return strcmp(from, "approved") == 0 ? "到岗，进入交接过渡期（1.6）" : "继任者到岗，进入交接过渡期（1.6）";
  if (to == POST_ACTIVE) return strcmp(from, "approved") == 0 ? "到岗" : "交接过渡期满，独立在岗（1.6）";
  return "";
}

/* The day a transition happened: the start, the first day after an incoming handover, the
 * successor's first day, or the post's last day. */
static int transition_day(const struct live_post *p, enum post_state to, int last)
{
  bool arriving = strcmp(p->status, "approved") == 0;
  switch (to) {
  case POST_ENDED: return last;
  case POST_HANDOVER: return arriving ? p->d.start : p->d.succeeded_from;
  case POST_ACTIVE: return arriving || !p->d.handover_in_last ? p->d.start : date_add_days(p->d.handover_in_last, 1);
  case POST_APPROVED: return p->d.start;
  }
  return 0;
}

static int audit_transition(struct db *db, const struct live_post *p, enum post_state to, int day, int64_t now,
                            const char *cause)
{
  char id[24], detail[200];
  snprintf(id, sizeof id, "%lld", (long long)p->id);
  char iso[DATE_ISO_SIZE];
  date_format_iso(day, iso);
  snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\",\"on\":\"%s\"%s%s%s}", p->status,
           post_state_name(to), iso, cause ? ",\"cause\":\"" : "", cause ? cause : "", cause ? "\"" : "");
  char action[48];
  snprintf(action, sizeof action, "assignment.%s", post_state_name(to));
  struct audit_entry e = {0, "system", action, "assignment", id, "system", detail, now};
  return audit_append(db, &e);
}

static int open_vacancy(struct db *db, const struct live_post *p, int last, enum post_end cause,
                        const struct post_rules *r, int64_t now)
{
  char opened[DATE_ISO_SIZE], deadline[DATE_ISO_SIZE];
  int first = date_add_days(last, 1);
  date_format_iso(first, opened);
  date_format_iso(date_add_days(first, r->vacancy_fill_days > 0 ? r->vacancy_fill_days : 30), deadline);
  struct query *q = query_open(db,
      "INSERT INTO vacancy (village_code, post, assignment_id, cause, opened_on, deadline, created_at)"
      " VALUES (:village, :post, :id, :cause, :opened, :deadline, :now) ON CONFLICT (assignment_id) DO NOTHING");
  query_bind_text(q, ":village", p->village);
  query_bind_text(q, ":post", p->post);
  query_bind_int(q, ":id", p->id);
  query_bind_text(q, ":cause", post_end_name(cause));
  query_bind_text(q, ":opened", opened);
  query_bind_text(q, ":deadline", deadline);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}

/* What ending the post does besides its own row. */
static int on_end(struct db *db, const struct live_post *p, int last, enum post_end cause, const struct post_rules *r,
                  int64_t now)
{
  char last_iso[DATE_ISO_SIZE];
  date_format_iso(last, last_iso);
  int rc = cadres_set_station(db, p->cadre_id, NULL, NULL);
  if (rc == DB_OK && (cause == POST_END_ROTATION || cause == POST_END_ADJUSTMENT) && p->handover_out) {
    struct query *q = query_open(db, "UPDATE handover SET completed_on = :last WHERE id = :id AND completed_on IS NULL");
    query_bind_int(q, ":id", p->handover_out);
    query_bind_text(q, ":last", last_iso);
    rc = query_exec(q);
    if (rc == DB_OK && p->adjustment_id)
      rc = exec_id(db, "UPDATE adjustment SET status = 'done' WHERE id = :id AND status != 'cancelled'", p->adjustment_id);
  }
  /* nobody takes over: the village waits for a successor (1.7) */
  if (rc == DB_OK && (cause == POST_END_TERM || cause == POST_END_RECALL)) rc = open_vacancy(db, p, last, cause, r, now);
  return rc;
}

static int transition(struct db *db, const struct live_post *p, enum post_state to, int last, enum post_end cause,
                      const struct post_rules *r, int today, int64_t now)
{
  char last_iso[DATE_ISO_SIZE];
  date_format_iso(last, last_iso);
  bool ended = to == POST_ENDED;
  struct query *q = query_open(db,
      "UPDATE assignment SET status = :to, version = version + 1,"
      " ended_on = CASE WHEN :to = 'ended' THEN :last ELSE ended_on END,"
      " end_reason = CASE WHEN :to = 'ended' THEN :cause ELSE end_reason END"
      " WHERE id = :id AND status = :from");
  query_bind_text(q, ":to", post_state_name(to));
  query_bind_text(q, ":last", last_iso);
  query_bind_text(q, ":cause", post_end_name(cause));
  query_bind_int(q, ":id", p->id);
  query_bind_text(q, ":from", p->status);
  int rc = query_exec_guarded(q);
  if (rc != DB_OK) return rc;
  /* the timeline names the day it happened, which for a late settle may be before today */
  int on = transition_day(p, to, last);
  if (!on || on > today) on = today;
  char note[160];
  char on_iso[DATE_ISO_SIZE];
  date_format_iso(on, on_iso);
  snprintf(note, sizeof note, "%s：%s", on_iso, transition_note(p->status, to, cause));
  struct query *ev = query_open(db,
      "INSERT INTO assignment_event (assignment_id, at, user_id, username, action, from_status, to_status, note)"
      " VALUES (:id, :at, NULL, 'system', :action, :from, :to, :note)");
  query_bind_int(ev, ":id", p->id);
  query_bind_int(ev, ":at", now);
  query_bind_text(ev, ":action", ended ? "end" : to == POST_HANDOVER ? "handover" : "take_effect");
  query_bind_text(ev, ":from", p->status);
  query_bind_text(ev, ":to", post_state_name(to));
  query_bind_text(ev, ":note", note);
  rc = query_exec(ev);
  if (rc == DB_OK) rc = audit_transition(db, p, to, on, now, ended ? post_end_name(cause) : NULL);
  if (rc != DB_OK) return rc;
  if (ended) return on_end(db, p, last, cause, r, now);
  if (strcmp(p->status, "approved") == 0) return cadres_set_station(db, p->cadre_id, p->village, p->post);
  return DB_OK;
}

/* Open vacancies of the village (or all) that a post of their kind, started on or after the
 * vacancy opened, now fills; the earliest such post fills the earliest vacancy. */
static int fill_vacancies(struct db *db, const char *village, int today)
{
  char today_iso[DATE_ISO_SIZE];
  date_format_iso(today, today_iso);
  /* one at a time: each fill changes which posts are still free for the next */
  int rc = DB_OK;
  for (int guard = 0; rc == DB_OK && guard < 100000; guard++) {
    struct query *open = query_open(db,
        "SELECT v.id AS id, (SELECT a.id FROM assignment a WHERE a.village_code = v.village_code AND a.post = v.post"
        "   AND a.status IN ('active','handover','ended') AND a.start_date >= v.opened_on AND a.start_date <= :today"
        "   AND NOT EXISTS (SELECT 1 FROM vacancy w WHERE w.filled_by = a.id) ORDER BY a.start_date, a.id LIMIT 1)"
        "   AS filler"
        " FROM vacancy v WHERE v.filled_on IS NULL AND (:village = '' OR v.village_code = :village)"
        " ORDER BY v.opened_on, v.id");
    query_bind_text(open, ":village", village ? village : "");
    query_bind_text(open, ":today", today_iso);
    int64_t vacancy = 0, filler = 0;
    while (query_next(open)) {
      if (query_is_null(open, "filler")) continue;
      vacancy = query_get_int(open, "id");
      filler = query_get_int(open, "filler");
      break;
    }
    if (query_close(open) != DB_OK) return DB_ERROR;
    if (!vacancy) break;
    struct query *fill = query_open(db,
        "UPDATE vacancy SET filled_by = :filler, filled_on = (SELECT start_date FROM assignment WHERE id = :filler)"
        " WHERE id = :id");
    query_bind_int(fill, ":id", vacancy);
    query_bind_int(fill, ":filler", filler);
    rc = query_exec(fill);
  }
  return rc;
}

int post_life_settle(struct db *db, const struct post_rules *r, int today, int64_t now, const char *village,
                     long *changed)
{
  struct live_post *posts;
  size_t n;
  if (changed) *changed = 0;
  int rc = live_posts(db, village, 0, &posts, &n);
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    int last;
    enum post_end cause;
    enum post_state s = post_state_on(&posts[i].d, today, &last, &cause);
    if (strcmp(post_state_name(s), posts[i].status) == 0) continue;
    rc = transition(db, &posts[i], s, last, cause, r, today, now);
    if (rc == DB_OK && changed) (*changed)++;
  }
  free(posts);
  if (rc == DB_OK) rc = fill_vacancies(db, village, today);
  return rc;
}

/* ---- the first-secretary seat ---- */

int post_life_incumbent(struct db *db, const char *village, int start, int64_t exclude, int64_t *out)
{
  *out = 0;
  struct live_post *posts;
  size_t n;
  int rc = live_posts(db, village, 0, &posts, &n);
  int holders = 0;
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    const struct live_post *p = &posts[i];
    if (p->id == exclude || strcmp(p->post, "first_secretary") != 0) continue;
    if (post_last_day(&p->d, NULL) < start) continue; /* gone by then */
    /* promised already: approved to start, or handing over to someone else */
    if (strcmp(p->status, "approved") == 0 || p->d.succeeded_from) { rc = DB_CONFLICT; break; }
    *out = p->id;
    holders++;
  }
  free(posts);
  if (rc == DB_OK && holders > 1) rc = DB_CONFLICT;
  return rc;
}

int post_life_start_handover(struct db *db, int64_t adjustment_id, int64_t outgoing, int64_t incoming, int first,
                             int days, const char *checklist_json, int64_t *handover_id)
{
  char starts[DATE_ISO_SIZE], ends[DATE_ISO_SIZE];
  date_format_iso(first, starts);
  date_format_iso(post_handover_last(first, days), ends);
  struct query *q = query_open(db,
      "INSERT INTO handover (adjustment_id, outgoing_assignment_id, incoming_assignment_id, starts_on, ends_on, checklist)"
      " VALUES (:adj, :out, :in, :starts, :ends, :checklist) RETURNING id");
  query_bind_int_or_null(q, ":adj", adjustment_id);
  query_bind_int(q, ":out", outgoing);
  query_bind_int(q, ":in", incoming);
  query_bind_text(q, ":starts", starts);
  query_bind_text(q, ":ends", ends);
  query_bind_text(q, ":checklist", checklist_json);
  int rc = query_insert_id(q, handover_id);
  if (rc == DB_OK) {
    struct query *u = query_open(db, "UPDATE assignment SET replaces_id = :outgoing WHERE id = :id");
    query_bind_int(u, ":id", incoming);
    query_bind_int(u, ":outgoing", outgoing);
    rc = query_exec(u);
  }
  if (rc == DB_OK && adjustment_id)
    rc = exec_id(db, "UPDATE adjustment SET status = 'handover' WHERE id = :id", adjustment_id);
  return rc;
}

/* ---- questions ---- */

/* The posts that hold a village on :day, outside the outgoing side of a handover. */
#define SEATED_ON_DAY \
  "a.status IN ('active','handover','ended') AND a.start_date <= :day AND coalesce(a.ended_on, a.term_end) >= :day" \
  " AND NOT EXISTS (SELECT 1 FROM handover h WHERE h.outgoing_assignment_id = a.id AND h.starts_on <= :day" \
  "   AND h.ends_on >= :day)"

json_t *post_life_double_first_secretaries(struct db *db, const struct scope *scope, const char *region_code, int day)
{
  char iso[DATE_ISO_SIZE];
  date_format_iso(day, iso);
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql,
      "SELECT a.village_code AS village_code, min(ar.name) AS village_name, group_concat(c.name, '、') AS holders,"
      " count(*) AS n FROM assignment a"
      " JOIN region ar ON ar.code = a.village_code JOIN cadre c ON c.id = a.cadre_id"
      " WHERE a.post = 'first_secretary' AND " SEATED_ON_DAY
      " AND (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, " GROUP BY a.village_code, ar.name HAVING count(*) > 1 ORDER BY a.village_code");
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!q) return NULL;
  query_bind_scope(q, scope);
  query_bind_text(q, ":day", iso);
  query_bind_text(q, ":region", region_code ? region_code : "");
  json_t *items = json_array();
  while (query_next(q))
    json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I}", "village_code", query_get_text(q, "village_code"),
                                           "village_name", query_get_text(q, "village_name"), "holders",
                                           query_get_text(q, "holders"), "count", (json_int_t)query_get_int(q, "n")));
  if (query_close(q) != DB_OK) { json_decref(items); return NULL; }
  return json_pack("{s:s, s:s, s:o}", "day", iso, "clause", "1.7", "items", items);
}

/* A text column, null when it is NULL. */
static json_t *text_or_null(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_string(query_get_text(q, alias));
}

static json_t *vacancy_row(struct query *q)
{
  const char *post = query_get_text(q, "post"), *cause_code = query_get_text(q, "cause");
  enum post_end cause = POST_END_TERM;
  post_end_parse(cause_code, &cause);
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:s}",
      "id", (json_int_t)query_get_int(q, "id"), "village_code", query_get_text(q, "village_code"), "village_name",
      query_get_text(q, "village_name"), "township_name", query_get_text(q, "township_name"), "post", post,
      "post_name", cadres_post_name_zh(post), "cause", cause_code, "cause_name", post_end_name_zh(cause),
      "opened_on", query_get_text(q, "opened_on"), "deadline", query_get_text(q, "deadline"), "status",
      query_get_text(q, "status"), "filled_on", text_or_null(q, "filled_on"),
      "days_overdue", (json_int_t)query_get_int(q, "days_overdue"), "previous_cadre", query_get_text(q, "previous_cadre"),
      "county_name", query_get_text(q, "county_name"));
  json_object_set_new(row, "successor", text_or_null(q, "successor"));
  return row;
}

json_t *post_life_vacancies_json(struct db *db, const struct scope *scope, const char *region_code, const char *status,
                                 int today, int page, int page_size)
{
  char today_iso[DATE_ISO_SIZE];
  date_format_iso(today, today_iso);
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where,
      "vacancy v JOIN region ar ON ar.code = v.village_code JOIN region tw ON tw.code = ar.parent_code"
      " JOIN region co ON co.code = tw.parent_code JOIN assignment a ON a.id = v.assignment_id"
      " JOIN cadre pc ON pc.id = a.cadre_id"
      " WHERE (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')"
      " AND (:status = '' OR (:status = 'filled' AND v.filled_on IS NOT NULL)"
      "  OR (:status = 'open' AND v.filled_on IS NULL)"
      "  OR (:status = 'overdue' AND v.filled_on IS NULL AND v.deadline < :today))");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {{":region", region_code ? region_code : "", 0}, {":status", status ? status : "", 0},
                                     {":today", today_iso, 0}};
  json_t *out = rc == 0 ? query_list(db,
      "v.id AS id, v.village_code AS village_code, ar.name AS village_name, tw.name AS township_name, v.post AS post,"
      " v.cause AS cause, v.opened_on AS opened_on, v.deadline AS deadline,"
      " CASE WHEN v.filled_on IS NOT NULL THEN 'filled' WHEN v.deadline < :today THEN 'overdue' ELSE 'open' END AS status,"
      " v.filled_on AS filled_on, CASE WHEN v.filled_on IS NULL AND v.deadline < :today"
      "   THEN CAST(julianday(:today) - julianday(v.deadline) AS INTEGER) ELSE 0 END AS days_overdue,"
      " pc.name AS previous_cadre, co.name AS county_name,"
      " (SELECT sc.name || CASE s.status WHEN 'pending' THEN '（待审批）' WHEN 'approved' THEN '（已批准，待到岗）' ELSE '' END"
      "   FROM assignment s JOIN cadre sc ON sc.id = s.cadre_id WHERE s.village_code = v.village_code AND s.post = v.post"
      "   AND s.status IN ('pending','approved') ORDER BY s.id DESC LIMIT 1) AS successor",
      strbuf_cstr(&where), "v.filled_on IS NOT NULL, v.deadline, v.id", params, 3, scope, vacancy_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

static json_t *ending_row(struct query *q)
{
  const char *post = query_get_text(q, "post");
  json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
      "assignment_id", (json_int_t)query_get_int(q, "assignment_id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
      "cadre_name", query_get_text(q, "cadre_name"), "village_code", query_get_text(q, "village_code"), "village_name",
      query_get_text(q, "village_name"), "township_name", query_get_text(q, "township_name"), "post", post,
      "post_name", cadres_post_name_zh(post), "unit_name", query_get_text(q, "unit_name"), "term_end",
      query_get_text(q, "term_end"), "days_left", (json_int_t)query_get_int(q, "days_left"), "county_name",
      query_get_text(q, "county_name"));
  json_object_set_new(row, "unit_id", json_integer(query_get_int(q, "unit_id")));
  json_object_set_new(row, "successor", text_or_null(q, "successor"));
  return row;
}

json_t *post_life_terms_ending_json(struct db *db, const struct scope *scope, const char *region_code,
                                    const struct post_rules *r, int today, int page, int page_size)
{
  char today_iso[DATE_ISO_SIZE], until[DATE_ISO_SIZE];
  date_format_iso(today, today_iso);
  date_format_iso(date_add_days(today, r->term_notice_days > 0 ? r->term_notice_days : 60), until);
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where,
      "assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code"
      " JOIN region tw ON tw.code = ar.parent_code JOIN region co ON co.code = tw.parent_code JOIN unit u ON u.id = a.unit_id"
      " WHERE a.status IN ('active','handover') AND a.term_end >= :today AND a.term_end <= :until"
      " AND NOT EXISTS (SELECT 1 FROM handover h WHERE h.outgoing_assignment_id = a.id)"
      " AND (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {{":region", region_code ? region_code : "", 0}, {":today", today_iso, 0},
                                     {":until", until, 0}};
  json_t *out = rc == 0 ? query_list(db,
      "a.id AS assignment_id, a.cadre_id AS cadre_id, c.name AS cadre_name, a.village_code AS village_code,"
      " ar.name AS village_name, tw.name AS township_name, a.post AS post, u.name AS unit_name, a.term_end AS term_end,"
      " CAST(julianday(a.term_end) - julianday(:today) AS INTEGER) AS days_left, co.name AS county_name,"
      " a.unit_id AS unit_id,"
      " (SELECT sc.name || CASE s.status WHEN 'pending' THEN '（待审批）' ELSE '（已批准，待到岗）' END"
      "   FROM assignment s JOIN cadre sc ON sc.id = s.cadre_id WHERE s.village_code = a.village_code AND s.post = a.post"
      "   AND s.status IN ('pending','approved') ORDER BY s.id DESC LIMIT 1) AS successor",
      strbuf_cstr(&where), "a.term_end, a.village_code, a.id", params, 3, scope, ending_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  if (out) json_object_set_new(out, "notice_days", json_integer(r->term_notice_days));
  return out;
}

int post_life_why_not_holding(struct db *db, int64_t cadre_id, char *out, size_t len)
{
  out[0] = '\0';
  struct query *q = query_open(db,
      "SELECT a.status AS status, a.start_date AS start_date, coalesce(a.ended_on, '') AS ended_on,"
      " coalesce(a.end_reason, '') AS end_reason, r.name AS village_name FROM assignment a"
      " JOIN region r ON r.code = a.village_code WHERE a.cadre_id = :cadre AND a.status IN ('approved','ended')"
      " ORDER BY a.status = 'approved' DESC, a.ended_on DESC, a.id DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  if (query_next(q)) {
    const char *status = query_get_text(q, "status"), *village = query_get_text(q, "village_name");
    enum post_end cause = POST_END_TERM;
    post_end_parse(query_get_text(q, "end_reason"), &cause);
    if (strcmp(status, "approved") == 0)
      snprintf(out, len, "您在%s的驻村任务自 %s 起生效，届时方可打卡", village, query_get_text(q, "start_date"));
    else
      snprintf(out, len, "您在%s的驻村任务已于 %s 因%s结束%s", village, query_get_text(q, "ended_on"),
               post_end_name_zh(cause), cause == POST_END_RECALL ? "（1.8）" : cause == POST_END_TERM ? "（1.1）" : "（1.6）");
  }
  return query_close(q);
}
