/* h_second_factor — the user's own 两步验证 (second factor; F2 of the 2026-12 review, 等保2.0 三级
 * 身份鉴别 d): its status, the start of an enrolment (a new secret, shown once as an otpauth:// URI
 * for the QR code) and its confirmation with a first code, which turns it on and hands out the ten
 * recovery codes, once. An account whose role the policy requires it of may do nothing else after
 * its password until this is done (the router's ROUTE_DURING_ENROL). Turning it off is the security
 * administrator's (POST /users/ID/second-factor/reset, h_users.c). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/totp.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/server.h"
#include "http/write_tx.h"
#include "store/db.h"
#include "store/second_factor.h"

#define TOTP_ISSUER "赣州驻村帮扶"

int api_second_factor_get(struct request *req, struct reply *rep)
{
  struct second_factor_status s;
  if (second_factor_status(req->db, req->user.id, &s) != DB_OK) return reply_internal(rep);
  json_t *out = json_pack("{s:b, s:b, s:b, s:i}", "enrolled", s.enrolled, "started", s.started, "required",
                          settings_second_factor_required(&req->app->security, req->user.role),
                          "recovery_codes_left", s.recovery_left);
  if (!out) return reply_internal(rep);
  reply_json(rep, 200, out);
  return 0;
}

/* An enrolment started (a new secret) or confirmed with a code (the recovery codes). */
struct enrolment {
  char secret[TOTP_SECRET_B32_SIZE];
  const char *code;
  char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
};

static int store_start(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return second_factor_start(req->db, req->app->vault, req->user.id, req->now, ((struct enrolment *)ctx)->secret);
}

/* A wrong code is refused (400) and nothing is written. */
static int store_confirm(struct request *req, struct reply *rep, void *ctx)
{
  struct enrolment *e = ctx;
  enum totp_verdict verdict = TOTP_WRONG;
  int w = second_factor_confirm(req->db, req->app->vault, req->user.id, req->now, e->code, &verdict, e->codes);
  if (w == DB_OK && verdict != TOTP_OK) {
    reply_error(rep, 400, "second_factor_failed", "验证码不正确，请核对手机时间后输入验证器上当前的 6 位数字", "code");
    return WRITE_TX_REPLIED;
  }
  return w;
}

static const struct write_error ENROLLED[] = {
    {DB_CONFLICT, 409, "second_factor_enrolled", "两步验证已经启用；如需更换手机，请联系安全管理员重置", NULL}, {0}};
static const struct write_error NOT_STARTED[] = {
    {DB_NOT_FOUND, 409, "second_factor_not_started", "请先点击“开始启用”，用验证器扫描二维码", NULL},
    {DB_CONFLICT, 409, "second_factor_enrolled", "两步验证已经启用", NULL},
    {0}};

int api_second_factor_start(struct request *req, struct reply *rep)
{
  char uri[512];
  struct enrolment e = {0};
  struct write_tx w = {.store = store_start, .ctx = &e, .errors = ENROLLED, .action = "user.second_factor_started",
                       .entity = "user"};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  if (totp_uri(TOTP_ISSUER, req->user.username, e.secret, uri, sizeof uri) != 0) return reply_internal(rep);
  json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "secret", e.secret, "otpauth_uri", uri, "issuer", TOTP_ISSUER,
                          "account", req->user.username, "digits", TOTP_DIGITS, "period", TOTP_STEP_SECONDS);
  sodium_memzero(e.secret, sizeof e.secret);
  sodium_memzero(uri, sizeof uri);
  if (!out) return reply_internal(rep);
  reply_json(rep, 200, out);
  return 0;
}

int api_second_factor_confirm(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"code", NULL};
  const char *code;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "code", true, 16, &code) != 0) goto out;
  if (!totp_code_well_formed(code)) {
    rc = reply_error(rep, 400, "field_invalid", "验证码是 6 位数字", "code");
    goto out;
  }
  struct enrolment e = {.code = code};
  struct write_tx w = {.store = store_confirm, .ctx = &e, .errors = NOT_STARTED, .action = "user.second_factor_enrolled",
                       .entity = "user"};
  if (write_tx_run(req, rep, &w) != 0) {
    sodium_memzero(&e, sizeof e);
    goto out;
  }
  json_t *list = json_array();
  for (int i = 0; i < RECOVERY_CODE_COUNT; i++) json_array_append_new(list, json_string(e.codes[i]));
  sodium_memzero(&e, sizeof e);
  reply_json(rep, 200, json_pack("{s:b, s:o}", "enrolled", 1, "recovery_codes", list));
  rc = 0;
out:
  json_decref(body);
  return rc;
}
