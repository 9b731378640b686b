/* Unit tests for http/write_tx, the write handlers' one ceremony, against a scratch database: a write
 * that succeeds is committed with its audit row and answered; a store error rolls back and leaves no
 * audit row; the description maps conflict → 409, not found → 404 and a missing referenced record
 * → 400; an unmapped result is a logged 500; a commit that fails is a 500 with nothing written; an
 * audit row that fails after the store wrote leaves nothing; an audit-only write (no store call)
 * commits its row alone, its detail as the store call filled it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "http/write_tx.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/db_sqlite.h"
#include "scratch_db.h"
#include "util/log.h"

struct fixture {
  char path[64];
  struct db *db;
};

static int setup(void **state)
{
  static struct fixture f;
  static const unsigned char KEY[32] = {7};
  audit_set_key(KEY);
  log_set_quiet(1);
  f.db = scratch_db_open(f.path, sizeof f.path, "write-tx");
  assert_int_equal(db_exec(f.db, "INSERT INTO region (code, name, level, path) VALUES ('36', '江西省', 'province', '/36/')"),
                   DB_OK);
  *state = &f;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *f = *state;
  scratch_db_close(f->db, f->path);
  audit_clear_key();
  return 0;
}

/* A count read on a second connection: only what was committed. */
static int count_of(const struct fixture *f, const char *sql)
{
  sqlite3 *c;
  sqlite3_stmt *st;
  assert_int_equal(sqlite3_open_v2(f->path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(c);
  return n;
}

static int units(const struct fixture *f) { return count_of(f, "SELECT count(*) FROM unit WHERE name = '测试单位'"); }
static int audits(const struct fixture *f) { return count_of(f, "SELECT count(*) FROM audit WHERE action = 'unit.create'"); }

static struct request request_on(struct fixture *f)
{
  struct request req = {0};
  req.db = f->db;
  req.method = "POST";
  req.url = "/api/v1/units";
  req.user.id = 1;
  snprintf(req.user.username, sizeof req.user.username, "%s", "city_org");
  snprintf(req.ip, sizeof req.ip, "%s", "127.0.0.1");
  req.now = 1781056800; /* 2026-06-10T10:00+08:00 */
  return req;
}

/* The store call of these tests: a unit written, then the result asked of it. */
struct call {
  int result;
  int64_t id;
  bool deferred_break; /* a row whose foreign key breaks only at commit */
};

static int store_unit(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct call *c = ctx;
  int rc = db_exec(req->db, "INSERT INTO unit (id, name, level, type, region_code, created_at)"
                            " VALUES (5, '测试单位', 'province', 'party_gov', '36', 0)");
  if (rc == DB_OK && c->deferred_break)
    rc = db_exec(req->db, "PRAGMA defer_foreign_keys = ON;"
                          " INSERT INTO unit (name, level, type, region_code, created_at)"
                          " VALUES ('测试单位', 'city', 'other', '99', 0)");
  c->id = 5;
  return rc == DB_OK ? c->result : rc;
}

static json_t *answer_unit(struct request *req, void *ctx)
{
  (void)req;
  const struct call *c = ctx;
  return json_pack("{s:I}", "id", (json_int_t)c->id);
}

static const struct write_error ERRORS[] = {
    {DB_CONFLICT, 409, "conflict", "该区划下已有同名单位", "name"},
    {DB_NOT_FOUND, 404, "not_found", "单位不存在或不在管辖范围内", NULL},
    {0},
};
/* The same store result means a 400 when the record named is one the input refers to. */
static const struct write_error REFERENCE_ERRORS[] = {
    {DB_NOT_FOUND, 400, "field_invalid", "上级单位不存在", "parent_id"},
    {0},
};

static struct write_tx unit_write(struct call *c)
{
  struct write_tx w = {.store = store_unit, .ctx = c, .errors = ERRORS, .action = "unit.create",
                       .entity = "unit", .id = &c->id, .status = 201, .answer = answer_unit};
  return w;
}

static void assert_error(const struct reply *rep, int status, const char *code, const char *field)
{
  assert_int_equal(rep->status, status);
  json_t *err = json_object_get(rep->json, "error");
  assert_string_equal(json_string_value(json_object_get(err, "code")), code);
  if (field) assert_string_equal(json_string_value(json_object_get(err, "field")), field);
  else assert_true(json_is_null(json_object_get(err, "field")));
}

static void test_commit_audit_answer(void **state)
{
  struct fixture *f = *state;
  struct request req = request_on(f);
  struct reply rep = {0};
  struct call c = {DB_OK, 0, false};
  struct write_tx w = unit_write(&c);
  assert_int_equal(write_tx_run(&req, &rep, &w), 0);
  assert_int_equal(rep.status, 201);
  assert_int_equal(json_integer_value(json_object_get(rep.json, "id")), 5);
  assert_int_equal(units(f), 1);
  assert_int_equal(audits(f), 1);
  assert_int_equal(count_of(f, "SELECT count(*) FROM audit WHERE action = 'unit.create' AND entity_id = '5'"
                               " AND username = 'city_org' AND at = 1781056800"),
                   1);
  reply_free(&rep);
  assert_int_equal(db_exec(f->db, "DELETE FROM unit"), DB_OK);
}

/* Each mapped result: its error, rolled back, no audit row. */
static void test_mapped_results_roll_back(void **state)
{
  struct fixture *f = *state;
  int before = audits(f);
  static const struct {
    const struct write_error *table;
    int result, status;
  } CASES[] = {
      {ERRORS, DB_CONFLICT, 409}, {ERRORS, DB_NOT_FOUND, 404}, {REFERENCE_ERRORS, DB_NOT_FOUND, 400}};
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    struct request req = request_on(f);
    struct reply rep = {0};
    struct call c = {CASES[i].result, 0, false};
    struct write_tx w = unit_write(&c);
    w.errors = CASES[i].table;
    const struct write_error *e = CASES[i].table[0].result == CASES[i].result ? &CASES[i].table[0] : &CASES[i].table[1];
    assert_int_equal(write_tx_run(&req, &rep, &w), -1);
    assert_int_equal(rep.status, CASES[i].status);
    assert_error(&rep, e->status, e->code, e->field);
    assert_string_equal(json_string_value(json_object_get(json_object_get(rep.json, "error"), "message")),
                        e->message_zh);
    assert_int_equal(units(f), 0);
    assert_int_equal(audits(f), before);
    reply_free(&rep);
  }
}

/* stderr (the log) while fn runs, into out. */
static void log_of(void (*fn)(void *), void *arg, char *out, size_t size)
{
  char path[] = "/tmp/zhucun-write-tx-log-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  assert_true(saved >= 0);
  assert_true(dup2(fd, STDERR_FILENO) >= 0);
  fn(arg);
  fflush(stderr);
  assert_true(dup2(saved, STDERR_FILENO) >= 0);
  close(saved);
  ssize_t n = pread(fd, out, size - 1, 0);
  out[n > 0 ? n : 0] = '\0';
  close(fd);
  unlink(path);
}

struct run {
  struct request *req;
  struct reply *rep;
  const struct write_tx *w;
  int rc;
};

static void run_write(void *arg)
{
  struct run *r = arg;
  r->rc = write_tx_run(r->req, r->rep, r->w);
}

static void test_unmapped_result_is_500(void **state)
{
  struct fixture *f = *state;
  int before = audits(f);
  struct request req = request_on(f);
  struct reply rep = {0};
  struct call c = {DB_ERROR, 0, false};
  struct write_tx w = unit_write(&c);
  struct run r = {&req, &rep, &w, 0};
  char logged[1024];
  log_of(run_write, &r, logged, sizeof logged);
  assert_int_equal(r.rc, -1);
  assert_non_null(strstr(logged, "POST /api/v1/units: unit.create failed in the store (-1)"));
  assert_error(&rep, 500, "internal", NULL);
  assert_int_equal(units(f), 0);
  assert_int_equal(audits(f), before);
  reply_free(&rep);
  /* no table at all: a conflict is then unexpected too */
  struct call c2 = {DB_CONFLICT, 0, false};
  w = unit_write(&c2);
  w.errors = NULL;
  assert_int_equal(write_tx_run(&req, &rep, &w), -1);
  assert_error(&rep, 500, "internal", NULL);
  assert_int_equal(units(f), 0);
  reply_free(&rep);
}

/* A callback that wrote its own reply keeps it, and nothing is written. */
static int store_replied(struct request *req, struct reply *rep, void *ctx)
{
  int rc = store_unit(req, rep, ctx);
  if (rc != DB_OK) return rc;
  reply_error(rep, 409, "overlap", "所选日期与已有记录重叠", "start_date");
  return WRITE_TX_REPLIED;
}

static void test_own_reply_rolls_back(void **state)
{
  struct fixture *f = *state;
  struct request req = request_on(f);
  struct reply rep = {0};
  struct call c = {DB_OK, 0, false};
  struct write_tx w = unit_write(&c);
  w.store = store_replied;
  assert_int_equal(write_tx_run(&req, &rep, &w), -1);
  assert_error(&rep, 409, "overlap", "start_date");
  assert_int_equal(units(f), 0);
  reply_free(&rep);
}

static void test_failed_commit_writes_nothing(void **state)
{
  struct fixture *f = *state;
  int before = audits(f);
  struct request req = request_on(f);
  struct reply rep = {0};
  struct call c = {DB_OK, 0, true};
  struct write_tx w = unit_write(&c);
  struct run r = {&req, &rep, &w, 0};
  char logged[1024];
  log_of(run_write, &r, logged, sizeof logged);
  assert_int_equal(r.rc, -1);
  assert_non_null(strstr(logged, "unit.create failed in commit"));
  assert_error(&rep, 500, "internal", NULL);
  assert_int_equal(units(f), 0);
  assert_int_equal(audits(f), before);
  reply_free(&rep);
  /* the connection is usable again: the next write commits */
  struct call ok = {DB_OK, 0, false};
  w = unit_write(&ok);
  assert_int_equal(write_tx_run(&req, &rep, &w), 0);
  assert_int_equal(units(f), 1);
  assert_int_equal(audits(f), before + 1);
  reply_free(&rep);
  assert_int_equal(db_exec(f->db, "DELETE FROM unit"), DB_OK);
}

/* Without an answer the handler replies; without an action there is no audit row. */
static void test_no_answer_no_audit(void **state)
{
  struct fixture *f = *state;
  int before = audits(f);
  struct request req = request_on(f);
  struct reply rep = {0};
  struct call c = {DB_OK, 0, false};
  struct write_tx w = unit_write(&c);
  w.action = NULL;
  w.answer = NULL;
  assert_int_equal(write_tx_run(&req, &rep, &w), 0);
  assert_int_equal(rep.status, 0);
  assert_null(rep.json);
  assert_int_equal(units(f), 1);
  assert_int_equal(audits(f), before);
  assert_int_equal(db_exec(f->db, "DELETE FROM unit"), DB_OK);
}

/* The store wrote, then the audit row failed (an instant of 0 is refused by the chain): nothing stays. */
static void test_failed_audit_row_writes_nothing(void **state)
{
  struct fixture *f = *state;
  int before = count_of(f, "SELECT count(*) FROM audit");
  struct request req = request_on(f);
  req.now = 0;
  struct reply rep = {0};
  struct call c = {DB_OK, 0, false};
  struct write_tx w = unit_write(&c);
  struct run r = {&req, &rep, &w, 0};
  char logged[1024];
  log_of(run_write, &r, logged, sizeof logged);
  assert_int_equal(r.rc, -1);
  assert_non_null(strstr(logged, "unit.create failed in the audit row"));
  assert_error(&rep, 500, "internal", NULL);
  assert_int_equal(units(f), 0);
  assert_int_equal(count_of(f, "SELECT count(*) FROM audit"), before);
  reply_free(&rep);
}

/* No store call: the audit row is the write (an export's, a bulk-reveal alert's). */
static void test_audit_only(void **state)
{
  struct fixture *f = *state;
  static const char *const EXPORTS = "SELECT count(*) FROM audit WHERE action = 'export.xlsx' AND entity = 'export'"
                                     " AND entity_id = '1' AND detail = '{\"rows\":3}'";
  struct request req = request_on(f);
  struct reply rep = {0};
  json_t *detail = json_pack("{s:i}", "rows", 3);
  struct write_tx w = {.action = "export.xlsx", .entity = "export", .detail = detail};
  assert_int_equal(write_tx_run(&req, &rep, &w), 0);
  assert_int_equal(rep.status, 0); /* the handler sends the file */
  assert_int_equal(count_of(f, EXPORTS), 1);
  /* its row refused: a 500, and no row */
  req.now = 0;
  struct run r = {&req, &rep, &w, 0};
  char logged[1024];
  log_of(run_write, &r, logged, sizeof logged);
  assert_int_equal(r.rc, -1);
  assert_non_null(strstr(logged, "export.xlsx failed in the audit row"));
  assert_error(&rep, 500, "internal", NULL);
  assert_int_equal(count_of(f, EXPORTS), 1);
  reply_free(&rep);
  json_decref(detail);
}

/* The audit detail is read after the store call: what the store did (an import's counts) is in it. */
static int store_counted(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  int rc = db_exec(req->db, "INSERT INTO unit (id, name, level, type, region_code, created_at)"
                            " VALUES (6, '测试单位', 'province', 'party_gov', '36', 0)");
  if (rc == DB_OK) rc = json_object_set_new(ctx, "created", json_integer(1)) == 0 ? DB_OK : DB_ERROR;
  return rc;
}

static void test_detail_filled_by_the_store(void **state)
{
  struct fixture *f = *state;
  struct request req = request_on(f);
  struct reply rep = {0};
  json_t *detail = json_object();
  struct write_tx w = {.store = store_counted, .ctx = detail, .action = "unit.create", .entity = "unit",
                       .entity_id = "6", .detail = detail};
  assert_int_equal(write_tx_run(&req, &rep, &w), 0);
  assert_int_equal(count_of(f, "SELECT count(*) FROM audit WHERE action = 'unit.create' AND entity_id = '6'"
                               " AND detail = '{\"created\":1}'"),
                   1);
  json_decref(detail);
  assert_int_equal(db_exec(f->db, "DELETE FROM unit"), DB_OK);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_commit_audit_answer),   cmocka_unit_test(test_mapped_results_roll_back),
      cmocka_unit_test(test_unmapped_result_is_500), cmocka_unit_test(test_own_reply_rolls_back),
      cmocka_unit_test(test_failed_commit_writes_nothing), cmocka_unit_test(test_no_answer_no_audit),
      cmocka_unit_test(test_failed_audit_row_writes_nothing), cmocka_unit_test(test_audit_only),
      cmocka_unit_test(test_detail_filled_by_the_store),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
