/* totp — HOTP/TOTP and base32; see the header. */
#include "core/totp.h"

#include <stdio.h>
#include <string.h>

#include "core/sha1.h"

static const uint32_t POW10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

uint32_t hotp(const unsigned char *key, size_t key_len, uint64_t counter, int digits)
{
  unsigned char msg[8], mac[SHA1_DIGEST_SIZE];
  for (int i = 0; i < 8; i++) msg[i] = (unsigned char)(counter >> (56 - 8 * i));
  hmac_sha1(key, key_len, msg, sizeof msg, mac);
  int off = mac[SHA1_DIGEST_SIZE - 1] & 0x0f; /* dynamic truncation, RFC 4226 5.3 */
  uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 | (uint32_t)mac[off + 2] << 8 |
                 (uint32_t)mac[off + 3];
  if (digits < 6 || digits > 8) digits = TOTP_DIGITS;
  return bin % POW10[digits];
}

int64_t totp_step(int64_t now)
{
  return now >= 0 ? now / TOTP_STEP_SECONDS : -((-now + TOTP_STEP_SECONDS - 1) / TOTP_STEP_SECONDS);
}

void totp_code_at(const unsigned char *key, size_t key_len, int64_t step, int digits, char *out)
{
  if (digits < 6 || digits > 8) digits = TOTP_DIGITS;
  snprintf(out, (size_t)digits + 1, "%0*u", digits, (unsigned)hotp(key, key_len, (uint64_t)step, digits));
}

int totp_code_well_formed(const char *text)
{
  if (!text || strlen(text) != TOTP_DIGITS) return 0;
  for (int i = 0; i < TOTP_DIGITS; i++)
    if (text[i] < '0' || text[i] > '9') return 0;
  return 1;
}

/* constant time over the 6 digits, so that a guess learns nothing from the time taken */
static int same_code(const char *a, const char *b)
{
  unsigned diff = 0;
  for (int i = 0; i < TOTP_DIGITS; i++) diff |= (unsigned)(a[i] ^ b[i]);
  return diff == 0;
}

enum totp_verdict totp_verify(const unsigned char *key, size_t key_len, int64_t now, int64_t last_step,
                              const char *code, int64_t *step)
{
  *step = 0;
  if (!totp_code_well_formed(code)) return TOTP_WRONG;
  int64_t here = totp_step(now);
  enum totp_verdict verdict = TOTP_WRONG;
  for (int64_t s = here - TOTP_WINDOW; s <= here + TOTP_WINDOW; s++) {
    char expected[TOTP_DIGITS + 1];
    totp_code_at(key, key_len, s, TOTP_DIGITS, expected);
    if (!same_code(expected, code)) continue;
    if (s <= last_step) {
      verdict = TOTP_REPLAY;
      continue;
    }
    *step = s;
    return TOTP_OK;
  }
  return verdict;
}

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void base32_encode(const unsigned char *in, size_t len, char *out)
{
  uint32_t buffer = 0;
  int bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    buffer = (buffer << 8) | in[i];
    bits += 8;
    while (bits >= 5) {
      out[o++] = B32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out[o++] = B32[(buffer << (5 - bits)) & 31];
  out[o] = '\0';
}

static int b32_value(char c)
{
  if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
  const char *p = c ? strchr(B32, c) : NULL;
  return p ? (int)(p - B32) : -1;
}

int base32_decode(const char *in, unsigned char *out, size_t cap)
{
  uint32_t buffer = 0;
  int bits = 0;
  size_t o = 0;
  for (const char *p = in; *p; p++) {
    if (*p == ' ' || *p == '=') continue;
    int v = b32_value(*p);
    if (v < 0) return -1;
    buffer = (buffer << 5) | (uint32_t)v;
    bits += 5;
    if (bits >= 8) {
      if (o >= cap) return -1;
      out[o++] = (unsigned char)(buffer >> (bits - 8));
      bits -= 8;
    }
  }
  return (int)o;
}

/* percent-encodes everything but unreserved characters (RFC 3986) */
static int put_encoded(const char *s, char *out, size_t len, size_t *o)
{
  static const char HEX[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                *p == '.' || *p == '_' || *p == '~';
    size_t need = plain ? 1 : 3;
    if (*o + need >= len) return -1;
    if (plain) {
      out[(*o)++] = (char)*p;
    } else {
      out[(*o)++] = '%';
      out[(*o)++] = HEX[*p >> 4];
      out[(*o)++] = HEX[*p & 15];
    }
  }
  out[*o] = '\0';
  return 0;
}

static int put_plain(const char *s, char *out, size_t len, size_t *o)
{
  size_t n = strlen(s);
  if (*o + n >= len) return -1;
  memcpy(out + *o, s, n + 1);
  *o += n;
  return 0;
}

int totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out, size_t len)
{
  size_t o = 0;
  if (len == 0) return -1;
  out[0] = '\0';
  char tail[64];
  snprintf(tail, sizeof tail, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP_SECONDS);
  if (put_plain("otpauth://totp/", out, len, &o) || put_encoded(issuer, out, len, &o) ||
      put_plain(":", out, len, &o) || put_encoded(account, out, len, &o) || put_plain("?secret=", out, len, &o) ||
      put_plain(secret_b32, out, len, &o) || put_plain("&issuer=", out, len, &o) ||
      put_encoded(issuer, out, len, &o) || put_plain(tail, out, len, &o))
    return -1;
  return 0;
}
