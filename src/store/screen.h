/* screen — the figures of 数据大屏 (issue #12 part 5): for a city (its counties) or a county (its
 * townships), per child region and for the whole, four figures, each read by the very store query
 * behind the page that shows it, so the map never disagrees with a page:
 *   在岗率      the board's totals (store/board; 今日在岗, GET /board?region=child&date=today): present ÷
 *               (present + absent) — those on leave or resting are not expected in the village; the
 *               whole's is the sum of its children's (each post lies under one child);
 *   职责完成率  store/obligations' roll-up (履职监督, GET /compliance?region=R&from=&to=): the row of
 *               the child region (done ÷ expected) and the totals of R, over the month so far;
 *   在办监测帮扶 store/cases (监测帮扶, GET /cases?village=child&state=open): the list's total;
 *   走访覆盖率  store/visits (入户走访, GET /visits/coverage?region=R&from=&to=): the child's row and
 *               the total, over the month so far.
 * Rates are percentages with one decimal, null when nothing is expected. No SQL here. */
#ifndef ZHUCUN_STORE_SCREEN_H
#define ZHUCUN_STORE_SCREEN_H

#include <jansson.h>

struct db;
struct policy;
struct scope;

struct screen_query {
  const char *region_code;   /* R: a city or a county the scope covers */
  int today;                 /* yyyymmdd, the request's day: 在岗率 is today's */
  int from, to;              /* the month: its first day, and its last day or today if earlier */
};

/* {from, to, date, totals:{figures}, items:[{code, name, level, figures}]}; figures are
 * on_duty:{present, leave, absent, rest, expected, rate}, duties:{expected, done, rate},
 * cases:{open}, visits:{households, visited, rate}. NULL on an error. */
json_t *screen_json(struct db *db, const struct policy *pol, const struct scope *scope, const struct screen_query *q);

#endif
