/* static_files — the built web UI (ui/dist), read once at start and served from memory with
 * a gzip copy for text files: a phone on a weak signal loads the app in a few round trips.
 * Hashed assets under /assets/ are cached for a year; index.html is revalidated each time. */
#ifndef ZHUCUN_STATIC_FILES_H
#define ZHUCUN_STATIC_FILES_H

#include <stdbool.h>

struct static_files;
struct MHD_Response;

/* Loads every file under dir. *out is owned by the caller: static_files_free(). */
int static_files_load(const char *dir, struct static_files **out);
void static_files_free(struct static_files *files);
/* One more header on every file (before serving starts: the responses are shared), e.g. HSTS when
 * zhucun speaks TLS itself. */
void static_files_add_header(struct static_files *files, const char *name, const char *value);
/* The response for url ("/" means index.html), gzip-encoded when accepted; NULL if absent. */
struct MHD_Response *static_files_find(const struct static_files *files, const char *url, bool gzip_ok);

#endif
