/* webhooks — see webhooks.h. */
#include "store/webhooks.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "store/delivery_sealed.h"
#include "store/list_sql.h"
#include "store/notifications.h"
#include "store/outbox.h"
#include "store/query.h"
#include "store/vault.h"
#include "util/log.h"

static const struct notification_kind DATA_EVENTS[] = {
  {WEBHOOK_HOUSEHOLD_RISK, "农户监测状态变化"}, {WEBHOOK_CASE_DECIDED, "监测帮扶案件作出决定"},
  {WEBHOOK_POST_CHANGED, "驻村岗位变动"}, {NULL, NULL},
};

json_t *webhooks_events_json(void)
{
  json_t *out = json_array();
  for (const struct notification_kind *k = notifications_kinds(); k->kind; k++)
    json_array_append_new(out, json_pack("{s:s, s:s}", "event", k->kind, "name", k->name));
  for (const struct notification_kind *k = DATA_EVENTS; k->kind; k++)
    json_array_append_new(out, json_pack("{s:s, s:s}", "event", k->kind, "name", k->name));
  return out;
}

bool webhooks_event_known(const char *event)
{
  for (const struct notification_kind *k = notifications_kinds(); event && k->kind; k++)
    if (strcmp(k->kind, event) == 0) return true;
  for (const struct notification_kind *k = DATA_EVENTS; event && k->kind; k++)
    if (strcmp(k->kind, event) == 0) return true;
  return false;
}

/* ---- receivers ---- */

int webhooks_create(struct db *db, const struct vault *v, const struct webhook_input *in, int64_t now, int64_t *id)
{
  struct query *q = query_open(db,
      "INSERT INTO webhook (name, url_sealed, url_hint, secret_sealed, events, region_code, enabled, created_at,"
      " updated_at) VALUES (:name, :url, :hint, :secret, :events, :region, :enabled, :now, :now) RETURNING id");
  char hint[96];
  outbox_webhook_hint(in->url, hint, sizeof hint);
  query_bind_text(q, ":name", in->name);
  query_bind_text(q, ":hint", hint);
  query_bind_text(q, ":events", in->events);
  query_bind_text(q, ":region", in->region_code);
  query_bind_int(q, ":enabled", in->enabled != 0);
  query_bind_int(q, ":now", now);
  if (delivery_bind_sealed(q, ":url", v, in->url) != 0 || delivery_bind_sealed(q, ":secret", v, in->secret) != 0) {
    query_close(q);
    return DB_ERROR;
  }
  return query_insert_id(q, id);
}

int webhooks_update(struct db *db, const struct vault *v, int64_t id, const struct webhook_input *in, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE webhook SET name = coalesce(:name, name), enabled = CASE WHEN :enabled < 0 THEN enabled ELSE :enabled END,"
      " url_sealed = CASE WHEN :set_url THEN :url ELSE url_sealed END,"
      " url_hint = CASE WHEN :set_url THEN :hint ELSE url_hint END,"
      " secret_sealed = CASE WHEN :set_secret THEN :secret ELSE secret_sealed END, events = coalesce(:events, events),"
      " updated_at = :now WHERE id = :id");
  char hint[96] = "";
  if (in->url) outbox_webhook_hint(in->url, hint, sizeof hint);
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":name", in->name);
  query_bind_int(q, ":enabled", in->enabled);
  query_bind_int(q, ":set_url", in->url != NULL);
  query_bind_text(q, ":hint", hint);
  query_bind_int(q, ":set_secret", in->secret != NULL);
  query_bind_text(q, ":events", in->events);
  query_bind_int(q, ":now", now);
  if (delivery_bind_sealed(q, ":url", v, in->url) != 0 || delivery_bind_sealed(q, ":secret", v, in->secret) != 0) {
    query_close(q);
    return DB_ERROR;
  }
  int rc = query_exec_guarded(q);
  return rc == DB_CONFLICT ? DB_NOT_FOUND : rc;
}

#define WEBHOOK_COLUMNS \
  "SELECT w.id AS id, w.name AS name, w.url_hint AS url_hint, w.region_code AS region_code, r.name AS region_name," \
  " w.events AS events, w.enabled AS enabled," \
  " (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.status = 'pending') AS pending," \
  " (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.status = 'dead') AS dead," \
  " (SELECT count(*) FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.status = 'sent') AS sent" \
  " FROM webhook w LEFT JOIN region r ON r.code = w.region_code"

/* ",a,b," as ["a","b"] */
static json_t *events_array(const char *list)
{
  json_t *out = json_array();
  const char *p = list ? list : "";
  while (*p) {
    const char *end = strchr(p + 1, ',');
    if (!end) break;
    if (end > p + 1) json_array_append_new(out, json_stringn(p + 1, (size_t)(end - p - 1)));
    p = end;
  }
  return out;
}

static void webhook_fix(json_t *row)
{
  json_object_set_new(row, "events", events_array(json_string_value(json_object_get(row, "events"))));
  json_object_set_new(row, "enabled", json_boolean(json_integer_value(json_object_get(row, "enabled"))));
}

json_t *webhooks_list_json(struct db *db)
{
  return query_rows_json(query_open(db, WEBHOOK_COLUMNS " ORDER BY w.id"), webhook_fix);
}

json_t *webhooks_get_json(struct db *db, int64_t id)
{
  struct query *q = query_open(db, WEBHOOK_COLUMNS " WHERE w.id = :id");
  query_bind_int(q, ":id", id);
  return query_one_json(q, webhook_fix);
}

/* ---- enqueueing ---- */

#define TAKES_EVENT \
  " FROM webhook w WHERE w.enabled = 1 AND instr(w.events, ',' || :event || ',') > 0" \
  " AND (w.region_code IS NULL OR coalesce(:region, '') LIKE w.region_code || '%')"

static int any_receiver(struct db *db, const char *event, const char *region, bool *any)
{
  struct query *q = query_open(db, "SELECT 1 AS one" TAKES_EVENT " LIMIT 1");
  query_bind_text(q, ":event", event);
  query_bind_text(q, ":region", region);
  bool found = query_next(q);
  int rc = query_close(q);
  *any = rc == DB_OK && found;
  return rc;
}

/* {id, event, occurred_at, region_code, data}, in this order; malloc'd */
static char *body_text(const char *event_id, const char *event, const char *region, json_t *data, int64_t now)
{
  char at[CLOCK_ISO_SIZE];
  clock_format_cst(now, at);
  json_t *body = json_pack("{s:s, s:s, s:s, s:s?, s:O}", "id", event_id, "event", event, "occurred_at", at,
                           "region_code", region, "data", data);
  char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(body);
  return text;
}

int webhooks_enqueue(struct db *db, const char *event, const char *region_code, json_t *data, int64_t now)
{
  bool any = false;
  int rc = any_receiver(db, event, region_code, &any);
  if (rc != DB_OK || !any) return rc;
  unsigned char raw[8];
  char hex[17], event_id[24];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  snprintf(event_id, sizeof event_id, "evt_%s", hex);
  char *body = body_text(event_id, event, region_code, data, now);
  if (!body) return DB_ERROR;
  struct query *q = query_open(db,
      "INSERT INTO webhook_delivery (webhook_id, event, body, idem_key, next_at, created_at)"
      " SELECT w.id, :event, :body, :event_id || '-' || w.id, :now, :now" TAKES_EVENT);
  query_bind_text(q, ":event", event);
  query_bind_text(q, ":region", region_code);
  query_bind_text(q, ":body", body);
  query_bind_text(q, ":event_id", event_id);
  query_bind_int(q, ":now", now);
  free(body);
  return query_exec(q);
}

int webhooks_from_notification(struct db *db, int64_t event_id)
{
  struct query *q = query_open(db,
      "SELECT kind AS kind, region_code AS region_code, created_at AS created_at, title AS title, body AS body,"
      " link AS link, entity AS entity, entity_id AS entity_id FROM notification_event WHERE id = :id");
  query_bind_int(q, ":id", event_id);
  bool found = query_next(q);
  char kind[40] = "", region[16] = "";
  int64_t at = 0;
  json_t *data = NULL;
  if (found) {
    snprintf(kind, sizeof kind, "%s", query_get_text(q, "kind"));
    snprintf(region, sizeof region, "%s", query_get_text(q, "region_code"));
    at = query_get_int(q, "created_at");
    data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", query_get_text(q, "title"), "text", query_get_text(q, "body"),
                     "link", query_get_text(q, "link"), "entity", query_get_text(q, "entity"),
                     "entity_id", query_get_text(q, "entity_id"));
  }
  int rc = query_close(q);
  if (rc == DB_OK && !found) log_error("webhooks", "notification event %lld not found", (long long)event_id);
  if (rc != DB_OK || !data) {
    json_decref(data);
    return DB_ERROR;
  }
  rc = webhooks_enqueue(db, kind, *region ? region : NULL, data, at);
  json_decref(data);
  return rc;
}

/* ---- delivery ---- */

int webhooks_due(struct db *db, const struct vault *v, int64_t now, struct webhook_item *items, int max, int *n)
{
  struct query *q = query_open(db,
      "SELECT d.id AS id, d.attempts AS attempts, d.event AS event, d.idem_key AS idem_key, w.url_sealed AS url_sealed,"
      " w.secret_sealed AS secret_sealed, d.body AS body"
      " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
      " WHERE d.status = 'pending' AND d.next_at <= :now ORDER BY d.next_at, d.id LIMIT :max");
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":max", max);
  *n = 0;
  while (*n < max && query_next(q)) {
    struct webhook_item *it = &items[*n];
    memset(it, 0, sizeof *it);
    it->id = query_get_int(q, "id");
    it->attempts = (int)query_get_int(q, "attempts");
    snprintf(it->event, sizeof it->event, "%s", query_get_text(q, "event"));
    snprintf(it->idem_key, sizeof it->idem_key, "%s", query_get_text(q, "idem_key"));
    it->url = delivery_open_sealed(v, q, "url_sealed");
    it->secret = delivery_open_sealed(v, q, "secret_sealed");
    it->body = strdup(query_get_text(q, "body"));
    (*n)++;
  }
  return query_close(q);
}

void webhooks_item_clear(struct webhook_item *it)
{
  delivery_wipe(&it->url);
  delivery_wipe(&it->secret);
  free(it->body);
  it->body = NULL;
}

json_t *webhooks_deliveries_json(struct db *db, const char *status, int page, int page_size)
{
  struct sql_param p[] = {{":status", status, 0}};
  return query_list(db,
      "d.id AS id, d.status AS status, d.event AS event, d.attempts AS attempts, d.last_error AS last_error,"
      " d.next_at AS next_at, d.sent_at AS sent_at, d.created_at AS created_at, d.idem_key AS idem_key,"
      " w.name AS webhook_name",
      "webhook_delivery d JOIN webhook w ON w.id = d.webhook_id WHERE d.status = :status",
      "d.id DESC", p, 1, NULL, query_row_object, page, page_size);
}

