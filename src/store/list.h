/* list — the bounds of a page of a list: how many rows a page may hold and how many an export may
 * take. The HTTP layer reads a request's page and page size against them (http/json_in).
 *
 * The list queries themselves (a count and a page, both in SQL, with named parameters) are
 * store-internal: store/list_sql.h. */
#ifndef ZHUCUN_LIST_H
#define ZHUCUN_LIST_H

#define LIST_MAX_PAGE_SIZE 200
#define LIST_EXPORT_MAX_ROWS 200000

#endif
