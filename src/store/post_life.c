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
#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

/* One live post and its dates. */
struct live_post {
  int64_t id, cadre_id, handover_out, adjustment_id;
  char village[16], post[24], status[16];
  struct post_dates d;
};

static int iso_col(sqlite3_stmt *st, int col)
{
  int d = 0;
  const char *s = db_col_text(st, col);
  return *s && date_parse_iso(s, &d) == DATE_OK ? d : 0;
}

#define LIVE_POST_SQL \
  "SELECT a.id, a.cadre_id, a.village_code, a.post, a.status, a.start_date, a.term_end," \
  " coalesce((SELECT h.ends_on FROM handover h WHERE h.incoming_assignment_id = a.id ORDER BY h.id DESC LIMIT 1), '')," \
  " coalesce(o.starts_on, ''), coalesce(o.ends_on, ''), coalesce(s.kind, ''), coalesce(o.id, 0)," \
  " coalesce((SELECT j.effective_on FROM adjustment j WHERE j.outgoing_assignment_id = a.id AND j.recall = 1" \
  "   AND j.status != 'cancelled' AND j.effective_on IS NOT NULL ORDER BY j.id DESC LIMIT 1), '')," \
  " coalesce(s.adjustment_id, 0)" \
  " FROM assignment a" \
  " LEFT JOIN handover o ON o.id = (SELECT max(h.id) FROM handover h WHERE h.outgoing_assignment_id = a.id)" \
  " LEFT JOIN assignment s ON s.id = o.incoming_assignment_id"

static void read_live_post(sqlite3_stmt *st, struct live_post *p)
{
  memset(p, 0, sizeof *p);
  p->id = sqlite3_column_int64(st, 0);
  p->cadre_id = sqlite3_column_int64(st, 1);
  snprintf(p->village, sizeof p->village, "%s", db_col_text(st, 2));
  snprintf(p->post, sizeof p->post, "%s", db_col_text(st, 3));
  snprintf(p->status, sizeof p->status, "%s", db_col_text(st, 4));
  p->d.start = iso_col(st, 5);
  p->d.term_end = iso_col(st, 6);
  p->d.handover_in_last = iso_col(st, 7);
  p->d.succeeded_from = iso_col(st, 8);
  p->d.succeeded_last = iso_col(st, 9);
  p->d.succeeded_by = strcmp(db_col_text(st, 10), "rotation") == 0 ? POST_END_ROTATION : POST_END_ADJUSTMENT;
  p->handover_out = sqlite3_column_int64(st, 11);
  p->d.recalled_from = iso_col(st, 12);
  p->adjustment_id = sqlite3_column_int64(st, 13); /* the successor's adjustment, when it came by one */
}

/* The live posts (approved, active, in handover), of one village or all, read whole before any
 * write: *out is malloc'd. */
static int live_posts(struct db *db, const char *village, int64_t only_id, struct live_post **out, size_t *n)
{
  *out = NULL; /* set before anything can fail: the caller frees it */
  *n = 0;
  sqlite3_stmt *st = db_stmt(db, LIVE_POST_SQL
      " WHERE a.status IN ('approved','active','handover') AND (:village = '' OR a.village_code = :village)"
      " AND (:id = 0 OR a.id = :id) ORDER BY a.id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"), village ? village : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), only_id);
  size_t cap = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 256;
      struct live_post *bigger = realloc(*out, cap * sizeof **out);
      if (!bigger) { sqlite3_reset(st); free(*out); *out = NULL; return DB_ERROR; }
      *out = bigger;
    }
    read_live_post(st, &(*out)[(*n)++]);
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { free(*out); *out = NULL; *n = 0; return DB_ERROR; }
  return DB_OK;
}

/* ---- one transition ---- */

/* Runs a write whose parameters are ?1 (an id) and, when it has them, ?2 (an id) or ?2 (text). */
static int exec_write(struct db *db, const char *sql, int64_t id, int64_t other, const char *text)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  if (sqlite3_bind_parameter_count(st) >= 2) {
    if (text) sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_int64(st, 2, other);
  }
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
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
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO vacancy (village_code, post, assignment_id, cause, opened_on, deadline, created_at)"
      " VALUES (:village, :post, :id, :cause, :opened, :deadline, :now) ON CONFLICT (assignment_id) DO NOTHING");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":village"), p->village, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":post"), p->post, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), p->id);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":cause"), post_end_name(cause), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":opened"), opened, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":deadline"), deadline, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":now"), now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* What ending the post does besides its own row. */
static int on_end(struct db *db, const struct live_post *p, int last, enum post_end cause, const struct post_rules *r,
                  int64_t now)
{
  char last_iso[DATE_ISO_SIZE];
  date_format_iso(last, last_iso);
  int rc = cadres_set_station(db, p->cadre_id, NULL, NULL);
  if (rc == DB_OK && (cause == POST_END_ROTATION || cause == POST_END_ADJUSTMENT) && p->handover_out) {
    rc = exec_write(db, "UPDATE handover SET completed_on = ?2 WHERE id = ?1 AND completed_on IS NULL",
                    p->handover_out, 0, last_iso);
    if (rc == DB_OK && p->adjustment_id)
      rc = exec_write(db, "UPDATE adjustment SET status = 'done' WHERE id = ?1 AND status != 'cancelled'",
                      p->adjustment_id, 0, NULL);
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
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE assignment SET status = :to, version = version + 1,"
      " ended_on = CASE WHEN :to = 'ended' THEN :last ELSE ended_on END,"
      " end_reason = CASE WHEN :to = 'ended' THEN :cause ELSE end_reason END"
      " WHERE id = :id AND status = :from");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":to"), post_state_name(to), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":last"), last_iso, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":cause"), post_end_name(cause), -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), p->id);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":from"), p->status, -1, SQLITE_TRANSIENT);
  int rc = db_update_guarded(db, st);
  if (rc != DB_OK) return rc;
  /* the timeline names the day it happened, which for a late settle may be before today */
  int on = transition_day(p, to, last);
  if (!on || on > today) on = today;
  sqlite3_stmt *ev = db_stmt(db,
      "INSERT INTO assignment_event (assignment_id, at, user_id, username, action, from_status, to_status, note)"
      " VALUES (:id, :at, NULL, 'system', :action, :from, :to, :note)");
  if (!ev) return DB_ERROR;
  char note[160];
  char on_iso[DATE_ISO_SIZE];
  date_format_iso(on, on_iso);
  snprintf(note, sizeof note, "%s：%s", on_iso, transition_note(p->status, to, cause));
  sqlite3_bind_int64(ev, sqlite3_bind_parameter_index(ev, ":id"), p->id);
  sqlite3_bind_int64(ev, sqlite3_bind_parameter_index(ev, ":at"), now);
  sqlite3_bind_text(ev, sqlite3_bind_parameter_index(ev, ":action"),
                    ended ? "end" : to == POST_HANDOVER ? "handover" : "take_effect", -1, SQLITE_STATIC);
  sqlite3_bind_text(ev, sqlite3_bind_parameter_index(ev, ":from"), p->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(ev, sqlite3_bind_parameter_index(ev, ":to"), post_state_name(to), -1, SQLITE_STATIC);
  sqlite3_bind_text(ev, sqlite3_bind_parameter_index(ev, ":note"), note, -1, SQLITE_TRANSIENT);
  rc = db_step_result(db, sqlite3_step(ev));
  sqlite3_reset(ev);
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
  sqlite3_stmt *open = db_stmt(db,
      "SELECT v.id, (SELECT a.id FROM assignment a WHERE a.village_code = v.village_code AND a.post = v.post"
      "   AND a.status IN ('active','handover','ended') AND a.start_date >= v.opened_on AND a.start_date <= :today"
      "   AND NOT EXISTS (SELECT 1 FROM vacancy w WHERE w.filled_by = a.id) ORDER BY a.start_date, a.id LIMIT 1)"
      " FROM vacancy v WHERE v.filled_on IS NULL AND (:village = '' OR v.village_code = :village) ORDER BY v.opened_on, v.id");
  if (!open) return DB_ERROR;
  sqlite3_bind_text(open, sqlite3_bind_parameter_index(open, ":village"), village ? village : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(open, sqlite3_bind_parameter_index(open, ":today"), today_iso, -1, SQLITE_TRANSIENT);
  /* one at a time: each fill changes which posts are still free for the next */
  int rc = DB_OK;
  for (int guard = 0; rc == DB_OK && guard < 100000; guard++) {
    int64_t vacancy = 0, filler = 0;
    int step;
    sqlite3_reset(open);
    while ((step = sqlite3_step(open)) == SQLITE_ROW) {
      if (sqlite3_column_type(open, 1) == SQLITE_NULL) continue;
      vacancy = sqlite3_column_int64(open, 0);
      filler = sqlite3_column_int64(open, 1);
      break;
    }
    sqlite3_reset(open);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return DB_ERROR;
    if (!vacancy) break;
    rc = exec_write(db, "UPDATE vacancy SET filled_by = ?2, filled_on = (SELECT start_date FROM assignment WHERE id = ?2)"
                        " WHERE id = ?1", vacancy, filler, NULL);
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
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO handover (adjustment_id, outgoing_assignment_id, incoming_assignment_id, starts_on, ends_on, checklist)"
      " VALUES (:adj, :out, :in, :starts, :ends, :checklist) RETURNING id");
  if (!st) return DB_ERROR;
  if (adjustment_id) sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":adj"), adjustment_id);
  else sqlite3_bind_null(st, sqlite3_bind_parameter_index(st, ":adj"));
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":out"), outgoing);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":in"), incoming);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":starts"), starts, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":ends"), ends, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":checklist"), checklist_json, -1, SQLITE_TRANSIENT);
  int rc = db_insert_returning(db, st, handover_id);
  if (rc == DB_OK) rc = exec_write(db, "UPDATE assignment SET replaces_id = ?2 WHERE id = ?1", incoming, outgoing, NULL);
  if (rc == DB_OK && adjustment_id)
    rc = exec_write(db, "UPDATE adjustment SET status = 'handover' WHERE id = ?1", adjustment_id, 0, NULL);
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
      "SELECT a.village_code, ar.name, group_concat(c.name, '、'), count(*) FROM assignment a"
      " JOIN region ar ON ar.code = a.village_code JOIN cadre c ON c.id = a.cadre_id"
      " WHERE a.post = 'first_secretary' AND " SEATED_ON_DAY
      " AND (:region = '' OR ar.path >= (SELECT path FROM region WHERE code = :region)"
      " AND ar.path < (SELECT path FROM region WHERE code = :region) || '~')");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, " GROUP BY a.village_code HAVING count(*) > 1 ORDER BY a.village_code");
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!st) return NULL;
  scope_bind(scope, st);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":day"), iso, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":region"), region_code ? region_code : "", -1, SQLITE_TRANSIENT);
  json_t *items = json_array();
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I}", "village_code", db_col_text(st, 0), "village_name",
                                           db_col_text(st, 1), "holders", db_col_text(st, 2), "count",
                                           (json_int_t)sqlite3_column_int64(st, 3)));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { json_decref(items); return NULL; }
  return json_pack("{s:s, s:s, s:o}", "day", iso, "clause", "1.7", "items", items);
}

static json_t *vacancy_row(sqlite3_stmt *st)
{
  enum post_end cause = POST_END_TERM;
  post_end_parse(db_col_text(st, 5), &cause);
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:s}",
      "id", (json_int_t)sqlite3_column_int64(st, 0), "village_code", db_col_text(st, 1), "village_name",
      db_col_text(st, 2), "township_name", db_col_text(st, 3), "post", db_col_text(st, 4), "post_name",
      cadres_post_name_zh(db_col_text(st, 4)), "cause", db_col_text(st, 5), "cause_name", post_end_name_zh(cause),
      "opened_on", db_col_text(st, 6), "deadline", db_col_text(st, 7), "status", db_col_text(st, 8), "filled_on",
      sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 9)),
      "days_overdue", (json_int_t)sqlite3_column_int64(st, 10), "previous_cadre", db_col_text(st, 11), "county_name",
      db_col_text(st, 12));
  json_object_set_new(row, "successor", sqlite3_column_type(st, 13) == SQLITE_NULL ? json_null()
                                                                                   : json_string(db_col_text(st, 13)));
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
  json_t *out = rc == 0 ? list_query(db,
      "v.id, v.village_code, ar.name, tw.name, v.post, v.cause, v.opened_on, v.deadline,"
      " CASE WHEN v.filled_on IS NOT NULL THEN 'filled' WHEN v.deadline < :today THEN 'overdue' ELSE 'open' END,"
      " v.filled_on, CASE WHEN v.filled_on IS NULL AND v.deadline < :today"
      "   THEN CAST(julianday(:today) - julianday(v.deadline) AS INTEGER) ELSE 0 END, pc.name, co.name,"
      " (SELECT sc.name || CASE s.status WHEN 'pending' THEN '（待审批）' WHEN 'approved' THEN '（已批准，待到岗）' ELSE '' END"
      "   FROM assignment s JOIN cadre sc ON sc.id = s.cadre_id WHERE s.village_code = v.village_code AND s.post = v.post"
      "   AND s.status IN ('pending','approved') ORDER BY s.id DESC LIMIT 1)",
      strbuf_cstr(&where), "v.filled_on IS NOT NULL, v.deadline, v.id", params, 3, scope, vacancy_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

static json_t *ending_row(sqlite3_stmt *st)
{
  json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
      "assignment_id", (json_int_t)sqlite3_column_int64(st, 0), "cadre_id", (json_int_t)sqlite3_column_int64(st, 1),
      "cadre_name", db_col_text(st, 2), "village_code", db_col_text(st, 3), "village_name", db_col_text(st, 4),
      "township_name", db_col_text(st, 5), "post", db_col_text(st, 6), "post_name",
      cadres_post_name_zh(db_col_text(st, 6)), "unit_name", db_col_text(st, 7), "term_end", db_col_text(st, 8),
      "days_left", (json_int_t)sqlite3_column_int64(st, 9), "county_name", db_col_text(st, 10));
  json_object_set_new(row, "unit_id", json_integer(sqlite3_column_int64(st, 11)));
  json_object_set_new(row, "successor", sqlite3_column_type(st, 12) == SQLITE_NULL ? json_null()
                                                                                   : json_string(db_col_text(st, 12)));
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
  json_t *out = rc == 0 ? list_query(db,
      "a.id, a.cadre_id, c.name, a.village_code, ar.name, tw.name, a.post, u.name, a.term_end,"
      " CAST(julianday(a.term_end) - julianday(:today) AS INTEGER), co.name, a.unit_id,"
      " (SELECT sc.name || CASE s.status WHEN 'pending' THEN '（待审批）' ELSE '（已批准，待到岗）' END"
      "   FROM assignment s JOIN cadre sc ON sc.id = s.cadre_id WHERE s.village_code = a.village_code AND s.post = a.post"
      "   AND s.status IN ('pending','approved') ORDER BY s.id DESC LIMIT 1)",
      strbuf_cstr(&where), "a.term_end, a.village_code, a.id", params, 3, scope, ending_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  if (out) json_object_set_new(out, "notice_days", json_integer(r->term_notice_days));
  return out;
}

int post_life_why_not_holding(struct db *db, int64_t cadre_id, char *out, size_t len)
{
  out[0] = '\0';
  sqlite3_stmt *st = db_stmt(db,
      "SELECT a.status, a.start_date, coalesce(a.ended_on, ''), coalesce(a.end_reason, ''), r.name FROM assignment a"
      " JOIN region r ON r.code = a.village_code WHERE a.cadre_id = ?1 AND a.status IN ('approved','ended')"
      " ORDER BY a.status = 'approved' DESC, a.ended_on DESC, a.id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *status = db_col_text(st, 0);
    enum post_end cause = POST_END_TERM;
    post_end_parse(db_col_text(st, 3), &cause);
    if (strcmp(status, "approved") == 0)
      snprintf(out, len, "您在%s的驻村任务自 %s 起生效，届时方可打卡", db_col_text(st, 4), db_col_text(st, 1));
    else
      snprintf(out, len, "您在%s的驻村任务已于 %s 因%s结束%s", db_col_text(st, 4), db_col_text(st, 2),
               post_end_name_zh(cause), cause == POST_END_RECALL ? "（1.8）" : cause == POST_END_TERM ? "（1.1）" : "（1.6）");
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}
