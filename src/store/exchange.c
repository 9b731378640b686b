/* exchange — the exchange's queries (see the header). Each dataset is one SELECT whose column
 * aliases are the layout's keys; the latest income year stands for the household's income, as on
 * the registry's list. 风险线索 are the cases not (or not yet) taken into monitoring; 监测帮扶案件
 * those taken in, closing or closed, so the two files never hold the same case. */
#include "store/exchange.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/scope_sql.h"
#include "store/vault.h"
#include "util/strbuf.h"

#define REGION_JOIN \
  " JOIN region tv ON tv.code = h.village_code LEFT JOIN region tt ON tt.code = tv.parent_code"
#define INCOME_YEAR "(SELECT max(i.year) FROM household_income i WHERE i.household_id = h.id)"
#define PER_CAPITA \
  "(SELECT i.per_capita FROM household_income i WHERE i.household_id = h.id ORDER BY i.year DESC LIMIT 1)"
#define HOUSEHOLD_CELLS \
  "h.village_code AS village_code, tt.name AS township_name, tv.name AS village_name," \
  " h.household_no AS household_no, h.head_name AS head_name, h.category AS category, h.monitored AS monitored," \
  " " INCOME_YEAR " AS income_year, " PER_CAPITA " AS per_capita, h.food_clothing AS food_clothing," \
  " h.schooling AS schooling, h.medical AS medical, h.housing AS housing, h.water AS water," \
  " coalesce(h.phone_masked, '') AS phone, coalesce(h.address, '') AS address"
#define CASE_CELLS \
  "mc.id AS id, mc.village_code AS village_code, tt.name AS township_name, tv.name AS village_name," \
  " h.household_no AS household_no, h.head_name AS head_name, h.members_count AS members_count," \
  " mc.source AS source, coalesce(mc.department, '') AS department, mc.risks AS risks, mc.lead_on AS lead_on," \
  " mc.description AS description, mc.state AS state, mc.category AS category," \
  " mc.identified_on AS identified_on, mc.closed_on AS closed_on"
#define CASE_FROM " FROM monitoring_case mc JOIN household h ON h.id = mc.household_id" REGION_JOIN

static const struct { const char *code, *sql, *order; } QUERIES[] = {
  {"households",
   "SELECT " HOUSEHOLD_CELLS ", h.members_count AS members_count, h.able_bodied AS able_bodied,"
   " h.last_visit_on AS last_visit, h.status AS status FROM household h" REGION_JOIN " WHERE h.status = 'active'",
   " ORDER BY h.village_code, h.household_no"},
  {"members",
   "SELECT " HOUSEHOLD_CELLS ", m.name AS name, m.id_masked AS id_number, m.relation AS relation,"
   " m.able_bodied AS able_bodied, CASE WHEN m.health_cipher IS NULL THEN '' ELSE '****' END AS health"
   " FROM household_member m JOIN household h ON h.id = m.household_id" REGION_JOIN
   " WHERE h.status = 'active' AND m.removed_at IS NULL",
   " ORDER BY h.village_code, h.household_no, m.relation <> '户主', m.id"},
  {"leads",
   "SELECT " CASE_CELLS CASE_FROM " WHERE mc.state IN ('found','reviewed','noticed','checked','dismissed')",
   " ORDER BY mc.village_code, h.household_no, mc.id"},
  {"cases",
   "SELECT " CASE_CELLS ", (SELECT group_concat(cm.content || '（' || cm.applied_on || '）', '；')"
   " FROM (SELECT * FROM case_measure WHERE case_id = mc.id ORDER BY applied_on, id) cm) AS measures"
   CASE_FROM " WHERE mc.state IN ('monitored','close_verified','close_reviewed','close_noticed','closed')",
   " ORDER BY mc.village_code, h.household_no, mc.id"},
};

static json_t *cell_json(sqlite3_stmt *st, int c)
{
  switch (sqlite3_column_type(st, c)) {
  case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, c));
  case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, c));
  case SQLITE_NULL: return json_null();
  default: return json_string(db_col_text(st, c));
  }
}

static int walk_rows(sqlite3_stmt *st, exchange_row_fn fn, void *ctx)
{
  int rc = DB_OK, step;
  while (rc == DB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
    json_t *row = json_object();
    for (int c = 0; c < sqlite3_column_count(st); c++)
      json_object_set_new(row, sqlite3_column_name(st, c), cell_json(st, c));
    rc = fn(ctx, row);
    json_decref(row);
  }
  if (rc == DB_OK && step != SQLITE_DONE) rc = DB_ERROR;
  return rc;
}

int exchange_walk(struct db *db, const struct scope *scope, const char *dataset, const char *region,
                  exchange_row_fn fn, void *ctx)
{
  size_t q = 0;
  while (q < sizeof QUERIES / sizeof QUERIES[0] && strcmp(QUERIES[q].code, dataset) != 0) q++;
  if (q == sizeof QUERIES / sizeof QUERIES[0]) return DB_ERROR;
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  int rc = strbuf_appendf(&sql, "%s", QUERIES[q].sql);
  if (region)
    rc |= strbuf_appendf(&sql, " AND tv.path >= (SELECT path FROM region WHERE code = :region)"
                               " AND tv.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  rc |= strbuf_appendf(&sql, "%s", QUERIES[q].order);
  sqlite3_stmt *st = NULL;
  /* not cached: a walk may call back into the store, and the text differs by scope */
  if (rc == 0 && sqlite3_prepare_v2(db_sqlite(db), strbuf_cstr(&sql), -1, &st, NULL) != SQLITE_OK) st = NULL;
  strbuf_free(&sql);
  if (!st) return DB_ERROR;
  int idx = sqlite3_bind_parameter_index(st, ":region");
  if (idx > 0) sqlite3_bind_text(st, idx, region, -1, SQLITE_TRANSIENT);
  scope_bind(scope, st);
  rc = walk_rows(st, fn, ctx);
  sqlite3_finalize(st);
  return rc;
}

int exchange_region(struct db *db, const char *code, char level[16], char path[96])
{
  sqlite3_stmt *st = db_stmt(db, "SELECT level, path FROM region WHERE code = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    snprintf(level, 16, "%s", db_col_text(st, 0));
    snprintf(path, 96, "%s", db_col_text(st, 1));
  }
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : DB_ERROR;
  sqlite3_reset(st);
  return result;
}

int exchange_member_id(struct db *db, const struct vault *vault, const char *village, const char *household_no,
                       const char *name, const char *masked, char out[IDCARD_SIZE])
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT m.id_cipher FROM household_member m JOIN household h ON h.id = m.household_id"
      " WHERE h.village_code = ?1 AND h.household_no = ?2 AND m.name = ?3 AND m.id_masked = ?4"
      " AND m.removed_at IS NULL LIMIT 2");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, village, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, household_no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, masked, -1, SQLITE_TRANSIENT);
  int rc = DB_NOT_FOUND;
  char *plain = NULL;
  if (sqlite3_step(st) == SQLITE_ROW &&
      vault_decrypt(vault, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), &plain) == 0)
    rc = db_step_row(db, st) ? DB_NOT_FOUND : DB_OK;  /* two members alike: not this way */
  sqlite3_reset(st);
  if (plain) {
    if (rc == DB_OK) snprintf(out, IDCARD_SIZE, "%s", plain);
    sodium_memzero(plain, strlen(plain));
    free(plain);
  }
  return rc;
}
