/* h_api_tokens — 接口令牌 (issue 13 part 2): the security administrator issues a token for another system
 * (a name, a region scope, read permissions, an expiry within a year), sees it once in the answer to the
 * issue, lists the tokens with their last use, and revokes them. The token's text is in no list, log or
 * audit row: only its first characters (token_hint) and, in the database, its SHA-256. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/api_token.h"
#include "core/clock.h"
#include "core/date.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/write_tx.h"
#include "store/api_tokens.h"
#include "store/db.h"

static json_t *grants_json(void)
{
  json_t *out = json_array();
  for (const struct api_grant *g = api_token_grants(); g->name; g++)
    json_array_append_new(out, json_pack("{s:s, s:s}", "name", g->name, "name_zh", g->name_zh));
  return out;
}

int api_access_tokens_list(struct request *req, struct reply *rep)
{
  json_t *items = api_tokens_list_json(req->db, req->now), *regions = api_tokens_regions_json(req->db);
  if (!items || !regions) { json_decref(items); json_decref(regions); return reply_internal(rep); }
  reply_json(rep, 200, json_pack("{s:o, s:o, s:o, s:i}", "items", items, "permissions", grants_json(),
                                 "regions", regions, "max_days", API_TOKEN_MAX_DAYS));
  return 0;
}

/* permissions: a non-empty list of grantable names, each once; out: ",a,b," */
static int perms_field(struct reply *rep, const json_t *body, char out[API_TOKEN_PERMS_SIZE])
{
  const json_t *list = json_object_get(body, "permissions");
  if (!json_is_array(list) || json_array_size(list) == 0)
    return reply_error(rep, 400, "field_required", "请至少选择一项读取权限", "permissions");
  size_t i, used = (size_t)snprintf(out, API_TOKEN_PERMS_SIZE, ",");
  json_t *item;
  perm_t seen = 0;
  json_array_foreach(list, i, item) {
    perm_t p = api_token_grant_perm(json_string_value(item));
    if (!p) return reply_error(rep, 400, "field_invalid", "权限不在可授予接口令牌的读取权限之列", "permissions");
    if (seen & p) return reply_error(rep, 400, "field_invalid", "权限重复", "permissions");
    seen |= p;
    used += (size_t)snprintf(out + used, API_TOKEN_PERMS_SIZE - used, "%s,", json_string_value(item));
  }
  return 0;
}

/* expires_on "YYYY-MM-DD": after today, at most API_TOKEN_MAX_DAYS ahead; the token ends at the next midnight
 * (China Standard Time) after that day. */
static int expiry_field(struct request *req, struct reply *rep, const json_t *body, int64_t *at)
{
  const char *text;
  int day, last = date_add_days(req->today, API_TOKEN_MAX_DAYS);
  if (field_string(rep, body, "expires_on", true, 10, &text) != 0) return -1;
  if (date_parse_iso(text, &day) != 0)
    return reply_error(rep, 400, "field_invalid", "有效期至应为日期，如 2027-06-30", "expires_on");
  if (day <= req->today || day > last)
    return reply_error(rep, 400, "field_invalid", "有效期至须晚于今天，且不超过一年", "expires_on");
  char iso[DATE_ISO_SIZE], instant[40];
  date_format_iso(date_add_days(day, 1), iso);
  snprintf(instant, sizeof instant, "%sT00:00:00+08:00", iso);
  if (clock_parse_instant(instant, at) != 0) return reply_internal(rep);
  return 0;
}

/* A token created (its id set by the store) or revoked. */
struct token_write {
  const struct api_token_input *in;
  int64_t id;
};

static int store_create(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct token_write *t = ctx;
  return api_tokens_create(req->db, t->in, req->now, &t->id);
}

static int store_revoke(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return api_tokens_revoke(req->db, ((const struct token_write *)ctx)->id, req->user.id, req->now);
}

static const struct write_error SCOPE_INVALID[] = {
    {DB_NOT_FOUND, 400, "field_invalid", "管辖范围应为市、县（市、区）或乡镇", "region_code"}, {0}};
static const struct write_error REVOKED[] = {{DB_NOT_FOUND, 404, "not_found", "接口令牌不存在", NULL},
                                             {DB_CONFLICT, 409, "already_revoked", "该令牌已吊销", NULL},
                                             {0}};

static int token_insert(struct request *req, struct reply *rep, struct api_token_input *in, const char *token)
{
  char hash[API_TOKEN_HASH_SIZE], hint[12];
  api_token_hash(token, hash);
  snprintf(hint, sizeof hint, "%.7s", token);
  in->hash = hash;
  in->hint = hint;
  in->created_by = req->user.id;
  json_t *detail = json_pack("{s:s, s:s, s:s, s:s}", "name", in->name, "region_code", in->region_code,
                             "permissions", in->perms, "token_hint", hint);
  struct token_write t = {in, 0};
  struct write_tx w = {.store = store_create, .ctx = &t, .errors = SCOPE_INVALID, .action = "api_token.create",
                       .entity = "api_token", .id = &t.id, .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  if (rc != 0) return -1;
  json_t *one = api_tokens_get_json(req->db, t.id, req->now);
  if (!one) return reply_internal(rep);
  json_object_set_new(one, "token", json_string(token)); /* the one time it is shown */
  reply_json(rep, 201, one);
  return 0;
}

int api_access_tokens_create(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"name", "region_code", "permissions", "expires_on", NULL};
  struct api_token_input in = {0};
  char perms[API_TOKEN_PERMS_SIZE], token[API_TOKEN_SIZE];
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "name", true, 40, &in.name) != 0 ||
      field_string(rep, body, "region_code", true, 12, &in.region_code) != 0)
    goto out;
  if (!*in.name) { rc = reply_error(rep, 400, "field_required", "请填写令牌名称（使用令牌的系统）", "name"); goto out; }
  if (perms_field(rep, body, perms) != 0 || expiry_field(req, rep, body, &in.expires_at) != 0) goto out;
  in.perms = perms;
  api_token_generate(token);
  rc = token_insert(req, rep, &in, token);
  sodium_memzero(token, sizeof token);
out:
  json_decref(body);
  return rc;
}

int api_access_tokens_revoke(struct request *req, struct reply *rep)
{
  int64_t id;
  if (param_id(req, rep, 0, &id) != 0) return -1;
  struct token_write t = {NULL, id};
  struct write_tx w = {.store = store_revoke, .ctx = &t, .errors = REVOKED, .action = "api_token.revoke",
                       .entity = "api_token", .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  json_t *one = api_tokens_get_json(req->db, id, req->now);
  if (!one) return reply_internal(rep);
  reply_json(rep, 200, one);
  return 0;
}
