/* h_session — health, login, logout, password change, roles.
 *
 * Login answers the same 401 for an unknown user, a wrong password and a disabled account,
 * and takes the same time for each (an unknown user still costs one argon2id check), so the
 * endpoint does not tell which user names exist. Every attempt that reaches the password check is
 * audited.
 *
 * Login abuse (F4 of the 2026-12 review): failures lock a (name, address) pair, not the account, so
 * a stranger elsewhere cannot lock the real user out, and an unknown name is locked exactly like a
 * real one (store/login_guard). Two throttles (core/rate_limit) answer 429 with Retry-After before
 * any argon2id work: failures per address, and failures per name from the addresses that have
 * failed on it (the real user's first try from a clean address always goes through). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password_policy.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "http/write_tx.h"
#include "core/clock.h"
#include "core/date.h"
#include "http/server.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/login_guard.h"
#include "store/second_factor.h"
#include "core/common_passwords.h"
#include "core/rate_limit.h"

#define VERSION "0.1.0"

/* The instant the server judges by, so that a tester (and the UI, for "today") can see it:
 * {"now": "2027-01-01T09:00:00+08:00", "today": "2027-01-01", "clock_fixed": true}. */
static void add_clock(const struct request *req, json_t *out)
{
  char now[CLOCK_ISO_SIZE], today[DATE_ISO_SIZE];
  clock_format_cst(req->now, now);
  date_format_iso(req->today, today);
  json_object_set_new(out, "now", json_string(now));
  json_object_set_new(out, "today", json_string(today));
  json_object_set_new(out, "clock_fixed", json_boolean(clock_is_fixed()));
}

int api_health_get(struct request *req, struct reply *rep)
{
  int schema = db_schema_version(req->db);
  if (schema < 0) return reply_internal(rep);
  json_t *out = json_pack("{s:s, s:s, s:i}", "status", "ok", "version", VERSION, "schema_version", schema);
  if (!out) return reply_internal(rep);
  add_clock(req, out);
  reply_json(rep, 200, out);
  return 0;
}

/* What a cadre (a role that sees only their own records) finds in the menu: their own screens.
 * The managers' lists (驻村干部, 选派管理, 在村情况, 履职监督, 经费保障, 培训管理, 表彰激励) would show a
 * cadre one row of their own with an Excel button; their figures are on the cadre's 首页 instead. */
static bool cadre_screen(const char *key)
{
  static const char *const KEYS[] = {"checkin", "visits", "leaves", "reports", "discipline", "villages", "cases",
                                     "village_work", "plans", "evaluations", "allowances"};
  for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
    if (strcmp(KEYS[i], key) == 0) return true;
  return false;
}

/* The menu keys a role may open; the UI builds its menu from this list only. */
static json_t *menu_for(const struct role *role)
{
  static const struct { const char *key; perm_t perm; } ITEMS[] = {
    {"regions", PERM_REGION_READ},  {"units", PERM_UNIT_READ},           {"cadres", PERM_CADRE_READ},
    {"candidates", PERM_ASSIGN_NOMINATE}, {"assignments", PERM_ASSIGN_READ}, {"inbox", PERM_ASSIGN_APPROVE},
    {"coverage", PERM_REGION_READ | PERM_ASSIGN_READ},
    {"checkin", PERM_CHECKIN},      {"board", PERM_BOARD_READ},       {"analysis", PERM_BOARD_READ},
    {"screen", PERM_SCREEN_READ}, /* 数据大屏: the city's and counties' map for a meeting room (issue #12) */
    {"presence", PERM_PRESENCE_READ}, /* 在村情况 (2.1, 3.6) */
    {"discipline", PERM_DISCIPLINE_READ}, /* 纪律与提醒 (2.5, 2.7, 3.6) */
    {"scores", (unsigned)PERM_DISCIPLINE_READ | PERM_BOARD_READ}, /* 考评计分: units, never cadres (2.6) */
    {"users", PERM_USER_READ},      {"audit", PERM_AUDIT_READ},
    {"channels", PERM_USER_WRITE}, /* 通知渠道: robots, delivery parameters, dead letters (issue 13) */
    {"webhooks", PERM_USER_WRITE}, /* 数据推送: receivers of other systems, failed deliveries (issue 13) */
    {"api_tokens", PERM_USER_SECURITY}, /* 接口令牌: the security administrator's (issue 13) */
    {"leaves", PERM_LEAVE_REQUEST}, {"leaves", PERM_LEAVE_APPROVE}, /* 请销假: who asks, who approves (2.1, 2.4) */
    {"reports", PERM_REPORT_READ}, /* 工作报告: the cadre who sends, the township, county, city and unit who read (2.1) */
    {"compliance", PERM_OBLIGATION_READ}, /* 履职监督: the obligation matrix and roll-ups (2.2–4.5, 5.7) */
    {"supervision", PERM_SUPERVISION_WRITE}, /* 督导记录: meetings, dispatches, inquiries, hearings, visits (2.2–3.2) */
    {"funds", PERM_OBLIGATION_READ}, /* 经费保障: teams' funds and insurance (3.4, 3.5) */
    {"training", PERM_OBLIGATION_READ}, /* 培训管理: plans, events, coverage (4.1–4.5) */
    {"commendations", PERM_OBLIGATION_READ}, /* 表彰激励 (3.7) */
    {"villages", PERM_HOUSEHOLD_READ}, /* 村情: households, visits, cross-checks of each village (5.6–5.10) */
    {"visits", PERM_VISIT_WRITE}, /* 入户走访: the cadre's visit form on the phone (5.6) */
    {"cases", PERM_HOUSEHOLD_READ},        /* 监测帮扶 (5.7) */
    {"exchange", (perm_t)PERM_HOUSEHOLD_WRITE | PERM_HOUSEHOLD_REVEAL_ID}, /* 数据交换: the county and city RRB (issue 13) */
    {"village_work", PERM_HOUSEHOLD_READ}, /* 驻村工作: monitoring meetings (5.7), activities (5.1–5.5), 5.3 */
    {"plans", PERM_HOUSEHOLD_READ},        /* 帮扶计划 (5.9, 5.10) */
    {"evaluations", PERM_CADRE_READ},      /* 考核: rounds, 述职, 民主测评, opinions, results (issue #12) */
    {"upward_reports", (unsigned)PERM_DISCIPLINE_WRITE | PERM_REPORT_READ}, /* 上报材料: townships, counties, the city (issue #12) */
    {"allowances", PERM_FUNDS_WRITE},      /* 补助核算: the units' monthly sheets, the county's reading (3.4b) */
    {"allowances", PERM_CHECKIN},          /* 我的补助: a cadre's own lines (3.4b) */
  };
  json_t *menu = json_array();
  json_array_append_new(menu, json_string("home"));
  for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++)
    if (roles_can(role, ITEMS[i].perm) && (role->scope_kind != SCOPE_KIND_SELF || cadre_screen(ITEMS[i].key)))
      json_array_append_new(menu, json_string(ITEMS[i].key));
  json_array_append_new(menu, json_string("basis")); /* 制度依据: the rules in words, for every role */
  if (role && role->admin) json_array_append_new(menu, json_string("policy")); /* 政策参数: the raw file */
  return menu;
}

/* The session as the UI sees it; the user's must_change_password and must_enrol_second_factor say
 * what the account must do before anything else (the router refuses the rest). */
static json_t *session_body(const struct request *req, const struct auth_user *me)
{
  json_t *user = users_get_json(req->db, me->id, req->now);
  if (!user) return NULL;
  if (me->must_change_password) json_object_set_new(user, "must_change_password", json_true());
  json_object_set_new(user, "must_enrol_second_factor", json_boolean(me->must_enrol_second_factor));
  json_object_set_new(user, "second_factor_required",
                      json_boolean(settings_second_factor_required(&req->app->security, me->role)));
  const struct role *role = roles_find(json_string_value(json_object_get(user, "role")));
  json_t *out = json_pack("{s:o, s:s, s:o}", "user", user, "csrf_token", me->csrf_token, "menu", menu_for(role));
  if (out) add_clock(req, out); /* the UI's "today" is the server's, never the phone's */
  return out;
}

static int audit_login(struct request *req, int64_t user_id, const char *username, const char *action,
                       const char *reason)
{
  json_t *detail = json_pack("{s:s}", "reason", reason);
  char *text = json_dumps(detail, JSON_COMPACT);
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)user_id);
  struct audit_entry e = {user_id, username, action, "user", id, req->ip, text, req->now};
  int rc = audit_append(req->db, &e);
  free(text);
  json_decref(detail);
  return rc;
}

/* A login's writes (http/write_tx). There is no session yet, so each store callback appends its own
 * audit row in the name of the user logging in (audit_login) and the description has no action. */
struct login_write {
  int64_t user_id;
  const char *username;
  const char *reason; /* a failure's; a success's factor: "password", "totp" or "recovery_code" */
  int64_t until;      /* a failure that locked the (name, address) pair: until when */
  char token[65], csrf[65];
};

/* A failed attempt: counted for the (name, address) pair, which it may lock, and audited. */
static int store_failure(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct login_write *l = ctx;
  int rc = login_guard_failure(req->db, l->username, req->ip, &req->app->security, req->now, &l->until);
  if (rc == DB_OK)
    rc = audit_login(req, l->user_id, l->username, l->until ? "session.locked" : "session.login_failed", l->reason);
  return rc;
}

/* The password (and code) were right: the pair starts afresh, a session, audited. */
static int store_success(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct login_write *l = ctx;
  int rc = users_record_success(req->db, l->user_id);
  if (rc == DB_OK) rc = login_guard_success(req->db, l->username, req->ip);
  if (rc == DB_OK) rc = sessions_create(req->db, l->user_id, req->ip, req->now, l->token, l->csrf);
  if (rc == DB_OK)
    rc = audit_login(req, l->user_id, l->username, "session.login", strcmp(l->reason, "password") ? l->reason : "ok");
  return rc;
}

/* The password was right and a second step is due: the pending login, audited. */
static int store_pending(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct login_write *l = ctx;
  int rc = login_pending_create(req->db, l->user_id, l->username, req->ip, req->now, l->token);
  if (rc == DB_OK) rc = audit_login(req, l->user_id, l->username, "session.password_ok", "second factor required");
  return rc;
}

/* "请于 N 分钟后重试" for a lock that ends at until */
static int lock_answer(struct request *req, struct reply *rep, int64_t until)
{
  char msg[160];
  snprintf(msg, sizeof msg, "登录失败次数过多，已暂停从此地址登录该账号，请于 %lld 分钟后重试或联系安全管理员",
           (long long)((until - req->now + 59) / 60));
  return reply_error(rep, 423, "account_locked", msg, NULL);
}

/* A failed attempt: charge both throttles, count it for the (name, address) pair, maybe lock the
 * pair, audit — in one transaction. A known and an unknown name take exactly these steps. */
static int login_failed(struct request *req, struct reply *rep, int64_t user_id, const char *username,
                        const char *reason, bool second_step)
{
  double t = clock_monotonic_ms();
  rate_limit_charge(req->app->login_by_address, req->ip, t);
  rate_limit_charge(req->app->login_by_account, username, t);
  struct login_write l = {user_id, username, reason, 0, "", ""};
  struct write_tx w = {.store = store_failure, .ctx = &l};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  /* committed: the failure counts even though the answer is a refusal */
  if (l.until) return lock_answer(req, rep, l.until);
  if (second_step)
    return reply_error(rep, 401, "second_factor_failed", "动态验证码不正确或已经用过，请输入验证器上的新验证码", "code");
  return reply_error(rep, 401, "login_failed", "用户名或密码错误", NULL);
}

/* 429 with Retry-After: too many failures from this address, or on this name from addresses that
 * have failed on it. Neither costs an argon2id check or an audit row, so a flood is cheap to refuse. */
static int throttled(struct request *req, struct reply *rep, const char *username, bool failed_before)
{
  double t = clock_monotonic_ms();
  int wait = rate_limit_wait(req->app->login_by_address, req->ip, t);
  if (!wait && failed_before) wait = rate_limit_wait(req->app->login_by_account, username, t);
  if (!wait) return 0;
  char msg[120];
  snprintf(msg, sizeof msg, "登录尝试过于频繁，请 %d 秒后再试", wait);
  reply_error(rep, 429, "rate_limited", msg, NULL);
  rep->retry_after = wait;
  return -1;
}

static void set_session_cookie(struct request *req, struct reply *rep, const char *token)
{
  char cookie[256];
  snprintf(cookie, sizeof cookie, "zc_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
           req->app->secure_cookie || req->https ? "; Secure" : "");
  rep->set_cookie = strdup(cookie);
}

/* The lock of the (name, address) pair and the two throttles, before any password or code is
 * judged: 0 to go on, or -1 with the 423 or 429 written. */
static int login_gate(struct request *req, struct reply *rep, const char *username)
{
  int64_t locked_until;
  bool failed_before;
  if (login_guard_state(req->db, username, req->ip, req->now, &locked_until, &failed_before) != DB_OK)
    return reply_internal(rep);
  if (locked_until) {
    /* a locked pair is refused before the name is looked up: the same answer, known or not */
    rate_limit_charge(req->app->login_by_address, req->ip, clock_monotonic_ms());
    lock_answer(req, rep, locked_until);
    return -1;
  }
  return throttled(req, rep, username, failed_before);
}

/* The new session's cookie and body. */
static int session_answer(struct request *req, struct reply *rep, const char *token)
{
  struct auth_user me;
  if (sessions_lookup(req->db, token, &req->app->security, req->now, &me) != DB_OK) return reply_internal(rep);
  json_t *reply = session_body(req, &me);
  if (!reply) return reply_internal(rep);
  set_session_cookie(req, rep, token);
  reply_json(rep, 200, reply);
  return 0;
}

/* The password was right and nothing stands in the way: a session, its cookie and the session body.
 * The (name, address) pair starts afresh only here, so that failed codes after a right password
 * keep counting towards the pair's lock. factor: "password", "totp" or "recovery_code". */
static int login_complete(struct request *req, struct reply *rep, int64_t user_id, const char *username,
                          const char *factor)
{
  struct login_write l = {user_id, username, factor, 0, "", ""};
  struct write_tx w = {.store = store_success, .ctx = &l};
  int rc = write_tx_run(req, rep, &w);
  if (rc == 0) rc = session_answer(req, rep, l.token);
  sodium_memzero(&l, sizeof l);
  return rc;
}

/* An enrolled account's password was right: 200 {"second_factor_required": true, "pending_token"},
 * and the code goes to POST /session/totp within second_factor_pending_minutes. No session yet. */
static int second_step_needed(struct request *req, struct reply *rep, int64_t user_id, const char *username)
{
  struct login_write l = {user_id, username, NULL, 0, "", ""};
  struct write_tx w = {.store = store_pending, .ctx = &l};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  json_t *out = json_pack("{s:b, s:s, s:i}", "second_factor_required", 1, "pending_token", l.token,
                          "expires_in_seconds", req->app->security.second_factor_pending_minutes * 60);
  sodium_memzero(&l, sizeof l);
  if (!out) return reply_internal(rep);
  reply_json(rep, 200, out);
  return 0;
}

int api_session_login(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"username", "password", NULL};
  const char *username, *password;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "username", true, 64, &username) != 0 ||
      field_string(rep, body, "password", true, 128, &password) != 0)
    goto out;

  if (login_gate(req, rep, username) != 0) goto out;
  struct login_row row;
  int found = users_find_login(req->db, username, &row);
  if (found == DB_ERROR) { rc = reply_internal(rep); goto out; }
  if (found == DB_NOT_FOUND) {
    /* the same work as a real check, so timing does not reveal unknown names */
    users_check_password(users_dummy_hash(), password);
    rc = login_failed(req, rep, 0, username, "unknown user", false);
    goto out;
  }
  bool ok = users_check_password(row.password_hash, password);
  sodium_memzero(row.password_hash, sizeof row.password_hash);
  if (!ok || row.disabled) {
    rc = login_failed(req, rep, row.id, username, row.disabled ? "disabled" : "bad password", false);
    goto out;
  }
  struct second_factor_status sf;
  if (second_factor_status(req->db, row.id, &sf) != DB_OK) { rc = reply_internal(rep); goto out; }
  rc = sf.enrolled ? second_step_needed(req, rep, row.id, username) : login_complete(req, rep, row.id, username, "password");
out:
  json_decref(body);
  return rc;
}

/* The second step's code or recovery code, judged; a right one ends the pending login. */
struct code_check {
  int64_t user_id;
  const char *pending_token, *code, *recovery;
  enum totp_verdict verdict;
  bool ok;
};

static int store_code_check(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct code_check *c = ctx;
  int rc;
  if (c->code) {
    rc = second_factor_check(req->db, req->app->vault, c->user_id, req->now, c->code, &c->verdict);
    c->ok = rc == DB_OK && c->verdict == TOTP_OK;
  } else {
    rc = second_factor_use_recovery(req->db, req->app->vault, c->user_id, c->recovery, req->now, &c->ok);
  }
  if (rc == DB_OK && c->ok) rc = login_pending_delete(req->db, c->pending_token);
  return rc;
}

/* POST /session/totp {"pending_token", "code" | "recovery_code"}: the second step of an enrolled
 * account's login. A wrong, used or replayed code is a failed login of the (name, address) pair:
 * it charges both throttles and counts towards the pair's lock, exactly like a wrong password. */
int api_session_totp(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"pending_token", "code", "recovery_code", NULL};
  const char *token, *code = NULL, *recovery = NULL;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "pending_token", true, 64, &token) != 0 ||
      field_string(rep, body, "code", false, 16, &code) != 0 ||
      field_string(rep, body, "recovery_code", false, 32, &recovery) != 0)
    goto out;
  if (!code == !recovery) {
    rc = reply_error(rep, 400, "field_required", "请输入 6 位动态验证码，或一个恢复码", "code");
    goto out;
  }
  int64_t user_id;
  char username[64];
  int found = login_pending_find(req->db, token, req->ip, req->now,
                                 (int64_t)req->app->security.second_factor_pending_minutes * 60, &user_id, username);
  if (found == DB_ERROR) { rc = reply_internal(rep); goto out; }
  if (found == DB_NOT_FOUND) {
    rc = reply_error(rep, 401, "second_factor_expired", "验证已超时，请重新输入用户名和密码", NULL);
    goto out;
  }
  if (login_gate(req, rep, username) != 0) goto out;
  struct login_row row;
  int known = users_find_login(req->db, username, &row);
  if (known == DB_ERROR) { rc = reply_internal(rep); goto out; }
  sodium_memzero(row.password_hash, sizeof row.password_hash);
  if (known == DB_NOT_FOUND || row.disabled || row.id != user_id) { /* disabled since the password step */
    rc = login_failed(req, rep, user_id, username, "disabled", true);
    goto out;
  }
  /* the code judged (and spent, when right) in a write of its own; a wrong one is then a failure */
  struct code_check c = {user_id, token, code, recovery, TOTP_WRONG, false};
  struct write_tx w = {.store = store_code_check, .ctx = &c};
  if (write_tx_run(req, rep, &w) != 0) goto out;
  if (!c.ok) {
    const char *why = recovery ? "bad recovery code" : c.verdict == TOTP_REPLAY ? "code used before" : "bad code";
    rc = login_failed(req, rep, user_id, username, why, true);
    goto out;
  }
  rc = login_complete(req, rep, user_id, username, recovery ? "recovery_code" : "totp");
out:
  json_decref(body);
  return rc;
}

int api_session_get(struct request *req, struct reply *rep)
{
  json_t *body = session_body(req, &req->user);
  if (!body) return reply_internal(rep);
  reply_json(rep, 200, body);
  return 0;
}

/* The caller's own session writes: ended, a new password, the password or code asked again. */
struct own_write {
  const char *new_password, *password, *code;
  bool ok;
};

static int store_logout(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  (void)ctx;
  return sessions_delete(req->db, req->user.token_hash);
}

static int store_password(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  const struct own_write *o = ctx;
  int w = users_set_password(req->db, req->user.id, o->new_password, false, req->now);
  if (w == DB_OK) w = sessions_delete_for_user(req->db, req->user.id, req->user.token_hash);
  return w;
}

static int reauth_judge(struct request *req, const char *password, const char *code, bool *ok);

/* The judgement, and its audit row: which one depends on it. */
static int store_reauth(struct request *req, struct reply *rep, void *ctx)
{
  (void)rep;
  struct own_write *o = ctx;
  int w = reauth_judge(req, o->password, o->code, &o->ok);
  if (w == DB_OK && !o->ok) rate_limit_charge(req->app->login_by_account, req->user.username, clock_monotonic_ms());
  if (w == DB_OK && o->ok) w = sessions_set_reauth(req->db, req->user.token_hash, req->now);
  if (w == DB_OK) w = handler_audit(req, o->ok ? "session.reauth" : "session.reauth_failed", "user", NULL, NULL);
  return w;
}

int api_session_logout(struct request *req, struct reply *rep)
{
  struct write_tx w = {.store = store_logout, .action = "session.logout", .entity = "user"};
  if (write_tx_run(req, rep, &w) != 0) return -1;
  rep->set_cookie = strdup("zc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  reply_no_content(rep);
  return 0;
}

/* Checks a new password against the rules; writes the 400 reply when it fails. */
int handler_check_new_password(struct request *req, struct reply *rep, const char *username, const char *password,
                               const char *field)
{
  struct password_policy policy = {req->app->security.password_min_length, req->app->security.password_min_classes};
  enum password_verdict v = password_policy_check(&policy, username, password);
  char why[200];
  if (v != PASSWORD_OK)
    return reply_error(rep, 400, password_policy_code(v), password_policy_explain_zh(v, &policy, why, sizeof why), field);
  if (common_passwords_has(req->app->common_passwords, password))
    return reply_error(rep, 400, "password_common", "密码过于常见或有规律，容易被猜中，请换一个", field);
  return 0;
}

int api_session_change_password(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"old_password", "new_password", NULL};
  const char *old_pw, *new_pw;
  int rc = -1;
  char hash[160];
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "old_password", true, 128, &old_pw) != 0 ||
      field_string(rep, body, "new_password", true, 128, &new_pw) != 0)
    goto out;
  if (users_password_hash(req->db, req->user.id, hash, sizeof hash) != DB_OK) { rc = reply_internal(rep); goto out; }
  if (!users_check_password(hash, old_pw)) {
    rc = reply_error(rep, 400, "password_wrong", "原密码不正确", "old_password");
    goto out;
  }
  if (strcmp(old_pw, new_pw) == 0) {
    rc = reply_error(rep, 400, "password_reused", "新密码不能与原密码相同", "new_password");
    goto out;
  }
  if (handler_check_new_password(req, rep, req->user.username, new_pw, "new_password") != 0) goto out;
  bool reused = false;
  if (users_password_reused(req->db, req->user.id, new_pw, &reused) != DB_OK) { rc = reply_internal(rep); goto out; }
  if (reused) {
    rc = reply_error(rep, 400, "password_reused", "新密码不能与最近使用过的 5 个密码相同", "new_password");
    goto out;
  }
  struct own_write o = {.new_password = new_pw};
  struct write_tx w = {.store = store_password, .ctx = &o, .action = "user.change_password", .entity = "user"};
  rc = write_tx_run(req, rep, &w);
  if (rc == 0) reply_no_content(rep);
out:
  json_decref(body);
  return rc;
}

int api_roles_list(struct request *req, struct reply *rep)
{
  int n;
  const struct role *roles = roles_all(&n);
  json_t *items = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b, s:s?}", "code", roles[i].code, "name",
                                           roles[i].name_zh, "scope_kind", roles_scope_kind_name(roles[i].scope_kind),
                                           "admin", roles[i].admin, "level", roles[i].level));
  reply_json(rep, 200, json_pack("{s:o}", "items", items));
  return 0;
}

/* POST /session/reauth {"password"} or {"code"}: the user proves it is still them before revealing
 * full ID numbers (http/reveal_gate): the password again, or, for an account with the second factor
 * on, a fresh code of the authenticator. A wrong one counts against the name's login throttle like a
 * failed login, so that a stolen session cannot be used to guess either. */
static int reauth_judge(struct request *req, const char *password, const char *code, bool *ok)
{
  *ok = false;
  if (code) {
    enum totp_verdict verdict;
    int w = second_factor_check(req->db, req->app->vault, req->user.id, req->now, code, &verdict);
    *ok = w == DB_OK && verdict == TOTP_OK;
    return w;
  }
  char hash[160];
  if (users_password_hash(req->db, req->user.id, hash, sizeof hash) != DB_OK) return DB_ERROR;
  *ok = users_check_password(hash, password);
  sodium_memzero(hash, sizeof hash);
  return DB_OK;
}

int api_session_reauth(struct request *req, struct reply *rep)
{
  json_t *body;
  if (body_object(req, rep, &body) != 0) return -1;
  static const char *const ALLOWED[] = {"password", "code", NULL};
  const char *password = NULL, *code = NULL;
  int rc = -1;
  if (fields_allowed(rep, body, ALLOWED) != 0 || field_string(rep, body, "password", false, 128, &password) != 0 ||
      field_string(rep, body, "code", false, 16, &code) != 0)
    goto out;
  if (!password == !code) {
    rc = reply_error(rep, 400, "field_required", "请输入登录密码，或 6 位动态验证码", "password");
    goto out;
  }
  if (code && !req->user.second_factor_enrolled) {
    rc = reply_error(rep, 400, "second_factor_not_enrolled", "本账号未启用两步验证，请输入登录密码", "code");
    goto out;
  }
  if (throttled(req, rep, req->user.username, true) != 0) goto out;
  struct own_write o = {.password = password, .code = code};
  struct write_tx w = {.store = store_reauth, .ctx = &o}; /* the audit row is the store call's: it names the verdict */
  rc = write_tx_run(req, rep, &w);
  bool ok = o.ok;
  if (rc == 0 && !ok && code)
    rc = reply_error(rep, 400, "second_factor_failed", "动态验证码不正确或已经用过", "code");
  else if (rc == 0 && !ok)
    rc = reply_error(rep, 400, "password_wrong", "密码不正确", "password");
  if (rc == 0) reply_no_content(rep);
out:
  json_decref(body);
  return rc;
}
