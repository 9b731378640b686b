/* regions — the tree. A region's path is "/36/3607/360781/360781100/": the codes of its
 * ancestors and itself. The subtree of X is "path >= X.path AND path < X.path || '~'"
 * ('~' sorts after every digit and '/'), one range scan on the path index. Counts for the
 * tree browser are computed the same way, per child, in the one query that lists them. */
#include "store/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/place_name.h"

#include "store/query.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

#define REGION_COLUMNS \
  "r.code AS code, r.name AS name, r.level AS level, r.parent_code AS parent_code, r.key_village AS key_village," \
  " r.lat AS lat, r.lng AS lng, r.radius_m AS radius_m, r.valid_from AS valid_from, r.valid_to AS valid_to," \
  " coalesce(r.official_name, r.name) AS official_name"

#define REGION_COUNTS \
  ", (SELECT count(*) FROM region k WHERE k.parent_code = r.code) AS child_count" \
  ", (SELECT count(*) FROM region v WHERE v.path >= r.path AND v.path < r.path || '~' AND v.level = 'village')" \
  "  AS village_count" \
  ", (SELECT count(*) FROM unit u JOIN region ur ON ur.code = u.region_code" \
  "    WHERE ur.path >= r.path AND ur.path < r.path || '~') AS unit_count" \
  ", (SELECT count(*) FROM cadre c JOIN region cr ON cr.code = c.village_code" \
  "    WHERE cr.path >= r.path AND cr.path < r.path || '~') AS cadre_count"

static json_t *nullable_real(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_real(query_get_double(q, alias));
}

static json_t *nullable_text(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_string(query_get_text(q, alias));
}

/* A region with its counts (REGION_COLUMNS REGION_COUNTS). */
static json_t *region_row(struct query *q)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:s, s:o}", "code", query_get_text(q, "code"),
                        "name", query_get_text(q, "name"), "level", query_get_text(q, "level"),
                        "parent_code", nullable_text(q, "parent_code"),
                        "key_village", (int)query_get_int(q, "key_village"), "lat", nullable_real(q, "lat"),
                        "lng", nullable_real(q, "lng"),
                        "radius_m", query_is_null(q, "radius_m") ? json_null()
                                                                 : json_integer((int)query_get_int(q, "radius_m")),
                        "valid_from", query_get_text(q, "valid_from"), "valid_to", nullable_text(q, "valid_to"));
  if (o) {
    json_object_set_new(o, "official_name", json_string(query_get_text(q, "official_name")));
    json_object_set_new(o, "child_count", json_integer(query_get_int(q, "child_count")));
    json_object_set_new(o, "village_count", json_integer(query_get_int(q, "village_count")));
    json_object_set_new(o, "unit_count", json_integer(query_get_int(q, "unit_count")));
    json_object_set_new(o, "cadre_count", json_integer(query_get_int(q, "cadre_count")));
  }
  return o;
}

/* Every row of q turned by row_fn into a new array, q closed; NULL when a read failed. */
static json_t *map_rows(struct query *q, json_t *(*row_fn)(struct query *q))
{
  json_t *items = json_array();
  while (items && query_next(q)) json_array_append_new(items, row_fn(q));
  if (query_close(q) != DB_OK) {
    json_decref(items);
    return NULL;
  }
  return items;
}

static json_t *children_uncached(struct db *db, const struct scope *scope, const char *parent_code);

/* The tree browser asks for the same levels again and again; the answer (with its counts) is
 * memoised per connection until the next write (query_memo_get). */
json_t *regions_children_json(struct db *db, const struct scope *scope, const char *parent_code)
{
  char key[256];
  snprintf(key, sizeof key, "regions|%d|%s|%s", (int)scope->kind, scope->path_lo, parent_code ? parent_code : "");
  char *text = NULL;
  if (query_memo_get(db, key, &text)) {
    json_t *items = json_loads(text, 0, NULL);
    free(text);
    if (items) return items;
  }
  json_t *items = children_uncached(db, scope, parent_code);
  text = items ? json_dumps(items, JSON_COMPACT) : NULL;
  if (text) query_memo_put(db, key, text);
  free(text);
  return items;
}

static json_t *children_uncached(struct db *db, const struct scope *scope, const char *parent_code)
{
  /* the roots of a region's or a unit's scope: the one region it is rooted at */
  bool at_root = !parent_code && (scope->kind == SCOPE_KIND_REGION || scope->kind == SCOPE_KIND_UNIT);
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT " REGION_COLUMNS REGION_COUNTS " FROM region r WHERE ");
  if (parent_code) rc |= strbuf_appendf(&sql, "r.parent_code = :code");
  else if (at_root) rc |= strbuf_appendf(&sql, "r.code = :scope_root");
  else rc |= strbuf_appendf(&sql, "r.parent_code IS NULL");
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  rc |= strbuf_appendf(&sql, " ORDER BY r.code");
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  if (parent_code) query_bind_text(q, ":code", parent_code);
  else if (at_root)
    query_bind_text(q, ":scope_root", scope->kind == SCOPE_KIND_UNIT ? scope->unit_region_code : scope->region_code);
  return map_rows(q, region_row);
}

static json_t *ancestors_json(struct db *db, const char *path)
{
  /* The codes in the path, outermost first; each looked up by primary key. */
  json_t *out = json_array();
  char buf[96];
  snprintf(buf, sizeof buf, "%s", path);
  char *save = NULL;
  for (char *code = strtok_r(buf, "/", &save); out && code; code = strtok_r(NULL, "/", &save)) {
    struct query *q = query_open(db, "SELECT code, name, level FROM region WHERE code = :code");
    query_bind_text(q, ":code", code);
    if (query_next(q))
      json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "code", query_get_text(q, "code"),
                                           "name", query_get_text(q, "name"), "level", query_get_text(q, "level")));
    if (query_close(q) != DB_OK) { json_decref(out); return NULL; }
  }
  json_array_remove(out, json_array_size(out) - 1); /* the region itself */
  return out;
}

static json_t *history_row(struct query *q)
{
  return json_pack("{s:s, s:o, s:s, s:s}", "name", query_get_text(q, "name"),
                   "parent_code", nullable_text(q, "parent_code"), "valid_from", query_get_text(q, "valid_from"),
                   "valid_to", query_get_text(q, "valid_to"));
}

static json_t *history_json(struct db *db, const char *code)
{
  struct query *q = query_open(db,
      "SELECT name, parent_code, valid_from, valid_to FROM region_history WHERE code = :code ORDER BY valid_from");
  query_bind_text(q, ":code", code);
  return map_rows(q, history_row);
}

json_t *regions_get_json(struct db *db, const struct scope *scope, const char *code)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  int rc = strbuf_appendf(&sql, "SELECT " REGION_COLUMNS REGION_COUNTS ", r.path AS path FROM region r"
                                " WHERE r.code = :code");
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_text(q, ":code", code);
  json_t *out = NULL;
  char path[96] = "";
  if (query_next(q)) {
    out = region_row(q);
    snprintf(path, sizeof path, "%s", query_get_text(q, "path"));
  }
  if (query_close(q) != DB_OK || !out) { json_decref(out); return NULL; }
  int parts = rows_set(out, "ancestors", ancestors_json(db, path));
  parts |= rows_set(out, "history", history_json(db, code));
  if (parts != 0) { json_decref(out); return NULL; }
  return out;
}

int regions_lookup(struct db *db, const struct scope *scope, const char *code, char path[96], char level[16])
{
  struct strbuf sql;
  strbuf_init(&sql, 1024);
  int rc = strbuf_appendf(&sql, "SELECT r.path AS path, r.level AS level FROM region r WHERE r.code = :code");
  rc |= scope_sql(scope, SCOPE_REGION, &sql);
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_scope(q, scope);
  query_bind_text(q, ":code", code);
  bool found = query_next(q);
  if (found) {
    snprintf(path, 96, "%s", query_get_text(q, "path"));
    snprintf(level, 16, "%s", query_get_text(q, "level"));
  }
  int result = query_close(q);
  return result != DB_OK ? result : found ? DB_OK : DB_NOT_FOUND;
}

int regions_update(struct db *db, const char *code, const struct region_patch *p)
{
  struct query *q = query_open(db,
      "UPDATE region SET key_village = CASE WHEN :has_key_village THEN :key_village ELSE key_village END,"
      " lat = CASE WHEN :clear_fence THEN NULL WHEN :has_point THEN :lat ELSE lat END,"
      " lng = CASE WHEN :clear_fence THEN NULL WHEN :has_point THEN :lng ELSE lng END,"
      " radius_m = CASE WHEN :clear_fence THEN NULL WHEN :has_radius THEN :radius_m ELSE radius_m END"
      " WHERE code = :code");
  query_bind_text(q, ":code", code);
  query_bind_int(q, ":has_key_village", p->has_key_village);
  query_bind_int(q, ":key_village", p->key_village);
  query_bind_int(q, ":has_point", p->has_lat && p->has_lng);
  query_bind_double(q, ":lat", p->lat);
  query_bind_double(q, ":lng", p->lng);
  query_bind_int(q, ":radius_m", p->radius_m);
  query_bind_int(q, ":clear_fence", p->clear_fence);
  query_bind_int(q, ":has_radius", p->has_radius);
  return query_exec(q);
}

/* Closes the current name/parent into history, ending the day before valid_from; DB_CONFLICT when
 * valid_from is not after the current name's start (no row written). */
static int close_into_history(struct db *db, const char *code, const char *valid_from)
{
  struct query *q = query_open(db,
      "INSERT INTO region_history (code, name, parent_code, valid_from, valid_to)"
      " SELECT code, name, parent_code, valid_from, date(:from, '-1 day') FROM region"
      " WHERE code = :code AND valid_from < :from");
  query_bind_text(q, ":code", code);
  query_bind_text(q, ":from", valid_from);
  return query_exec_guarded(q);
}

int regions_rename(struct db *db, const char *code, const char *new_name, const char *valid_from)
{
  int rc = close_into_history(db, code, valid_from);
  if (rc != DB_OK) return rc;
  struct query *q = query_open(db, "SELECT coalesce(parent_code, '') AS parent_code FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  char parent_code[16] = "";
  if (query_next(q)) snprintf(parent_code, sizeof parent_code, "%s", query_get_text(q, "parent_code"));
  rc = query_close(q);
  if (rc != DB_OK) return rc;
  char display[REGION_NAME_SIZE];
  rc = regions_display_name(db, new_name, parent_code, display);
  if (rc != DB_OK) return rc;
  q = query_open(db, "UPDATE region SET name = CASE level WHEN 'village' THEN :display ELSE :name END,"
                     " official_name = CASE level WHEN 'village' THEN :name END, valid_from = :from WHERE code = :code");
  query_bind_text(q, ":code", code);
  query_bind_text(q, ":name", new_name);
  query_bind_text(q, ":from", valid_from);
  query_bind_text(q, ":display", display);
  return query_exec(q);
}

int regions_move(struct db *db, const char *code, const char *new_parent, const char *valid_from)
{
  int rc = close_into_history(db, code, valid_from);
  if (rc != DB_OK) return rc;
  /* Rewrite the path prefix of the region and its whole subtree in one statement. */
  struct query *q = query_open(db,
      "WITH old AS (SELECT path FROM region WHERE code = :code),"
      " np AS (SELECT path || :code || '/' AS path FROM region WHERE code = :parent)"
      " UPDATE region SET path = (SELECT path FROM np) || substr(region.path, length((SELECT path FROM old)) + 1),"
      " parent_code = CASE WHEN code = :code THEN :parent ELSE parent_code END,"
      " valid_from = CASE WHEN code = :code THEN :from ELSE valid_from END"
      " WHERE path >= (SELECT path FROM old) AND path < (SELECT path FROM old) || '~'");
  query_bind_text(q, ":code", code);
  query_bind_text(q, ":parent", new_parent);
  query_bind_text(q, ":from", valid_from);
  return query_exec(q);
}

int regions_display_name(struct db *db, const char *official, const char *parent_code, char out[REGION_NAME_SIZE])
{
  struct query *q = query_open(db, "SELECT name FROM region WHERE code = :code");
  query_bind_text(q, ":code", parent_code ? parent_code : "");
  char township[REGION_NAME_SIZE] = "";
  if (query_next(q)) snprintf(township, sizeof township, "%s", query_get_text(q, "name"));
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  place_village_display_name(official, township, out, REGION_NAME_SIZE); /* cut short only past 200 bytes */
  return DB_OK;
}

/* Villages imported before official_name existed: their name is the official one; keep it as
 * such and show the short name (core/place_name). Nothing to do on a database already done. */
int regions_derive_display_names(struct db *db)
{
  struct query *sel = query_open(db, "SELECT code, name, coalesce(parent_code, '') AS parent_code FROM region"
                                     " WHERE level = 'village' AND official_name IS NULL");
  int rc = DB_OK;
  while (rc == DB_OK && query_next(sel)) {
    char code[16], parent[16], official[REGION_NAME_SIZE], display[REGION_NAME_SIZE];
    snprintf(code, sizeof code, "%s", query_get_text(sel, "code"));
    snprintf(official, sizeof official, "%s", query_get_text(sel, "name"));
    snprintf(parent, sizeof parent, "%s", query_get_text(sel, "parent_code"));
    rc = regions_display_name(db, official, parent, display);
    if (rc != DB_OK) break;
    struct query *upd = query_open(db, "UPDATE region SET official_name = name, name = :display WHERE code = :code");
    query_bind_text(upd, ":code", code);
    query_bind_text(upd, ":display", display);
    rc = query_exec(upd);
  }
  int closed = query_close(sel);
  return rc != DB_OK ? rc : closed;
}
