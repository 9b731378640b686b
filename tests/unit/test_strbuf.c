/* Unit tests for util/strbuf: growth, the hard maximum at its exact boundary, all-or-nothing
 * failure, formatted appends, self-append, reset/free/take and allocator failure. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* Let a huge request fail with NULL under ASan instead of aborting, so STRBUF_NOMEM can be
 * tested. Ignored when the test is built without ASan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

static void test_empty(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 100);
  assert_string_equal(strbuf_cstr(&b), "");
  assert_int_equal(strbuf_len(&b), 0);
  assert_null(b.data); /* nothing allocated yet */
  assert_int_equal(strbuf_append(&b, NULL, 0), STRBUF_OK);
  assert_int_equal(strbuf_append(&b, "", 0), STRBUF_OK);
  assert_null(b.data);
  strbuf_reset(&b);
  strbuf_free(&b);
  strbuf_free(&b); /* twice is harmless */
}

static void test_append_and_grow(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 1 << 20);
  assert_int_equal(strbuf_append(&b, "驻村", strlen("驻村")), STRBUF_OK);
  assert_int_equal(strbuf_append(&b, "帮扶", strlen("帮扶")), STRBUF_OK);
  assert_string_equal(strbuf_cstr(&b), "驻村帮扶");
  assert_int_equal(strbuf_len(&b), 12);
  /* Grow well past the initial capacity, one byte at a time. */
  for (int i = 0; i < 10000; i++) assert_int_equal(strbuf_append(&b, "x", 1), STRBUF_OK);
  assert_int_equal(strbuf_len(&b), 10012);
  assert_int_equal(strbuf_cstr(&b)[10012], '\0');
  assert_int_equal(strbuf_cstr(&b)[10011], 'x');
  assert_int_equal(strlen(strbuf_cstr(&b)), 10012);
  strbuf_free(&b);
  assert_int_equal(strbuf_len(&b), 0);
  assert_string_equal(strbuf_cstr(&b), "");
}

static void test_embedded_nul(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 16);
  assert_int_equal(strbuf_append(&b, "a\0b", 3), STRBUF_OK);
  assert_int_equal(strbuf_len(&b), 3);
  assert_memory_equal(strbuf_cstr(&b), "a\0b\0", 4);
  strbuf_free(&b);
}

static void test_max_boundary(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 10);
  assert_int_equal(strbuf_append(&b, "0123456789", 10), STRBUF_OK); /* exactly max */
  assert_int_equal(strbuf_append(&b, "x", 1), STRBUF_TOO_BIG);
  assert_string_equal(strbuf_cstr(&b), "0123456789");
  assert_true(b.cap <= 11); /* the allocation is clamped to max + NUL */
  strbuf_reset(&b);
  assert_int_equal(strbuf_append(&b, "01234", 5), STRBUF_OK);
  /* All or nothing: a too-big append leaves the content as it was. */
  assert_int_equal(strbuf_append(&b, "abcdef", 6), STRBUF_TOO_BIG);
  assert_string_equal(strbuf_cstr(&b), "01234");
  assert_int_equal(strbuf_append(&b, "abcde", 5), STRBUF_OK);
  assert_string_equal(strbuf_cstr(&b), "01234abcde");
  strbuf_free(&b);

  strbuf_init(&b, 0);
  assert_int_equal(strbuf_append(&b, "x", 1), STRBUF_TOO_BIG);
  assert_int_equal(strbuf_append(&b, "x", 0), STRBUF_OK);
  assert_int_equal(strbuf_appendf(&b, "%s", ""), STRBUF_OK);
  assert_int_equal(strbuf_appendf(&b, "%d", 1), STRBUF_TOO_BIG);
  assert_string_equal(strbuf_cstr(&b), "");
  strbuf_free(&b);

  /* Lengths that would overflow size_t are too big, not wrapped. */
  strbuf_init(&b, 100);
  assert_int_equal(strbuf_append(&b, "ab", 2), STRBUF_OK);
  assert_int_equal(strbuf_append(&b, "x", SIZE_MAX), STRBUF_TOO_BIG);
  assert_int_equal(strbuf_append(&b, "x", SIZE_MAX - 1), STRBUF_TOO_BIG);
  assert_string_equal(strbuf_cstr(&b), "ab");
  strbuf_free(&b);
}

static int vappendf_via(struct strbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = strbuf_vappendf(b, fmt, ap);
  va_end(ap);
  return rc;
}

static void test_invalid(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 10);
  assert_int_equal(strbuf_append(&b, NULL, 1), STRBUF_INVALID);
  assert_int_equal(vappendf_via(&b, NULL), STRBUF_INVALID);
  assert_int_equal(vappendf_via(&b, "%s|%d", "a", 7), STRBUF_OK);
  assert_string_equal(strbuf_cstr(&b), "a|7");
  strbuf_reset(&b);
  assert_int_equal(strbuf_len(&b), 0);
  strbuf_free(&b);
}

static void test_appendf(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 64);
  assert_int_equal(strbuf_appendf(&b, "%s=%d", "households", 42), STRBUF_OK);
  assert_int_equal(strbuf_appendf(&b, ";%05.1f", 3.14159), STRBUF_OK);
  assert_string_equal(strbuf_cstr(&b), "households=42;003.1");
  assert_int_equal(strbuf_appendf(&b, "%s", ""), STRBUF_OK);
  assert_int_equal(strbuf_len(&b), 19);
  strbuf_free(&b);

  /* Formatted output that exactly fits, then one byte over. */
  strbuf_init(&b, 8);
  assert_int_equal(strbuf_appendf(&b, "%08d", 123), STRBUF_OK);
  assert_string_equal(strbuf_cstr(&b), "00000123");
  assert_int_equal(strbuf_appendf(&b, "%c", 'x'), STRBUF_TOO_BIG);
  assert_string_equal(strbuf_cstr(&b), "00000123");
  strbuf_reset(&b);
  assert_int_equal(strbuf_appendf(&b, "%09d", 123), STRBUF_TOO_BIG);
  assert_string_equal(strbuf_cstr(&b), "");
  strbuf_free(&b);

  /* Long formatted output across several growths. */
  strbuf_init(&b, 100000);
  char big[5000];
  memset(big, 'q', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  for (int i = 0; i < 10; i++) assert_int_equal(strbuf_appendf(&b, "[%s]", big), STRBUF_OK);
  assert_int_equal(strbuf_len(&b), 10 * 5001);
  assert_int_equal(strbuf_cstr(&b)[5000], ']');
  assert_int_equal(strbuf_cstr(&b)[5001], '[');
  strbuf_free(&b);
}

static void test_self_append(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 1 << 16);
  assert_int_equal(strbuf_append(&b, "abc", 3), STRBUF_OK);
  /* Doubling from itself forces reallocation while the source lies in the old block. */
  for (int i = 0; i < 10; i++)
    assert_int_equal(strbuf_append(&b, strbuf_cstr(&b), strbuf_len(&b)), STRBUF_OK);
  assert_int_equal(strbuf_len(&b), 3 << 10);
  for (size_t i = 0; i < strbuf_len(&b); i++) assert_int_equal(strbuf_cstr(&b)[i], "abc"[i % 3]);
  /* A part of itself. */
  strbuf_reset(&b);
  assert_int_equal(strbuf_append(&b, "0123456789", 10), STRBUF_OK);
  assert_int_equal(strbuf_append(&b, strbuf_cstr(&b) + 7, 3), STRBUF_OK);
  assert_string_equal(strbuf_cstr(&b), "0123456789789");
  strbuf_free(&b);
}

static void test_reset_take(void **state)
{
  struct strbuf b;
  strbuf_init(&b, 100);
  assert_int_equal(strbuf_append(&b, "hello", 5), STRBUF_OK);
  size_t cap = b.cap;
  strbuf_reset(&b);
  assert_int_equal(strbuf_len(&b), 0);
  assert_string_equal(strbuf_cstr(&b), "");
  assert_int_equal(b.cap, cap); /* memory kept */
  assert_int_equal(strbuf_append(&b, "world", 5), STRBUF_OK);

  size_t len = 0;
  char *s = strbuf_take(&b, &len);
  assert_non_null(s);
  assert_int_equal(len, 5);
  assert_string_equal(s, "world");
  free(s);
  assert_int_equal(strbuf_len(&b), 0);
  assert_null(b.data);
  assert_int_equal(b.max, 100); /* still usable with the same limit */
  assert_int_equal(strbuf_append(&b, "again", 5), STRBUF_OK);
  strbuf_reset(&b);
  assert_null(strbuf_take(&b, &len)); /* empty but allocated: freed, NULL returned */
  assert_int_equal(len, 0);
  assert_null(strbuf_take(&b, NULL));
  strbuf_free(&b);
}

static void test_nomem(void **state)
{
  struct strbuf b;
  strbuf_init(&b, SIZE_MAX);
  assert_int_equal(strbuf_append(&b, "ok", 2), STRBUF_OK);
  /* No allocator can provide 2^62 bytes; the data is never read because reserve fails. */
  static const char dummy[1] = {0};
  assert_int_equal(strbuf_append(&b, dummy, SIZE_MAX / 4), STRBUF_NOMEM);
  assert_string_equal(strbuf_cstr(&b), "ok");
  assert_int_equal(strbuf_len(&b), 2);
  /* With max == SIZE_MAX the NUL cannot be added to a SIZE_MAX content. */
  assert_int_equal(strbuf_append(&b, dummy, SIZE_MAX - 2), STRBUF_TOO_BIG);
  strbuf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_empty),        cmocka_unit_test(test_append_and_grow),
      cmocka_unit_test(test_embedded_nul), cmocka_unit_test(test_max_boundary),
      cmocka_unit_test(test_invalid),      cmocka_unit_test(test_appendf),
      cmocka_unit_test(test_self_append),  cmocka_unit_test(test_reset_take),
      cmocka_unit_test(test_nomem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
