/* libFuzzer harness for the instant parser of the one clock (clock_parse_instant in
 * src/core/clock.c), which reads --now, ZHUCUN_NOW and every `at` of a check-in. Beyond the
 * sanitizers: an accepted instant formats (in China Standard Time) into a text that parses back
 * to the same second. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
  if (!ok) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 256) return 0;
  char text[257];
  memcpy(text, data, size);
  text[size] = '\0';
  int64_t t;
  if (clock_parse_instant(text, &t) == 0) {
    char iso[CLOCK_ISO_SIZE];
    clock_format_cst(t, iso);
    int64_t back;
    check(clock_parse_instant(iso, &back) == 0);
    check(back == t);
  }
  return 0;
}
