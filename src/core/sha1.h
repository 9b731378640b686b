/* sha1 — SHA-1 (FIPS 180-4) and HMAC-SHA1 (RFC 2104), for TOTP (RFC 6238) and nothing else.
 *
 * libsodium has no SHA-1, and the authenticator apps on officials' phones compute TOTP with
 * HMAC-SHA1 only, so the second factor needs it. SHA-1's collision weakness does not touch
 * HMAC-SHA1 as a keyed MAC; it must not be used as a hash of anything else here. */
#ifndef ZHUCUN_SHA1_H
#define ZHUCUN_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_SIZE 20
#define SHA1_BLOCK_SIZE 64

struct sha1_ctx {
  uint32_t h[5];
  uint64_t length; /* bytes hashed so far */
  unsigned char block[SHA1_BLOCK_SIZE];
  size_t used;     /* bytes waiting in block */
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t len);
void sha1_final(struct sha1_ctx *c, unsigned char out[SHA1_DIGEST_SIZE]);
void sha1(const void *data, size_t len, unsigned char out[SHA1_DIGEST_SIZE]);
void hmac_sha1(const unsigned char *key, size_t key_len, const void *msg, size_t msg_len,
               unsigned char out[SHA1_DIGEST_SIZE]);

#endif
