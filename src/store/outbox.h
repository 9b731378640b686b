/* outbox — the robot channels (通知渠道), the delivery parameters and the outbox rows the sender
 * thread works through (issue 13). Webhooks and signing secrets are sealed with the key file
 * (store/vault) and leave this module only to the sender; the API sees a hint (host and the last
 * four characters) and whether a secret is set. */
#ifndef ZHUCUN_OUTBOX_H
#define ZHUCUN_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct vault;

struct notify_settings {
  int max_attempts, backoff_seconds, backoff_max_seconds, timeout_seconds;
  char quiet_start[6], quiet_end[6]; /* "22:00", "07:00"; both "" for none */
  char digest_time[6];                /* 每日汇总: "08:00" (China Standard Time) */
  int user_limit, user_window_seconds;       /* at most user_limit robot messages per account per window; 0 none */
  int channel_limit, channel_window_seconds; /* at most channel_limit messages per channel per window; 0 none */
};
int outbox_settings_get(struct db *db, struct notify_settings *out);
int outbox_settings_put(struct db *db, const struct notify_settings *s);
json_t *outbox_settings_json(const struct notify_settings *s);
/* The delay before the next attempt after `attempts` failed ones (1, 2, …): backoff_seconds ×
 * 2^(attempts-1), at most backoff_max_seconds — the same for robots, persons and webhooks. */
int64_t outbox_backoff(const struct notify_settings *s, int attempts);

struct channel_input {
  const char *kind, *name, *region_code; /* region NULL: every event */
  const char *webhook, *secret;          /* NULL on an update: unchanged; secret "" on an update: removed */
  const char *config;                    /* sms, wecom_app: the JSON of the settings that are not secret; NULL unchanged */
  int enabled;                           /* -1 on an update: unchanged */
};
int outbox_channel_create(struct db *db, const struct vault *v, const struct channel_input *in, int64_t now, int64_t *id);
/* DB_NOT_FOUND when there is no such channel. */
int outbox_channel_update(struct db *db, const struct vault *v, int64_t id, const struct channel_input *in, int64_t now);
/* [{id, kind, name, region_code, region_name, webhook_hint, has_secret, enabled, pending, dead, sent, config}] */
json_t *outbox_channels_json(struct db *db);
json_t *outbox_channel_json(struct db *db, int64_t id);

/* One message due for delivery, with its channel opened (the caller frees it with outbox_item_clear). */
struct outbox_item {
  int64_t id, event_id, channel_id;
  int attempts;
  char kind[16], idem_key[80];
  char *webhook, *secret, *title, *body; /* malloc'd; webhook and secret zeroed on clear */
  /* a person's message (sms, wecom_app): its recipient, the channel's config, the phone opened here
   * (zeroed on clear) and the WeCom userid; NULL for a group robot's */
  int64_t user_id;
  char *config, *phone, *wecom_userid;
};
/* Up to max rows due at now (status pending, next_at <= now), oldest first; *n how many. */
int outbox_due(struct db *db, const struct vault *v, int64_t now, struct outbox_item *items, int max, int *n);
void outbox_item_clear(struct outbox_item *it);
/* The earliest next_at of a pending row (0 none): how long the sender may sleep. */
int outbox_next_due(struct db *db, int64_t *at);

/* The outbox rows of a status ("dead", "pending", "sent"), newest first, as a page. */
json_t *outbox_list_json(struct db *db, const char *status, int page, int page_size);

/* "oapi.dingtalk.com …a1b2": the host and the last four characters of a webhook. */
void outbox_webhook_hint(const char *webhook, char *out, size_t len);

#endif
