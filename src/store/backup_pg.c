/* backup_pg — see backup_pg.h. The children are PostgreSQL's own client programs (pg_dump, pg_restore,
 * psql: Debian's postgresql-client-15), found in PATH and started with posix_spawnp and an argument vector;
 * their stderr goes to a nameless file whose text is quoted when they fail.
 *
 * The serve lock's two statements go through libpq on a connection of its own, not through store/query: the
 * lock belongs to that session alone (the store's connections come and go, and their transactions take the
 * write lock), and the connection is opened before the store's database is. */
#include "store/backup_pg.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"

extern char **environ;

/* The serve lock's key: zhucun's own, and not the write lock's (7283461, store/db.c), which every write
 * transaction takes and frees; advisory locks are per database, so two zhucun databases on one server
 * each have theirs. */
#define SERVE_LOCK_KEY "7283462"

struct pg_lock { PGconn *conn; };

/* ---- the URL ---- */

/* Appends keyword='value' (libpq's quoting: \ and ' escaped) to out; false when it does not fit. */
static bool append_option(char *out, size_t len, size_t *used, const char *keyword, const char *value)
{
  int n = snprintf(out + *used, len - *used, "%s%s='", *used ? " " : "", keyword);
  if (n < 0 || (size_t)n >= len - *used) return false;
  *used += (size_t)n;
  for (const char *p = value; *p; p++) {
    if ((*p == '\\' || *p == '\'') && *used + 1 < len) out[(*used)++] = '\\';
    if (*used + 2 >= len) return false;
    out[(*used)++] = *p;
  }
  out[(*used)++] = '\'';
  out[*used] = '\0';
  return true;
}

int backup_pg_conninfo(const char *url, char *conninfo, size_t len, char *password, size_t pwlen, char *err,
                       size_t errlen)
{
  char *why = NULL;
  PQconninfoOption *opts = PQconninfoParse(url, &why);
  if (!opts) {
    snprintf(err, errlen, "数据库地址无法解析 (cannot parse the database URL: %s)", why ? why : "out of memory");
    PQfreemem(why);
    return -1;
  }
  size_t used = 0;
  bool fits = len > 0;
  if (fits) conninfo[0] = '\0';
  if (pwlen) password[0] = '\0';
  for (PQconninfoOption *o = opts; fits && o->keyword; o++) {
    if (!o->val || !o->val[0]) continue;
    if (strcmp(o->keyword, "password") == 0) fits = (size_t)snprintf(password, pwlen, "%s", o->val) < pwlen;
    else fits = append_option(conninfo, len, &used, o->keyword, o->val);
  }
  PQconninfoFree(opts);
  if (!fits) snprintf(err, errlen, "数据库地址过长 (the database URL is too long)");
  return fits ? 0 : -1;
}

void backup_pg_display(const char *url, char *out, size_t len)
{
  PQconninfoOption *opts = PQconninfoParse(url, NULL);
  const char *user = "", *host = "", *port = "", *dbname = "";
  for (PQconninfoOption *o = opts; o && o->keyword; o++) {
    const char *v = o->val ? o->val : "";
    if (strcmp(o->keyword, "user") == 0) user = v;
    else if (strcmp(o->keyword, "host") == 0) host = v;
    else if (strcmp(o->keyword, "port") == 0) port = v;
    else if (strcmp(o->keyword, "dbname") == 0) dbname = v;
  }
  if (!opts) snprintf(out, len, "postgresql://(?)");
  else snprintf(out, len, "postgresql://%s%s%s%s%s/%s", user, *user ? "@" : "", host, *port ? ":" : "", port, dbname);
  PQconninfoFree(opts);
}

/* ---- the children ---- */

/* A child's environment: ours, with PGPASSWORD set to password when there is one (malloc'd; free with
 * env_free). */
static char **env_with(const char *password, char **pw_entry)
{
  size_t n = 0;
  while (environ[n]) n++;
  char **env = calloc(n + 2, sizeof *env);
  if (!env) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!*password || strncmp(environ[i], "PGPASSWORD=", 11) != 0) env[k++] = environ[i];
  *pw_entry = NULL;
  if (*password) {
    size_t size = strlen(password) + 12;
    if (!(*pw_entry = malloc(size))) { free(env); return NULL; }
    snprintf(*pw_entry, size, "PGPASSWORD=%s", password);
    env[k++] = *pw_entry;
  }
  return env;
}

static void env_free(char **env, char *pw_entry)
{
  if (pw_entry) { explicit_bzero(pw_entry, strlen(pw_entry)); free(pw_entry); }
  free(env);
}

/* Starts argv (argv[0] from PATH) with fd 0, 1 and 2 from in, out and errf (-1: /dev/null): its pid, or -1. */
static pid_t spawn(char *const argv[], int in, int out, int errf, const char *password)
{
  posix_spawn_file_actions_t fa;
  if (posix_spawn_file_actions_init(&fa) != 0) return -1;
  int fds[3] = {in, out, errf};
  int rc = 0;
  for (int i = 0; i < 3 && rc == 0; i++)
    rc = fds[i] >= 0 ? posix_spawn_file_actions_adddup2(&fa, fds[i], i)
                     : posix_spawn_file_actions_addopen(&fa, i, "/dev/null", i ? O_WRONLY : O_RDONLY, 0);
  char *pw_entry = NULL;
  char **env = rc == 0 ? env_with(password, &pw_entry) : NULL;
  pid_t pid = -1;
  if (env && posix_spawnp(&pid, argv[0], &fa, NULL, argv, env) != 0) pid = -1;
  env_free(env, pw_entry);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

/* The child's exit status, -1 when it did not exit (a signal) or cannot be waited for. */
static int wait_child(pid_t pid)
{
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The first lines of what a child wrote to f (its stderr), on one line, for a message. */
static void said(FILE *f, char *out, size_t len)
{
  out[0] = '\0';
  if (!f || len < 2 || fseek(f, 0, SEEK_SET) != 0) return;
  size_t n = fread(out, 1, len - 1, f);
  out[n] = '\0';
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ')) out[--n] = '\0';
  for (char *p = out; *p; p++)
    if (*p == '\n') *p = ' ';
}

/* Runs one program to its end: stdout to out (-1: /dev/null), stderr kept in errtext. Its exit status
 * (0 success), -1 when it could not be started or died. */
static int run(char *const argv[], int out, const char *password, char *errtext, size_t errlen)
{
  FILE *e = tmpfile();
  if (!e) { snprintf(errtext, errlen, "%s", strerror(errno)); return -1; }
  pid_t pid = spawn(argv, -1, out, fileno(e), password);
  int rc = pid < 0 ? -1 : wait_child(pid);
  said(e, errtext, errlen);
  if (pid < 0) snprintf(errtext, errlen, "cannot start %s (PostgreSQL's client programs: postgresql-client-15)", argv[0]);
  fclose(e);
  return rc;
}

/* ---- the archive ---- */

int backup_pg_version_in(const char *script)
{
  static const char head[] = "COPY public.zhucun_schema (version) FROM stdin;\n";
  const char *p = strstr(script, head);
  if (!p) return -1;
  p += sizeof head - 1;
  char *end;
  errno = 0;
  long v = strtol(p, &end, 10);
  /* one row, one number: the table's single row as migrate_pg keeps it */
  if (end == p || errno || v < 0 || v > 1000000 || strncmp(end, "\n\\.\n", 4) != 0) return -1;
  return (int)v;
}

/* The whole stdout of pg_restore's argv (ending in --file=- FILE) in a malloc'd string, NULL on failure (the
 * reason in err). */
static char *restore_text(char *const argv[], const char *file, char *err, size_t errlen)
{
  FILE *o = tmpfile();
  if (!o) { snprintf(err, errlen, "无法创建临时文件 (tmpfile: %s)", strerror(errno)); return NULL; }
  char why[400];
  int rc = run(argv, fileno(o), "", why, sizeof why);
  char *text = NULL;
  long size = -1;
  if (rc == 0 && fseek(o, 0, SEEK_END) == 0 && (size = ftell(o)) >= 0 && fseek(o, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) && fread(text, 1, (size_t)size, o) == (size_t)size)
    text[size] = '\0';
  else if (text) { free(text); text = NULL; }
  fclose(o);
  if (!text) snprintf(err, errlen, "%s 不是可读的 PostgreSQL 备份 (not a readable pg_dump archive: %s)", file,
                      rc == 0 ? "out of memory" : why);
  return text;
}

/* True when the archive's table of contents lists table `name` of the schema public. */
static bool lists_table(const char *toc, const char *name)
{
  char line[128];
  snprintf(line, sizeof line, " TABLE public %s ", name);
  return strstr(toc, line) != NULL;
}

/* A zhucun backup this binary can restore: readable to its end, the tables "user" and audit, a schema
 * version in 1..latest. The version in *version_out. */
static int check_archive(const char *file, int *version_out, char *err, size_t errlen)
{
  char *list[] = {"pg_restore", "--list", "--file=-", (char *)file, NULL};
  char *copy[] = {"pg_restore", "--data-only", "--table=zhucun_schema", "--file=-", (char *)file, NULL};
  char *toc = restore_text(list, file, err, errlen);
  if (!toc) return -1;
  bool tables = lists_table(toc, "user") && lists_table(toc, "audit") && lists_table(toc, "zhucun_schema");
  free(toc);
  char *data = tables ? restore_text(copy, file, err, errlen) : NULL;
  if (tables && !data) return -1;
  int version = data ? backup_pg_version_in(data) : -1;
  free(data);
  if (version < 1 || version > db_schema_latest()) {
    snprintf(err, errlen, "%s 不是本程序可恢复的备份 (schema version %d; this binary knows 1..%d)", file, version,
             db_schema_latest());
    return -1;
  }
  /* every block read and decompressed: a cut or damaged archive fails here, not half-way into a restore */
  char why[400];
  char *argv[] = {"pg_restore", "--file=/dev/null", (char *)file, NULL};
  if (run(argv, -1, "", why, sizeof why) != 0) {
    snprintf(err, errlen, "备份文件已损坏 (%s fails to read to its end: %s)", file, why);
    return -1;
  }
  *version_out = version;
  return 0;
}

/* ---- backup ---- */

int backup_pg_write(const char *url, const char *target, char *err, size_t errlen)
{
  char conninfo[2048], password[256], partial[4096];
  if (backup_pg_conninfo(url, conninfo, sizeof conninfo, password, sizeof password, err, errlen) != 0) return -1;
  if (snprintf(partial, sizeof partial, "%s.partial", target) >= (int)sizeof partial) {
    snprintf(err, errlen, "路径过长 (path too long)");
    return -1;
  }
  unlink(partial);
  int fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "无法创建 %s (%s)", partial, strerror(errno));
    return -1;
  }
  char dbarg[2100], why[400];
  snprintf(dbarg, sizeof dbarg, "--dbname=%s", conninfo);
  char *argv[] = {"pg_dump", "--format=custom", "--no-password", dbarg, NULL};
  int rc = run(argv, fd, password, why, sizeof why);
  explicit_bzero(password, sizeof password);
  if (rc != 0) snprintf(err, errlen, "备份失败 (pg_dump: %s)", why[0] ? why : "failed");
  if (rc == 0 && fsync(fd) != 0) {
    snprintf(err, errlen, "无法写入 %s (%s)", partial, strerror(errno));
    rc = -1;
  }
  close(fd);
  int version;
  if (rc == 0) rc = check_archive(partial, &version, err, errlen);
  /* link, not rename: a FILE made since the caller looked is never replaced */
  if (rc == 0 && link(partial, target) != 0) {
    snprintf(err, errlen, "无法写入 %s (%s)", target, strerror(errno));
    rc = -1;
  }
  unlink(partial);
  return rc == 0 ? 0 : -1;
}

/* ---- restore ---- */

/* Writes all of buf to fd: false when the reader has gone (psql stopped at an error: EPIPE). */
static bool write_all(int fd, const char *buf, size_t len)
{
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buf += n;
    len -= (size_t)n;
  }
  return true;
}

/* Feeds psql (to) the transaction: the schema dropped and made again, pg_restore's script (from), and
 * COMMIT only when the script ended because pg_restore finished it — a pg_restore that fails half-way
 * leaves psql at the end of its input inside the transaction, which the server then rolls back. True
 * when COMMIT was sent. */
static bool feed(int from, int to, pid_t restorer)
{
  static const char head[] = "BEGIN;\n"
                             "DROP SCHEMA public CASCADE;\n"
                             "CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n"
                             "GRANT USAGE ON SCHEMA public TO PUBLIC;\n";
  bool open = write_all(to, head, sizeof head - 1);
  char buf[65536];
  ssize_t n;
  while (open && ((n = read(from, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0) open = write_all(to, buf, (size_t)n);
  close(from);  /* a pg_restore still writing ends on EPIPE */
  bool whole = wait_child(restorer) == 0;
  return open && whole && write_all(to, "COMMIT;\n", 8);
}

/* The database's public schema replaced by the archive's, in one transaction: pg_restore writes the
 * archive as SQL, psql runs it after dropping the schema (see the header). Owners and grants are the
 * URL's account's (--no-owner --no-privileges), so a backup restores onto another server. */
static int replace_contents(const char *source, const char *conninfo, const char *password, char *err,
                            size_t errlen)
{
  int a[2], b[2];
  if (pipe2(a, O_CLOEXEC) != 0) { snprintf(err, errlen, "pipe: %s", strerror(errno)); return -1; }
  if (pipe2(b, O_CLOEXEC) != 0) {
    snprintf(err, errlen, "pipe: %s", strerror(errno));
    close(a[0]);
    close(a[1]);
    return -1;
  }
  FILE *e1 = tmpfile(), *e2 = tmpfile();
  char *dump[] = {"pg_restore", "--no-owner", "--no-privileges", "--file=-", (char *)source, NULL};
  char dbarg[2100];
  snprintf(dbarg, sizeof dbarg, "--dbname=%s", conninfo);
  char *load[] = {"psql", "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--file=-", dbarg, NULL};
  pid_t restorer = e1 && e2 ? spawn(dump, -1, a[1], fileno(e1), "") : -1;
  pid_t loader = restorer > 0 ? spawn(load, b[0], -1, fileno(e2), password) : -1;
  close(a[1]);
  close(b[0]);
  bool committed = false;
  if (loader > 0) {
    void (*was)(int) = signal(SIGPIPE, SIG_IGN);  /* psql stopping at an error is an answer, not a crash */
    committed = feed(a[0], b[1], restorer);
    signal(SIGPIPE, was);
  } else {
    close(a[0]);
    if (restorer > 0) wait_child(restorer);
  }
  close(b[1]);
  int rb = loader > 0 ? wait_child(loader) : -1;
  char w1[300], w2[300];
  said(e1, w1, sizeof w1);
  said(e2, w2, sizeof w2);
  if (e1) fclose(e1);
  if (e2) fclose(e2);
  if (committed && rb == 0) return 0;
  snprintf(err, errlen, "恢复失败，数据库未改动 (the restore was rolled back, the database is as it was: %s%s%s)",
           w2[0] ? w2 : (loader > 0 ? "psql failed" : "cannot start psql"), w1[0] ? "; pg_restore: " : "", w1);
  return -1;
}

int backup_pg_restore(const char *source, const char *url, char *msg, size_t msglen)
{
  int version;
  if (check_archive(source, &version, msg, msglen) != 0) return -1;
  char conninfo[2048], password[256];
  if (backup_pg_conninfo(url, conninfo, sizeof conninfo, password, sizeof password, msg, msglen) != 0) return -1;
  struct pg_lock *lock = NULL;
  int rc = backup_pg_lock_acquire(url, "restore", &lock, msg, msglen);
  if (rc == 0) rc = replace_contents(source, conninfo, password, msg, msglen);
  explicit_bzero(password, sizeof password);
  backup_pg_lock_release(lock);
  if (rc != 0) return -1;
  char shown[512];
  backup_pg_display(url, shown, sizeof shown);
  snprintf(msg, msglen, "restored %s from %s (schema version %d; every table of the schema public replaced; "
           "the next serve or init migrates it to %d)", shown, source, version, db_schema_latest());
  return 0;
}

/* ---- the serve lock ---- */

/* Who holds the lock, from the holder's application_name ("zhucun serve pid N @ host"), "?" when the
 * server does not say (another account's session, without pg_read_all_stats). */
static void holder(PGconn *conn, char *out, size_t len)
{
  PGresult *r = PQexec(conn, "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                             " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0"
                             " AND l.objid = " SERVE_LOCK_KEY " AND l.objsubid = 1"
                             " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  const char *name = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  const char *pid = strstr(name, "pid ");
  snprintf(out, len, "%s", pid && pid[4] ? pid + 4 : "?");
  PQclear(r);
}

int backup_pg_lock_acquire(const char *url, const char *who, struct pg_lock **out, char *err, size_t errlen)
{
  *out = NULL;
  char app[64], host[32] = "?";
  gethostname(host, sizeof host - 1);
  snprintf(app, sizeof app, "zhucun %s pid %ld @ %s", who, (long)getpid(), host);
  const char *keys[] = {"dbname", "application_name", NULL};
  const char *values[] = {url, app, NULL};
  PGconn *conn = PQconnectdbParams(keys, values, 1);
  char shown[512];
  backup_pg_display(url, shown, sizeof shown);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    snprintf(err, errlen, "无法连接数据库 %s (cannot connect: %s)", shown, conn ? PQerrorMessage(conn) : "out of memory");
    PQfinish(conn);
    return -1;
  }
  PGresult *r = PQexec(conn, "SELECT pg_try_advisory_lock(" SERVE_LOCK_KEY ")");
  bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
  bool got = ok && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
  if (!ok) snprintf(err, errlen, "无法取得服务锁 (cannot take the serve lock on %s: %s)", shown, PQerrorMessage(conn));
  PQclear(r);
  if (ok && !got) {
    char pid[64];
    holder(conn, pid, sizeof pid);
    snprintf(err, errlen, "数据库正被运行中的服务使用（进程 %s），请先停止服务 (a server holds %s, pid %s: stop it first)",
             pid, shown, pid);
  }
  if (!got) { PQfinish(conn); return -1; }
  struct pg_lock *lock = malloc(sizeof *lock);
  if (!lock) { PQfinish(conn); snprintf(err, errlen, "out of memory"); return -1; }
  lock->conn = conn;
  *out = lock;
  return 0;
}

void backup_pg_lock_release(struct pg_lock *lock)
{
  if (!lock) return;
  PQfinish(lock->conn);  /* the session ends: PostgreSQL frees its advisory locks */
  free(lock);
}
