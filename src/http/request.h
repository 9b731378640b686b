/* request — what a handler gets (the parsed request, the caller, their scope, the database)
 * and what it fills in (the reply). Handlers never talk to libmicrohttpd directly. */
#ifndef ZHUCUN_REQUEST_H
#define ZHUCUN_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/roles.h"
#include "http/route_match.h"
#include "store/scope.h"
#include "store/users.h"
#include "util/strbuf.h"

struct app;
struct db;
struct MHD_Connection;

#define REQUEST_MAX_PARAMS 3

struct request {
  struct MHD_Connection *conn;
  const char *method;
  const char *url;
  char ip[64];                /* the client: the peer, or what a trusted proxy forwarded (core/trusted_proxy) */
  char peer_ip[64];           /* the connection's own peer address */
  bool https;                 /* the browser spoke HTTPS: to zhucun's TLS, or to a trusted proxy that says so */
  struct strbuf body;
  bool body_too_big;
  const char *params[REQUEST_MAX_PARAMS]; /* path parameters, in pattern order */
  char param_store[REQUEST_MAX_PARAMS][ROUTE_PARAM_SIZE];
  bool has_user;
  struct auth_user user;
  struct scope scope;
  int64_t api_token_id;       /* > 0: the caller is an API token (http/token_auth), not a session */
  struct role token_role;     /* that token's role: its region level and read permissions only */
  struct db *db;
  int64_t db_failures;        /* the connection's db_failures() when the handler began (http/not_found) */
  const struct app *app;
  double started_ms;
  int64_t now;                /* the instant the request arrived (core/clock), the same for all of it */
  int today;                  /* its date in China Standard Time, yyyymmdd */
};

struct reply {
  int status;
  json_t *json;              /* owned: the body, if JSON */
  char *raw;                 /* owned: the body, if not JSON */
  size_t raw_len;
  bool has_file;             /* the body is a file (an export): file_fd, owned, file_len bytes from its start */
  int file_fd;
  size_t file_len;
  const char *content_type;  /* static string, for raw and file bodies */
  char *set_cookie;          /* owned */
  char *disposition;         /* owned: Content-Disposition for downloads */
  int retry_after;           /* seconds, > 0: a Retry-After header (429 rate_limited) */
  const char *etag;          /* static string: an ETag, and the answer may be kept and revalidated */
  const char *method;        /* static strings: the matched route's method and pattern, named in the log (router) */
  const char *route;
};

/* The value of a query-string argument, or NULL. */
const char *request_query(const struct request *req, const char *name);
/* The value of a request header, or NULL. */
const char *request_header(const struct request *req, const char *name);
/* The value of a cookie, or NULL. */
const char *request_cookie(const struct request *req, const char *name);

/* The one rule for a missing body: a success status (2xx) with a NULL body — a store read that failed,
 * or a json_pack given a NULL — is logged (route, status asked) and answered 500 with the house error
 * body, never an empty success. A handler whose NULL means "not found" says so itself (404) first. */
void reply_json(struct reply *rep, int status, json_t *body /* stolen */);
void reply_no_content(struct reply *rep);
/* {"error":{"code","message","field"}}; always returns -1 so handlers can `return reply_error(...)`. */
int reply_error(struct reply *rep, int status, const char *code, const char *message_zh, const char *field);
int reply_internal(struct reply *rep);
/* A finished export as the body, sent from the file (http/server) and never read into memory:
 * fd (owned from here on) holds len bytes. */
void reply_file(struct reply *rep, int fd, size_t len, const char *content_type);
void reply_free(struct reply *rep);

#endif
