/* route_match — one pass over pattern and path together; captures are copied, never pointed
 * into the URL, so a handler may keep them as long as the request lives. */
#include "http/route_match.h"

#include <string.h>

bool route_match(const char *pattern, const char *path, char store[][ROUTE_PARAM_SIZE], const char *params[],
                 int max)
{
  int n = 0;
  while (*pattern && *path) {
    if (*pattern == ':') {
      while (*pattern && *pattern != '/') pattern++;
      size_t len = strcspn(path, "/");
      if (len == 0 || len >= ROUTE_PARAM_SIZE || n >= max) return false;
      memcpy(store[n], path, len);
      store[n][len] = '\0';
      params[n] = store[n];
      n++;
      path += len;
      continue;
    }
    if (*pattern++ != *path++) return false;
  }
  return *pattern == '\0' && *path == '\0';
}
