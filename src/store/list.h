/* list — the bounds of a page of a list: how many rows a page may hold and how many an export may
 * take. The HTTP layer reads a request's page and page size against them (http/json_in).
 *
 * The list queries themselves (a count and a page, both in SQL, with named parameters) are
 * store-internal: store/list_sql.h. */
#ifndef ZHUCUN_LIST_H
#define ZHUCUN_LIST_H

#include <jansson.h>

#define LIST_MAX_PAGE_SIZE 200
#define LIST_EXPORT_MAX_ROWS 200000

/* An export's rows, one at a time (http/handlers streams them into the workbook): set before the
 * store's list call, the next list_query for every row (page_size 0) hands each row to fn instead of
 * keeping it, answers with no items (total as ever), and clears the sink. Per thread: a request is
 * answered on one thread. fn returns 0, or -1 to stop (the list is then NULL). The row is the
 * sink's (it is freed after the call). */
typedef int (*list_sink_fn)(void *ctx, json_t *row);
void list_sink_set(list_sink_fn fn, void *ctx);

#endif
