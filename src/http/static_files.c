/* static_files — a flat table of (path, response, gzip response), built once. Responses are
 * created with MHD_RESPMEM_MUST_COPY and kept for the life of the server, so serving a file
 * is a lookup and a queue, with no disk and no allocation. */
#include "http/static_files.h"

#include <dirent.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "util/log.h"

#define MAX_FILES 512
#define MAX_FILE_BYTES (16 * 1024 * 1024)

struct static_file {
  char *url;
  struct MHD_Response *plain;
  struct MHD_Response *gzip;   /* NULL for files that do not shrink (images, fonts) */
};

struct static_files {
  struct static_file files[MAX_FILES];
  int count;
};

static const char *content_type(const char *path)
{
  static const char *const TYPES[][2] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
    {".svg", "image/svg+xml"},             {".png", "image/png"},
    {".ico", "image/x-icon"},              {".woff2", "font/woff2"},  {".csv", "text/csv; charset=utf-8"},
    {".woff", "font/woff"},                {".ttf", "font/ttf"},
  };
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
    if (strcmp(dot, TYPES[i][0]) == 0) return TYPES[i][1];
  return "application/octet-stream";
}

static bool compressible(const char *type)
{
  return strncmp(type, "text/", 5) == 0 || strstr(type, "json") || strstr(type, "svg");
}

static void add_headers(struct MHD_Response *r, const char *url, const char *type, bool gz)
{
  MHD_add_response_header(r, "Content-Type", type);
  bool hashed = strncmp(url, "/assets/", 8) == 0;
  MHD_add_response_header(r, "Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  MHD_add_response_header(r, "Vary", "Accept-Encoding");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline';"
                          " script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
  if (gz) MHD_add_response_header(r, "Content-Encoding", "gzip");
}

static struct MHD_Response *gzip_response(const char *data, size_t len)
{
  uLongf cap = compressBound(len) + 32;
  unsigned char *out = malloc(cap);
  if (!out) return NULL;
  z_stream zs = {0};
  struct MHD_Response *r = NULL;
  /* level 6: nearly the size of 9 at a fraction of the time, which counts at start-up */
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK) {
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out < len)
      r = MHD_create_response_from_buffer(zs.total_out, out, MHD_RESPMEM_MUST_COPY);
    deflateEnd(&zs);
  }
  free(out);
  return r;
}

static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && sb.st_size <= MAX_FILE_BYTES && (buf = malloc((size_t)sb.st_size + 1))) {
    *len = fread(buf, 1, (size_t)sb.st_size, f);
    if (*len != (size_t)sb.st_size) { free(buf); buf = NULL; }
  }
  fclose(f);
  return buf;
}

static int add_file(struct static_files *files, const char *path, const char *url)
{
  if (files->count >= MAX_FILES) { log_error("static", "more than %d files in the UI", MAX_FILES); return -1; }
  size_t len = 0;
  char *data = read_file(path, &len);
  if (!data) { log_error("static", "cannot read %s", path); return -1; }
  const char *type = content_type(path);
  struct static_file *sf = &files->files[files->count];
  sf->url = strdup(url);
  sf->plain = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_COPY);
  /* `make ui` leaves a .gz beside each text file, so start-up need not compress; without one
   * (a UI built by hand) it is compressed here */
  char gz_path[1100];
  size_t gz_len = 0;
  snprintf(gz_path, sizeof gz_path, "%s.gz", path);
  char *gz = compressible(type) ? read_file(gz_path, &gz_len) : NULL;
  if (gz) sf->gzip = MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_MUST_COPY);
  else sf->gzip = compressible(type) && len > 256 ? gzip_response(data, len) : NULL;
  free(gz);
  free(data);
  if (!sf->url || !sf->plain) return -1;
  add_headers(sf->plain, url, type, false);
  if (sf->gzip) add_headers(sf->gzip, url, type, true);
  files->count++;
  return 0;
}

static int walk(struct static_files *files, const char *dir, const char *url_prefix)
{
  DIR *d = opendir(dir);
  if (!d) return -1;
  int rc = 0;
  struct dirent *e;
  while (rc == 0 && (e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || (n > 3 && strcmp(e->d_name + n - 3, ".gz") == 0)) continue;
    char path[1024], url[1024];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    snprintf(url, sizeof url, "%s/%s", url_prefix, e->d_name);
    struct stat sb;
    if (stat(path, &sb) != 0) continue;
    rc = S_ISDIR(sb.st_mode) ? walk(files, path, url) : add_file(files, path, url);
  }
  closedir(d);
  return rc;
}

int static_files_load(const char *dir, struct static_files **out)
{
  *out = calloc(1, sizeof **out);
  if (!*out) return -1;
  if (!dir) return 0;
  if (walk(*out, dir, "") != 0) {
    log_error("static", "cannot load the UI from %s (run `make ui`)", dir);
    return -1;
  }
  log_info("static", "loaded %d UI files from %s", (*out)->count, dir);
  return 0;
}

void static_files_free(struct static_files *files)
{
  if (!files) return;
  for (int i = 0; i < files->count; i++) {
    free(files->files[i].url);
    if (files->files[i].plain) MHD_destroy_response(files->files[i].plain);
    if (files->files[i].gzip) MHD_destroy_response(files->files[i].gzip);
  }
  free(files);
}

struct MHD_Response *static_files_find(const struct static_files *files, const char *url, bool gzip_ok)
{
  if (strcmp(url, "/") == 0) url = "/index.html";
  for (int i = 0; i < files->count; i++) {
    if (strcmp(files->files[i].url, url) != 0) continue;
    return gzip_ok && files->files[i].gzip ? files->files[i].gzip : files->files[i].plain;
  }
  return NULL;
}

void static_files_add_header(struct static_files *files, const char *name, const char *value)
{
  for (size_t i = 0; files && i < (size_t)files->count; i++) {
    MHD_add_response_header(files->files[i].plain, name, value);
    if (files->files[i].gzip) MHD_add_response_header(files->files[i].gzip, name, value);
  }
}
