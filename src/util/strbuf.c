/* strbuf — modelled on curl's dynbuf: every buffer is created with the largest size it may
 * reach, so data from the network or the database can never make the server allocate
 * without bound; the limit is a property of the buffer, not a check each caller must
 * remember. Unlike dynbuf, a failed append leaves the content as it was (rather than
 * freeing it), so a caller can report what it had.
 *
 * Capacity doubles (amortised O(1) appends) and is clamped to max + 1 so that the limit and
 * the allocation agree. A NUL is kept after the content so it can be used as a C string. */
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRBUF_MIN_CAP 64

void strbuf_init(struct strbuf *b, size_t max)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

/* Makes room for extra more bytes of content plus the NUL. */
static int reserve(struct strbuf *b, size_t extra)
{
  if (extra > b->max || b->len > b->max - extra) return STRBUF_TOO_BIG;
  size_t need = b->len + extra + 1; /* len + extra <= max, so this wraps only when */
  if (need == 0) return STRBUF_TOO_BIG; /* max is SIZE_MAX */
  if (need <= b->cap) return STRBUF_OK;
  size_t cap = b->cap ? b->cap : STRBUF_MIN_CAP;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
  if (b->max < SIZE_MAX && cap > b->max + 1) cap = b->max + 1;
  char *p = realloc(b->data, cap);
  if (!p) return STRBUF_NOMEM;
  b->data = p;
  b->cap = cap;
  return STRBUF_OK;
}

int strbuf_append(struct strbuf *b, const void *data, size_t len)
{
  if (len == 0) return STRBUF_OK;
  if (!data) return STRBUF_INVALID;
  /* data may lie inside our own buffer, which reserve() may move. */
  const char *src = data;
  uintptr_t at = (uintptr_t)src, base = (uintptr_t)b->data;
  bool inside = b->data && at >= base && at < base + b->cap;
  size_t offset = inside ? (size_t)(at - base) : 0;
  int rc = reserve(b, len);
  if (rc != STRBUF_OK) return rc;
  if (inside) src = b->data + offset;
  memmove(b->data + b->len, src, len);
  b->len += len;
  b->data[b->len] = '\0';
  return STRBUF_OK;
}

int strbuf_vappendf(struct strbuf *b, const char *fmt, va_list ap)
{
  if (!fmt) return STRBUF_INVALID;
  va_list measure;
  va_copy(measure, ap);
  int n = vsnprintf(NULL, 0, fmt, measure);
  va_end(measure);
  if (n < 0) return STRBUF_INVALID;
  if (n == 0) return STRBUF_OK;
  int rc = reserve(b, (size_t)n);
  if (rc != STRBUF_OK) return rc;
  /* reserve() left room for n bytes and the NUL; the arguments cannot point into the
   * buffer's free space, so formatting in place is safe. */
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return STRBUF_OK;
}

int strbuf_appendf(struct strbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = strbuf_vappendf(b, fmt, ap);
  va_end(ap);
  return rc;
}

const char *strbuf_cstr(const struct strbuf *b) { return b->data ? b->data : ""; }

size_t strbuf_len(const struct strbuf *b) { return b->len; }

void strbuf_reset(struct strbuf *b)
{
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
  free(b->data);
  strbuf_init(b, b->max);
}

char *strbuf_take(struct strbuf *b, size_t *len)
{
  char *p = b->len ? b->data : NULL;
  if (len) *len = b->len;
  if (!p) free(b->data);
  strbuf_init(b, b->max);
  return p;
}
