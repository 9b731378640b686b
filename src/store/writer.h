/* writer — group commit for the hot write path (check-ins). Durable writes (synchronous=FULL)
 * cost one fsync per commit; one commit per request caps SQLite at a few thousand writes a
 * second, while a hundred rows per commit go fifty times faster. So requests hand their write
 * to one writer thread, which gathers every job waiting, runs each in its own savepoint inside
 * one transaction, commits once, and then wakes each request with its own result. A request is
 * answered only after its row is on disk. */
#ifndef ZHUCUN_WRITER_H
#define ZHUCUN_WRITER_H

#include <stdint.h>

struct db;

/* A job: runs inside the writer's transaction; returns a DB_ result. */
typedef int (*writer_fn)(struct db *db, void *ctx);

/* Starts the writer thread on its own connection to path. */
int writer_start(const char *path);
/* Drains the queue and stops. */
void writer_stop(void);
/* Runs fn(db, ctx) in the next group commit and waits for it to be durable. Returns fn's
 * result, or DB_ERROR when the commit failed. Without a started writer it runs fn in a
 * transaction of its own on `fallback` (the command-line tools, the tests of one request). */
int writer_run(struct db *fallback, writer_fn fn, void *ctx);

/* How many commits and jobs so far (for the benchmark's report). */
void writer_stats(int64_t *commits, int64_t *jobs);

#endif
