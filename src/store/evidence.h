/* evidence — what the obligation engine counts (2.2–4.5, 5.7).
 *
 * Every record that can satisfy an obligation (a meeting, a dispatch, a visit, funds in place,
 * a training attended, a monitoring meeting held) calls evidence_add() in the same transaction
 * that writes it, naming the kind of evidence (policy obligations[].evidence), the party that
 * owed it and the day it was done. The engine reads only this table, so the record modules and
 * the engine never know of each other. Withdrawing a record revokes its evidence rather than
 * deleting it, so the trail stays.
 *
 * Writers also ask evidence_month_locked() before they add, change or withdraw a record: a
 * month's records lock record_lock_days (policy) after it ends, unless a higher level reopened
 * it (period_unlock) for a region containing the record's place. */
#ifndef ZHUCUN_EVIDENCE_H
#define ZHUCUN_EVIDENCE_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* Party types, as in obligation_evidence.party_type and the policy's obligations[].owner. */
#define PARTY_COUNTY         "county"          /* the county's leading group (region code) */
#define PARTY_TOWNSHIP       "township"        /* the township party committee (region code) */
#define PARTY_UNIT           "unit"            /* the dispatching unit (unit id) */
#define PARTY_UNIT_PRINCIPAL "unit_principal"  /* its principal leader (unit id) */
#define PARTY_UNIT_DEPUTY    "unit_deputy"     /* its responsible deputy leader (unit id) */
#define PARTY_UNIT_HR        "unit_hr"         /* its HR head (unit id) */
#define PARTY_TEAM           "team"            /* the village's team (village region code) */
#define PARTY_CADRE          "cadre"           /* one cadre (cadre id) */
#define PARTY_CITY           "city"            /* the city, for its own units (4.5; region code) */
#define PARTY_UNIT_TEAM      "unit_team"       /* a unit for one of its teams (3.1a, 3.1b; "unit id:village code") */

struct evidence {
  const char *kind;        /* e.g. "township_dispatch" */
  const char *party_type;  /* PARTY_* */
  const char *party_id;    /* region code, or a unit / cadre id as decimal text */
  const char *done_on;     /* YYYY-MM-DD, China Standard Time */
  double amount;           /* money for funds; ignored unless has_amount */
  bool has_amount;
  const char *record_type; /* the table of the record behind it */
  int64_t record_id;
};

/* Adds one row. DB_OK or DB_ERROR. The caller holds the write transaction. */
int evidence_add(struct db *db, const struct evidence *e, int64_t now);
/* Marks every live row of the record revoked (the record was withdrawn or replaced). */
int evidence_revoke(struct db *db, const char *record_type, int64_t record_id, int64_t now);

/* *locked is set when records dated `date` may no longer change on `today`: today is later than
 * the end of date's month plus lock_days, and no period_unlock for that month on a region whose
 * path is a prefix of region_path (the record's place: '/36/3607/360781/…/') runs until today
 * or later. A unit's record with no village passes the path of the unit's region. DB_OK, or
 * DB_ERROR (also for a date that is not YYYY-MM-DD). */
int evidence_month_locked(struct db *db, const char *date, const char *today, int lock_days,
                          const char *region_path, bool *locked);

#endif
