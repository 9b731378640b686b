/* The production layout on PostgreSQL (issue 16): a primary and its synchronous hot standby; the
 * primary dies while zhucun's store is writing, the standby is promoted, and every write the store
 * was told had committed is on it — "acknowledged = committed" survives the loss of the server.
 *
 * A writer thread commits one row per transaction through store/db and store/query (db_begin, an
 * INSERT … RETURNING, db_commit) and records each id whose COMMIT answered DB_OK; the main thread kills
 * the primary (pg_ctl stop -m immediate: no shutdown checkpoint, as a machine that loses power) once
 * enough are recorded, waits for the writer's first failure, promotes the standby and reads the ids
 * back. Before the kill it checks that the standby is synchronous (pg_stat_replication): an asynchronous
 * standby may lack the last acknowledged commits, and the layout that docs/OPERATIONS.md describes is
 * the one tested.
 *
 * The two servers are this test's own (tests/pg_cluster.sh, in a directory under /tmp, on free ports). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db_sqlite.h"
#include "store/query.h"
#include "util/log.h"

#define MAX_ACKED 100000
#define KILL_AFTER 60   /* acknowledged commits before the primary dies */

static char dir[64];
static int primary_port, standby_port;

/* A port no one listens on now (the kernel's pick for a socket bound to port 0). */
static int free_port(void)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  assert_true(fd >= 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  close(fd);
  return ntohs(a.sin_port);
}

static int cluster(const char *args)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "bash tests/pg_cluster.sh %s > /dev/null", args);
  return system(cmd);
}

static char *url(int port)
{
  static char buf[2][96];
  static int k;
  k ^= 1;
  snprintf(buf[k], sizeof buf[k], "postgresql://postgres@127.0.0.1:%d/zhucun", port);
  return buf[k];
}

static int setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/zhucun-failover-XXXXXX");
  if (!mkdtemp(dir) || chmod(dir, 0711) != 0) return -1;
  primary_port = free_port();
  standby_port = free_port();
  char args[256];
  snprintf(args, sizeof args, "start %s/p %d", dir, primary_port);
  if (cluster(args) != 0) return -1;
  snprintf(args, sizeof args, "standby %s/s %d %d", dir, standby_port, primary_port);
  return cluster(args) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  char args[128];
  snprintf(args, sizeof args, "stop %s/s", dir);
  cluster(args);
  snprintf(args, sizeof args, "stop %s/p", dir);
  cluster(args);
  rmdir(dir);
  return 0;
}

struct writer {
  struct db *db;
  int64_t acked[MAX_ACKED];
  atomic_int nacked;
  atomic_int failed;
};

static int write_one(struct db *db, int64_t *id)
{
  if (db_begin(db) != DB_OK) return DB_ERROR;
  struct query *q = query_open(db, "INSERT INTO acked_write (note) VALUES (:note) RETURNING id");
  query_bind_text(q, ":note", "驻村日志");
  int rc = query_insert_id(q, id);
  if (rc != DB_OK) {
    db_rollback(db);
    return rc;
  }
  return db_commit(db);
}

/* Commits until a commit fails (the primary is gone), recording each acknowledged id. */
static void *write_until_failure(void *arg)
{
  struct writer *w = arg;
  while (atomic_load(&w->nacked) < MAX_ACKED) {
    int64_t id = 0;
    if (write_one(w->db, &id) != DB_OK) break;
    w->acked[atomic_load(&w->nacked)] = id;
    atomic_fetch_add(&w->nacked, 1);
  }
  atomic_store(&w->failed, 1);
  return NULL;
}

static int64_t scalar(struct db *db, const char *sql)
{
  struct query *q = query_open(db, sql);
  int64_t v = query_next(q) ? query_get_int(q, "v") : -1;
  assert_int_equal(query_close(q), DB_OK);
  return v;
}

static void test_every_acknowledged_write_survives_failover(void **state)
{
  (void)state;
  static struct writer w;
  assert_int_equal(db_open(url(primary_port), &w.db), DB_OK);
  assert_int_equal(db_exec(w.db, "CREATE TABLE acked_write (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                                 " note TEXT NOT NULL)"), DB_OK);
  assert_int_equal(scalar(w.db, "SELECT count(*) AS v FROM pg_stat_replication"
                                " WHERE application_name = 'zhucun_standby' AND sync_state = 'sync'"), 1);

  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, write_until_failure, &w), 0);
  while (atomic_load(&w.nacked) < KILL_AFTER && !atomic_load(&w.failed)) usleep(1000);
  assert_false(atomic_load(&w.failed));
  char args[128];
  snprintf(args, sizeof args, "kill %s/p", dir);
  assert_int_equal(cluster(args), 0);
  pthread_join(t, NULL);
  db_close(w.db);
  int acked = atomic_load(&w.nacked);
  assert_true(acked >= KILL_AFTER);

  snprintf(args, sizeof args, "promote %s/s", dir);
  assert_int_equal(cluster(args), 0);
  struct db *standby = NULL;
  assert_int_equal(db_open(url(standby_port), &standby), DB_OK);
  assert_int_equal(scalar(standby, "SELECT CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END AS v"), 0);
  int missing = 0;
  for (int i = 0; i < acked; i++) {
    struct query *q = query_open(standby, "SELECT count(*) AS v FROM acked_write WHERE id = :id");
    query_bind_int(q, ":id", w.acked[i]);
    assert_true(query_next(q));
    if (query_get_int(q, "v") != 1) missing++;
    assert_int_equal(query_close(q), DB_OK);
  }
  assert_int_equal(missing, 0);
  /* the promoted standby takes the next write */
  int64_t id = 0;
  assert_int_equal(write_one(standby, &id), DB_OK);
  assert_true(id > 0);
  db_close(standby);
  printf("failover: %d acknowledged commits before the primary died, all %d on the promoted standby\n", acked, acked);
}

int main(void)
{
  log_set_quiet(1);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_every_acknowledged_write_survives_failover, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
