/* notifications — 消息: the events that notify and each user's in-app inbox (issue 13).
 *
 * An event is written by the same transaction as the change that causes it (a leave asked for,
 * a leave_decided): the caller has begun the transaction and commits it, so a change without its
 * message, or a message without its change, cannot be. One event row carries the words (Chinese,
 * no ID number, phone or health detail); one notification row per recipient is the in-app message;
 * one outbox row per enabled robot channel covering the event's region is handed to the sender
 * (store/outbox.h). Recipients are found by role and scope at the moment of the event. */
#ifndef ZHUCUN_NOTIFICATIONS_H
#define ZHUCUN_NOTIFICATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* A leave just asked for: its approvers (the township's secretary and deputy for a township-level
 * leave, the county's organization department and RRB for a county-level one). type_name: 事假… */
int notifications_leave_pending(struct db *db, int64_t leave_id, const char *type_name, int64_t now);
/* A leave just decided: the cadre who asked. */
int notifications_leave_decided(struct db *db, int64_t leave_id, const char *type_name, int64_t now);

/* A nomination waiting (1.5): the organization department and RRB of its approval region. post: first_secretary… */
int notifications_nomination_pending(struct db *db, int64_t assignment_id, const char *post, int64_t now);
/* A nomination_decided by both departments (approved) or refused by one: the nominating unit's accounts. Nothing
 * while it still waits for the other department. */
int notifications_nomination_decided(struct db *db, int64_t assignment_id, int64_t now);
/* A violation recorded (2.5: fed back to the dispatching unit): the unit's accounts. The description stays out
 * (it may carry health or family details). kind_name: the policy's name of the kind. */
int notifications_violation(struct db *db, int64_t violation_id, const char *kind_name, int64_t now);

/* The user's messages, newest first: {"items","total","page","page_size","unread"}; NULL on error.
 * unread_only: just the unread ones. */
json_t *notifications_list_json(struct db *db, int64_t user_id, int unread_only, int page, int page_size);
int notifications_unread(struct db *db, int64_t user_id, int64_t *count);
/* Marks one of the user's messages read: DB_NOT_FOUND when it is not theirs. */
int notifications_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t now);
/* Marks every unread message of the user read; *changed how many. */
int notifications_mark_all_read(struct db *db, int64_t user_id, int64_t now, int64_t *changed);

/* The kinds of message: {"kind","name"} in order; NULL name ends the list. */
struct notification_kind { const char *kind, *name; };
const struct notification_kind *notifications_kinds(void);
/* The account's choice per kind: [{"kind","name","robots","sms","wecom_app","digest"}] (each channel true unless turned
 * off; digest true when the robots' messages of the kind come once a day, 每日汇总). */
json_t *notifications_prefs_json(struct db *db, int64_t user_id);
/* Sets one kind's choice; the kind must be one of notifications_kinds() (DB_NOT_FOUND otherwise). */
int notifications_pref_set(struct db *db, int64_t user_id, const char *kind, bool robots);
/* The same for one channel: "robots", "sms" (短信) or "wecom_app" (企业微信应用消息); DB_NOT_FOUND otherwise. */
int notifications_pref_set_channel(struct db *db, int64_t user_id, const char *kind, const char *channel, bool on);
/* 每日汇总 for one kind (a kind checked by the caller): its robot messages gathered once a day (notify_digest.h). */
int notifications_pref_set_digest(struct db *db, int64_t user_id, const char *kind, bool digest);

/* ---- for the modules that add events (store/notify_events.c) ---- */

/* One event's words and where it happened (the region decides which robot channels carry it). */
struct notification_new { const char *kind, *title, *body, *link, *region, *entity, *entity_id; };
/* Writes the event, one in-app message per active account whose id the SELECT recipients gives (its
 * parameters :p1, :p2… bound as text from params, each of which it must name) and the robots' outbox
 * rows; *event_id its id (may be NULL). The caller holds the transaction. */
int notifications_post(struct db *db, const struct notification_new *e, const char *recipients,
                       const char *const *params, int nparams, int64_t now, int64_t *event_id);
/* ",code,code," of the roles holding perm (see notifications.c's role_codes). */
void notifications_role_codes(uint64_t perm, const char *level, int department, int unit_scope, char *out, size_t len);

#endif
