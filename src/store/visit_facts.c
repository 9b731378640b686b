/* visit_facts — coverage from household_visit_month; see visit_facts.h. A household counts as
 * visited in [from, today] when its latest visit is on or after from; with from on a month's 1st
 * that is "the month of its latest visit is from's month or later", which the facts hold. */
#include "store/visit_facts.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "store/db.h"
#include "store/db_sqlite.h"
#include "util/strbuf.h"

bool visit_facts_answer(const char *from, const char *to, const char *today)
{
  return strlen(from) == 10 && strcmp(from + 7, "-01") == 0 && strcmp(to, today) >= 0;
}

/* The children of :region (or the village itself) as ch, each with its villages as tv. */
#define CHILD_VILLAGES \
  " FROM (SELECT code, name, path FROM region WHERE parent_code = :region" \
  "   UNION ALL SELECT code, name, path FROM region WHERE code = :region AND level = 'village') ch" \
  " CROSS JOIN region tv ON tv.path >= ch.path AND tv.path < ch.path || '~' AND tv.level = 'village'"

/* The children drive the loop (CROSS JOIN keeps them outermost), so each child's rows come together
 * and the caller sums them as they come: no GROUP BY sorting tens of thousands of fact rows. */
int visit_facts_coverage_sql(struct strbuf *sql)
{
  return strbuf_appendf(sql,
      "SELECT ch.code AS code, ch.name AS name, f.monitored AS monitored, f.n AS households,"
      " CASE WHEN f.month >= substr(:from, 1, 7) THEN f.n ELSE 0 END AS visited"
      CHILD_VILLAGES " CROSS JOIN household_visit_month f ON f.village_code = tv.code WHERE 1 = 1");
}

int visit_facts_totals_sql(struct strbuf *sql)
{
  return strbuf_appendf(sql, "SELECT ch.code AS code, ch.name AS name, f.monitored AS monitored,"
                             " f.n AS households, 0 AS visited"
                             CHILD_VILLAGES " CROSS JOIN household_visit_month f ON f.village_code = tv.code WHERE 1 = 1");
}

/* Each household visited within the months has exactly one visited month there whose previous
 * visited month is before them: its first. */
int visit_facts_months_sql(struct strbuf *sql)
{
  return strbuf_appendf(sql, "SELECT ch.code AS code, ch.name AS name, f.monitored AS monitored,"
                             " 0 AS households, f.n AS visited" CHILD_VILLAGES
                             " CROSS JOIN visit_month_first f ON f.village_code = tv.code AND f.month >= :month_from"
                             " AND f.month <= :month_to AND f.prev_month < :month_from WHERE 1 = 1");
}

/* A visit is recorded at its household's village (http/h_visits refuses another; a household keeps
 * its village), so the edge reads the visits of the region's villages by the covering index
 * visit(village_code, visited_on, household_id) and each visited household once by its key; one probe of visit(household_id,
 * visited_on) each for the months and the other edge. */
int visit_facts_edge_sql(struct strbuf *sql)
{
  return strbuf_appendf(sql,
      "SELECT ch.code AS code, ch.name AS name, h.monitored AS monitored, 0 AS households,"
      " :sign * count(DISTINCT h.id) AS visited" CHILD_VILLAGES
      " CROSS JOIN visit v ON v.village_code = tv.code AND v.visited_on >= :edge_from AND v.visited_on <= :edge_to"
      " JOIN household h ON h.id = v.household_id"
      " WHERE h.village_code = tv.code AND h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')"
      " AND NOT EXISTS (SELECT 1 FROM visit w WHERE w.household_id = h.id AND w.visited_on >= :months_from"
      "   AND w.visited_on <= :months_to)"
      " AND NOT EXISTS (SELECT 1 FROM visit x WHERE x.household_id = h.id AND x.visited_on >= :other_from"
      "   AND x.visited_on <= :other_to)");
}

int visit_facts_edge_tail(struct strbuf *sql) { return strbuf_appendf(sql, " GROUP BY ch.code, h.monitored"); }

static void iso(int date, char out[11])
{
  char text[DATE_ISO_SIZE];
  date_format_iso(date, text);
  snprintf(out, 11, "%s", text);
}

static void month_of(int date, char out[8])
{
  char text[DATE_ISO_SIZE];
  date_format_iso(date, text);
  snprintf(out, 8, "%.7s", text);
}

int visit_facts_split(const char *from, const char *to, const char *today, struct visit_period_parts *out)
{
  int f, t, now;
  memset(out, 0, sizeof *out);
  if (date_parse_iso(from, &f) != 0 || date_parse_iso(to, &t) != 0 || date_parse_iso(today, &now) != 0) return -1;
  int t_end = date_make(date_year(t), date_month(t), date_days_in_month(date_year(t), date_month(t)));
  if (t >= now) t = t_end; /* no visit after today: the period's last month is whole */
  int first = date_day(f) == 1 ? f : date_add_months(date_make(date_year(f), date_month(f), 1), 1);
  int last = t == t_end ? t : date_add_days(date_make(date_year(t), date_month(t), 1), -1);
  if (first > last) {
    iso(f, out->edge1_from);
    iso(t, out->edge1_to);
    return 0;
  }
  month_of(first, out->month_from);
  month_of(last, out->month_to);
  if (f < first) { iso(f, out->edge1_from); iso(date_add_days(first, -1), out->edge1_to); }
  if (t > last) { iso(date_add_days(last, 1), out->edge2_from); iso(t, out->edge2_to); }
  return 0;
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

int visit_facts_months_rebuild(struct db *db)
{
  return db_exec(db,
      "DELETE FROM visit_month_first;"
      "INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)"
      " SELECT h.village_code, m.month, h.monitored, m.prev_month, count(*)"
      " FROM (SELECT household_id, month,"
      "   coalesce(lag(month) OVER (PARTITION BY household_id ORDER BY month), '') AS prev_month"
      "   FROM (SELECT DISTINCT household_id, substr(visited_on, 1, 7) AS month FROM visit) AS dv) m"
      " JOIN household h ON h.id = m.household_id"
      " WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')"
      " GROUP BY h.village_code, m.month, h.monitored, m.prev_month");
}
