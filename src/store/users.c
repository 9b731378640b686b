/* users — accounts and sessions.
 *
 * Passwords: argon2id through libsodium with OWASP's parameters (19 MiB, 2 passes): strong,
 * yet cheap enough that a township's morning logins do not queue. Session tokens: 256 random
 * bits, given to the browser once; the table keeps only their SHA-256, so a stolen database
 * file opens no session. A password change or a disabled account ends every session. */
#include "store/users.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/list_sql.h"
#include "store/query.h"

#define PWHASH_OPS 2
#define PWHASH_MEM (19u * 1024 * 1024)

int users_hash_password(const char *password, char *out, size_t outlen)
{
  if (outlen < crypto_pwhash_STRBYTES) return DB_ERROR;
  if (crypto_pwhash_str_alg(out, password, strlen(password), PWHASH_OPS, PWHASH_MEM,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return DB_ERROR;
  return DB_OK;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
  if (users_hash_password("zhucun-dummy-password", dummy_hash, sizeof dummy_hash) != DB_OK) dummy_hash[0] = '\0';
}

const char *users_dummy_hash(void)
{
  pthread_once(&dummy_once, make_dummy_hash);
  return dummy_hash;
}

bool users_check_password(const char *hash, const char *password)
{
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int users_find_login(struct db *db, const char *username, struct login_row *out)
{
  memset(out, 0, sizeof *out);
  struct query *q = query_open(db,
      "SELECT id AS id, password_hash AS password_hash, failed_logins AS failed_logins, locked_until AS locked_until,"
      " disabled AS disabled FROM \"user\" WHERE username = :username");
  query_bind_text(q, ":username", username);
  bool found = query_next(q);
  if (found) {
    out->id = query_get_int(q, "id");
    snprintf(out->password_hash, sizeof out->password_hash, "%s", query_get_text(q, "password_hash"));
    out->failed_logins = (int)query_get_int(q, "failed_logins");
    out->locked_until = query_get_int(q, "locked_until");
    out->disabled = query_get_int(q, "disabled") != 0;
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* A write of one row by :id; DB_NOT_FOUND when it changed none. */
static int exec_id(struct db *db, const char *sql, int64_t id)
{
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":id", id);
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  return rc != DB_OK ? rc : changed ? DB_OK : DB_NOT_FOUND;
}

int users_record_success(struct db *db, int64_t id)
{
  return exec_id(db, "UPDATE \"user\" SET failed_logins = 0, locked_until = 0 WHERE id = :id", id);
}

static void random_hex(char out[65])
{
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(out, 65, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

static void token_hash(const char *token, unsigned char out[32])
{
  crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int sessions_create(struct db *db, int64_t user_id, const char *ip, int64_t now, char token_out[65], char csrf_out[65])
{
  random_hex(token_out);
  random_hex(csrf_out);
  unsigned char hash[32];
  token_hash(token_out, hash);
  struct query *q = query_open(db,
      "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, ip)"
      " VALUES (:hash, :user, :csrf, :now, :now, :ip)");
  query_bind_blob(q, ":hash", hash, sizeof hash);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":csrf", csrf_out);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":ip", ip);
  return query_exec(q);
}

int sessions_set_reauth(struct db *db, const unsigned char hash[32], int64_t now)
{
  struct query *q = query_open(db, "UPDATE session SET reauth_at = :now WHERE token_hash = :hash");
  query_bind_blob(q, ":hash", hash, 32);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}

int sessions_reauth_at(struct db *db, const unsigned char hash[32], int64_t *at)
{
  *at = 0;
  struct query *q = query_open(db, "SELECT reauth_at AS reauth_at FROM session WHERE token_hash = :hash");
  query_bind_blob(q, ":hash", hash, 32);
  if (query_next(q)) *at = query_get_int(q, "reauth_at");
  return query_close(q);
}

int sessions_delete(struct db *db, const unsigned char hash[32])
{
  struct query *q = query_open(db, "DELETE FROM session WHERE token_hash = :hash");
  query_bind_blob(q, ":hash", hash, 32);
  return query_exec(q);
}

int sessions_delete_for_user(struct db *db, int64_t user_id, const unsigned char *except_hash)
{
  struct query *q = query_open(db, "DELETE FROM session WHERE user_id = :user AND (token_hash <> :except OR :except IS NULL)");
  query_bind_int(q, ":user", user_id);
  query_bind_blob(q, ":except", except_hash, 32); /* NULL (no session kept): binds NULL */
  return query_exec(q);
}

/* Touching last_seen_at on every request would make every read a write; a minute's
 * resolution is enough for an idle timeout counted in tens of minutes. */
#define TOUCH_RESOLUTION_S 60

static void fill_auth_user(struct query *q, struct auth_user *out)
{
  out->id = query_get_int(q, "id");
  snprintf(out->username, sizeof out->username, "%s", query_get_text(q, "username"));
  snprintf(out->display_name, sizeof out->display_name, "%s", query_get_text(q, "display_name"));
  out->role = roles_find(query_get_text(q, "role"));
  snprintf(out->region_code, sizeof out->region_code, "%s", query_get_text(q, "region_code"));
  out->unit_id = query_get_int(q, "unit_id");
  out->cadre_id = query_get_int(q, "cadre_id");
  out->must_change_password = query_get_int(q, "must_change_password") != 0;
  snprintf(out->csrf_token, sizeof out->csrf_token, "%s", query_get_text(q, "csrf_token"));
}

/* The session's times and its user's state, as sessions_lookup judges them. */
struct session_times {
  int64_t created, seen, changed_at;
  bool disabled;
};

/* The session of out->token_hash and its user into out and *t: DB_OK, DB_NOT_FOUND or a failure. */
static int session_read(struct db *db, struct auth_user *out, struct session_times *t)
{
  struct query *q = query_open(db,
      "SELECT u.id AS id, u.username AS username, u.display_name AS display_name, u.role AS role,"
      " coalesce(u.region_code, '') AS region_code, coalesce(u.unit_id, 0) AS unit_id,"
      " coalesce(u.cadre_id, 0) AS cadre_id, u.must_change_password AS must_change_password,"
      " s.csrf_token AS csrf_token, s.created_at AS created_at, s.last_seen_at AS last_seen_at,"
      " u.disabled AS disabled, u.password_changed_at AS password_changed_at,"
      " EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at > 0) AS second_factor"
      " FROM session s JOIN \"user\" u ON u.id = s.user_id WHERE s.token_hash = :hash");
  query_bind_blob(q, ":hash", out->token_hash, 32);
  bool found = query_next(q);
  if (found) {
    fill_auth_user(q, out);
    t->created = query_get_int(q, "created_at");
    t->seen = query_get_int(q, "last_seen_at");
    t->disabled = query_get_int(q, "disabled") != 0;
    t->changed_at = query_get_int(q, "password_changed_at");
    out->second_factor_enrolled = query_get_int(q, "second_factor") != 0;
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int sessions_lookup(struct db *db, const char *token, const struct security_settings *s, int64_t now,
                    struct auth_user *out)
{
  memset(out, 0, sizeof *out);
  if (!token || strlen(token) != 64) return DB_NOT_FOUND;
  token_hash(token, out->token_hash);
  struct session_times t = {0};
  int rc = session_read(db, out, &t);
  if (rc != DB_OK) return rc;

  bool expired = t.disabled || !out->role || now - t.seen > (int64_t)s->idle_timeout_minutes * 60 ||
                 now - t.created > (int64_t)s->absolute_timeout_hours * 3600;
  if (expired) {
    sessions_delete(db, out->token_hash);
    return DB_NOT_FOUND;
  }
  if (s->password_max_age_days > 0 && now - t.changed_at > (int64_t)s->password_max_age_days * 86400)
    out->must_change_password = true;
  out->must_enrol_second_factor = !out->second_factor_enrolled && settings_second_factor_required(s, out->role);
  if (now - t.seen >= TOUCH_RESOLUTION_S) {
    struct query *touch = query_open(db, "UPDATE session SET last_seen_at = :now WHERE token_hash = :hash");
    query_bind_blob(touch, ":hash", out->token_hash, 32);
    query_bind_int(touch, ":now", now);
    rc = query_exec(touch);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

int users_create(struct db *db, const struct new_user *u, int64_t now, int64_t *id_out)
{
  char hash[crypto_pwhash_STRBYTES];
  if (users_hash_password(u->password, hash, sizeof hash) != DB_OK) return DB_ERROR;
  struct query *q = query_open(db,
      "INSERT INTO \"user\" (username, display_name, role, region_code, unit_id, cadre_id, password_hash,"
      " must_change_password, password_changed_at, created_at)"
      " VALUES (:username, :display_name, :role, :region, :unit, :cadre, :hash, :must_change, :now, :now)"
      " RETURNING id");
  query_bind_text(q, ":username", u->username);
  query_bind_text(q, ":display_name", u->display_name);
  query_bind_text(q, ":role", u->role->code);
  query_bind_text(q, ":region", u->region_code);
  query_bind_int_or_null(q, ":unit", u->unit_id);
  query_bind_int_or_null(q, ":cadre", u->cadre_id);
  query_bind_text(q, ":hash", hash);
  query_bind_int(q, ":must_change", u->must_change_password);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

#define USER_COLUMNS \
  "u.id AS id, u.username AS username, u.display_name AS display_name, u.role AS role," \
  " u.region_code AS region_code, r.name AS region_name, u.unit_id AS unit_id, un.name AS unit_name," \
  " u.cadre_id AS cadre_id, u.must_change_password AS must_change_password, u.disabled AS disabled," \
  " EXISTS (SELECT 1 FROM login_guard g WHERE g.username = u.username AND g.locked_until > :now) AS locked," \
  " (SELECT p.kind FROM credential_proposal p WHERE p.user_id = u.id) AS pending_approval," \
  " EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at > 0) AS second_factor_enrolled," \
  " u.wecom_userid AS wecom_userid"
#define USER_FROM \
  "\"user\" u LEFT JOIN region r ON r.code = u.region_code LEFT JOIN unit un ON un.id = u.unit_id"

static json_t *nullable_int(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_integer(query_get_int(q, alias));
}

static json_t *nullable_text(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_string(query_get_text(q, alias));
}

static json_t *user_row_json(struct query *q)
{
  const char *role_code = query_get_text(q, "role");
  const struct role *role = roles_find(role_code);
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:o, s:b, s:o}",
                   "id", (json_int_t)query_get_int(q, "id"), "username", query_get_text(q, "username"),
                   "display_name", query_get_text(q, "display_name"), "role", role_code,
                   "role_name", role ? role->name_zh : "", "region_code", nullable_text(q, "region_code"),
                   "region_name", nullable_text(q, "region_name"), "unit_id", nullable_int(q, "unit_id"),
                   "unit_name", nullable_text(q, "unit_name"), "cadre_id", nullable_int(q, "cadre_id"),
                   "must_change_password", (int)query_get_int(q, "must_change_password"),
                   "disabled", (int)query_get_int(q, "disabled"), "locked", (int)query_get_int(q, "locked"),
                   /* "create" / "reset": 待批准 (store/credentials) */
                   "pending_approval", nullable_text(q, "pending_approval"),
                   /* 两步验证 on (store/second_factor) */
                   "second_factor_enrolled", (int)query_get_int(q, "second_factor_enrolled"),
                   "wecom_userid", nullable_text(q, "wecom_userid")); /* 企业微信账号 (issue 13) */
}

json_t *users_get_json(struct db *db, int64_t id, int64_t now)
{
  struct query *q = query_open(db, "SELECT " USER_COLUMNS " FROM " USER_FROM " WHERE u.id = :id");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  json_t *out = query_next(q) ? user_row_json(q) : NULL;
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

json_t *users_list_json(struct db *db, const char *q, const char *role, int64_t now, int page, int page_size, bool all)
{
  const struct sql_param params[] = {{":q", q ? q : "", 0}, {":role", role ? role : "", 0}, {":now", NULL, now}};
  return query_list(db, USER_COLUMNS,
                    USER_FROM " WHERE (:q = '' OR u.username LIKE '%' || :q || '%' OR u.display_name LIKE '%' || :q || '%')"
                    " AND (:role = '' OR u.role = :role)",
                    "u.id", params, 3, NULL, user_row_json, page, all ? 0 : page_size);
}

int users_set_disabled(struct db *db, int64_t id, bool disabled)
{
  int rc = exec_id(db, disabled ? "UPDATE \"user\" SET disabled = 1 WHERE id = :id" : "UPDATE \"user\" SET disabled = 0 WHERE id = :id", id);
  if (rc == DB_OK && disabled) rc = sessions_delete_for_user(db, id, NULL);
  return rc;
}

int users_set_display_name(struct db *db, int64_t id, const char *name)
{
  struct query *q = query_open(db, "UPDATE \"user\" SET display_name = :name WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":name", name);
  return query_exec(q);
}

int users_set_wecom_userid(struct db *db, int64_t id, const char *wecom_userid)
{
  struct query *q = query_open(db, "UPDATE \"user\" SET wecom_userid = nullif(:wecom, '') WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":wecom", wecom_userid);
  return query_exec(q);
}

/* The hash being replaced goes to password_history (schema 022); only the last
 * USERS_PASSWORD_HISTORY are kept. */
static int keep_history(struct db *db, int64_t id, int64_t now)
{
  struct query *q = query_open(db, "INSERT INTO password_history (user_id, password_hash, replaced_at)"
                                   " SELECT id, password_hash, :now FROM \"user\" WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":now", now);
  int rc = query_exec(q);
  if (rc != DB_OK) return rc;
  q = query_open(db, "DELETE FROM password_history WHERE user_id = :id AND id NOT IN"
                     " (SELECT id FROM password_history WHERE user_id = :id ORDER BY id DESC LIMIT :keep)");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":keep", USERS_PASSWORD_HISTORY);
  return query_exec(q);
}

int users_password_reused(struct db *db, int64_t id, const char *password, bool *reused)
{
  *reused = false;
  struct query *q = query_open(db, "SELECT password_hash AS password_hash FROM \"user\" WHERE id = :id UNION ALL"
                                   " SELECT password_hash FROM (SELECT password_hash FROM password_history"
                                   " WHERE user_id = :id ORDER BY id DESC LIMIT :keep) AS h");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":keep", USERS_PASSWORD_HISTORY);
  while (!*reused && query_next(q)) *reused = users_check_password(query_get_text(q, "password_hash"), password);
  return query_close(q);
}

int users_set_password(struct db *db, int64_t id, const char *password, bool must_change, int64_t now)
{
  char hash[crypto_pwhash_STRBYTES];
  if (users_hash_password(password, hash, sizeof hash) != DB_OK) return DB_ERROR;
  if (keep_history(db, id, now) != DB_OK) return DB_ERROR;
  struct query *q = query_open(db,
      "UPDATE \"user\" SET password_hash = :hash, must_change_password = :must_change, password_changed_at = :now,"
      " failed_logins = 0, locked_until = 0 WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":hash", hash);
  query_bind_int(q, ":must_change", must_change);
  query_bind_int(q, ":now", now);
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  return rc != DB_OK ? rc : changed ? DB_OK : DB_NOT_FOUND;
}

/* Every (name, address) lock of the account (store/login_guard, schema 020) goes. */
int users_unlock(struct db *db, int64_t id)
{
  return exec_id(db, "DELETE FROM login_guard WHERE username = (SELECT username FROM \"user\" WHERE id = :id)", id);
}

int users_password_hash(struct db *db, int64_t id, char *out, size_t outlen)
{
  struct query *q = query_open(db, "SELECT password_hash AS password_hash FROM \"user\" WHERE id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  if (found) snprintf(out, outlen, "%s", query_get_text(q, "password_hash"));
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int users_find_id(struct db *db, const char *username, int64_t *id_out)
{
  struct login_row row;
  int rc = users_find_login(db, username, &row);
  *id_out = row.id;
  return rc;
}

int users_any(struct db *db, bool *any)
{
  struct query *q = query_open(db, "SELECT EXISTS (SELECT 1 FROM \"user\") AS any_user");
  bool found = query_next(q), some = found && query_get_int(q, "any_user") != 0;
  bool ok = query_close(q) == DB_OK && found;
  *any = ok && some;
  return ok ? DB_OK : DB_ERROR;
}
