/* backup_pg — zhucun backup, restore and the serve lock for a database named by a URL (PostgreSQL,
 * issue 16): store/backup's half for a server, as SQLite's online backup and DB.lock are its half for a file.
 *
 * backup_pg_write: `pg_dump -Fc` (custom format: compressed, one consistent snapshot — pg_dump reads in
 * one repeatable-read transaction, so writers never wait for it) run as a child with an argument vector,
 * never a shell; its output goes to FILE.partial, created 0600 by this process before the child starts.
 * The archive is then checked as restore will check it (below), synced and linked to FILE (link(2):
 * an existing FILE is never overwritten, even one made meanwhile); a failed backup leaves nothing behind.
 *
 * backup_pg_restore: the archive must be readable to its end (`pg_restore -f /dev/null`: every block
 * decompressed, so a damaged or cut file is refused), hold the tables "user" and audit, and the one row of
 * zhucun_schema with a version this binary knows. Then, under the serve lock, the schema public is replaced
 * by the archive's in ONE transaction: this process feeds psql BEGIN, DROP SCHEMA public CASCADE, the
 * schema made again, pg_restore's script of the archive, and COMMIT only once pg_restore has finished
 * it. The database ends exactly as the backup was (objects a later schema added are gone too) or — on any
 * error, psql's or pg_restore's — as it was before.
 *
 * The password: the URL may carry one, and a child's command line is readable by every user of the machine
 * (/proc/PID/cmdline). The children get the URL's other parts as a connection string and the password in
 * their environment (PGPASSWORD, which libpq reads); without one in the URL, libpq's ~/.pgpass or the
 * caller's PGPASSWORD apply as for any client. Messages name the database without it (backup_pg_display).
 *
 * The serve lock: a session-level advisory lock (pg_try_advisory_lock) on a key of zhucun's own, held by a
 * connection that lives as long as the server; the connection's application_name says who holds it
 * ("zhucun serve pid N @ host"), so a refusal names the process as DB.lock's pid did. PostgreSQL frees
 * the lock when that session ends, whatever way the server ends.
 *
 * Store-internal: included only by store/backup and the unit tests. */
#ifndef ZHUCUN_BACKUP_PG_H
#define ZHUCUN_BACKUP_PG_H

#include <stddef.h>

struct pg_lock;

/* 0, or -1 with a Chinese-and-English reason in err. */
int backup_pg_write(const char *url, const char *target, char *err, size_t errlen);
/* 0 with what was done in msg, or -1 with the reason. */
int backup_pg_restore(const char *source, const char *url, char *msg, size_t msglen);

/* who: "serve" or "restore" (named in the holder's application_name). */
int backup_pg_lock_acquire(const char *url, const char *who, struct pg_lock **out, char *err, size_t errlen);
void backup_pg_lock_release(struct pg_lock *lock);

/* The URL's parts other than the password as a libpq connection string ('…' quoted), and the password
 * ("" when the URL has none). -1 when the URL cannot be parsed (libpq's reason in err, which never
 * repeats a password) or a buffer is too small. Exposed for the unit test. */
int backup_pg_conninfo(const char *url, char *conninfo, size_t len, char *password, size_t pwlen, char *err,
                       size_t errlen);
/* The database as messages name it: postgresql://USER@HOST:PORT/DBNAME, never the password. */
void backup_pg_display(const char *url, char *out, size_t len);
/* The schema version in the text `pg_restore --data-only --table=zhucun_schema -f -` writes (the COPY block
 * of zhucun_schema), -1 when there is none. Exposed for the unit test. */
int backup_pg_version_in(const char *script);

#endif
