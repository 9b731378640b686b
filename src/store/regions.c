/* regions — the tree. A region's path is "/36/3607/360781/360781100/": the codes of its
 * ancestors and itself. The subtree of X is "path >= X.path AND path < X.path || '~'"
 * ('~' sorts after every digit and '/'), one range scan on the path index. Counts for the
 * tree browser are computed the same way, per child, in the one query that lists them. */
#include "store/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/place_name.h"
#include "store/db_sqlite.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define REGION_COLUMNS \
  "r.code, r.name, r.level, r.parent_code, r.key_village, r.lat, r.lng, r.radius_m, r.valid_from, r.valid_to" \
  ", coalesce(r.official_name, r.name)"

#define REGION_COUNTS \
  ", (SELECT count(*) FROM region k WHERE k.parent_code = r.code)" \
  ", (SELECT count(*) FROM region v WHERE v.path >= r.path AND v.path < r.path || '~' AND v.level = 'village')" \
  ", (SELECT count(*) FROM unit u JOIN region ur ON ur.code = u.region_code" \
  "    WHERE ur.path >= r.path AND ur.path < r.path || '~')" \
  ", (SELECT count(*) FROM cadre c JOIN region cr ON cr.code = c.village_code" \
  "    WHERE cr.path >= r.path AND cr.path < r.path || '~')"
/* r.path, selected after REGION_COLUMNS (11) and REGION_COUNTS (4) by regions_get_json */
#define REGION_PATH_COLUMN 15

static json_t *nullable_real(sqlite3_stmt *st, int col)
{
  return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_real(sqlite3_column_double(st, col));
}

static json_t *nullable_text(sqlite3_stmt *st, int col)
{
  return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, col));
}

static json_t *region_row(sqlite3_stmt *st, bool with_counts)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:s, s:o}", "code", db_col_text(st, 0),
                        "name", db_col_text(st, 1), "level", db_col_text(st, 2), "parent_code", nullable_text(st, 3),
                        "key_village", sqlite3_column_int(st, 4), "lat", nullable_real(st, 5),
                        "lng", nullable_real(st, 6),
                        "radius_m", sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
                                                                              : json_integer(sqlite3_column_int(st, 7)),
                        "valid_from", db_col_text(st, 8), "valid_to", nullable_text(st, 9));
  if (o) json_object_set_new(o, "official_name", json_string(db_col_text(st, 10)));
  if (with_counts) {
    json_object_set_new(o, "child_count", json_integer(sqlite3_column_int64(st, 11)));
    json_object_set_new(o, "village_count", json_integer(sqlite3_column_int64(st, 12)));
    json_object_set_new(o, "unit_count", json_integer(sqlite3_column_int64(st, 13)));
    json_object_set_new(o, "cadre_count", json_integer(sqlite3_column_int64(st, 14)));
  }
  return o;
}

static json_t *run_region_query(struct db *db, struct strbuf *sql, const struct scope *scope, const char *code)
{
  sqlite3_stmt *st = db_stmt(db, strbuf_cstr(sql));
  if (!st) return NULL;
  scope_bind(scope, st);
  int idx = sqlite3_bind_parameter_index(st, ":code");
  if (idx) sqlite3_bind_text(st, idx, code, -1, SQLITE_TRANSIENT);
  idx = sqlite3_bind_parameter_index(st, ":scope_root");
  if (idx)
    sqlite3_bind_text(st, idx, scope->kind == SCOPE_KIND_UNIT ? scope->unit_region_code : scope->region_code, -1,
                      SQLITE_TRANSIENT);
  json_t *items = json_array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(items, region_row(st, true));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { json_decref(items); return NULL; }
  return items;
}

static json_t *children_uncached(struct db *db, const struct scope *scope, const char *parent_code);

/* The tree browser asks for the same levels again and again; the answer (with its counts) is
 * memoised per connection until the next write (db_memo_get). */
json_t *regions_children_json(struct db *db, const struct scope *scope, const char *parent_code)
{
  char key[256];
  snprintf(key, sizeof key, "regions|%d|%s|%s", (int)scope->kind, scope->path_lo, parent_code ? parent_code : "");
  char *text = NULL;
  if (db_memo_get(db, key, &text)) {
    json_t *items = json_loads(text, 0, NULL);
    free(text);
    if (items) return items;
  }
  json_t *items = children_uncached(db, scope, parent_code);
  text = items ? json_dumps(items, JSON_COMPACT) : NULL;
  if (text) db_memo_put(db, key, text);
  free(text);
  return items;
}

static json_t *children_uncached(struct db *db, const struct scope *scope, const char *parent_code)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT " REGION_COLUMNS REGION_COUNTS " FROM region r WHERE ");
  if (parent_code) rc |= strbuf_appendf(&sql, "r.parent_code = :code");
  else if (scope->kind == SCOPE_KIND_REGION || scope->kind == SCOPE_KIND_UNIT)
    rc |= strbuf_appendf(&sql, "r.code = :scope_root");
  else rc |= strbuf_appendf(&sql, "r.parent_code IS NULL");
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  rc |= strbuf_appendf(&sql, " ORDER BY r.code");
  json_t *items = rc == 0 ? run_region_query(db, &sql, scope, parent_code) : NULL;
  strbuf_free(&sql);
  return items;
}

static json_t *ancestors_json(struct db *db, const char *path)
{
  /* The codes in the path, outermost first; each looked up by primary key. */
  json_t *out = json_array();
  char buf[96];
  snprintf(buf, sizeof buf, "%s", path);
  sqlite3_stmt *st = db_stmt(db, "SELECT code, name, level FROM region WHERE code = ?1");
  if (!st) { json_decref(out); return NULL; }
  char *save = NULL;
  for (char *code = strtok_r(buf, "/", &save); code; code = strtok_r(NULL, "/", &save)) {
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
      json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
                                           "level", db_col_text(st, 2)));
    else if (rows_end(db, step) != DB_OK) { sqlite3_reset(st); json_decref(out); return NULL; }
  }
  sqlite3_reset(st);
  json_array_remove(out, json_array_size(out) - 1); /* the region itself */
  return out;
}

static json_t *history_row(sqlite3_stmt *st)
{
  return json_pack("{s:s, s:o, s:s, s:s}", "name", db_col_text(st, 0), "parent_code", nullable_text(st, 1),
                   "valid_from", db_col_text(st, 2), "valid_to", db_col_text(st, 3));
}

static json_t *history_json(struct db *db, const char *code)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT name, parent_code, valid_from, valid_to FROM region_history WHERE code = ?1 ORDER BY valid_from");
  if (!st) return NULL;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  return rows_map(db, st, history_row);
}

json_t *regions_get_json(struct db *db, const struct scope *scope, const char *code)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT " REGION_COLUMNS REGION_COUNTS ", r.path FROM region r WHERE r.code = :code");
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  json_t *out = NULL;
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (st) {
    scope_bind(scope, st);
    sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":code"), code, -1, SQLITE_TRANSIENT);
    if (db_step_row(db, st)) {
      out = region_row(st, true);
      char path[96];
      snprintf(path, sizeof path, "%s", db_col_text(st, REGION_PATH_COLUMN));
      sqlite3_reset(st);
      int parts = rows_set(out, "ancestors", ancestors_json(db, path));
      parts |= rows_set(out, "history", history_json(db, code));
      if (parts != 0) { json_decref(out); out = NULL; }
    }
    sqlite3_reset(st);
  }
  strbuf_free(&sql);
  return out;
}

int regions_lookup(struct db *db, const struct scope *scope, const char *code, char path[96], char level[16])
{
  struct strbuf sql;
  strbuf_init(&sql, 1024);
  int rc = strbuf_appendf(&sql, "SELECT r.path, r.level FROM region r WHERE r.code = :code");
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  int result = DB_ERROR;
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  if (st) {
    scope_bind(scope, st);
    sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":code"), code, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      snprintf(path, 96, "%s", db_col_text(st, 0));
      snprintf(level, 16, "%s", db_col_text(st, 1));
      result = DB_OK;
    } else {
      result = rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
    }
    sqlite3_reset(st);
  }
  strbuf_free(&sql);
  return result;
}

int regions_update(struct db *db, const char *code, const struct region_patch *p)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE region SET key_village = CASE WHEN ?2 THEN ?3 ELSE key_village END,"
      " lat = CASE WHEN ?8 THEN NULL WHEN ?4 THEN ?5 ELSE lat END,"
      " lng = CASE WHEN ?8 THEN NULL WHEN ?4 THEN ?6 ELSE lng END,"
      " radius_m = CASE WHEN ?8 THEN NULL WHEN ?9 THEN ?7 ELSE radius_m END WHERE code = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, p->has_key_village);
  sqlite3_bind_int(st, 3, p->key_village);
  sqlite3_bind_int(st, 4, p->has_lat && p->has_lng);
  sqlite3_bind_double(st, 5, p->lat);
  sqlite3_bind_double(st, 6, p->lng);
  sqlite3_bind_int64(st, 7, p->radius_m);
  sqlite3_bind_int(st, 8, p->clear_fence);
  sqlite3_bind_int(st, 9, p->has_radius);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* Closes the current name/parent into history, ending the day before valid_from. */
static int close_into_history(struct db *db, const char *code, const char *valid_from)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO region_history (code, name, parent_code, valid_from, valid_to)"
      " SELECT code, name, parent_code, valid_from, date(?2, '-1 day') FROM region WHERE code = ?1 AND valid_from < ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, valid_from, -1, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_CONFLICT; /* valid_from not after the current name's start */
}

int regions_rename(struct db *db, const char *code, const char *new_name, const char *valid_from)
{
  int rc = close_into_history(db, code, valid_from);
  if (rc != DB_OK) return rc;
  char display[REGION_NAME_SIZE];
  sqlite3_stmt *parent = db_stmt(db, "SELECT coalesce(parent_code, '') FROM region WHERE code = ?1");
  if (!parent) return DB_ERROR;
  sqlite3_bind_text(parent, 1, code, -1, SQLITE_TRANSIENT);
  char parent_code[16] = "";
  if (sqlite3_step(parent) == SQLITE_ROW) snprintf(parent_code, sizeof parent_code, "%s", db_col_text(parent, 0));
  sqlite3_reset(parent);
  rc = regions_display_name(db, new_name, parent_code, display);
  if (rc != DB_OK) return rc;
  sqlite3_stmt *st = db_stmt(db, "UPDATE region SET name = CASE level WHEN 'village' THEN ?4 ELSE ?2 END,"
                                 " official_name = CASE level WHEN 'village' THEN ?2 END, valid_from = ?3 WHERE code = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, new_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, valid_from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, display, -1, SQLITE_TRANSIENT);
  rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int regions_move(struct db *db, const char *code, const char *new_parent, const char *valid_from)
{
  int rc = close_into_history(db, code, valid_from);
  if (rc != DB_OK) return rc;
  /* Rewrite the path prefix of the region and its whole subtree in one statement. */
  sqlite3_stmt *st = db_stmt(db,
      "WITH old AS (SELECT path FROM region WHERE code = ?1),"
      " np AS (SELECT path || ?1 || '/' AS path FROM region WHERE code = ?2)"
      " UPDATE region SET path = (SELECT path FROM np) || substr(region.path, length((SELECT path FROM old)) + 1),"
      " parent_code = CASE WHEN code = ?1 THEN ?2 ELSE parent_code END,"
      " valid_from = CASE WHEN code = ?1 THEN ?3 ELSE valid_from END"
      " WHERE path >= (SELECT path FROM old) AND path < (SELECT path FROM old) || '~'");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, new_parent, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, valid_from, -1, SQLITE_TRANSIENT);
  rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int regions_display_name(struct db *db, const char *official, const char *parent_code, char out[REGION_NAME_SIZE])
{
  sqlite3_stmt *st = db_stmt(db, "SELECT name FROM region WHERE code = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, parent_code ? parent_code : "", -1, SQLITE_TRANSIENT);
  char township[REGION_NAME_SIZE] = "";
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) snprintf(township, sizeof township, "%s", db_col_text(st, 0));
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return DB_ERROR;
  place_village_display_name(official, township, out, REGION_NAME_SIZE); /* cut short only past 200 bytes */
  return DB_OK;
}

/* Villages imported before official_name existed: their name is the official one; keep it as
 * such and show the short name (core/place_name). Nothing to do on a database already done. */
int regions_derive_display_names(struct db *db)
{
  sqlite3_stmt *sel = db_stmt(db, "SELECT code, name, coalesce(parent_code, '') FROM region"
                                  " WHERE level = 'village' AND official_name IS NULL");
  sqlite3_stmt *upd = db_stmt(db, "UPDATE region SET official_name = name, name = ?2 WHERE code = ?1");
  if (!sel || !upd) return DB_ERROR;
  int rc = DB_OK, step = SQLITE_DONE;
  while (rc == DB_OK && (step = sqlite3_step(sel)) == SQLITE_ROW) {
    char code[16], parent[16], official[REGION_NAME_SIZE], display[REGION_NAME_SIZE];
    snprintf(code, sizeof code, "%s", db_col_text(sel, 0));
    snprintf(official, sizeof official, "%s", db_col_text(sel, 1));
    snprintf(parent, sizeof parent, "%s", db_col_text(sel, 2));
    rc = regions_display_name(db, official, parent, display);
    if (rc != DB_OK) break;
    sqlite3_bind_text(upd, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(upd, 2, display, -1, SQLITE_TRANSIENT);
    rc = db_step_result(db, sqlite3_step(upd));
    sqlite3_reset(upd);
  }
  if (rc == DB_OK && step != SQLITE_DONE) rc = DB_ERROR;
  sqlite3_reset(sel);
  return rc;
}
