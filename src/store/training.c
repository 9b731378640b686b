/* training — plans, events, participants and coverage (see training.h). The coverage is one
 * statement built from the policy's training types: a column per type with the day the cadre
 * first completed it in the year, so a type added to the policy is a new column, not new code. */
#include "store/training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/training_status.h"
#include "store/dialect.h"
#include "store/evidence.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define MAX_TYPES 16

int training_region(struct db *db, const char *code, char path[96], char level[16])
{
  struct query *q = query_open(db, "SELECT path AS path, level AS level FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  if (found) {
    snprintf(path, 96, "%s", query_get_text(q, "path"));
    snprintf(level, 16, "%s", query_get_text(q, "level"));
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* ---- plans (4.2a) ---- */

static int plan_evidence(struct db *db, const char *county, const char *filed_on, int64_t id, int64_t now)
{
  struct evidence e = {"county_training_plan", PARTY_COUNTY, county, filed_on, 0, false, "training_plan", id};
  return evidence_add(db, &e, now);
}

int training_plan_insert(struct db *db, const struct plan_new *n, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO training_plan (county_code, year, title, content, doc_no, filed_on, recorded_by, created_at)"
      " VALUES (:county, :year, :title, :content, :doc_no, :filed_on, :recorded_by, :now) RETURNING id");
  query_bind_text(q, ":county", n->county_code);
  query_bind_int(q, ":year", n->year);
  query_bind_text(q, ":title", n->title);
  query_bind_text(q, ":content", n->content && *n->content ? n->content : NULL);
  query_bind_text(q, ":doc_no", n->doc_no && *n->doc_no ? n->doc_no : NULL);
  query_bind_text(q, ":filed_on", n->filed_on);
  query_bind_int_or_null(q, ":recorded_by", n->recorded_by);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  if (rc != DB_OK || !n->filed_on) return rc;
  return plan_evidence(db, n->county_code, n->filed_on, *id_out, now); /* 4.2a */
}

int training_plan_file(struct db *db, int64_t id, const char *doc_no, const char *filed_on, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE training_plan SET doc_no = :doc_no, filed_on = :filed_on WHERE id = :id AND filed_on IS NULL"
      " RETURNING county_code AS county_code");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":doc_no", doc_no);
  query_bind_text(q, ":filed_on", filed_on);
  char county[16] = "";
  if (query_next(q)) {
    snprintf(county, sizeof county, "%s", query_get_text(q, "county_code"));
    query_next(q); /* finish the statement so that it commits */
  }
  int result = query_close(q);
  if (result != DB_OK) return result;
  if (!*county) return DB_CONFLICT;
  return plan_evidence(db, county, filed_on, id, now);
}

#define PLAN_COLUMNS \
  "p.id AS id, p.county_code AS county_code, r.name AS county_name, p.year AS year, p.title AS title," \
  " p.content AS content, p.doc_no AS doc_no, p.filed_on AS filed_on," \
  " CASE WHEN p.filed_on IS NULL THEN 'draft' ELSE 'filed' END AS status," \
  " coalesce(ru.display_name, '') AS recorded_by_name, " SQL_CST_ISO("p.created_at") " AS created_at"
#define PLAN_FROM "training_plan p JOIN region r ON r.code = p.county_code LEFT JOIN \"user\" ru ON ru.id = p.recorded_by"

json_t *training_plan_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, PLAN_COLUMNS, PLAN_FROM, "p.id", scope, SCOPE_REGION, query_row_object, id);
}

json_t *training_plans_list_json(struct db *db, const struct scope *scope, int year, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", PLAN_FROM);
  if (year) rc |= strbuf_appendf(&where, " AND p.year = :year");
  rc |= scope_sql(scope, SCOPE_REGION, &where);
  struct sql_param p[] = {{":year", NULL, year}};
  json_t *out = rc ? NULL : query_list(db, PLAN_COLUMNS, strbuf_cstr(&where), "p.year DESC, p.county_code", p, 1,
                                       scope, query_row_object, page, page_size);
  strbuf_free(&where);
  return out;
}

/* ---- events ---- */

int training_cadre_eligible(struct db *db, const struct scope *scope, int64_t cadre_id, const char *start,
                            const char *end, const char *under_path, char post[24])
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql,
      "SELECT a.post AS post FROM assignment a JOIN region ar ON ar.code = a.village_code WHERE a.cadre_id = :c"
      " AND a.status IN ('active','handover','ended') AND a.start_date <= :end AND (a.ended_on IS NULL OR a.ended_on >= :start)"
      " AND substr(ar.path, 1, length(:under)) = :under");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, " ORDER BY a.start_date DESC LIMIT 1");
  struct query *q = rc ? NULL : query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  struct sql_param p[] = {{":c", NULL, cadre_id}, {":start", start, 0}, {":end", end, 0}, {":under", under_path, 0}};
  query_bind_params(q, p, 4);
  query_bind_scope(q, scope);
  bool found = query_next(q);
  if (found) snprintf(post, 24, "%s", query_get_text(q, "post"));
  rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int training_unit_under(struct db *db, int64_t unit_id, const char *under_path, char level[16])
{
  struct query *q = query_open(db,
      "SELECT u.level AS level FROM unit u JOIN region ur ON ur.code = u.region_code WHERE u.id = :unit"
      " AND substr(ur.path, 1, length(:under)) = :under");
  query_bind_int(q, ":unit", unit_id);
  query_bind_text(q, ":under", under_path);
  bool found = query_next(q);
  if (found) snprintf(level, 16, "%s", query_get_text(q, "level"));
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The party that owes 4.5 for an organizer: the city for the city's units, else the county. */
static int organizer_party(struct db *db, const char *organizer, const char **party_type)
{
  struct query *q = query_open(db, "SELECT level AS level FROM region WHERE code = :code");
  query_bind_text(q, ":code", organizer);
  *party_type = query_next(q) && strcmp(query_get_text(q, "level"), "city") == 0 ? PARTY_CITY : PARTY_COUNTY;
  return query_close(q);
}

static int insert_participant(struct db *db, int64_t event_id, const struct participant *p)
{
  struct query *q = query_open(db,
      "INSERT INTO training_participant (event_id, role, cadre_id, name, unit_id, attended)"
      " SELECT :event, :role, :cadre, coalesce((SELECT name FROM cadre WHERE id = :cadre), :name),"
      " coalesce(:unit, (SELECT unit_id FROM cadre WHERE id = :cadre)), :attended");
  query_bind_int(q, ":event", event_id);
  query_bind_text(q, ":role", p->role);
  query_bind_int_or_null(q, ":cadre", p->cadre_id);
  query_bind_text(q, ":name", p->name ? p->name : "");
  query_bind_int_or_null(q, ":unit", p->unit_id);
  query_bind_int(q, ":attended", p->attended ? 1 : 0);
  return query_exec(q);
}

/* The evidence of an event: each attending cadre's (4.1a, 4.1b, 4.2a, 4.2b), or the organizing
 * level's — the county's, or the city's — once one of its units' deputy leader or HR head attended (4.5). */
static int event_evidence(struct db *db, int64_t id, const struct event_new *n, const char *organizer,
                          const char *end_date, int64_t now)
{
  if (!n->evidence) return DB_OK;
  bool county_done = false;
  for (size_t i = 0; i < n->nparticipants; i++) {
    const struct participant *p = &n->participants[i];
    if (!p->attended) continue;
    if (n->county_evidence) { county_done = true; continue; }
    if (!p->cadre_id) continue;
    char cadre[24];
    snprintf(cadre, sizeof cadre, "%lld", (long long)p->cadre_id);
    struct evidence e = {n->evidence, PARTY_CADRE, cadre, end_date, 0, false, "training_event", id};
    if (evidence_add(db, &e, now) != DB_OK) return DB_ERROR;
  }
  if (!county_done) return DB_OK;
  const char *party = PARTY_COUNTY;
  if (organizer_party(db, organizer, &party) != DB_OK) return DB_ERROR;
  struct evidence e = {n->evidence, party, organizer, end_date, 0, false, "training_event", id};
  return evidence_add(db, &e, now);
}

int training_event_insert(struct db *db, const struct event_new *n, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO training_event (type, title, organizer_code, start_date, end_date, hours, place, topics, doc_no,"
      " recorded_by, created_at) VALUES (:type, :title, :organizer, :start, :end, :hours, :place, :topics, :doc_no,"
      " :recorded_by, :now) RETURNING id");
  query_bind_text(q, ":type", n->type);
  query_bind_text(q, ":title", n->title);
  query_bind_text(q, ":organizer", n->organizer_code);
  query_bind_text(q, ":start", n->start_date);
  query_bind_text(q, ":end", n->end_date);
  query_bind_double(q, ":hours", n->hours);
  query_bind_text(q, ":place", n->place);
  query_bind_text(q, ":topics", n->topics_json ? n->topics_json : "[]");
  query_bind_text(q, ":doc_no", n->doc_no && *n->doc_no ? n->doc_no : NULL);
  query_bind_int_or_null(q, ":recorded_by", n->recorded_by);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id_out);
  for (size_t i = 0; rc == DB_OK && i < n->nparticipants; i++) rc = insert_participant(db, *id_out, &n->participants[i]);
  return rc == DB_OK ? event_evidence(db, *id_out, n, n->organizer_code, n->end_date, now) : rc;
}

int training_event_set_participants(struct db *db, int64_t id, int64_t version, const struct event_new *n,
                                    int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE training_event SET version = version + 1 WHERE id = :id AND version = :version AND withdrawn_at IS NULL"
      " RETURNING organizer_code AS organizer_code, end_date AS end_date");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", version);
  char organizer[16] = "", end_date[11] = "";
  if (query_next(q)) {
    snprintf(organizer, sizeof organizer, "%s", query_get_text(q, "organizer_code"));
    snprintf(end_date, sizeof end_date, "%s", query_get_text(q, "end_date"));
    query_next(q); /* finish the statement so that it commits */
  }
  int result = query_close(q);
  if (result != DB_OK) return result;
  if (!*organizer) return DB_CONFLICT;
  struct query *del = query_open(db, "DELETE FROM training_participant WHERE event_id = :id");
  query_bind_int(del, ":id", id);
  result = query_exec(del);
  if (result == DB_OK) result = evidence_revoke(db, "training_event", id, now);
  for (size_t i = 0; result == DB_OK && i < n->nparticipants; i++)
    result = insert_participant(db, id, &n->participants[i]);
  return result == DB_OK ? event_evidence(db, id, n, organizer, end_date, now) : result;
}

int training_event_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE training_event SET withdrawn_at = :now, withdrawn_by = :user, withdraw_reason = :reason,"
      " version = version + 1 WHERE id = :id AND withdrawn_at IS NULL");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":reason", reason);
  int rc = query_exec_guarded(q);
  return rc == DB_OK ? evidence_revoke(db, "training_event", id, now) : rc;
}

#define EVENT_COLUMNS \
  "e.id AS id, e.type AS type, e.title AS title, e.organizer_code AS organizer_code, r.name AS organizer_name," \
  " r.level AS organizer_level, e.start_date AS start_date, e.end_date AS end_date, e.hours AS hours, e.place AS place," \
  " e.topics AS topics_json, e.doc_no AS doc_no, e.version AS version," \
  " (SELECT count(*) FROM training_participant tp WHERE tp.event_id = e.id) AS participants_count," \
  " (SELECT count(*) FROM training_participant tp WHERE tp.event_id = e.id AND tp.attended = 1) AS attended_count," \
  " coalesce(ru.display_name, '') AS recorded_by_name, " SQL_CST_ISO("e.created_at") " AS created_at," \
  " CASE WHEN e.withdrawn_at IS NULL THEN 'valid' ELSE 'withdrawn' END AS status, e.withdraw_reason AS withdraw_reason"
#define EVENT_FROM "training_event e JOIN region r ON r.code = e.organizer_code LEFT JOIN \"user\" ru ON ru.id = e.recorded_by"

/* Events in scope: organized in the user's region or above it, or with a participant in scope. */
static int event_scope_sql(const struct scope *scope, struct strbuf *sql)
{
  int rc = strbuf_appendf(sql, " AND ((1 = 1");
  rc |= scope_sql(scope, SCOPE_REGION, sql);
  if (scope->kind == SCOPE_KIND_REGION)
    rc |= strbuf_appendf(sql, ") OR (substr(:scope_lo, 1, length(r.path)) = r.path");
  else if (scope->kind == SCOPE_KIND_UNIT)
    rc |= strbuf_appendf(sql, ") OR (substr(:scope_unit_lo, 1, length(r.path)) = r.path)"
                              " OR (EXISTS (SELECT 1 FROM training_participant tq WHERE tq.event_id = e.id"
                              " AND tq.unit_id = :scope_unit)");
  rc |= strbuf_appendf(sql, ") OR EXISTS (SELECT 1 FROM training_participant tp JOIN cadre c ON c.id = tp.cadre_id"
                            " LEFT JOIN region cr ON cr.code = c.village_code WHERE tp.event_id = e.id");
  rc |= scope_sql(scope, SCOPE_CADRE, sql);
  return rc | strbuf_appendf(sql, "))");
}

static void attended_flag(json_t *row)
{
  json_object_set_new(row, "attended", json_boolean(json_integer_value(json_object_get(row, "attended"))));
}

static json_t *participants_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql,
      "SELECT tp.id AS id, tp.role AS role, tp.cadre_id AS cadre_id, tp.name AS name, tp.unit_id AS unit_id,"
      " coalesce(u.name, '') AS unit_name, tp.attended = 1 AS attended, coalesce(cr.name, '') AS village_name,"
      " coalesce(c.post, '') AS post"
      " FROM training_participant tp LEFT JOIN cadre c ON c.id = tp.cadre_id LEFT JOIN region cr ON cr.code = c.village_code"
      " LEFT JOIN unit u ON u.id = tp.unit_id WHERE tp.event_id = :id AND (tp.cadre_id IS NULL OR (1 = 1");
  rc |= scope_sql(scope, SCOPE_CADRE, &sql);
  rc |= strbuf_appendf(&sql, ")) ORDER BY tp.id");
  struct query *q = rc ? NULL : query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_int(q, ":id", id);
  return query_rows_json(q, attended_flag);
}

json_t *training_event_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT %s FROM %s WHERE e.id = :id", EVENT_COLUMNS, EVENT_FROM);
  rc |= event_scope_sql(scope, &sql);
  struct query *q = rc ? NULL : query_open(db, strbuf_cstr(&sql));
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_int(q, ":id", id);
  json_t *out = query_one_json(q, NULL);
  if (!out) return NULL;
  json_t *parts = participants_json(db, scope, id);
  if (!parts) { json_decref(out); return NULL; }
  json_object_set_new(out, "participants", parts);
  return out;
}

json_t *training_events_list_json(struct db *db, const struct scope *scope, const struct event_filter *f, int page,
                                  int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 8192);
  int rc = strbuf_appendf(&where, "%s WHERE 1 = 1", EVENT_FROM);
  if (f->year) rc |= strbuf_appendf(&where, " AND substr(e.end_date, 1, 4) = :year");
  if (f->type) rc |= strbuf_appendf(&where, " AND e.type = :type");
  if (f->region_path)
    rc |= strbuf_appendf(&where, " AND ((r.path >= :rp AND r.path < :rp || '~') OR substr(:rp, 1, length(r.path)) = r.path)");
  if (f->cadre_id)
    rc |= strbuf_appendf(&where, " AND EXISTS (SELECT 1 FROM training_participant tc WHERE tc.event_id = e.id"
                                 " AND tc.cadre_id = :cadre AND tc.attended = 1)");
  if (!f->with_withdrawn) rc |= strbuf_appendf(&where, " AND e.withdrawn_at IS NULL");
  rc |= event_scope_sql(scope, &where);
  char year[8];
  snprintf(year, sizeof year, "%04d", f->year);
  struct sql_param p[] = {{":year", year, 0}, {":type", f->type, 0}, {":rp", f->region_path, 0},
                          {":cadre", NULL, f->cadre_id}};
  json_t *out = rc ? NULL : query_list(db, EVENT_COLUMNS, strbuf_cstr(&where), "e.start_date DESC, e.id DESC", p, 4,
                                       scope, query_row_object, page, page_size);
  strbuf_free(&where);
  return out;
}

/* ---- coverage (4.1, 4.2a, 4.4) ---- */

/* The cadre-trainings of the policy: types whose participants are cadres. */
struct ctype {
  const char *code;
  bool required;
  const json_t *posts; /* NULL: every post */
};

static int cadre_types(const json_t *types, struct ctype out[MAX_TYPES])
{
  int n = 0;
  size_t i;
  const json_t *t;
  json_array_foreach(types, i, t) {
    const char *who = json_string_value(json_object_get(t, "participants"));
    if (!who || strcmp(who, "cadres") != 0 || n >= MAX_TYPES) continue;
    out[n].code = json_string_value(json_object_get(t, "code"));
    out[n].required = json_is_true(json_object_get(t, "required"));
    out[n].posts = json_is_array(json_object_get(t, "posts")) ? json_object_get(t, "posts") : NULL;
    n++;
  }
  return n;
}

static bool post_listed(const json_t *posts, const char *post)
{
  if (!posts) return true;
  size_t i;
  const json_t *p;
  json_array_foreach(posts, i, p) if (post && strcmp(json_string_value(p), post) == 0) return true;
  return false;
}

struct coverage_dates {
  char first[11], last[11], on[11], deadline[11], start_by[11];
};

static void coverage_dates(const struct coverage_query *q, struct coverage_dates *d)
{
  snprintf(d->first, sizeof d->first, "%04d-01-01", q->year);
  snprintf(d->last, sizeof d->last, "%04d-12-31", q->year);
  if (strcmp(q->today, d->last) < 0) snprintf(d->last, sizeof d->last, "%s", q->today);
  snprintf(d->deadline, sizeof d->deadline, "%04d-%.5s", q->year, q->complete_by);
  snprintf(d->start_by, sizeof d->start_by, "%04d-%.5s", q->year, q->start_by);
  /* in post on the deadline, or today when it is still ahead (4.4) */
  snprintf(d->on, sizeof d->on, "%s", strcmp(q->today, d->deadline) < 0 ? q->today : d->deadline);
}

#define DONE_OF(cond) \
  "(SELECT min(e.end_date) FROM training_participant tp JOIN training_event e ON e.id = tp.event_id" \
  " WHERE tp.cadre_id = a.cadre_id AND tp.attended = 1 AND e.withdrawn_at IS NULL AND " cond \
  " AND e.end_date BETWEEN :first AND :last)"

/* The per-cadre rows as "(SELECT …) t": a column t<i> per cadre type, hours, first_trained. */
static int coverage_from(struct strbuf *b, const struct scope *scope, const struct coverage_query *q,
                         const struct ctype *types, int ntypes)
{
  int rc = strbuf_appendf(b,
      "(SELECT a.cadre_id AS cadre_id, c.name AS cadre_name, a.post AS post, a.unit_id AS unit_id, u.name AS unit_name,"
      " ar.code AS village_code, ar.name AS village_name, coalesce(tw.name, '') AS township_name,"
      " coalesce(co.code, '') AS county_code, coalesce(co.name, '') AS county_name,"
      " coalesce((SELECT sum(e.hours) FROM training_participant tp JOIN training_event e ON e.id = tp.event_id"
      "  WHERE tp.cadre_id = a.cadre_id AND tp.attended = 1 AND e.withdrawn_at IS NULL"
      "  AND e.end_date BETWEEN :first AND :last), 0) AS hours,"
      " " DONE_OF("e.type IN (SELECT value FROM json_each(:required))") " AS first_trained");
  for (int i = 0; i < ntypes; i++) rc |= strbuf_appendf(b, ", " DONE_OF("e.type = :t%d") " AS t%d", i, i);
  rc |= strbuf_appendf(b,
      " FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN unit u ON u.id = a.unit_id"
      " JOIN region ar ON ar.code = a.village_code LEFT JOIN region tw ON tw.code = ar.parent_code"
      " LEFT JOIN region co ON co.code = tw.parent_code"
      " WHERE a.status IN ('active','handover','ended') AND a.start_date <= :on AND (a.ended_on IS NULL OR a.ended_on >= :on)");
  if (q->region_code) rc |= strbuf_appendf(b, " AND ar.path >= :rlo AND ar.path < :rhi");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, b);
  rc |= strbuf_appendf(b, ") t WHERE 1 = 1");
  if (q->status && strcmp(q->status, "untrained") == 0) rc |= strbuf_appendf(b, " AND t.first_trained IS NULL");
  if (q->status && strcmp(q->status, "incomplete") == 0) {
    rc |= strbuf_appendf(b, " AND (0");
    for (int i = 0; i < ntypes; i++) {
      if (!types[i].required) continue;
      rc |= strbuf_appendf(b, " OR (t.t%d IS NULL", i);
      if (types[i].posts) rc |= strbuf_appendf(b, " AND t.post IN (SELECT value FROM json_each(:p%d))", i);
      rc |= strbuf_appendf(b, ")");
    }
    rc |= strbuf_appendf(b, ")");
  }
  return rc;
}

/* Parameters of the coverage statement; texts live in *d and in the buffers given. */
struct coverage_params {
  struct sql_param p[8 + 2 * MAX_TYPES];
  int n;
  char names[2 * MAX_TYPES][16];
  char *posts[MAX_TYPES];
  char *required;
  char rlo[100], rhi[101];
};

static int coverage_params(struct db *db, const struct coverage_query *q, const struct coverage_dates *d,
                           const struct ctype *types, int ntypes, struct coverage_params *cp)
{
  memset(cp, 0, sizeof *cp);
  json_t *req = json_array();
  for (int i = 0; i < ntypes; i++)
    if (types[i].required) json_array_append_new(req, json_string(types[i].code));
  cp->required = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  if (!cp->required) return DB_ERROR;
  if (q->region_code) {
    char level[16];
    /* a region not found keeps an empty range, which holds no cadre; a failed read fails the list */
    int found = training_region(db, q->region_code, cp->rlo, level);
    if (found == DB_ERROR) {
      free(cp->required);
      cp->required = NULL;
      return DB_ERROR;
    }
    if (found != DB_OK) cp->rlo[0] = '\0';
    snprintf(cp->rhi, sizeof cp->rhi, "%s~", cp->rlo);
  }
  struct sql_param base[] = {{":first", d->first, 0}, {":last", d->last, 0}, {":on", d->on, 0},
                             {":required", cp->required, 0}, {":rlo", cp->rlo, 0}, {":rhi", cp->rhi, 0},
                             {":deadline", d->deadline, 0}, {":start_by", d->start_by, 0}};
  memcpy(cp->p, base, sizeof base);
  cp->n = 8;
  for (int i = 0; i < ntypes; i++) {
    snprintf(cp->names[2 * i], 16, ":t%d", i);
    cp->p[cp->n++] = (struct sql_param){cp->names[2 * i], types[i].code, 0};
    if (!types[i].posts) continue;
    cp->posts[i] = json_dumps(types[i].posts, JSON_COMPACT);
    snprintf(cp->names[2 * i + 1], 16, ":p%d", i);
    cp->p[cp->n++] = (struct sql_param){cp->names[2 * i + 1], cp->posts[i] ? cp->posts[i] : "[]", 0};
  }
  return DB_OK;
}

static void coverage_params_free(struct coverage_params *cp)
{
  free(cp->required);
  for (int i = 0; i < MAX_TYPES; i++) free(cp->posts[i]);
}

/* types:{code:{required, done_on, on_time}}, missing, status and overdue, from the t<i> columns. */
static void coverage_row(json_t *row, const struct ctype *types, int ntypes, const struct coverage_dates *d, bool due)
{
  const char *post = json_string_value(json_object_get(row, "post"));
  json_t *by_type = json_object(), *missing = json_array();
  char *done[MAX_TYPES];
  int required = 0;
  for (int i = 0; i < ntypes; i++) {
    char col[16];
    snprintf(col, sizeof col, "t%d", i);
    const char *on = json_string_value(json_object_get(row, col));
    bool req = types[i].required && post_listed(types[i].posts, post);
    json_object_set_new(by_type, types[i].code,
                        json_pack("{s:b, s:o, s:b}", "required", req, "done_on", on ? json_string(on) : json_null(),
                                  "on_time", on && strcmp(on, d->deadline) <= 0));
    if (req) {
      done[required++] = on ? strdup(on) : NULL;
      if (!on) json_array_append_new(missing, json_string(types[i].code));
    }
    json_object_del(row, col);
  }
  struct training_verdict v = training_judge((const char *const *)done, required, d->deadline, due); /* 4.4 */
  for (int i = 0; i < required; i++) free(done[i]);
  json_object_set_new(row, "types", by_type);
  json_object_set_new(row, "missing", missing);
  json_object_set_new(row, "status", json_string(training_status_name(v.status)));
  json_object_set_new(row, "overdue", json_boolean(v.overdue));
}

json_t *training_coverage_json(struct db *db, const struct scope *scope, const struct coverage_query *q, int page,
                               int page_size)
{
  struct ctype types[MAX_TYPES];
  int ntypes = cadre_types(q->types, types);
  struct coverage_dates d;
  coverage_dates(q, &d);
  struct coverage_params cp;
  if (coverage_params(db, q, &d, types, ntypes, &cp) != DB_OK) return NULL;
  struct strbuf from;
  strbuf_init(&from, 65536);
  json_t *out = NULL;
  if (coverage_from(&from, scope, q, types, ntypes) == 0)
    out = query_list(db, "t.*", strbuf_cstr(&from), "t.county_code, t.township_name, t.village_code, t.post, t.cadre_id",
                     cp.p, cp.n, scope, query_row_object, page, page_size);
  strbuf_free(&from);
  coverage_params_free(&cp);
  if (!out) return NULL;
  bool due = strcmp(q->today, d.deadline) > 0;
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(out, "items"), i, row) coverage_row(row, types, ntypes, &d, due);
  json_object_set_new(out, "deadline", json_string(d.deadline));
  json_object_set_new(out, "in_post_on", json_string(d.on));
  json_object_set_new(out, "due", json_boolean(due));
  return out;
}

/* The type whose evidence is `evidence` (its code), or NULL. */
static const char *type_with_evidence(const json_t *types, const char *evidence)
{
  size_t i;
  const json_t *t;
  json_array_foreach(types, i, t) {
    const char *e = json_string_value(json_object_get(t, "evidence"));
    if (e && strcmp(e, evidence) == 0) return json_string_value(json_object_get(t, "code"));
  }
  return NULL;
}

json_t *training_counties_json(struct db *db, const struct scope *scope, const struct coverage_query *q, int page,
                               int page_size)
{
  struct ctype types[MAX_TYPES];
  int ntypes = cadre_types(q->types, types);
  struct coverage_dates d;
  coverage_dates(q, &d);
  int demo = -1; /* 4.1a: the type reserved to first secretaries */
  for (int i = 0; i < ntypes; i++)
    if (types[i].posts && post_listed(types[i].posts, "first_secretary") && demo < 0) demo = i;
  int two_first = 0, two_last = 0;
  date_period_bounds_anchored(PERIOD_TWO_YEARS, q->year * 10000 + 101, q->anchor_year, &two_first, &two_last);
  char tfirst[11], tlast[11];
  date_format_iso(two_first, tfirst);
  date_format_iso(two_last, tlast);
  const char *policy_type = type_with_evidence(q->types, "policy_training_biennial");
  struct coverage_query all = *q;
  all.status = NULL;
  struct coverage_params cp;
  if (coverage_params(db, q, &d, types, ntypes, &cp) != DB_OK) return NULL;
  struct sql_param extra[] = {{":tfirst", tfirst, 0}, {":tlast", tlast, 0}, {":ptype", policy_type ? policy_type : "", 0},
                              {":year", NULL, q->year}};
  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) cp.p[cp.n++] = extra[i];
  struct strbuf from, cols;
  strbuf_init(&from, 65536);
  strbuf_init(&cols, 8192);
  int rc = strbuf_appendf(&from, "(SELECT t.county_code AS county_code, t.county_name AS county_name, count(*) AS cadres,"
                                 " sum(t.first_trained IS NOT NULL) AS trained,"
                                 " sum(t.first_trained IS NOT NULL AND t.first_trained <= :deadline) AS trained_on_time,"
                                 " sum(t.post = 'first_secretary') AS first_secretaries,");
  if (demo >= 0) rc |= strbuf_appendf(&from, " sum(t.post = 'first_secretary' AND t.t%d IS NOT NULL)", demo);
  else rc |= strbuf_appendf(&from, " 0");
  rc |= strbuf_appendf(&from, " AS first_secretaries_demo FROM ");
  rc |= coverage_from(&from, scope, &all, types, ntypes);
  rc |= strbuf_appendf(&from, " GROUP BY t.county_code, t.county_name) k");
  rc |= strbuf_appendf(&cols,
      "k.*, round(1.0 * k.trained_on_time / k.cadres, 4) AS rate,"
      " (SELECT p.filed_on FROM training_plan p WHERE p.county_code = k.county_code AND p.year = :year) AS plan_filed_on,"
      " (SELECT min(e.start_date) FROM training_event e WHERE e.organizer_code = k.county_code AND e.withdrawn_at IS NULL"
      "  AND e.start_date BETWEEN :first AND :last) AS started_on,"
      " (SELECT max(e.end_date) FROM training_event e WHERE e.organizer_code = k.county_code AND e.withdrawn_at IS NULL"
      "  AND e.type = :ptype AND e.end_date BETWEEN :tfirst AND :tlast) AS policy_training_on");
  json_t *out = rc ? NULL : query_list(db, strbuf_cstr(&cols), strbuf_cstr(&from), "k.county_code", cp.p, cp.n, scope,
                                       query_row_object, page, page_size);
  strbuf_free(&from);
  strbuf_free(&cols);
  coverage_params_free(&cp);
  if (!out) return NULL;
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(out, "items"), i, row) {
    const char *started = json_string_value(json_object_get(row, "started_on"));
    /* 4.4: training starts in the first half-year */
    json_object_set_new(row, "started_in_time", json_boolean(started && strcmp(started, d.start_by) <= 0));
  }
  json_object_set_new(out, "deadline", json_string(d.deadline));
  json_object_set_new(out, "start_by", json_string(d.start_by));
  json_object_set_new(out, "two_years", json_pack("{s:s, s:s}", "first", tfirst, "last", tlast));
  return out;
}
