/* router — the table of API endpoints: method, path pattern, handler, the permission it
 * needs, and whether it may be called without a session or before a forced password change.
 * router_dispatch() is the one gate every API request passes. */
#ifndef ZHUCUN_ROUTER_H
#define ZHUCUN_ROUTER_H

#include "core/roles.h"

struct request;
struct reply;

typedef int (*handler_fn)(struct request *req, struct reply *rep);

enum route_flags {
  ROUTE_PUBLIC = 1 << 0,          /* no session needed */
  ROUTE_DURING_PW_CHANGE = 1 << 1,/* allowed while the user must change the password */
  ROUTE_NO_CSRF = 1 << 2,         /* the login itself: no session yet, so no token */
  ROUTE_DURING_ENROL = 1 << 3,    /* allowed while the user must enrol the second factor (两步验证) */
};

struct route {
  const char *method;
  const char *pattern;            /* "/api/v1/units/:id" */
  handler_fn handler;
  perm_t perm;                    /* PERM_ bits; 0 = any logged-in user */
  unsigned flags;
};

void router_dispatch(struct request *req, struct reply *rep);

#endif
