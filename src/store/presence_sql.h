/* presence_sql — the posts of the monthly presence (store/presence.h) read together with what a
 * caller adds to the same statement (the full-coverage analysis: its cadre's logs, leaves, violations
 * and reminders), so the posts in scope are read once.
 *
 * Store-internal: included only inside src/store (and by the unit tests of the store); the extra
 * columns are SQL and their reader takes a query (store/query; tests/check_seam.sh). */
#ifndef ZHUCUN_PRESENCE_SQL_H
#define ZHUCUN_PRESENCE_SQL_H

#include "store/presence.h"

struct query;

/* What a caller reads of each post in the same statement (the full-coverage analysis: its cadre's
 * logs, leaves, violations and reminders), so the posts in scope are read once. columns: ", expr AS alias,
 * ..." after the presence columns, over the tables a (assignment), c (cadre), ar (village), u (unit) and
 * those of joins (" LEFT JOIN ..."), each named by an alias none of the presence columns has (id, cadre_id,
 * name, village_code, village_name, township_name, unit_name, post, start_date, end_date, unit_id, days,
 * leaves); read(q, post) reads the current row's extra columns by those aliases. */
struct presence_extra {
  const char *joins, *columns;
  int (*read)(struct query *q, struct presence_post *post);
};
int presence_posts_read_with(struct db *db, const struct scope *scope, const struct presence_query *q, int page,
                             int page_size, const struct presence_extra *extra, struct presence_posts *out);
#endif
