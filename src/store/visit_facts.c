/* visit_facts — coverage from household_visit_month; see visit_facts.h. A household counts as
 * visited in [from, today] when its latest visit is on or after from; with from on a month's 1st
 * that is "the month of its latest visit is from's month or later", which the facts hold. */
#include "store/visit_facts.h"

#include <string.h>

#include "store/db_sqlite.h"
#include "util/strbuf.h"

bool visit_facts_answer(const char *from, const char *to, const char *today)
{
  return strlen(from) == 10 && strcmp(from + 7, "-01") == 0 && strcmp(to, today) >= 0;
}

/* The children drive the loop (CROSS JOIN keeps them outermost), so each child's rows come together
 * and the caller sums them as they come: no GROUP BY sorting tens of thousands of fact rows. */
int visit_facts_coverage_sql(struct strbuf *sql)
{
  return strbuf_appendf(sql,
      "SELECT ch.code, ch.name, f.monitored, f.n, CASE WHEN f.month >= substr(:from, 1, 7) THEN f.n ELSE 0 END"
      " FROM (SELECT code, name, path FROM region WHERE parent_code = :region"
      "   UNION ALL SELECT code, name, path FROM region WHERE code = :region AND level = 'village') ch"
      " CROSS JOIN region tv ON tv.path >= ch.path AND tv.path < ch.path || '~' AND tv.level = 'village'"
      " CROSS JOIN household_visit_month f ON f.village_code = tv.code WHERE 1");
}

int visit_facts_rebuild(struct db *db)
{
  return db_exec(db,
      "DELETE FROM household_visit_month;"
      "INSERT INTO household_visit_month (village_code, monitored, month, n)"
      " SELECT village_code, monitored, coalesce(substr(last_visit_on, 1, 7), ''), count(*) FROM household"
      " WHERE status = 'active' AND (monitored = 1 OR category = 'alleviated')"
      " GROUP BY village_code, monitored, coalesce(substr(last_visit_on, 1, 7), '')");
}
