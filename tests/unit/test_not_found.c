/* Unit tests for the single-record read rule (issue 16): a store read answers NULL both for a record
 * that is not there and for a read that failed; the failure is reported on the connection (db_failures),
 * so that http/not_found answers 404 only for the missing record and a logged 500 for the failure. The
 * database is broken on purpose: the table the cached statement reads is renamed under it, so that its
 * next step fails (SQLite cannot prepare it again). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/not_found.h"
#include "http/request.h"
#include "store/db_sqlite.h"
#include "store/regions.h"
#include "store/scope.h"
#include "store/units.h"
#include "util/log.h"
#include "scratch_db.h"

static const struct scope ADMIN = {.kind = SCOPE_KIND_NONE};

static void assert_error(const struct reply *rep, int status, const char *code)
{
  assert_int_equal(rep->status, status);
  json_t *err = json_object_get(rep->json, "error");
  assert_string_equal(json_string_value(json_object_get(err, "code")), code);
}

/* What a handler does with a NULL read: reply_not_found with the failures counted since it began. */
static void answer(struct db *db, int64_t before, int status, const char *code)
{
  struct request req = {0};
  req.db = db;
  req.db_failures = before;
  struct reply rep = {0};
  rep.method = "GET";
  rep.route = "/api/v1/units/:id";
  assert_int_equal(reply_not_found(&req, &rep, "派出单位不存在或不在管辖范围内", NULL), -1);
  assert_error(&rep, status, code);
  reply_free(&rep);
}

static void test_missing_unit_is_404(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "notfound");
  int64_t before = db_failures(db);
  assert_null(units_get_json(db, &ADMIN, 424242));
  assert_int_equal(db_failures(db), before);
  answer(db, before, 404, "not_found");
  scratch_db_close(db, path);
}

static void test_failed_unit_read_is_500(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "notfound");
  assert_null(units_get_json(db, &ADMIN, 424242)); /* the statement is now prepared and cached */
  assert_int_equal(db_exec(db, "ALTER TABLE unit RENAME TO unit_broken_on_purpose"), DB_OK);
  int64_t before = db_failures(db);
  assert_null(units_get_json(db, &ADMIN, 424242));
  assert_true(db_failures(db) > before);
  answer(db, before, 500, "internal");
  scratch_db_close(db, path);
}

/* The same for a read that steps its statement itself (db_step_row), not through list_get_one. */
static void test_failed_region_read_is_500(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "notfound");
  int64_t before = db_failures(db);
  assert_null(regions_get_json(db, &ADMIN, "999999"));
  assert_int_equal(db_failures(db), before);
  answer(db, before, 404, "not_found");
  assert_int_equal(db_exec(db, "ALTER TABLE region RENAME TO region_broken_on_purpose"), DB_OK);
  before = db_failures(db);
  assert_null(regions_get_json(db, &ADMIN, "999999"));
  assert_true(db_failures(db) > before);
  answer(db, before, 500, "internal");
  scratch_db_close(db, path);
}

/* A failure before the handler began (e.g. in the day's start) does not turn its 404 into a 500. */
static void test_earlier_failure_not_counted(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "notfound");
  assert_int_equal(db_exec(db, "SELECT * FROM no_such_table_on_purpose"), DB_ERROR);
  int64_t before = db_failures(db);
  assert_true(before > 0);
  assert_null(units_get_json(db, &ADMIN, 424242));
  answer(db, before, 404, "not_found");
  scratch_db_close(db, path);
}

int main(void)
{
  log_set_quiet(1);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_missing_unit_is_404),
    cmocka_unit_test(test_failed_unit_read_is_500),
    cmocka_unit_test(test_failed_region_read_is_500),
    cmocka_unit_test(test_earlier_failure_not_counted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
