/* writer — a queue of jobs under one mutex; each job carries its own condition variable and
 * result. The writer takes everything queued (up to MAX_BATCH), so under load a batch is as
 * large as the number of requests that arrived during the previous fsync. */
#include "store/writer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/query.h"
#include "util/log.h"

#define MAX_BATCH 512

struct job {
  writer_fn fn;
  void *ctx;
  int result;
  bool done;
  pthread_cond_t cond;
  struct job *next;
};

static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  struct job *head, *tail;
  bool running, stopping;
  pthread_t thread;
  struct db *db;
  int64_t commits, jobs;
} W = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* A savepoint statement from the connection's statement cache (query_open): prepared once, not parsed
 * again for every job as a one-off exec would (issue 15: bench/README.md, where the check-in's time goes). */
static int step_cached(struct db *db, const char *sql)
{
  return query_exec(query_open(db, sql));
}

static int run_one(struct db *db, struct job *j)
{
  if (step_cached(db, "SAVEPOINT job") != DB_OK) return DB_ERROR;
  int rc = j->fn(db, j->ctx);
  if (rc == DB_OK) return step_cached(db, "RELEASE job");
  /* this job failed: undo it alone, the others in the batch go on */
  step_cached(db, "ROLLBACK TO job");
  step_cached(db, "RELEASE job");
  return rc;
}

static void run_batch(struct job *batch)
{
  int rc = db_begin(W.db);
  for (struct job *j = batch; j; j = j->next) j->result = rc == DB_OK ? run_one(W.db, j) : DB_ERROR;
  if (rc == DB_OK) rc = db_commit(W.db);
  if (rc != DB_OK) {
    db_rollback(W.db);
    for (struct job *j = batch; j; j = j->next) j->result = DB_ERROR;
  }
  pthread_mutex_lock(&W.lock);
  W.commits++;
  for (struct job *j = batch; j; j = j->next) {
    W.jobs++;
    j->done = true;
    pthread_cond_signal(&j->cond);
  }
  pthread_mutex_unlock(&W.lock);
}

static void *writer_main(void *arg)
{
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&W.lock);
    while (!W.head && !W.stopping) pthread_cond_wait(&W.wake, &W.lock);
    if (!W.head && W.stopping) { pthread_mutex_unlock(&W.lock); break; }
    struct job *batch = W.head, *last = W.head;
    for (int n = 1; n < MAX_BATCH && last->next; n++) last = last->next;
    W.head = last->next;
    if (!W.head) W.tail = NULL;
    last->next = NULL;
    pthread_mutex_unlock(&W.lock);
    /* the job structs live on the waiting threads' stacks: the list must not be touched after
     * their `done` is set, so remember nothing past run_batch */
    run_batch(batch);
  }
  return NULL;
}

int writer_start(const char *path)
{
  if (db_open(path, &W.db) != DB_OK) return DB_ERROR;
  W.stopping = false;
  if (pthread_create(&W.thread, NULL, writer_main, NULL) != 0) {
    db_close(W.db);
    W.db = NULL;
    return DB_ERROR;
  }
  W.running = true;
  return DB_OK;
}

void writer_stop(void)
{
  if (!W.running) return;
  pthread_mutex_lock(&W.lock);
  W.stopping = true;
  pthread_cond_signal(&W.wake);
  pthread_mutex_unlock(&W.lock);
  pthread_join(W.thread, NULL);
  db_close(W.db);
  W.db = NULL;
  W.running = false;
}

int writer_run(struct db *fallback, writer_fn fn, void *ctx)
{
  if (!W.running) {
    int rc = db_begin(fallback);
    if (rc == DB_OK) rc = fn(fallback, ctx);
    if (rc == DB_OK) rc = db_commit(fallback);
    if (rc != DB_OK) db_rollback(fallback);
    return rc;
  }
  struct job j = {.fn = fn, .ctx = ctx};
  pthread_cond_init(&j.cond, NULL);
  pthread_mutex_lock(&W.lock);
  if (W.tail) W.tail->next = &j; else W.head = &j;
  W.tail = &j;
  pthread_cond_signal(&W.wake);
  while (!j.done) pthread_cond_wait(&j.cond, &W.lock);
  pthread_mutex_unlock(&W.lock);
  pthread_cond_destroy(&j.cond);
  return j.result;
}

void writer_stats(int64_t *commits, int64_t *jobs)
{
  pthread_mutex_lock(&W.lock);
  *commits = W.commits;
  *jobs = W.jobs;
  pthread_mutex_unlock(&W.lock);
}
