/* webhooks — 数据推送 (issue 13 part 2): the receivers the system administrator registers (URL and signing
 * secret sealed with the key file, store/vault; the API sees the URL's host and last four characters only),
 * and the deliveries the sender thread works through, with the same retries, back-off and dead letters
 * as the robot channels' outbox (store/outbox): both recorded and re-queued by store/delivery.
 *
 * An event is enqueued by the transaction that makes the change (the caller has begun it and commits it):
 * one webhook_delivery row per enabled receiver that takes the event and whose region covers it, holding
 * the body exactly as it will be sent, {id, event, occurred_at, region_code, data}. The data never carries
 * an ID number, a phone or a health detail: the notification events' words (written without them) and,
 * for the data changes, codes, names of places and states. */
#ifndef ZHUCUN_WEBHOOKS_H
#define ZHUCUN_WEBHOOKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct vault;

/* The data changes a receiver may take besides the notification kinds (store/notifications). */
#define WEBHOOK_HOUSEHOLD_RISK "household_risk_changed"
#define WEBHOOK_CASE_DECIDED "case_decided"
#define WEBHOOK_POST_CHANGED "post_changed"

/* [{event, name}]: the notification kinds, then the data changes. */
json_t *webhooks_events_json(void);
bool webhooks_event_known(const char *event);

struct webhook_input {
  const char *name, *url, *secret, *region_code; /* NULL on an update: unchanged */
  const char *events;                            /* ",a,b,"; NULL on an update: unchanged */
  int enabled;                                   /* -1 on an update: unchanged */
};
/* DB_CONFLICT when the region does not exist. */
int webhooks_create(struct db *db, const struct vault *v, const struct webhook_input *in, int64_t now, int64_t *id);
/* DB_NOT_FOUND when there is no such receiver. */
int webhooks_update(struct db *db, const struct vault *v, int64_t id, const struct webhook_input *in, int64_t now);
/* [{id, name, url_hint, region_code, region_name, events:[…], enabled, pending, dead, sent}] */
json_t *webhooks_list_json(struct db *db);
json_t *webhooks_get_json(struct db *db, int64_t id);

/* Enqueues one event for every receiver that takes it (inside the caller's transaction). data is borrowed. */
int webhooks_enqueue(struct db *db, const char *event, const char *region_code, json_t *data, int64_t now);
/* The notification event just written (store/notifications), for the receivers that take its kind. */
int webhooks_from_notification(struct db *db, int64_t event_id);

/* One delivery due, with its receiver opened (cleared by webhooks_item_clear). */
struct webhook_item {
  int64_t id;
  int attempts;
  char event[40], idem_key[96];
  char *url, *secret, *body; /* malloc'd; url and secret zeroed on clear */
};
int webhooks_due(struct db *db, const struct vault *v, int64_t now, struct webhook_item *items, int max, int *n);
void webhooks_item_clear(struct webhook_item *it);

/* The deliveries of a status, newest first, as a page. */
json_t *webhooks_deliveries_json(struct db *db, const char *status, int page, int page_size);

#endif
