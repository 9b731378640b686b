/* cadres — the ID number is stored three ways: encrypted (to show in full to a role that
 * needs it, later, audited), as a keyed hash (to find duplicates), and masked (to show). */
#include "store/cadres.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/idcard.h"
#include "store/db.h"
#include "store/list.h"
#include "store/scope.h"
#include "store/vault.h"
#include "util/strbuf.h"

const char *cadres_post_name_zh(const char *post)
{
  if (!post) return "";
  if (strcmp(post, "first_secretary") == 0) return "第一书记";
  if (strcmp(post, "team_leader") == 0) return "工作队长";
  if (strcmp(post, "team_member") == 0) return "工作队员";
  return "";
}

int cadres_create(struct db *db, const struct vault *vault, const struct cadre_fields *f, int64_t now, int64_t *id_out)
{
  struct idcard_info info;
  if (idcard_validate(f->id_number, date_today_cst(time(NULL)), &info) != IDCARD_OK) return DB_CONFLICT;
  unsigned char *cipher;
  size_t cipher_len;
  if (vault_encrypt(vault, f->id_number, &cipher, &cipher_len) != 0) return DB_ERROR;
  unsigned char lookup[32];
  vault_lookup_hash(vault, f->id_number, lookup);
  char masked[IDCARD_SIZE], birth[DATE_ISO_SIZE];
  idcard_mask(f->id_number, masked);
  date_format_iso(info.birth_date, birth);
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO cadre (name, id_cipher, id_lookup, id_masked, sex, birth_date, phone, party_member, unit_id,"
      " village_code, post, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id");
  if (!st) { free(cipher); return DB_ERROR; }
  sqlite3_bind_text(st, 1, f->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 2, cipher, (int)cipher_len, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, lookup, sizeof lookup, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, masked, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, info.sex == IDCARD_SEX_MALE ? "M" : "F", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, birth, -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 7, f->phone);
  sqlite3_bind_int(st, 8, f->party_member);
  sqlite3_bind_int64(st, 9, f->unit_id);
  db_bind_text_or_null(st, 10, f->village_code);
  db_bind_text_or_null(st, 11, f->post);
  sqlite3_bind_int64(st, 12, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  free(cipher);
  return result;
}

#define CADRE_COLUMNS \
  "c.id, c.name, c.id_masked, c.sex, c.birth_date, c.party_member, c.unit_id, u.name, c.village_code, cr.name," \
  " c.post, tw.name"
#define CADRE_FROM \
  "cadre c JOIN unit u ON u.id = c.unit_id LEFT JOIN region cr ON cr.code = c.village_code" \
  " LEFT JOIN region tw ON tw.code = cr.parent_code"

static json_t *cadre_row(sqlite3_stmt *st)
{
  const char *post = db_col_text(st, 10);
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:s, s:o, s:o, s:o, s:s, s:o}",
                   "id", (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1),
                   "id_number", db_col_text(st, 2), "sex", strcmp(db_col_text(st, 3), "M") == 0 ? "男" : "女",
                   "birth_date", db_col_text(st, 4), "party_member", sqlite3_column_int(st, 5),
                   "unit_id", (json_int_t)sqlite3_column_int64(st, 6), "unit_name", db_col_text(st, 7),
                   "village_code", sqlite3_column_type(st, 8) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 8)),
                   "village_name", sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 9)),
                   "post", *post ? json_string(post) : json_null(), "post_name", cadres_post_name_zh(post),
                   "township_name", sqlite3_column_type(st, 11) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 11)));
}

json_t *cadres_list_json(struct db *db, const struct scope *scope, const char *region_code, int64_t unit_id,
                         const char *q, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, CADRE_FROM " WHERE (:q = '' OR c.name LIKE '%%' || :q || '%%')"
                                  " AND (:unit = 0 OR c.unit_id = :unit)");
  if (region_code)
    rc |= strbuf_appendf(&where, " AND cr.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND cr.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_CADRE, &where);
  const struct sql_param params[] = {
    {":q", q ? q : "", 0}, {":region", region_code ? region_code : "", 0}, {":unit", NULL, unit_id}};
  json_t *out = rc == 0 ? list_query(db, CADRE_COLUMNS, strbuf_cstr(&where), "c.id", params, 3, scope, cadre_row,
                                     page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *cadres_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "SELECT " CADRE_COLUMNS " FROM " CADRE_FROM " WHERE c.id = :id");
  rc |= scope_sql(scope, SCOPE_CADRE, &sql);
  json_t *out = NULL;
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (st) {
    scope_bind(scope, st);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
    if (sqlite3_step(st) == SQLITE_ROW) out = cadre_row(st);
    sqlite3_reset(st);
  }
  strbuf_free(&sql);
  return out;
}
