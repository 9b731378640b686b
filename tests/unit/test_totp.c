/* Unit tests for core/sha1 and core/totp: SHA-1 (FIPS 180 examples), HMAC-SHA1 (RFC 2202), HOTP
 * (RFC 4226 appendix D), TOTP (RFC 6238 appendix B, SHA-1 rows), base32 (RFC 4648 section 10),
 * the ±1 step window, replay refused, and the otpauth:// URI. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/sha1.h"
#include "core/totp.h"

static void hex(const unsigned char *d, size_t n, char *out)
{
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void assert_sha1(const char *msg, size_t len, const char *want)
{
  unsigned char d[SHA1_DIGEST_SIZE];
  char h[41];
  sha1(msg, len, d);
  hex(d, sizeof d, h);
  assert_string_equal(h, want);
}

static void test_sha1_vectors(void **state)
{
  (void)state;
  assert_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assert_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  assert_sha1(two, strlen(two), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  struct sha1_ctx c;
  unsigned char d[SHA1_DIGEST_SIZE];
  char h[41];
  char thousand[1000];
  memset(thousand, 'a', sizeof thousand);
  sha1_init(&c);
  for (int i = 0; i < 1000; i++) sha1_update(&c, thousand, 1000);
  sha1_final(&c, d);
  hex(d, sizeof d, h);
  assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"); /* a million 'a' */
}

static void assert_hmac(const unsigned char *key, size_t klen, const void *msg, size_t mlen, const char *want)
{
  unsigned char d[SHA1_DIGEST_SIZE];
  char h[41];
  hmac_sha1(key, klen, msg, mlen, d);
  hex(d, sizeof d, h);
  assert_string_equal(h, want);
}

static void test_hmac_sha1_rfc2202(void **state)
{
  (void)state;
  unsigned char k[80], m[80];
  memset(k, 0x0b, 20);
  assert_hmac(k, 20, "Hi There", 8, "b617318655057264e28bc0b6fb378c8ef146be00");
  assert_hmac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28,
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  memset(k, 0xaa, 20);
  memset(m, 0xdd, 50);
  assert_hmac(k, 20, m, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
  for (int i = 0; i < 25; i++) k[i] = (unsigned char)(i + 1);
  memset(m, 0xcd, 50);
  assert_hmac(k, 25, m, 50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
  memset(k, 0x0c, 20);
  assert_hmac(k, 20, "Test With Truncation", 20, "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
  memset(k, 0xaa, 80);
  const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
  assert_hmac(k, 80, m6, strlen(m6), "aa4ae5e15272d00e95705637ce8a3b55ed402112");
  const char *m7 = "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data";
  assert_hmac(k, 80, m7, strlen(m7), "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

static const unsigned char RFC_KEY[] = "12345678901234567890";

static void test_hotp_rfc4226(void **state)
{
  (void)state;
  static const uint32_t want[10] = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
  for (uint64_t c = 0; c < 10; c++) assert_int_equal(hotp(RFC_KEY, 20, c, 6), want[c]);
}

static void test_totp_rfc6238(void **state)
{
  (void)state;
  static const struct { int64_t t; const char *code; } rows[] = {
    {59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    char code[9];
    totp_code_at(RFC_KEY, 20, totp_step(rows[i].t), 8, code);
    assert_string_equal(code, rows[i].code);
  }
}

/* the window: the step before and after now are good, two away is not; a step used is not good again */
static void test_window_and_replay(void **state)
{
  (void)state;
  const int64_t now = 1781056800; /* 2026-06-10T10:00:00+08:00, the tests' instant */
  int64_t s = totp_step(now), got;
  char before[7], here[7], after[7], far[7];
  totp_code_at(RFC_KEY, 20, s - 1, 6, before);
  totp_code_at(RFC_KEY, 20, s, 6, here);
  totp_code_at(RFC_KEY, 20, s + 1, 6, after);
  totp_code_at(RFC_KEY, 20, s + 2, 6, far);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, 0, far, &got), TOTP_WRONG);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, 0, before, &got), TOTP_OK);
  assert_int_equal(got, s - 1);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, got, before, &got), TOTP_REPLAY);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, s - 1, here, &got), TOTP_OK);
  assert_int_equal(got, s);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, s, here, &got), TOTP_REPLAY);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, s, after, &got), TOTP_OK);
  assert_int_equal(got, s + 1);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, 0, "12345", &got), TOTP_WRONG);
  assert_int_equal(totp_verify(RFC_KEY, 20, now, 0, "12345a", &got), TOTP_WRONG);
  assert_false(totp_code_well_formed("1234567"));
  assert_true(totp_code_well_formed("012345"));
}

static void test_base32(void **state)
{
  (void)state;
  static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *enc[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
  for (int i = 0; i < 7; i++) {
    char out[32];
    unsigned char back[16];
    base32_encode((const unsigned char *)plain[i], strlen(plain[i]), out);
    assert_string_equal(out, enc[i]);
    int n = base32_decode(out, back, sizeof back);
    assert_int_equal(n, (int)strlen(plain[i]));
    assert_memory_equal(back, plain[i], (size_t)n);
  }
  unsigned char back[16];
  assert_int_equal(base32_decode("mzxw 6ytb oi", back, sizeof back), 6);
  assert_int_equal(base32_decode("MZ1W", back, sizeof back), -1);
  assert_int_equal(base32_decode("MZXW6YTBOI", back, 3), -1);
}

static void test_uri(void **state)
{
  (void)state;
  char uri[256];
  assert_int_equal(totp_uri("驻村帮扶", "city org", "MZXW6YTBOI", uri, sizeof uri), 0);
  assert_string_equal(uri, "otpauth://totp/%E9%A9%BB%E6%9D%91%E5%B8%AE%E6%89%B6:city%20org?secret=MZXW6YTBOI"
                           "&issuer=%E9%A9%BB%E6%9D%91%E5%B8%AE%E6%89%B6&algorithm=SHA1&digits=6&period=30");
  assert_int_equal(totp_uri("zhucun", "sysadmin", "MZXW6YTBOI", uri, 20), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sha1_vectors),    cmocka_unit_test(test_hmac_sha1_rfc2202),
    cmocka_unit_test(test_hotp_rfc4226),    cmocka_unit_test(test_totp_rfc6238),
    cmocka_unit_test(test_window_and_replay), cmocka_unit_test(test_base32),
    cmocka_unit_test(test_uri),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
