/* common_passwords — a sorted array searched by bsearch; see the header. */
#include "core/common_passwords.h"

#include <stdlib.h>
#include <string.h>

#define STEM_MAX 130

struct common_passwords {
  char **words;
  size_t n;
  char *text; /* the copy the words point into */
};

static int cmp_words(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int common_passwords_parse(const char *text, size_t len, struct common_passwords **out)
{
  *out = NULL;
  struct common_passwords *c = calloc(1, sizeof *c);
  if (!c || !(c->text = malloc(len + 1))) { free(c); return -1; }
  memcpy(c->text, text, len);
  c->text[len] = '\0';
  size_t cap = 1;
  for (size_t i = 0; i < len; i++) cap += text[i] == '\n';
  if (!(c->words = calloc(cap, sizeof *c->words))) { common_passwords_free(c); return -1; }
  for (char *line = strtok(c->text, "\r\n"); line; line = strtok(NULL, "\r\n"))
    if (line[0] && line[0] != '#' && c->n < cap) c->words[c->n++] = line;
  if (c->n == 0) { common_passwords_free(c); return -1; }
  qsort(c->words, c->n, sizeof *c->words, cmp_words);
  *out = c;
  return 0;
}

void common_passwords_free(struct common_passwords *c)
{
  if (!c) return;
  free(c->words);
  free(c->text);
  free(c);
}

size_t common_passwords_count(const struct common_passwords *c)
{
  return c ? c->n : 0;
}

static bool listed(const struct common_passwords *c, const char *word)
{
  return c && bsearch(&word, c->words, c->n, sizeof *c->words, cmp_words) != NULL;
}

static bool is_letter(char ch) { return ch >= 'a' && ch <= 'z'; }

static char unleet(char ch)
{
  static const char FROM[] = "@4038!1$57", TO[] = "aaoebiisst";
  const char *p = strchr(FROM, ch);
  return ch && p ? TO[p - FROM] : ch;
}

/* Lower case, ends stripped of non-letters, leetspeak undone in what is left. */
static void stem_of(const char *lower, char out[STEM_MAX])
{
  size_t len = strlen(lower), a = 0, b = len;
  while (a < b && !is_letter(lower[a])) a++;
  while (b > a && !is_letter(lower[b - 1])) b--;
  size_t n = 0;
  for (size_t i = a; i < b && n < STEM_MAX - 1; i++) out[n++] = unleet(lower[i]);
  out[n] = '\0';
}

static int distinct_chars(const char *s)
{
  bool seen[256] = {false};
  int n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (!seen[*p]) { seen[*p] = true; n++; }
  return n;
}

bool common_passwords_has(const struct common_passwords *c, const char *password)
{
  char lower[STEM_MAX], stem[STEM_MAX];
  size_t n = 0;
  for (; password[n] && n < STEM_MAX - 1; n++)
    lower[n] = (password[n] >= 'A' && password[n] <= 'Z') ? (char)(password[n] - 'A' + 'a') : password[n];
  lower[n] = '\0';
  if (listed(c, lower)) return true;
  stem_of(lower, stem);
  return distinct_chars(stem) < 3 || listed(c, stem);
}
