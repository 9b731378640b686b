/* spool — see the header. */
#include "export/spool.h"

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

int spool_create(void)
{
  const char *dir = spool_dir();
  int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  /* a file system without O_TMPFILE: a private name, removed before anything is written */
  char path[4096];
  if (snprintf(path, sizeof path, "%s/zhucun-export-XXXXXX", dir) >= (int)sizeof path) return -1;
  fd = mkostemp(path, O_CLOEXEC);
  if (fd >= 0) unlink(path);
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
