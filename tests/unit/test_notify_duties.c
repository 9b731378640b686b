/* The day's notices of duties (store/notify_duties, issue 15): on a province's new day the stage judged
 * every cell of the matrix around today (261,012 on the Jiangxi demo) to keep the few hundred falling
 * due in its week, and 待办 waited a minute for it. It now judges only the periods falling due in the
 * week (compliance_query.due_from/due_to): no other duty's evidence is read, and the occasions keyed
 * are exactly those the whole matrix gives (duty_due: not yet due, due within NOTIFY_DUTY_DAYS from
 * today; duty_overdue: missing, due within the NOTIFY_DUTY_DAYS before today). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/obligations.h"
#include "core/policy.h"
#include "data/policy_fixture.h"
#include "store/db.h"
#include "store/db_sqlite.h"
#include "store/notify_duties.h"
#include "store/obligations.h"
#include "store/scope.h"
#include "scratch_db.h"

static struct obligation ROWS[OBLIGATIONS_MAX];
static size_t NROWS;

static int load(void **state)
{
  char err[300];
  struct policy *p = fixture_ganzhou(err, sizeof err);
  if (!p) fail_msg("policy/ganzhou.json refused: %s", err);
  json_t *doc = (json_t *)policy_document(p);
  json_incref(doc); /* the rows borrow strings from the document */
  policy_free(p);
  const json_t *value = json_object_get(fixture_param(doc, "obligations"), "value");
  assert_int_equal(obligations_parse(value, ROWS, OBLIGATIONS_MAX, &NROWS, err, sizeof err), 0);
  assert_true(NROWS >= 15);
  *state = doc;
  return 0;
}

static int unload(void **state)
{
  json_decref(*state);
  return 0;
}

/* Two villages of 瑞金市沙洲坝镇, each with a first secretary from a county unit; the first one's
 * cadre has an account (the team's duties are theirs to read); some evidence done, most not. */
static void seed(struct db *db)
{
  assert_int_equal(db_exec(db,
      "INSERT INTO region (code, name, level, parent_code, path) VALUES"
      " ('36', '江西省', 'province', NULL, '/36/'), ('3607', '赣州市', 'city', '36', '/36/3607/'),"
      " ('360781', '瑞金市', 'county', '3607', '/36/3607/360781/'),"
      " ('360781104', '沙洲坝镇', 'township', '360781', '/36/3607/360781/360781104/'),"
      " ('360781104201', '沙洲坝村', 'village', '360781104', '/36/3607/360781/360781104/360781104201/'),"
      " ('360781104202', '洋溪村', 'village', '360781104', '/36/3607/360781/360781104/360781104202/');"
      "INSERT INTO unit (id, name, level, type, region_code, created_at)"
      " VALUES (1, '瑞金市农业农村局', 'county', 'party_gov', '360781', 0);"
      "INSERT INTO cadre (id, name, id_cipher, id_lookup, id_masked, sex, birth_date, unit_id, created_at) VALUES"
      " (1, '张三', x'00', x'01', '3607**********1234', 'M', '1985-01-01', 1, 0),"
      " (2, '李四', x'02', x'03', '3607**********5678', 'F', '1988-01-01', 1, 0);"
      "INSERT INTO assignment (id, cadre_id, village_code, unit_id, post, kind, status, verdict, reasons,"
      " approval_region, start_date, term_end, created_at) VALUES"
      " (1, 1, '360781104201', 1, 'first_secretary', 'initial', 'active', 'ok', '[]', '360781',"
      " '2026-01-01', '2027-12-31', 0),"
      " (2, 2, '360781104202', 1, 'first_secretary', 'initial', 'active', 'ok', '[]', '360781',"
      " '2026-01-01', '2027-12-31', 0);"
      "INSERT INTO user (id, username, display_name, role, region_code, unit_id, cadre_id, password_hash,"
      " password_changed_at, created_at)"
      " VALUES (1, 'zhangsan', '张三', 'cadre', '360781104201', NULL, 1, 'x', 0, 0);"
      "INSERT INTO obligation_evidence (kind, party_type, party_id, done_on, record_type, record_id, recorded_at) VALUES"
      " ('monitoring_meeting', 'team', '360781104202', '2026-06-12', 'supervision_record', 1, 0),"
      " ('township_meeting', 'township', '360781104', '2026-06-03', 'supervision_record', 2, 0),"
      " ('training_lecture_hall', 'cadre', '1', '2026-05-20', 'supervision_record', 3, 0);"),
      DB_OK);
}

static void query_of(struct compliance_query *q, int today)
{
  memset(q, 0, sizeof *q);
  q->today = today;
  q->lock_days = 10;
  q->anchor_year = 2023;
  q->obligations = ROWS;
  q->nobligations = NROWS;
}

/* ---- the evidence read ---- */

#define MAX_READS 256
struct reads { char *sql[MAX_READS]; int n; };

/* Each evidence read with its values bound (the kind among them). */
static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
  (void)x;
  struct reads *r = ctx;
  if (type != SQLITE_TRACE_STMT || r->n >= MAX_READS) return 0;
  char *sql = sqlite3_expanded_sql((sqlite3_stmt *)p);
  if (sql && strstr(sql, "FROM obligation_evidence")) r->sql[r->n++] = strdup(sql);
  sqlite3_free(sql);
  return 0;
}

/* 2026-06-10, a Wednesday: the week 06-07..06-13 holds only a week's end (the township's weekly
 * dispatch); every month, quarter, half year and year falls due on or after 06-30. So the township's
 * dispatch is the only evidence read — the whole matrix read the cadres' trainings, the teams'
 * meetings, the units' visits as well. */
static void test_reads_only_the_duties_falling_due(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "duties");
  seed(db);
  struct reads reads = {{0}, 0};
  sqlite3_trace_v2(db_sqlite(db), SQLITE_TRACE_STMT, on_trace, &reads);
  struct compliance_query q;
  query_of(&q, 20260610);
  long raised = -1;
  assert_int_equal(notify_duties_settle(db, &q, 1781049600, &raised), DB_OK);
  sqlite3_trace_v2(db_sqlite(db), 0, NULL, NULL);
  assert_true(reads.n >= 1);
  for (int i = 0; i < reads.n; i++) {
    if (!strstr(reads.sql[i], "'township_dispatch'")) fail_msg("a duty not falling due this week was read: %s", reads.sql[i]);
    free(reads.sql[i]);
  }
  assert_int_equal(raised, 0); /* the township has no account */
  scratch_db_close(db, path);
}

/* ---- the same occasions as the whole matrix ---- */

#define MAX_KEYS 512
struct keys { char *v[MAX_KEYS]; int n; };

static int cmp_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void keys_add(struct keys *k, const char *kind, const char *obligation, const char *party, const char *due)
{
  assert_true(k->n < MAX_KEYS);
  char line[256];
  snprintf(line, sizeof line, "%s %s|%s %s", kind, obligation, party, due);
  k->v[k->n++] = strdup(line);
}

static void keys_free(struct keys *k)
{
  for (int i = 0; i < k->n; i++) free(k->v[i]);
  k->n = 0;
}

/* The occasions of today as the whole matrix around today has them (every period, every status). */
static void occasions_of_whole_matrix(struct db *db, int today, struct keys *out)
{
  struct compliance_query q;
  query_of(&q, today);
  q.from = date_add_days(today, -NOTIFY_DUTY_DAYS);
  q.to = date_add_days(today, NOTIFY_DUTY_DAYS);
  char t[DATE_ISO_SIZE], since[DATE_ISO_SIZE], soon[DATE_ISO_SIZE];
  date_format_iso(today, t);
  date_format_iso(q.from, since);
  date_format_iso(q.to, soon);
  struct scope all;
  memset(&all, 0, sizeof all);
  all.kind = SCOPE_KIND_REGION;
  snprintf(all.path_lo, sizeof all.path_lo, "/");
  snprintf(all.path_hi, sizeof all.path_hi, "/~");
  bool nf = false;
  json_t *cells = compliance_cells_json(db, &all, &q, 1, 0, &nf);
  assert_non_null(cells);
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(cells, "items"), i, c) {
    const char *status = json_string_value(json_object_get(c, "status"));
    const char *due = json_string_value(json_object_get(c, "due"));
    const char *ob = json_string_value(json_object_get(c, "obligation"));
    const char *party = json_string_value(json_object_get(c, "party_id"));
    if (strcmp(status, "missing") == 0 && strcmp(due, since) >= 0 && strcmp(due, t) < 0)
      keys_add(out, "duty_overdue", ob, party, due);
    if (strcmp(status, "not_yet_due") == 0 && strcmp(due, t) >= 0 && strcmp(due, soon) <= 0)
      keys_add(out, "duty_due", ob, party, due);
  }
  json_decref(cells);
  qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_text);
}

static void keys_written(struct db *db, struct keys *out)
{
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db_sqlite(db),
      "SELECT kind, object, day FROM notification_key WHERE kind IN ('duty_due', 'duty_overdue')", -1, &st, NULL),
      SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    assert_true(out->n < MAX_KEYS);
    char line[256];
    snprintf(line, sizeof line, "%s %s %s", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
             sqlite3_column_text(st, 2));
    out->v[out->n++] = strdup(line);
  }
  sqlite3_finalize(st);
  qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_text);
}

static long count_of(struct db *db, const char *sql)
{
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  long n = (long)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

/* Days around the ends of June and of September (months, a quarter, a half year, the trainings'
 * deadline 09-30) and a plain Wednesday: each keys exactly the whole matrix's occasions. */
static void test_same_occasions_as_the_whole_matrix(void **state)
{
  (void)state;
  static const int DAYS[] = {20260610, 20260628, 20260701, 20260703, 20260928, 20261002};
  long due_total = 0, overdue_total = 0, raised_total = 0;
  for (size_t d = 0; d < sizeof DAYS / sizeof DAYS[0]; d++) {
    char path[64];
    struct db *db = scratch_db_open(path, sizeof path, "duties");
    seed(db);
    struct keys want = {{0}, 0}, got = {{0}, 0};
    occasions_of_whole_matrix(db, DAYS[d], &want);
    struct compliance_query q;
    query_of(&q, DAYS[d]);
    long raised = -1;
    assert_int_equal(notify_duties_settle(db, &q, 1781049600, &raised), DB_OK);
    keys_written(db, &got);
    if (got.n != want.n) fail_msg("day %d: %d occasions keyed, the whole matrix has %d", DAYS[d], got.n, want.n);
    for (int i = 0; i < want.n; i++) {
      char w[256];
      /* "kind obligation|party due" both */
      snprintf(w, sizeof w, "%s", want.v[i]);
      assert_string_equal(got.v[i], w);
      due_total += strncmp(w, "duty_due ", 9) == 0;
      overdue_total += strncmp(w, "duty_overdue ", 13) == 0;
    }
    /* the first village's team duties and the first cadre's own trainings reach the cadre's account, the
     * others no one (the unit's leaders, its teams, the township, the county have none) */
    long read = count_of(db, "SELECT count(*) FROM notification n JOIN notification_event e ON e.id = n.event_id"
                             " WHERE n.user_id = 1 AND e.kind IN ('duty_due', 'duty_overdue')");
    long team = count_of(db, "SELECT count(*) FROM notification_key WHERE kind IN ('duty_due', 'duty_overdue')"
                             " AND (object LIKE '%|360781104201' OR (object LIKE 'training%' AND object LIKE '%|1'))");
    assert_int_equal(read, team);
    assert_int_equal(raised, team);
    raised_total += raised;
    keys_free(&want);
    keys_free(&got);
    scratch_db_close(db, path);
  }
  /* the days chosen do bring both kinds */
  assert_true(due_total >= 10);
  assert_true(overdue_total >= 10);
  assert_true(raised_total >= 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reads_only_the_duties_falling_due),
      cmocka_unit_test(test_same_occasions_as_the_whole_matrix),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
