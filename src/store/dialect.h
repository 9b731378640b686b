/* dialect — the SQL fragments in which SQLite and a database server differ, in one place (issue 16).
 *
 * Instants are stored as Unix seconds (INTEGER) and shown in China Standard Time, which has no daylight
 * saving: SQLite turns them into text with its date functions and the 'unixepoch' modifier, plus eight
 * hours. Every store query that turns a stored instant into text, or into the CST day, says so through
 * these macros, so that a PostgreSQL build replaces this file and not the queries. Each macro takes the
 * SQL expression as a string literal and pastes it in; each answers NULL for a NULL instant, as SQLite's
 * functions do.
 *
 * What a PostgreSQL build would put here (the server's time zone never matters: the zone is named):
 *   SQL_CST_ISO(x)       to_char(to_timestamp(x) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
 *   SQL_CST_DATETIME(x)  to_char(to_timestamp(x) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
 *   SQL_CST_DATE(x)      to_char(to_timestamp(x) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')
 *   SQL_CST_DATE_BEFORE(x, n)  the same day text of (to_timestamp(x) AT TIME ZONE 'Asia/Shanghai')::date - n
 * (dates are kept as 'YYYY-MM-DD' text on both, so the answers compare as they do today).
 *
 * The other SQLite-only features the store still uses are listed in docs/DESIGN.md ("The store seam"). */
#ifndef ZHUCUN_DIALECT_H
#define ZHUCUN_DIALECT_H

/* An instant as ISO 8601 in CST: 2026-06-10T10:00:00+08:00. */
#define SQL_CST_ISO(x) "strftime('%Y-%m-%dT%H:%M:%S+08:00', " x ", 'unixepoch', '+8 hours')"
/* An instant as CST wall time for reading: 2026-06-10 10:00:00. */
#define SQL_CST_DATETIME(x) "datetime(" x ", 'unixepoch', '+8 hours')"
/* The CST day of an instant: 2026-06-10. */
#define SQL_CST_DATE(x) "date(" x ", 'unixepoch', '+8 hours')"
/* The CST day n days before the day of instant x (n an SQL integer expression). */
#define SQL_CST_DATE_BEFORE(x, n) "date(" x ", 'unixepoch', '+8 hours', '-' || " n " || ' days')"

#endif
