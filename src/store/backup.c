/* backup — online backup in one snapshot, restore behind checks, and the serve lock. */
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/backup_pg.h"
#include "store/db_sqlite.h"
#include "store/pg.h"

/* A file's lock is an open descriptor holding flock; a server's is its session (store/backup_pg). */
struct backup_lock { int fd; struct pg_lock *pg; };

/* Steps PRAGMA integrity_check and requires its single row "ok": corruption is reported as rows
 * ("row 830 missing from index …"), which sqlite3_exec() would have thrown away (F5a). */
static int integrity_ok(sqlite3 *db, char *err, size_t errlen)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &st, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "数据库文件无法读取 (cannot check: %s)", sqlite3_errmsg(db));
    return -1;
  }
  int rc, rows = 0;
  char first[200] = "";
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    if (rows++ == 0) snprintf(first, sizeof first, "%s", t ? (const char *)t : "");
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "数据库文件已损坏 (integrity check failed: %s)", sqlite3_errmsg(db));
    return -1;
  }
  if (rows != 1 || strcmp(first, "ok") != 0) {
    snprintf(err, errlen, "数据库文件未通过完整性检查 (integrity check: %s%s)", first, rows > 1 ? " …" : "");
    return -1;
  }
  return 0;
}

static int open_readonly(const char *path, sqlite3 **out, char *err, size_t errlen)
{
  *out = NULL;
  if (sqlite3_open_v2(path, out, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "无法打开 %s (%s)", path, *out ? sqlite3_errmsg(*out) : "out of memory");
    sqlite3_close(*out);
    *out = NULL;
    return -1;
  }
  sqlite3_busy_timeout(*out, 10000);
  return 0;
}

int backup_check_file(const char *path, char *err, size_t errlen)
{
  sqlite3 *db;
  if (open_readonly(path, &db, err, errlen) != 0) return -1;
  int rc = integrity_ok(db, err, errlen);
  sqlite3_close(db);
  return rc;
}

/* One step of -1: every page inside one read transaction (see the header). */
static int copy_all(sqlite3 *from, sqlite3 *to, char *err, size_t errlen)
{
  sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) { snprintf(err, errlen, "备份失败 (backup: %s)", sqlite3_errmsg(to)); return -1; }
  int rc;
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "复制失败 (copy: %s)", sqlite3_errstr(rc));
    return -1;
  }
  if (sqlite3_errcode(to) != SQLITE_OK && sqlite3_errcode(to) != SQLITE_DONE) {
    snprintf(err, errlen, "写入失败 (write: %s)", sqlite3_errmsg(to));
    return -1;
  }
  return 0;
}

static int fsync_path(const char *path)
{
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

int backup_write(const char *db_path, const char *target, char *err, size_t errlen)
{
  if (pg_is_url(db_path)) return backup_pg_write(db_path, target, err, errlen);
  if (access(db_path, R_OK) != 0) { snprintf(err, errlen, "无法读取 %s (cannot read it)", db_path); return -1; }
  char partial[4096];
  if (snprintf(partial, sizeof partial, "%s.partial", target) >= (int)sizeof partial) {
    snprintf(err, errlen, "路径过长 (path too long)");
    return -1;
  }
  unlink(partial);
  sqlite3 *from = NULL, *to = NULL;
  if (open_readonly(db_path, &from, err, errlen) != 0) return -1;
  int rc = 0;
  /* the copy is checked, not the source: pages are copied as they are, so a corrupt source gives
   * a copy that fails the same check, and the live database is read once, not twice */
  if (sqlite3_open_v2(partial, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "无法创建 %s (%s)", partial, to ? sqlite3_errmsg(to) : "out of memory");
    rc = -1;
  }
  if (rc == 0) rc = copy_all(from, to, err, errlen);
  sqlite3_close(from);
  if (rc == 0) rc = integrity_ok(to, err, errlen);
  sqlite3_close(to);
  if (rc == 0 && (chmod(partial, 0600) != 0 || fsync_path(partial) != 0 || rename(partial, target) != 0)) {
    snprintf(err, errlen, "无法写入 %s (%s)", target, strerror(errno));
    rc = -1;
  }
  if (rc != 0) unlink(partial);
  return rc;
}

/* One integer from a one-row pragma or query: 0, or -1 with SQLite's reason (a file too damaged to
 * read its schema says so here, before any question of versions). */
static int read_int(sqlite3 *db, const char *sql, int *out, char *err, size_t errlen)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *out = sqlite3_column_int(st, 0);
  else snprintf(err, errlen, "数据库文件已损坏或不是数据库 (cannot read the schema: %s)", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 0 : -1;
}

/* A zhucun database of a schema this binary knows: user_version in 1..latest and the two tables
 * every version has. */
static int schema_known(sqlite3 *db, const char *path, int *version_out, char *err, size_t errlen)
{
  int version = -1, tables = 0;
  if (read_int(db, "PRAGMA user_version", &version, err, errlen) != 0 ||
      read_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('user', 'audit')", &tables,
               err, errlen) != 0)
    return -1;
  if (version < 1 || version > db_schema_latest() || tables != 2) {
    snprintf(err, errlen, "%s 不是本程序可恢复的备份 (schema version %d; this binary knows 1..%d)", path, version,
             db_schema_latest());
    return -1;
  }
  *version_out = version;
  return 0;
}

int backup_restore(const char *source, const char *db_path, char *err, size_t errlen)
{
  if (pg_is_url(db_path)) return backup_pg_restore(source, db_path, err, errlen);
  sqlite3 *from = NULL, *to = NULL;
  if (open_readonly(source, &from, err, errlen) != 0) return -1;
  int version = 0;
  int rc = schema_known(from, source, &version, err, errlen);
  if (rc == 0) rc = integrity_ok(from, err, errlen);
  struct backup_lock *lock = NULL;
  if (rc == 0) rc = backup_lock_acquire(db_path, &lock, err, errlen);
  if (rc == 0 && sqlite3_open_v2(db_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "无法打开 %s (%s)", db_path, to ? sqlite3_errmsg(to) : "out of memory");
    rc = -1;
  }
  if (rc == 0) {
    sqlite3_busy_timeout(to, 10000);
    rc = copy_all(from, to, err, errlen);
  }
  if (rc == 0) sqlite3_wal_checkpoint_v2(to, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  sqlite3_close(to);
  sqlite3_close(from);
  backup_lock_release(lock);
  if (rc == 0) snprintf(err, errlen, "restored %s from %s (schema version %d)", db_path, source, version);
  return rc;
}

static int file_lock_acquire(const char *db_path, int *fd_out, char *err, size_t errlen)
{
  char path[4096];
  *fd_out = -1;
  snprintf(path, sizeof path, "%s.lock", db_path);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) { snprintf(err, errlen, "无法创建锁文件 %s (%s)", path, strerror(errno)); return -1; }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = "";
    ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    pid[n > 0 ? n : 0] = '\0';
    pid[strcspn(pid, "\n")] = '\0';
    snprintf(err, errlen, "数据库正被运行中的服务使用（进程 %s），请先停止服务 (a server holds %s, pid %s: stop it first)",
             pid[0] ? pid : "?", db_path, pid[0] ? pid : "?");
    close(fd);
    return -1;
  }
  char pid[32];
  int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) { /* the lock still holds; the pid is a courtesy */ }
  *fd_out = fd;
  return 0;
}

int backup_lock_acquire(const char *db_path, struct backup_lock **out, char *err, size_t errlen)
{
  *out = NULL;
  struct backup_lock *lock = calloc(1, sizeof *lock);
  if (!lock) { snprintf(err, errlen, "out of memory"); return -1; }
  lock->fd = -1;
  int rc = pg_is_url(db_path) ? backup_pg_lock_acquire(db_path, "serve", &lock->pg, err, errlen)
                              : file_lock_acquire(db_path, &lock->fd, err, errlen);
  if (rc != 0) { free(lock); return -1; }
  *out = lock;
  return 0;
}

void backup_lock_release(struct backup_lock *lock)
{
  if (!lock) return;
  if (lock->fd >= 0) {
    flock(lock->fd, LOCK_UN);
    close(lock->fd);
  }
  backup_pg_lock_release(lock->pg);
  free(lock);
}
