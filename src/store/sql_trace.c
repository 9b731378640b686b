/* sql_trace — see the header. The file is opened once per process, for appending (O_APPEND: the
 * servers and CLI commands of a test run write to one file), and each statement is one write(2), so
 * that the statements of two threads or processes never interleave. A trace that cannot be written is
 * said once in the log and then forgotten: it is a tool of the tests, never a reason to fail a request. */
#include "store/sql_trace.h"
#include "util/log.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int trace_fd = -1;
static pthread_once_t trace_once = PTHREAD_ONCE_INIT;

static void open_trace(void)
{
  const char *path = getenv("ZHUCUN_SQL_TRACE");
  if (!path || !*path) return;
  trace_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (trace_fd < 0) log_error("db", "cannot open the SQL trace %s", path);
}

void sql_trace(const char *sql)
{
  pthread_once(&trace_once, open_trace);
  if (trace_fd < 0) return;
  size_t n = strlen(sql);
  char *record = malloc(n + 3);
  if (!record) return;
  memcpy(record, sql, n);
  memcpy(record + n, "\n\x1e\n", 3);
  if (write(trace_fd, record, n + 3) != (ssize_t)(n + 3)) {
    log_error("db", "cannot write the SQL trace; it stops");
    close(trace_fd);
    trace_fd = -1;
  }
  free(record);
}
