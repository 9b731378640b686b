/* webhook_sign — see webhook_sign.h. libsodium's HMAC-SHA256 takes a key of any length. */
#include "core/webhook_sign.h"

#include <sodium.h>
#include <string.h>

int webhook_signature(const char *secret, const char *timestamp, const char *body, char out[WEBHOOK_SIGNATURE_SIZE])
{
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  if (crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret)) != 0) return -1;
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp, strlen(timestamp));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
  crypto_auth_hmacsha256_final(&st, mac);
  memcpy(out, "sha256=", 7);
  sodium_bin2hex(out + 7, WEBHOOK_SIGNATURE_SIZE - 7, mac, sizeof mac);
  sodium_memzero(&st, sizeof st);
  return 0;
}
