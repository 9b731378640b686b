/* api_tokens — see api_tokens.h. */
#include "store/api_tokens.h"

#include <stdio.h>
#include <string.h>

#include "store/db_sqlite.h"
#include "store/rows.h"

int api_tokens_create(struct db *db, const struct api_token_input *in, int64_t now, int64_t *id)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO api_token (name, region_code, perms, token_hash, token_hint, expires_at, created_by, created_at)"
      " SELECT ?1, r.code, ?3, ?4, ?5, ?6, ?7, ?8 FROM region r"
      " WHERE r.code = ?2 AND r.level IN ('city','county','township') RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, in->name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, in->region_code, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, in->perms, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, in->hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, in->hint, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 6, in->expires_at);
  sqlite3_bind_int64(st, 7, in->created_by);
  sqlite3_bind_int64(st, 8, now);
  *id = 0;
  int rc = db_insert_returning(db, st, id);
  return rc == DB_OK && *id == 0 ? DB_NOT_FOUND : rc;
}

int api_tokens_find(struct db *db, const char *hash, struct api_token_row *out)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT t.id, t.expires_at, coalesce(t.revoked_at, 0), t.name, t.region_code, r.level, t.perms"
      " FROM api_token t JOIN region r ON r.code = t.region_code WHERE t.token_hash = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    out->expires_at = sqlite3_column_int64(st, 1);
    out->revoked_at = sqlite3_column_int64(st, 2);
    snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 3));
    snprintf(out->region_code, sizeof out->region_code, "%s", db_col_text(st, 4));
    snprintf(out->level, sizeof out->level, "%s", db_col_text(st, 5));
    snprintf(out->perms, sizeof out->perms, "%s", db_col_text(st, 6));
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

int api_tokens_touch(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  return db_update_guarded(db, st);
}

static int token_exists(struct db *db, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM api_token WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

int api_tokens_revoke(struct db *db, int64_t id, int64_t by, int64_t now)
{
  int rc = token_exists(db, id);
  if (rc != DB_OK) return rc;
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE api_token SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 AND revoked_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  sqlite3_bind_int64(st, 3, by);
  return db_update_guarded(db, st);
}

#define TOKEN_COLUMNS \
  "SELECT t.id AS id, t.name AS name, t.region_code AS region_code, r.name AS region_name, t.perms AS perms," \
  " t.token_hint AS token_hint, t.expires_at AS expires_at, t.created_at AS created_at," \
  " coalesce(u.display_name, u.username) AS created_by_name, t.last_used_at AS last_used_at," \
  " t.revoked_at AS revoked_at," \
  " CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' WHEN t.expires_at <= ?1 THEN 'expired' ELSE 'active' END AS state" \
  " FROM api_token t JOIN region r ON r.code = t.region_code LEFT JOIN user u ON u.id = t.created_by"

/* perms ",a,b," as [{name, name_zh}] in the grants' order */
static json_t *perms_json(const char *list)
{
  json_t *out = json_array();
  perm_t have = api_token_perms_of(list);
  for (const struct api_grant *g = api_token_grants(); g->name; g++)
    if (have & g->perm) json_array_append_new(out, json_pack("{s:s, s:s}", "name", g->name, "name_zh", g->name_zh));
  return out;
}

/* A token row as the API answers it: the granted permissions by name instead of the bit set. */
static void token_fix(json_t *row)
{
  json_object_set_new(row, "permissions", perms_json(json_string_value(json_object_get(row, "perms"))));
  json_object_del(row, "perms");
}

json_t *api_tokens_list_json(struct db *db, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, TOKEN_COLUMNS " ORDER BY t.id DESC");
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, now);
  return rows_array(db, st, token_fix);
}

json_t *api_tokens_get_json(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, TOKEN_COLUMNS " WHERE t.id = ?2");
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, now);
  sqlite3_bind_int64(st, 2, id);
  return rows_one(db, st, token_fix);
}

json_t *api_tokens_regions_json(struct db *db)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT code, name, level FROM region WHERE level IN ('city','county') AND valid_to IS NULL ORDER BY path");
  if (!st) return NULL;
  json_t *out = json_array();
  int rc;
  while (out && (rc = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(out, rows_object(st));
  sqlite3_reset(st);
  if (out && rc != SQLITE_DONE) { db_step_result(db, rc); json_decref(out); return NULL; }
  return out;
}
