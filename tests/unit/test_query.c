/* Unit tests for store/query, the one way a store function runs SQL (issue 16): parameters bound by
 * name, columns read by alias, a name the statement lacks reported (never a silent NULL or another
 * column), a failed step never taken for the end of the rows, a guarded update that matched nothing, an
 * insert's id, NULLs both ways, and a list page read by alias. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope.h"
#include "util/log.h"
#include "scratch_db.h"

static const struct scope ADMIN = {.kind = SCOPE_KIND_NONE};

static int setup(void **state)
{
  static char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "query");
  assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL,"
                               " version INTEGER NOT NULL DEFAULT 1)"), DB_OK);
  *state = db;
  return 0;
}

static int teardown(void **state)
{
  struct db *db = *state;
  char path[64];
  snprintf(path, sizeof path, "%s", db_path(db));
  scratch_db_close(db, path);
  return 0;
}

static int64_t insert(struct db *db, const char *name, double score)
{
  struct query *q = query_open(db, "INSERT INTO t (name, score) VALUES (:name, :score) RETURNING id");
  query_bind_text(q, ":name", name);
  query_bind_double(q, ":score", score);
  int64_t id = 0;
  assert_int_equal(query_insert_id(q, &id), DB_OK);
  return id;
}

static void test_named_binds_and_aliases(void **state)
{
  struct db *db = *state;
  int64_t a = insert(db, "甲", 1.5), b = insert(db, "乙", 2.5);
  assert_true(b > a);
  struct query *q = query_open(db, "SELECT score AS s, name AS n, id AS id FROM t WHERE id >= :lo ORDER BY id");
  query_bind_int(q, ":lo", a);
  int rows = 0;
  while (query_next(q)) {
    int64_t id = query_get_int(q, "id");
    assert_int_equal(id, rows ? b : a);
    assert_string_equal(query_get_text(q, "n"), rows ? "乙" : "甲");
    assert_true(query_get_double(q, "s") == (rows ? 2.5 : 1.5));
    rows++;
  }
  assert_int_equal(rows, 2);
  assert_int_equal(query_close(q), DB_OK);
}

static void test_unknown_parameter_is_reported(void **state)
{
  struct db *db = *state;
  int64_t before = db_failures(db);
  struct query *q = query_open(db, "UPDATE t SET score = :score WHERE name = :name");
  query_bind_double(q, ":scroe", 9.0); /* the typo */
  query_bind_text(q, ":name", "甲");
  assert_int_equal(query_exec(q), DB_ERROR);
  assert_true(db_failures(db) > before);
  q = query_open(db, "SELECT count(*) AS n FROM t WHERE score = 9.0");
  assert_true(query_next(q));
  assert_int_equal(query_get_int(q, "n"), 0); /* nothing was written */
  assert_int_equal(query_close(q), DB_OK);
}

static void test_unknown_alias_is_reported(void **state)
{
  struct db *db = *state;
  insert(db, "丙", 3);
  int64_t before = db_failures(db);
  struct query *q = query_open(db, "SELECT id AS id, name AS name FROM t");
  assert_true(query_next(q));
  assert_string_equal(query_get_text(q, "nmae"), "");
  assert_true(db_failures(db) > before);
  assert_int_equal(query_close(q), DB_ERROR);
}

static void test_failed_step_is_not_the_end(void **state)
{
  struct db *db = *state;
  const char *sql = "SELECT id AS id FROM t";
  struct query *q = query_open(db, sql);
  while (query_next(q)) (void)query_get_int(q, "id");
  assert_int_equal(query_close(q), DB_OK); /* the statement is now prepared and cached */
  assert_int_equal(db_exec(db, "ALTER TABLE t RENAME TO t_broken_on_purpose"), DB_OK);
  int64_t before = db_failures(db);
  q = query_open(db, sql);
  assert_non_null(q);
  assert_false(query_next(q));
  assert_int_equal(query_close(q), DB_ERROR);
  assert_true(db_failures(db) > before);
  assert_int_equal(db_exec(db, "ALTER TABLE t_broken_on_purpose RENAME TO t"), DB_OK);
}

static void test_guarded_update_conflict(void **state)
{
  struct db *db = *state;
  int64_t id = insert(db, "丁", 4);
  const char *sql = "UPDATE t SET score = :score, version = version + 1 WHERE id = :id AND version = :version";
  struct query *q = query_open(db, sql);
  query_bind_double(q, ":score", 5);
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", 1);
  assert_int_equal(query_exec_guarded(q), DB_OK);
  q = query_open(db, sql);
  query_bind_double(q, ":score", 6);
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":version", 1); /* stale */
  assert_int_equal(query_exec_guarded(q), DB_CONFLICT);
  /* a UNIQUE refusal is a conflict too, and not counted as a failure */
  int64_t before = db_failures(db);
  q = query_open(db, "INSERT INTO t (name) VALUES (:name)");
  query_bind_text(q, ":name", "丁");
  assert_int_equal(query_exec(q), DB_CONFLICT);
  assert_int_equal(db_failures(db), before);
}

static void test_nulls(void **state)
{
  struct db *db = *state;
  struct query *q = query_open(db, "INSERT INTO t (name, score) VALUES (:name, :score) RETURNING id");
  query_bind_text(q, ":name", "戊");
  query_bind_null(q, ":score");
  int64_t id = 0;
  assert_int_equal(query_insert_id(q, &id), DB_OK);
  q = query_open(db, "SELECT score AS score, name AS name, NULL AS absent FROM t WHERE id = :id");
  query_bind_int(q, ":id", id);
  assert_true(query_next(q));
  assert_true(query_is_null(q, "score"));
  assert_false(query_is_null(q, "name"));
  assert_string_equal(query_get_text(q, "absent"), ""); /* text is never NULL */
  assert_false(query_next(q));
  assert_int_equal(query_close(q), DB_OK);
  /* query_bind_text with NULL and query_bind_int_or_null with 0 bind NULL */
  q = query_open(db, "SELECT :a IS NULL AS a, :b IS NULL AS b, :c IS NULL AS c");
  query_bind_text(q, ":a", NULL);
  query_bind_int_or_null(q, ":b", 0);
  query_bind_int_or_null(q, ":c", 7);
  assert_true(query_next(q));
  assert_int_equal(query_get_int(q, "a"), 1);
  assert_int_equal(query_get_int(q, "b"), 1);
  assert_int_equal(query_get_int(q, "c"), 0);
  assert_int_equal(query_close(q), DB_OK);
}

static json_t *name_row(struct query *q) { return json_string(query_get_text(q, "name")); }
static json_t *bad_row(struct query *q) { return json_string(query_get_text(q, "no_such_alias")); }

static void test_list_by_alias(void **state)
{
  struct db *db = *state;
  insert(db, "己", 6);
  const struct sql_param p[] = {{":name", "己", 0}};
  json_t *page = query_list(db, "t.name AS name", "t WHERE t.name = :name", "t.id", p, 1, &ADMIN, name_row, 1, 20);
  assert_non_null(page);
  assert_int_equal(json_integer_value(json_object_get(page, "total")), 1);
  assert_string_equal(json_string_value(json_array_get(json_object_get(page, "items"), 0)), "己");
  json_decref(page);
  int64_t before = db_failures(db);
  assert_null(query_list(db, "t.name AS name", "t WHERE t.name = :name", "t.id", p, 1, &ADMIN, bad_row, 1, 20));
  assert_true(db_failures(db) > before);
  json_t *rows = query_rows_json(query_open(db, "SELECT name AS name FROM t WHERE name = '己'"), NULL);
  assert_non_null(rows);
  assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")), "己");
  json_decref(rows);
}

/* A list counted from another text (a kept range): the total is that text's count, the page the list's
 * rows; NULL counts the list's own rows. */
static void test_list_counted(void **state)
{
  struct db *db = *state;
  insert(db, "甲", 1);
  insert(db, "乙", 2);
  insert(db, "丙", 3);
  assert_int_equal(db_exec(db, "CREATE TABLE kept (id INTEGER PRIMARY KEY)"), DB_OK);
  assert_int_equal(db_exec(db, "INSERT INTO kept VALUES (1), (2), (3), (4), (5)"), DB_OK);
  const struct sql_param p[] = {{":min", NULL, 0}};
  json_t *page = query_list_counted(db, "kept", "t.name AS name", "t WHERE t.score > :min", "t.id", p, 1, &ADMIN,
                                    name_row, 1, 2);
  assert_non_null(page);
  assert_int_equal(json_integer_value(json_object_get(page, "total")), 5); /* the other text's count */
  assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
  assert_string_equal(json_string_value(json_array_get(json_object_get(page, "items"), 1)), "乙");
  json_decref(page);
  page = query_list_counted(db, NULL, "t.name AS name", "t WHERE t.score > :min", "t.id", p, 1, &ADMIN, name_row, 1, 2);
  assert_int_equal(json_integer_value(json_object_get(page, "total")), 3);
  json_decref(page);
}

/* Bytes go in and come out as bytes, embedded zeros included; a NULL blob reads as NULL, length 0. */
static void test_blobs(void **state)
{
  struct db *db = *state;
  assert_int_equal(db_exec(db, "CREATE TABLE b (id INTEGER PRIMARY KEY, v BLOB)"), DB_OK);
  const unsigned char bytes[5] = {0x01, 0x00, 0xff, 0x00, 0x7f};
  struct query *q = query_open(db, "INSERT INTO b (id, v) VALUES (1, :v), (2, :none)");
  query_bind_blob(q, ":v", bytes, sizeof bytes);
  query_bind_blob(q, ":none", NULL, 0);
  assert_int_equal(query_exec(q), DB_OK);
  q = query_open(db, "SELECT v AS v, typeof(v) AS t FROM b ORDER BY id");
  assert_true(query_next(q));
  size_t len = 99;
  const unsigned char *got = query_get_blob(q, "v", &len);
  assert_int_equal(len, sizeof bytes);
  assert_memory_equal(got, bytes, sizeof bytes);
  assert_string_equal(query_get_text(q, "t"), "blob");
  assert_true(query_next(q));
  assert_null(query_get_blob(q, "v", &len));
  assert_int_equal(len, 0);
  assert_false(query_next(q));
  assert_int_equal(query_close(q), DB_OK);
}

static void test_null_query_is_an_error(void **state)
{
  struct db *db = *state;
  int64_t before = db_failures(db);
  struct query *q = query_open(db, "SELECT nonsense FROM nowhere");
  assert_null(q);
  assert_true(db_failures(db) > before);
  query_bind_int(q, ":x", 1);
  assert_false(query_next(q));
  assert_int_equal(query_close(q), DB_ERROR);
  assert_int_equal(query_exec(query_open(db, "DELETE FROM nowhere")), DB_ERROR);
}

int main(void)
{
  log_set_quiet(1);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_named_binds_and_aliases, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_parameter_is_reported, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unknown_alias_is_reported, setup, teardown),
    cmocka_unit_test_setup_teardown(test_failed_step_is_not_the_end, setup, teardown),
    cmocka_unit_test_setup_teardown(test_guarded_update_conflict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_nulls, setup, teardown),
    cmocka_unit_test_setup_teardown(test_list_by_alias, setup, teardown),
    cmocka_unit_test_setup_teardown(test_list_counted, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blobs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_null_query_is_an_error, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
