/* handlers — one function per endpoint, grouped in one file per resource (h_<resource>.c).
 * The router has already authenticated the caller, checked CSRF, permission and built
 * req->scope; a handler validates its input, calls the store, and audits its writes. */
#ifndef ZHUCUN_HANDLERS_H
#define ZHUCUN_HANDLERS_H

#include <jansson.h>

#include "http/request.h"

/* h_session.c */
int api_health_get(struct request *req, struct reply *rep);
int api_session_login(struct request *req, struct reply *rep);
int api_session_get(struct request *req, struct reply *rep);
int api_session_logout(struct request *req, struct reply *rep);
int api_session_change_password(struct request *req, struct reply *rep);
int api_roles_list(struct request *req, struct reply *rep);

/* h_regions.c */
int api_regions_list(struct request *req, struct reply *rep);
int api_regions_get(struct request *req, struct reply *rep);
int api_regions_patch(struct request *req, struct reply *rep);
int api_regions_rename(struct request *req, struct reply *rep);
int api_regions_move(struct request *req, struct reply *rep);

/* h_units.c */
int api_units_list(struct request *req, struct reply *rep);
int api_units_get(struct request *req, struct reply *rep);
int api_units_create(struct request *req, struct reply *rep);
int api_units_patch(struct request *req, struct reply *rep);

/* h_users.c */
int api_users_list(struct request *req, struct reply *rep);
int api_users_post(struct request *req, struct reply *rep);
int api_users_patch(struct request *req, struct reply *rep);
int api_users_reset_password(struct request *req, struct reply *rep);
int api_users_unlock_post(struct request *req, struct reply *rep);

/* h_cadres.c */
int api_cadres_list(struct request *req, struct reply *rep);
int api_cadres_get(struct request *req, struct reply *rep);

/* h_audit.c */
int api_audit_list(struct request *req, struct reply *rep);
int api_audit_verify_get(struct request *req, struct reply *rep);

/* Shared by handlers (handlers.c). */

/* Appends the audit row of a write made by the request's user; inside the write transaction. */
int handler_audit(struct request *req, const char *action, const char *entity, const char *entity_id,
                  json_t *detail /* borrowed, may be NULL */);
/* Checks a new password against the password rules; writes the 400 reply when it fails. */
int handler_check_new_password(struct request *req, struct reply *rep, const char *username, const char *password,
                               const char *field);
/* Ends a write: commits when rc == 0, otherwise rolls back (the reply already says why). */
int handler_finish_write(struct request *req, struct reply *rep, int rc);
/* Replies with a list, or with its .xlsx export when ?format=xlsx. columns: NULL-terminated
 * pairs {key, 中文标题}. Takes ownership of list. */
int handler_reply_list(struct request *req, struct reply *rep, json_t *list, const char *const columns[][2],
                       const char *filename_zh);

#endif
