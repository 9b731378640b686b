/* The plans of the duties' roll-ups (issue 15): 履职监督 (GET /compliance, /compliance/cells) and
 * 我的履职 (GET /obligations/mine). A township's answer must cost in proportion to the township:
 * its posts are read from its own villages (the range of their region paths, then each village's
 * posts by assignment_village), never by walking the city's posts by status, and its evidence is
 * sought party by party (kind, party type, party id) in the engine's covering index. A city reads
 * its year in one range of that index. No statement may SCAN the posts, the places or the evidence.
 * Every statement run is caught with sqlite3_trace_v2 and explained (EXPLAIN QUERY PLAN); without
 * ANALYZE statistics (zhucun keeps none) SQLite plans the same on a small database as on a full one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/obligations.h"
#include "core/policy.h"
#include "data/policy_fixture.h"
#include "store/db.h"
#include "store/db_sqlite.h"
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

#define MAX_SQL 64
struct caught { char *sql[MAX_SQL]; int n; };

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
  (void)x;
  struct caught *c = ctx;
  if (type != SQLITE_TRACE_STMT || c->n >= MAX_SQL) return 0;
  const char *sql = sqlite3_sql((sqlite3_stmt *)p);
  for (int i = 0; i < c->n; i++) if (strcmp(c->sql[i], sql) == 0) return 0;
  c->sql[c->n++] = strdup(sql);
  return 0;
}

static void caught_free(struct caught *c)
{
  for (int i = 0; i < c->n; i++) free(c->sql[i]);
  c->n = 0;
}

/* What the plans of the caught statements that read posts or evidence show. */
struct verdict {
  int places_by_path;     /* SEARCH ar ... (path>? AND path<?) */
  int posts_by_village;   /* SEARCH a USING INDEX assignment_village */
  int posts_by_status;    /* SEARCH a USING INDEX assignment_status */
  int evidence_by_party;  /* SEARCH obligation_evidence ... party_id=? */
  int evidence_by_range;  /* SEARCH obligation_evidence ... (kind=? AND party_type=?) */
};

static bool starts(const char *line, const char *prefix) { return strncmp(line, prefix, strlen(prefix)) == 0; }

static void judge_line(const char *line, struct verdict *v)
{
  static const char *const NEVER[] = {"SCAN a", "SCAN ar", "SCAN assignment", "SCAN region", "SCAN obligation_evidence"};
  for (size_t i = 0; i < sizeof NEVER / sizeof NEVER[0]; i++) {
    size_t n = strlen(NEVER[i]);
    if (starts(line, NEVER[i]) && (line[n] == '\0' || line[n] == ' ')) fail_msg("a full scan: %s", line);
  }
  if (starts(line, "SEARCH ar USING") && strstr(line, "path>? AND path<?")) v->places_by_path++;
  if (starts(line, "SEARCH a USING INDEX assignment_village")) v->posts_by_village++;
  if (starts(line, "SEARCH a USING INDEX assignment_status")) v->posts_by_status++;
  if (starts(line, "SEARCH obligation_evidence USING") && strstr(line, "obligation_evidence_engine")) {
    if (strstr(line, "party_id=?")) v->evidence_by_party++;
    else v->evidence_by_range++;
  }
}

static void explain_all(struct db *db, const struct caught *c, struct verdict *v)
{
  memset(v, 0, sizeof *v);
  for (int i = 0; i < c->n; i++) {
    char *eqp = malloc(strlen(c->sql[i]) + 32);
    assert_non_null(eqp);
    sprintf(eqp, "EXPLAIN QUERY PLAN %s", c->sql[i]);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_sqlite(db), eqp, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) judge_line((const char *)sqlite3_column_text(st, 3), v);
    sqlite3_finalize(st);
    free(eqp);
  }
}

/* One village of 瑞金市沙洲坝镇 with a first secretary from a county unit, and a record of evidence. */
static void seed(struct db *db)
{
  assert_int_equal(db_exec(db,
      "INSERT INTO region (code, name, level, parent_code, path) VALUES"
      " ('36', '江西省', 'province', NULL, '/36/'), ('3607', '赣州市', 'city', '36', '/36/3607/'),"
      " ('360781', '瑞金市', 'county', '3607', '/36/3607/360781/'),"
      " ('360781104', '沙洲坝镇', 'township', '360781', '/36/3607/360781/360781104/'),"
      " ('360781104201', '沙洲坝村', 'village', '360781104', '/36/3607/360781/360781104/360781104201/');"
      "INSERT INTO unit (id, name, level, type, region_code, created_at)"
      " VALUES (1, '瑞金市农业农村局', 'county', 'party_gov', '360781', 0);"
      "INSERT INTO cadre (id, name, id_cipher, id_lookup, id_masked, sex, birth_date, unit_id, created_at)"
      " VALUES (1, '张三', x'00', x'01', '3607**********1234', 'M', '1985-01-01', 1, 0);"
      "INSERT INTO assignment (id, cadre_id, village_code, unit_id, post, kind, status, verdict, reasons,"
      " approval_region, start_date, term_end, created_at)"
      " VALUES (1, 1, '360781104201', 1, 'first_secretary', 'initial', 'active', 'ok', '[]', '360781',"
      " '2026-01-01', '2027-12-31', 0);"
      "INSERT INTO obligation_evidence (kind, party_type, party_id, done_on, record_type, record_id, recorded_at)"
      " VALUES ('township_meeting', 'township', '360781104', '2026-03-02', 'supervision_record', 1, 0);"),
      DB_OK);
}

static void query_of(struct compliance_query *q)
{
  memset(q, 0, sizeof *q);
  q->from = 20260101;
  q->to = 20261231;
  q->today = 20260610;
  q->lock_days = 10;
  q->anchor_year = 2023;
  q->obligations = ROWS;
  q->nobligations = NROWS;
}

static const struct scope CITY = {.kind = SCOPE_KIND_REGION, .region_code = "3607", .path_lo = "/36/3607/",
                                  .path_hi = "/36/3607/~"};
static const struct scope TOWNSHIP = {.kind = SCOPE_KIND_REGION, .region_code = "360781104",
                                      .path_lo = "/36/3607/360781/360781104/",
                                      .path_hi = "/36/3607/360781/360781104/~"};

/* A township's matrix, its missing cells and its own duties (/obligations/mine's "next"). */
static void test_township_reads_its_own(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "oblplans");
  seed(db);
  struct caught caught = {{0}, 0};
  sqlite3_trace_v2(db_sqlite(db), SQLITE_TRACE_STMT, on_trace, &caught);
  struct compliance_query q;
  query_of(&q);
  q.region_code = "360781104";
  bool nf = false;
  json_t *sum = compliance_summary_json(db, &TOWNSHIP, &q, &nf);
  assert_non_null(sum);
  assert_false(nf);
  /* the township's meeting of March counts: its evidence was found by the party's own search */
  json_t *totals = json_object_get(sum, "totals");
  assert_true(json_integer_value(json_object_get(totals, "done")) >= 1);
  json_decref(sum);
  struct party_ref own = {OWNER_TOWNSHIP, "360781104"};
  query_of(&q);
  q.parties = &own;
  q.nparties = 1;
  q.status = "missing";
  json_t *cells = compliance_cells_json(db, &TOWNSHIP, &q, 1, 50, &nf);
  assert_non_null(cells);
  json_decref(cells);
  sqlite3_trace_v2(db_sqlite(db), 0, NULL, NULL);
  /* a county's parties (from FACTS_BATCH_MIN on) in one statement: sought by party too, never the range */
  assert_true(caught.n < MAX_SQL);
  caught.sql[caught.n++] = strdup(OBLIGATION_FACTS_PARTIES_SQL);

  struct verdict v;
  explain_all(db, &caught, &v);
  assert_true(v.places_by_path >= 1);
  assert_true(v.posts_by_village >= 1);
  assert_int_equal(v.posts_by_status, 0);    /* never the city's posts */
  assert_true(v.evidence_by_party >= 1);
  assert_int_equal(v.evidence_by_range, 0);  /* never the city's evidence of a kind */
  caught_free(&caught);
  scratch_db_close(db, path);
}

/* A city's year: the posts by status, the evidence of each kind in one range of the index. */
static void test_city_reads_ranges(void **state)
{
  (void)state;
  char path[64];
  struct db *db = scratch_db_open(path, sizeof path, "oblplans");
  seed(db);
  struct caught caught = {{0}, 0};
  struct compliance_query q;
  query_of(&q);
  q.region_code = "3607";
  sqlite3_trace_v2(db_sqlite(db), SQLITE_TRACE_STMT, on_trace, &caught);
  bool nf = false;
  json_t *sum = compliance_summary_json(db, &CITY, &q, &nf);
  sqlite3_trace_v2(db_sqlite(db), 0, NULL, NULL);
  assert_non_null(sum);
  json_decref(sum);
  /* with more parties than FACTS_SEEK_MAX the kind is read in one range: its statement too */
  caught.sql[caught.n++] = strdup(OBLIGATION_FACTS_ALL_SQL);
  struct verdict v;
  explain_all(db, &caught, &v);
  assert_true(v.posts_by_status >= 1);
  assert_int_equal(v.places_by_path, 0);
  assert_true(v.evidence_by_range >= 1);
  caught_free(&caught);
  scratch_db_close(db, path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_township_reads_its_own),
      cmocka_unit_test(test_city_reads_ranges),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
