/* cadres — the ID number is stored three ways: encrypted (to show in full to a role that
 * needs it, later, audited), as a keyed hash (to find duplicates), and masked (to show).
 * The phone two ways (issue 17, F7): encrypted and masked; the plain column `phone` stays empty
 * (a trigger of migration 066 refuses a value in it). */
#include "store/cadres.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/phone.h"
#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/rows.h"
#include "store/scope_sql.h"
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

/* A phone as stored: sealed (vault) and masked; both NULL for no phone. */
struct sealed_phone {
  unsigned char *cipher;
  size_t len;
  char masked[PHONE_MASKED_SIZE];
};

static int seal_phone(const struct vault *vault, const char *plain, struct sealed_phone *out)
{
  memset(out, 0, sizeof *out);
  if (!plain || !*plain) return 0;
  phone_mask(plain, out->masked);
  return vault_encrypt(vault, plain, &out->cipher, &out->len);
}

static void bind_sealed_phone(sqlite3_stmt *st, int cipher_idx, int masked_idx, const struct sealed_phone *p)
{
  if (p->cipher) sqlite3_bind_blob(st, cipher_idx, p->cipher, (int)p->len, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, cipher_idx);
  if (p->cipher) sqlite3_bind_text(st, masked_idx, p->masked, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, masked_idx);
}

int cadres_create(struct db *db, const struct vault *vault, const struct cadre_fields *f, int64_t now, int64_t *id_out)
{
  struct idcard_info info;
  if (idcard_validate(f->id_number, date_from_unix_cst((time_t)now), &info) != IDCARD_OK) return DB_CONFLICT;
  /* the normalized number (a trailing x as X), so that one person is one number */
  unsigned char *cipher;
  size_t cipher_len;
  if (vault_encrypt(vault, info.number, &cipher, &cipher_len) != 0) return DB_ERROR;
  unsigned char lookup[32];
  vault_lookup_hash(vault, info.number, lookup);
  char masked[IDCARD_SIZE], birth[DATE_ISO_SIZE];
  idcard_mask(info.number, masked);
  date_format_iso(info.birth_date, birth);
  struct sealed_phone phone;
  if (seal_phone(vault, f->phone, &phone) != 0) { free(cipher); return DB_ERROR; }
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO cadre (name, id_cipher, id_lookup, id_masked, sex, birth_date, phone_cipher, party_member, unit_id,"
      " village_code, post, created_at, employment_type, rank, rural_experience, agri_expertise, note, phone_masked)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?13, 'established'), ?14, ?15, ?16, ?17, ?18)"
      " RETURNING id");
  if (!st) { free(cipher); free(phone.cipher); return DB_ERROR; }
  sqlite3_bind_text(st, 1, f->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 2, cipher, (int)cipher_len, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, lookup, sizeof lookup, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, masked, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, info.sex == IDCARD_SEX_MALE ? "M" : "F", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, birth, -1, SQLITE_TRANSIENT);
  bind_sealed_phone(st, 7, 18, &phone);
  sqlite3_bind_int(st, 8, f->party_member > 0);
  sqlite3_bind_int64(st, 9, f->unit_id);
  db_bind_text_or_null(st, 10, f->village_code);
  db_bind_text_or_null(st, 11, f->post);
  sqlite3_bind_int64(st, 12, now);
  db_bind_text_or_null(st, 13, f->employment_type);
  db_bind_text_or_null(st, 14, f->rank);
  sqlite3_bind_int(st, 15, f->rural_experience > 0);
  sqlite3_bind_int(st, 16, f->agri_expertise > 0);
  db_bind_text_or_null(st, 17, f->note);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  free(cipher);
  free(phone.cipher);
  return result;
}

#define CADRE_COLUMNS \
  "c.id, c.name, c.id_masked, c.sex, c.birth_date, c.party_member, c.unit_id, u.name, c.village_code, cr.name," \
  " c.post, tw.name, EXISTS (SELECT 1 FROM assignment la WHERE la.cadre_id = c.id" \
  "  AND la.status IN ('pending','active','handover'))"
#define CADRE_FROM \
  "cadre c JOIN unit u ON u.id = c.unit_id LEFT JOIN region cr ON cr.code = c.village_code" \
  " LEFT JOIN region tw ON tw.code = cr.parent_code"

static json_t *cadre_row(sqlite3_stmt *st)
{
  const char *post = db_col_text(st, 10);
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:b}",
                   "id", (json_int_t)sqlite3_column_int64(st, 0), "name", db_col_text(st, 1),
                   "id_number", db_col_text(st, 2), "sex", strcmp(db_col_text(st, 3), "M") == 0 ? "男" : "女",
                   "birth_date", db_col_text(st, 4), "party_member", sqlite3_column_int(st, 5),
                   "unit_id", (json_int_t)sqlite3_column_int64(st, 6), "unit_name", db_col_text(st, 7),
                   "village_code", sqlite3_column_type(st, 8) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 8)),
                   "village_name", sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 9)),
                   "post", *post ? json_string(post) : json_null(), "post_name", cadres_post_name_zh(post),
                   "township_name", sqlite3_column_type(st, 11) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 11)),
                   "has_live_post", sqlite3_column_int(st, 12));
}

json_t *cadres_list_json(struct db *db, const struct scope *scope, const char *region_code, int64_t unit_id,
                         const char *q, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  /* the province's or a city's cadres: the kept range first, in id order (store/scope) */
  bool kept = scope_cadres_kept(scope);
  int rc = strbuf_appendf(&where, "%s" CADRE_FROM " WHERE (:q = '' OR c.name LIKE '%%' || :q || '%%')"
                                  " AND (:unit = 0 OR c.unit_id = :unit)", kept ? "cadre_scope ss JOIN " : "");
  if (region_code)
    rc |= strbuf_appendf(&where, " AND cr.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND cr.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_cadre_list_sql(scope, &where);
  const struct sql_param params[] = {
    {":q", q ? q : "", 0}, {":region", region_code ? region_code : "", 0}, {":unit", NULL, unit_id}};
  /* Unfiltered, the list's rows are the scope's cadres one for one (unit_id is NOT NULL and refers to a
   * unit; the villages are LEFT JOINs on their key): the kept range counts them from the index alone. */
  const char *count_from = (!q || !*q) && !unit_id && !region_code ? scope_cadre_count_from(scope) : NULL;
  const char *order = kept ? "ss.cadre_id" : "c.id";
  json_t *out = rc == 0 ? list_query_counted(db, count_from, CADRE_COLUMNS, strbuf_cstr(&where), order, params, 3,
                                             scope, cadre_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *cadres_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, CADRE_COLUMNS, CADRE_FROM, "c.id", scope, SCOPE_CADRE, cadre_row, id);
}

int cadres_update(struct db *db, const struct vault *vault, int64_t id, const struct cadre_fields *f)
{
  struct sealed_phone phone;
  if (seal_phone(vault, f->phone, &phone) != 0) return DB_ERROR;
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE cadre SET name = coalesce(?2, name),"
      " phone_cipher = CASE WHEN ?11 THEN ?3 ELSE phone_cipher END,"
      " phone_masked = CASE WHEN ?11 THEN ?12 ELSE phone_masked END,"
      " party_member = CASE WHEN ?4 < 0 THEN party_member ELSE ?4 END,"
      " unit_id = CASE WHEN ?5 > 0 THEN ?5 ELSE unit_id END,"
      " employment_type = coalesce(?6, employment_type), rank = coalesce(?7, rank),"
      " rural_experience = CASE WHEN ?8 < 0 THEN rural_experience ELSE ?8 END,"
      " agri_expertise = CASE WHEN ?9 < 0 THEN agri_expertise ELSE ?9 END,"
      " note = coalesce(?10, note) WHERE id = ?1");
  if (!st) { free(phone.cipher); return DB_ERROR; }
  sqlite3_bind_int64(st, 1, id);
  db_bind_text_or_null(st, 2, f->name);
  bind_sealed_phone(st, 3, 12, &phone);
  sqlite3_bind_int(st, 11, f->phone != NULL); /* "" clears the phone */
  sqlite3_bind_int(st, 4, f->party_member);
  sqlite3_bind_int64(st, 5, f->unit_id);
  db_bind_text_or_null(st, 6, f->employment_type);
  db_bind_text_or_null(st, 7, f->rank);
  sqlite3_bind_int(st, 8, f->rural_experience);
  sqlite3_bind_int(st, 9, f->agri_expertise);
  db_bind_text_or_null(st, 10, f->note);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  free(phone.cipher);
  return rc;
}

int cadres_find_by_id_number(struct db *db, const struct vault *vault, const char *id_number, int64_t *id_out)
{
  unsigned char lookup[32];
  vault_lookup_hash(vault, id_number, lookup);
  sqlite3_stmt *st = db_stmt(db, "SELECT id FROM cadre WHERE id_lookup = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_blob(st, 1, lookup, sizeof lookup, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

int cadres_reveal_id_number(struct db *db, const struct vault *vault, int64_t id, char **out)
{
  *out = NULL;
  sqlite3_stmt *st = db_stmt(db, "SELECT id_cipher FROM cadre WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = DB_NOT_FOUND;
  if (db_step_row(db, st))
    rc = vault_decrypt(vault, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), out) == 0 ? DB_OK
                                                                                                       : DB_ERROR;
  sqlite3_reset(st);
  return rc;
}

/* The phone in the statement's column col opened ("" for none); malloc'd. */
static int open_phone(const struct vault *vault, sqlite3_stmt *st, int col, char **out)
{
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return (*out = strdup("")) ? DB_OK : DB_ERROR;
  return vault_decrypt(vault, sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), out) == 0 ? DB_OK
                                                                                                            : DB_ERROR;
}

int cadres_reveal_phone(struct db *db, const struct vault *vault, int64_t id, char **out)
{
  *out = NULL;
  sqlite3_stmt *st = db_stmt(db, "SELECT phone_cipher FROM cadre WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  int result = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  if (result == DB_OK) result = open_phone(vault, st, 0, out);
  sqlite3_reset(st);
  return result;
}

int cadres_add_sanction(struct db *db, int64_t cadre_id, const char *kind, const char *start, const char *end,
                        const char *note, int64_t now, int64_t *id_out)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO cadre_sanction (cadre_id, kind, start_date, end_date, note, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, start, -1, SQLITE_TRANSIENT);
  db_bind_text_or_null(st, 4, end);
  db_bind_text_or_null(st, 5, note);
  sqlite3_bind_int64(st, 6, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

int cadres_set_appraisal(struct db *db, int64_t cadre_id, int year, const char *result)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO cadre_appraisal (cadre_id, year, result) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (cadre_id, year) DO UPDATE SET result = excluded.result");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  sqlite3_bind_int(st, 2, year);
  sqlite3_bind_text(st, 3, result, -1, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int cadres_set_station(struct db *db, int64_t cadre_id, const char *village_code, const char *post)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE cadre SET village_code = ?2, post = ?3 WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, cadre_id);
  db_bind_text_or_null(st, 2, village_code);
  db_bind_text_or_null(st, 3, village_code ? post : NULL);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* Rows of a child table as a JSON array, one object per row from row_fn. */
static json_t *child_rows(struct db *db, const char *sql, int64_t id, json_t *(*row_fn)(sqlite3_stmt *))
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, id);
  return rows_map(db, st, row_fn);
}

static json_t *sanction_row(sqlite3_stmt *st)
{
  return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "kind",
                   db_col_text(st, 1), "start_date", db_col_text(st, 2), "end_date",
                   sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 3)),
                   "note", db_col_text(st, 4));
}

static json_t *appraisal_row(sqlite3_stmt *st)
{
  return json_pack("{s:i, s:s, s:s}", "year", sqlite3_column_int(st, 0), "result", db_col_text(st, 1), "source",
                   db_col_text(st, 2)); /* evaluation: a confirmed 驻村年度考核; registry: recorded */
}

static json_t *station_row(sqlite3_stmt *st)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                   "village_code", db_col_text(st, 1), "village_name", db_col_text(st, 2), "post", db_col_text(st, 3),
                   "post_name", cadres_post_name_zh(db_col_text(st, 3)), "status", db_col_text(st, 4),
                   "start_date", db_col_text(st, 5), "term_end", db_col_text(st, 6), "unit_name", db_col_text(st, 7));
}

/* The phone as this reader sees it: the cadre their own in full, anyone else masked (phone.h), the
 * full number only through the audited reveal (cadres_reveal_phone). */
static json_t *phone_for_reader(const struct vault *vault, const struct scope *scope, int64_t id, sqlite3_stmt *st)
{
  bool own = scope->kind == SCOPE_KIND_SELF && scope->cadre_id == id;
  if (!own) return json_string(db_col_text(st, 4));
  char *plain = NULL;
  if (open_phone(vault, st, 6, &plain) != DB_OK) return json_string(db_col_text(st, 4));
  json_t *v = json_string(plain);
  sodium_memzero(plain, strlen(plain));
  free(plain);
  return v;
}

json_t *cadres_detail_json(struct db *db, const struct vault *vault, const struct scope *scope, int64_t id)
{
  json_t *c = cadres_get_json(db, scope, id);
  if (!c) return NULL;
  sqlite3_stmt *st = db_stmt(db,
      "SELECT employment_type, coalesce(rank, ''), rural_experience, agri_expertise, coalesce(phone_masked, ''),"
      " coalesce(note, ''), phone_cipher FROM cadre WHERE id = ?1");
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    if (db_step_row(db, st)) {
      json_object_set_new(c, "employment_type", json_string(db_col_text(st, 0)));
      json_object_set_new(c, "rank", json_string(db_col_text(st, 1)));
      json_object_set_new(c, "rural_experience", json_boolean(sqlite3_column_int(st, 2)));
      json_object_set_new(c, "agri_expertise", json_boolean(sqlite3_column_int(st, 3)));
      json_object_set_new(c, "phone", phone_for_reader(vault, scope, id, st));
      json_object_set_new(c, "note", json_string(db_col_text(st, 5)));
    }
    sqlite3_reset(st);
  }
  int parts = rows_set(c, "sanctions", child_rows(db,
      "SELECT id, kind, start_date, end_date, coalesce(note, '') FROM cadre_sanction WHERE cadre_id = ?1"
      " ORDER BY start_date", id, sanction_row));
  parts |= rows_set(c, "appraisals", child_rows(db,
      "SELECT year, result, source FROM appraisal_record WHERE cadre_id = ?1 ORDER BY year DESC", id, appraisal_row));
  parts |= rows_set(c, "assignments", child_rows(db,
      "SELECT a.id, a.village_code, r.name, a.post, a.status, a.start_date, a.term_end, u.name FROM assignment a"
      " JOIN region r ON r.code = a.village_code JOIN unit u ON u.id = a.unit_id WHERE a.cadre_id = ?1"
      " ORDER BY a.id DESC", id, station_row));
  if (parts != 0) { json_decref(c); return NULL; }
  return c;
}
