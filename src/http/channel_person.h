/* channel_person — the fields of the channels that reach one person (issue 13, part 1), as the system
 * administrator gives them on POST/PATCH /api/v1/notification-channels:
 *   sms:       webhook (the gateway's URL), secret (the auth header's value, sealed), template (a JSON body
 *              with {phone} and {text}), auth_header (the header's name, "Authorization" by default);
 *   wecom_app: webhook (the API base, https://qyapi.weixin.qq.com by default), corpid, agentid, secret
 *              (the application's corpsecret, sealed).
 * The settings that are not secret are kept as the channel's config (JSON); the secret never leaves
 * store/outbox except to the sender. */
#ifndef ZHUCUN_CHANNEL_PERSON_H
#define ZHUCUN_CHANNEL_PERSON_H

#include <jansson.h>
#include <stdbool.h>

struct reply;

/* Whether kind is one of the person channels ("sms", "wecom_app"). */
bool channel_person_kind(const char *kind);
/* Checks the kind's fields of body and builds the config (merged over current, the stored config, on an
 * update; NULL on a create). *config: malloc'd JSON text, or NULL when no config field was given on an
 * update. 0, or -1 with the 400 in rep. */
int channel_person_config(struct reply *rep, const json_t *body, const char *kind, const json_t *current, char **config);
/* The webhook (address) and secret rules of the kind: 0, or -1 with the 400 in rep. */
int channel_person_check(struct reply *rep, const char *kind, bool creating, const char *webhook, const char *secret);

#endif
