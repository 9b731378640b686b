/* xlsx_read — the first worksheet of an uploaded workbook, row by row.
 *
 * Layers, bottom up:
 *  - ZIP: the End Of Central Directory is searched for backwards from the end (at most the
 *    maximum comment length), the central directory is walked with every record checked to
 *    lie inside it, and an entry is found by exact name (a name present twice is an error,
 *    since two readers could disagree on which one counts). Only the four or five parts we
 *    need are ever decompressed. An entry's declared size is checked against the remaining
 *    uncompressed budget before anything is allocated; inflate() is then given exactly
 *    declared size + 1 bytes of output, so a stream that lies about its size cannot write
 *    past that, and any difference is an error. CRC-32 is verified on every part.
 *  - XML: a non-recursive tokenizer over a decompressed part (text, CDATA, start/end tags
 *    with attributes validated; processing instructions and comments skipped; any DTD is
 *    refused, so there are no user-defined entities). Element and attribute names are
 *    matched by local name, so prefixed documents (<x:c>) read the same. Text is decoded
 *    strictly: the five predefined entities and numeric references (to valid XML
 *    characters only), UTF-8 validated, CR LF normalised to LF.
 *  - Workbook: xl/workbook.xml gives the sheets in order, xl/_rels/workbook.xml.rels maps
 *    each r:id to a part; the first one whose relationship type is a worksheet is read.
 *    Shared strings are decoded once, at open, into one buffer.
 *  - Rows: xlsx_read_next_row() scans <sheetData> incrementally, one <row> at a time, into
 *    buffers sized by the limits. Rows and cells must come in increasing order (Excel and
 *    every sane writer do so); anything else is reported rather than guessed at.
 *
 * Numbers are formatted with snprintf/strtod and so assume the C numeric locale (the server
 * never calls setlocale). */
#include "util/xlsx_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_EXCEL_COLS 16384u
#define MAX_EXCEL_ROWS 1048576u
#define MAX_RELS 4096u   /* relationships read from the workbook's rels part */
#define MAX_SHEETS 4096u /* <sheet> elements considered */

/* ---------------------------------------------------------------- bounded text buffer */

struct tbuf {
  char *d;
  size_t len, cap, max;
};

static int tb_put(struct tbuf *b, const void *s, size_t n)
{
  if (n > b->max - b->len) return XLSX_CELL_TOO_LONG;
  size_t need = b->len + n + 1;
  if (need > b->cap) {
    size_t nc = b->cap ? b->cap : 64;
    while (nc < need) nc = nc > SIZE_MAX / 2 ? need : nc * 2;
    char *p = realloc(b->d, nc);
    if (!p) return XLSX_NOMEM;
    b->d = p;
    b->cap = nc;
  }
  if (n) memcpy(b->d + b->len, s, n);
  b->len += n;
  b->d[b->len] = '\0';
  return XLSX_OK;
}

static int tb_set(struct tbuf *b, const char *s)
{
  b->len = 0;
  return tb_put(b, s, strlen(s));
}

/* ---------------------------------------------------------------- reader */

struct xlsx_reader {
  struct xlsx_limits lim;
  size_t budget; /* uncompressed bytes still allowed */
  /* the worksheet part and the scan position in it */
  char *sheet;
  size_t sheet_len, pos;
  /* shared strings: ss_n strings at ss.d + ss_off[i], ss_len[i] bytes each */
  struct tbuf ss;
  size_t *ss_off, *ss_len, ss_n, ss_cap;
  /* the row being assembled */
  struct tbuf cell;        /* one cell's text */
  struct tbuf text;        /* the row's non-empty cells, NUL-separated */
  size_t *off, *flen;      /* per column (max_cols): offset in text, length (0 = empty) */
  const char **fields;     /* max_cols slots */
  size_t *lengths;
  size_t count;            /* of the parsed row */
  size_t last;             /* number of the last <row> parsed, 0 before the first */
  size_t pending;          /* number of a parsed row not yet returned, 0 if none */
  size_t next;             /* number of the next row to return */
  int state;               /* XLSX_OK while reading; XLSX_END or an error once finished */
  struct xlsx_position at; /* of the error */
  char detail[256];
};

static int failf(struct xlsx_reader *r, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int failf(struct xlsx_reader *r, int rc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->detail, sizeof r->detail, fmt, ap);
  va_end(ap);
  return rc;
}

/* ---------------------------------------------------------------- ZIP */

static uint16_t rd16(const unsigned char *p)
{
  return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct zip {
  const unsigned char *d;
  size_t len;
  size_t cd_off, cd_end; /* central directory [cd_off, cd_end) */
  size_t count;          /* entries */
};

struct zip_entry {
  uint16_t flags, method;
  uint32_t crc, csize, usize, local;
};

static int zip_open(struct xlsx_reader *r, struct zip *z, const unsigned char *d, size_t len)
{
  static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (len >= 8 && memcmp(d, ole, 8) == 0)
    return failf(r, XLSX_LEGACY_FORMAT, "OLE compound file (legacy .xls or encrypted workbook)");
  bool pk = len >= 2 && d[0] == 'P' && d[1] == 'K';
  if (len < 22)
    return pk ? failf(r, XLSX_BAD_ZIP, "truncated ZIP (%zu bytes)", len)
              : failf(r, XLSX_NOT_ZIP, "not a ZIP archive (%zu bytes)", len);
  size_t lo = len - 22 > 0xFFFF ? len - 22 - 0xFFFF : 0;
  size_t eocd = SIZE_MAX;
  for (size_t i = len - 22 + 1; i-- > lo;) {
    if (d[i] == 'P' && rd32(d + i) == 0x06054b50u && rd16(d + i + 20) <= len - 22 - i) {
      eocd = i;
      break;
    }
  }
  if (eocd == SIZE_MAX)
    return pk ? failf(r, XLSX_BAD_ZIP, "no end of central directory (truncated?)")
              : failf(r, XLSX_NOT_ZIP, "not a ZIP archive");
  const unsigned char *e = d + eocd;
  uint16_t disk = rd16(e + 4), cd_disk = rd16(e + 6), n_disk = rd16(e + 8), n = rd16(e + 10);
  uint32_t cd_size = rd32(e + 12), cd_off = rd32(e + 16);
  if ((eocd >= 20 && rd32(d + eocd - 20) == 0x07064b50u) || n == 0xFFFF || n_disk == 0xFFFF ||
      cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu)
    return failf(r, XLSX_ZIP64, "ZIP64 archive");
  if (disk != 0 || cd_disk != 0 || n_disk != n)
    return failf(r, XLSX_BAD_ZIP, "multi-disk ZIP archive");
  if (cd_off > eocd || cd_size > eocd - cd_off)
    return failf(r, XLSX_BAD_ZIP, "central directory outside the file");
  z->d = d;
  z->len = len;
  z->cd_off = cd_off;
  z->cd_end = (size_t)cd_off + cd_size;
  z->count = n;
  /* Walk it once so that lookups can trust the record boundaries. */
  size_t p = z->cd_off;
  for (size_t k = 0; k < z->count; k++) {
    if (z->cd_end - p < 46 || rd32(d + p) != 0x02014b50u)
      return failf(r, XLSX_BAD_ZIP, "central directory entry %zu malformed", k);
    size_t rec = 46 + (size_t)rd16(d + p + 28) + rd16(d + p + 30) + rd16(d + p + 32);
    if (z->cd_end - p < rec)
      return failf(r, XLSX_BAD_ZIP, "central directory entry %zu overruns the directory", k);
    p += rec;
  }
  return XLSX_OK;
}

/* 1 and *out filled if found, 0 if absent, or an error. */
static int zip_find(struct xlsx_reader *r, const struct zip *z, const char *name,
                    struct zip_entry *out)
{
  size_t nlen = strlen(name), p = z->cd_off;
  int found = 0;
  for (size_t k = 0; k < z->count; k++) {
    const unsigned char *c = z->d + p;
    size_t name_len = rd16(c + 28);
    if (name_len == nlen && memcmp(c + 46, name, nlen) == 0) {
      if (found) return failf(r, XLSX_BAD_ZIP, "%s appears twice in the archive", name);
      found = 1;
      *out = (struct zip_entry){rd16(c + 8), rd16(c + 10), rd32(c + 16),
                                rd32(c + 20), rd32(c + 24), rd32(c + 42)};
    }
    p += 46 + name_len + rd16(c + 30) + rd16(c + 32);
  }
  if (found && (out->csize == 0xFFFFFFFFu || out->usize == 0xFFFFFFFFu ||
                out->local == 0xFFFFFFFFu))
    return failf(r, XLSX_ZIP64, "%s: ZIP64 sizes", name);
  return found;
}

static int inflate_raw(struct xlsx_reader *r, const char *name, const unsigned char *src,
                       uint32_t csize, unsigned char *dst, uint32_t usize)
{
  z_stream s;
  memset(&s, 0, sizeof s);
  if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return failf(r, XLSX_NOMEM, "inflateInit2 failed");
  s.next_in = (Bytef *)(uintptr_t)src;
  s.avail_in = csize;
  s.next_out = dst;
  s.avail_out = usize + 1; /* one spare byte: a stream longer than declared shows itself */
  int zr;
  do zr = inflate(&s, Z_FINISH);
  while (zr == Z_OK);
  uLong produced = s.total_out;
  unsigned spare = s.avail_out;
  inflateEnd(&s);
  if (zr == Z_STREAM_END && produced == usize) return XLSX_OK;
  if (zr == Z_MEM_ERROR) return failf(r, XLSX_NOMEM, "%s: out of memory inflating", name);
  if (zr == Z_STREAM_END || spare == 0)
    return failf(r, XLSX_CORRUPT_DATA, "%s: expands to %s than the declared %lu bytes", name,
                 spare == 0 ? "more" : "fewer", (unsigned long)usize);
  return failf(r, XLSX_CORRUPT_DATA, "%s: deflate stream %s", name,
               zr == Z_DATA_ERROR ? "corrupt" : "truncated");
}

/* Decompresses a found entry into a fresh NUL-terminated buffer. */
static int zip_extract(struct xlsx_reader *r, const struct zip *z, const char *name,
                       const struct zip_entry *e, char **out, size_t *out_len)
{
  *out = NULL;
  *out_len = 0;
  if ((e->flags & 0x41) || e->method == 99) return failf(r, XLSX_ENCRYPTED, "%s: encrypted", name);
  if (e->method != 0 && e->method != 8)
    return failf(r, XLSX_BAD_COMPRESSION, "%s: compression method %u", name, e->method);
  if (e->usize > r->budget)
    return failf(r, XLSX_TOO_BIG, "%s: declares %lu uncompressed bytes, over the limit", name,
                 (unsigned long)e->usize);
  size_t nlen = strlen(name), lh = e->local;
  if (lh > z->len || z->len - lh < 30 || rd32(z->d + lh) != 0x04034b50u)
    return failf(r, XLSX_BAD_ZIP, "%s: local header missing", name);
  size_t lname = rd16(z->d + lh + 26), lextra = rd16(z->d + lh + 28);
  if (z->len - lh - 30 < lname + lextra)
    return failf(r, XLSX_BAD_ZIP, "%s: local header overruns the file", name);
  if (lname != nlen || memcmp(z->d + lh + 30, name, nlen) != 0 ||
      rd16(z->d + lh + 8) != e->method)
    return failf(r, XLSX_BAD_ZIP, "%s: local header disagrees with the directory", name);
  if (rd16(z->d + lh + 6) & 0x41) return failf(r, XLSX_ENCRYPTED, "%s: encrypted", name);
  size_t data = lh + 30 + lname + lextra;
  if (e->csize > z->len - data) return failf(r, XLSX_BAD_ZIP, "%s: data overruns the file", name);
  if (e->method == 0 && e->csize != e->usize)
    return failf(r, XLSX_BAD_ZIP, "%s: stored entry with differing sizes", name);

  unsigned char *buf = malloc((size_t)e->usize + 1);
  if (!buf) return failf(r, XLSX_NOMEM, "%s: out of memory", name);
  int rc = XLSX_OK;
  if (e->method == 0)
    memcpy(buf, z->d + data, e->usize);
  else
    rc = inflate_raw(r, name, z->d + data, e->csize, buf, e->usize);
  if (rc == XLSX_OK && crc32(0L, buf, e->usize) != e->crc)
    rc = failf(r, XLSX_CRC_MISMATCH, "%s: CRC-32 mismatch", name);
  if (rc != XLSX_OK) {
    free(buf);
    return rc;
  }
  buf[e->usize] = '\0';
  r->budget -= e->usize;
  *out = (char *)buf;
  *out_len = e->usize;
  return XLSX_OK;
}

/* Finds and extracts; an absent entry gives XLSX_OK with *out NULL. */
static int zip_read(struct xlsx_reader *r, const struct zip *z, const char *name, char **out,
                    size_t *out_len)
{
  struct zip_entry e;
  *out = NULL;
  *out_len = 0;
  int f = zip_find(r, z, name, &e);
  if (f <= 0) return f;
  return zip_extract(r, z, name, &e, out, out_len);
}

/* ---------------------------------------------------------------- XML tokens */

enum { X_EOF, X_TEXT, X_CDATA, X_START, X_END };

struct xcur {
  const char *d;
  size_t len, pos;
};

struct xtok {
  int kind;
  const char *s; /* text or CDATA content; for tags the local name */
  size_t n;
  const char *attrs; /* start tags: the validated attribute list */
  size_t attrs_n;
  bool empty; /* <tag/> */
};

static void xml_init(struct xcur *c, const char *d, size_t len)
{
  *c = (struct xcur){d, len, 0};
  if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) c->pos = 3;
}

static bool is_ws(char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool is_name_char(char ch)
{
  return !is_ws(ch) && ch != '/' && ch != '>' && ch != '<' && ch != '=' && ch != '"' &&
         ch != '\'' && ch != '&' && ch != '\0';
}

static bool starts(const struct xcur *c, const char *lit)
{
  size_t n = strlen(lit);
  return c->len - c->pos >= n && memcmp(c->d + c->pos, lit, n) == 0;
}

static size_t skip_ws(struct xcur *c)
{
  size_t from = c->pos;
  while (c->pos < c->len && is_ws(c->d[c->pos])) c->pos++;
  return c->pos - from;
}

static size_t scan_name(struct xcur *c)
{
  size_t from = c->pos;
  while (c->pos < c->len && is_name_char(c->d[c->pos])) c->pos++;
  return c->pos - from;
}

static void local_name(const char *s, size_t n, struct xtok *t)
{
  const char *colon = memrchr(s, ':', n);
  t->s = colon ? colon + 1 : s;
  t->n = colon ? n - (size_t)(colon + 1 - s) : n;
}

/* The next token, or XLSX_BAD_XML. */
static int xml_next(struct xlsx_reader *r, struct xcur *c, struct xtok *t)
{
  for (;;) {
    *t = (struct xtok){X_EOF, NULL, 0, NULL, 0, false};
    if (c->pos >= c->len) return XLSX_OK;
    const char *here = c->d + c->pos;
    size_t rest = c->len - c->pos;
    if (*here != '<') {
      const char *lt = memchr(here, '<', rest);
      t->kind = X_TEXT;
      t->s = here;
      t->n = lt ? (size_t)(lt - here) : rest;
      c->pos += t->n;
      return XLSX_OK;
    }
    if (starts(c, "<?")) {
      const char *end = memmem(here + 2, rest - 2, "?>", 2);
      if (!end) return failf(r, XLSX_BAD_XML, "unterminated processing instruction");
      c->pos = (size_t)(end + 2 - c->d);
      continue;
    }
    if (starts(c, "<!--")) {
      const char *end = memmem(here + 4, rest - 4, "-->", 3);
      if (!end) return failf(r, XLSX_BAD_XML, "unterminated comment");
      c->pos = (size_t)(end + 3 - c->d);
      continue;
    }
    if (starts(c, "<![CDATA[")) {
      const char *end = memmem(here + 9, rest - 9, "]]>", 3);
      if (!end) return failf(r, XLSX_BAD_XML, "unterminated CDATA section");
      t->kind = X_CDATA;
      t->s = here + 9;
      t->n = (size_t)(end - t->s);
      c->pos = (size_t)(end + 3 - c->d);
      return XLSX_OK;
    }
    if (starts(c, "<!")) return failf(r, XLSX_BAD_XML, "DTD or declaration not allowed");
    if (starts(c, "</")) {
      c->pos += 2;
      const char *name = c->d + c->pos;
      size_t n = scan_name(c);
      skip_ws(c);
      if (n == 0 || c->pos >= c->len || c->d[c->pos] != '>')
        return failf(r, XLSX_BAD_XML, "malformed end tag");
      c->pos++;
      t->kind = X_END;
      local_name(name, n, t);
      return XLSX_OK;
    }
    c->pos++;
    const char *name = c->d + c->pos;
    size_t n = scan_name(c);
    if (n == 0) return failf(r, XLSX_BAD_XML, "malformed start tag");
    t->kind = X_START;
    local_name(name, n, t);
    t->attrs = c->d + c->pos;
    for (;;) {
      size_t ws = skip_ws(c);
      if (c->pos >= c->len) return failf(r, XLSX_BAD_XML, "unterminated tag");
      char ch = c->d[c->pos];
      if (ch == '>' || ch == '/') {
        t->attrs_n = (size_t)(c->d + c->pos - t->attrs);
        if (ch == '/') {
          if (c->len - c->pos < 2 || c->d[c->pos + 1] != '>')
            return failf(r, XLSX_BAD_XML, "malformed empty tag");
          t->empty = true;
          c->pos++;
        }
        c->pos++;
        return XLSX_OK;
      }
      if (ws == 0 || scan_name(c) == 0) return failf(r, XLSX_BAD_XML, "malformed attribute");
      skip_ws(c);
      if (c->pos >= c->len || c->d[c->pos] != '=')
        return failf(r, XLSX_BAD_XML, "attribute without value");
      c->pos++;
      skip_ws(c);
      if (c->pos >= c->len || (c->d[c->pos] != '"' && c->d[c->pos] != '\''))
        return failf(r, XLSX_BAD_XML, "unquoted attribute value");
      char q = c->d[c->pos++];
      const char *v = c->d + c->pos;
      const char *end = memchr(v, q, c->len - c->pos);
      if (!end || memchr(v, '<', (size_t)(end - v)))
        return failf(r, XLSX_BAD_XML, "malformed attribute value");
      c->pos = (size_t)(end + 1 - c->d);
    }
  }
}

static bool tok_is(const struct xtok *t, int kind, const char *name)
{
  return t->kind == kind && t->n == strlen(name) && memcmp(t->s, name, t->n) == 0;
}

/* The raw (still escaped) value of the attribute with this local name. The list was
 * validated by xml_next, so this walk can be simple. Namespace declarations are skipped. */
static bool xml_attr(const struct xtok *t, const char *local, const char **v, size_t *vn)
{
  const char *p = t->attrs, *end = t->attrs + t->attrs_n;
  size_t want = strlen(local);
  while (p < end) {
    while (p < end && is_ws(*p)) p++;
    if (p >= end) break;
    const char *name = p;
    while (p < end && is_name_char(*p)) p++;
    size_t n = (size_t)(p - name);
    while (p < end && *p != '"' && *p != '\'') p++;
    if (p >= end) break;
    char q = *p++;
    const char *val = p;
    while (p < end && *p != q) p++;
    if (p >= end) break;
    size_t val_n = (size_t)(p - val);
    p++;
    if ((n == 5 && memcmp(name, "xmlns", 5) == 0) || (n > 6 && memcmp(name, "xmlns:", 6) == 0))
      continue;
    struct xtok ln;
    local_name(name, n, &ln);
    if (ln.n == want && memcmp(ln.s, local, want) == 0) {
      *v = val;
      *vn = val_n;
      return true;
    }
  }
  return false;
}

/* ---------------------------------------------------------------- text decoding */

static bool is_xml_char(uint32_t cp)
{
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Length of the valid UTF-8 sequence at s (strict: no overlongs, surrogates, > U+10FFFF),
 * or 0. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
  unsigned char b = s[0];
  size_t len;
  uint32_t v, min;
  if (b < 0x80) {
    *cp = b;
    return 1;
  } else if (b >= 0xC2 && b <= 0xDF) {
    len = 2, v = b & 0x1F, min = 0x80;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3, v = b & 0x0F, min = 0x800;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4, v = b & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = v << 6 | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
  out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static int hex_digit(char ch)
{
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* Decodes one entity reference s[0..n) (without '&' and ';') into out; returns the byte
 * count or 0 if it is not a valid reference. */
static size_t decode_entity(const char *s, size_t n, char *out)
{
  static const struct {
    const char *name;
    char ch;
  } named[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
    if (n == strlen(named[i].name) && memcmp(s, named[i].name, n) == 0) {
      out[0] = named[i].ch;
      return 1;
    }
  }
  if (n < 2 || s[0] != '#') return 0;
  bool hex = s[1] == 'x';
  size_t i = hex ? 2 : 1;
  if (i >= n) return 0;
  uint32_t cp = 0;
  for (; i < n; i++) {
    int dv = hex ? hex_digit(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
    if (dv < 0) return 0;
    cp = cp * (hex ? 16 : 10) + (uint32_t)dv;
    if (cp > 0x10FFFF) return 0;
  }
  if (!is_xml_char(cp)) return 0;
  return utf8_encode(cp, out);
}

/* Appends text s[0..n) to b: entities decoded (unless cdata), UTF-8 and XML characters
 * checked, line ends normalised. */
static int put_text(struct xlsx_reader *r, struct tbuf *b, const char *s, size_t n, bool cdata)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t run = 0, i = 0;
  int rc;
  while (i < n) {
    unsigned char ch = u[i];
    if (ch >= 0x20 && ch < 0x80 && (ch != '&' || cdata)) {
      i++;
      continue;
    }
    if (ch == '\t' || ch == '\n') {
      i++;
      continue;
    }
    if (ch >= 0x80) {
      uint32_t cp;
      size_t len = utf8_decode(u + i, n - i, &cp);
      if (len == 0) return failf(r, XLSX_BAD_XML, "invalid UTF-8");
      if (!is_xml_char(cp)) return failf(r, XLSX_BAD_XML, "character U+%04X not allowed", cp);
      i += len;
      continue;
    }
    /* '&', '\r' or another control character: flush the plain run first */
    if ((rc = tb_put(b, s + run, i - run)) != XLSX_OK) return rc;
    if (ch == '\r') {
      if ((rc = tb_put(b, "\n", 1)) != XLSX_OK) return rc;
      i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
    } else if (ch == '&') {
      size_t lim = n - i - 1 < 32 ? n - i - 1 : 32;
      const char *semi = memchr(s + i + 1, ';', lim);
      char enc[4];
      size_t len = semi ? decode_entity(s + i + 1, (size_t)(semi - s - i - 1), enc) : 0;
      if (len == 0) return failf(r, XLSX_BAD_XML, "invalid entity or character reference");
      if ((rc = tb_put(b, enc, len)) != XLSX_OK) return rc;
      i = (size_t)(semi - s) + 1;
    } else {
      return failf(r, XLSX_BAD_XML, "control character 0x%02X in text", ch);
    }
    run = i;
  }
  return tb_put(b, s + run, n - run);
}

/* Decodes an attribute value into out (NUL-terminated); false if invalid or too long. */
static bool attr_text(struct xlsx_reader *r, const struct xtok *t, const char *local, char *out,
                      size_t outsz, bool *present)
{
  const char *v = NULL;
  size_t vn = 0;
  *present = xml_attr(t, local, &v, &vn);
  out[0] = '\0';
  if (!*present) return true;
  char saved[sizeof r->detail];
  memcpy(saved, r->detail, sizeof saved);
  struct tbuf b = {NULL, 0, 0, outsz - 1};
  int rc = put_text(r, &b, v, vn, false);
  memcpy(r->detail, saved, sizeof saved);
  if (rc == XLSX_OK && b.d) memcpy(out, b.d, b.len + 1);
  free(b.d);
  return rc == XLSX_OK;
}

/* Excel's ST_Xstring escapes: _xHHHH_ stands for U+HHHH (how Excel stores control
 * characters such as CR; a literal "_x0041_" is itself stored as "_x005F_x0041_"). In
 * place: an escape is 7 bytes and its UTF-8 at most 3. NUL and surrogates stay literal. */
static size_t unescape_x(char *s, size_t n)
{
  size_t i = 0, o = 0;
  while (i < n) {
    if (s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_') {
      uint32_t cp = 0;
      bool ok = true;
      for (size_t k = 2; k < 6; k++) {
        int dv = hex_digit(s[i + k]);
        if (dv < 0) ok = false;
        cp = cp << 4 | (uint32_t)(dv < 0 ? 0 : dv);
      }
      if (ok && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
        o += utf8_encode(cp, s + o);
        i += 7;
        continue;
      }
    }
    s[o++] = s[i++];
  }
  if (o < n) s[o] = '\0';
  return o;
}

/* ---------------------------------------------------------------- structure helpers */

/* Skips the rest of an element whose non-empty start tag was just read. */
static int skip_element(struct xlsx_reader *r, struct xcur *c)
{
  size_t depth = 1;
  struct xtok t;
  for (;;) {
    int rc = xml_next(r, c, &t);
    if (rc != XLSX_OK) return rc;
    if (t.kind == X_EOF) return failf(r, XLSX_BAD_XML, "element not closed");
    if (t.kind == X_START && !t.empty) depth++;
    if (t.kind == X_END && --depth == 0) return XLSX_OK;
  }
}

/* Reads a string item (<si> or <is>) whose non-empty start tag was just read: the text of
 * every <t> in it, in order, except inside phonetic runs <rPh>. */
static int read_rich(struct xlsx_reader *r, struct xcur *c, struct tbuf *b)
{
  size_t depth = 0, in_t = 0, in_rph = 0; /* in_t / in_rph: depth where opened, 0 = not */
  struct xtok t;
  for (;;) {
    int rc = xml_next(r, c, &t);
    if (rc != XLSX_OK) return rc;
    switch (t.kind) {
    case X_EOF:
      return failf(r, XLSX_BAD_XML, "string item not closed");
    case X_TEXT:
    case X_CDATA:
      if (in_t && !in_rph && (rc = put_text(r, b, t.s, t.n, t.kind == X_CDATA)) != XLSX_OK)
        return rc;
      break;
    case X_START:
      if (t.empty) break;
      depth++;
      if (!in_rph && tok_is(&t, X_START, "rPh")) in_rph = depth;
      if (!in_t && tok_is(&t, X_START, "t")) in_t = depth;
      break;
    case X_END:
      if (depth == 0) return XLSX_OK;
      if (in_t == depth) in_t = 0;
      if (in_rph == depth) in_rph = 0;
      depth--;
      break;
    }
  }
}

/* Reads the text of an element with no children (<v>) whose non-empty start tag was read. */
static int read_plain(struct xlsx_reader *r, struct xcur *c, struct tbuf *b)
{
  struct xtok t;
  for (;;) {
    int rc = xml_next(r, c, &t);
    if (rc != XLSX_OK) return rc;
    if (t.kind == X_EOF || t.kind == X_START)
      return failf(r, XLSX_BAD_XML, "malformed <v> element");
    if (t.kind == X_END) return XLSX_OK;
    if ((rc = put_text(r, b, t.s, t.n, t.kind == X_CDATA)) != XLSX_OK) return rc;
  }
}

/* ---------------------------------------------------------------- workbook and rels */

struct rel {
  char id[64];
  char target[512];
  int kind; /* 0 other, 1 worksheet, 2 shared strings */
};

static bool ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* A relationship target, relative to xl/ or absolute from the package root, as a ZIP entry
 * name with "." and ".." resolved. */
static bool resolve_target(const char *target, char *out, size_t outsz)
{
  char tmp[600];
  int n = snprintf(tmp, sizeof tmp, "%s%s", target[0] == '/' ? "" : "xl/", target);
  if (n < 0 || (size_t)n >= sizeof tmp) return false;
  size_t o = 0;
  char *save = NULL;
  for (char *seg = strtok_r(tmp, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
    if (strcmp(seg, ".") == 0) continue;
    if (strcmp(seg, "..") == 0) {
      if (o == 0) return false;
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--; /* the '/' itself */
      continue;
    }
    size_t k = strlen(seg);
    if (o + (o > 0) + k + 1 > outsz) return false;
    if (o > 0) out[o++] = '/';
    memcpy(out + o, seg, k);
    o += k;
  }
  if (o == 0) return false;
  out[o] = '\0';
  return true;
}

static int parse_rels(struct xlsx_reader *r, const char *xml, size_t len, struct rel **out,
                      size_t *n_out)
{
  struct xcur c;
  struct xtok t;
  struct rel *rels = NULL;
  size_t n = 0, cap = 0;
  int rc;
  xml_init(&c, xml, len);
  while ((rc = xml_next(r, &c, &t)) == XLSX_OK && t.kind != X_EOF) {
    if (!tok_is(&t, X_START, "Relationship")) continue;
    if (n == MAX_RELS) {
      rc = failf(r, XLSX_BAD_XML, "more than %u relationships", MAX_RELS);
      break;
    }
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 16;
      struct rel *grown = realloc(rels, nc * sizeof *rels);
      if (!grown) {
        rc = failf(r, XLSX_NOMEM, "out of memory");
        break;
      }
      rels = grown;
      cap = nc;
    }
    struct rel *x = &rels[n];
    char type[256], mode[32];
    bool has_id, has_target, has_type, has_mode;
    if (!attr_text(r, &t, "Id", x->id, sizeof x->id, &has_id) ||
        !attr_text(r, &t, "Target", x->target, sizeof x->target, &has_target) ||
        !attr_text(r, &t, "Type", type, sizeof type, &has_type) ||
        !attr_text(r, &t, "TargetMode", mode, sizeof mode, &has_mode)) {
      rc = failf(r, XLSX_BAD_XML, "malformed relationship");
      break;
    }
    if (!has_id || !has_target) continue;
    x->kind = 0;
    if (!has_mode || strcmp(mode, "Internal") == 0) {
      if (ends_with(type, "/worksheet")) x->kind = 1;
      if (ends_with(type, "/sharedStrings")) x->kind = 2;
    }
    n++;
  }
  if (rc != XLSX_OK) {
    free(rels);
    return rc;
  }
  *out = rels;
  *n_out = n;
  return XLSX_OK;
}

/* Finds the first worksheet and the shared strings part. ss_path is "" when unknown. */
static int locate_parts(struct xlsx_reader *r, const struct zip *z, char *sheet_path,
                        char *ss_path, size_t pathsz)
{
  char *wb = NULL, *relsxml = NULL;
  size_t wb_len, rels_len;
  struct rel *rels = NULL;
  size_t n_rels = 0;
  int rc = zip_read(r, z, "xl/workbook.xml", &wb, &wb_len);
  if (rc == XLSX_OK && !wb) rc = failf(r, XLSX_MISSING_PART, "xl/workbook.xml missing");
  if (rc == XLSX_OK) rc = zip_read(r, z, "xl/_rels/workbook.xml.rels", &relsxml, &rels_len);
  if (rc == XLSX_OK && relsxml) rc = parse_rels(r, relsxml, rels_len, &rels, &n_rels);
  if (rc != XLSX_OK) goto out;

  snprintf(ss_path, pathsz, "xl/sharedStrings.xml");
  if (!relsxml) { /* no relationships: the conventional names */
    snprintf(sheet_path, pathsz, "xl/worksheets/sheet1.xml");
    goto out;
  }
  for (size_t i = 0; i < n_rels; i++) {
    if (rels[i].kind == 2) {
      if (!resolve_target(rels[i].target, ss_path, pathsz))
        rc = failf(r, XLSX_MISSING_PART, "bad shared strings target");
      break;
    }
  }
  if (rc != XLSX_OK) goto out;

  struct xcur c;
  struct xtok t;
  size_t sheets = 0;
  xml_init(&c, wb, wb_len);
  sheet_path[0] = '\0';
  while (!sheet_path[0] && (rc = xml_next(r, &c, &t)) == XLSX_OK && t.kind != X_EOF) {
    if (!tok_is(&t, X_START, "sheet")) continue;
    if (++sheets > MAX_SHEETS) {
      rc = failf(r, XLSX_MISSING_PART, "no worksheet among the first %u sheets", MAX_SHEETS);
      break;
    }
    char id[64];
    bool has_id;
    if (!attr_text(r, &t, "id", id, sizeof id, &has_id) || !has_id) continue;
    for (size_t i = 0; i < n_rels; i++) {
      if (strcmp(rels[i].id, id) != 0) continue;
      if (rels[i].kind == 1 && !resolve_target(rels[i].target, sheet_path, pathsz))
        rc = failf(r, XLSX_MISSING_PART, "bad worksheet target");
      break;
    }
    if (rc != XLSX_OK) break;
  }
  if (rc == XLSX_OK && !sheet_path[0])
    rc = failf(r, XLSX_MISSING_PART, "the workbook lists no worksheet");
out:
  free(wb);
  free(relsxml);
  free(rels);
  return rc;
}

/* ---------------------------------------------------------------- shared strings */

static int parse_shared_strings(struct xlsx_reader *r, const char *xml, size_t len)
{
  struct xcur c;
  struct xtok t;
  int rc;
  r->ss.max = SIZE_MAX / 2;
  xml_init(&c, xml, len);
  while ((rc = xml_next(r, &c, &t)) == XLSX_OK && t.kind != X_EOF) {
    if (!tok_is(&t, X_START, "si")) continue;
    if (r->ss_n == r->ss_cap) {
      size_t nc = r->ss_cap ? r->ss_cap * 2 : 256;
      size_t *o = realloc(r->ss_off, nc * sizeof *o);
      if (o) r->ss_off = o;
      size_t *l = o ? realloc(r->ss_len, nc * sizeof *l) : NULL;
      if (l) r->ss_len = l;
      if (!o || !l) return failf(r, XLSX_NOMEM, "out of memory for shared strings");
      r->ss_cap = nc;
    }
    size_t start = r->ss.len;
    if (!t.empty && (rc = read_rich(r, &c, &r->ss)) != XLSX_OK) return rc;
    size_t n = unescape_x(r->ss.d ? r->ss.d + start : NULL, r->ss.len - start);
    r->ss.len = start + n;
    r->ss_off[r->ss_n] = start;
    r->ss_len[r->ss_n] = n;
    r->ss_n++;
  }
  return rc;
}

/* ---------------------------------------------------------------- cells and rows */

/* "B3" -> column 1 (0-based), row 3. */
static bool parse_ref(const char *s, size_t *col, size_t *row)
{
  size_t i = 0, c = 0, rw = 0;
  while (s[i] >= 'A' && s[i] <= 'Z' && i < 3) c = c * 26 + (size_t)(s[i++] - 'A' + 1);
  if (i == 0 || c > MAX_EXCEL_COLS) return false;
  size_t digits = i;
  if (s[i] == '0') return false;
  while (s[i] >= '0' && s[i] <= '9' && i - digits < 7) rw = rw * 10 + (size_t)(s[i++] - '0');
  if (i == digits || s[i] != '\0' || rw > MAX_EXCEL_ROWS) return false;
  *col = c - 1;
  *row = rw;
  return true;
}

static bool parse_uint(const char *s, size_t n, size_t max, size_t *out)
{
  size_t v = 0;
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    if (v > (max - (size_t)(s[i] - '0')) / 10) return false;
    v = v * 10 + (size_t)(s[i] - '0');
  }
  *out = v;
  return true;
}

/* Normalises the number text in b: integers below 1e15 as plain digits, others %.15G.
 * XLSX_BAD_CELL if it is not a finite decimal number. */
static int format_number(struct tbuf *b)
{
  const char *s = b->d;
  size_t n = b->len, i = 0;
  while (n > 0 && is_ws(s[n - 1])) n--;
  while (i < n && is_ws(s[i])) i++;
  s += i;
  n -= i;
  if (n == 0 || n > 64) return XLSX_BAD_CELL;
  size_t k = 0, mant = 0;
  if (s[k] == '+' || s[k] == '-') k++;
  while (k < n && s[k] >= '0' && s[k] <= '9') k++, mant++;
  if (k < n && s[k] == '.') {
    k++;
    while (k < n && s[k] >= '0' && s[k] <= '9') k++, mant++;
  }
  if (mant == 0) return XLSX_BAD_CELL;
  if (k < n && (s[k] == 'e' || s[k] == 'E')) {
    k++;
    if (k < n && (s[k] == '+' || s[k] == '-')) k++;
    size_t exp = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9') k++, exp++;
    if (exp == 0) return XLSX_BAD_CELL;
  }
  if (k != n) return XLSX_BAD_CELL;
  char tmp[72];
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  double v = strtod(tmp, NULL);
  if (!isfinite(v)) return XLSX_BAD_CELL;
  if (v == floor(v) && fabs(v) < 1e15)
    snprintf(tmp, sizeof tmp, "%.0f", v == 0 ? 0.0 : v);
  else
    snprintf(tmp, sizeof tmp, "%.15G", v);
  return tb_set(b, tmp);
}

enum cell_type { T_NUM, T_SST, T_STR, T_INLINE, T_BOOL, T_ERR, T_DATE };

static int row_fail(struct xlsx_reader *r, int rc, size_t row, size_t col)
{
  r->at = (struct xlsx_position){row, col};
  return rc;
}

/* Reads a <c> whose start tag t was just read, in row `number`; *next_col is the column a
 * cell without reference takes, updated. */
static int read_cell(struct xlsx_reader *r, struct xcur *c, const struct xtok *t, size_t number,
                     size_t *next_col)
{
  char ref[16], type[16];
  bool has_ref, has_type;
  size_t col = *next_col, ref_row;
  if (!attr_text(r, t, "r", ref, sizeof ref, &has_ref))
    return row_fail(r, failf(r, XLSX_BAD_CELL, "row %zu: bad cell reference", number), number,
                    col + 1);
  if (has_ref) {
    if (!parse_ref(ref, &col, &ref_row) || ref_row != number)
      return row_fail(r, failf(r, XLSX_BAD_CELL, "row %zu: bad cell reference \"%s\"", number,
                               ref), number, *next_col + 1);
    if (col < *next_col)
      return row_fail(r, failf(r, XLSX_BAD_CELL, "row %zu: cell %s out of order", number, ref),
                      number, col + 1);
  } else if (col >= MAX_EXCEL_COLS) {
    return row_fail(r, failf(r, XLSX_BAD_CELL, "row %zu: too many cells", number), number,
                    col + 1);
  }
  *next_col = col + 1;

  enum cell_type ty = T_NUM;
  if (!attr_text(r, t, "t", type, sizeof type, &has_type)) type[0] = '?';
  if (has_type) {
    static const struct {
      const char *name;
      enum cell_type ty;
    } types[] = {{"n", T_NUM},    {"s", T_SST},   {"str", T_STR}, {"inlineStr", T_INLINE},
                 {"b", T_BOOL},   {"e", T_ERR},   {"d", T_DATE}};
    size_t i = 0;
    while (i < sizeof types / sizeof types[0] && strcmp(types[i].name, type) != 0) i++;
    if (i == sizeof types / sizeof types[0])
      return row_fail(r, failf(r, XLSX_BAD_CELL, "row %zu: unknown cell type", number), number,
                      col + 1);
    ty = types[i].ty;
  }

  struct tbuf *b = &r->cell;
  b->len = 0;
  int rc = XLSX_OK;
  if (!t->empty) {
    struct xtok k;
    for (;;) {
      if ((rc = xml_next(r, c, &k)) != XLSX_OK) break;
      if (k.kind == X_EOF) {
        rc = failf(r, XLSX_BAD_XML, "cell not closed");
        break;
      }
      if (k.kind == X_END) break; /* </c> */
      if (k.kind != X_START || k.empty) continue;
      if (tok_is(&k, X_START, "v")) {
        b->len = 0;
        rc = read_plain(r, c, b);
      } else if (tok_is(&k, X_START, "is")) {
        b->len = 0;
        rc = read_rich(r, c, b);
      } else {
        rc = skip_element(r, c); /* <f>, <extLst> */
      }
      if (rc != XLSX_OK) break;
    }
  }
  if (rc == XLSX_CELL_TOO_LONG)
    failf(r, rc, "row %zu column %zu: cell longer than %zu bytes", number, col + 1,
          r->lim.max_cell_len);
  if (rc != XLSX_OK) return row_fail(r, rc, number, col + 1);

  if (b->len > 0) {
    size_t idx;
    switch (ty) {
    case T_NUM:
      if ((rc = format_number(b)) == XLSX_BAD_CELL)
        failf(r, rc, "row %zu column %zu: bad number", number, col + 1);
      break;
    case T_SST:
      if (!parse_uint(b->d, b->len, SIZE_MAX, &idx) || idx >= r->ss_n) {
        rc = failf(r, XLSX_BAD_CELL, "row %zu column %zu: bad shared string index", number,
                   col + 1);
      } else {
        b->len = 0;
        /* when every shared string is empty the table's text was never allocated: NULL + 0
         * is undefined behaviour even with nothing to copy (F-L7), so an empty string is
         * taken as it is */
        rc = r->ss_len[idx] ? tb_put(b, r->ss.d + r->ss_off[idx], r->ss_len[idx]) : tb_put(b, "", 0);
      }
      break;
    case T_STR:
    case T_INLINE:
      b->len = unescape_x(b->d, b->len);
      break;
    case T_BOOL:
      if (b->len == 1 && (b->d[0] == '0' || b->d[0] == '1'))
        rc = tb_set(b, b->d[0] == '1' ? "TRUE" : "FALSE");
      else
        rc = failf(r, XLSX_BAD_CELL, "row %zu column %zu: bad boolean", number, col + 1);
      break;
    case T_ERR:
    case T_DATE:
      break;
    }
    if (rc == XLSX_CELL_TOO_LONG)
      failf(r, rc, "row %zu column %zu: cell longer than %zu bytes", number, col + 1,
            r->lim.max_cell_len);
    if (rc == XLSX_NOMEM) failf(r, rc, "out of memory");
    if (rc != XLSX_OK) return row_fail(r, rc, number, col + 1);
  }
  if (b->len == 0) return XLSX_OK;
  if (col >= r->lim.max_cols)
    return row_fail(r,
                    failf(r, XLSX_TOO_MANY_COLS, "row %zu: value in column %zu, limit %zu",
                          number, col + 1, r->lim.max_cols),
                    number, col + 1);
  r->off[col] = r->text.len;
  r->flen[col] = b->len;
  if ((rc = tb_put(&r->text, b->d, b->len + 1)) != XLSX_OK) /* with its NUL */
    return row_fail(r, rc == XLSX_NOMEM ? failf(r, rc, "out of memory") : rc, number, col + 1);
  r->count = col + 1;
  return XLSX_OK;
}

/* Parses the next <row> into the row buffers and sets r->pending, or returns XLSX_END. */
static int parse_row(struct xlsx_reader *r)
{
  struct xcur c = {r->sheet, r->sheet_len, r->pos};
  struct xtok t;
  int rc;
  for (;;) {
    if ((rc = xml_next(r, &c, &t)) != XLSX_OK) return row_fail(r, rc, r->last + 1, 0);
    if (t.kind == X_EOF)
      return row_fail(r, failf(r, XLSX_BAD_XML, "<sheetData> not closed"), r->last + 1, 0);
    if (t.kind == X_END) {
      if (tok_is(&t, X_END, "sheetData")) return XLSX_END;
      return row_fail(r, failf(r, XLSX_BAD_XML, "unexpected end tag in <sheetData>"),
                      r->last + 1, 0);
    }
    if (t.kind != X_START) continue;
    if (tok_is(&t, X_START, "row")) break;
    if (!t.empty && (rc = skip_element(r, &c)) != XLSX_OK) return row_fail(r, rc, r->last + 1, 0);
  }

  char num[16];
  bool has_num;
  size_t number = r->last + 1;
  if (!attr_text(r, &t, "r", num, sizeof num, &has_num) ||
      (has_num && !parse_uint(num, strlen(num), MAX_EXCEL_ROWS, &number)) || number == 0)
    return row_fail(r, failf(r, XLSX_BAD_CELL, "after row %zu: bad row number", r->last),
                    r->last + 1, 0);
  if (number <= r->last)
    return row_fail(r, failf(r, XLSX_BAD_CELL, "row %zu after row %zu", number, r->last),
                    number, 0);
  if (number > r->lim.max_rows)
    return row_fail(r, failf(r, XLSX_TOO_MANY_ROWS, "row %zu, over the limit of %zu", number,
                             r->lim.max_rows), number, 0);
  r->last = number;
  for (size_t i = 0; i < r->count; i++) r->flen[i] = 0;
  r->count = 0;
  r->text.len = 0;

  size_t next_col = 0;
  if (!t.empty) {
    for (;;) {
      struct xtok k;
      if ((rc = xml_next(r, &c, &k)) != XLSX_OK) return row_fail(r, rc, number, 0);
      if (k.kind == X_EOF)
        return row_fail(r, failf(r, XLSX_BAD_XML, "row %zu not closed", number), number, 0);
      if (k.kind == X_END) break; /* </row> */
      if (k.kind != X_START) continue;
      if (tok_is(&k, X_START, "c"))
        rc = read_cell(r, &c, &k, number, &next_col);
      else if (!k.empty)
        rc = skip_element(r, &c);
      if (rc != XLSX_OK) return r->at.row ? rc : row_fail(r, rc, number, 0);
    }
  }
  r->pos = c.pos;
  for (size_t i = 0; i < r->count; i++) {
    r->fields[i] = r->flen[i] ? r->text.d + r->off[i] : "";
    r->lengths[i] = r->flen[i];
  }
  r->pending = number;
  return XLSX_OK;
}

/* Positions r->pos just inside <sheetData>; r->state = XLSX_END for an empty sheet. */
static int find_sheet_data(struct xlsx_reader *r)
{
  struct xcur c;
  struct xtok t;
  xml_init(&c, r->sheet, r->sheet_len);
  for (;;) {
    int rc = xml_next(r, &c, &t);
    if (rc != XLSX_OK) return rc;
    if (t.kind == X_EOF) return failf(r, XLSX_BAD_XML, "worksheet has no <sheetData>");
    if (tok_is(&t, X_START, "sheetData")) break;
  }
  r->pos = c.pos;
  if (t.empty) r->state = XLSX_END;
  return XLSX_OK;
}

/* ---------------------------------------------------------------- public API */

void xlsx_read_free(struct xlsx_reader *r)
{
  if (!r) return;
  free(r->sheet);
  free(r->ss.d);
  free(r->ss_off);
  free(r->ss_len);
  free(r->cell.d);
  free(r->text.d);
  free(r->off);
  free(r->flen);
  free(r->fields);
  free(r->lengths);
  free(r);
}

int xlsx_read_open(const unsigned char *data, size_t len, const struct xlsx_limits *limits,
                   struct xlsx_reader **out, char *err, size_t errlen)
{
  if (err && errlen) err[0] = '\0';
  if (!out || (!data && len > 0)) {
    if (err && errlen) snprintf(err, errlen, "invalid arguments");
    return XLSX_INVALID;
  }
  *out = NULL;
  struct xlsx_reader *r = calloc(1, sizeof *r);
  if (!r) {
    if (err && errlen) snprintf(err, errlen, "out of memory");
    return XLSX_NOMEM;
  }
  struct xlsx_limits lim = {XLSX_DEFAULT_MAX_ROWS, XLSX_DEFAULT_MAX_COLS,
                            XLSX_DEFAULT_MAX_CELL_LEN, XLSX_DEFAULT_MAX_UNCOMPRESSED};
  if (limits) {
    if (limits->max_rows) lim.max_rows = limits->max_rows;
    if (limits->max_cols) lim.max_cols = limits->max_cols;
    if (limits->max_cell_len) lim.max_cell_len = limits->max_cell_len;
    if (limits->max_uncompressed) lim.max_uncompressed = limits->max_uncompressed;
  }
  if (lim.max_cell_len > SIZE_MAX / 4) lim.max_cell_len = SIZE_MAX / 4;
  if (lim.max_cols > MAX_EXCEL_COLS) lim.max_cols = MAX_EXCEL_COLS;
  r->lim = lim;
  r->budget = lim.max_uncompressed;
  r->cell.max = lim.max_cell_len;
  r->text.max = lim.max_cols * (lim.max_cell_len + 1) / lim.max_cols == lim.max_cell_len + 1
                    ? lim.max_cols * (lim.max_cell_len + 1)
                    : SIZE_MAX / 2;
  r->next = 1;
  r->state = XLSX_OK;

  struct zip z;
  char sheet_path[512], ss_path[512];
  char *ss = NULL;
  size_t ss_len = 0;
  static const unsigned char nothing[8];
  int rc = zip_open(r, &z, data ? data : nothing, len);
  if (rc == XLSX_OK) rc = locate_parts(r, &z, sheet_path, ss_path, sizeof sheet_path);
  if (rc == XLSX_OK) rc = zip_read(r, &z, ss_path, &ss, &ss_len);
  if (rc == XLSX_OK && ss) rc = parse_shared_strings(r, ss, ss_len);
  free(ss);
  if (rc == XLSX_OK) rc = zip_read(r, &z, sheet_path, &r->sheet, &r->sheet_len);
  if (rc == XLSX_OK && !r->sheet) rc = failf(r, XLSX_MISSING_PART, "%s missing", sheet_path);
  if (rc == XLSX_OK) rc = find_sheet_data(r);
  if (rc == XLSX_OK) {
    r->off = calloc(lim.max_cols, sizeof *r->off);
    r->flen = calloc(lim.max_cols, sizeof *r->flen);
    r->fields = calloc(lim.max_cols, sizeof *r->fields);
    r->lengths = calloc(lim.max_cols, sizeof *r->lengths);
    if (!r->off || !r->flen || !r->fields || !r->lengths)
      rc = failf(r, XLSX_NOMEM, "out of memory");
  }
  if (rc != XLSX_OK) {
    if (err && errlen) snprintf(err, errlen, "%s", r->detail);
    xlsx_read_free(r);
    return rc;
  }
  r->detail[0] = '\0';
  *out = r;
  return XLSX_OK;
}

int xlsx_read_next_row(struct xlsx_reader *r, struct xlsx_row *row)
{
  if (!r || !row) return XLSX_INVALID;
  if (r->state != XLSX_OK) return r->state;
  if (!r->pending) {
    int rc = parse_row(r);
    if (rc != XLSX_OK) {
      if (rc == XLSX_END) r->at = (struct xlsx_position){0, 0};
      return r->state = rc;
    }
  }
  if (r->pending > r->next) { /* a row missing from the file */
    *row = (struct xlsx_row){0, r->fields, r->lengths, r->next++};
    return XLSX_OK;
  }
  *row = (struct xlsx_row){r->count, r->fields, r->lengths, r->pending};
  r->next = r->pending + 1;
  r->pending = 0;
  return XLSX_OK;
}

struct xlsx_position xlsx_read_error_position(const struct xlsx_reader *r)
{
  if (!r || r->state >= XLSX_OK) return (struct xlsx_position){0, 0};
  return r->at;
}

const char *xlsx_read_error_detail(const struct xlsx_reader *r)
{
  return r && r->state < XLSX_OK ? r->detail : "";
}

bool xlsx_row_is_blank(const struct xlsx_row *row)
{
  return row && row->count == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long days_from_civil(long y, long m, long d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

int xlsx_read_serial_to_date(double serial)
{
  if (!(serial >= 1.0) || serial >= 2958466.0) return -1; /* 2958465 is 9999-12-31 */
  long s = (long)floor(serial);
  if (s == 60) return -1; /* 1900-02-29, which Excel (after Lotus) believes existed */
  /* Serials 1..59 count from 1899-12-31; from 61 on, one day is phantom, so 1899-12-30. */
  long days = days_from_civil(1899, 12, s < 60 ? 31 : 30) + s;
  long y, m, d;
  civil_from_days(days, &y, &m, &d);
  return (int)(y * 10000 + m * 100 + d);
}

static const struct {
  int rc;
  const char *code;
  const char *zh;
} results[] = {
    {XLSX_OK, "ok", "读取成功"},
    {XLSX_END, "xlsx_end", "工作表已读完"},
    {XLSX_NOT_ZIP, "xlsx_not_zip", "文件不是有效的 Excel（.xlsx）文件，请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”后重新上传"},
    {XLSX_LEGACY_FORMAT, "xlsx_legacy_format", "这是旧版 Excel（.xls）文件或设置了打开密码的文件，请取消密码并另存为“Excel 工作簿（*.xlsx）”后重新上传"},
    {XLSX_BAD_ZIP, "xlsx_bad_zip", "文件已损坏或不完整（可能上传中断），请重新保存后上传"},
    {XLSX_ZIP64, "xlsx_zip64", "文件过大或格式不受支持（ZIP64），请删除多余内容后重新保存"},
    {XLSX_ENCRYPTED, "xlsx_encrypted", "文件已加密，请取消密码后重新上传"},
    {XLSX_BAD_COMPRESSION, "xlsx_bad_compression", "文件使用了不支持的压缩方式，请在 Excel 或 WPS 中重新保存后上传"},
    {XLSX_TOO_BIG, "xlsx_too_big", "文件解压后内容过大，超过上限"},
    {XLSX_CORRUPT_DATA, "xlsx_corrupt_data", "文件内容已损坏，无法解压，请重新保存后上传"},
    {XLSX_CRC_MISMATCH, "xlsx_crc_mismatch", "文件校验失败（内容已损坏），请重新保存后上传"},
    {XLSX_MISSING_PART, "xlsx_missing_part", "文件中找不到工作表，请确认是 Excel 工作簿且第一个工作表是数据表"},
    {XLSX_BAD_XML, "xlsx_bad_xml", "文件内部格式有误，请在 Excel 或 WPS 中重新保存后上传"},
    {XLSX_BAD_CELL, "xlsx_bad_cell", "工作表中有无法识别的单元格，请在 Excel 或 WPS 中重新保存后上传"},
    {XLSX_TOO_MANY_ROWS, "xlsx_too_many_rows", "工作表行数超过上限，请分批上传"},
    {XLSX_TOO_MANY_COLS, "xlsx_too_many_cols", "工作表列数超过上限，请删除多余的列"},
    {XLSX_CELL_TOO_LONG, "xlsx_cell_too_long", "单元格内容超过长度上限"},
    {XLSX_NOMEM, "xlsx_nomem", "内存不足，无法读取文件"},
    {XLSX_INVALID, "xlsx_invalid", "读取参数无效"},
};

const char *xlsx_read_result_message_zh(int rc)
{
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (results[i].rc == rc) return results[i].zh;
  return "读取Excel文件时出现未知错误";
}

const char *xlsx_read_result_code(int rc)
{
  for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
    if (results[i].rc == rc) return results[i].code;
  return "xlsx_unknown";
}
