/* board — 今日在岗 (2.1) of a whole scope written straight to JSON text, for the biggest answer a
 * roll-up gives: a city's board is ten thousand posts (2.7 MB), and building a jansson object per
 * post, dumping and freeing them took two thirds of its time (issue 15, R1). The one statement of
 * the board: store/checkins' checkins_board_json() (the Excel export, 督查, the daily report) parses
 * this very text; tests/api/board*.test.mjs and facts.test.mjs read the answer.
 * The totals alone, with no item, for 数据大屏 (store/screen: one board per child region). */
#ifndef ZHUCUN_STORE_BOARD_H
#define ZHUCUN_STORE_BOARD_H

#include <stddef.h>

struct db;
struct scope;

enum { BOARD_PRESENT, BOARD_LEAVE, BOARD_ABSENT, BOARD_REST, BOARD_STATUSES };

/* {"clause":"2.1","date","items":[...],"totals":{present, leave, absent, rest}} as compact JSON, as
 * checkins_board_json() then json_dumps(JSON_COMPACT) give it. *text is malloc'd (free()). DB_OK or
 * DB_ERROR. region_code NULL: the whole scope. */
int board_json_text(struct db *db, const struct scope *scope, const char *date, const char *region_code,
                    char **text, size_t *len);

/* The totals of the same board (counts[BOARD_STATUSES]). DB_OK or DB_ERROR. */
int board_totals(struct db *db, const struct scope *scope, const char *date, const char *region_code,
                 int counts[BOARD_STATUSES]);

#endif
