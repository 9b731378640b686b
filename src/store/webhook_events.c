/* webhook_events — see webhook_events.h. Each event's data is built by SQLite's json_object() from the
 * row, so the fields sent are exactly the ones named here. */
#include "store/webhook_events.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "store/query.h"
#include "store/webhooks.h"

/* Reads q's row (data: the JSON object, region: its region code) and enqueues it as event; no row, no
 * event. Ends q. */
static int enqueue_row(struct db *db, struct query *q, const char *event, int64_t now)
{
  if (!query_next(q)) return query_close(q);
  json_t *data = json_loads(query_get_text(q, "data"), 0, NULL);
  char region[16];
  snprintf(region, sizeof region, "%s", query_get_text(q, "region"));
  int rc = query_close(q);
  if (rc == DB_OK && !data) rc = DB_ERROR;
  if (rc == DB_OK) rc = webhooks_enqueue(db, event, region, data, now);
  json_decref(data);
  return rc;
}

int webhook_events_post_changed(struct db *db, int64_t assignment_id, const char *change, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT json_object('assignment_id', a.id, 'change', :change, 'status', a.status, 'post', a.post, 'kind', a.kind,"
      " 'village_code', a.village_code, 'village_name', r.name, 'unit_id', a.unit_id, 'unit_name', u.name,"
      " 'start_date', a.start_date, 'term_end', a.term_end, 'ended_on', a.ended_on) AS data, a.village_code AS region"
      " FROM assignment a JOIN region r ON r.code = a.village_code JOIN unit u ON u.id = a.unit_id WHERE a.id = :id");
  query_bind_int(q, ":id", assignment_id);
  query_bind_text(q, ":change", change);
  return enqueue_row(db, q, WEBHOOK_POST_CHANGED, now);
}

int webhook_events_case_decided(struct db *db, int64_t case_id, const char *action, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT json_object('case_id', c.id, 'action', :action, 'state', c.state, 'decision', c.decision,"
      " 'category', c.category, 'decision_on', c.decision_on, 'identified_on', c.identified_on,"
      " 'closed_on', c.closed_on, 'household_id', c.household_id, 'household_no', h.household_no,"
      " 'village_code', c.village_code, 'village_name', r.name) AS data, c.village_code AS region"
      " FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN region r ON r.code = c.village_code"
      " WHERE c.id = :id");
  query_bind_int(q, ":id", case_id);
  query_bind_text(q, ":action", action);
  return enqueue_row(db, q, WEBHOOK_CASE_DECIDED, now);
}

int webhook_events_household_risk(struct db *db, int64_t household_id, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT json_object('household_id', h.id, 'household_no', h.household_no, 'category', h.category,"
      " 'monitored', json(CASE WHEN h.monitored <> 0 THEN 'true' ELSE 'false' END), 'status', h.status,"
      " 'village_code', h.village_code, 'village_name', r.name) AS data, h.village_code AS region"
      " FROM household h JOIN region r ON r.code = h.village_code WHERE h.id = :id");
  query_bind_int(q, ":id", household_id);
  return enqueue_row(db, q, WEBHOOK_HOUSEHOLD_RISK, now);
}
