/* notify_duties — see notify_duties.h. The cells come from compliance_cells_each over every party
 * (a region scope over every path), only the periods falling due in the window judged; the occasions
 * among them are copied out of the matrix first, then each not yet keyed is keyed, worded and posted
 * (store/notifications) to the accounts of its party, NOTIFY_DUTY_BATCH occasions to a write
 * transaction: a batch commits its keys with its messages, so a failure half-way leaves the batches
 * before it done and the next settlement raises only the rest. */
#include "store/notify_duties.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/obligations.h"
#include "core/roles.h"
#include "store/notifications.h"
#include "store/obligations.h"
#include "store/query.h"
#include "store/scope.h"

/* A cell that is an occasion today, copied out of the matrix's run. */
struct occasion {
  const struct obligation *o;
  enum obligation_owner party_type;
  char party_id[24], party_name[160];
  int first, due;
  bool overdue;
};

struct occasions {
  struct occasion *v;
  size_t n, cap;
  int today, soon, since; /* yyyymmdd */
};

static int key_taken(struct db *db, const char *kind, const char *object, const char *day, bool *taken)
{
  struct query *q = query_open(db, "SELECT 1 AS taken FROM notification_key WHERE kind = :kind AND object = :object"
                                   " AND day = :day");
  query_bind_text(q, ":kind", kind);
  query_bind_text(q, ":object", object);
  query_bind_text(q, ":day", day);
  *taken = query_next(q); /* false too when the step failed: query_close tells */
  return query_close(q);
}

static int key_put(struct db *db, const char *kind, const char *object, const char *day, int64_t event_id)
{
  struct query *q = query_open(db,
      "INSERT INTO notification_key (kind, object, day, event_id) VALUES (:kind, :object, :day, :event)");
  query_bind_text(q, ":kind", kind);
  query_bind_text(q, ":object", object);
  query_bind_text(q, ":day", day);
  query_bind_int_or_null(q, ":event", event_id); /* none: the party has no account to read it */
  return query_exec(q);
}

/* The SELECT of the accounts of a party (:p1 its id; :p2 the role codes, for a region's party: *level set). */
static const char *recipients_of(const char *type, uint64_t *perm, const char **level, int *department)
{
  *perm = PERM_REGION_READ;
  *level = NULL;
  *department = 0;
  if (strcmp(type, "cadre") == 0) return "SELECT id FROM \"user\" WHERE cadre_id = CAST(:p1 AS INTEGER)";
  if (strcmp(type, "team") == 0)
    return "SELECT u.id FROM \"user\" u JOIN assignment a ON a.cadre_id = u.cadre_id WHERE a.village_code = :p1"
           " AND a.status IN ('active','handover')";
  if (strcmp(type, "township") == 0 || strcmp(type, "county") == 0 || strcmp(type, "city") == 0) {
    *level = type;
    *department = strcmp(type, "township") != 0;
    return "SELECT id FROM \"user\" WHERE region_code = :p1 AND instr(:p2, ',' || role || ',') > 0";
  }
  /* unit, unit_principal, unit_deputy, unit_hr: the unit's accounts; unit_team: "unit id:village" */
  return "SELECT id FROM \"user\" WHERE unit_id = CAST(CASE WHEN instr(:p1, ':') > 0 THEN substr(:p1, 1, instr(:p1, ':') - 1)"
         " ELSE :p1 END AS INTEGER)";
}

/* Whether the SELECT who finds an account (most parties of a large deployment have none of their own). */
static int anyone(struct db *db, const char *who, const char *const *params, int n, bool *found)
{
  char sql[1024];
  int w = snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM \"user\" u WHERE u.disabled = 0 AND u.id IN (%s)) AS found", who);
  if (w < 0 || (size_t)w >= sizeof sql) return DB_ERROR;
  struct query *q = query_open(db, sql);
  for (int i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, ":p%d", i + 1);
    query_bind_text(q, name, params[i]);
  }
  *found = query_next(q) && query_get_int(q, "found") != 0;
  int rc = query_close(q);
  if (rc != DB_OK) *found = false;
  return rc;
}

/* The event and its messages; none (event_id 0) when the party has no account to read it. */
static int post_cell(struct db *db, const struct occasion *c, int64_t now, int64_t *event_id)
{
  const char *type = obligation_owner_name(c->party_type);
  const struct obligation *o = c->o;
  char body[512], codes[512] = ",", due[DATE_ISO_SIZE], first[DATE_ISO_SIZE];
  date_format_iso(c->due, due);
  date_format_iso(c->first, first);
  snprintf(body, sizeof body, c->overdue ? "%s：%s（%s）应于 %s 前完成，已逾期未完成，请尽快补做并如实登记。"
                                         : "%s：%s（%s）应于 %s 前完成，目前尚未完成。",
           c->party_name, o->action_zh, o->deadline_mmdd ? o->deadline_clause : o->clause, due);
  uint64_t perm;
  const char *level;
  int department;
  const char *who = recipients_of(type, &perm, &level, &department);
  if (level) notifications_role_codes(perm, level, department, 0, codes, sizeof codes);
  char link[128], key[96];
  snprintf(link, sizeof link, "/compliance?obligation=%s", o->code);
  snprintf(key, sizeof key, "%s|%s|%s", o->code, c->party_id, first); /* the cell's key */
  struct notification_new e = {c->overdue ? "duty_overdue" : "duty_due",
                               c->overdue ? "驻村工作责任逾期未完成" : "驻村工作责任即将到期", body, link, NULL,
                               "obligation", key};
  const char *params[] = {c->party_id, codes};
  int nparams = level ? 2 : 1; /* the SELECT names each parameter it is given: the codes, a region's only */
  bool found = false;
  int rc = anyone(db, who, params, nparams, &found);
  if (rc != DB_OK || !found) return rc;
  return notifications_post(db, &e, who, params, nparams, now, event_id);
}

/* Keeps cell c when it is an occasion today: due soon and not done, or just overdue. */
static int keep_occasion(void *ctx, const struct compliance_cell *c)
{
  struct occasions *s = ctx;
  bool overdue = c->status == CELL_MISSING;
  int due = c->period.due;
  if (overdue ? due < s->since || due >= s->today
              : c->status != CELL_NOT_YET_DUE || due < s->today || due > s->soon)
    return 0;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    struct occasion *v = realloc(s->v, cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    s->cap = cap;
  }
  struct occasion *o = &s->v[s->n++];
  o->o = c->o;
  o->party_type = c->party_type;
  snprintf(o->party_id, sizeof o->party_id, "%s", c->party_id);
  snprintf(o->party_name, sizeof o->party_name, "%s", c->party_name);
  o->first = c->period.first;
  o->due = due;
  o->overdue = overdue;
  return 0;
}

static int settle_cell(struct db *db, const struct occasion *c, int64_t now, long *raised)
{
  char object[160], due[DATE_ISO_SIZE];
  snprintf(object, sizeof object, "%s|%s", c->o->code, c->party_id);
  date_format_iso(c->due, due);
  const char *kind = c->overdue ? "duty_overdue" : "duty_due";
  bool taken = false;
  int rc = key_taken(db, kind, object, due, &taken);
  if (rc != DB_OK || taken) return rc;
  int64_t event_id = 0;
  rc = post_cell(db, c, now, &event_id);
  if (rc == DB_OK) rc = key_put(db, kind, object, due, event_id);
  if (rc == DB_OK && event_id) (*raised)++;
  return rc;
}

/* Settles the occasions [*next, ...) in one write transaction of at most NOTIFY_DUTY_BATCH of them;
 * *next moves past the last one settled. */
static int settle_batch(struct db *db, const struct occasions *s, size_t *next, int64_t now, long *raised)
{
  int rc = db_begin(db);
  long got = 0;
  for (size_t end = *next + NOTIFY_DUTY_BATCH; rc == DB_OK && *next < s->n && *next < end; (*next)++)
    rc = settle_cell(db, &s->v[*next], now, &got);
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) {
    db_rollback(db);
    return rc;
  }
  *raised += got;
  return DB_OK;
}

int notify_duties_settle(struct db *db, const struct compliance_query *base, int64_t now, long *raised)
{
  *raised = 0;
  struct compliance_query q = *base;
  q.from = date_add_days(q.today, -NOTIFY_DUTY_DAYS);
  q.to = date_add_days(q.today, NOTIFY_DUTY_DAYS);
  /* only what falls due in the window can be an occasion: a province's matrix over the window is some
   * 260,000 cells (every cadre's month, every unit's year), of which a few hundred fall due in it on
   * most days (tens of thousands at a month's end) */
  q.due_from = q.from;
  q.due_to = q.to;
  struct scope all;
  memset(&all, 0, sizeof all);
  all.kind = SCOPE_KIND_REGION; /* every region: paths sort between "/" and "/~" */
  snprintf(all.path_lo, sizeof all.path_lo, "/");
  snprintf(all.path_hi, sizeof all.path_hi, "/~");
  bool not_found = false;
  struct occasions s = {NULL, 0, 0, q.today, q.to, q.from};
  /* the matrix is read with no write lock held: at a province's size it takes long enough that a
   * login waiting to write its session would give up */
  int rc = compliance_cells_each(db, &all, &q, keep_occasion, &s, &not_found);
  size_t next = 0;
  while (rc == DB_OK && next < s.n) rc = settle_batch(db, &s, &next, now, raised);
  free(s.v);
  return rc;
}
