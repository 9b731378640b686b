/* Unit tests for store/delivery_sealed on store/query (issue 16): a webhook address or secret bound
 * sealed as a :name and opened from a column read by its alias; an empty one stored as NULL; a name or
 * an alias the statement lacks failing the query (never a silent NULL); a value sealed with another key
 * not opened. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/delivery_sealed.h"
#include "store/query.h"
#include "store/vault.h"
#include "util/log.h"
#include "scratch_db.h"

struct fixture {
  struct db *db;
  struct vault *vault, *other;
  char key[80], other_key[80];
};

static struct vault *temp_vault(char *path, size_t size)
{
  snprintf(path, size, "/tmp/zhucun-sealed-key-" "XX" "XXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  unlink(path); /* vault_open makes it, 0600 */
  struct vault *v = NULL;
  assert_int_equal(vault_open(path, 1, &v), 0);
  return v;
}

static int setup(void **state)
{
  static char path[64];
  static struct fixture f;
  f.db = scratch_db_open(path, sizeof path, "sealed");
  assert_int_equal(db_exec(f.db, "CREATE TABLE t (id INTEGER PRIMARY KEY, sealed BLOB)"), DB_OK);
  f.vault = temp_vault(f.key, sizeof f.key);
  f.other = temp_vault(f.other_key, sizeof f.other_key);
  *state = &f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  char path[64];
  snprintf(path, sizeof path, "%s", db_path(f->db));
  scratch_db_close(f->db, path);
  vault_close(f->vault);
  vault_close(f->other);
  unlink(f->key);
  unlink(f->other_key);
  return 0;
}

static int64_t insert(struct fixture *f, const char *plain)
{
  struct query *q = query_open(f->db, "INSERT INTO t (sealed) VALUES (:sealed) RETURNING id");
  assert_int_equal(delivery_bind_sealed(q, ":sealed", f->vault, plain), 0);
  int64_t id = 0;
  assert_int_equal(query_insert_id(q, &id), DB_OK);
  return id;
}

/* The row's column opened with v (NULL when it is NULL or cannot be opened); *rc: query_close's answer. */
static char *open_row(struct fixture *f, const struct vault *v, int64_t id, const char *alias, int *rc)
{
  struct query *q = query_open(f->db, "SELECT sealed AS sealed FROM t WHERE id = :id");
  query_bind_int(q, ":id", id);
  assert_true(query_next(q));
  char *out = delivery_open_sealed(v, q, alias);
  *rc = query_close(q);
  return out;
}

static void test_sealed_round_trip(void **state)
{
  struct fixture *f = *state;
  const char *url = "https://hooks.example.cn/send?key=0123456789abcdef";
  int64_t id = insert(f, url);

  /* what is stored is not the address */
  struct query *q = query_open(f->db, "SELECT sealed AS sealed, typeof(sealed) AS type FROM t WHERE id = :id");
  query_bind_int(q, ":id", id);
  assert_true(query_next(q));
  assert_string_equal(query_get_text(q, "type"), "blob");
  size_t len = 0;
  const void *blob = query_get_blob(q, "sealed", &len);
  assert_true(len > strlen(url));
  assert_null(memmem(blob, len, "hooks.example", strlen("hooks.example")));
  assert_int_equal(query_close(q), DB_OK);

  int rc = DB_ERROR;
  char *opened = open_row(f, f->vault, id, "sealed", &rc);
  assert_int_equal(rc, DB_OK);
  assert_non_null(opened);
  assert_string_equal(opened, url);
  delivery_wipe(&opened);
  assert_null(opened);
}

static void test_empty_is_null(void **state)
{
  struct fixture *f = *state;
  int64_t empty = insert(f, ""), none = insert(f, NULL);
  struct query *q = query_open(f->db, "SELECT count(*) AS n FROM t WHERE sealed IS NULL AND id IN (:a, :b)");
  query_bind_int(q, ":a", empty);
  query_bind_int(q, ":b", none);
  assert_true(query_next(q));
  assert_int_equal(query_get_int(q, "n"), 2);
  assert_int_equal(query_close(q), DB_OK);
  int rc = DB_ERROR;
  assert_null(open_row(f, f->vault, empty, "sealed", &rc));
  assert_int_equal(rc, DB_OK); /* a NULL column is no failure */
}

static void test_unknown_name_or_alias_fails_the_query(void **state)
{
  struct fixture *f = *state;
  int64_t before = db_failures(f->db);
  struct query *q = query_open(f->db, "INSERT INTO t (sealed) VALUES (:sealed)");
  assert_int_equal(delivery_bind_sealed(q, ":seald", f->vault, "https://x.example/"), 0);
  assert_int_equal(query_exec(q), DB_ERROR);
  assert_true(db_failures(f->db) > before);

  int64_t id = insert(f, "https://y.example/");
  int rc = DB_OK;
  assert_null(open_row(f, f->vault, id, "seald", &rc));
  assert_int_equal(rc, DB_ERROR);
}

static void test_other_key_does_not_open(void **state)
{
  struct fixture *f = *state;
  int64_t id = insert(f, "secret-of-the-robot");
  int rc = DB_ERROR;
  assert_null(open_row(f, f->other, id, "sealed", &rc));
  assert_int_equal(rc, DB_OK);
}

int main(void)
{
  log_set_quiet(1);
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_sealed_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_empty_is_null, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_name_or_alias_fails_the_query, setup, teardown),
    cmocka_unit_test_setup_teardown(test_other_key_does_not_open, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
