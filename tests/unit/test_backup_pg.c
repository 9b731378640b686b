/* Unit tests for store/backup_pg (issue 16): the pieces that need no server — the URL split into a
 * connection string without the password and the password apart (the children's command lines never
 * carry it, libpq quoting kept), the database as messages name it, the schema version read from
 * pg_restore's COPY block of zhucun_schema (one row, one number, or none) — and what a server that cannot
 * be reached does to a backup (nothing left behind) and to the serve lock (refused), the password said in
 * neither message. tests/api/backup.test.mjs runs the whole on a server. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/backup_pg.h"

/* A port nothing listens on: the unit suite's own servers start at 25431. */
#define NOWHERE "postgresql://zhucun:S3cret-pw@127.0.0.1:1/zhucun"

static void test_conninfo_keeps_the_password_apart(void **state)
{
  (void)state;
  char ci[512], pw[64], err[256];
  assert_int_equal(backup_pg_conninfo("postgresql://ops:S3cret-pw@db.example:5433/zhucun?sslmode=require", ci, sizeof ci,
                                      pw, sizeof pw, err, sizeof err), 0);
  assert_string_equal(pw, "S3cret-pw");
  assert_null(strstr(ci, "S3cret"));
  assert_non_null(strstr(ci, "user='ops'"));
  assert_non_null(strstr(ci, "host='db.example'"));
  assert_non_null(strstr(ci, "port='5433'"));
  assert_non_null(strstr(ci, "dbname='zhucun'"));
  assert_non_null(strstr(ci, "sslmode='require'"));
  /* a password given as a parameter is kept apart the same way */
  assert_int_equal(backup_pg_conninfo("postgresql://ops@h/z?password=S3cret-pw", ci, sizeof ci, pw, sizeof pw, err,
                                      sizeof err), 0);
  assert_string_equal(pw, "S3cret-pw");
  assert_null(strstr(ci, "S3cret"));
  /* without one, none: libpq's ~/.pgpass or PGPASSWORD apply */
  assert_int_equal(backup_pg_conninfo("postgresql://ops@h/z", ci, sizeof ci, pw, sizeof pw, err, sizeof err), 0);
  assert_string_equal(pw, "");
}

static void test_conninfo_quotes_as_libpq_reads(void **state)
{
  (void)state;
  char ci[512], pw[64], err[256];
  /* %27 is ', %5C is \: in the connection string each is escaped with \ inside '…' */
  assert_int_equal(backup_pg_conninfo("postgresql://h/it%27s%5Cdb", ci, sizeof ci, pw, sizeof pw, err, sizeof err), 0);
  assert_non_null(strstr(ci, "dbname='it\\'s\\\\db'"));
  /* the string parses back to the same database */
  char back[512], pw2[64];
  assert_int_equal(backup_pg_conninfo(ci, back, sizeof back, pw2, sizeof pw2, err, sizeof err), 0);
  assert_string_equal(back, ci);
}

static void test_conninfo_refuses_what_libpq_cannot_parse_or_will_not_fit(void **state)
{
  (void)state;
  char ci[512], pw[64], err[256];
  assert_int_equal(backup_pg_conninfo("postgresql://ops:S3cret-pw@h:5432/z?nosuchoption=1", ci, sizeof ci, pw, sizeof pw,
                                      err, sizeof err), -1);
  assert_non_null(strstr(err, "无法解析"));
  assert_null(strstr(err, "S3cret"));
  char small[16];
  assert_int_equal(backup_pg_conninfo("postgresql://ops@host.example/zhucun", small, sizeof small, pw, sizeof pw, err,
                                      sizeof err), -1);
}

static void test_display_never_names_the_password(void **state)
{
  (void)state;
  char out[256];
  backup_pg_display("postgresql://ops:S3cret-pw@db.example:5433/zhucun", out, sizeof out);
  assert_string_equal(out, "postgresql://ops@db.example:5433/zhucun");
  backup_pg_display("postgres://db.example/zhucun?password=S3cret-pw", out, sizeof out);
  assert_string_equal(out, "postgresql://db.example/zhucun");
}

static void test_version_from_the_copy_block(void **state)
{
  (void)state;
  const char *ok = "--\n-- Data for Name: zhucun_schema; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n"
                   "COPY public.zhucun_schema (version) FROM stdin;\n173\n\\.\n\n\n";
  assert_int_equal(backup_pg_version_in(ok), 173);
  assert_int_equal(backup_pg_version_in("SET statement_timeout = 0;\n"), -1);              /* no such table */
  assert_int_equal(backup_pg_version_in("COPY public.zhucun_schema (version) FROM stdin;\n\\.\n"), -1);   /* no row */
  assert_int_equal(backup_pg_version_in("COPY public.zhucun_schema (version) FROM stdin;\n173\n174\n\\.\n"), -1);
  assert_int_equal(backup_pg_version_in("COPY public.zhucun_schema (version) FROM stdin;\nabc\n\\.\n"), -1);
  assert_int_equal(backup_pg_version_in("COPY public.zhucun_schema (version, x) FROM stdin;\n173\t1\n\\.\n"), -1);
}

static void test_backup_of_an_unreachable_server_leaves_nothing(void **state)
{
  (void)state;
  char dir[] = "/tmp/zhucun-backup-pg-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char target[128], partial[160], err[1024];
  snprintf(target, sizeof target, "%s/bk.dump", dir);
  snprintf(partial, sizeof partial, "%s.partial", target);
  assert_int_equal(backup_pg_write(NOWHERE, target, err, sizeof err), -1);
  assert_non_null(strstr(err, "备份失败"));
  assert_null(strstr(err, "S3cret"));
  assert_int_equal(access(target, F_OK), -1);
  assert_int_equal(access(partial, F_OK), -1);
  rmdir(dir);
}

static void test_lock_on_an_unreachable_server_is_refused(void **state)
{
  (void)state;
  struct pg_lock *lock = (struct pg_lock *)1;
  char err[1024];
  assert_int_equal(backup_pg_lock_acquire(NOWHERE, "serve", &lock, err, sizeof err), -1);
  assert_null(lock);
  assert_non_null(strstr(err, "无法连接数据库 postgresql://zhucun@127.0.0.1:1/zhucun"));
  assert_null(strstr(err, "S3cret"));
  backup_pg_lock_release(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_conninfo_keeps_the_password_apart),
    cmocka_unit_test(test_conninfo_quotes_as_libpq_reads),
    cmocka_unit_test(test_conninfo_refuses_what_libpq_cannot_parse_or_will_not_fit),
    cmocka_unit_test(test_display_never_names_the_password),
    cmocka_unit_test(test_version_from_the_copy_block),
    cmocka_unit_test(test_backup_of_an_unreachable_server_leaves_nothing),
    cmocka_unit_test(test_lock_on_an_unreachable_server_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
