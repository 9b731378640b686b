/* query_internal — the state of one run of a statement, shared by store/query's two halves: query.c
 * (SQLite, and the public calls, which hand a PostgreSQL query to query_pg.c) and query_pg.c.
 *
 * Store-internal: included only by query.c and query_pg.c. */
#ifndef ZHUCUN_QUERY_INTERNAL_H
#define ZHUCUN_QUERY_INTERNAL_H

#include <sqlite3.h>

#include "store/pg.h"
#include "store/query.h"

#define QUERY_MEMO 48

struct alias_col {
  const char *alias;
  int col;
};

struct pg_stmt;

struct query {
  struct db *db;
  sqlite3_stmt *st;      /* SQLite: the connection's cached statement */
  struct pg_stmt *pg;    /* PostgreSQL: the connection's prepared statement (st NULL) */
  int rc;                /* DB_OK until something failed, then DB_ERROR */
  int last;              /* the last step's SQLite code; SQLITE_OK before the first */
  int row;               /* PostgreSQL: the current row of the result, -1 before the first */
  bool ran;              /* PostgreSQL: the statement has run */
  unsigned char *blob;   /* PostgreSQL: the last blob read, decoded (freed at the next row) */
  int nmemo, cursor;
  struct alias_col memo[QUERY_MEMO];
};

/* Records a failure of q (reported through db once). */
void query_fail(struct query *q, const char *what, const char *name);
/* The column named alias through q's memo; lookup finds it in the statement (-1 when none). */
int query_memo_column(struct query *q, const char *alias, int (*lookup)(struct query *q, const char *alias));

/* The PostgreSQL half (query_pg.c): the same calls on q->pg. */
struct query *query_pg_open(struct db *db, const char *sql);
void query_pg_bind(struct query *q, const char *name, const void *v, size_t len, enum pg_value kind);
bool query_pg_names(struct query *q, const char *name);
int query_pg_rows(struct query *q);
bool query_pg_next(struct query *q);
int query_pg_column(struct query *q, const char *alias);
const char *query_pg_text(struct query *q, int col);
/* The server's text of a whole number (or of a truth value, t/f, read as 1/0 as SQLite holds it) into *v;
 * false for one past 64 bits, which fails q ("integer overflow", as SQLite's sum() stops), named by name. */
bool query_pg_whole(struct query *q, const char *text, const char *name, int64_t *v);
bool query_pg_is_null(struct query *q, int col);
const void *query_pg_blob(struct query *q, int col, size_t *len);
json_t *query_pg_row_object(struct query *q);
int query_pg_close(struct query *q);
int query_pg_write(struct query *q, int64_t *first_col, int64_t *changed);

#endif
