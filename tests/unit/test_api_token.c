/* Unit tests for core/api_token and core/webhook_sign: the token's shape and stored hash, the grantable
 * permissions (read only), and the webhook signature against a value computed independently
 * (Python's hmac: HMAC-SHA256(secret, timestamp + "." + body)). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "core/api_token.h"
#include "core/webhook_sign.h"

static void test_token_shape_and_hash(void **state)
{
  (void)state;
  char a[API_TOKEN_SIZE], b[API_TOKEN_SIZE], hash[API_TOKEN_HASH_SIZE];
  api_token_generate(a);
  api_token_generate(b);
  assert_int_equal(strlen(a), 67);
  assert_true(api_token_well_formed(a));
  assert_string_not_equal(a, b);
  assert_false(api_token_well_formed("zc_abc"));
  assert_false(api_token_well_formed(NULL));
  char upper[API_TOKEN_SIZE];
  memcpy(upper, a, sizeof upper);
  upper[3] = 'G';
  assert_false(api_token_well_formed(upper));
  char known[API_TOKEN_SIZE] = "zc_";
  for (int i = 0; i < 32; i++) strcat(known, "ab");
  api_token_hash(known, hash);
  assert_string_equal(hash, "e273e23a448b237050898a9e6b878255af0fa25b6d044f2f5b95faf600083c28");
}

static void test_grants_are_read_only(void **state)
{
  (void)state;
  assert_int_equal(api_token_grant_perm("household_read"), PERM_HOUSEHOLD_READ);
  assert_int_equal(api_token_grant_perm("user_write"), 0);
  assert_int_equal(api_token_grant_perm("household_write"), 0);
  perm_t all = 0;
  for (const struct api_grant *g = api_token_grants(); g->name; g++) all |= g->perm;
  perm_t writes = PERM_USER_WRITE | PERM_USER_SECURITY | PERM_HOUSEHOLD_WRITE | PERM_CASE_WRITE | PERM_CASE_DECIDE |
                  PERM_CADRE_WRITE | PERM_CADRE_REVEAL_ID | PERM_HOUSEHOLD_REVEAL_ID | PERM_AUDIT_READ | PERM_USER_READ;
  assert_int_equal(all & writes, 0);
  assert_int_equal(api_token_perms_of(",household_read,cadre_read,"), PERM_HOUSEHOLD_READ | PERM_CADRE_READ);
  assert_int_equal(api_token_perms_of(",household_readx,"), 0);
  assert_int_equal(api_token_perms_of(NULL), 0);
}

static void test_webhook_signature(void **state)
{
  (void)state;
  char sig[WEBHOOK_SIGNATURE_SIZE];
  assert_int_equal(webhook_signature("whsec-0123456789abcdef", "1781056800", "{\"id\":\"evt_1\"}", sig), 0);
  assert_string_equal(sig, "sha256=a690f7508f132c50dfcdeb6ec20a4fe593c6a4a94b691c5c4aa6723e61b1b876");
}

int main(void)
{
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_token_shape_and_hash),
      cmocka_unit_test(test_grants_are_read_only),
      cmocka_unit_test(test_webhook_signature),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
