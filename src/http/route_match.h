/* route_match — matching a request path against a route pattern ("/api/v1/units/:id"), on its own
 * so that the fuzz harness (tests/fuzz/fuzz_route_match.c) can drive it without the whole server. */
#ifndef ZHUCUN_ROUTE_MATCH_H
#define ZHUCUN_ROUTE_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#define ROUTE_PARAM_SIZE 128 /* a captured segment, NUL included */

/* True when path matches pattern; each ":name" segment of the pattern captures the path's
 * segment into store[i] (at most max of them, each shorter than ROUTE_PARAM_SIZE) and points
 * params[i] at it. An empty or over-long segment, or too many, is no match. */
bool route_match(const char *pattern, const char *path, char store[][ROUTE_PARAM_SIZE], const char *params[],
                 int max);

#endif
