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

int api_second_factor_start(struct request *req, struct reply *rep)
{
  char secret[TOTP_SECRET_B32_SIZE], uri[512];
  int w = db_begin(req->db);
  if (w == DB_OK) w = second_factor_start(req->db, req->app->vault, req->user.id, req->now, secret);
  if (w == DB_CONFLICT) {
    db_rollback(req->db);
    return reply_error(rep, 409, "second_factor_enrolled", "两步验证已经启用；如需更换手机，请联系安全管理员重置", NULL);
  }
  if (w == DB_OK) w = handler_audit(req, "user.second_factor_started", "user", NULL, NULL);
  if (handler_finish_write(req, rep, w == DB_OK ? 0 : reply_internal(rep)) != 0) return -1;
  if (totp_uri(TOTP_ISSUER, req->user.username, secret, uri, sizeof uri) != 0) return reply_internal(rep);
  json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "secret", secret, "otpauth_uri", uri, "issuer", TOTP_ISSUER,
                          "account", req->user.username, "digits", TOTP_DIGITS, "period", TOTP_STEP_SECONDS);
  sodium_memzero(secret, sizeof secret);
  sodium_memzero(uri, sizeof uri);
  if (!out) return reply_internal(rep);
  reply_json(rep, 200, out);
  return 0;
}

static int confirm_refused(struct request *req, struct reply *rep, int w, enum totp_verdict verdict)
{
  db_rollback(req->db);
  if (w == DB_NOT_FOUND)
    return reply_error(rep, 409, "second_factor_not_started", "请先点击“开始启用”，用验证器扫描二维码", NULL);
  if (w == DB_CONFLICT) return reply_error(rep, 409, "second_factor_enrolled", "两步验证已经启用", NULL);
  if (w != DB_OK) return reply_internal(rep);
  (void)verdict;
  return reply_error(rep, 400, "second_factor_failed", "验证码不正确，请核对手机时间后输入验证器上当前的 6 位数字", "code");
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
  char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
  enum totp_verdict verdict = TOTP_WRONG;
  int w = db_begin(req->db);
  if (w == DB_OK) w = second_factor_confirm(req->db, req->app->vault, req->user.id, req->now, code, &verdict, codes);
  if (w != DB_OK || verdict != TOTP_OK) { rc = confirm_refused(req, rep, w, verdict); goto out; }
  w = handler_audit(req, "user.second_factor_enrolled", "user", NULL, NULL);
  if (handler_finish_write(req, rep, w == DB_OK ? 0 : reply_internal(rep)) != 0) goto out;
  json_t *list = json_array();
  for (int i = 0; i < RECOVERY_CODE_COUNT; i++) json_array_append_new(list, json_string(codes[i]));
  sodium_memzero(codes, sizeof codes);
  reply_json(rep, 200, json_pack("{s:b, s:o}", "enrolled", 1, "recovery_codes", list));
  rc = 0;
out:
  json_decref(body);
  return rc;
}
