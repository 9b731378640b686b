/* h_users — account administration, split by 三权分立: the system administrator creates and
 * disables accounts, the security administrator resets passwords and unlocks; neither can
 * create an administrator account (that is done at the console: `zhucun user add`). */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/rate_limit.h"
#include "http/handlers.h"
#include "http/not_found.h"
#include "http/server.h"
#include "http/json_in.h"
#include "http/write_tx.h"
#include "store/credentials.h"
#include "store/second_factor.h"
#include "store/db.h"
#include "store/regions.h"
#include "store/units.h"

static const char *const USER_EXPORT[][2] = {
  {"id", "编号"}, {"username", "用户名"}, {"display_name", "姓名"}, {"role_name", "角色"},
  {"region_name", "管辖区划"}, {"unit_name", "所属单位"}, {"disabled", "已停用"}, {"locked", "已锁定"},
  {"must_change_password", "须修改密码"}, {NULL, NULL}};

int api_users_list(struct request *req, struct reply *rep)
{
  int page, page_size;
  const char *q, *role;
  if (query_page(req, rep, &page, &page_size) != 0 || query_text(req, rep, "q", 50, &q) != 0 ||
      query_text(req, rep, "role", 32, &role) != 0)
    return -1;
  json_t *list = users_list_json(req->db, q, role, req->now, page, page_size, query_wants_xlsx(req));
  return handler_reply_list(req, rep, list, USER_EXPORT, "账号");
}

static bool username_ok(const char *s)
{
  size_t n = strlen(s);
  if (n < 3 || n > 32) return false;
  for (; *s; s++) if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-') return false;
  return true;
}

/* The scope fields a role needs: a region of the role's level, a unit, or a cadre. */
static int read_scope_fields(struct request *req, struct reply *rep, const json_t *body, struct new_user *u)
{
  const char *region = NULL;
  if (field_string(rep, body, "region_code", false, 12, &region) != 0) return -1;
  bool has_unit = false, has_cadre = false;
  if (field_int(rep, body, "unit_id", false, 1, INT64_MAX, &u->unit_id, &has_unit) != 0) return -1;
  if (field_int(rep, body, "cadre_id", false, 1, INT64_MAX, &u->cadre_id, &has_cadre) != 0) return -1;
  switch (u->role->scope_kind) {
  case SCOPE_KIND_REGION: {
    if (!region) return reply_error(rep, 400, "field_required", "该角色须指定管辖区划", "region_code");
    char path[96], level[16];
    int rc = regions_lookup(req->db, &req->scope, region, path, level);
    if (rc == DB_NOT_FOUND) return reply_error(rep, 400, "field_invalid", "管辖区划不存在", "region_code");
    if (rc != DB_OK) return reply_internal(rep);
    if (u->role->level && strcmp(u->role->level, level) != 0)
      return reply_error(rep, 400, "field_invalid", "管辖区划的层级与角色不符", "region_code");
    u->region_code = region;
    u->unit_id = u->cadre_id = 0;
    return 0;
  }
  case SCOPE_KIND_UNIT: {
    if (!has_unit) return reply_error(rep, 400, "field_required", "该角色须指定所属单位", "unit_id");
    json_t *unit = units_get_json(req->db, &req->scope, u->unit_id);
    if (!unit) return reply_error(rep, 400, "field_invalid", "所属单位不存在", "unit_id");
    json_decref(unit);
    u->cadre_id = 0;
    return 0;
  }
  case SCOPE_KIND_SELF:
    if (!has_cadre) return reply_error(rep, 400, "field_required", "驻村干部账号须关联干部档案", "cadre_id");
    u->unit_id = 0;
    return 0;
  case SCOPE_KIND_NONE:
    break;
  }
  return reply_error(rep, 403, "forbidden", "管理员账号只能在服务器控制台创建（zhucun user add）", "role");
}

/* A write on an account: created (its id set by the store; the password then taken out of the body
 * the audit row keeps), its fields changed, a password proposed or approved, unlocked, its second
 * factor reset. */
struct user_write {
  int64_t id;
  const struct new_user *u;
  json_t *body;
  const char *name, *wecom, *password;
  bool disabled, has_disabled;
  json_t *detail;
  char part[CREDENTIAL_PART_LEN + 1];
};

static int store_create(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct user_write *w = ctx;
  int rc = users_create(req->db, w->u, req->now, &w->id);
  /* the password given is only the first part of the initial one: the security administrator's
   * approval adds the second (store/credentials) */
  if (rc == DB_OK) rc = credentials_propose(req->db, req->app->vault, w->id, "create", req->user.id, w->u->password, req->now);
  if (rc == DB_OK) json_object_del(w->body, "password"); /* never into the audit log */
  return rc;
}

static int store_patch(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct user_write *w = ctx;
  int rc = DB_OK;
  if (w->name) rc = users_set_display_name(req->db, w->id, w->name);
  if (rc == DB_OK && w->wecom) rc = users_set_wecom_userid(req->db, w->id, w->wecom);
  if (rc == DB_OK && w->has_disabled) rc = users_set_disabled(req->db, w->id, w->disabled);
  return rc;
}

static int store_reset(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct user_write *w = ctx;
  /* the first part of the new password: the system administrator's approval adds the second */
  int rc = credentials_propose(req->db, req->app->vault, w->id, "reset", req->user.id, w->password, req->now);
  if (rc == DB_OK) rc = sessions_delete_for_user(req->db, w->id, NULL);
  return rc;
}

static int store_unlock(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  return users_unlock(req->db, ((const struct user_write *)ctx)->id);
}

static int store_second_factor_reset(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct user_write *w = ctx;
  int rc = second_factor_reset(req->db, w->id);
  if (rc == DB_OK) rc = sessions_delete_for_user(req->db, w->id, NULL);
  return rc;
}

/* The approval and its two audit rows, in this order: the approval, then the alert for the audit
 * administrator. */
static int store_approve(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct user_write *w = ctx;
  int rc = credentials_approve(req->db, req->app->vault, w->id, req->now, w->part);
  if (rc == DB_OK) rc = sessions_delete_for_user(req->db, w->id, NULL);
  if (rc == DB_OK) rc = handler_audit(req, "user.credential_approved", "user", req->params[0], w->detail);
  if (rc == DB_OK) rc = handler_audit(req, "alert.credential_issued", "user", req->params[0], w->detail);
  return rc;
}

static const struct write_error USERNAME_TAKEN[] = {
    {DB_CONFLICT, 409, "conflict", "用户名已存在，或关联的记录不存在", "username"}, {0}};

int api_users_post(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"username", "display_name", "role", "region_code", "unit_id", "cadre_id",
                                        "password", NULL};
  struct new_user u = {0};
  const char *role;
  int rc = -1;
  int64_t id = 0;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "username", true, 32, &u.username) != 0 ||
      field_string(rep, body, "display_name", true, 50, &u.display_name) != 0 ||
      field_string(rep, body, "role", true, 32, &role) != 0 ||
      field_string(rep, body, "password", true, 128, &u.password) != 0)
    goto out;
  if (!username_ok(u.username)) {
    rc = reply_error(rep, 400, "field_invalid", "用户名应为 3 至 32 位字母、数字、下划线、点或连字符", "username");
    goto out;
  }
  if (!(u.role = roles_find(role))) { rc = reply_error(rep, 400, "field_invalid", "角色不存在", "role"); goto out; }
  if (read_scope_fields(req, rep, body, &u) != 0) goto out;
  if (handler_check_new_password(req, rep, u.username, u.password, "password") != 0) goto out;
  u.must_change_password = true;
  struct user_write uw = {.u = &u, .body = body};
  struct write_tx w = {.store = store_create, .ctx = &uw, .errors = USERNAME_TAKEN, .action = "user.create",
                       .entity = "user", .id = &uw.id, .detail = body};
  rc = write_tx_run(req, rep, &w);
  id = uw.id;
out:
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 201, users_get_json(req->db, id, req->now));
  return 0;
}

/* The target account, which an administrator may not be: accounts of administrators are
 * changed at the console only. */
static int target_user(struct request *req, struct reply *rep, int64_t *id)
{
  if (param_id(req, rep, 0, id) != 0) return -1;
  json_t *u = users_get_json(req->db, *id, req->now);
  if (!u) return reply_not_found(req, rep, "账号不存在", NULL);
  const struct role *role = roles_find(json_string_value(json_object_get(u, "role")));
  json_decref(u);
  if (role && role->admin) return reply_error(rep, 403, "forbidden", "管理员账号只能在服务器控制台修改", NULL);
  return 0;
}

/* 企业微信账号: WeCom's userid is letters, digits and "_-.@" (1–64); "" clears it. */
static int wecom_userid_ok(struct reply *rep, const char *wecom)
{
  if (!wecom || strspn(wecom, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.@") == strlen(wecom)) return 0;
  return reply_error(rep, 400, "field_invalid", "企业微信账号只能由字母、数字和“_-.@”组成（见企业微信通讯录中的“账号”）",
                     "wecom_userid");
}

int api_users_patch(struct request *req, struct reply *rep)
{
  int64_t id;
  if (target_user(req, rep, &id) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"display_name", "disabled", "wecom_userid", NULL};
  const char *name, *wecom = NULL;
  bool disabled = false, has_disabled = false;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) == 0 && field_string(rep, body, "display_name", false, 50, &name) == 0 &&
      field_bool(rep, body, "disabled", false, &disabled, &has_disabled) == 0 &&
      field_string(rep, body, "wecom_userid", false, 64, &wecom) == 0 && wecom_userid_ok(rep, wecom) == 0) {
    struct user_write uw = {.id = id, .name = name, .wecom = wecom, .disabled = disabled, .has_disabled = has_disabled};
    struct write_tx w = {.store = store_patch, .ctx = &uw, .action = "user.update", .entity = "user",
                         .entity_id = req->params[0], .detail = body};
    rc = write_tx_run(req, rep, &w);
  }
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 200, users_get_json(req->db, id, req->now));
  return 0;
}

int api_users_reset_password(struct request *req, struct reply *rep)
{
  int64_t id;
  if (target_user(req, rep, &id) != 0) return -1;
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"password", NULL};
  const char *password;
  int rc = -1;
  json_t *u = users_get_json(req->db, id, req->now);
  const char *username = json_string_value(json_object_get(u, "username"));
  if (fields_allowed(rep, body, ALLOWED) == 0 && field_string(rep, body, "password", true, 128, &password) == 0 &&
      handler_check_new_password(req, rep, username, password, "password") == 0) {
    struct user_write uw = {.id = id, .password = password};
    struct write_tx w = {.store = store_reset, .ctx = &uw, .action = "user.reset_password", .entity = "user",
                         .entity_id = req->params[0]};
    rc = write_tx_run(req, rep, &w);
  }
  json_decref(u);
  json_decref(body);
  if (rc != 0) return -1;
  reply_json(rep, 200, users_get_json(req->db, id, req->now));
  return 0;
}

int api_users_unlock_post(struct request *req, struct reply *rep)
{
  int64_t id;
  if (target_user(req, rep, &id) != 0) return -1;
  struct user_write uw = {.id = id};
  struct write_tx w = {.store = store_unlock, .ctx = &uw, .action = "user.unlock", .entity = "user",
                       .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  json_t *user = users_get_json(req->db, id, req->now);
  if (!user) return reply_internal(rep);
  /* and the name's throttle: the real user may try again at once */
  rate_limit_forget(req->app->login_by_account, json_string_value(json_object_get(user, "username")));
  reply_json(rep, 200, user);
  return 0;
}

/* The security administrator turns an account's second factor off (a lost phone, used-up recovery
 * codes): the secret and the recovery codes are deleted, the account's sessions end, and if the
 * policy requires the factor of its role, the account must enrol again at its next login. */
int api_users_second_factor_reset(struct request *req, struct reply *rep)
{
  int64_t id;
  if (target_user(req, rep, &id) != 0) return -1;
  struct second_factor_status s;
  if (second_factor_status(req->db, id, &s) != DB_OK) return reply_internal(rep);
  if (!s.enrolled && !s.started)
    return reply_error(rep, 409, "second_factor_not_enrolled", "该账号没有启用两步验证，无需重置", NULL);
  struct user_write uw = {.id = id};
  struct write_tx w = {.store = store_second_factor_reset, .ctx = &uw, .action = "user.second_factor_reset",
                       .entity = "user", .entity_id = req->params[0]};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  json_t *user = users_get_json(req->db, id, req->now);
  if (!user) return reply_internal(rep);
  reply_json(rep, 200, user);
  return 0;
}

/* The other administrator approves a proposed credential (two-person rule of 三权分立, F3): a new
 * account is approved by the security administrator, a reset by the system administrator. The reply
 * carries the approver's part of the initial password, once; the proposer gave the first part. An
 * alert row (alert.credential_issued) tells the audit administrator. */
int api_users_approve_post(struct request *req, struct reply *rep)
{
  int64_t id, proposer = 0;
  if (target_user(req, rep, &id) != 0) return -1;
  char kind[8] = "";
  int found = credentials_pending(req->db, id, kind, &proposer);
  if (found == DB_ERROR) return reply_internal(rep);
  if (found == DB_NOT_FOUND) return reply_error(rep, 409, "nothing_to_approve", "该账号没有待批准的初始密码", NULL);
  const char *approver = strcmp(kind, "create") == 0 ? "sec_admin" : "sys_admin";
  if (strcmp(req->user.role->code, approver) != 0 || proposer == req->user.id)
    return reply_error(rep, 403, "two_person_rule",
                       strcmp(kind, "create") == 0 ? "新建账号须由安全管理员批准" : "重置密码须由系统管理员批准", NULL);
  struct user_write uw = {.id = id};
  uw.detail = json_pack("{s:s, s:I, s:I}", "kind", kind, "proposed_by", (json_int_t)proposer, "approved_by",
                        (json_int_t)req->user.id);
  struct write_tx w = {.store = store_approve, .ctx = &uw}; /* the audit rows are the store call's */
  int rc = write_tx_run(req, rep, &w);
  json_decref(uw.detail);
  json_t *user = rc == 0 ? users_get_json(req->db, id, req->now) : NULL;
  if (user) json_object_set_new(user, "password_part", json_string(uw.part));
  sodium_memzero(uw.part, sizeof uw.part);
  if (rc != 0) return -1;
  if (!user) return reply_internal(rep);
  reply_json(rep, 200, user);
  return 0;
}
