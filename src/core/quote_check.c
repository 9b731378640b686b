/* quote_check — see the header. Works on UTF-8 bytes: every character it looks for (whitespace,
 * quotation marks, the elision, 通知：) starts with an ASCII or a lead byte, which never occurs
 * inside another character, so a byte-wise scan cannot match half a character. */
#include "core/quote_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTICE_WORD "\xE9\x80\x9A\xE7\x9F\xA5" /* 通知 */
#define FULL_COLON "\xEF\xBC\x9A"               /* ： */
#define ELLIPSIS "\xE2\x80\xA6"                 /* … */

/* Whitespace as Python's \s sees it (and the byte-order mark), by UTF-8 sequence. */
static const char *const SPACES[] = {
    "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
    "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
    "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F",
    "\xE3\x80\x80", "\xEF\xBB\xBF"};
/* Quotation marks: “ ” " ‘ ’ 「 」 */
static const char *const MARKS[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\"", "\xE2\x80\x98",
                                    "\xE2\x80\x99", "\xE3\x80\x8C", "\xE3\x80\x8D"};

/* Length of the sequence of set at s (n bytes left), or 0. */
static size_t match_any(const char *s, size_t n, const char *const *set, size_t count)
{
  for (size_t i = 0; i < count; i++) {
    size_t k = strlen(set[i]);
    if (k <= n && memcmp(s, set[i], k) == 0) return k;
  }
  return 0;
}

static size_t space_len(const char *s, size_t n)
{
  unsigned char c = (unsigned char)s[0];
  if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F)) return 1;
  return match_any(s, n, SPACES, sizeof SPACES / sizeof SPACES[0]);
}

static size_t mark_len(const char *s, size_t n)
{
  return match_any(s, n, MARKS, sizeof MARKS / sizeof MARKS[0]);
}

char *quote_normalise(const char *text, size_t len)
{
  char *out = malloc(len + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t k = space_len(text + i, len - i);
    if (!k) k = mark_len(text + i, len - i);
    if (k) {
      i += k;
      continue;
    }
    out[o++] = text[i++];
  }
  out[o] = '\0';
  return out;
}

/* Length of the elision at s ("…" repeated, or three dots or more), or 0. */
static size_t elision_len(const char *s, size_t n)
{
  size_t k = 0;
  while (k + 3 <= n && memcmp(s + k, ELLIPSIS, 3) == 0) k += 3;
  if (k) return k;
  while (k < n && s[k] == '.') k++;
  return k >= 3 ? k : 0;
}

/* Checks one fragment; false (with missing set) when it is not in the notice. */
static bool fragment_in_notice(const char *notice_norm, const char *frag, size_t len, bool *empty,
                               char *missing, size_t missinglen)
{
  char *norm = quote_normalise(frag, len);
  if (!norm) {
    snprintf(missing, missinglen, "(out of memory)");
    return false;
  }
  *empty = norm[0] == '\0';
  bool ok = *empty || strstr(notice_norm, norm) != NULL;
  if (!ok) snprintf(missing, missinglen, "%s", norm);
  free(norm);
  return ok;
}

bool quote_in_notice(const char *notice_norm, const char *quote, size_t len, char *missing,
                     size_t missinglen)
{
  size_t start = 0, nonempty = 0;
  for (size_t i = 0; i <= len;) {
    size_t k = i < len ? elision_len(quote + i, len - i) : 1;
    if (!k) {
      i++;
      continue;
    }
    bool empty = true;
    if (!fragment_in_notice(notice_norm, quote + start, i - start, &empty, missing, missinglen))
      return false;
    nonempty += !empty;
    i += k;
    start = i;
  }
  if (nonempty == 0) snprintf(missing, missinglen, "(an empty quote)");
  return nonempty > 0;
}

/* The closing mark of the quote opened at s, and the opener's length; NULL when s opens none. */
static const char *closer_of(const char *s, size_t *open_len)
{
  static const char *const PAIRS[][2] = {
      {"\xE3\x80\x8C", "\xE3\x80\x8D"}, /* 「 」 */
      {"\xE2\x80\x9C", "\xE2\x80\x9D"}, /* “ ” */
      {"\"", "\""},
  };
  for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
    size_t k = strlen(PAIRS[i][0]);
    if (strncmp(s, PAIRS[i][0], k) == 0) {
      *open_len = k;
      return PAIRS[i][1];
    }
  }
  return NULL;
}

/* After 通知 at s: the colon, optional whitespace, and the opening mark; NULL if not a quote. */
static const char *quote_opening(const char *s, const char **closer)
{
  if (strncmp(s, FULL_COLON, 3) == 0) s += 3;
  else if (*s == ':') s++;
  else return NULL;
  size_t k;
  while ((k = space_len(s, strlen(s))) > 0) s += k;
  size_t open_len = 0;
  *closer = closer_of(s, &open_len);
  return *closer ? s + open_len : NULL;
}

/* The length of the first max bytes of s that does not cut a UTF-8 character. */
static int utf8_prefix(const char *s, size_t len, size_t max)
{
  if (len <= max) return (int)len;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return (int)max;
}

int quote_check_text(const char *notice_norm, const char *text, char *why, size_t whylen)
{
  int count = 0;
  for (const char *p = strstr(text, NOTICE_WORD); p; p = strstr(p, NOTICE_WORD)) {
    p += strlen(NOTICE_WORD);
    const char *closer = NULL;
    const char *q = quote_opening(p, &closer);
    if (!q) continue;
    const char *end = strstr(q, closer);
    if (!end) {
      snprintf(why, whylen, "a quote of the notice is not closed: 「%.*s」", utf8_prefix(q, strlen(q), 90), q);
      return -1;
    }
    char missing[256];
    size_t len = (size_t)(end - q);
    if (!quote_in_notice(notice_norm, q, len, missing, sizeof missing)) {
      snprintf(why, whylen, "the quote 「%.*s」 is not the notice's words (not in notice.zh.txt: 「%.*s」)",
               utf8_prefix(q, len, 120), q, utf8_prefix(missing, strlen(missing), 60), missing);
      return -1;
    }
    count++;
    p = end;
  }
  return count;
}

/* Checks every string under v (objects and arrays walked); adds the quotes found to *count. */
static bool check_strings(const char *notice_norm, const json_t *v, int *count, char *why, size_t whylen)
{
  if (json_is_string(v)) {
    int n = quote_check_text(notice_norm, json_string_value(v), why, whylen);
    if (n < 0) return false;
    *count += n;
    return true;
  }
  size_t i;
  const char *key;
  json_t *e;
  if (json_is_array(v)) {
    json_array_foreach(v, i, e) if (!check_strings(notice_norm, e, count, why, whylen)) return false;
  } else if (json_is_object(v)) {
    json_object_foreach((json_t *)v, key, e) {
      if (!check_strings(notice_norm, e, count, why, whylen)) return false;
    }
  }
  return true;
}

/* The document's own fields (title, source, about_zh, ...), then each parameter. */
static int check_document(const char *notice_norm, const json_t *root, char *err, size_t errlen)
{
  char why[512];
  int count = 0;
  const char *key;
  json_t *e;
  json_object_foreach((json_t *)root, key, e) {
    if (strcmp(key, "parameters") == 0) continue;
    if (!check_strings(notice_norm, e, &count, why, sizeof why)) {
      snprintf(err, errlen, "\"%s\": %s", key, why);
      return -1;
    }
  }
  size_t i;
  json_array_foreach(json_object_get(root, "parameters"), i, e) {
    if (!check_strings(notice_norm, e, &count, why, sizeof why)) {
      const char *id = json_string_value(json_object_get(e, "id"));
      snprintf(err, errlen, "parameters[%zu] (%s): %s", i, id ? id : "?", why);
      return -1;
    }
  }
  return count;
}

int quote_check_policy(const json_t *root, const char *notice_text, char *err, size_t errlen)
{
  if (!json_is_object(root) || !notice_text) {
    snprintf(err, errlen, "no policy or no notice text to check its quotes against");
    return -1;
  }
  char *notice_norm = quote_normalise(notice_text, strlen(notice_text));
  if (!notice_norm) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  int n = -1;
  if (strlen(notice_norm) < 100)
    snprintf(err, errlen, "notice.zh.txt is empty or too short to be the notice");
  else
    n = check_document(notice_norm, root, err, errlen);
  free(notice_norm);
  return n;
}
