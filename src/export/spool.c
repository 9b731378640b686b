/* spool — see the header. */
#include "export/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *spool_dir(void)
{
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

/* The C library's own nameless temporary file (in /tmp), for a file system without O_TMPFILE. */
static int library_tmpfile(void)
{
  FILE *f = tmpfile();
  if (!f) return -1;
  int fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, 0);
  fclose(f);
  return fd;
}

int spool_create(void)
{
  int fd = open(spool_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) return library_tmpfile(); /* e.g. overlayfs */
  return fd;
}

void spool_path(int fd, char path[40])
{
  snprintf(path, 40, "/proc/self/fd/%d", fd);
}

int spool_size(int fd, size_t *len)
{
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) return -1;
  *len = (size_t)st.st_size;
  return 0;
}
