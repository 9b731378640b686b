/* assignments — the state machine of posts, in SQL transactions.
 *
 * The two approvals of 1.5 are two columns of the assignment row; the row's `version` goes
 * up on every change, so a decision made on a stale screen is refused, and a department that
 * has decided cannot decide again. The caller holds the write transaction (BEGIN IMMEDIATE):
 * checks and writes here see one consistent state. */
#include "store/assignments.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/post_life.h"
#include "store/cadres.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/post_life.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "store/users.h"
#include "util/strbuf.h"

/* ---- facts ---- */

/* How the cadre's employer stands to the unit that sends the cadre (*out); DB_ERROR when it could not be read. */
static int relation(struct db *db, int64_t employer, int64_t unit, const char *employer_level,
                    enum employer_relation *out)
{
  if (employer == unit) { *out = EMPLOYER_SAME_UNIT; return DB_OK; }
  if (strcmp(employer_level, "township") == 0) { *out = EMPLOYER_TOWNSHIP; return DB_OK; }
  struct query *q = query_open(db,
      "WITH RECURSIVE up(id) AS (SELECT parent_id FROM unit WHERE id = :employer"
      " UNION SELECT u.parent_id FROM unit u JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL)"
      " SELECT count(*) AS n FROM up WHERE id = :unit");
  query_bind_int(q, ":employer", employer);
  query_bind_int(q, ":unit", unit);
  bool below = query_next(q) && query_get_int(q, "n") > 0;
  *out = below ? EMPLOYER_SUBORDINATE_UNIT : EMPLOYER_OTHER_UNIT;
  return query_close(q);
}

static int read_sanctions(struct db *db, int64_t cadre_id, struct eligibility_input *in)
{
  struct query *q = query_open(db,
      "SELECT start_date AS start_date, coalesce(end_date, '') AS end_date FROM cadre_sanction WHERE cadre_id = :cadre"
      " ORDER BY start_date DESC");
  query_bind_int(q, ":cadre", cadre_id);
  in->sanction_count = 0;
  while (in->sanction_count < ELIGIBILITY_MAX_SANCTIONS && query_next(q)) {
    struct sanction_period *s = &in->sanctions[in->sanction_count++];
    const char *end = query_get_text(q, "end_date");
    s->end = 0;
    if (date_parse_iso(query_get_text(q, "start_date"), &s->start) != 0) s->start = 0;
    if (*end && date_parse_iso(end, &s->end) != 0) s->end = 0;
  }
  return query_close(q);
}

static int read_appraisals(struct db *db, int64_t cadre_id, int date, int window, struct cadre_facts *f)
{
  struct query *q = query_open(db,
      "SELECT year AS year, result AS result, (SELECT count(*) FROM appraisal_record x WHERE x.cadre_id = :cadre"
      " AND x.result = 'excellent' AND x.year >= :since) AS excellent, source AS source"
      " FROM appraisal_record WHERE cadre_id = :cadre ORDER BY year DESC LIMIT 1");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_int(q, ":since", date / 10000 - window);
  f->in.last_appraisal = NULL;
  f->in.last_appraisal_year = 0;
  f->in.excellent_appraisals_recent = 0;
  f->in.last_appraisal_by_evaluation = false;
  if (query_next(q)) {
    f->in.last_appraisal_year = (int)query_get_int(q, "year");
    snprintf(f->last_appraisal, sizeof f->last_appraisal, "%s", query_get_text(q, "result"));
    f->in.last_appraisal = f->last_appraisal;
    f->in.excellent_appraisals_recent = (int)query_get_int(q, "excellent");
    f->in.last_appraisal_by_evaluation = strcmp(query_get_text(q, "source"), "evaluation") == 0;
  }
  return query_close(q);
}

static void copy_text(struct query *q, const char *alias, char *dst, size_t size)
{
  snprintf(dst, size, "%s", query_get_text(q, alias));
}

/* DB_OK when a row was found, DB_NOT_FOUND when none, or the failure. */
static int close_found(struct query *q, bool found)
{
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int assignments_facts(struct db *db, int64_t cadre_id, int64_t unit_id, int date, int appraisal_window_years,
                      struct cadre_facts *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db,
      "SELECT c.name AS name, c.birth_date AS birth_date, c.employment_type AS employment_type,"
      " coalesce(c.rank, '') AS rank, c.party_member AS party_member, c.rural_experience AS rural_experience,"
      " c.agri_expertise AS agri_expertise, c.unit_id AS employer, eu.level AS employer_level, u.name AS unit_name,"
      " u.level AS unit_level, u.type AS unit_type"
      " FROM cadre c JOIN unit eu ON eu.id = c.unit_id, unit u WHERE c.id = :cadre AND u.id = :unit");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_int(q, ":unit", unit_id);
  bool found = query_next(q);
  struct eligibility_input *in = &out->in;
  int64_t employer = 0;
  char employer_level[16] = "";
  if (found) {
    in->date = date;
    copy_text(q, "name", out->cadre_name, sizeof out->cadre_name);
    if (date_parse_iso(query_get_text(q, "birth_date"), &in->birth_date) != 0) in->birth_date = 0;
    copy_text(q, "employment_type", out->employment_type, sizeof out->employment_type);
    copy_text(q, "rank", out->rank, sizeof out->rank);
    in->party_member = (int)query_get_int(q, "party_member");
    in->rural_experience = (int)query_get_int(q, "rural_experience");
    in->agri_expertise = (int)query_get_int(q, "agri_expertise");
    employer = query_get_int(q, "employer");
    copy_text(q, "employer_level", employer_level, sizeof employer_level);
    copy_text(q, "unit_name", out->unit_name, sizeof out->unit_name);
    copy_text(q, "unit_level", out->unit_level, sizeof out->unit_level);
    copy_text(q, "unit_type", out->unit_type, sizeof out->unit_type);
  }
  int rc = close_found(q, found);
  if (rc != DB_OK) return rc;
  in->employment_type = out->employment_type;
  in->rank = out->rank;
  in->unit_level = out->unit_level;
  in->unit_type = out->unit_type;
  if (relation(db, employer, unit_id, employer_level, &in->employer) != DB_OK) return DB_ERROR;
  if (read_sanctions(db, cadre_id, in) != DB_OK) return DB_ERROR;
  return read_appraisals(db, cadre_id, date, appraisal_window_years, out);
}

/* ---- events and state ---- */

static int add_event(struct db *db, int64_t id, const struct auth_user *by, int64_t now, const char *action,
                     const char *from, const char *to, const char *note)
{
  struct query *q = query_open(db,
      "INSERT INTO assignment_event (assignment_id, at, user_id, username, action, from_status, to_status, note)"
      " VALUES (:id, :now, :user, :username, :action, :from, :to, :note)");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  query_bind_int_or_null(q, ":user", by ? by->id : 0);
  query_bind_text(q, ":username", by ? by->username : "system");
  query_bind_text(q, ":action", action);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  query_bind_text(q, ":note", note);
  return query_exec(q);
}

static int set_status(struct db *db, int64_t id, const char *from, const char *to, const struct auth_user *by,
                      int64_t now, const char *action, const char *note)
{
  struct query *q = query_open(db,
      "UPDATE assignment SET status = :to, version = version + 1 WHERE id = :id AND status = :from");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  int rc = query_exec_guarded(q);
  if (rc != DB_OK) return rc;
  return add_event(db, id, by, now, action, from, to, note);
}

/* The adjustment back to open (its nomination refused or withdrawn) or done (nobody to hand over to). */
static int set_adjustment_status(struct db *db, int64_t adjustment_id, const char *status)
{
  struct query *q = query_open(db, "UPDATE adjustment SET status = :status WHERE id = :id");
  query_bind_int(q, ":id", adjustment_id);
  query_bind_text(q, ":status", status);
  return query_exec(q);
}

int assignments_insert(struct db *db, const struct nomination *n, const struct auth_user *by, int64_t now,
                       int64_t *id_out)
{
  const char *status = n->status ? n->status : "pending";
  struct query *q = query_open(db,
      "INSERT INTO assignment (cadre_id, village_code, unit_id, post, kind, batch_id, adjustment_id, status, verdict,"
      " reasons, justification, approval_region, start_date, term_end, created_by, created_at)"
      " VALUES (:cadre, :village, :unit, :post, :kind, :batch, :adjustment, :status, :verdict, :reasons,"
      " :justification, :approval_region, :start, :term_end, :created_by, :now) RETURNING id");
  query_bind_int(q, ":cadre", n->cadre_id);
  query_bind_text(q, ":village", n->village_code);
  query_bind_int(q, ":unit", n->unit_id);
  query_bind_text(q, ":post", n->post);
  query_bind_text(q, ":kind", n->kind);
  query_bind_int_or_null(q, ":batch", n->batch_id);
  query_bind_int_or_null(q, ":adjustment", n->adjustment_id);
  query_bind_text(q, ":status", status);
  query_bind_text(q, ":verdict", n->verdict);
  query_bind_text(q, ":reasons", n->reasons_json ? n->reasons_json : "[]");
  query_bind_text(q, ":justification", n->justification);
  query_bind_text(q, ":approval_region", n->approval_region);
  query_bind_text(q, ":start", n->start_date);
  query_bind_text(q, ":term_end", n->term_end);
  query_bind_int_or_null(q, ":created_by", by ? by->id : 0);
  query_bind_int(q, ":now", now);
  int result = query_insert_id(q, id_out);
  if (result != DB_OK) return result;
  result = add_event(db, *id_out, by, now, "nominate", NULL, status, n->justification);
  if (result == DB_OK && n->adjustment_id) {
    struct query *adj = query_open(db, "UPDATE adjustment SET status = 'nominated' WHERE id = :id AND status = 'open'");
    query_bind_int(adj, ":id", n->adjustment_id);
    result = query_exec_guarded(adj);
  }
  if (result == DB_OK && strcmp(status, "active") == 0) result = cadres_set_station(db, n->cadre_id, n->village_code, n->post);
  return result;
}

int assignments_approval_region(struct db *db, int64_t unit_id, char out[16])
{
  /* A city unit is approved by the city; a county unit by its county. The unit's region is at
   * its own level (units.c keeps them equal), so it is the approval region itself. */
  struct query *q = query_open(db, "SELECT region_code AS region_code, level AS level FROM unit WHERE id = :id");
  query_bind_int(q, ":id", unit_id);
  bool approves = false;
  if (query_next(q)) {
    const char *level = query_get_text(q, "level");
    if (strcmp(level, "city") == 0 || strcmp(level, "county") == 0 || strcmp(level, "province") == 0) {
      copy_text(q, "region_code", out, 16);
      approves = true;
    }
  }
  return close_found(q, approves);
}

/* ---- decisions ---- */

struct pending_row {
  char status[16], kind[16], verdict[24], approval_region[16], village[16], post[24], start[11];
  char org[16], rrb[16];
  int64_t version, cadre_id, adjustment_id;
};

static int read_pending(struct db *db, int64_t id, struct pending_row *p)
{
  struct query *q = query_open(db,
      "SELECT status AS status, kind AS kind, verdict AS verdict, approval_region AS approval_region,"
      " coalesce(org_decision, '') AS org, coalesce(rrb_decision, '') AS rrb, version AS version,"
      " cadre_id AS cadre_id, coalesce(adjustment_id, 0) AS adjustment_id, village_code AS village, post AS post,"
      " start_date AS start FROM assignment WHERE id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  if (found) {
    copy_text(q, "status", p->status, sizeof p->status);
    copy_text(q, "kind", p->kind, sizeof p->kind);
    copy_text(q, "verdict", p->verdict, sizeof p->verdict);
    copy_text(q, "approval_region", p->approval_region, sizeof p->approval_region);
    copy_text(q, "org", p->org, sizeof p->org);
    copy_text(q, "rrb", p->rrb, sizeof p->rrb);
    p->version = query_get_int(q, "version");
    p->cadre_id = query_get_int(q, "cadre_id");
    p->adjustment_id = query_get_int(q, "adjustment_id");
    copy_text(q, "village", p->village, sizeof p->village);
    copy_text(q, "post", p->post, sizeof p->post);
    copy_text(q, "start", p->start, sizeof p->start);
  }
  return close_found(q, found);
}

static int record_decision(struct db *db, int64_t id, const struct decision *d, const struct auth_user *by, int64_t now)
{
  const char *sql = strcmp(d->department, "org") == 0
      ? "UPDATE assignment SET org_decision = :decision, org_user = :user, org_at = :now, org_comment = :comment,"
        " version = version + 1 WHERE id = :id AND org_decision IS NULL"
      : "UPDATE assignment SET rrb_decision = :decision, rrb_user = :user, rrb_at = :now, rrb_comment = :comment,"
        " version = version + 1 WHERE id = :id AND rrb_decision IS NULL";
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":decision", d->approve ? "approved" : "rejected");
  query_bind_int(q, ":user", by->id);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":comment", d->comment);
  int rc = query_exec_guarded(q);
  if (rc != DB_OK) return rc;
  char note[300];
  snprintf(note, sizeof note, "%s%s%s%s", strcmp(d->department, "org") == 0 ? "组织部门" : "乡村振兴部门",
           d->approve ? "同意" : "不同意", d->comment ? "：" : "", d->comment ? d->comment : "");
  return add_event(db, id, by, now, d->approve ? "approve" : "reject", NULL, NULL, note);
}

/* The outgoing assignment of an adjustment (*out, 0 when there is no such adjustment). */
static int outgoing_of(struct db *db, int64_t adjustment_id, int64_t *out)
{
  struct query *q = query_open(db, "SELECT outgoing_assignment_id AS outgoing FROM adjustment WHERE id = :id");
  query_bind_int(q, ":id", adjustment_id);
  *out = query_next(q) ? query_get_int(q, "outgoing") : 0;
  return query_close(q);
}

/* The post an approved nomination takes over, with a handover (1.6): the adjustment's outgoing
 * post while it still holds the village, else — for a first secretary — whoever holds the seat on
 * the first day (a rotation replaces the incumbent exactly as an adjustment does). DB_CONFLICT
 * when the seat is promised to someone else. */
static int replaced_post(struct db *db, int64_t id, const struct pending_row *p, int first, int64_t *out)
{
  *out = 0;
  if (p->adjustment_id) {
    int64_t outgoing;
    int rc = outgoing_of(db, p->adjustment_id, &outgoing);
    if (rc != DB_OK) return rc;
    struct query *q = query_open(db,
        "SELECT 1 AS holds FROM assignment WHERE id = :id AND status IN ('active','handover')"
        " AND coalesce(ended_on, term_end) >= :first");
    char first_iso[DATE_ISO_SIZE];
    date_format_iso(first, first_iso);
    query_bind_int(q, ":id", outgoing);
    query_bind_text(q, ":first", first_iso);
    if (query_next(q)) *out = outgoing;
    rc = query_close(q);
    if (rc != DB_OK) return rc;
    if (*out || strcmp(p->post, "first_secretary") != 0) return DB_OK;
  }
  if (strcmp(p->post, "first_secretary") != 0) return DB_OK;
  return post_life_incumbent(db, p->village, first, id, out);
}

/* Both departments agreed (1.5): the post is approved from its start — today at the earliest —
 * taking over from the post it replaces with the 15-day handover; the day's state follows. */
static int take_effect(struct db *db, int64_t id, const struct pending_row *p, const struct decision *d,
                       const struct auth_user *by, int64_t now)
{
  int start = 0;
  date_parse_iso(p->start, &start);
  int first = start > d->today ? start : d->today;
  int64_t outgoing;
  int rc = replaced_post(db, id, p, first, &outgoing);
  if (rc != DB_OK) return rc;
  char first_iso[DATE_ISO_SIZE], note[200];
  date_format_iso(first, first_iso);
  snprintf(note, sizeof note, "两部门均已同意，自 %s 起到岗%s", first_iso, outgoing ? "，与前任交接 " : "");
  if (outgoing) {
    char days[16];
    snprintf(days, sizeof days, "%d 日（1.6）", d->rules->handover_days);
    strncat(note, days, sizeof note - strlen(note) - 1);
  }
  rc = set_status(db, id, "pending", "approved", by, now, "approve_all", note);
  if (rc == DB_OK) {
    struct query *q = query_open(db, "UPDATE assignment SET start_date = :first WHERE id = :id");
    query_bind_int(q, ":id", id);
    query_bind_text(q, ":first", first_iso);
    rc = query_exec(q);
  }
  int64_t handover;
  if (rc == DB_OK && outgoing)
    rc = post_life_start_handover(db, p->adjustment_id, outgoing, id, first, d->rules->handover_days, d->checklist_json,
                                  &handover);
  /* the successor of a post already ended (a recall): nobody to hand over, the adjustment is done */
  if (rc == DB_OK && !outgoing && p->adjustment_id) rc = set_adjustment_status(db, p->adjustment_id, "done");
  if (rc == DB_OK) rc = post_life_settle(db, d->rules, d->today, now, p->village, NULL);
  return rc;
}

int assignments_decide(struct db *db, int64_t id, const struct decision *d, const struct auth_user *by, int64_t now,
                       enum decision_result *result)
{
  struct pending_row p;
  int rc = read_pending(db, id, &p);
  if (rc != DB_OK) return rc;
  const char *mine = strcmp(d->department, "org") == 0 ? p.org : p.rrb;
  *result = DECISION_OK;
  if (*mine) { *result = DECISION_DUPLICATE; return DB_OK; }
  if (strcmp(p.status, "pending") != 0) { *result = DECISION_NOT_PENDING; return DB_OK; }
  if (d->version != p.version) { *result = DECISION_STALE; return DB_OK; }
  if (d->approve && strcmp(p.verdict, "needs_justification") == 0 && !d->exception_signed) {
    *result = DECISION_NEEDS_SIGNOFF;
    return DB_OK;
  }
  rc = record_decision(db, id, d, by, now);
  if (rc == DB_CONFLICT) { *result = DECISION_DUPLICATE; return DB_OK; }
  if (rc != DB_OK) return rc;
  if (!d->approve) {
    rc = set_status(db, id, "pending", "rejected", by, now, "rejected", d->comment);
    if (rc == DB_OK && p.adjustment_id) rc = set_adjustment_status(db, p.adjustment_id, "open");
    return rc;
  }
  const char *other = strcmp(d->department, "org") == 0 ? p.rrb : p.org;
  if (strcmp(other, "approved") != 0) return DB_OK;
  rc = take_effect(db, id, &p, d, by, now);
  if (rc == DB_CONFLICT) { *result = DECISION_SEAT_TAKEN; return DB_CONFLICT; }
  return rc;
}

int assignments_withdraw(struct db *db, int64_t id, const struct auth_user *by, int64_t now, const char *note)
{
  struct pending_row p;
  int rc = read_pending(db, id, &p);
  if (rc != DB_OK) return rc;
  rc = set_status(db, id, "pending", "withdrawn", by, now, "withdraw", note);
  if (rc == DB_OK && p.adjustment_id) rc = set_adjustment_status(db, p.adjustment_id, "open");
  return rc;
}

/* ---- reading ---- */

#define ASSIGNMENT_COLUMNS \
  "a.id AS id, a.cadre_id AS cadre_id, c.name AS cadre_name, a.village_code AS village_code, ar.name AS village_name," \
  " tw.name AS township_name, a.unit_id AS unit_id, u.name AS unit_name, a.post AS post, a.kind AS kind," \
  " a.status AS status, a.verdict AS verdict, coalesce(a.justification, '') AS justification," \
  " a.approval_region AS approval_region, coalesce(a.org_decision, '') AS org_decision," \
  " coalesce(a.rrb_decision, '') AS rrb_decision, a.start_date AS start_date, a.term_end AS term_end," \
  " coalesce(a.ended_on, '') AS ended_on, a.version AS version, coalesce(a.batch_id, 0) AS batch_id," \
  " coalesce(a.adjustment_id, 0) AS adjustment_id, a.reasons AS reasons, c.id_masked AS id_number," \
  " coalesce(a.org_comment, '') AS org_comment, coalesce(a.rrb_comment, '') AS rrb_comment," \
  " coalesce(a.end_reason, '') AS end_reason"
#define ASSIGNMENT_FROM \
  "assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region ar ON ar.code = a.village_code" \
  " LEFT JOIN region tw ON tw.code = ar.parent_code JOIN unit u ON u.id = a.unit_id"

static const char *status_name_zh(const char *s)
{
  static const char *const NAMES[][2] = {{"pending", "待审批"}, {"rejected", "未同意"}, {"withdrawn", "已撤回"},
                                         {"approved", "已批准，待到岗"}, {"active", "在岗"}, {"handover", "交接过渡期"},
                                         {"ended", "已离任"}};
  for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++) if (strcmp(NAMES[i][0], s) == 0) return NAMES[i][1];
  return s;
}

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

/* The column alias as text, null when empty. */
static json_t *text_col(struct query *q, const char *alias) { return text_or_null(query_get_text(q, alias)); }

/* An id column that holds 0 for none, as the id or null. */
static json_t *id_or_null(struct query *q, const char *alias)
{
  int64_t id = query_get_int(q, alias);
  return id ? json_integer(id) : json_null();
}

/* Every row of q turned by row_fn into a new array; NULL when a step or a read failed (reported). */
static json_t *map_rows(struct query *q, json_t *(*row_fn)(struct query *q))
{
  json_t *out = json_array();
  while (out && query_next(q)) json_array_append_new(out, row_fn(q));
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

static json_t *assignment_row(struct query *q)
{
  const char *post = query_get_text(q, "post"), *status = query_get_text(q, "status");
  json_t *reasons = json_loads(query_get_text(q, "reasons"), 0, NULL);
  json_t *row = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o,"
                   " s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:s}",
                   "id", (json_int_t)query_get_int(q, "id"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                   "cadre_name", query_get_text(q, "cadre_name"), "village_code", query_get_text(q, "village_code"),
                   "village_name", query_get_text(q, "village_name"), "township_name",
                   query_get_text(q, "township_name"), "unit_id", (json_int_t)query_get_int(q, "unit_id"),
                   "unit_name", query_get_text(q, "unit_name"), "post", post, "post_name", cadres_post_name_zh(post),
                   "kind", query_get_text(q, "kind"), "status", status, "status_name", status_name_zh(status),
                   "verdict", query_get_text(q, "verdict"), "justification", text_col(q, "justification"),
                   "approval_region", query_get_text(q, "approval_region"), "org_decision",
                   text_col(q, "org_decision"), "rrb_decision", text_col(q, "rrb_decision"), "start_date",
                   query_get_text(q, "start_date"), "term_end", query_get_text(q, "term_end"), "ended_on",
                   text_col(q, "ended_on"), "version", (json_int_t)query_get_int(q, "version"),
                   "batch_id", id_or_null(q, "batch_id"), "adjustment_id", id_or_null(q, "adjustment_id"),
                   "reasons", reasons ? reasons : json_array(), "id_number", query_get_text(q, "id_number"));
  json_object_set_new(row, "org_comment", text_col(q, "org_comment"));
  json_object_set_new(row, "rrb_comment", text_col(q, "rrb_comment"));
  const char *end_reason = query_get_text(q, "end_reason");
  enum post_end cause;
  bool ended = post_end_parse(end_reason, &cause) == 0;
  json_object_set_new(row, "end_reason", text_or_null(end_reason));
  json_object_set_new(row, "end_reason_name", ended ? json_string(post_end_name_zh(cause)) : json_null());
  return row;
}

static json_t *event_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)query_get_int(q, "id"), "time",
                   query_get_text(q, "time"), "username", query_get_text(q, "username"), "who",
                   query_get_text(q, "who"), "action", query_get_text(q, "action"), "from_status",
                   text_col(q, "from_status"), "to_status", text_col(q, "to_status"), "note", text_col(q, "note"));
}

static json_t *timeline(struct db *db, int64_t id)
{
  struct query *q = query_open(db,
      "SELECT id AS id, " SQL_CST_DATETIME("at") " AS time, username AS username, action AS action,"
      " coalesce(from_status, '') AS from_status, coalesce(to_status, '') AS to_status, coalesce(note, '') AS note,"
      /* who acted, by the name an official reads (the account's display name), the user name if it is gone */
      " coalesce((SELECT nullif(u.display_name, '') FROM \"user\" u WHERE u.username = assignment_event.username),"
      " assignment_event.username) AS who"
      " FROM assignment_event WHERE assignment_id = :id ORDER BY id");
  query_bind_int(q, ":id", id);
  return map_rows(q, event_row);
}

/* The latest handover the post takes part in (*out, 0 when none). */
static int handover_of(struct db *db, int64_t assignment_id, int64_t *out)
{
  struct query *q = query_open(db,
      "SELECT id AS id FROM handover WHERE incoming_assignment_id = :id OR outgoing_assignment_id = :id"
      " ORDER BY id DESC LIMIT 1");
  query_bind_int(q, ":id", assignment_id);
  *out = query_next(q) ? query_get_int(q, "id") : 0;
  return query_close(q);
}

/* An adjustment or recall of the post that is still being carried out (*out, 0 when none). */
static int open_adjustment_of(struct db *db, int64_t assignment_id, int64_t *out)
{
  struct query *q = query_open(db,
      "SELECT id AS id FROM adjustment WHERE outgoing_assignment_id = :id AND status IN ('open','nominated','handover')");
  query_bind_int(q, ":id", assignment_id);
  *out = query_next(q) ? query_get_int(q, "id") : 0;
  return query_close(q);
}

json_t *assignments_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  json_t *out = query_get_one(db, ASSIGNMENT_COLUMNS, ASSIGNMENT_FROM, "a.id", scope, SCOPE_ASSIGNMENT, assignment_row, id);
  if (!out) return NULL;
  json_t *events = timeline(db, id);
  int64_t h = 0, open_id = 0;
  if (!events || handover_of(db, id, &h) != DB_OK || open_adjustment_of(db, id, &open_id) != DB_OK) {
    json_decref(events);
    json_decref(out);
    return NULL;
  }
  json_object_set_new(out, "timeline", events);
  json_object_set_new(out, "handover_id", h ? json_integer(h) : json_null());
  int64_t adj = json_integer_value(json_object_get(out, "adjustment_id"));
  if (adj) json_object_set_new(out, "adjustment", assignments_adjustment_json(db, adj));
  json_object_set_new(out, "open_adjustment", open_id ? assignments_adjustment_json(db, open_id) : json_null());
  return out;
}

json_t *assignments_list_json(struct db *db, const struct scope *scope, const struct assignment_filter *f, int page,
                              int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, ASSIGNMENT_FROM " WHERE (:status = '' OR a.status = :status)"
                                  " AND (:village = '' OR a.village_code = :village) AND (:batch = 0 OR a.batch_id = :batch)");
  if (f->inbox_department)
    rc |= strbuf_appendf(&where, " AND a.status = 'pending' AND a.%s_decision IS NULL"
                                 " AND a.approval_region = :inbox_region",
                         strcmp(f->inbox_department, "org") == 0 ? "org" : "rrb");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {
    {":status", f->status ? f->status : "", 0}, {":village", f->village_code ? f->village_code : "", 0},
    {":batch", NULL, f->batch_id}, {":inbox_region", f->inbox_region ? f->inbox_region : "", 0}};
  json_t *out = rc == 0 ? query_list(db, ASSIGNMENT_COLUMNS, strbuf_cstr(&where), "a.id DESC", params, 4, scope,
                                     assignment_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* ---- adjustments and recalls ---- */

int assignments_open_adjustment(struct db *db, int64_t assignment_id, const char *reason, const char *explanation,
                                bool recall, const char *accountability, int recall_from, const struct auth_user *by,
                                int64_t now, int64_t *id_out)
{
  char from_iso[DATE_ISO_SIZE] = "";
  if (recall_from) date_format_iso(recall_from, from_iso);
  struct query *q = query_open(db,
      "INSERT INTO adjustment (outgoing_assignment_id, reason, explanation, recall, accountability, requested_by, created_at,"
      " effective_on) SELECT :assignment, :reason, :explanation, :recall, :accountability, :by, :now, nullif(:from, '')"
      " FROM assignment WHERE id = :assignment AND status = 'active' RETURNING id");
  query_bind_int(q, ":assignment", assignment_id);
  query_bind_text(q, ":reason", reason);
  query_bind_text(q, ":explanation", explanation);
  query_bind_int(q, ":recall", recall);
  query_bind_text(q, ":accountability", accountability);
  query_bind_int(q, ":by", by->id);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":from", from_iso);
  int64_t made = 0; /* none when the post is not active */
  int result = query_insert_id(q, &made);
  if (result != DB_OK) return result;
  if (!made) return DB_NOT_FOUND;
  *id_out = made;
  char note[640];
  snprintf(note, sizeof note, "%s：%s%s%s%s%s%s", recall ? "召回" : "申请调整", reason, explanation ? "，" : "",
           explanation ? explanation : "", recall ? "，自 " : "", from_iso, recall ? " 起生效（1.8）" : "");
  return add_event(db, assignment_id, by, now, recall ? "recall" : "adjustment", NULL, NULL, note);
}

json_t *assignments_adjustment_json(struct db *db, int64_t adjustment_id)
{
  struct query *q = query_open(db,
      "SELECT id AS id, outgoing_assignment_id AS outgoing_assignment_id, reason AS reason,"
      " coalesce(explanation, '') AS explanation, recall AS recall, coalesce(accountability, '') AS accountability,"
      " status AS status, " SQL_CST_DATETIME("created_at") " AS created, coalesce(effective_on, '') AS effective_on"
      " FROM adjustment WHERE id = :id");
  query_bind_int(q, ":id", adjustment_id);
  json_t *out = NULL;
  if (query_next(q))
    out = json_pack("{s:I, s:I, s:s, s:o, s:b, s:o, s:s, s:s}", "id", (json_int_t)query_get_int(q, "id"),
                    "outgoing_assignment_id", (json_int_t)query_get_int(q, "outgoing_assignment_id"), "reason",
                    query_get_text(q, "reason"), "explanation", text_col(q, "explanation"), "recall",
                    (int)query_get_int(q, "recall"), "accountability", text_col(q, "accountability"), "status",
                    query_get_text(q, "status"), "created", query_get_text(q, "created"));
  if (out) json_object_set_new(out, "effective_on", text_col(q, "effective_on"));
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

/* ---- handover ---- */

json_t *assignments_handover_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct query *q = query_open(db,
      "SELECT id AS id, adjustment_id AS adjustment_id, outgoing_assignment_id AS outgoing,"
      " incoming_assignment_id AS incoming, starts_on AS starts_on, ends_on AS ends_on, checklist AS checklist,"
      " coalesce(completed_on, '') AS completed_on, coalesce(confirmed_on, '') AS confirmed_on,"
      " coalesce((SELECT username FROM \"user\" WHERE id = confirmed_by), '') AS confirmed_by FROM handover WHERE id = :id");
  query_bind_int(q, ":id", id);
  json_t *out = NULL;
  int64_t incoming = 0, outgoing = 0;
  if (query_next(q)) {
    json_t *list = json_loads(query_get_text(q, "checklist"), 0, NULL);
    outgoing = query_get_int(q, "outgoing");
    incoming = query_get_int(q, "incoming");
    out = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)query_get_int(q, "id"),
                    "adjustment_id", (json_int_t)query_get_int(q, "adjustment_id"), "outgoing_assignment_id",
                    (json_int_t)outgoing, "incoming_assignment_id", (json_int_t)incoming, "starts_on",
                    query_get_text(q, "starts_on"), "ends_on", query_get_text(q, "ends_on"), "checklist",
                    list ? list : json_array(), "completed_on", text_col(q, "completed_on"));
    json_object_set_new(out, "confirmed_on", text_col(q, "confirmed_on"));
    json_object_set_new(out, "confirmed_by", text_col(q, "confirmed_by"));
  }
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  if (!out) return NULL;
  /* in scope if either assignment is */
  json_t *in = assignments_get_json(db, scope, incoming);
  json_t *old = in ? NULL : assignments_get_json(db, scope, outgoing);
  if (!in && !old) { json_decref(out); return NULL; }
  json_decref(in);
  json_decref(old);
  json_object_set_new(out, "incoming", assignments_get_json(db, scope, incoming));
  json_object_set_new(out, "outgoing", assignments_get_json(db, scope, outgoing));
  return out;
}

/* json(CAST(:done AS TEXT)): PostgreSQL cannot type a bare parameter in json(…) (its cast syntax); the CAST
 * means the same on SQLite */
int assignments_handover_tick(struct db *db, int64_t id, int item, bool done, const struct auth_user *by, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE handover SET checklist = json_set(checklist, '$[' || :item || '].done', json(CAST(:done AS TEXT)),"
      " '$[' || :item || '].by', :by, '$[' || :item || '].at', " SQL_CST_DATETIME(":now") ")"
      " WHERE id = :id AND confirmed_on IS NULL AND :item < json_array_length(checklist)");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":item", item);
  query_bind_text(q, ":done", done ? "true" : "false");
  query_bind_text(q, ":by", by->username);
  query_bind_int(q, ":now", now);
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_NOT_FOUND;
}

int assignments_handover_confirm(struct db *db, int64_t id, int today, const struct auth_user *by, int64_t now,
                                 enum handover_result *result)
{
  struct query *q = query_open(db,
      "SELECT confirmed_on IS NOT NULL AS confirmed, (SELECT count(*) FROM json_each(checklist)"
      " WHERE coalesce(CAST(json_extract(value, '$.done') AS TEXT), '') NOT IN ('1', 'true')) AS open_items,"
      " incoming_assignment_id AS incoming"
      " FROM handover WHERE id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  bool done = found && query_get_int(q, "confirmed"), open_items = found && query_get_int(q, "open_items") > 0;
  int64_t incoming = found ? query_get_int(q, "incoming") : 0;
  int rc = close_found(q, found);
  if (rc != DB_OK) return rc;
  *result = done ? HANDOVER_ALREADY_DONE : open_items ? HANDOVER_CHECKLIST_OPEN : HANDOVER_OK;
  if (*result != HANDOVER_OK) return DB_OK;
  char today_iso[DATE_ISO_SIZE];
  date_format_iso(today, today_iso);
  struct query *u = query_open(db,
      "UPDATE handover SET confirmed_on = :today, confirmed_by = :by WHERE id = :id AND confirmed_on IS NULL");
  query_bind_int(u, ":id", id);
  query_bind_text(u, ":today", today_iso);
  query_bind_int(u, ":by", by->id);
  rc = query_exec_guarded(u);
  if (rc == DB_OK) rc = add_event(db, incoming, by, now, "handover_confirmed", NULL, NULL, "交接清单已逐项确认（1.6）");
  return rc;
}

/* ---- batches ---- */

int assignments_batch_create(struct db *db, const char *name, const char *region_code, const char *opens_on,
                             const char *closes_on, const char *term_start, const struct auth_user *by, int64_t now,
                             int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO rotation_batch (name, region_code, opens_on, closes_on, term_start, created_by, created_at)"
      " VALUES (:name, :region, :opens, :closes, :term_start, :by, :now) RETURNING id");
  query_bind_text(q, ":name", name);
  query_bind_text(q, ":region", region_code);
  query_bind_text(q, ":opens", opens_on);
  query_bind_text(q, ":closes", closes_on);
  query_bind_text(q, ":term_start", term_start);
  query_bind_int_or_null(q, ":by", by ? by->id : 0);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

static json_t *batch_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)query_get_int(q, "id"),
                   "name", query_get_text(q, "name"), "region_code", query_get_text(q, "region_code"), "region_name",
                   query_get_text(q, "region_name"), "opens_on", query_get_text(q, "opens_on"), "closes_on",
                   query_get_text(q, "closes_on"), "term_start", query_get_text(q, "term_start"), "nominations",
                   (json_int_t)query_get_int(q, "nominations"), "active", (json_int_t)query_get_int(q, "active"),
                   "pending", (json_int_t)query_get_int(q, "pending"));
}

json_t *assignments_batches_json(struct db *db, const struct scope *scope)
{
  /* Region officials see the batches of their region and of the levels above it (a county sees
   * the city's batch); units and others see all (they nominate into them). */
  struct query *q = query_open(db,
      "SELECT b.id AS id, b.name AS name, b.region_code AS region_code, r.name AS region_name, b.opens_on AS opens_on,"
      " b.closes_on AS closes_on, b.term_start AS term_start,"
      " (SELECT count(*) FROM assignment a WHERE a.batch_id = b.id) AS nominations,"
      " (SELECT count(*) FROM assignment a WHERE a.batch_id = b.id AND a.status = 'active') AS active,"
      " (SELECT count(*) FROM assignment a WHERE a.batch_id = b.id AND a.status = 'pending') AS pending"
      " FROM rotation_batch b JOIN region r ON r.code = b.region_code"
      " WHERE :lo = '' OR (r.path >= :lo AND r.path < :hi) OR :lo LIKE r.path || '%' ORDER BY b.id DESC");
  bool region = scope->kind == SCOPE_KIND_REGION;
  query_bind_text(q, ":lo", region ? scope->path_lo : "");
  query_bind_text(q, ":hi", region ? scope->path_hi : "");
  json_t *items = map_rows(q, batch_row);
  return items ? json_pack("{s:o}", "items", items) : NULL;
}

int assignments_batch_window(struct db *db, int64_t batch_id, char opens[11], char closes[11], char term_start[11],
                             char region_path[96])
{
  struct query *q = query_open(db,
      "SELECT b.opens_on AS opens_on, b.closes_on AS closes_on, b.term_start AS term_start, r.path AS path"
      " FROM rotation_batch b JOIN region r ON r.code = b.region_code WHERE b.id = :id");
  query_bind_int(q, ":id", batch_id);
  bool found = query_next(q);
  if (found) {
    copy_text(q, "opens_on", opens, 11);
    copy_text(q, "closes_on", closes, 11);
    copy_text(q, "term_start", term_start, 11);
    copy_text(q, "path", region_path, 96);
  }
  return close_found(q, found);
}

/* ---- views ---- */

/* The statement select + the scope's bounds (SCOPE_REGION) + tail, with :region and the scope bound. */
static struct query *region_query(struct db *db, const struct scope *scope, const char *region_code, const char *select,
                                  const char *tail)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "%s", select);
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  rc |= strbuf_appendf(&sql, "%s", tail);
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_text(q, ":region", region_code ? region_code : "");
  return q;
}

static json_t *coverage_row(struct query *q)
{
  return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "county_code", query_get_text(q, "county_code"),
                   "county_name", query_get_text(q, "county_name"), "key_villages",
                   (json_int_t)query_get_int(q, "key_villages"), "with_first_secretary",
                   (json_int_t)query_get_int(q, "with_first_secretary"), "without_first_secretary",
                   (json_int_t)query_get_int(q, "without_first_secretary"), "without_team",
                   (json_int_t)query_get_int(q, "without_team"), "only_in_handover",
                   (json_int_t)query_get_int(q, "only_in_handover"));
}

/* Per key village: does it have an active first secretary, any active post, only posts in handover. */
#define VILLAGE_STAFFING \
  "(SELECT v.code, v.path," \
  "  EXISTS (SELECT 1 FROM assignment a WHERE a.village_code = v.code AND a.status IN ('active','handover')" \
  "          AND a.post = 'first_secretary') AS fs," \
  "  EXISTS (SELECT 1 FROM assignment a WHERE a.village_code = v.code AND a.status IN ('active','handover')) AS team," \
  "  EXISTS (SELECT 1 FROM assignment a WHERE a.village_code = v.code AND a.status = 'handover')" \
  "   AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.village_code = v.code AND a.status = 'active') AS ho" \
  "  FROM region v WHERE v.level = 'village' AND v.key_village = 1)"

/* The key villages in scope (the scope bounds the village r, not its county: a township official
 * sees the villages of the township), under ?region= — one base for the county figures and for
 * the list of villages without a first secretary, so the cards and the list cannot disagree. */
#define COVERAGE_BASE \
  " FROM " VILLAGE_STAFFING " s JOIN region v ON v.code = s.code JOIN region tw ON tw.code = v.parent_code" \
  " JOIN region county ON county.code = tw.parent_code JOIN region r ON r.code = s.code" \
  " WHERE (:region = '' OR s.path >= (SELECT path FROM region WHERE code = :region)" \
  " AND s.path < (SELECT path FROM region WHERE code = :region) || '~')"

static json_t *missing_row(struct query *q)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "village_code", query_get_text(q, "village_code"),
                   "village_name", query_get_text(q, "village_name"), "township_name",
                   query_get_text(q, "township_name"), "county_name", query_get_text(q, "county_name"), "has_team",
                   (int)query_get_int(q, "has_team"), "only_in_handover", (int)query_get_int(q, "only_in_handover"));
}

json_t *assignments_coverage_json(struct db *db, const struct scope *scope, const char *region_code)
{
  json_t *counties = map_rows(region_query(db, scope, region_code,
      "SELECT county.code AS county_code, county.name AS county_name, count(s.code) AS key_villages,"
      " sum(s.fs) AS with_first_secretary, sum(NOT s.fs) AS without_first_secretary, sum(NOT s.team) AS without_team,"
      " sum(s.ho) AS only_in_handover" COVERAGE_BASE,
      " GROUP BY county.code ORDER BY county.code"), coverage_row);
  if (!counties) return NULL;
  /* and the villages that lack a first secretary, for follow-up */
  json_t *missing = map_rows(region_query(db, scope, region_code,
      "SELECT s.code AS village_code, v.name AS village_name, tw.name AS township_name, county.name AS county_name,"
      " s.team AS has_team, s.ho AS only_in_handover" COVERAGE_BASE " AND NOT s.fs",
      " ORDER BY s.code LIMIT 2000"), missing_row);
  return json_pack("{s:s, s:o, s:o}", "clause", "1.7", "items", counties, "villages_without_first_secretary", missing);
}

static json_t *stability_row(struct query *q)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "county_code", query_get_text(q, "county_code"), "county_name",
                   query_get_text(q, "county_name"), "unit_name", query_get_text(q, "unit_name"), "reason",
                   query_get_text(q, "reason"), "recall", query_get_int(q, "recall") ? "召回" : "调整", "count",
                   (json_int_t)query_get_int(q, "n"));
}

json_t *assignments_stability_json(struct db *db, const struct scope *scope, const char *region_code)
{
  json_t *items = map_rows(region_query(db, scope, region_code,
      "SELECT county.code AS county_code, county.name AS county_name, u.name AS unit_name, j.reason AS reason,"
      " j.recall AS recall, count(*) AS n"
      " FROM adjustment j JOIN assignment a ON a.id = j.outgoing_assignment_id JOIN unit u ON u.id = a.unit_id"
      " JOIN region r ON r.code = a.village_code JOIN region tw ON tw.code = r.parent_code"
      " JOIN region county ON county.code = tw.parent_code"
      " WHERE j.status != 'cancelled' AND (:region = '' OR r.path >= (SELECT path FROM region WHERE code = :region)"
      " AND r.path < (SELECT path FROM region WHERE code = :region) || '~')",
      " GROUP BY county.code, u.id, j.reason, j.recall ORDER BY county.code, count(*) DESC"), stability_row);
  return json_pack("{s:s, s:o}", "clause", "1.1", "items", items);
}
