/* api_tokens — see api_tokens.h. */
#include "store/api_tokens.h"

#include <stdio.h>
#include <string.h>

#include "store/query.h"

int api_tokens_create(struct db *db, const struct api_token_input *in, int64_t now, int64_t *id)
{
  struct query *q = query_open(db,
      "INSERT INTO api_token (name, region_code, perms, token_hash, token_hint, expires_at, created_by, created_at)"
      " SELECT :name, r.code, :perms, :hash, :hint, :expires_at, :created_by, :now FROM region r"
      " WHERE r.code = :region AND r.level IN ('city','county','township') RETURNING id");
  query_bind_text(q, ":name", in->name);
  query_bind_text(q, ":region", in->region_code);
  query_bind_text(q, ":perms", in->perms);
  query_bind_text(q, ":hash", in->hash);
  query_bind_text(q, ":hint", in->hint);
  query_bind_int(q, ":expires_at", in->expires_at);
  query_bind_int(q, ":created_by", in->created_by);
  query_bind_int(q, ":now", now);
  *id = 0;
  int rc = query_insert_id(q, id);
  return rc == DB_OK && *id == 0 ? DB_NOT_FOUND : rc;
}

int api_tokens_find(struct db *db, const char *hash, struct api_token_row *out)
{
  struct query *q = query_open(db,
      "SELECT t.id AS id, t.expires_at AS expires_at, coalesce(t.revoked_at, 0) AS revoked_at, t.name AS name,"
      " t.region_code AS region_code, r.level AS level, t.perms AS perms"
      " FROM api_token t JOIN region r ON r.code = t.region_code WHERE t.token_hash = :hash");
  query_bind_text(q, ":hash", hash);
  bool found = query_next(q);
  if (found) {
    memset(out, 0, sizeof *out);
    out->id = query_get_int(q, "id");
    out->expires_at = query_get_int(q, "expires_at");
    out->revoked_at = query_get_int(q, "revoked_at");
    snprintf(out->name, sizeof out->name, "%s", query_get_text(q, "name"));
    snprintf(out->region_code, sizeof out->region_code, "%s", query_get_text(q, "region_code"));
    snprintf(out->level, sizeof out->level, "%s", query_get_text(q, "level"));
    snprintf(out->perms, sizeof out->perms, "%s", query_get_text(q, "perms"));
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int api_tokens_touch(struct db *db, int64_t id, int64_t now)
{
  struct query *q = query_open(db, "UPDATE api_token SET last_used_at = :now WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

static int token_exists(struct db *db, int64_t id)
{
  struct query *q = query_open(db, "SELECT 1 AS one FROM api_token WHERE id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int api_tokens_revoke(struct db *db, int64_t id, int64_t by, int64_t now)
{
  int rc = token_exists(db, id);
  if (rc != DB_OK) return rc;
  struct query *q = query_open(db,
      "UPDATE api_token SET revoked_at = :now, revoked_by = :by WHERE id = :id AND revoked_at IS NULL");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":by", by);
  return query_exec_guarded(q);
}

#define TOKEN_COLUMNS \
  "SELECT t.id AS id, t.name AS name, t.region_code AS region_code, r.name AS region_name, t.perms AS perms," \
  " t.token_hint AS token_hint, t.expires_at AS expires_at, t.created_at AS created_at," \
  " coalesce(u.display_name, u.username) AS created_by_name, t.last_used_at AS last_used_at," \
  " t.revoked_at AS revoked_at," \
  " CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked' WHEN t.expires_at <= :now THEN 'expired' ELSE 'active' END AS state" \
  " FROM api_token t JOIN region r ON r.code = t.region_code LEFT JOIN \"user\" u ON u.id = t.created_by"

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
  struct query *q = query_open(db, TOKEN_COLUMNS " ORDER BY t.id DESC");
  query_bind_int(q, ":now", now);
  return query_rows_json(q, token_fix);
}

json_t *api_tokens_get_json(struct db *db, int64_t id, int64_t now)
{
  struct query *q = query_open(db, TOKEN_COLUMNS " WHERE t.id = :id");
  query_bind_int(q, ":now", now);
  query_bind_int(q, ":id", id);
  return query_one_json(q, token_fix);
}

json_t *api_tokens_regions_json(struct db *db)
{
  return query_rows_json(query_open(db, "SELECT code, name, level FROM region"
                                        " WHERE level IN ('city','county') AND valid_to IS NULL ORDER BY path"),
                         NULL);
}
