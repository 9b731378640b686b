/* backup — copies of the database that can be trusted (等保 数据备份恢复, F5 of the 2026-12 review).
 *
 * backup_write: SQLite's online backup taken in ONE step, i.e. inside one read transaction: in WAL
 * mode that snapshot never waits for the writers and is never restarted by them (the old code's
 * small steps restarted at every commit of the server and could not finish under load). The copy
 * goes to FILE.partial, is checked (PRAGMA integrity_check must answer the single row "ok"), synced
 * and renamed: a failed backup leaves nothing behind and says why.
 *
 * backup_restore: the file must be a zhucun database of a schema this binary knows, pass the same
 * integrity check, and no server may hold the target (the serve lock below); only then is it
 * copied over the database.
 *
 * The serve lock: `serve` holds an exclusive flock on DB.lock for as long as it runs, so a second
 * server and a restore are refused while it does, and restore holds it while it copies.
 *
 * A database named by a URL (PostgreSQL) has the same three with the server's tools: pg_dump's archive,
 * a restore in one transaction, and an advisory lock held by the server's session instead of DB.lock
 * (store/backup_pg.h). These functions choose by the name; main.c calls only these. */
#ifndef ZHUCUN_BACKUP_H
#define ZHUCUN_BACKUP_H

#include <stddef.h>

/* 0, or -1 with a Chinese-and-English reason in err. */
int backup_write(const char *db_path, const char *target, char *err, size_t errlen);
/* 0 with what was done in msg (the database named without a password), or -1 with the reason. */
int backup_restore(const char *source, const char *db_path, char *msg, size_t msglen);
/* 0 when the file passes PRAGMA integrity_check; -1 with the first problem (or the open error) in err. */
int backup_check_file(const char *path, char *err, size_t errlen);

/* Takes the serve lock of db_path: 0 and *out (keep it to hold the lock), or -1 with the reason in err
 * (another process holds it: its pid is named). */
struct backup_lock;
int backup_lock_acquire(const char *db_path, struct backup_lock **out, char *err, size_t errlen);
void backup_lock_release(struct backup_lock *lock);

#endif
