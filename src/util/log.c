/* log — stderr lines. The access line is JSON so tools can read it; the strings it carries
 * (URL, user name) are escaped here because they come from the network. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>

static int quiet;

void log_set_quiet(int q) { quiet = q; }

static void vlog(const char *level, const char *module, const char *fmt, va_list ap)
{
  char line[2048];
  vsnprintf(line, sizeof line, fmt, ap);
  fprintf(stderr, "%s %s: %s\n", level, module, line);
}

void log_info(const char *module, const char *fmt, ...)
{
  if (quiet) return;
  va_list ap;
  va_start(ap, fmt);
  vlog("INFO", module, fmt, ap);
  va_end(ap);
}

void log_error(const char *module, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vlog("ERROR", module, fmt, ap);
  va_end(ap);
}

static void put_json_string(FILE *f, const char *s)
{
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

void log_access(const char *when, const char *ip, const char *method, const char *url, int status,
                const char *user, double ms, long bytes)
{
  if (quiet) return;
  flockfile(stderr);
  fprintf(stderr, "{\"t\":\"%s\",\"ip\":", when);
  put_json_string(stderr, ip);
  fputs(",\"m\":", stderr);
  put_json_string(stderr, method);
  fputs(",\"url\":", stderr);
  put_json_string(stderr, url);
  fprintf(stderr, ",\"status\":%d,\"user\":", status);
  put_json_string(stderr, user);
  fprintf(stderr, ",\"ms\":%.2f,\"bytes\":%ld}\n", ms, bytes);
  funlockfile(stderr);
}
