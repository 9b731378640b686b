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
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "store/vault.h"
#include "util/strbuf.h"

/* The five item columns, in the order of hs_row.items (两不愁 + 三保障 + 饮水), and their parameters. */
static const char *const ITEM_COLUMNS[HS_ITEMS] = {"food_clothing", "schooling", "medical", "housing", "water"};
static const char *const ITEM_PARAMS[HS_ITEMS] = {":food_clothing", ":schooling", ":medical", ":housing", ":water"};

#define HOUSEHOLD_COLUMNS \
  "h.id AS id, h.village_code AS village_code, tv.name AS village_name, coalesce(tt.name, '') AS township_name," \
  " h.household_no AS household_no, h.head_name AS head_name, h.category AS category, h.monitored AS monitored," \
  " h.members_count AS members_count, h.able_bodied AS able_bodied, h.food_clothing AS food_clothing," \
  " h.schooling AS schooling, h.medical AS medical, h.housing AS housing, h.water AS water, h.status AS status," \
  " h.version AS version, coalesce(h.phone_masked, '') AS phone, coalesce(h.address, '') AS address," \
  " (SELECT year FROM household_income hi WHERE hi.household_id = h.id ORDER BY year DESC LIMIT 1) AS income_year," \
  " (SELECT per_capita FROM household_income hi WHERE hi.household_id = h.id ORDER BY year DESC LIMIT 1)" \
  " AS per_capita, h.last_visit_on AS last_visit"
#define HOUSEHOLD_FROM \
  "household h JOIN region tv ON tv.code = h.village_code LEFT JOIN region tt ON tt.code = tv.parent_code"

static json_t *int_or_null(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_integer(query_get_int(q, alias));
}

static json_t *household_row(struct query *q)
{
  const char *category = query_get_text(q, "category");
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:s, s:i, s:s, s:s}",
                          "id", (json_int_t)query_get_int(q, "id"), "village_code", query_get_text(q, "village_code"),
                          "village_name", query_get_text(q, "village_name"),
                          "township_name", query_get_text(q, "township_name"),
                          "household_no", query_get_text(q, "household_no"), "head_name", query_get_text(q, "head_name"),
                          "category", category, "category_name", household_category_name_zh(category),
                          "monitored", (int)query_get_int(q, "monitored"),
                          "members_count", (int)query_get_int(q, "members_count"),
                          "able_bodied", (int)query_get_int(q, "able_bodied"), "status", query_get_text(q, "status"),
                          "version", (int)query_get_int(q, "version"), "phone", query_get_text(q, "phone"),
                          "address", query_get_text(q, "address"));
  for (int k = 0; k < HS_ITEMS; k++) json_object_set_new(row, ITEM_COLUMNS[k], int_or_null(q, ITEM_COLUMNS[k]));
  json_object_set_new(row, "income_year", int_or_null(q, "income_year"));
  json_object_set_new(row, "per_capita", query_is_null(q, "per_capita")
                                             ? json_null() : json_real(query_get_double(q, "per_capita")));
  json_object_set_new(row, "last_visit", query_is_null(q, "last_visit")
                                             ? json_null() : json_string(query_get_text(q, "last_visit")));
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
  json_t *out = rc == 0 ? query_list(db, HOUSEHOLD_COLUMNS, strbuf_cstr(&where), "h.village_code, h.household_no",
                                     params, 4, scope, household_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *households_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, HOUSEHOLD_COLUMNS, HOUSEHOLD_FROM, "h.id", scope, SCOPE_TEAM, household_row, id);
}

/* ---- detail ---- */

/* h[key] = the household's rows of sql (:household bound), each turned by row_fn; -1 when a read failed,
 * so that a record whose part could not be read is not answered as if that part were empty. */
static int child_rows(struct db *db, json_t *h, const char *key, const char *sql, int64_t id,
                      json_t *(*row_fn)(struct query *q))
{
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":household", id);
  json_t *out = json_array();
  while (out && query_next(q)) json_array_append_new(out, row_fn(q));
  if (query_close(q) != DB_OK || !out) {
    json_decref(out);
    return -1;
  }
  return json_object_set_new(h, key, out);
}

static json_t *member_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b}", "id", (json_int_t)query_get_int(q, "id"),
                   "name", query_get_text(q, "name"), "id_number", query_get_text(q, "id_number"),
                   "sex", strcmp(query_get_text(q, "sex"), "M") == 0 ? "男" : "女",
                   "birth_date", query_get_text(q, "birth_date"), "relation", query_get_text(q, "relation"),
                   "able_bodied", (int)query_get_int(q, "able_bodied"),
                   "health", query_get_int(q, "has_health") ? HEALTH_MASKED : "",
                   "removed", !query_is_null(q, "removed_at"));
}

static json_t *income_row(struct query *q)
{
  return json_pack("{s:i, s:f}", "year", (int)query_get_int(q, "year"), "per_capita", query_get_double(q, "per_capita"));
}

static json_t *visit_row(struct query *q)
{
  json_t *risks = json_loads(query_get_text(q, "risks"), 0, NULL);
  return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o}", "id", (json_int_t)query_get_int(q, "id"),
                   "visited_on", query_get_text(q, "visited_on"), "cadre_id", (json_int_t)query_get_int(q, "cadre_id"),
                   "cadre_name", query_get_text(q, "cadre_name"), "findings", query_get_text(q, "findings"),
                   "risks", risks ? risks : json_array());
}

static json_t *history_row(struct query *q)
{
  json_t *changes = json_loads(query_get_text(q, "changes"), 0, NULL);
  return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)query_get_int(q, "id"), "at", query_get_text(q, "at"),
                   "user_name", query_get_text(q, "user_name"), "source", query_get_text(q, "source"),
                   "changes", changes ? changes : json_object());
}

json_t *households_detail_json(struct db *db, const struct scope *scope, int64_t id)
{
  json_t *h = households_get_json(db, scope, id);
  if (!h) return NULL;
  int parts = child_rows(db, h, "members",
      "SELECT id, name, id_masked AS id_number, sex, birth_date, relation, able_bodied,"
      " health_cipher IS NOT NULL AS has_health, removed_at FROM household_member WHERE household_id = :household"
      " ORDER BY removed_at IS NOT NULL, relation <> '户主', id", id, member_row);
  parts |= child_rows(db, h, "incomes",
      "SELECT year, per_capita FROM household_income WHERE household_id = :household ORDER BY year DESC", id,
      income_row);
  parts |= child_rows(db, h, "visits",
      "SELECT v.id AS id, v.visited_on AS visited_on, v.cadre_id AS cadre_id, c.name AS cadre_name,"
      " v.findings AS findings, v.risks AS risks FROM visit v JOIN cadre c ON c.id = v.cadre_id"
      " WHERE v.household_id = :household ORDER BY v.visited_on DESC, v.id DESC LIMIT 100", id, visit_row);
  parts |= child_rows(db, h, "history",
      "SELECT hh.id AS id, " SQL_CST_DATETIME("hh.at") " AS at, coalesce(u.display_name, '系统') AS user_name,"
      " hh.changes AS changes, hh.source AS source"
      " FROM household_history hh LEFT JOIN \"user\" u ON u.id = hh.user_id WHERE hh.household_id = :household"
      " ORDER BY hh.at DESC, hh.id DESC LIMIT 200", id, history_row);
  if (parts != 0) { json_decref(h); return NULL; }
  return h;
}

/* ---- history ---- */

int households_history_add(struct db *db, int64_t household_id, int64_t user_id, const char *source,
                           const json_t *changes, int64_t now)
{
  char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
  if (!text) return DB_ERROR;
  struct query *q = query_open(db, "INSERT INTO household_history (household_id, at, user_id, source, changes)"
                                   " VALUES (:household, :now, :user, :source, :changes)");
  query_bind_int(q, ":household", household_id);
  query_bind_int(q, ":now", now);
  query_bind_int_or_null(q, ":user", user_id);
  query_bind_text(q, ":source", source);
  query_bind_text(q, ":changes", text);
  int rc = query_exec(q);
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

#define NOW_COLUMNS \
  "SELECT id, version, head_name, category, coalesce(address, '') AS address," \
  " coalesce(phone_masked, '') AS phone_masked, status, monitored, able_bodied, food_clothing, schooling, medical," \
  " housing, water FROM household"

static int load_now(struct db *db, int64_t id, const char *village, const char *no, struct household_now *out)
{
  struct query *q = query_open(db, id ? NOW_COLUMNS " WHERE id = :id"
                                      : NOW_COLUMNS " WHERE village_code = :village AND household_no = :no");
  if (id) query_bind_int(q, ":id", id);
  else {
    query_bind_text(q, ":village", village);
    query_bind_text(q, ":no", no);
  }
  bool found = query_next(q);
  if (found) {
    out->id = query_get_int(q, "id");
    out->version = query_get_int(q, "version");
    snprintf(out->head, sizeof out->head, "%s", query_get_text(q, "head_name"));
    snprintf(out->category, sizeof out->category, "%s", query_get_text(q, "category"));
    snprintf(out->address, sizeof out->address, "%s", query_get_text(q, "address"));
    snprintf(out->phone_masked, sizeof out->phone_masked, "%s", query_get_text(q, "phone_masked"));
    snprintf(out->status, sizeof out->status, "%s", query_get_text(q, "status"));
    out->monitored = (int)query_get_int(q, "monitored");
    out->able = (int)query_get_int(q, "able_bodied");
    for (int k = 0; k < HS_ITEMS; k++)
      out->items[k] = query_is_null(q, ITEM_COLUMNS[k]) ? -1 : (int)query_get_int(q, ITEM_COLUMNS[k]);
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* Writes the household's fields as given (after the caller found what changed). */
static int write_fields(struct db *db, int64_t id, const char *head, const char *category, int monitored,
                        const char *address, const char *status, const int items[HS_ITEMS], int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE household SET head_name = :head, category = :category, monitored = :monitored, address = :address,"
      " status = :status, food_clothing = :food_clothing, schooling = :schooling, medical = :medical,"
      " housing = :housing, water = :water, updated_at = :now, version = version + 1 WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":head", head);
  query_bind_text(q, ":category", category);
  query_bind_int(q, ":monitored", monitored);
  query_bind_text(q, ":address", address && *address ? address : NULL);
  query_bind_text(q, ":status", status);
  for (int k = 0; k < HS_ITEMS; k++)
    if (items[k] < 0) query_bind_null(q, ITEM_PARAMS[k]);
    else query_bind_int(q, ITEM_PARAMS[k], items[k]);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}

/* Sets the income of a year; records the change. */
static int put_income(struct db *db, int64_t id, int year, double per_capita, json_t *changes)
{
  struct query *q = query_open(db, "SELECT per_capita FROM household_income WHERE household_id = :id AND year = :year");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":year", year);
  bool had = query_next(q);
  double old = had ? query_get_double(q, "per_capita") : 0;
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  if (had && old == per_capita) return DB_OK;
  q = query_open(db, "INSERT INTO household_income (household_id, year, per_capita) VALUES (:id, :year, :per_capita)"
                     " ON CONFLICT (household_id, year) DO UPDATE SET per_capita = excluded.per_capita");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":year", year);
  query_bind_double(q, ":per_capita", per_capita);
  rc = query_exec(q);
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


/* The member's sealed value in column (health_cipher or id_cipher), opened into *out (a NULL health note
 * opens as ""); DB_NOT_FOUND when the household has no such member. */
static int reveal(struct db *db, const struct vault *vault, const char *sql, int64_t household_id, int64_t member_id,
                  bool null_is_empty, char **out)
{
  *out = NULL;
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":id", member_id);
  query_bind_int(q, ":household", household_id);
  int rc = DB_NOT_FOUND;
  if (query_next(q)) {
    size_t len;
    const void *sealed = query_get_blob(q, "sealed", &len);
    if (null_is_empty && query_is_null(q, "sealed")) rc = (*out = strdup("")) ? DB_OK : DB_ERROR;
    else rc = vault_decrypt(vault, sealed, len, out) == 0 ? DB_OK : DB_ERROR;
  }
  if (query_close(q) != DB_OK) {
    free(*out);
    *out = NULL;
    return DB_ERROR;
  }
  return rc;
}

int households_reveal_health(struct db *db, const struct vault *vault, int64_t household_id, int64_t member_id,
                             char **out)
{
  return reveal(db, vault, "SELECT health_cipher AS sealed FROM household_member WHERE id = :id"
                " AND household_id = :household", household_id, member_id, true, out);
}

int households_reveal_id_number(struct db *db, const struct vault *vault, int64_t household_id, int64_t member_id,
                                char **out)
{
  return reveal(db, vault, "SELECT id_cipher AS sealed FROM household_member WHERE id = :id"
                " AND household_id = :household", household_id, member_id, false, out);
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
  struct query *q = query_open(db,
      "INSERT INTO household_member (household_id, name, id_cipher, id_lookup, id_masked, sex, birth_date, relation,"
      " able_bodied, health_cipher) VALUES (:household, :name, :id_cipher, :id_lookup, :id_masked, :sex, :birth_date,"
      " :relation, :able, :health_cipher)");
  query_bind_int(q, ":household", household_id);
  query_bind_text(q, ":name", r->member);
  query_bind_blob(q, ":id_cipher", cipher, cipher_len);
  query_bind_blob(q, ":id_lookup", lookup, 32);
  query_bind_text(q, ":id_masked", masked);
  query_bind_text(q, ":sex", r->sex == 'M' ? "M" : "F");
  query_bind_text(q, ":birth_date", r->birth_date);
  query_bind_text(q, ":relation", r->relation);
  query_bind_int(q, ":able", r->able > 0);
  query_bind_blob(q, ":health_cipher", health, health_len);
  int rc = query_exec(q);
  free(cipher);
  free(health);
  return rc;
}

/* Whether the sealed health note in alias says plain (an unreadable one counts as different). */
static bool health_equals(const struct vault *vault, struct query *q, const char *alias, const char *plain)
{
  if (query_is_null(q, alias)) return false;
  size_t len;
  const void *sealed = query_get_blob(q, alias, &len);
  char *open = NULL;
  if (vault_decrypt(vault, sealed, len, &open) != 0) return false;
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
  struct query *q = query_open(db,
      "SELECT id, name, relation, able_bodied, health_cipher, removed_at IS NOT NULL AS removed"
      " FROM household_member WHERE household_id = :household AND id_lookup = :lookup");
  query_bind_int(q, ":household", household_id);
  query_bind_blob(q, ":lookup", lookup, 32);
  if (!query_next(q)) {
    int rc = query_close(q);
    if (rc != DB_OK) return rc;
    *changed = true;
    return insert_member(db, vault, household_id, r, lookup);
  }
  int64_t id = query_get_int(q, "id");
  int was_able = (int)query_get_int(q, "able_bodied");
  int able = r->able >= 0 ? r->able : was_able;
  const char *health = r->health && *r->health ? r->health : NULL;
  bool health_changed = health && !health_equals(vault, q, "health_cipher", health);
  *changed = strcmp(query_get_text(q, "name"), r->member) || strcmp(query_get_text(q, "relation"), r->relation) ||
             able != was_able || health_changed || query_get_int(q, "removed");
  int rc = query_close(q);
  if (rc != DB_OK) {
    *changed = false;
    return rc;
  }
  if (!*changed) return DB_OK;
  unsigned char *sealed = NULL;
  size_t sealed_len = 0;
  if (health_changed && vault_encrypt(vault, health, &sealed, &sealed_len) != 0) return DB_ERROR;
  q = query_open(db, "UPDATE household_member SET name = :name, relation = :relation, able_bodied = :able,"
                     " health_cipher = coalesce(:health_cipher, health_cipher), removed_at = NULL WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":name", r->member);
  query_bind_text(q, ":relation", r->relation);
  query_bind_int(q, ":able", able);
  query_bind_blob(q, ":health_cipher", sealed, sealed_len);
  rc = query_exec(q);
  free(sealed);
  return rc;
}

static int insert_household(struct db *db, const char *village, const struct hs_row *m, int64_t now, int64_t *id)
{
  struct query *q = query_open(db,
      "INSERT INTO household (village_code, household_no, head_name, category, monitored, address, created_at,"
      " updated_at) VALUES (:village, :no, :head, :category, :monitored, :address, :now, :now) RETURNING id");
  query_bind_text(q, ":village", village);
  query_bind_text(q, ":no", m->no);
  query_bind_text(q, ":head", m->head);
  query_bind_text(q, ":category", m->category);
  /* 5.7: the three 监测户 categories are monitored unless the sheet says otherwise */
  query_bind_int(q, ":monitored", m->monitored >= 0 ? m->monitored : household_category_monitoring(m->category));
  query_bind_text(q, ":address", m->address && *m->address ? m->address : NULL);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id);
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
  struct query *q = query_open(db, "UPDATE household SET phone_cipher = :cipher, phone_masked = :masked WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_blob(q, ":cipher", cipher, len);
  query_bind_text(q, ":masked", masked);
  int rc = query_exec(q);
  free(cipher);
  diff_text(changes, "phone", old_masked, masked);
  return rc;
}

/* Members no longer on the sheet leave the household (kept, marked removed). */
static int remove_missing(struct db *db, const struct vault *vault, int64_t id, const struct hs_row *rows,
                          const struct hs_household *g, int64_t now, json_t *removed)
{
  struct query *q = query_open(db, "SELECT id, name, id_lookup FROM household_member WHERE household_id = :household"
                                   " AND removed_at IS NULL");
  query_bind_int(q, ":household", id);
  int64_t gone[64];
  int ngone = 0;
  while (ngone < 64 && query_next(q)) {
    size_t len;
    const void *lookup = query_get_blob(q, "id_lookup", &len);
    bool kept = false;
    for (int k = 0; k < g->count && !kept && lookup && len == 32; k++) {
      unsigned char h[32];
      vault_lookup_hash(vault, rows[g->members[k]].id_number, h);
      kept = memcmp(h, lookup, 32) == 0;
    }
    if (!kept) {
      gone[ngone++] = query_get_int(q, "id");
      json_array_append_new(removed, json_string(query_get_text(q, "name")));
    }
  }
  if (query_close(q) != DB_OK) return DB_ERROR;
  for (int i = 0; i < ngone; i++) {
    q = query_open(db, "UPDATE household_member SET removed_at = :now WHERE id = :id");
    query_bind_int(q, ":id", gone[i]);
    query_bind_int(q, ":now", now);
    int rc = query_exec(q);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

/* members_count and able_bodied from the members on the register; bump: a new version for a change
 * that touched only members, phone or income. */
static int recount(struct db *db, int64_t id, bool bump, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE household SET members_count = (SELECT count(*) FROM household_member m WHERE m.household_id = :id"
      " AND m.removed_at IS NULL), able_bodied = (SELECT count(*) FROM household_member m WHERE m.household_id = :id"
      " AND m.removed_at IS NULL AND m.able_bodied = 1), version = version + :bump,"
      " updated_at = CASE WHEN :bump <> 0 THEN :now ELSE updated_at END WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":bump", bump);
  query_bind_int(q, ":now", now);
  return query_exec(q);
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
