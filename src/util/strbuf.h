/* strbuf — a growable byte buffer with a hard maximum, for building responses and exports
 * whose size depends on the data. */
#ifndef ZHUCUN_STRBUF_H
#define ZHUCUN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

enum strbuf_result {
  STRBUF_OK = 0,
  STRBUF_TOO_BIG = -1, /* the content would exceed the buffer's maximum */
  STRBUF_NOMEM = -2,   /* the allocator refused */
  STRBUF_INVALID = -3, /* NULL data with a length, or a format error */
};

/* Treat the members as private; they are public only so a buffer can live on the stack. */
struct strbuf {
  char *data;  /* NULL until the first byte is appended */
  size_t len;  /* bytes of content, excluding the NUL always kept after them */
  size_t cap;  /* bytes allocated */
  size_t max;  /* maximum content length */
};

/* An empty buffer that will refuse to hold more than max bytes. Allocates nothing. */
void strbuf_init(struct strbuf *b, size_t max);
/* Appends len bytes (which may include NULs, and may point into b itself). All or nothing:
 * on failure the content is unchanged. */
int strbuf_append(struct strbuf *b, const void *data, size_t len);
int strbuf_appendf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vappendf(struct strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* The content, NUL-terminated; "" for an empty buffer. Valid until the next change. */
const char *strbuf_cstr(const struct strbuf *b);
size_t strbuf_len(const struct strbuf *b);
/* Empties the buffer but keeps its memory for reuse. */
void strbuf_reset(struct strbuf *b);
/* Releases the memory; the buffer is empty and may be used again. */
void strbuf_free(struct strbuf *b);
/* Hands the content to the caller (free() it), or NULL for an empty buffer; *len (if not
 * NULL) receives the length. The buffer is left empty. */
char *strbuf_take(struct strbuf *b, size_t *len);

#endif
