/* sha1 — a plain, byte-oriented SHA-1 and the HMAC construction over it; see the header. */
#include "core/sha1.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static uint32_t load_be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* f and K of round t (FIPS 180-4, 4.1.1 and 4.2.1) */
static uint32_t round_mix(int t, uint32_t b, uint32_t c, uint32_t d)
{
  if (t < 20) return ((b & c) | (~b & d)) + 0x5A827999u;
  if (t < 40) return (b ^ c ^ d) + 0x6ED9EBA1u;
  if (t < 60) return ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDCu;
  return (b ^ c ^ d) + 0xCA62C1D6u;
}

static void compress(uint32_t h[5], const unsigned char block[SHA1_BLOCK_SIZE])
{
  uint32_t w[80];
  for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 80; t++) w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int t = 0; t < 80; t++) {
    uint32_t tmp = rol(a, 5) + round_mix(t, b, c, d) + e + w[t];
    e = d;
    d = c;
    c = rol(b, 30);
    b = a;
    a = tmp;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
  static const uint32_t H0[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  memcpy(c->h, H0, sizeof H0);
  c->length = 0;
  c->used = 0;
}

void sha1_update(struct sha1_ctx *c, const void *data, size_t len)
{
  const unsigned char *p = data;
  c->length += len;
  while (len > 0) {
    size_t take = SHA1_BLOCK_SIZE - c->used;
    if (take > len) take = len;
    memcpy(c->block + c->used, p, take);
    c->used += take;
    p += take;
    len -= take;
    if (c->used == SHA1_BLOCK_SIZE) {
      compress(c->h, c->block);
      c->used = 0;
    }
  }
}

void sha1_final(struct sha1_ctx *c, unsigned char out[SHA1_DIGEST_SIZE])
{
  uint64_t bits = c->length * 8;
  static const unsigned char PAD = 0x80, ZERO = 0;
  sha1_update(c, &PAD, 1);
  while (c->used != SHA1_BLOCK_SIZE - 8) sha1_update(c, &ZERO, 1);
  unsigned char len_be[8];
  for (int i = 0; i < 8; i++) len_be[i] = (unsigned char)(bits >> (56 - 8 * i));
  sha1_update(c, len_be, 8);
  for (int i = 0; i < 5; i++) store_be32(out + 4 * i, c->h[i]);
  memset(c, 0, sizeof *c);
}

void sha1(const void *data, size_t len, unsigned char out[SHA1_DIGEST_SIZE])
{
  struct sha1_ctx c;
  sha1_init(&c);
  sha1_update(&c, data, len);
  sha1_final(&c, out);
}

void hmac_sha1(const unsigned char *key, size_t key_len, const void *msg, size_t msg_len,
               unsigned char out[SHA1_DIGEST_SIZE])
{
  unsigned char k[SHA1_BLOCK_SIZE] = {0}, pad[SHA1_BLOCK_SIZE], inner[SHA1_DIGEST_SIZE];
  if (key_len > SHA1_BLOCK_SIZE) sha1(key, key_len, k); /* RFC 2104: a long key is hashed first */
  else memcpy(k, key, key_len);
  struct sha1_ctx c;
  for (int i = 0; i < SHA1_BLOCK_SIZE; i++) pad[i] = k[i] ^ 0x36;
  sha1_init(&c);
  sha1_update(&c, pad, sizeof pad);
  sha1_update(&c, msg, msg_len);
  sha1_final(&c, inner);
  for (int i = 0; i < SHA1_BLOCK_SIZE; i++) pad[i] = k[i] ^ 0x5c;
  sha1_init(&c);
  sha1_update(&c, pad, sizeof pad);
  sha1_update(&c, inner, sizeof inner);
  sha1_final(&c, out);
  memset(k, 0, sizeof k);
  memset(pad, 0, sizeof pad);
}
