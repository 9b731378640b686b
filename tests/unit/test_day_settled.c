/* Unit tests for store/day_settled, the remembered days of the day's settlement (issue 15): a stage
 * never settled reads 0; a day recorded reads back; a later record overwrites it (one row per stage);
 * a record whose transaction is rolled back leaves the day as it was; a stage that is not one of the
 * three is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scratch_db.h"
#include "store/day_settled.h"
#include "store/db.h"
#include "store/db_sqlite.h"
#include "util/log.h"

static void test_records_and_reads_back(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "daysettled");
  int day = -1;
  assert_int_equal(day_settled_get(db, "posts", &day), DB_OK);
  assert_int_equal(day, 0);
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(day_settled_put(db, "posts", 20260610, 1781056800), DB_OK);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(day_settled_get(db, "posts", &day), DB_OK);
  assert_int_equal(day, 20260610);
  assert_int_equal(day_settled_get(db, "notices", &day), DB_OK);
  assert_int_equal(day, 0);
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(day_settled_put(db, "posts", 20260611, 1781143200), DB_OK);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(day_settled_get(db, "posts", &day), DB_OK);
  assert_int_equal(day, 20260611);
  scratch_db_close(db, path);
}

static void test_rolled_back_leaves_the_day(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "daysettled");
  int day = -1;
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(day_settled_put(db, "allowance", 20260610, 1781056800), DB_OK);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_equal(day_settled_put(db, "allowance", 20260611, 1781143200), DB_OK);
  db_rollback(db);
  assert_int_equal(day_settled_get(db, "allowance", &day), DB_OK);
  assert_int_equal(day, 20260610);
  /* not a stage */
  assert_int_equal(db_begin(db), DB_OK);
  assert_int_not_equal(day_settled_put(db, "everything", 20260611, 1781143200), DB_OK);
  db_rollback(db);
  scratch_db_close(db, path);
}

int main(void)
{
  log_set_quiet(1);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_records_and_reads_back),
    cmocka_unit_test(test_rolled_back_leaves_the_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
