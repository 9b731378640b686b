/* scratch_db — a migrated database in a fresh /tmp file for a unit test, and its removal with the
 * WAL and shared-memory files SQLite leaves beside it (a test that forgot those left files in /tmp).
 * Header-only: each unit test is one program, built from its own .c. */
#ifndef ZHUCUN_TEST_SCRATCH_DB_H
#define ZHUCUN_TEST_SCRATCH_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"

/* path: at least 64 bytes, filled with the file's name; tag: a word for the name (e.g. "calendar"). */
static struct db *scratch_db_open(char *path, size_t size, const char *tag)
{
  snprintf(path, size, "/tmp/zhucun-%s-" "XX" "XXXX", tag); /* mkstemp's template */
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  struct db *db;
  char err[256];
  assert_int_equal(db_open(path, &db), DB_OK);
  assert_int_equal(db_migrate(db, err, sizeof err), DB_OK);
  return db;
}

static void scratch_db_close(struct db *db, const char *path)
{
  db_close(db);
  unlink(path);
  char side[300];
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

#endif
