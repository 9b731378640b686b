/* place_name — official committee names to the short names officials use (see place_name.h). */
#include "core/place_name.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The longest suffix first: 社区居民委员会 before 居民委员会. */
static const struct { const char *suffix, *place; } RULES[] = {
  {"社区居民委员会", "社区"}, {"社区居委会", "社区"}, {"居民委员会", "社区"}, {"居委会", "社区"},
  {"村民委员会", "村"},       {"村委会", "村"},
};

static bool ends_with(const char *s, size_t len, const char *suffix)
{
  size_t n = strlen(suffix);
  return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Copies at most len bytes of s, stopping before a UTF-8 character that would not fit whole. */
static int copy_cut(const char *s, size_t len, char *out, size_t outlen)
{
  if (outlen == 0) return -1;
  size_t n = len < outlen - 1 ? len : outlen - 1;
  while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  memcpy(out, s, n);
  out[n] = '\0';
  return n == len ? 0 : -1;
}

int place_village_display_name(const char *official, const char *township, char *out, size_t outlen)
{
  size_t len = strlen(official);
  for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++) {
    if (!ends_with(official, len, RULES[i].suffix)) continue;
    size_t stem = len - strlen(RULES[i].suffix);
    const char *name = official;
    if (stem == 0) { /* 社区居委会: the committee of the township's seat, named by the township */
      if (!township || !*township) break;
      name = township;
      stem = strlen(township);
    }
    bool has_place = ends_with(name, stem, RULES[i].place);
    int n = snprintf(out, outlen, "%.*s%s", (int)stem, name, has_place ? "" : RULES[i].place);
    if (n >= 0 && (size_t)n < outlen) return 0;
    return copy_cut(official, len, out, outlen);
  }
  return copy_cut(official, len, out, outlen);
}
