/* calendar (store) — table calendar_day: the exceptions to Monday–Friday (法定节假日 'holiday',
 * 调休上班 'workday'), loaded from the npm package chinese-days, and read back for a range. */
#ifndef ZHUCUN_STORE_CALENDAR_H
#define ZHUCUN_STORE_CALENDAR_H

#include <jansson.h>
#include <stddef.h>

#include "core/calendar.h"

struct db;

#define CALENDAR_DEFAULT_FILE "data/node_modules/chinese-days/dist/chinese-days.json"

struct calendar_load_stats { long added, changed, unchanged; int first_year, last_year; };

/* Loads chinese-days.json ({"holidays":{"2026-02-15":"Spring Festival,春节,4",...},"workdays":{...},
 * "inLieuDays":{...}}): holidays and inLieuDays (调休放假) become kind 'holiday', workdays (调休上班)
 * kind 'workday', each with its Chinese name. Idempotent: an upsert in one transaction; dates
 * not in the file stay. A malformed file changes nothing: -1 with the reason in err. */
int calendar_load_file(struct db *db, const char *path, struct calendar_load_stats *stats, char *err, size_t errlen);
/* The same from a parsed document (the caller owns root); opens its own transaction. */
int calendar_load_json(struct db *db, const json_t *root, struct calendar_load_stats *stats, char *err, size_t errlen);

/* The exceptions in from..to (yyyymmdd), sorted: *out is malloc'd (free it), *n their count. */
int calendar_read(struct db *db, int from, int to, struct calendar_exception **out, size_t *n);

/* GET /api/v1/calendar?year=: {"year","loaded","items":[{date,kind,kind_name,name,weekday}],
 * "months":[{month,days,working_days,holidays,workdays}],"working_days"}; NULL on a database error. */
json_t *calendar_year_json(struct db *db, int year);

#endif
