/* libFuzzer harness for the router's path matching (src/http/route_match.c). The first byte picks
 * one of the patterns the router really has; the rest is the request path. Beyond the sanitizers:
 * a match captures exactly the pattern's parameters, each non-empty, slash-free and NUL-terminated
 * within its slot, and a path that matches rebuilds from the pattern and its captures. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/route_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
  if (!ok) abort();
}

static const char *const PATTERNS[] = {
  "/api/v1/health", "/api/v1/units/:id", "/api/v1/cadres/:id/appraisals/:year",
  "/api/v1/households/:id/members/:mid/id-number", "/api/v1/plans/:id/items/:item/progress",
  "/api/v1/ics/:token", "/api/v1/regions/:code/rename", "/api/v1/:a/:b/:c/:d",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0 || size > 4096) return 0;
  const char *pattern = PATTERNS[data[0] % (sizeof PATTERNS / sizeof PATTERNS[0])];
  char *path = malloc(size);
  if (!path) return 0;
  memcpy(path, data + 1, size - 1);
  path[size - 1] = '\0';
  char store[3][ROUTE_PARAM_SIZE];
  const char *params[3] = {NULL, NULL, NULL};
  if (route_match(pattern, path, store, params, 3)) {
    /* rebuild the path from the pattern: it must give back exactly what matched */
    char rebuilt[8192] = "";
    size_t len = 0;
    int n = 0;
    for (const char *p = pattern; *p;) {
      if (*p == ':') {
        while (*p && *p != '/') p++;
        check(n < 3 && params[n] == store[n]);
        size_t l = strlen(store[n]);
        check(l > 0 && l < ROUTE_PARAM_SIZE && !strchr(store[n], '/'));
        memcpy(rebuilt + len, store[n], l);
        len += l;
        n++;
      } else {
        rebuilt[len++] = *p++;
      }
      check(len < sizeof rebuilt);
    }
    rebuilt[len] = '\0';
    check(strcmp(rebuilt, path) == 0);
  }
  free(path);
  return 0;
}
