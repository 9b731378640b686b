/* exchange — the exchange's queries (see the header). Each dataset is one SELECT whose column
 * aliases are the layout's keys; the latest income year stands for the household's income, as on
 * the registry's list. 风险线索 are the cases not (or not yet) taken into monitoring; 监测帮扶案件
 * those taken in, closing or closed, so the two files never hold the same case. */
#include "store/exchange.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
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

/* Each row as {alias: value} to fn, one at a time (the spool holds the file, never this loop); the
 * callback's non-zero stops the walk and is the answer, else query_close tells whether the rows ended. */
static int walk_rows(struct query *q, exchange_row_fn fn, void *ctx)
{
  int rc = DB_OK;
  while (rc == DB_OK && query_next(q)) {
    json_t *row = query_row_object(q);
    rc = row ? fn(ctx, row) : DB_ERROR;
    json_decref(row);
  }
  int end = query_close(q);
  return rc != DB_OK ? rc : end;
}

int exchange_walk(struct db *db, const struct scope *scope, const char *dataset, const char *region,
                  exchange_row_fn fn, void *ctx)
{
  size_t n = 0;
  while (n < sizeof QUERIES / sizeof QUERIES[0] && strcmp(QUERIES[n].code, dataset) != 0) n++;
  if (n == sizeof QUERIES / sizeof QUERIES[0]) return DB_ERROR;
  struct strbuf sql;
  strbuf_init(&sql, 2048);
  int rc = strbuf_appendf(&sql, "%s", QUERIES[n].sql);
  if (region)
    rc |= strbuf_appendf(&sql, " AND tv.path >= (SELECT path FROM region WHERE code = :region)"
                               " AND tv.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_TEAM, &sql);
  rc |= strbuf_appendf(&sql, "%s", QUERIES[n].order);
  /* the connection's cached statement, as every query: the callback (a spool's writer) must not use
   * the store while the walk holds it (exchange.h) */
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!q) return DB_ERROR;
  if (region) query_bind_text(q, ":region", region);
  query_bind_scope(q, scope);
  return walk_rows(q, fn, ctx);
}

int exchange_region(struct db *db, const char *code, char level[16], char path[96])
{
  struct query *q = query_open(db, "SELECT level AS level, path AS path FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  if (found) {
    snprintf(level, 16, "%s", query_get_text(q, "level"));
    snprintf(path, 96, "%s", query_get_text(q, "path"));
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int exchange_member_id(struct db *db, const struct vault *vault, const char *village, const char *household_no,
                       const char *name, const char *masked, char out[IDCARD_SIZE])
{
  struct query *q = query_open(db,
      "SELECT m.id_cipher AS id_cipher FROM household_member m JOIN household h ON h.id = m.household_id"
      " WHERE h.village_code = :village AND h.household_no = :household_no AND m.name = :name"
      " AND m.id_masked = :masked AND m.removed_at IS NULL LIMIT 2");
  query_bind_text(q, ":village", village);
  query_bind_text(q, ":household_no", household_no);
  query_bind_text(q, ":name", name);
  query_bind_text(q, ":masked", masked);
  int rc = DB_NOT_FOUND;
  char *plain = NULL;
  size_t len = 0;
  if (query_next(q)) {
    const void *cipher = query_get_blob(q, "id_cipher", &len);
    if (cipher && vault_decrypt(vault, cipher, len, &plain) == 0)
      rc = query_next(q) ? DB_NOT_FOUND : DB_OK;  /* two members alike: not this way */
  }
  int end = query_close(q);
  if (end != DB_OK) rc = end;
  if (plain) {
    if (rc == DB_OK) snprintf(out, IDCARD_SIZE, "%s", plain);
    sodium_memzero(plain, strlen(plain));
    free(plain);
  }
  return rc;
}
