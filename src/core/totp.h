/* totp — one-time codes of the second factor (两步验证; 等保2.0 三级 身份鉴别 d, F2 of the 2026-12
 * review): HOTP (RFC 4226) over HMAC-SHA1, and TOTP (RFC 6238) with 30-second steps and 6 digits,
 * as every authenticator app computes them.
 *
 * A code is accepted for the step of the instant passed in (never the system clock: the caller
 * gives the request's instant from core/clock) or the step before or after it, so a phone a little
 * fast or slow still works. A code is good once: the caller keeps the last step accepted for the
 * account, and a code of that step or an earlier one is refused as a replay (RFC 6238, 5.2).
 * Secrets travel as base32 (RFC 4648, no padding), the form of the otpauth:// URI. */
#ifndef ZHUCUN_TOTP_H
#define ZHUCUN_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1             /* steps accepted either side of now */
#define TOTP_SECRET_BYTES 20      /* 160 bits, as RFC 4226 recommends */
#define TOTP_SECRET_B32_SIZE 33   /* 32 base32 characters of 20 bytes, and the NUL */

enum totp_verdict { TOTP_OK, TOTP_WRONG, TOTP_REPLAY };

/* The RFC 4226 value of counter, truncated to digits (6..8) decimal digits. */
uint32_t hotp(const unsigned char *key, size_t key_len, uint64_t counter, int digits);
/* The time step of instant now (seconds since the epoch). */
int64_t totp_step(int64_t now);
/* The code of a step as digits decimal digits with leading zeros (out holds digits + 1). */
void totp_code_at(const unsigned char *key, size_t key_len, int64_t step, int digits, char *out);
/* Judges code (6 digits) at now against the account's last accepted step. TOTP_OK sets *step to
 * the step it matched, which the caller must store as the new last step. */
enum totp_verdict totp_verify(const unsigned char *key, size_t key_len, int64_t now, int64_t last_step,
                              const char *code, int64_t *step);
/* True when text is exactly TOTP_DIGITS decimal digits. */
int totp_code_well_formed(const char *text);

/* Base32 (RFC 4648 alphabet, upper case, no padding). encode: out needs (len * 8 + 4) / 5 + 1.
 * decode: ignores spaces and accepts lower case; the number of bytes, or -1 on a bad character or
 * when out (cap bytes) is too small. */
void base32_encode(const unsigned char *in, size_t len, char *out);
int base32_decode(const char *in, unsigned char *out, size_t cap);

/* otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30, with
 * issuer and account percent-encoded. 0, or -1 when out (len bytes) is too small. */
int totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out, size_t len);

#endif
