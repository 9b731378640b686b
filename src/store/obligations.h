/* obligations (store) — who owes what in a scope and a date range, and the compliance matrix.
 *
 * Parties (责任主体) come from the posts (assignments) live in the range, read once per owner type
 * with GROUP BY: a county or township owes while one of its villages has a live team; a unit, its
 * principal, deputy and HR head while it has a cadre in post; a team (the village) while it is
 * staffed — its unit for roll-ups is the unit of its first secretary, else of its team leader; a
 * cadre while in post (cadre rows honour "posts"). Evidence is read per evidence kind — the whole
 * range (a city's or province's), the wanted parties' in one query (a county's), or a query a party
 * (a township's few) —, put in party order, merged with the parties in memory, and each cell is
 * judged by core/obligations. Nothing is stored: the matrix is derived from the evidence.
 *
 * Roll-ups (like DHIS2's reporting rates): expected = cells whose period is due (not "not yet
 * due"), done = met + met late, on time = met, rate = done / expected. They drill down city →
 * county → township → unit → team: below a region R the rows are its counties (R a city), its
 * townships (R a county), the units whose teams or cadres serve there (R a township), or a unit's
 * teams (R a township and a unit given); what R itself owes is the row "本级". */
#ifndef ZHUCUN_STORE_OBLIGATIONS_H
#define ZHUCUN_STORE_OBLIGATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/obligations.h"

struct db;
struct scope;

/* A party named by type and id, for filters. */
struct party_ref { enum obligation_owner type; char id[24]; };

struct compliance_query {
  int from, to;                       /* yyyymmdd, inclusive */
  int today;
  int lock_days, anchor_year;         /* record_lock_days, obligation_two_year_anchor */
  const struct obligation *obligations;
  size_t nobligations;
  const char *region_code;            /* R; NULL: the scope's own region (or all for a cadre) */
  int64_t unit_id;                    /* with a township R: one unit's teams; 0 otherwise */
  const char *obligation;             /* one code, or NULL */
  const char *status;                 /* cells: met | met_late | missing | not_yet_due | late (missing + met_late), or NULL */
  const struct party_ref *parties;    /* only these parties (the user's own), or NULL */
  size_t nparties;
  const struct party_ref *exclude;    /* not these, or NULL */
  size_t nexclude;
  const char *group;                  /* cells: only the parties of this roll-up row key, or NULL */
  int due_from, due_to;               /* only the periods falling due in [due_from, due_to] (cells and
                                         counts), yyyymmdd; 0 0: every period (the day's notices read a
                                         province's week, not its 260,000 cells) */
};

/* The matrix summary: {from, to, today, region, unit, obligations[], totals, rows[], trend[]} —
 * see docs/API.md. NULL on a database error; *not_found set when R or the unit is unknown or out
 * of scope. */
json_t *compliance_summary_json(struct db *db, const struct scope *scope, const struct compliance_query *q,
                                bool *not_found);
/* The cells, {items, total, page, page_size}, most recent due first; page_size 0: all. */
json_t *compliance_cells_json(struct db *db, const struct scope *scope, const struct compliance_query *q, int page,
                              int page_size, bool *not_found);

/* One cell as compliance_cells_each hands it: borrowed, valid during the call. */
struct compliance_cell {
  const struct obligation *o;
  enum obligation_owner party_type;
  const char *party_id, *party_name;
  struct obligation_period period;
  enum cell_status status;
};
/* The cells of compliance_cells_json, in its order, handed to each(ctx, cell) without being built as
 * JSON nor their places named (the day's notices: some 100,000 cells on a province's month end).
 * DB_ERROR when each returns non-zero (it stops there); DB_NOT_FOUND with *not_found as above. */
int compliance_cells_each(struct db *db, const struct scope *scope, const struct compliance_query *q,
                          int (*each)(void *ctx, const struct compliance_cell *c), void *ctx, bool *not_found);

/* A page of the cells as above and, from the same judging, all of them (never a page) grouped by
 * duty: {items, total, page, page_size, groups:[{obligation, clause, action_zh, count, parties
 * (distinct), party_names (the first max_names, most recent first)}]}, the largest count first
 * (下级未完成 of GET /obligations/mine). */
json_t *compliance_cells_with_duties_json(struct db *db, const struct scope *scope, const struct compliance_query *q,
                                         int page, int page_size, size_t max_names, bool *not_found);

/* The engine's reads of evidence (kind, party type, from, to[, parties]): a whole kind in party order
 * (a city's or province's matrix), the named parties' (a JSON array of ids: up to a couple of thousand
 * parties judged, a county's) or one party's (a few judged, a township's own);
 * tests/unit/test_obligation_plans.c checks their plans. */
extern const char *const OBLIGATION_FACTS_ALL_SQL;
extern const char *const OBLIGATION_FACTS_PARTIES_SQL;
extern const char *const OBLIGATION_FACTS_PARTY_SQL;

/* The evidence behind one cell: the rows of kind for the party dated in [from, to] (revoked ones
 * too, marked), with the record each comes from. *not_found when the party is not one the scope
 * sees in that range. */
json_t *compliance_evidence_json(struct db *db, const struct scope *scope, const struct obligation *o,
                                 const char *party_id, int from, int to, bool *not_found);

/* The periods of o overlapping [from, to] as a JSON array of {first, last, due}. */
json_t *obligation_periods_json(const struct obligation *o, int from, int to, int anchor_year);
json_t *obligation_json(const struct obligation *o);

/* ---- period unlocks (月度锁账的解锁) and calendar tokens ---- */

/* Reopens month ("YYYY-MM") for the region and below until `until`. */
int period_unlock_insert(struct db *db, const char *region_code, const char *month, const char *until,
                         const char *reason, int64_t user_id, int64_t now, int64_t *id_out);
/* The unlocks of regions in scope, newest first. */
json_t *period_unlocks_list_json(struct db *db, const struct scope *scope, int page, int page_size);

/* Stores the SHA-256 of a new calendar token for the user, replacing the old one. */
int ics_token_set(struct db *db, int64_t user_id, const unsigned char hash[32], int64_t now);
/* The user of a token hash: DB_NOT_FOUND when none or the account is disabled. */
int ics_token_user(struct db *db, const unsigned char hash[32], int64_t *user_id);
int ics_token_exists(struct db *db, int64_t user_id, bool *exists);

#endif
