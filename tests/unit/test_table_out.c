/* Unit tests for export/table_out: the CSV starts with a UTF-8 BOM, quotes commas, quotes and
 * line breaks (RFC 4180) and ends rows with CRLF; the .xlsx written in constant-memory mode reads
 * back through util/xlsx_read cell for cell, text kept as text (0012 stays 0012); both finished files
 * are handed over as a nameless file in $TMPDIR (export/spool: on disk, not in memory — issue 15), and
 * an export that cannot make its file says so. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/table_out.h"
#include "util/xlsx_read.h"

/* The file behind fd, read whole (the test's own copy), after checking that it is an unlinked
 * regular file on the file system of $TMPDIR (or /tmp): a spool file, not a buffer. */
static char *spooled(int fd, size_t len)
{
  struct stat st, dir;
  assert_int_equal(fstat(fd, &st), 0);
  assert_true(S_ISREG(st.st_mode));
  assert_int_equal(st.st_nlink, 0);
  assert_int_equal((size_t)st.st_size, len);
  const char *tmp = getenv("TMPDIR");
  assert_int_equal(stat(tmp && *tmp ? tmp : "/tmp", &dir), 0);
  assert_true(st.st_dev == dir.st_dev);
  char *data = malloc(len);
  assert_non_null(data);
  assert_int_equal(pread(fd, data, len, 0), (ssize_t)len);
  close(fd);
  return data;
}

static const char *const HEAD[] = {"户编号", "户主姓名", "住址"};
static const char *const ROW[] = {"0012", "钟长生", "上坪组, 3 号 \"老屋\"\n后栋"};

static void test_csv_bom_quoting_crlf(void **state)
{
  (void)state;
  struct table_out *t;
  assert_int_equal(table_out_open(TABLE_CSV, "成员", &t), 0);
  assert_int_equal(table_out_row(t, HEAD, 3, 1), 0);
  assert_int_equal(table_out_row(t, ROW, 3, 0), 0);
  const char *const blank[] = {NULL, "", "x"};
  assert_int_equal(table_out_row(t, blank, 3, 0), 0);
  int fd;
  size_t len;
  assert_int_equal(table_out_close(t, &fd, &len), 0);
  char *data = spooled(fd, len);
  const char *want = "\xEF\xBB\xBF户编号,户主姓名,住址\r\n0012,钟长生,\"上坪组, 3 号 \"\"老屋\"\"\n后栋\"\r\n,,x\r\n";
  assert_int_equal(len, strlen(want));
  assert_memory_equal(data, want, len);
  free(data);
}

static void test_xlsx_reads_back(void **state)
{
  (void)state;
  struct table_out *t;
  assert_int_equal(table_out_open(TABLE_XLSX, "成员", &t), 0);
  assert_int_equal(table_out_row(t, HEAD, 3, 1), 0);
  for (int i = 0; i < 500; i++) assert_int_equal(table_out_row(t, ROW, 3, 0), 0);
  int fd;
  size_t len;
  assert_int_equal(table_out_close(t, &fd, &len), 0);
  char *data = spooled(fd, len);
  struct xlsx_reader *r;
  char err[200];
  assert_int_equal(xlsx_read_open((const unsigned char *)data, len, NULL, &r, err, sizeof err), XLSX_OK);
  struct xlsx_row row;
  int rows = 0;
  while (xlsx_read_next_row(r, &row) == XLSX_OK) {
    const char *const *want = rows == 0 ? HEAD : ROW;
    assert_int_equal(row.count, 3);
    for (int c = 0; c < 3; c++) assert_string_equal(row.fields[c], want[c]);
    rows++;
  }
  assert_int_equal(rows, 501);
  xlsx_read_free(r);
  free(data);
}

static void test_free_without_close(void **state)
{
  (void)state;
  struct table_out *t;
  assert_int_equal(table_out_open(TABLE_XLSX, "户", &t), 0);
  assert_int_equal(table_out_row(t, HEAD, 3, 1), 0);
  table_out_free(t);
  table_out_free(NULL);
}

/* No directory to write the file in: the export fails at its start, in both formats. */
static void test_no_spool_directory(void **state)
{
  (void)state;
  char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
  setenv("TMPDIR", "/nonexistent-zhucun-spool", 1);
  struct table_out *t = NULL;
  assert_int_equal(table_out_open(TABLE_CSV, "成员", &t), -1);
  assert_int_equal(table_out_open(TABLE_XLSX, "成员", &t), -1);
  if (saved) setenv("TMPDIR", saved, 1);
  else unsetenv("TMPDIR");
  free(saved);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_csv_bom_quoting_crlf),
    cmocka_unit_test(test_xlsx_reads_back),
    cmocka_unit_test(test_free_without_close),
    cmocka_unit_test(test_no_spool_directory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
