/* router — the table of API endpoints: method, path pattern, handler, the permission it
 * needs, whether it may be called without a session or before a forced password change, and which
 * stages of the day's settlement (http/day_start) its answer reads. router_dispatch() is the one gate
 * every API request passes. */
#ifndef ZHUCUN_ROUTER_H
#define ZHUCUN_ROUTER_H

#include <stddef.h>

#include "core/roles.h"
#include "http/day_start.h"

struct request;
struct reply;

typedef int (*handler_fn)(struct request *req, struct reply *rep);

enum route_flags {
  ROUTE_PUBLIC = 1 << 0,          /* no session needed */
  ROUTE_DURING_PW_CHANGE = 1 << 1,/* allowed while the user must change the password */
  ROUTE_NO_CSRF = 1 << 2,         /* the login itself: no session yet, so no token */
  ROUTE_DURING_ENROL = 1 << 3,    /* allowed while the user must enrol the second factor (两步验证) */
  ROUTE_STALE_OK = 1 << 4,        /* a report: read from the standby when serve has one (--read-db), its answer
                                     as of the standby's replay, behind the primary by that much (issue 16) */
};
#define ROUTE_SKIPS_SHIFT 8 /* flag bits 8–10: the stages of the day the route does not read (READS) */

/* What of the day's settlement (enum day_stage) a route's answer reads, stated among its flags:
 * READS(DAY_POSTS), READS(DAY_POSTS | DAY_NOTICES), READS_NONE. The flags keep the stages it does not
 * read, so that an entry that states nothing (flags 0, or only the flags above) waits for every stage:
 * the safe default, a route added without thought waits for the whole day rather than answering before
 * the day it reads is there. (A field of its own could not be left out of an entry: -Wextra's
 * missing-field-initializers.) */
#define READS(stages) ((unsigned)(DAY_ALL & ~(unsigned)(stages)) << ROUTE_SKIPS_SHIFT)
#define READS_NONE READS(0)

struct route {
  const char *method;
  const char *pattern;            /* "/api/v1/units/:id" */
  handler_fn handler;
  perm_t perm;                    /* PERM_ bits; 0 = any logged-in user */
  unsigned flags;                 /* enum route_flags | READS(...) */
};

void router_dispatch(struct request *req, struct reply *rep);

/* The stages (a mask of enum day_stage) the request waits for before its route runs: those its entry
 * states, every stage for an entry that states none, and every stage for a path no entry matches (404)
 * or a method the path does not have (405), as before the stages were the table's. */
unsigned route_day_needs(const struct route *route);
unsigned router_day_needs(const char *method, const char *url);
/* The table itself, for the test that reads it whole: its entries, their number at *count. */
const struct route *router_table(size_t *count);

#endif
