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

#include "store/db_sqlite.h"
#include "store/list_sql.h"
#include "store/vw_sql.h"

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
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, password_hash, failed_logins, locked_until, disabled FROM user WHERE username = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    snprintf(out->password_hash, sizeof out->password_hash, "%s", db_col_text(st, 1));
    out->failed_logins = sqlite3_column_int(st, 2);
    out->locked_until = sqlite3_column_int64(st, 3);
    out->disabled = sqlite3_column_int(st, 4) != 0;
  }
  sqlite3_reset(st);
  if (rc == SQLITE_ROW) return DB_OK;
  return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

static int exec_id(struct db *db, const char *sql, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_NOT_FOUND;
}

int users_record_success(struct db *db, int64_t id)
{
  return exec_id(db, "UPDATE user SET failed_logins = 0, locked_until = 0 WHERE id = ?1", id);
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
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, ip)"
      " VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
  if (!st) return DB_ERROR;
  sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, user_id);
  sqlite3_bind_text(st, 3, csrf_out, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, now);
  sqlite3_bind_text(st, 5, ip, -1, SQLITE_STATIC);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int sessions_set_reauth(struct db *db, const unsigned char hash[32], int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE session SET reauth_at = ?2 WHERE token_hash = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int sessions_reauth_at(struct db *db, const unsigned char hash[32], int64_t *at)
{
  *at = 0;
  sqlite3_stmt *st = db_stmt(db, "SELECT reauth_at FROM session WHERE token_hash = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *at = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

int sessions_delete(struct db *db, const unsigned char hash[32])
{
  sqlite3_stmt *st = db_stmt(db, "DELETE FROM session WHERE token_hash = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int sessions_delete_for_user(struct db *db, int64_t user_id, const unsigned char *except_hash)
{
  sqlite3_stmt *st = db_stmt(db, "DELETE FROM session WHERE user_id = ?1 AND token_hash IS NOT ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user_id);
  if (except_hash) sqlite3_bind_blob(st, 2, except_hash, 32, SQLITE_TRANSIENT);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* Touching last_seen_at on every request would make every read a write; a minute's
 * resolution is enough for an idle timeout counted in tens of minutes. */
#define TOUCH_RESOLUTION_S 60

static void fill_auth_user(sqlite3_stmt *st, struct auth_user *out)
{
  out->id = sqlite3_column_int64(st, 0);
  snprintf(out->username, sizeof out->username, "%s", db_col_text(st, 1));
  snprintf(out->display_name, sizeof out->display_name, "%s", db_col_text(st, 2));
  out->role = roles_find(db_col_text(st, 3));
  snprintf(out->region_code, sizeof out->region_code, "%s", db_col_text(st, 4));
  out->unit_id = sqlite3_column_int64(st, 5);
  out->cadre_id = sqlite3_column_int64(st, 6);
  out->must_change_password = sqlite3_column_int(st, 7) != 0;
  snprintf(out->csrf_token, sizeof out->csrf_token, "%s", db_col_text(st, 8));
}

int sessions_lookup(struct db *db, const char *token, const struct security_settings *s, int64_t now,
                    struct auth_user *out)
{
  memset(out, 0, sizeof *out);
  if (!token || strlen(token) != 64) return DB_NOT_FOUND;
  token_hash(token, out->token_hash);
  sqlite3_stmt *st = db_stmt(db,
      "SELECT u.id, u.username, u.display_name, u.role, coalesce(u.region_code, ''), coalesce(u.unit_id, 0),"
      " coalesce(u.cadre_id, 0), u.must_change_password, s.csrf_token, s.created_at, s.last_seen_at,"
      " u.disabled, u.password_changed_at,"
      " EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at > 0)"
      " FROM session s JOIN user u ON u.id = s.user_id WHERE s.token_hash = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_blob(st, 1, out->token_hash, 32, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
  }
  fill_auth_user(st, out);
  int64_t created = sqlite3_column_int64(st, 9), seen = sqlite3_column_int64(st, 10);
  bool disabled = sqlite3_column_int(st, 11) != 0;
  int64_t changed_at = sqlite3_column_int64(st, 12);
  out->second_factor_enrolled = sqlite3_column_int(st, 13) != 0;
  sqlite3_reset(st);

  bool expired = disabled || !out->role || now - seen > (int64_t)s->idle_timeout_minutes * 60 ||
                 now - created > (int64_t)s->absolute_timeout_hours * 3600;
  if (expired) {
    sessions_delete(db, out->token_hash);
    return DB_NOT_FOUND;
  }
  if (s->password_max_age_days > 0 && now - changed_at > (int64_t)s->password_max_age_days * 86400)
    out->must_change_password = true;
  out->must_enrol_second_factor = !out->second_factor_enrolled && settings_second_factor_required(s, out->role);
  if (now - seen >= TOUCH_RESOLUTION_S) {
    sqlite3_stmt *touch = db_stmt(db, "UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1");
    if (!touch) return DB_ERROR;
    sqlite3_bind_blob(touch, 1, out->token_hash, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(touch, 2, now);
    rc = db_step_result(db, sqlite3_step(touch));
    sqlite3_reset(touch);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

int users_create(struct db *db, const struct new_user *u, int64_t now, int64_t *id_out)
{
  char hash[crypto_pwhash_STRBYTES];
  if (users_hash_password(u->password, hash, sizeof hash) != DB_OK) return DB_ERROR;
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO user (username, display_name, role, region_code, unit_id, cadre_id, password_hash,"
      " must_change_password, password_changed_at, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, u->username, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, u->display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, u->role->code, -1, SQLITE_STATIC);
  db_bind_text_or_null(st, 4, u->region_code);
  if (u->unit_id) sqlite3_bind_int64(st, 5, u->unit_id); else sqlite3_bind_null(st, 5);
  if (u->cadre_id) sqlite3_bind_int64(st, 6, u->cadre_id); else sqlite3_bind_null(st, 6);
  sqlite3_bind_text(st, 7, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 8, u->must_change_password);
  sqlite3_bind_int64(st, 9, now);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *id_out = sqlite3_column_int64(st, 0);
  int result = db_step_result(db, rc);
  sqlite3_reset(st);
  return result;
}

#define USER_COLUMNS \
  "u.id, u.username, u.display_name, u.role, u.region_code, r.name, u.unit_id, un.name, u.cadre_id," \
  " u.must_change_password, u.disabled," \
  " EXISTS (SELECT 1 FROM login_guard g WHERE g.username = u.username AND g.locked_until > :now)," \
  " (SELECT p.kind FROM credential_proposal p WHERE p.user_id = u.id)," \
  " EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at > 0), u.wecom_userid"
#define USER_FROM \
  "user u LEFT JOIN region r ON r.code = u.region_code LEFT JOIN unit un ON un.id = u.unit_id"

static json_t *nullable_int(sqlite3_stmt *st, int col)
{
  return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, col));
}

static json_t *nullable_text(sqlite3_stmt *st, int col)
{
  return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, col));
}

static json_t *user_row_json(sqlite3_stmt *st)
{
  const struct role *role = roles_find(db_col_text(st, 3));
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:o, s:b, s:o}",
                   "id", (json_int_t)sqlite3_column_int64(st, 0), "username", db_col_text(st, 1),
                   "display_name", db_col_text(st, 2), "role", db_col_text(st, 3),
                   "role_name", role ? role->name_zh : "", "region_code", nullable_text(st, 4),
                   "region_name", nullable_text(st, 5), "unit_id", nullable_int(st, 6),
                   "unit_name", nullable_text(st, 7), "cadre_id", nullable_int(st, 8),
                   "must_change_password", sqlite3_column_int(st, 9), "disabled", sqlite3_column_int(st, 10),
                   "locked", sqlite3_column_int(st, 11),
                   "pending_approval", nullable_text(st, 12), /* "create" / "reset": 待批准 (store/credentials) */
                   "second_factor_enrolled", sqlite3_column_int(st, 13), /* 两步验证 on (store/second_factor) */
                   "wecom_userid", nullable_text(st, 14));               /* 企业微信账号 (issue 13) */
}

json_t *users_get_json(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT " USER_COLUMNS " FROM " USER_FROM " WHERE u.id = :id");
  if (!st) return NULL;
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":now"), now);
  json_t *out = db_step_row(db, st) ? user_row_json(st) : NULL;
  sqlite3_reset(st);
  return out;
}

json_t *users_list_json(struct db *db, const char *q, const char *role, int64_t now, int page, int page_size, bool all)
{
  const struct sql_param params[] = {{":q", q ? q : "", 0}, {":role", role ? role : "", 0}, {":now", NULL, now}};
  return list_query(db, USER_COLUMNS,
                    USER_FROM " WHERE (:q = '' OR u.username LIKE '%' || :q || '%' OR u.display_name LIKE '%' || :q || '%')"
                    " AND (:role = '' OR u.role = :role)",
                    "u.id", params, 3, NULL, user_row_json, page, all ? 0 : page_size);
}

int users_set_disabled(struct db *db, int64_t id, bool disabled)
{
  int rc = exec_id(db, disabled ? "UPDATE user SET disabled = 1 WHERE id = ?1" : "UPDATE user SET disabled = 0 WHERE id = ?1", id);
  if (rc == DB_OK && disabled) rc = sessions_delete_for_user(db, id, NULL);
  return rc;
}

int users_set_display_name(struct db *db, int64_t id, const char *name)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE user SET display_name = ?2 WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int users_set_wecom_userid(struct db *db, int64_t id, const char *wecom_userid)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE user SET wecom_userid = nullif(?2, '') WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, wecom_userid, -1, SQLITE_STATIC);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

/* The hash being replaced goes to password_history (schema 022); only the last
 * USERS_PASSWORD_HISTORY are kept. */
static int keep_history(struct db *db, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db, "INSERT INTO password_history (user_id, password_hash, replaced_at)"
                                 " SELECT id, password_hash, ?2 FROM user WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  st = db_stmt(db, "DELETE FROM password_history WHERE user_id = ?1 AND id NOT IN"
                   " (SELECT id FROM password_history WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, USERS_PASSWORD_HISTORY);
  rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int users_password_reused(struct db *db, int64_t id, const char *password, bool *reused)
{
  *reused = false;
  sqlite3_stmt *st = db_stmt(db, "SELECT password_hash FROM user WHERE id = ?1 UNION ALL"
                                 " SELECT password_hash FROM (SELECT password_hash FROM password_history"
                                 " WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int(st, 2, USERS_PASSWORD_HISTORY);
  int rc;
  while (!*reused && (rc = sqlite3_step(st)) == SQLITE_ROW)
    *reused = users_check_password((const char *)sqlite3_column_text(st, 0), password);
  if (*reused) rc = SQLITE_DONE;
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

int users_set_password(struct db *db, int64_t id, const char *password, bool must_change, int64_t now)
{
  char hash[crypto_pwhash_STRBYTES];
  if (users_hash_password(password, hash, sizeof hash) != DB_OK) return DB_ERROR;
  if (keep_history(db, id, now) != DB_OK) return DB_ERROR;
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE user SET password_hash = ?2, must_change_password = ?3, password_changed_at = ?4,"
      " failed_logins = 0, locked_until = 0 WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 3, must_change);
  sqlite3_bind_int64(st, 4, now);
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  if (rc != DB_OK) return rc;
  return changed ? DB_OK : DB_NOT_FOUND;
}

/* Every (name, address) lock of the account (store/login_guard, schema 020) goes. */
int users_unlock(struct db *db, int64_t id)
{
  return exec_id(db, "DELETE FROM login_guard WHERE username = (SELECT username FROM user WHERE id = ?1)", id);
}

int users_password_hash(struct db *db, int64_t id, char *out, size_t outlen)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT password_hash FROM user WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) snprintf(out, outlen, "%s", db_col_text(st, 0));
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : DB_NOT_FOUND;
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
  int64_t n = 0;
  int rc = vw_int(db, "SELECT EXISTS (SELECT 1 FROM user) AS any_user", NULL, 0, NULL, &n);
  *any = rc == DB_OK && n != 0;
  return rc == DB_OK ? DB_OK : DB_ERROR;
}
