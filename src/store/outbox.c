/* outbox — see outbox.h. */
#include "store/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/delivery_sealed.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/vault.h"

/* ---- settings ---- */

int outbox_settings_get(struct db *db, struct notify_settings *out)
{
  struct query *q = query_open(db,
      "SELECT max_attempts AS max_attempts, backoff_seconds AS backoff_seconds,"
      " backoff_max_seconds AS backoff_max_seconds, timeout_seconds AS timeout_seconds, quiet_start AS quiet_start,"
      " quiet_end AS quiet_end, digest_time AS digest_time, user_limit AS user_limit,"
      " user_window_seconds AS user_window_seconds, channel_limit AS channel_limit,"
      " channel_window_seconds AS channel_window_seconds FROM notification_settings WHERE id = 1");
  bool found = query_next(q);
  if (found) {
    out->max_attempts = (int)query_get_int(q, "max_attempts");
    out->backoff_seconds = (int)query_get_int(q, "backoff_seconds");
    out->backoff_max_seconds = (int)query_get_int(q, "backoff_max_seconds");
    out->timeout_seconds = (int)query_get_int(q, "timeout_seconds");
    snprintf(out->quiet_start, sizeof out->quiet_start, "%s", query_get_text(q, "quiet_start"));
    snprintf(out->quiet_end, sizeof out->quiet_end, "%s", query_get_text(q, "quiet_end"));
    snprintf(out->digest_time, sizeof out->digest_time, "%s", query_get_text(q, "digest_time"));
    out->user_limit = (int)query_get_int(q, "user_limit");
    out->user_window_seconds = (int)query_get_int(q, "user_window_seconds");
    out->channel_limit = (int)query_get_int(q, "channel_limit");
    out->channel_window_seconds = (int)query_get_int(q, "channel_window_seconds");
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int outbox_settings_put(struct db *db, const struct notify_settings *s)
{
  struct query *q = query_open(db,
      "UPDATE notification_settings SET max_attempts = :max_attempts, backoff_seconds = :backoff_seconds,"
      " backoff_max_seconds = :backoff_max_seconds, timeout_seconds = :timeout_seconds, quiet_start = :quiet_start,"
      " quiet_end = :quiet_end, digest_time = :digest_time, user_limit = :user_limit,"
      " user_window_seconds = :user_window_seconds, channel_limit = :channel_limit,"
      " channel_window_seconds = :channel_window_seconds WHERE id = 1");
  query_bind_int(q, ":max_attempts", s->max_attempts);
  query_bind_int(q, ":backoff_seconds", s->backoff_seconds);
  query_bind_int(q, ":backoff_max_seconds", s->backoff_max_seconds);
  query_bind_int(q, ":timeout_seconds", s->timeout_seconds);
  query_bind_text(q, ":quiet_start", s->quiet_start);
  query_bind_text(q, ":quiet_end", s->quiet_end);
  query_bind_text(q, ":digest_time", s->digest_time);
  query_bind_int(q, ":user_limit", s->user_limit);
  query_bind_int(q, ":user_window_seconds", s->user_window_seconds);
  query_bind_int(q, ":channel_limit", s->channel_limit);
  query_bind_int(q, ":channel_window_seconds", s->channel_window_seconds);
  return query_exec_guarded(q);
}

json_t *outbox_settings_json(const struct notify_settings *s)
{
  return json_pack("{s:i, s:i, s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "max_attempts", s->max_attempts,
                   "backoff_seconds", s->backoff_seconds, "backoff_max_seconds", s->backoff_max_seconds,
                   "timeout_seconds", s->timeout_seconds, "quiet_start", s->quiet_start, "quiet_end", s->quiet_end,
                   "digest_time", s->digest_time, "user_limit", s->user_limit, "user_window_seconds",
                   s->user_window_seconds, "channel_limit", s->channel_limit, "channel_window_seconds",
                   s->channel_window_seconds);
}

/* ---- channels ---- */

void outbox_webhook_hint(const char *webhook, char *out, size_t len)
{
  const char *host = strstr(webhook, "://");
  host = host ? host + 3 : webhook;
  size_t host_len = strcspn(host, "/?");
  size_t n = strlen(webhook);
  snprintf(out, len, "%.*s …%s", (int)(host_len > 60 ? 60 : host_len), host, n > 4 ? webhook + n - 4 : "");
}

int outbox_channel_create(struct db *db, const struct vault *v, const struct channel_input *in, int64_t now, int64_t *id)
{
  struct query *q = query_open(db,
      "INSERT INTO notification_channel (kind, name, region_code, webhook_sealed, secret_sealed, webhook_hint,"
      " enabled, created_at, updated_at, config)"
      " VALUES (:kind, :name, :region, :webhook, :secret, :hint, :enabled, :now, :now, coalesce(:config, '{}')) RETURNING id");
  char hint[96];
  outbox_webhook_hint(in->webhook, hint, sizeof hint);
  query_bind_text(q, ":kind", in->kind);
  query_bind_text(q, ":name", in->name);
  query_bind_text(q, ":region", in->region_code);
  if (delivery_bind_sealed(q, ":webhook", v, in->webhook) != 0 || delivery_bind_sealed(q, ":secret", v, in->secret) != 0) {
    query_close(q);
    return DB_ERROR;
  }
  query_bind_text(q, ":hint", hint);
  query_bind_int(q, ":enabled", in->enabled != 0);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":config", in->config);
  return query_insert_id(q, id);
}

int outbox_channel_update(struct db *db, const struct vault *v, int64_t id, const struct channel_input *in, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE notification_channel SET name = coalesce(:name, name),"
      " enabled = CASE WHEN :enabled < 0 THEN enabled ELSE :enabled END,"
      " webhook_sealed = CASE WHEN :set_webhook THEN :webhook ELSE webhook_sealed END,"
      " webhook_hint = CASE WHEN :set_webhook THEN :hint ELSE webhook_hint END,"
      " secret_sealed = CASE WHEN :set_secret THEN :secret ELSE secret_sealed END, updated_at = :now,"
      " config = coalesce(:config, config) WHERE id = :id");
  char hint[96] = "";
  if (in->webhook) outbox_webhook_hint(in->webhook, hint, sizeof hint);
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":name", in->name);
  query_bind_int(q, ":enabled", in->enabled);
  query_bind_int(q, ":set_webhook", in->webhook != NULL);
  query_bind_int(q, ":set_secret", in->secret != NULL);
  if (delivery_bind_sealed(q, ":webhook", v, in->webhook) != 0 || delivery_bind_sealed(q, ":secret", v, in->secret) != 0) {
    query_close(q);
    return DB_ERROR;
  }
  query_bind_text(q, ":hint", hint);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":config", in->config);
  int rc = query_exec_guarded(q);
  return rc == DB_CONFLICT ? DB_NOT_FOUND : rc;
}

#define CHANNEL_COLUMNS \
  "SELECT c.id AS id, c.kind AS kind, c.name AS name, c.region_code AS region_code, r.name AS region_name," \
  " c.webhook_hint AS webhook_hint, c.secret_sealed IS NOT NULL AS has_secret, c.enabled AS enabled," \
  " (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id AND o.status = 'pending') AS pending," \
  " (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id AND o.status = 'dead') AS dead," \
  " (SELECT count(*) FROM outbox o WHERE o.channel_id = c.id AND o.status = 'sent') AS sent, c.config AS config" \
  " FROM notification_channel c LEFT JOIN region r ON r.code = c.region_code"

/* A channel row as the API answers it: flags as booleans, the settings that are not secret as an object. */
static void channel_fix(json_t *row)
{
  json_object_set_new(row, "has_secret", json_boolean(json_integer_value(json_object_get(row, "has_secret"))));
  json_object_set_new(row, "enabled", json_boolean(json_integer_value(json_object_get(row, "enabled"))));
  json_t *config = json_loads(json_string_value(json_object_get(row, "config")) ?: "{}", 0, NULL);
  json_object_set_new(row, "config", config ? config : json_object());
}

json_t *outbox_channels_json(struct db *db)
{
  return query_rows_json(query_open(db, CHANNEL_COLUMNS " ORDER BY c.id"), channel_fix);
}

json_t *outbox_channel_json(struct db *db, int64_t id)
{
  struct query *q = query_open(db, CHANNEL_COLUMNS " WHERE c.id = :id");
  query_bind_int(q, ":id", id);
  return query_one_json(q, channel_fix);
}

int64_t outbox_backoff(const struct notify_settings *s, int attempts)
{
  int64_t d = s->backoff_seconds > 0 ? s->backoff_seconds : 1;
  for (int i = 1; i < attempts && d < s->backoff_max_seconds; i++) d *= 2;
  return d < s->backoff_max_seconds ? d : s->backoff_max_seconds;
}

/* ---- delivery ---- */

static char *dup_col(struct query *q, const char *alias) { return strdup(query_get_text(q, alias)); }

/* A person's message: its recipient's phone (opened) and WeCom userid, the channel's config. */
static void person_columns(const struct vault *v, struct query *q, struct outbox_item *it)
{
  it->user_id = query_get_int(q, "user_id");
  if (!it->user_id) return;
  it->config = dup_col(q, "config");
  it->phone = delivery_open_sealed(v, q, "phone_cipher");
  if (!query_is_null(q, "wecom_userid")) it->wecom_userid = dup_col(q, "wecom_userid");
}

int outbox_due(struct db *db, const struct vault *v, int64_t now, struct outbox_item *items, int max, int *n)
{
  struct query *q = query_open(db,
      "SELECT o.id AS id, o.event_id AS event_id, o.channel_id AS channel_id, o.attempts AS attempts, c.kind AS kind,"
      " o.idem_key AS idem_key, c.webhook_sealed AS webhook_sealed, c.secret_sealed AS secret_sealed,"
      " e.title AS title, e.body AS body, coalesce(o.user_id, 0) AS user_id, c.config AS config,"
      " cd.phone_cipher AS phone_cipher, u.wecom_userid AS wecom_userid"
      " FROM outbox o JOIN notification_channel c ON c.id = o.channel_id"
      " JOIN notification_event e ON e.id = o.event_id LEFT JOIN \"user\" u ON u.id = o.user_id"
      " LEFT JOIN cadre cd ON cd.id = u.cadre_id"
      " WHERE o.status = 'pending' AND o.next_at <= :now ORDER BY o.next_at, o.id LIMIT :max");
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":max", max);
  *n = 0;
  while (*n < max && query_next(q)) {
    struct outbox_item *it = &items[*n];
    memset(it, 0, sizeof *it);
    it->id = query_get_int(q, "id");
    it->event_id = query_get_int(q, "event_id");
    it->channel_id = query_get_int(q, "channel_id");
    it->attempts = (int)query_get_int(q, "attempts");
    snprintf(it->kind, sizeof it->kind, "%s", query_get_text(q, "kind"));
    snprintf(it->idem_key, sizeof it->idem_key, "%s", query_get_text(q, "idem_key"));
    it->webhook = delivery_open_sealed(v, q, "webhook_sealed");
    it->secret = delivery_open_sealed(v, q, "secret_sealed");
    it->title = dup_col(q, "title");
    it->body = dup_col(q, "body");
    person_columns(v, q, it);
    (*n)++;
  }
  return query_close(q);
}

void outbox_item_clear(struct outbox_item *it)
{
  delivery_wipe(&it->webhook);
  delivery_wipe(&it->secret);
  delivery_wipe(&it->phone);
  free(it->config);
  free(it->wecom_userid);
  it->config = it->wecom_userid = NULL;
  free(it->title);
  free(it->body);
  it->title = it->body = NULL;
}

int outbox_next_due(struct db *db, int64_t *at)
{
  struct query *q = query_open(db, "SELECT coalesce(min(next_at), 0) AS at FROM outbox WHERE status = 'pending'");
  if (query_next(q)) *at = query_get_int(q, "at");
  return query_close(q);
}

json_t *outbox_list_json(struct db *db, const char *status, int page, int page_size)
{
  struct sql_param p[] = {{":status", status, 0}};
  return query_list(db,
      "o.id AS id, o.status AS status, o.attempts AS attempts, o.last_error AS last_error, o.next_at AS next_at,"
      " o.sent_at AS sent_at, o.created_at AS created_at, o.idem_key AS idem_key, c.name AS channel_name,"
      " c.kind AS channel_kind, e.title AS title, e.body AS body",
      "outbox o JOIN notification_channel c ON c.id = o.channel_id JOIN notification_event e ON e.id = o.event_id"
      " WHERE o.status = :status",
      "o.id DESC", p, 1, NULL, query_row_object, page, page_size);
}

