/* presence_sql — the posts of the monthly presence (store/presence.h) read together with what a
 * caller adds to the same statement (the full-coverage analysis: its cadre's logs, leaves, violations
 * and reminders), so the posts in scope are read once.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store); the extra
 * columns are SQL and their reader takes a statement (tests/check_seam.sh). */
#ifndef ZHUCUN_PRESENCE_SQL_H
#define ZHUCUN_PRESENCE_SQL_H

#include <sqlite3.h>

#include "store/presence.h"

/* What a caller reads of each post in the same statement (the full-coverage analysis: its cadre's
 * logs, leaves, violations and reminders), so the posts in scope are read once. columns: ", expr, ..."
 * after the presence columns, over the aliases a (assignment), c (cadre), ar (village), u (unit) and
 * those of joins (" LEFT JOIN ..."); read(st, col, post) gets the first extra column's index. */
struct presence_extra {
  const char *joins, *columns;
  int (*read)(sqlite3_stmt *st, int col, struct presence_post *post);
};
int presence_posts_read_with(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                             int page_size, const struct presence_extra *extra, struct presence_posts *out);
#endif
