/* households — SQL of the registry. An import or an edit compares old and new field by field,
 * writes only what differs, and puts the differences into household_history in the same
 * transaction, so the history (5.8) is exactly the sum of the changes. */
#include "store/households.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idcard.h"
#include "core/phone.h"
#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "store/vault.h"
#include "util/strbuf.h"

/* The five item columns, in the order of hs_row.items (两不愁 + 三保障 + 饮水). */
static const char *const ITEM_COLUMNS[HS_ITEMS] = {"food_clothing", "schooling", "medical", "housing", "water"};

#define HOUSEHOLD_COLUMNS \
  "h.id, h.village_code, tv.name, coalesce(tt.name, ''), h.household_no, h.head_name, h.category, h.monitored," \
  " h.members_count, h.able_bodied, h.food_clothing, h.schooling, h.medical, h.housing, h.water, h.status, h.version," \
  " coalesce(h.phone_masked, ''), coalesce(h.address, '')," \
  " (SELECT year FROM household_income hi WHERE hi.household_id = h.id ORDER BY year DESC LIMIT 1)," \
  " (SELECT per_capita FROM household_income hi WHERE hi.household_id = h.id ORDER BY year DESC LIMIT 1)," \
  " h.last_visit_on"
#define HOUSEHOLD_FROM \
  "household h JOIN region tv ON tv.code = h.village_code LEFT JOIN region tt ON tt.code = tv.parent_code"

static json_t *int_or_null(sqlite3_stmt *st, int col)
{
  return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int(st, col));
}

static json_t *household_row(sqlite3_stmt *st)
{
  const char *category = db_col_text(st, 6);
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:s, s:i, s:s, s:s}",
                          "id", (json_int_t)sqlite3_column_int64(st, 0), "village_code", db_col_text(st, 1),
                          "village_name", db_col_text(st, 2), "township_name", db_col_text(st, 3),
                          "household_no", db_col_text(st, 4), "head_name", db_col_text(st, 5), "category", category,
                          "category_name", household_category_name_zh(category), "monitored",
                          sqlite3_column_int(st, 7), "members_count", sqlite3_column_int(st, 8), "able_bodied",
                          sqlite3_column_int(st, 9), "status", db_col_text(st, 15), "version",
                          sqlite3_column_int(st, 16), "phone", db_col_text(st, 17), "address", db_col_text(st, 18));
  for (int k = 0; k < HS_ITEMS; k++) json_object_set_new(row, ITEM_COLUMNS[k], int_or_null(st, 10 + k));
  json_object_set_new(row, "income_year", int_or_null(st, 19));
  json_object_set_new(row, "per_capita", sqlite3_column_type(st, 20) == SQLITE_NULL
                                             ? json_null() : json_real(sqlite3_column_double(st, 20)));
  json_object_set_new(row, "last_visit", sqlite3_column_type(st, 21) == SQLITE_NULL
                                             ? json_null() : json_string(db_col_text(st, 21)));
  return row;
}

json_t *households_list_json(struct db *db, const struct scope *scope, const struct household_filter *f, int page,
                             int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, HOUSEHOLD_FROM " WHERE h.status = 'active'"
                                  " AND (:q = '' OR h.head_name LIKE '%%' || :q || '%%' OR h.household_no = :q)"
                                  " AND (:category = '' OR h.category = :category)"
                                  " AND (:monitored < 0 OR h.monitored = :monitored)");
  if (f->region_code)
    rc |= strbuf_appendf(&where, " AND tv.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND tv.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_sql(scope, SCOPE_TEAM, &where);
  const struct sql_param params[] = {{":q", f->q ? f->q : "", 0},
                                     {":category", f->category ? f->category : "", 0},
                                     {":monitored", NULL, f->monitored},
                                     {":region", f->region_code ? f->region_code : "", 0}};
  json_t *out = rc == 0 ? list_query(db, HOUSEHOLD_COLUMNS, strbuf_cstr(&where), "h.village_code, h.household_no",
                                     params, 4, scope, household_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *households_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return list_get_one(db, HOUSEHOLD_COLUMNS, HOUSEHOLD_FROM, "h.id", scope, SCOPE_TEAM, household_row, id);
}

/* ---- detail ---- */

static json_t *child_rows(struct db *db, const char *sql, int64_t id, json_t *(*row_fn)(sqlite3_stmt *))
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, id);
  return rows_map(db, st, row_fn);
}

static json_t *member_row(sqlite3_stmt *st)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                   "name", db_col_text(st, 1), "id_number", db_col_text(st, 2), "sex",
                   strcmp(db_col_text(st, 3), "M") == 0 ? "男" : "女", "birth_date", db_col_text(st, 4), "relation",
                   db_col_text(st, 5), "able_bodied", sqlite3_column_int(st, 6), "health",
                   sqlite3_column_int(st, 7) ? HEALTH_MASKED : "", "removed", sqlite3_column_type(st, 8) != SQLITE_NULL);
}

static json_t *income_row(sqlite3_stmt *st)
{
  return json_pack("{s:i, s:f}", "year", sqlite3_column_int(st, 0), "per_capita", sqlite3_column_double(st, 1));
}

static json_t *visit_row(sqlite3_stmt *st)
{
  json_t *risks = json_loads(db_col_text(st, 5), 0, NULL);
  return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "visited_on",
                   db_col_text(st, 1), "cadre_id", (json_int_t)sqlite3_column_int64(st, 2), "cadre_name",
                   db_col_text(st, 3), "findings", db_col_text(st, 4), "risks", risks ? risks : json_array());
}

static json_t *history_row(sqlite3_stmt *st)
{
  json_t *changes = json_loads(db_col_text(st, 3), 0, NULL);
  return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "at",
                   db_col_text(st, 1), "user_name", db_col_text(st, 2), "source", db_col_text(st, 4), "changes",
                   changes ? changes : json_object());
}

json_t *households_detail_json(struct db *db, const struct scope *scope, int64_t id)
{
  json_t *h = households_get_json(db, scope, id);
  if (!h) return NULL;
  int parts = rows_set(h, "members", child_rows(db,
      "SELECT id, name, id_masked, sex, birth_date, relation, able_bodied, health_cipher IS NOT NULL, removed_at"
      " FROM household_member WHERE household_id = ?1 ORDER BY removed_at IS NOT NULL, relation <> '户主', id", id,
      member_row));
  parts |= rows_set(h, "incomes", child_rows(db,
      "SELECT year, per_capita FROM household_income WHERE household_id = ?1 ORDER BY year DESC", id, income_row));
  parts |= rows_set(h, "visits", child_rows(db,
      "SELECT v.id, v.visited_on, v.cadre_id, c.name, v.findings, v.risks FROM visit v JOIN cadre c ON c.id = v.cadre_id"
      " WHERE v.household_id = ?1 ORDER BY v.visited_on DESC, v.id DESC LIMIT 100", id, visit_row));
  parts |= rows_set(h, "history", child_rows(db,
      "SELECT hh.id, " SQL_CST_DATETIME("hh.at") ", coalesce(u.display_name, '系统'), hh.changes, hh.source"
      " FROM household_history hh LEFT JOIN user u ON u.id = hh.user_id WHERE hh.household_id = ?1"
      " ORDER BY hh.at DESC, hh.id DESC LIMIT 200", id, history_row));
  if (parts != 0) { json_decref(h); return NULL; }
  return h;
}

/* ---- history ---- */

int households_history_add(struct db *db, int64_t household_id, int64_t user_id, const char *source,
                           const json_t *changes, int64_t now)
{
  char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
  if (!text) return DB_ERROR;
  sqlite3_stmt *st = db_stmt(db, "INSERT INTO household_history (household_id, at, user_id, source, changes)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)");
  int rc = DB_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, household_id);
    sqlite3_bind_int64(st, 2, now);
    if (user_id) sqlite3_bind_int64(st, 3, user_id); else sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_TRANSIENT);
    rc = db_step_result(db, sqlite3_step(st));
    sqlite3_reset(st);
  }
  free(text);
  return rc;
}

/* Records [old, new] under key in changes when they differ. */
static bool diff_text(json_t *changes, const char *key, const char *old, const char *new_)
{
  if (!new_ || strcmp(old ? old : "", new_) == 0) return false;
  json_object_set_new(changes, key, json_pack("[s?, s]", old, new_));
  return true;
}

static bool diff_int(json_t *changes, const char *key, int old, bool old_null, int new_, bool new_null)
{
  if (old_null == new_null && (old_null || old == new_)) return false;
  json_object_set_new(changes, key, json_pack("[o, o]", old_null ? json_null() : json_integer(old),
                                              new_null ? json_null() : json_integer(new_)));
  return true;
}

/* The household's current values, as the edit and the import compare them. */
struct household_now {
  int64_t id, version;
  char head[96], category[16], address[320], phone_masked[16], status[16];
  int monitored, able;
  int items[HS_ITEMS];  /* -1 NULL */
};

static int load_now(struct db *db, int64_t id, const char *village, const char *no, struct household_now *out)
{
  sqlite3_stmt *st = db_stmt(db, id ? "SELECT id, version, head_name, category, coalesce(address, ''),"
                                      " coalesce(phone_masked, ''), status, monitored, able_bodied, food_clothing,"
                                      " schooling, medical, housing, water FROM household WHERE id = ?1"
                                    : "SELECT id, version, head_name, category, coalesce(address, ''),"
                                      " coalesce(phone_masked, ''), status, monitored, able_bodied, food_clothing,"
                                      " schooling, medical, housing, water FROM household"
                                      " WHERE village_code = ?2 AND household_no = ?3");
  if (!st) return DB_ERROR;
  if (id) sqlite3_bind_int64(st, 1, id);
  else { sqlite3_bind_text(st, 2, village, -1, SQLITE_TRANSIENT); sqlite3_bind_text(st, 3, no, -1, SQLITE_TRANSIENT); }
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->version = sqlite3_column_int64(st, 1);
    snprintf(out->head, sizeof out->head, "%s", db_col_text(st, 2));
    snprintf(out->category, sizeof out->category, "%s", db_col_text(st, 3));
    snprintf(out->address, sizeof out->address, "%s", db_col_text(st, 4));
    snprintf(out->phone_masked, sizeof out->phone_masked, "%s", db_col_text(st, 5));
    snprintf(out->status, sizeof out->status, "%s", db_col_text(st, 6));
    out->monitored = sqlite3_column_int(st, 7);
    out->able = sqlite3_column_int(st, 8);
    for (int k = 0; k < HS_ITEMS; k++)
      out->items[k] = sqlite3_column_type(st, 9 + k) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 9 + k);
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

/* Writes the household's fields as given (after the caller found what changed). */
static int write_fields(struct db *db, int64_t id, const char *head, const char *category, int monitored,
                        const char *address, const char *status, const int items[HS_ITEMS], int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE household SET head_name = ?2, category = ?3, monitored = ?4, address = ?5, status = ?6,"
      " food_clothing = ?7, schooling = ?8, medical = ?9, housing = ?10, water = ?11, updated_at = ?12,"
      " version = version + 1 WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, head, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, category, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 4, monitored);
  db_bind_text_or_null(st, 5, address && *address ? address : NULL);
  sqlite3_bind_text(st, 6, status, -1, SQLITE_TRANSIENT);
  for (int k = 0; k < HS_ITEMS; k++)
    if (items[k] < 0) sqlite3_bind_null(st, 7 + k); else sqlite3_bind_int(st, 7 + k, items[k]);
  sqlite3_bind_int64(st, 12, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* Sets the income of a year; records the change. */
static int put_income(struct db *db, int64_t id, int year, double per_capita, json_t *changes)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT per_capita FROM household_income WHERE household_id = ?1 AND year = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, year);
  bool had = sqlite3_step(st) == SQLITE_ROW;
  double old = had ? sqlite3_column_double(st, 0) : 0;
  sqlite3_reset(st);
  if (had && old == per_capita) return DB_OK;
  st = db_stmt(db, "INSERT INTO household_income (household_id, year, per_capita) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT (household_id, year) DO UPDATE SET per_capita = excluded.per_capita");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, year);
  sqlite3_bind_double(st, 3, per_capita);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  char key[32];
  snprintf(key, sizeof key, "income_%d", year);
  json_object_set_new(changes, key, json_pack("[o, f]", had ? json_real(old) : json_null(), per_capita));
  return rc;
}

int households_update(struct db *db, int64_t id, int64_t version, const struct household_edit *e, int64_t user_id,
                      int64_t now, json_t **changes_out)
{
  if (changes_out) *changes_out = NULL;
  struct household_now cur;
  int rc = load_now(db, id, NULL, NULL, &cur);
  if (rc != DB_OK) return rc;
  if (cur.version != version) return DB_CONFLICT;
  json_t *changes = json_object();
  diff_text(changes, "head_name", cur.head, e->head_name);
  diff_text(changes, "category", cur.category, e->category);
  diff_text(changes, "address", cur.address, e->address);
  diff_text(changes, "status", cur.status, e->status);
  int monitored = e->monitored >= 0 ? e->monitored : cur.monitored;
  diff_int(changes, "monitored", cur.monitored, false, monitored, false);
  int items[HS_ITEMS];
  for (int k = 0; k < HS_ITEMS; k++) {
    items[k] = e->items[k] == -2 ? cur.items[k] : e->items[k];
    diff_int(changes, ITEM_COLUMNS[k], cur.items[k], cur.items[k] < 0, items[k], items[k] < 0);
  }
  if (json_object_size(changes) || e->income_year)
    rc = write_fields(db, id, e->head_name ? e->head_name : cur.head, e->category ? e->category : cur.category,
                      monitored, e->address ? e->address : cur.address, e->status ? e->status : cur.status, items, now);
  if (rc == DB_OK && e->income_year) rc = put_income(db, id, e->income_year, e->per_capita, changes);
  if (rc == DB_OK && json_object_size(changes)) rc = households_history_add(db, id, user_id, "edit", changes, now);
  if (changes_out && rc == DB_OK) *changes_out = changes;
  else json_decref(changes);
  return rc;
}

int households_reveal_health(struct db *db, const struct vault *vault, int64_t household_id, int64_t member_id,
                             char **out)
{
  *out = NULL;
  sqlite3_stmt *st = db_stmt(db, "SELECT health_cipher FROM household_member WHERE id = ?1 AND household_id = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, member_id);
  sqlite3_bind_int64(st, 2, household_id);
  int rc = DB_NOT_FOUND;
  if (db_step_row(db, st))
    rc = sqlite3_column_type(st, 0) == SQLITE_NULL ? ((*out = strdup("")) ? DB_OK : DB_ERROR)
         : vault_decrypt(vault, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), out) == 0 ? DB_OK
                                                                                                          : DB_ERROR;
  sqlite3_reset(st);
  return rc;
}

int households_reveal_id_number(struct db *db, const struct vault *vault, int64_t household_id, int64_t member_id,
                                char **out)
{
  *out = NULL;
  sqlite3_stmt *st = db_stmt(db, "SELECT id_cipher FROM household_member WHERE id = ?1 AND household_id = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, member_id);
  sqlite3_bind_int64(st, 2, household_id);
  int rc = DB_NOT_FOUND;
  if (db_step_row(db, st))
    rc = vault_decrypt(vault, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), out) == 0 ? DB_OK
                                                                                                       : DB_ERROR;
  sqlite3_reset(st);
  return rc;
}

/* ---- members and import ---- */

static int insert_member(struct db *db, const struct vault *vault, int64_t household_id, const struct hs_row *r,
                         const unsigned char lookup[32])
{
  unsigned char *cipher;
  size_t cipher_len;
  if (vault_encrypt(vault, r->id_number, &cipher, &cipher_len) != 0) return DB_ERROR;
  char masked[IDCARD_SIZE];
  idcard_mask(r->id_number, masked);
  unsigned char *health = NULL;
  size_t health_len = 0;
  if (r->health && *r->health && vault_encrypt(vault, r->health, &health, &health_len) != 0) {
    free(cipher);
    return DB_ERROR;
  }
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO household_member (household_id, name, id_cipher, id_lookup, id_masked, sex, birth_date, relation,"
      " able_bodied, health_cipher) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!st) { free(cipher); free(health); return DB_ERROR; }
  sqlite3_bind_int64(st, 1, household_id);
  sqlite3_bind_text(st, 2, r->member, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, cipher, (int)cipher_len, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 4, lookup, 32, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, masked, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 6, r->sex == 'M' ? "M" : "F", -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, r->birth_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 8, r->relation, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 9, r->able > 0);
  if (health) sqlite3_bind_blob(st, 10, health, (int)health_len, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, 10);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  free(cipher);
  free(health);
  return rc;
}

/* Whether the sealed health note in column col says plain (an unreadable one counts as different). */
static bool health_equals(const struct vault *vault, sqlite3_stmt *st, int col, const char *plain)
{
  if (sqlite3_column_type(st, col) == SQLITE_NULL) return false;
  char *open = NULL;
  if (vault_decrypt(vault, sqlite3_column_blob(st, col), (size_t)sqlite3_column_bytes(st, col), &open) != 0) return false;
  bool same = strcmp(open, plain) == 0;
  sodium_memzero(open, strlen(open));
  free(open);
  return same;
}

int households_put_member(struct db *db, const struct vault *vault, int64_t household_id, const struct hs_row *r,
                          bool *changed)
{
  unsigned char lookup[32];
  vault_lookup_hash(vault, r->id_number, lookup);
  *changed = false;
  sqlite3_stmt *st = db_stmt(db, "SELECT id, name, relation, able_bodied, health_cipher, removed_at IS NOT NULL"
                                 " FROM household_member WHERE household_id = ?1 AND id_lookup = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, household_id);
  sqlite3_bind_blob(st, 2, lookup, 32, SQLITE_TRANSIENT);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    *changed = true;
    return insert_member(db, vault, household_id, r, lookup);
  }
  int64_t id = sqlite3_column_int64(st, 0);
  int able = r->able >= 0 ? r->able : sqlite3_column_int(st, 3);
  const char *health = r->health && *r->health ? r->health : NULL;
  bool health_changed = health && !health_equals(vault, st, 4, health);
  *changed = strcmp(db_col_text(st, 1), r->member) || strcmp(db_col_text(st, 2), r->relation) ||
             able != sqlite3_column_int(st, 3) || health_changed || sqlite3_column_int(st, 5);
  sqlite3_reset(st);
  if (!*changed) return DB_OK;
  unsigned char *sealed = NULL;
  size_t sealed_len = 0;
  if (health_changed && vault_encrypt(vault, health, &sealed, &sealed_len) != 0) return DB_ERROR;
  st = db_stmt(db, "UPDATE household_member SET name = ?2, relation = ?3, able_bodied = ?4,"
                   " health_cipher = coalesce(?5, health_cipher), removed_at = NULL WHERE id = ?1");
  if (!st) { free(sealed); return DB_ERROR; }
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, r->member, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, r->relation, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 4, able);
  if (sealed) sqlite3_bind_blob(st, 5, sealed, (int)sealed_len, SQLITE_TRANSIENT);
  else sqlite3_bind_null(st, 5);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  free(sealed);
  return rc;
}

static int insert_household(struct db *db, const char *village, const struct hs_row *m, int64_t now, int64_t *id)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO household (village_code, household_no, head_name, category, monitored, address, created_at,"
      " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, village, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, m->no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, m->head, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, m->category, -1, SQLITE_TRANSIENT);
  /* 5.7: the three 监测户 categories are monitored unless the sheet says otherwise */
  sqlite3_bind_int(st, 5, m->monitored >= 0 ? m->monitored : household_category_monitoring(m->category));
  db_bind_text_or_null(st, 6, m->address && *m->address ? m->address : NULL);
  sqlite3_bind_int64(st, 7, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

/* The phone, encrypted and masked, when the sheet gives one that differs. */
static int put_phone(struct db *db, const struct vault *vault, int64_t id, const char *phone, const char *old_masked,
                     json_t *changes)
{
  if (!phone || !*phone) return DB_OK;
  char masked[PHONE_MASKED_SIZE];
  phone_mask(phone, masked);
  if (strcmp(masked, old_masked) == 0) return DB_OK;
  unsigned char *cipher;
  size_t len;
  if (vault_encrypt(vault, phone, &cipher, &len) != 0) return DB_ERROR;
  sqlite3_stmt *st = db_stmt(db, "UPDATE household SET phone_cipher = ?2, phone_masked = ?3 WHERE id = ?1");
  int rc = DB_ERROR;
  if (st) {
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, cipher, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, masked, -1, SQLITE_TRANSIENT);
    rc = db_step_result(db, sqlite3_step(st));
    sqlite3_reset(st);
  }
  free(cipher);
  diff_text(changes, "phone", old_masked, masked);
  return rc;
}

/* Members no longer on the sheet leave the household (kept, marked removed). */
static int remove_missing(struct db *db, const struct vault *vault, int64_t id, const struct hs_row *rows,
                          const struct hs_household *g, int64_t now, json_t *removed)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT id, name, id_lookup FROM household_member WHERE household_id = ?1"
                                 " AND removed_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int64_t gone[64];
  int ngone = 0, step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW && ngone < 64) {
    const void *lookup = sqlite3_column_blob(st, 2);
    bool kept = false;
    for (int k = 0; k < g->count && !kept && lookup; k++) {
      unsigned char h[32];
      vault_lookup_hash(vault, rows[g->members[k]].id_number, h);
      kept = memcmp(h, lookup, 32) == 0;
    }
    if (!kept) { gone[ngone++] = sqlite3_column_int64(st, 0); json_array_append_new(removed, json_string(db_col_text(st, 1))); }
  }
  sqlite3_reset(st);
  if (rows_end(db, step) != DB_OK) return DB_ERROR;
  for (int i = 0; i < ngone; i++) {
    st = db_stmt(db, "UPDATE household_member SET removed_at = ?2 WHERE id = ?1");
    if (!st) return DB_ERROR;
    sqlite3_bind_int64(st, 1, gone[i]);
    sqlite3_bind_int64(st, 2, now);
    int rc = db_step_result(db, sqlite3_step(st));
    sqlite3_reset(st);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

/* members_count and able_bodied from the members on the register; bump: a new version for a change
 * that touched only members, phone or income. */
static int recount(struct db *db, int64_t id, bool bump, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE household SET members_count = (SELECT count(*) FROM household_member m WHERE m.household_id = ?1"
      " AND m.removed_at IS NULL), able_bodied = (SELECT count(*) FROM household_member m WHERE m.household_id = ?1"
      " AND m.removed_at IS NULL AND m.able_bodied = 1), version = version + ?2,"
      " updated_at = CASE WHEN ?2 THEN ?3 ELSE updated_at END WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, bump);
  sqlite3_bind_int64(st, 3, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* The household cells of the sheet against the register: what changes. */
static void household_changes(const struct household_now *cur, const struct hs_row *m, json_t *changes, int *monitored,
                              int items[HS_ITEMS])
{
  diff_text(changes, "head_name", cur->head, m->head);
  diff_text(changes, "category", cur->category, m->category);
  if (m->address && *m->address) diff_text(changes, "address", cur->address, m->address);
  if (strcmp(cur->status, "active") != 0) diff_text(changes, "status", cur->status, "active");
  *monitored = m->monitored >= 0 ? m->monitored : cur->monitored;
  diff_int(changes, "monitored", cur->monitored, false, *monitored, false);
  for (int k = 0; k < HS_ITEMS; k++) {
    items[k] = m->items[k] >= 0 ? m->items[k] : cur->items[k];
    diff_int(changes, ITEM_COLUMNS[k], cur->items[k], cur->items[k] < 0, items[k], items[k] < 0);
  }
}

static int import_group(struct db *db, const struct vault *vault, const char *village, const struct hs_row *rows,
                        const struct hs_household *g, int64_t user_id, int64_t now, struct import_stats *stats)
{
  const struct hs_row *m = &g->merged;
  struct household_now cur = {0};
  int rc = load_now(db, 0, village, m->no, &cur);
  bool created = rc == DB_NOT_FOUND;
  if (created) rc = insert_household(db, village, m, now, &cur.id);
  if (rc != DB_OK) return rc;
  json_t *changes = json_object(), *added = json_array(), *removed = json_array();
  int monitored, items[HS_ITEMS];
  bool written = created;
  if (created) {
    json_object_set_new(changes, "created", json_pack("{s:s, s:s}", "household_no", m->no, "category", m->category));
    for (int k = 0; k < HS_ITEMS; k++) items[k] = m->items[k];
    rc = write_fields(db, cur.id, m->head, m->category,
                      m->monitored >= 0 ? m->monitored : household_category_monitoring(m->category), m->address,
                      "active", items, now);
  } else {
    household_changes(&cur, m, changes, &monitored, items);
    written = json_object_size(changes) > 0;
    if (written)
      rc = write_fields(db, cur.id, m->head, m->category, monitored, m->address && *m->address ? m->address : cur.address,
                        "active", items, now);
  }
  for (int k = 0; rc == DB_OK && k < g->count; k++) {
    bool changed;
    const struct hs_row *r = &rows[g->members[k]];
    rc = households_put_member(db, vault, cur.id, r, &changed);
    if (changed) json_array_append_new(added, json_string(r->member));
  }
  if (rc == DB_OK) rc = remove_missing(db, vault, cur.id, rows, g, now, removed);
  if (rc == DB_OK) rc = put_phone(db, vault, cur.id, m->phone, cur.phone_masked, changes);
  if (rc == DB_OK && m->has_income) rc = put_income(db, cur.id, m->income_year, m->income, changes);
  if (json_array_size(added)) json_object_set(changes, "members_changed", added);
  if (json_array_size(removed)) json_object_set(changes, "members_removed", removed);
  stats->members_added += created ? (int)json_array_size(added) : 0;
  stats->members_removed += (int)json_array_size(removed);
  if (rc == DB_OK) rc = recount(db, cur.id, !written && json_object_size(changes), now);
  if (rc == DB_OK && json_object_size(changes)) rc = households_history_add(db, cur.id, user_id, "import", changes, now);
  if (created) stats->added++;
  else if (json_object_size(changes)) stats->updated++;
  else stats->unchanged++;
  json_decref(changes);
  json_decref(added);
  json_decref(removed);
  return rc;
}

int households_import(struct db *db, const struct vault *vault, const char *village_code, const struct hs_row *rows,
                      const struct hs_household *groups, int ngroups, int64_t user_id, int64_t now,
                      struct import_stats *stats)
{
  memset(stats, 0, sizeof *stats);
  int rc = DB_OK;
  for (int i = 0; rc == DB_OK && i < ngroups; i++)
    rc = import_group(db, vault, village_code, rows, &groups[i], user_id, now, stats);
  return rc;
}
