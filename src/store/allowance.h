/* allowance (store) — the monthly allowance sheets of the dispatching units (补助核算表, 3.4b).
 *
 * A sheet is one unit's month: a line per post of the unit that held its village some day of the
 * month, with the post's presence (store/presence: the count of 在村情况, the same query) and the
 * amounts of core/allowance. Drafted by the server or the unit (draft), recounted while a draft,
 * adjusted line by line with a reason, then confirmed: each confirmed amount above zero becomes a
 * 3.4b row of the funds ledger (store/funds), written once — the sheet moves from draft to
 * confirmed under a guard on its version, so a second confirmation changes nothing (DB_CONFLICT).
 * Reads are bounded by the scope of the sheet's unit (SCOPE_UNIT: a unit its own sheets, a region
 * the units it administers); a cadre reads only their own lines. The caller holds the write
 * transaction. */
#ifndef ZHUCUN_STORE_ALLOWANCE_H
#define ZHUCUN_STORE_ALLOWANCE_H

#include <jansson.h>
#include <stdint.h>

#include "core/allowance.h"
#include "core/presence.h"

struct db;
struct scope;

struct allowance_count {
  int64_t unit_id;
  int year, month;
  int today;                               /* yyyymmdd: later days are not counted */
  const struct allowance_rules *rules;
  const struct presence_rules *presence;
};

/* A new draft of the unit's month with its lines. DB_CONFLICT when the unit already has a sheet for
 * the month. user_id 0: drafted by the server. */
int allowance_draft(struct db *db, const struct allowance_count *c, int64_t user_id, int64_t now, int64_t *id_out);
/* Counts a draft again (presence and formula of c); adjustments stay. DB_CONFLICT: not a draft, or
 * version is not the sheet's. */
int allowance_recount(struct db *db, int64_t sheet_id, int64_t version, const struct allowance_count *c);

struct allowance_adjust {
  int64_t sheet_id, line_id, version;
  int64_t living_fen, transport_fen;       /* the amounts the unit sets */
  const char *reason;
  int64_t user_id, now;
};
/* DB_CONFLICT: the sheet is not a draft or not at this version; DB_NOT_FOUND: no such line. */
int allowance_adjust_line(struct db *db, const struct allowance_adjust *a);

/* Confirms the draft at version: writes the ledger rows (kind living_allowance / transport_subsidy,
 * paid_on, doc_no, the unit as payer) and keeps their ids on the lines. DB_CONFLICT: not a draft or
 * stale. */
int allowance_confirm(struct db *db, int64_t sheet_id, int64_t version, const char *paid_on, const char *doc_no,
                      int64_t user_id, int64_t now);

/* {id, unit_id, unit_name, month, status, version, rules, min_days, counted_to, drafted_by_name,
 * drafted_at, confirmed_by_name, confirmed_at, doc_no, lines:[...], totals:{lines, living_fen,
 * transport_fen, total_fen, adjusted}}, or NULL (not found / not in scope). */
json_t *allowance_sheet_json(struct db *db, const struct scope *scope, int64_t id);
/* The sheets in scope, newest month first; month/status NULL: any; unit_id 0: any; before ("YYYY-MM"):
 * only months before it (drafts waiting for confirmation: the month is over), NULL: any. */
json_t *allowance_sheets_json(struct db *db, const struct scope *scope, const char *month, const char *status,
                              int64_t unit_id, const char *before, int page, int page_size);
/* A cadre's own lines, newest month first, with the sheet's month and status. */
json_t *allowance_cadre_lines_json(struct db *db, int64_t cadre_id, int page, int page_size);
/* The id of the unit's sheet of month ("YYYY-MM"), 0 when none; -1 on error. */
int64_t allowance_sheet_of(struct db *db, int64_t unit_id, const char *month);
/* The units with a post that touches the month and no sheet for it: drafts them (the server's
 * monthly run). *drafted: how many. */
int allowance_draft_missing(struct db *db, const struct allowance_count *c, int64_t now, int *drafted);

#endif
