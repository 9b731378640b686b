/* pg — see pg.h. The statement cache is an open-addressed table keyed by the store's SQL text (as
 * db.c's for SQLite); each entry has the name it was prepared under ("z<n>") and its parameters' names.
 * When the table is full the home slot's statement is deallocated on the server and replaced. */
#include "store/pg.h"

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_sqlite.h"
#include "util/log.h"

#define PG_STMT_CACHE 128
#define PG_MAX_PARAMS 64

/* The type OIDs of PostgreSQL's catalogue (pg_type.dat) whose values are not read as text. */
enum {
  OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_JSON = 114,
  OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700, OID_JSONB = 3802,
};

struct pg_stmt {
  struct pg_conn *conn;
  char *sql;                     /* the store's text: the cache's key */
  char name[16];                 /* prepared under this name on the connection */
  int nparams;
  char *params[PG_MAX_PARAMS];   /* ":name" of $1, $2, … */
  char *values[PG_MAX_PARAMS];   /* the binds of the run being built (NULL: SQL NULL) */
  int lengths[PG_MAX_PARAMS];
  int formats[PG_MAX_PARAMS];    /* 0 text, 1 binary */
  Oid types[PG_MAX_PARAMS];      /* the binds' types (0: the server's choice) */
  PGresult *result;              /* the last run's rows */
  char *text;                    /* the rewritten text ($n), kept to prepare it again on a new session */
  bool late;                     /* typed at its run, from the binds (the server could not from the text) */
  unsigned session;              /* the connection's session it is prepared on (pg_conn.session) */
  bool savepoint;                /* SAVEPOINT, RELEASE or ROLLBACK TO itself (store/writer's per-job one) */
  Oid prepared_as[PG_MAX_PARAMS];/* the types a late statement is prepared with now */
  bool late_prepared;
};

struct pg_conn {
  PGconn *conn;
  bool bulk;                     /* a bulk transaction (db_begin_bulk): no savepoints */
  int prepared;                  /* statements prepared so far: the next name */
  struct pg_stmt *cache[PG_STMT_CACHE];
  const atomic_int *stop;        /* set: the connection's statements fail without running (pg_cancel_when) */
  PGcancel *canceller;           /* what pg_interrupt sends from another thread */
  unsigned session;              /* sessions so far: a reconnection starts the next, without the prepared */
  bool was_in_transaction;       /* before the last statement sent: what a lost connection was doing */
};

bool pg_is_url(const char *name)
{
  return strncmp(name, "postgresql://", 13) == 0 || strncmp(name, "postgres://", 11) == 0;
}

/* The server's notices (a DROP … IF EXISTS that found nothing) are not the store's failures. */
static void ignore_notice(void *arg, const char *message)
{
  (void)arg;
  (void)message;
}

/* The session's settings, on every (re)connection: UTF-8, Beijing time (the store's dates), no notices. */
static bool set_up_session(struct pg_conn *c)
{
  PGresult *r = PQexec(c->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'Asia/Shanghai';"
                                " SET client_min_messages = warning");
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) log_error("db", "cannot set up the PostgreSQL session: %s", PQerrorMessage(c->conn));
  return ok;
}

int pg_connect(const char *url, struct pg_conn **out)
{
  *out = NULL;
  struct pg_conn *c = calloc(1, sizeof *c);
  if (!c) return DB_ERROR;
  c->conn = PQconnectdb(url);
  if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
    /* libpq's message names the host and the reason, never the password */
    log_error("db", "cannot connect to PostgreSQL: %s", c->conn ? PQerrorMessage(c->conn) : "out of memory");
    pg_disconnect(c);
    return DB_ERROR;
  }
  PQsetNoticeProcessor(c->conn, ignore_notice, NULL);
  if (!set_up_session(c)) {
    pg_disconnect(c);
    return DB_ERROR;
  }
  *out = c;
  return DB_OK;
}

static void stmt_free(struct pg_stmt *s)
{
  if (!s) return;
  pg_stmt_close(s);
  for (int i = 0; i < s->nparams; i++) free(s->params[i]);
  free(s->text);
  free(s->sql);
  free(s);
}

void pg_disconnect(struct pg_conn *c)
{
  if (!c) return;
  PQfreeCancel(c->canceller);
  for (int i = 0; i < PG_STMT_CACHE; i++) stmt_free(c->cache[i]);
  PQfinish(c->conn);
  free(c);
}

static atomic_uint_fast64_t process_commits;

uint64_t pg_process_commits(void) { return atomic_load(&process_commits); }

/* A write's result outside a transaction (autocommit): it committed. */
static bool committed_write(struct pg_conn *c, PGresult *r)
{
  const char *cmd = r ? PQcmdStatus(r) : "";
  ExecStatusType st = PQresultStatus(r);
  return (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) && !pg_in_transaction(c) &&
         (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 || strncmp(cmd, "DELETE", 6) == 0 ||
          strncmp(cmd, "COMMIT", 6) == 0);
}

bool pg_in_transaction(struct pg_conn *c)
{
  /* a lost connection was in the transaction it was in: the store must still end it (connected) */
  if (PQstatus(c->conn) != CONNECTION_OK) return c->was_in_transaction;
  PGTransactionStatusType t = PQtransactionStatus(c->conn);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

bool pg_transaction_failed(struct pg_conn *c) { return PQtransactionStatus(c->conn) == PQTRANS_INERROR; }

char *pg_snapshot_text(struct db *db, struct pg_conn *c)
{
  struct pg_stmt *s = pg_stmt_open(db, c, "SELECT pg_current_snapshot()::text AS snapshot");
  if (!s) return NULL;
  char *text = NULL;
  if (pg_stmt_run(db, s) == DB_OK && pg_stmt_rows(s) == 1) text = strdup(pg_stmt_text(s, 0, 0));
  pg_stmt_close(s);
  return text;
}

/* DB_OK for a result that succeeded, DB_CONFLICT for a violated constraint, else DB_ERROR (reported). No
 * result at all is the connection's failure (e.g. the server gone): libpq says why on the connection. */
static int result_code(struct db *db, PGconn *conn, PGresult *r, const char *sql)
{
  ExecStatusType st = PQresultStatus(r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return DB_OK;
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  if (state && strncmp(state, "23", 2) == 0) return DB_CONFLICT;
  const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  char detail[512];
  snprintf(detail, sizeof detail, "%s[%s] — %.300s", msg, state ? state : "", sql);
  db_report_failure(db, "PostgreSQL statement failed", detail);
  return DB_ERROR;
}

void pg_cancel_when(struct pg_conn *c, const atomic_int *stop)
{
  PQfreeCancel(c->canceller);
  c->canceller = stop ? PQgetCancel(c->conn) : NULL;
  c->stop = stop;
}

void pg_interrupt(struct pg_conn *c)
{
  char err[256];
  if (c->canceller) PQcancel(c->canceller, err, sizeof err);  /* nothing running: the server ignores it */
}

/* True (reported) when the connection's stop flag is set: the statement is not sent. A ROLLBACK still is,
 * so that the work stopped leaves no transaction open. */
static bool stopped(struct db *db, struct pg_conn *c, const char *sql)
{
  if (!c->stop || !atomic_load(c->stop) || strncmp(sql, "ROLLBACK", 8) == 0) return false;
  db_report_failure(db, "PostgreSQL statement not run: the connection's work is being stopped", sql);
  return true;
}

/* The connection usable for sql — made again when the server closed it (a restart, a failover, an
 * administrator's pg_terminate_backend): libpq learns it at the statement that fails, so that one fails and
 * the next reconnects; the statements prepared on the old session are prepared again at their next run
 * (pg_conn.session). Not in the middle of a transaction, whose work went with the old session: a statement
 * on a new one would commit part of it. Its statements fail until the store ends it: ROLLBACK reconnects
 * (and rolls back nothing), COMMIT reconnects and fails — the transaction was not committed. */
static bool connected(struct db *db, struct pg_conn *c, const char *sql)
{
  if (PQstatus(c->conn) == CONNECTION_OK) {
    c->was_in_transaction = pg_in_transaction(c);
    return true;
  }
  bool rollback = strcmp(sql, "ROLLBACK") == 0, commit = strcmp(sql, "COMMIT") == 0;
  if (c->was_in_transaction && !rollback && !commit) {
    db_report_failure(db, "PostgreSQL: the connection was lost in a transaction; not run until it ends", sql);
    return false;
  }
  PQreset(c->conn);
  if (PQstatus(c->conn) != CONNECTION_OK || !set_up_session(c)) {
    db_report_failure(db, "PostgreSQL: cannot reconnect", PQerrorMessage(c->conn));
    return false;
  }
  c->session++;
  if (c->stop) pg_cancel_when(c, c->stop);  /* the canceller names the new session's backend */
  log_info("db", "reconnected to PostgreSQL (the server had closed the connection)");
  bool lost = c->was_in_transaction && commit;
  c->was_in_transaction = false;
  if (lost) db_report_failure(db, "PostgreSQL: the connection was lost in the transaction; not committed", sql);
  return !lost;
}

int pg_command(struct db *db, struct pg_conn *c, const char *sql)
{
  if (stopped(db, c, sql) || !connected(db, c, sql)) return DB_ERROR;
  PGresult *r = PQexec(c->conn, sql);
  int rc = result_code(db, c->conn, r, sql);
  if (rc == DB_OK && committed_write(c, r)) atomic_fetch_add(&process_commits, 1);
  PQclear(r);
  return rc;
}

/* The length of the :name at p (p at the colon), 0 when p is not one. */
static size_t named_param_len(const char *p)
{
  if (p[0] != ':' || !(p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) return 0;
  size_t n = 1;
  while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'))
    n++;
  return n;
}

/* The end of the quoted text or comment that starts at p, or p itself when none starts there. */
static const char *skip_quoted(const char *p)
{
  if (*p == '\'' || *p == '"') {
    char q = *p++;
    for (; *p; p++)
      if (*p == q) {
        if (p[1] != q) return p + 1;
        p++;  /* a doubled quote stands for itself */
      }
    return p;
  }
  if (p[0] == '-' && p[1] == '-') {
    while (*p && *p != '\n') p++;
    return p;
  }
  if (p[0] == '/' && p[1] == '*') {
    const char *end = strstr(p + 2, "*/");
    return end ? end + 2 : p + strlen(p);
  }
  return p;
}

static int name_number(char **names, int n, const char *p, size_t len)
{
  for (int i = 0; i < n; i++)
    if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0) return i + 1;
  return 0;
}

/* SQLite's words the server spells otherwise, renamed as the text is rewritten (the dialect's other
 * differences are functions of the schema: src/store/schema_pg/173_baseline.sql). json_object and
 * json_array take any number of values of any type, which only the server's own json_build_object and
 * json_build_array can; INDEXED BY and CROSS JOIN … ON are SQLite's hints to its planner (an index, the
 * order of the joins), which PostgreSQL plans for itself. */
static const struct { const char *sqlite, *pg; } RENAMED[] = {
  { "json_object(", "json_build_object(" },
  { "json_array(", "json_build_array(" },
  { "CROSS JOIN ", "JOIN " },  /* SQLite's way to fix the join order; every one in the store has an ON */
};

static bool word_start(const char *sql, const char *p)
{
  return p == sql || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z')
                       || (p[-1] >= '0' && p[-1] <= '9'));
}

/* Copies the renamed form of the word at p to *o and answers how much of p it replaced; 0 when none. */
static size_t rename_word(const char *sql, const char *p, char **o)
{
  if (!word_start(sql, p)) return 0;
  for (size_t i = 0; i < sizeof RENAMED / sizeof RENAMED[0]; i++) {
    size_t n = strlen(RENAMED[i].sqlite);
    if (strncmp(p, RENAMED[i].sqlite, n) == 0) {
      *o += sprintf(*o, "%s", RENAMED[i].pg);
      return n;
    }
  }
  if (strncmp(p, "INDEXED BY ", 11) == 0) {  /* the hint and its index's name go */
    size_t n = 11;
    while (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9')) n++;
    return n;
  }
  return 0;
}

char *pg_rewrite_named(const char *sql, char **names, int max, int *nnames)
{
  /* ":x" (2 bytes) becomes at most "$64" (3), "json_array(" (11) "json_build_array(" (17): twice as long
   * is room enough */
  char *out = malloc(strlen(sql) * 2 + 16), *o = out;
  *nnames = 0;
  if (!out) return NULL;
  for (const char *p = sql; *p;) {
    const char *q = skip_quoted(p);
    if (q != p) {
      memcpy(o, p, (size_t)(q - p));
      o += q - p;
      p = q;
      continue;
    }
    if (p[0] == ':' && p[1] == ':') {  /* a cast */
      *o++ = *p++;
      *o++ = *p++;
      continue;
    }
    size_t renamed = rename_word(sql, p, &o);
    if (renamed) {
      p += renamed;
      continue;
    }
    size_t len = named_param_len(p);
    if (!len) {
      *o++ = *p++;
      continue;
    }
    int num = name_number(names, *nnames, p, len);
    if (!num) {
      if (*nnames == max || !(names[*nnames] = strndup(p, len))) goto fail;
      num = ++*nnames;
    }
    o += sprintf(o, "$%d", num);
    p += len;
  }
  *o = '\0';
  return out;
fail:
  for (int i = 0; i < *nnames; i++) free(names[i]);
  *nnames = 0;
  free(out);
  return NULL;
}

static uint32_t hash_text(const char *s)
{
  uint32_t h = 2166136261u;  /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* True when the server could not type a parameter from the text alone: one name in two contexts of
 * different types (42P08), or in none that says (42P18). */
static bool untyped_parameter(PGresult *r)
{
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  return state && (strcmp(state, "42P08") == 0 || strcmp(state, "42P18") == 0);
}

/* PQprepare; in a transaction, under a savepoint of its own, since a prepare that fails would abort it. */
static PGresult *prepare_guarded(struct db *db, struct pg_conn *c, const char *name, const char *text, int n,
                                 const Oid *types)
{
  bool guarded = pg_in_transaction(c) && pg_command(db, c, "SAVEPOINT zhucun_prepare") == DB_OK;
  PGresult *r = PQprepare(c->conn, name, text, n, types);
  bool failed = PQresultStatus(r) != PGRES_COMMAND_OK;
  if (guarded)
    pg_command(db, c, failed ? "ROLLBACK TO SAVEPOINT zhucun_prepare; RELEASE SAVEPOINT zhucun_prepare"
                             : "RELEASE SAVEPOINT zhucun_prepare");
  return r;
}

static struct pg_stmt *prepare(struct db *db, struct pg_conn *c, const char *sql)
{
  struct pg_stmt *s = calloc(1, sizeof *s);
  if (!s || !(s->sql = strdup(sql))) {
    free(s);
    db_report_failure(db, "PostgreSQL prepare", "out of memory");
    return NULL;
  }
  s->conn = c;
  char *text = pg_rewrite_named(sql, s->params, PG_MAX_PARAMS, &s->nparams);
  if (!text) {
    db_report_failure(db, "PostgreSQL prepare: too many parameters or out of memory", sql);
    stmt_free(s);
    return NULL;
  }
  s->text = text;
  s->session = c->session;
  snprintf(s->name, sizeof s->name, "z%d", c->prepared++);
  const char *word = sql + strspn(sql, " \t\n");
  s->savepoint = strncmp(word, "SAVEPOINT", 9) == 0 || strncmp(word, "RELEASE", 7) == 0
                 || strncmp(word, "ROLLBACK", 8) == 0;
  PGresult *r = prepare_guarded(db, c, s->name, text, 0, NULL);
  if (untyped_parameter(r)) {  /* typed at its run, from the binds */
    PQclear(r);
    s->late = true;
    return s;
  }
  int rc = result_code(db, c->conn, r, sql);
  PQclear(r);
  if (rc != DB_OK) {
    stmt_free(s);
    return NULL;
  }
  return s;
}

/* Forgets the prepared statement NAME on the server; a failure only leaks the name until disconnect. */
static void deallocate_name(struct pg_conn *c, const char *name)
{
  char sql[48];
  snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
  PQclear(PQexec(c->conn, sql));
}

/* Forgets s on the server, where this session has it (a DEALLOCATE of a name it lacks would fail, and in a
 * transaction abort it), and frees it (the cache had no room). */
static void deallocate(struct pg_conn *c, struct pg_stmt *s)
{
  if (s->session == c->session && (!s->late || s->late_prepared)) deallocate_name(c, s->name);
  stmt_free(s);
}

struct pg_stmt *pg_stmt_open(struct db *db, struct pg_conn *c, const char *sql)
{
  if (!connected(db, c, sql)) return NULL;
  uint32_t h = hash_text(sql);
  for (int probe = 0; probe < PG_STMT_CACHE; probe++) {
    struct pg_stmt **slot = &c->cache[(h + probe) % PG_STMT_CACHE];
    if (*slot && strcmp((*slot)->sql, sql) == 0) {
      pg_stmt_close(*slot);
      return *slot;
    }
    if (!*slot) return *slot = prepare(db, c, sql);
  }
  struct pg_stmt **home = &c->cache[h % PG_STMT_CACHE];
  deallocate(c, *home);
  return *home = prepare(db, c, sql);
}

int pg_stmt_param(struct pg_stmt *s, const char *name)
{
  return name_number(s->params, s->nparams, name, strlen(name));
}

bool pg_stmt_bind(struct pg_stmt *s, int n, const void *v, size_t len, enum pg_value kind)
{
  static const Oid TYPE_OF[] = { [PG_VALUE_TEXT] = OID_TEXT, [PG_VALUE_INT] = OID_INT8, [PG_VALUE_REAL] = OID_FLOAT8,
                                 [PG_VALUE_BYTES] = OID_BYTEA };
  int i = n - 1;
  free(s->values[i]);
  s->values[i] = NULL;
  s->lengths[i] = 0;
  s->formats[i] = kind == PG_VALUE_BYTES;
  if (v || !s->types[i]) s->types[i] = TYPE_OF[kind];  /* a NULL keeps the type the name had */
  if (!v) return true;
  if (!(s->values[i] = malloc(len + 1))) return false;
  memcpy(s->values[i], v, len);
  s->values[i][len] = '\0';
  s->lengths[i] = (int)len;
  return true;
}

/* A statement prepared on an earlier session (before a reconnection) prepared again on this one. */
static int prepare_again(struct db *db, struct pg_stmt *s)
{
  if (s->session == s->conn->session) return DB_OK;
  s->session = s->conn->session;
  s->late_prepared = false;  /* a late one is prepared by prepare_typed, with its binds' types */
  if (s->late) return DB_OK;
  PGresult *r = prepare_guarded(db, s->conn, s->name, s->text, 0, NULL);
  int rc = result_code(db, s->conn->conn, r, s->sql);
  PQclear(r);
  if (rc != DB_OK) s->session--;  /* still not prepared here: the next run tries again */
  return rc;
}

/* A late statement prepared with its binds' types, unless it already is with the same ones; any other
 * statement is prepared already. */
static int prepare_typed(struct db *db, struct pg_stmt *s)
{
  if (!s->late) return DB_OK;
  size_t size = sizeof s->types[0] * (size_t)s->nparams;
  if (s->late_prepared && memcmp(s->prepared_as, s->types, size) == 0) return DB_OK;
  if (s->late_prepared) {
    deallocate_name(s->conn, s->name);
    s->late_prepared = false;
  }
  PGresult *r = prepare_guarded(db, s->conn, s->name, s->text, s->nparams, s->types);
  int rc = result_code(db, s->conn->conn, r, s->sql);
  PQclear(r);
  if (rc != DB_OK) return rc;
  memcpy(s->prepared_as, s->types, size);
  s->late_prepared = true;
  return DB_OK;
}

static int run_prepared(struct db *db, struct pg_stmt *s)
{
  PQclear(s->result);
  s->result = PQexecPrepared(s->conn->conn, s->name, s->nparams, (const char *const *)s->values, s->lengths,
                             s->formats, 0);
  int rc = result_code(db, s->conn->conn, s->result, s->sql);
  if (rc == DB_OK && committed_write(s->conn, s->result)) atomic_fetch_add(&process_commits, 1);
  return rc;
}

/* The result of the next command of a pipeline, and the NULL that ends it; NULL for none. */
static PGresult *pipeline_result(PGconn *conn)
{
  PGresult *r = PQgetResult(conn);
  if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
    PGresult *end = PQgetResult(conn);  /* the NULL after each command's result */
    PQclear(end);
  }
  return r;
}

/* SAVEPOINT, the statement and RELEASE sent together in one pipeline: one round trip where three
 * commands one after the other took three. When the statement fails the server skips the RELEASE (the
 * pipeline is aborted up to its sync), and the savepoint is rolled back to after it. */
static int run_under_savepoint(struct db *db, struct pg_stmt *s)
{
  PGconn *conn = s->conn->conn;
  PQclear(s->result);
  s->result = NULL;
  if (PQenterPipelineMode(conn) != 1) return DB_ERROR;
  bool sent = PQsendQueryParams(conn, "SAVEPOINT zhucun_stmt", 0, NULL, NULL, NULL, NULL, 0) == 1
              && PQsendQueryPrepared(conn, s->name, s->nparams, (const char *const *)s->values, s->lengths,
                                     s->formats, 0) == 1
              && PQsendQueryParams(conn, "RELEASE SAVEPOINT zhucun_stmt", 0, NULL, NULL, NULL, NULL, 0) == 1
              && PQpipelineSync(conn) == 1;
  PGresult *savepoint = sent ? pipeline_result(conn) : NULL;
  s->result = sent ? pipeline_result(conn) : NULL;
  PGresult *release = sent ? pipeline_result(conn) : NULL, *sync = sent ? PQgetResult(conn) : NULL;
  bool saved = PQresultStatus(savepoint) == PGRES_COMMAND_OK, released = PQresultStatus(release) == PGRES_COMMAND_OK;
  PQclear(savepoint);
  PQclear(release);
  PQclear(sync);
  if (PQexitPipelineMode(conn) != 1 || !sent) {
    db_report_failure(db, "PostgreSQL pipeline", PQerrorMessage(conn));
    return DB_ERROR;
  }
  int rc = result_code(db, s->conn->conn, s->result, s->sql);
  if (rc != DB_OK && saved)
    pg_command(db, s->conn, "ROLLBACK TO SAVEPOINT zhucun_stmt; RELEASE SAVEPOINT zhucun_stmt");
  if (rc == DB_OK && !released) {
    db_report_failure(db, "PostgreSQL: RELEASE SAVEPOINT failed", s->sql);
    return DB_ERROR;
  }
  return rc;
}

void pg_set_bulk(struct pg_conn *c, bool on) { c->bulk = on; }

int pg_stmt_run(struct db *db, struct pg_stmt *s)
{
  /* SQLite undoes a failed statement and keeps the transaction; PostgreSQL would abort it. A statement in a
   * transaction therefore runs under a savepoint of its own (a read's costs the server little: a savepoint
   * takes a transaction id only when it writes) — but not in a bulk transaction (the demo's, a generator's:
   * one failure ends it, and PostgreSQL slows down past 64 writing subtransactions in one transaction), and
   * not a savepoint's own statement (the release of ours would release the one it made). */
  if (stopped(db, s->conn, s->sql) || !connected(db, s->conn, s->sql)) return DB_ERROR;
  int rc = prepare_again(db, s);
  if (rc == DB_OK) rc = prepare_typed(db, s);
  if (rc != DB_OK) return rc;
  if (!pg_in_transaction(s->conn) || s->conn->bulk || s->savepoint) return run_prepared(db, s);
  return run_under_savepoint(db, s);
}

int pg_stmt_rows(const struct pg_stmt *s) { return s->result ? PQntuples(s->result) : 0; }

int64_t pg_stmt_changes(const struct pg_stmt *s)
{
  const char *n = s->result ? PQcmdTuples(s->result) : "";
  return *n ? strtoll(n, NULL, 10) : 0;
}

int pg_stmt_column(const struct pg_stmt *s, const char *alias)
{
  return s->result ? PQfnumber(s->result, alias) : -1;
}

int pg_stmt_columns(const struct pg_stmt *s) { return s->result ? PQnfields(s->result) : 0; }

const char *pg_stmt_column_name(const struct pg_stmt *s, int col) { return PQfname(s->result, col); }

const char *pg_stmt_text(const struct pg_stmt *s, int row, int col) { return PQgetvalue(s->result, row, col); }

bool pg_stmt_is_null(const struct pg_stmt *s, int row, int col) { return PQgetisnull(s->result, row, col); }

enum pg_kind pg_stmt_kind(const struct pg_stmt *s, int col)
{
  switch (PQftype(s->result, col)) {
  case OID_INT2: case OID_INT4: case OID_INT8: return PG_KIND_INT;
  case OID_FLOAT4: case OID_FLOAT8: return PG_KIND_REAL;
  case OID_NUMERIC: return PG_KIND_NUMERIC;
  case OID_BOOL: return PG_KIND_BOOL;
  case OID_BYTEA: return PG_KIND_BYTES;
  case OID_JSON: case OID_JSONB: return PG_KIND_JSON;
  default: return PG_KIND_TEXT;
  }
}

void pg_stmt_close(struct pg_stmt *s)
{
  if (!s) return;
  PQclear(s->result);
  s->result = NULL;
  for (int i = 0; i < s->nparams; i++) {
    free(s->values[i]);
    s->values[i] = NULL;
  }
}
