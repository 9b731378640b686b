/* clock — see clock.h. The fixed instant is set once, before any thread starts (by main from
 * --now or ZHUCUN_NOW), and only read afterwards, so it needs no lock. */
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

static bool fixed;
static int64_t fixed_at;
static double fixed_mono_ms; /* the monotonic clock when the instant was fixed */

int64_t clock_now(void)
{
  if (fixed) return fixed_at;
  return (int64_t)time(NULL);
}

int64_t clock_running_now(void)
{
  if (!fixed) return (int64_t)time(NULL);
  return fixed_at + (int64_t)((clock_monotonic_ms() - fixed_mono_ms) / 1000.0);
}

int clock_today(void) { return date_from_unix_cst((time_t)clock_now()); }

int clock_fix(int64_t t)
{
  if (t < CLOCK_MIN_INSTANT || t >= CLOCK_MAX_INSTANT) return -1;
  fixed = true;
  fixed_at = t;
  fixed_mono_ms = clock_monotonic_ms();
  return 0;
}

bool clock_is_fixed(void) { return fixed; }

int clock_fix_from(const char *text)
{
  const char *source = text ? "--now" : "ZHUCUN_NOW";
  if (!text) text = getenv("ZHUCUN_NOW");
  if (!text || !*text) return 0;
  int64_t t;
  if (clock_parse_instant(text, &t) != 0 || clock_fix(t) != 0) {
    fprintf(stderr, "zhucun: %s must be an instant with its offset, e.g. 2027-01-01T09:00:00+08:00 (got \"%s\")\n",
            source, text);
    return -1;
  }
  return 0;
}

/* Exactly n decimal digits at s. */
static bool digits(const char *s, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

int clock_parse_instant(const char *text, int64_t *out)
{
  int y, mo, d, h, mi, s, oh = 0, om = 0;
  if (!text || !out) return -1;
  /* "YYYY-MM-DDTHH:MM:SS" is 19 characters; strnlen keeps a missing NUL from running on */
  if (strnlen(text, 19) < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':')
    return -1;
  if (!digits(text, 4, &y) || !digits(text + 5, 2, &mo) || !digits(text + 8, 2, &d) || !digits(text + 11, 2, &h) ||
      !digits(text + 14, 2, &mi) || !digits(text + 17, 2, &s))
    return -1;
  const char *t = text + 19;
  if (*t == '.') {
    t++;
    int n = 0;
    while (*t >= '0' && *t <= '9' && n < 9) { t++; n++; }
    if (n == 0) return -1;
  }
  int sign;
  if (t[0] == 'Z' && t[1] == '\0') sign = 0;
  else if ((t[0] == '+' || t[0] == '-') && strnlen(t, 7) == 6 && t[3] == ':' && digits(t + 1, 2, &oh) &&
           digits(t + 4, 2, &om))
    sign = t[0] == '-' ? -1 : 1;
  else
    return -1;
  int date = date_make(y, mo, d);
  long days;
  if (!date_valid(date) || h > 23 || mi > 59 || s > 59 || oh > 14 || om > 59 || date_to_days(date, &days) != 0)
    return -1;
  int64_t offset = (int64_t)sign * (oh * 3600 + om * 60);
  int64_t at = (int64_t)days * 86400 + h * 3600 + mi * 60 + s - offset;
  if (at < CLOCK_MIN_INSTANT || at >= CLOCK_MAX_INSTANT) return -1;
  *out = at;
  return 0;
}

void clock_format_cst(int64_t t, char out[CLOCK_ISO_SIZE])
{
  int64_t local = t + 8 * 3600;
  int64_t days = local / 86400, secs = local % 86400;
  if (secs < 0) { secs += 86400; days--; }
  date_format_iso(date_from_days((long)days), out); /* "YYYY-MM-DD", or "" outside years 1..9999 */
  if (!out[0]) snprintf(out, CLOCK_ISO_SIZE, "0000-00-00");
  int hms[3] = {(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
  char *p = out + 10;
  *p++ = 'T';
  for (int i = 0; i < 3; i++) {
    *p++ = (char)('0' + hms[i] / 10);
    *p++ = (char)('0' + hms[i] % 10);
    *p++ = i < 2 ? ':' : '+';
  }
  memcpy(p, "08:00", 6);
}

double clock_monotonic_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void clock_monotonic_deadline(long ms, struct timespec *out)
{
  clock_gettime(CLOCK_MONOTONIC, out);
  out->tv_sec += ms / 1000;
  out->tv_nsec += (ms % 1000) * 1000000L;
  if (out->tv_nsec >= 1000000000L) { out->tv_sec++; out->tv_nsec -= 1000000000L; }
}
