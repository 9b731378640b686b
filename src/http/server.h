/* server — the HTTP front: libmicrohttpd with a pool of worker threads, each with its own
 * SQLite connection; request bodies gathered under a hard cap; static UI files served from
 * memory; every API request routed through router.c, which authenticates, checks CSRF,
 * permission and scope before the handler runs. */
#ifndef ZHUCUN_SERVER_H
#define ZHUCUN_SERVER_H

#include <stdbool.h>

#include "core/settings.h"
#include "core/trusted_proxy.h"

struct static_files;
struct policy;
struct vault;
struct rate_limit;
struct common_passwords;

struct app {
  struct security_settings security;
  const char *db_path;
  const char *read_db_path;      /* a hot standby for the reports (serve --read-db), or NULL (issue 16) */
  const char *ui_dir;
  const char *policy_dir;
  bool secure_cookie;          /* add "Secure" to every cookie (--secure-cookie, or TLS) */
  bool tls;                    /* zhucun speaks TLS itself: every request is HTTPS (HSTS sent) */
  struct trusted_proxies proxies; /* peers whose X-Forwarded-For/-Proto are believed (F10) */
  struct static_files *static_files;
  const struct policy *policy;   /* policy/ganzhou.json: the notice's parameters */
  char policy_sha256[65];
  const struct vault *vault;     /* the key for ID numbers at rest */
  struct rate_limit *login_by_address; /* failed logins per address (core/rate_limit, F4) */
  struct rate_limit *login_by_account; /* failed logins per user name as typed */
  const struct common_passwords *common_passwords; /* policy/common_passwords.txt (F8) */
  struct rate_limit *reveals_by_user;  /* full ID number reveals per user (http/reveal_gate) */
  struct rate_limit *api_token_calls;  /* requests per API token (http/token_auth, issue 13) */
};

struct server_options {
  const char *bind;            /* default 127.0.0.1 */
  int port;                    /* default 8080 */
  int threads;                 /* worker threads; 0 = default */
  const char *tls_cert_pem;    /* serve --tls-cert/--tls-key (F10): HTTPS with libmicrohttpd's GnuTLS; */
  const char *tls_key_pem;     /* NULL: plain HTTP (behind a TLS proxy, with --secure-cookie) */
};

/* Serves until SIGTERM or SIGINT, then stops taking connections, lets the running requests
 * finish, closes the database cleanly and returns 0. */
int server_run(struct app *app, const struct server_options *opt);

#endif
