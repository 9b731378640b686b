/* sql_trace — the text of every statement the store prepares on SQLite, appended to the file named by
 * ZHUCUN_SQL_TRACE (unset: nothing is written).
 *
 * Why: the store's SQL is one text for SQLite and PostgreSQL (issue 16). Running the API suite on SQLite
 * with a trace collects every statement the product runs, with its :names unbound; tests/tools/
 * pg_prepare_check prepares each on a PostgreSQL server holding zhucun's schema, which finds a statement
 * PostgreSQL would refuse without needing data that reaches it. Each statement is written once per
 * connection (at its first prepare), ended by a line holding only the byte 0x1e. */
#ifndef ZHUCUN_SQL_TRACE_H
#define ZHUCUN_SQL_TRACE_H

void sql_trace(const char *sql);

#endif
