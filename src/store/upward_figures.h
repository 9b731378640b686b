/* upward_figures — the figures of a 上报材料 (issue #12 part 3), assembled from the record for one
 * region (a township or a county) and one period by calling the very store queries behind the
 * pages that show them — nothing is typed twice and no SQL is copied:
 *   cadres, presence   store/presence (在村情况, 2.1): the posts of each month of the period, days
 *                      in the village against the minimum (min_days_in_village_per_month), 达标率;
 *                      cadres = those in post in the period's last month;
 *   duties             store/obligations (履职监督): the roll-up totals of the period (expected,
 *                      done, on time, missing = late or not done);
 *   funds              store/funds (经费保障, 3.4a, 3.5): the teams of the period's year;
 *   training           store/training (培训管理, 4.1–4.5): the coverage of the year;
 *   visits             store/visits (入户走访, 5.6): the coverage of the period;
 *   cases              store/cases (监测帮扶, 5.7): opened and closed in the period, open now;
 *   plans              store/plans (帮扶计划, 5.9): the plans of the year and their progress.
 * Each figure is computed in a scope made of the reporting region itself, so the county reading a
 * township's draft sees the township's figures, and they equal what the township's own pages show.
 * The draft texts (工作开展情况, 存在问题, 下步打算) are written from the figures, to be edited. */
#ifndef ZHUCUN_UPWARD_FIGURES_H
#define ZHUCUN_UPWARD_FIGURES_H

#include <jansson.h>

struct db;
struct policy;
struct upward_region;

/* The figures of region over [from, to] (yyyymmdd), by the policy in force, as of today (yyyymmdd);
 * NULL on an error. */
json_t *upward_figures(struct db *db, const struct policy *pol, int today, const struct upward_region *region,
                       int from, int to);

/* The three draft texts from the figures; each malloc'd (free()), NULL on an error. */
int upward_draft_texts(const json_t *figures, const char *region_name, const char *period_zh, char **work,
                       char **problems, char **plans);

#endif
