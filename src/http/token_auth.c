/* token_auth — see token_auth.h. */
#include "http/token_auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_token.h"
#include "core/clock.h"
#include "core/rate_limit.h"
#include "http/request.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/api_tokens.h"
#include "store/db.h"

/* The GET endpoints a token may read: the lists other systems pull and their single records. Each is
 * still guarded by its own permission (the route's) and by the token's scope. */
static const char *const TOKEN_ROUTES[] = {
  "/api/v1/regions", "/api/v1/regions/:code", "/api/v1/units", "/api/v1/units/:id",
  "/api/v1/cadres", "/api/v1/cadres/:id", "/api/v1/assignments", "/api/v1/assignments/:id",
  "/api/v1/vacancies", "/api/v1/terms-ending", "/api/v1/presence",
  "/api/v1/households", "/api/v1/households/:id", "/api/v1/cases", "/api/v1/cases/summary", "/api/v1/cases/:id",
  "/api/v1/villages", "/api/v1/villages/:code", "/api/v1/compliance",
  NULL,
};

static const char *bearer(const struct request *req)
{
  const char *h = request_header(req, "Authorization");
  return h && strncmp(h, "Bearer ", 7) == 0 ? h + 7 : NULL;
}

bool token_presented(const struct request *req) { return bearer(req) != NULL; }

static bool route_open(const char *method, const char *pattern)
{
  if (strcmp(method, "GET") != 0) return false;
  for (const char *const *p = TOKEN_ROUTES; *p; p++)
    if (strcmp(*p, pattern) == 0) return true;
  return false;
}

static const char *level_literal(const char *level)
{
  static const char *const LEVELS[] = {"city", "county", "township", NULL};
  for (const char *const *l = LEVELS; *l; l++)
    if (strcmp(*l, level) == 0) return *l;
  return NULL;
}

/* The request's caller becomes the token: a region account with the token's read permissions. */
static void act_as(struct request *req, const struct api_token_row *t)
{
  req->api_token_id = t->id;
  req->token_role = (struct role){"api_token", "接口令牌", SCOPE_KIND_REGION, false, api_token_perms_of(t->perms),
                                  level_literal(t->level)};
  memset(&req->user, 0, sizeof req->user);
  snprintf(req->user.username, sizeof req->user.username, "api_token:%lld", (long long)t->id);
  snprintf(req->user.display_name, sizeof req->user.display_name, "接口令牌：%s", t->name);
  snprintf(req->user.region_code, sizeof req->user.region_code, "%s", t->region_code);
  req->user.role = &req->token_role;
  req->has_user = true;
}

static int store_touch(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  (void)ctx;
  return api_tokens_touch(req->db, req->api_token_id, req->now);
}

/* One audit row per call (the path, whether the gate let it through) and the token's last use, in one
 * write (http/write_tx; the row's user is the token, as act_as made it); -1 with the 500 written when
 * it could not be committed. */
static int audit_use(struct request *req, struct reply *rep, bool admitted)
{
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)req->api_token_id);
  json_t *detail = json_pack("{s:s, s:s, s:b}", "method", req->method, "path", req->url, "admitted", admitted);
  if (!detail) return reply_internal(rep);
  struct write_tx w = {.store = store_touch, .action = "api_token.use", .entity = "api_token", .entity_id = id,
                       .detail = detail};
  int rc = write_tx_run(req, rep, &w);
  json_decref(detail);
  return rc;
}

static int find(struct request *req, struct reply *rep, struct api_token_row *t)
{
  const char *text = bearer(req);
  char hash[API_TOKEN_HASH_SIZE];
  if (!api_token_well_formed(text)) return reply_error(rep, 401, "token_invalid", "接口令牌无效", NULL);
  api_token_hash(text, hash);
  int rc = api_tokens_find(req->db, hash, t);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 401, "token_invalid", "接口令牌无效", NULL);
  if (rc != DB_OK) return reply_internal(rep);
  if (t->revoked_at) return reply_error(rep, 401, "token_revoked", "接口令牌已被吊销，请向安全管理员申请新的令牌", NULL);
  if (t->expires_at <= req->now) return reply_error(rep, 401, "token_expired", "接口令牌已过期，请向安全管理员申请新的令牌", NULL);
  return 0;
}

static int throttle(struct request *req, struct reply *rep, int64_t id)
{
  char key[32];
  snprintf(key, sizeof key, "token:%lld", (long long)id);
  double t = clock_monotonic_ms();
  int wait = rate_limit_wait(req->app->api_token_calls, key, t);
  if (!wait) { rate_limit_charge(req->app->api_token_calls, key, t); return 0; }
  char msg[120];
  snprintf(msg, sizeof msg, "接口令牌调用过于频繁，请 %d 秒后再试", wait);
  reply_error(rep, 429, "rate_limited", msg, NULL);
  rep->retry_after = wait;
  return -1;
}

int token_gate(struct request *req, struct reply *rep, const char *method, const char *pattern, perm_t perm)
{
  struct api_token_row t;
  if (find(req, rep, &t) != 0 || throttle(req, rep, t.id) != 0) return -1;
  act_as(req, &t);
  int refused = 0;
  if (!route_open(method, pattern))
    refused = reply_error(rep, 403, "token_not_allowed", "接口令牌不能调用此接口，此接口仅供登录账号使用", NULL);
  else if (!perm || !roles_can(req->user.role, perm))
    refused = reply_error(rep, 403, "forbidden", "接口令牌未被授予此项读取权限", NULL);
  else if (!req->token_role.level || scope_for_user(req->db, &req->user, &req->scope) != 0)
    refused = reply_error(rep, 403, "scope_invalid", "接口令牌的管辖范围无效，请联系安全管理员", NULL);
  if (audit_use(req, rep, refused == 0) != 0) return -1;
  return refused;
}
