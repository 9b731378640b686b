/* funds — 经费保障 and 人身意外伤害保险 of the village teams (3.4a, 3.4b, 3.5).
 *
 * A team (驻村工作队) is named by its village. The ledger has one row per payment put in place
 * (到位): the team kinds of 3.4a (工作经费, 帮扶经费) and the per-cadre kinds of 3.4b (生活补助,
 * 交通补贴, 健康体检, 通信补贴), each with its amount, date, document number (文号) and paying
 * unit. An accident insurance policy (3.5) names the cadres of one team it covers. A team's year
 * is judged from these rows (funds_teams_json): total work funds against min_amount, the day the
 * total reached it against the deadline, and whether every cadre in post is insured.
 *
 * Each work-funds entry writes a work_funds evidence row (party team, its amount); a policy that
 * completes the cover of a team writes accident_insurance. Withdrawals revoke their evidence.
 * Queries use SCOPE_TEAM (the village as tv). The caller holds the write transaction. */
#ifndef ZHUCUN_FUNDS_H
#define ZHUCUN_FUNDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct scope;

/* DB_OK when village_code is a village with cadres in post now and in scope (SCOPE_TEAM); its
 * region path in path. DB_NOT_FOUND otherwise. */
int funds_team_in_scope(struct db *db, const struct scope *scope, const char *village_code, char path[96]);
/* DB_OK when the cadre holds a post now in village_code within scope (SCOPE_ASSIGNMENT: a unit its
 * own cadres). */
int funds_cadre_in_team(struct db *db, const struct scope *scope, int64_t cadre_id, const char *village_code);

/* The name of a dispatching unit (the payer), DB_NOT_FOUND when there is none. */
int funds_unit_name(struct db *db, int64_t unit_id, char *out, size_t size);

struct fund_new {
  const char *village_code, *kind, *paid_on, *doc_no, *payer_name, *note;
  int64_t cadre_id;      /* 3.4b kinds; 0 for the team kinds */
  int64_t payer_unit_id; /* 0 when the payer is not a dispatching unit */
  double amount;
  int64_t recorded_by; /* 0: generated (demo) */
};
/* DB_CONFLICT when the same document already pays this team (cadre) this kind. */
int funds_insert(struct db *db, const struct fund_new *f, int64_t now, int64_t *id_out);
/* DB_CONFLICT when already withdrawn. */
int funds_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, int64_t now);
json_t *funds_get_json(struct db *db, const struct scope *scope, int64_t id);
struct fund_filter {
  int year;                 /* 0: any */
  const char *village_code; /* NULL: any */
  const char *kind;         /* NULL: any */
  int64_t cadre_id;
  bool with_withdrawn;
};
json_t *funds_list_json(struct db *db, const struct scope *scope, const struct fund_filter *f, int page,
                        int page_size);

struct insurance_new {
  const char *village_code, *insurer, *policy_no, *cover_start, *cover_end, *payer_name;
  int year;
  int64_t payer_unit_id;
  const int64_t *cadres;
  size_t ncadres;
  int64_t recorded_by; /* 0: generated (demo) */
};
/* today: ISO, bounds "in post" for the cover check. DB_CONFLICT: the policy number is already
 * recorded for this team. */
int insurance_insert(struct db *db, const struct insurance_new *n, const char *today, int64_t now, int64_t *id_out);
int insurance_withdraw(struct db *db, int64_t id, int64_t user_id, const char *reason, const char *today,
                       int64_t now);
json_t *insurance_get_json(struct db *db, const struct scope *scope, int64_t id);
json_t *insurance_list_json(struct db *db, const struct scope *scope, const struct fund_filter *f, int page,
                            int page_size);

/* 3.4a, 3.5: every team with a post in the year, in scope. */
struct team_query {
  int year;
  const char *today;        /* ISO */
  double min_amount;        /* 10,000 yuan (policy obligations work_funds.min_amount) */
  const char *deadline;     /* "MM-DD" (policy obligations work_funds.deadline) */
  const char *region_code;  /* narrows to a county, township or village; NULL: all */
  const char *flag;         /* below_min | late | insurance | any; NULL: all */
  int64_t unit_id;          /* the teams where this unit has a post in the year; 0: all */
};
/* {items:[{village_code, village_name, township_name, county_name, units, cadres, insured,
 * work_funds, assistance_funds, cadre_funds, entries, reached_on, insured_from, below_min, late,
 * insurance, flags:[{code, clause, text}]}], total, page, page_size, summary:{teams, below_min,
 * late, insurance, work_funds}}. */
json_t *funds_teams_json(struct db *db, const struct scope *scope, const struct team_query *q, int page,
                         int page_size);

/* 3.4a, 3.5 by dispatching unit: each unit with cadres in post in the teams of the year in scope
 * (a unit: itself), with {unit_id, unit_name, teams, below_min, late, insurance (teams flagged),
 * paid (the work funds it paid in the year)}; flag narrows to units with such a team. */
json_t *funds_units_json(struct db *db, const struct scope *scope, const struct team_query *q, int page,
                         int page_size);

#endif
