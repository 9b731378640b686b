/* spool — where an export is written before it is served: an unlinked temporary file on disk, so that
 * a province's sheet never sits in the server's memory (issue 15). The file has no name from the moment
 * it exists (O_TMPFILE; where the file system lacks it, the C library's tmpfile() in /tmp), so nothing is left
 * behind when the request ends or the process dies; the web server sends it from the descriptor
 * (http/server: MHD_create_response_from_fd, which closes it when the answer is sent).
 *
 * The directory is $TMPDIR, else /tmp. */
#ifndef ZHUCUN_SPOOL_H
#define ZHUCUN_SPOOL_H

#include <stddef.h>

/* A new empty spool file, open for reading and writing: its descriptor, or -1 (errno set). */
int spool_create(void);
/* A path that opens the same file (/proc/self/fd/N), for a library that writes to a named file. */
void spool_path(int fd, char path[40]);
/* The file's size in bytes: 0, or -1 when it cannot be read or is empty. */
int spool_size(int fd, size_t *len);

#endif
