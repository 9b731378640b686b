/* server — libmicrohttpd glue.
 *
 * Threading: MHD's internal thread pool with epoll; a handler may block on SQLite, which only
 * stalls its own worker, and each worker has its own connection (db_thread()). Bodies are
 * gathered into a strbuf with a hard cap (the security settings' max_body_bytes): past it the
 * rest is drained and the request answered 413 without being parsed. Shutdown: on SIGTERM
 * the daemon stops accepting (quiesce), the day's settlement (http/day_start) is cut short, running
 * requests finish, then the workers end and their connections close, which checkpoints the WAL. */
#include "http/server.h"

#include <malloc.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/date.h"
#include "http/day_start.h"
#include "http/request.h"
#include "http/router.h"
#include "http/sender.h"
#include "http/static_files.h"
#include "store/db.h"
#include "store/writer.h"
#include "util/log.h"

static void client_ip(struct MHD_Connection *conn, char *out, size_t len)
{
  const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(out, len, "?");
  if (!info || !info->client_addr) return;
  const struct sockaddr *sa = info->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
}

/* The client's address and scheme: the peer's own, unless the peer is a trusted proxy, whose
 * X-Forwarded-For and X-Forwarded-Proto are then believed (core/trusted_proxy). */
static void resolve_client(const struct app *app, struct MHD_Connection *conn, char *ip, size_t len, bool *https)
{
  client_ip(conn, ip, len);
  *https = app->tls;
  if (!trusted_proxies_contains(&app->proxies, ip)) return;
  trusted_proxies_client(&app->proxies, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"), ip, len);
  if (trusted_proxies_says_https(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto")))
    *https = true;
}

static struct request *request_new(const struct app *app, struct MHD_Connection *conn, const char *method,
                                   const char *url)
{
  struct request *req = calloc(1, sizeof *req);
  if (!req) return NULL;
  req->app = app;
  req->conn = conn;
  req->method = method;
  req->url = url;
  req->started_ms = clock_monotonic_ms();
  req->now = clock_now();
  req->today = date_from_unix_cst((time_t)req->now);
  strbuf_init(&req->body, app->security.max_body_bytes);
  client_ip(conn, req->peer_ip, sizeof req->peer_ip);
  resolve_client(app, conn, req->ip, sizeof req->ip, &req->https);
  const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
  if (len && strtoull(len, NULL, 10) > app->security.max_body_bytes) req->body_too_big = true;
  return req;
}

static void request_free(struct request *req)
{
  strbuf_free(&req->body);
  free(req);
}

static void add_api_headers(struct MHD_Response *r, const char *etag)
{
  /* answers hold personal data and are never stored; one with an ETag (the OpenAPI document) is
   * kept and revalidated, as index.html is */
  MHD_add_response_header(r, "Cache-Control", etag ? "no-cache" : "no-store");
  if (etag) MHD_add_response_header(r, "ETag", etag);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

/* HSTS (等保 通信传输): only on an answer the browser got over HTTPS, as RFC 6797 asks. */
#define HSTS_VALUE "max-age=31536000"

static enum MHD_Result queue_reply(struct request *req, struct reply *rep, long *bytes)
{
  struct MHD_Response *r;
  if (rep->json) {
    /* 10 significant digits: coordinates to the centimetre, without binary float noise */
    char *text = json_dumps(rep->json, JSON_COMPACT | JSON_REAL_PRECISION(10));
    if (!text) return MHD_NO;
    *bytes = (long)strlen(text);
    r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) { free(text); return MHD_NO; }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
  } else if (rep->has_file) {
    /* an export: sent from its spool file (export/spool), which the library closes when it is done */
    *bytes = (long)rep->file_len;
    r = MHD_create_response_from_fd64(rep->file_len, rep->file_fd);
    if (!r) return MHD_NO;
    rep->has_file = false;
    if (rep->content_type) MHD_add_response_header(r, "Content-Type", rep->content_type);
  } else {
    /* the body handed over, not copied */
    *bytes = (long)rep->raw_len;
    r = rep->raw ? MHD_create_response_from_buffer(rep->raw_len, rep->raw, MHD_RESPMEM_MUST_FREE)
                 : MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    rep->raw = NULL;
    if (rep->content_type) MHD_add_response_header(r, "Content-Type", rep->content_type);
  }
  add_api_headers(r, rep->etag);
  if (req->https) MHD_add_response_header(r, "Strict-Transport-Security", HSTS_VALUE);
  if (rep->set_cookie) MHD_add_response_header(r, "Set-Cookie", rep->set_cookie);
  if (rep->disposition) MHD_add_response_header(r, "Content-Disposition", rep->disposition);
  if (rep->retry_after > 0) {
    char secs[16];
    snprintf(secs, sizeof secs, "%d", rep->retry_after);
    MHD_add_response_header(r, "Retry-After", secs);
  }
  enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)rep->status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result serve_static(const struct app *app, struct MHD_Connection *conn, const char *method,
                                    const char *url, int *status)
{
  const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
  struct MHD_Response *r = NULL;
  if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
    r = static_files_find(app->static_files, url, ae && strstr(ae, "gzip"));
  if (r) { *status = 200; return MHD_queue_response(conn, MHD_HTTP_OK, r); }
  static const char NOT_FOUND[] = "404 not found";
  struct MHD_Response *nf = MHD_create_response_from_buffer(sizeof NOT_FOUND - 1, (void *)NOT_FOUND,
                                                            MHD_RESPMEM_PERSISTENT);
  if (!nf) return MHD_NO;
  MHD_add_response_header(nf, "Content-Type", "text/plain; charset=utf-8");
  *status = 404;
  enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, nf);
  MHD_destroy_response(nf);
  return ok;
}

static enum MHD_Result handle_api(struct request *req)
{
  struct reply rep = {0};
  db_request_start();
  req->db = db_thread();
  if (req->db) req->db_failures = db_failures(req->db); /* what the handler's own reads add to it (http/not_found) */
  /* the router waits for the stages of the day's settlement the route reads (http/day_start) */
  if (!req->db) reply_internal(&rep);
  else router_dispatch(req, &rep);
  if (req->db) db_rollback(req->db); /* a handler that failed half-way leaves nothing behind */
  if (rep.status == 0) reply_internal(&rep);
  long bytes = 0;
  enum MHD_Result ok = queue_reply(req, &rep, &bytes);
  char when[CLOCK_ISO_SIZE];
  clock_format_cst(req->now, when);
  log_access(when, req->ip, req->method, req->url, rep.status, req->has_user ? req->user.username : "-",
             clock_monotonic_ms() - req->started_ms, bytes);
  reply_free(&rep);
  return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
  const struct app *app = cls;
  if (strncmp(url, "/api/", 5) != 0) {
    if (*upload_data_size) { *upload_data_size = 0; return MHD_YES; }
    int status = 0;
    double t0 = clock_monotonic_ms();
    enum MHD_Result ok = serve_static(app, conn, method, url, &status);
    char ip[64], when[CLOCK_ISO_SIZE];
    bool https;
    resolve_client(app, conn, ip, sizeof ip, &https);
    clock_format_cst(clock_now(), when);
    log_access(when, ip, method, url, status, "-", clock_monotonic_ms() - t0, 0);
    return ok;
  }
  struct request *req = *con_cls;
  if (!req) {
    req = request_new(app, conn, method, url);
    if (!req) return MHD_NO;
    *con_cls = req;
    return MHD_YES;
  }
  if (*upload_data_size) {
    if (!req->body_too_big && strbuf_append(&req->body, upload_data, *upload_data_size) != 0)
      req->body_too_big = true;
    *upload_data_size = 0;
    return MHD_YES;
  }
  return handle_api(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
  if (*con_cls) request_free(*con_cls);
  *con_cls = NULL;
}

static void on_thread_end(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
  /* connection bookkeeping only; worker connections close in db.c's thread-key destructor */
}

static int wait_for_signal(void)
{
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

#define SERVER_ARENAS 4

static int default_threads(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  /* check-ins wait for the group commit on their worker thread: enough threads that a batch
   * can gather while one fsync runs */
  return n > 0 ? (int)(n * 16 > 32 ? 32 : n * 16) : 16;
}

int server_run(struct app *app, const struct server_options *opt)
{
  /* Block the signals in every thread (MHD's inherit this mask); the main thread waits for them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  /* issue 15: glibc gives each of the 32 workers a heap (arena) of its own, up to 8 per core, and an
   * arena keeps what a large answer (a roll-up's JSON) freed; two per core bound that, the workers
   * mostly waiting on SQLite and the network rather than on malloc (bench/README.md) */
  mallopt(M_ARENA_MAX, SERVER_ARENAS);

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt->port)};
  if (inet_pton(AF_INET, opt->bind ? opt->bind : "127.0.0.1", &addr.sin_addr) != 1) {
    log_error("server", "bad bind address %s", opt->bind);
    return 1;
  }
  if (db_thread_init(app->db_path) != DB_OK || db_thread_reports_init(app->read_db_path) != DB_OK) return 1;
  if (writer_start(app->db_path) != DB_OK) return 1;
  if (sender_start(app->db_path, app->vault) != 0) { writer_stop(); return 1; }
  if (day_start_begin(app, clock_now()) != 0) { sender_stop(); writer_stop(); return 1; }
  bool tls = opt->tls_cert_pem && opt->tls_key_pem;
  /* the key and certificate in memory (MHD copies nothing: they live as long as opt) */
  struct MHD_OptionItem tls_options[] = {
      {tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)opt->tls_key_pem},
      {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)opt->tls_cert_pem},
      {MHD_OPTION_END, 0, NULL}};
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO |
          (tls ? MHD_USE_TLS : 0), (uint16_t)opt->port,
      NULL, NULL, on_request, app,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opt->threads > 0 ? opt->threads : default_threads()),
      /* F1: one address cannot take every slot, and a slow head or body is cut at the timeout */
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)app->security.connection_timeout_seconds,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)app->security.max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->security.per_address_connections,
      MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
      MHD_OPTION_NOTIFY_CONNECTION, on_thread_end, NULL,
      MHD_OPTION_ARRAY, tls_options,
      MHD_OPTION_END);
  if (!d) {
    log_error("server", "cannot listen on %s:%d", opt->bind ? opt->bind : "127.0.0.1", opt->port);
    day_start_end();
    sender_stop();
    writer_stop();
    return 1;
  }
  /* --port 0 takes a free port: say which (tests start servers of their own this way) */
  const union MHD_DaemonInfo *bound = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  int port = bound && bound->port ? (int)bound->port : opt->port;
  printf("zhucun 正在运行 (serving): %s://%s:%d/\n", tls ? "https" : "http", opt->bind ? opt->bind : "127.0.0.1", port);
  fflush(stdout);
  int sig = wait_for_signal();
  log_info("server", "signal %d: finishing running requests", sig);
  MHD_quiesce_daemon(d);
  day_start_end(); /* the settlement in progress cut short; requests waiting for it answer 503 */
  for (int i = 0; i < 100; i++) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (!info || info->num_connections == 0) break;
    usleep(100 * 1000);
  }
  MHD_stop_daemon(d);
  sender_stop();
  int64_t commits, jobs;
  writer_stats(&commits, &jobs);
  writer_stop();
  log_info("server", "stopped (group commit: %lld writes in %lld commits)", (long long)jobs, (long long)commits);
  return 0;
}
