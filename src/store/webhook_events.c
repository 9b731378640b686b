/* webhook_events — see webhook_events.h. Each event's data is built by SQLite's json_object() from the
 * row, so the fields sent are exactly the ones named here. */
#include "store/webhook_events.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/webhooks.h"

/* Runs sql (?1 the id, ?2 the text arg) returning (data JSON, region code) and enqueues it as event. */
static int enqueue_row(struct db *db, const char *sql, int64_t id, const char *arg, const char *event, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  db_bind_text_or_null(st, 2, arg);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) { sqlite3_reset(st); return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc); }
  json_t *data = json_loads(db_col_text(st, 0), 0, NULL);
  char region[16];
  snprintf(region, sizeof region, "%s", db_col_text(st, 1));
  sqlite3_reset(st);
  if (!data) return DB_ERROR;
  rc = webhooks_enqueue(db, event, region, data, now);
  json_decref(data);
  return rc;
}

int webhook_events_post_changed(struct db *db, int64_t assignment_id, const char *change, int64_t now)
{
  return enqueue_row(db,
      "SELECT json_object('assignment_id', a.id, 'change', ?2, 'status', a.status, 'post', a.post, 'kind', a.kind,"
      " 'village_code', a.village_code, 'village_name', r.name, 'unit_id', a.unit_id, 'unit_name', u.name,"
      " 'start_date', a.start_date, 'term_end', a.term_end, 'ended_on', a.ended_on), a.village_code"
      " FROM assignment a JOIN region r ON r.code = a.village_code JOIN unit u ON u.id = a.unit_id WHERE a.id = ?1",
      assignment_id, change, WEBHOOK_POST_CHANGED, now);
}

int webhook_events_case_decided(struct db *db, int64_t case_id, const char *action, int64_t now)
{
  return enqueue_row(db,
      "SELECT json_object('case_id', c.id, 'action', ?2, 'state', c.state, 'decision', c.decision,"
      " 'category', c.category, 'decision_on', c.decision_on, 'identified_on', c.identified_on,"
      " 'closed_on', c.closed_on, 'household_id', c.household_id, 'household_no', h.household_no,"
      " 'village_code', c.village_code, 'village_name', r.name), c.village_code"
      " FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN region r ON r.code = c.village_code"
      " WHERE c.id = ?1",
      case_id, action, WEBHOOK_CASE_DECIDED, now);
}

int webhook_events_household_risk(struct db *db, int64_t household_id, int64_t now)
{
  return enqueue_row(db,
      "SELECT json_object('household_id', h.id, 'household_no', h.household_no, 'category', h.category,"
      " 'monitored', json(CASE WHEN h.monitored THEN 'true' ELSE 'false' END), 'status', h.status,"
      " 'village_code', h.village_code, 'village_name', r.name), h.village_code"
      " FROM household h JOIN region r ON r.code = h.village_code WHERE h.id = ?1",
      household_id, NULL, WEBHOOK_HOUSEHOLD_RISK, now);
}
