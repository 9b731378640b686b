/* notify_duties — see notify_duties.h. The cells come from compliance_cells_json over every party
 * (a region scope over every path); the ones due within the window are read first, then each not yet keyed is
 * keyed, worded and posted (store/notifications) to the accounts of its party, NOTIFY_DUTY_BATCH occasions
 * to a write transaction: a batch commits its keys with its messages, so a failure half-way leaves the
 * batches before it done and the next settlement raises only the rest. */
#include "store/notify_duties.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/obligations.h"
#include "core/roles.h"
#include "store/db_sqlite.h"
#include "store/notifications.h"
#include "store/obligations.h"
#include "store/scope.h"

static const char *text_of(const json_t *o, const char *k)
{
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static int key_taken(struct db *db, const char *kind, const char *object, const char *day, bool *taken)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM notification_key WHERE kind = ?1 AND object = ?2 AND day = ?3");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, object, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  *taken = rc == SQLITE_ROW;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

static int key_put(struct db *db, const char *kind, const char *object, const char *day, int64_t event_id)
{
  sqlite3_stmt *st = db_stmt(db, "INSERT INTO notification_key (kind, object, day, event_id) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, object, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
  if (event_id) sqlite3_bind_int64(st, 4, event_id);
  else sqlite3_bind_null(st, 4);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

/* The SELECT of the accounts of a party (?2 its id; ?3 the role codes, for a region's party). */
static const char *recipients_of(const char *type, uint64_t *perm, const char **level, int *department)
{
  *perm = PERM_REGION_READ;
  *level = NULL;
  *department = 0;
  if (strcmp(type, "cadre") == 0) return "SELECT id FROM user WHERE cadre_id = CAST(?2 AS INTEGER)";
  if (strcmp(type, "team") == 0)
    return "SELECT u.id FROM user u JOIN assignment a ON a.cadre_id = u.cadre_id WHERE a.village_code = ?2"
           " AND a.status IN ('active','handover')";
  if (strcmp(type, "township") == 0 || strcmp(type, "county") == 0 || strcmp(type, "city") == 0) {
    *level = type;
    *department = strcmp(type, "township") != 0;
    return "SELECT id FROM user WHERE region_code = ?2 AND instr(?3, ',' || role || ',') > 0";
  }
  /* unit, unit_principal, unit_deputy, unit_hr: the unit's accounts; unit_team: "unit id:village" */
  return "SELECT id FROM user WHERE unit_id = CAST(CASE WHEN instr(?2, ':') > 0 THEN substr(?2, 1, instr(?2, ':') - 1)"
         " ELSE ?2 END AS INTEGER)";
}

/* Whether the SELECT who finds an account (most parties of a large deployment have none of their own). */
static int anyone(struct db *db, const char *who, const char *const *params, int n, bool *found)
{
  char sql[1024];
  int w = snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM user u WHERE u.disabled = 0 AND u.id IN (%s))", who);
  if (w < 0 || (size_t)w >= sizeof sql) return DB_ERROR;
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  for (int i = 0; i < n; i++) sqlite3_bind_text(st, i + 2, params[i], -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : db_step_result(db, rc);
}

/* The event and its messages; none (event_id 0) when the party has no account to read it. */
static int post_cell(struct db *db, const json_t *c, bool overdue, int64_t now, int64_t *event_id)
{
  const char *type = text_of(c, "party_type");
  char body[512], codes[512] = ",";
  snprintf(body, sizeof body, overdue ? "%s：%s（%s）应于 %s 前完成，已逾期未完成，请尽快补做并如实登记。"
                                      : "%s：%s（%s）应于 %s 前完成，目前尚未完成。",
           text_of(c, "party_name"), text_of(c, "action_zh"), text_of(c, "clause"), text_of(c, "due"));
  uint64_t perm;
  const char *level;
  int department;
  const char *who = recipients_of(type, &perm, &level, &department);
  if (level) notifications_role_codes(perm, level, department, 0, codes, sizeof codes);
  char link[128];
  snprintf(link, sizeof link, "/compliance?obligation=%s", text_of(c, "obligation"));
  struct notification_new e = {overdue ? "duty_overdue" : "duty_due", overdue ? "驻村工作责任逾期未完成" : "驻村工作责任即将到期",
                               body, link, NULL, "obligation", text_of(c, "key")};
  const char *params[] = {text_of(c, "party_id"), codes};
  bool found = false;
  int rc = anyone(db, who, params, 2, &found);
  if (rc != DB_OK || !found) return rc;
  return notifications_post(db, &e, who, params, 2, now, event_id);
}

/* Whether cell c is an occasion today: due soon and not done, or just overdue. */
static bool occasion(const json_t *c, const char *today, const char *soon, const char *since, bool *overdue)
{
  const char *status = text_of(c, "status"), *due = text_of(c, "due");
  *overdue = strcmp(status, "missing") == 0;
  if (*overdue) return strcmp(due, since) >= 0 && strcmp(due, today) < 0;
  return strcmp(status, "not_yet_due") == 0 && strcmp(due, today) >= 0 && strcmp(due, soon) <= 0;
}

static int settle_cell(struct db *db, const json_t *c, bool overdue, int64_t now, long *raised)
{
  char object[160];
  snprintf(object, sizeof object, "%s|%s", text_of(c, "obligation"), text_of(c, "party_id"));
  const char *kind = overdue ? "duty_overdue" : "duty_due", *due = text_of(c, "due");
  bool taken = false;
  int rc = key_taken(db, kind, object, due, &taken);
  if (rc != DB_OK || taken) return rc;
  int64_t event_id = 0;
  rc = post_cell(db, c, overdue, now, &event_id);
  if (rc == DB_OK) rc = key_put(db, kind, object, due, event_id);
  if (rc == DB_OK && event_id) (*raised)++;
  return rc;
}

/* Settles the occasions among cells [*next, end) in one write transaction of at most NOTIFY_DUTY_BATCH
 * occasions; *next moves past the last cell looked at. */
static int settle_batch(struct db *db, json_t *items, size_t *next, const char *const day[3], int64_t now,
                        long *raised)
{
  int rc = db_begin(db);
  long batch = 0, got = 0;
  size_t n = json_array_size(items);
  while (rc == DB_OK && *next < n && batch < NOTIFY_DUTY_BATCH) {
    const json_t *c = json_array_get(items, (*next)++);
    bool overdue;
    if (!occasion(c, day[0], day[1], day[2], &overdue)) continue;
    batch++;
    rc = settle_cell(db, c, overdue, now, &got);
  }
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
   * 260,000 cells (every cadre's month, every unit's year), of which a few hundred fall due in it */
  q.due_from = q.from;
  q.due_to = q.to;
  struct scope all;
  memset(&all, 0, sizeof all);
  all.kind = SCOPE_KIND_REGION; /* every region: paths sort between "/" and "/~" */
  snprintf(all.path_lo, sizeof all.path_lo, "/");
  snprintf(all.path_hi, sizeof all.path_hi, "/~");
  bool not_found = false;
  /* the matrix is read with no write lock held: at a province's size it takes long enough that a
   * login waiting to write its session would give up */
  json_t *cells = compliance_cells_json(db, &all, &q, 1, 0, &not_found);
  if (!cells) return DB_ERROR;
  char today[DATE_ISO_SIZE], soon[DATE_ISO_SIZE], since[DATE_ISO_SIZE];
  date_format_iso(q.today, today);
  date_format_iso(q.to, soon);
  date_format_iso(q.from, since);
  const char *const day[3] = {today, soon, since};
  json_t *items = json_object_get(cells, "items");
  size_t next = 0;
  int rc = DB_OK;
  while (rc == DB_OK && next < json_array_size(items)) rc = settle_batch(db, items, &next, day, now, raised);
  json_decref(cells);
  return rc;
}
