/* roles — who may do what. The roles of the notice (CLAUSES.md "Roles") and the three
 * separated administrators of 等保 (三权分立: system, security, audit), each with the
 * permissions it holds and the kind of scope that bounds it. Pure data and lookups. */
#ifndef ZHUCUN_ROLES_H
#define ZHUCUN_ROLES_H

#include <stdbool.h>
#include <stdint.h>

/* Permission bits: a uint64_t, since the notice has more duties than an int has bits. */
typedef uint64_t perm_t;
#define PERM_BIT(n) ((perm_t)1 << (n))
#define PERM_REGION_READ        PERM_BIT(0)
#define PERM_REGION_EDIT        PERM_BIT(1)  /* 重点村 flag, check-in fence */
#define PERM_REGION_RESTRUCTURE PERM_BIT(2)  /* rename, merge, move (区划调整) */
#define PERM_UNIT_READ          PERM_BIT(3)
#define PERM_UNIT_WRITE         PERM_BIT(4)
#define PERM_USER_READ          PERM_BIT(5)
#define PERM_USER_WRITE         PERM_BIT(6)  /* create, disable: the system administrator */
#define PERM_USER_SECURITY      PERM_BIT(7)  /* reset password, unlock: the security administrator */
#define PERM_CADRE_READ         PERM_BIT(8)
#define PERM_AUDIT_READ         PERM_BIT(9)  /* the audit administrator alone */
#define PERM_CADRE_WRITE        PERM_BIT(10)  /* the registry: a unit's own cadres, or the departments in scope */
#define PERM_CADRE_REVEAL_ID    PERM_BIT(11)  /* read a full ID number (audited): organization departments */
#define PERM_ASSIGN_READ        PERM_BIT(12)
#define PERM_ASSIGN_NOMINATE    PERM_BIT(13)  /* units nominate; departments may too */
#define PERM_ASSIGN_APPROVE     PERM_BIT(14)  /* 1.5: the same-level org dept and RRB */
#define PERM_BATCH_WRITE        PERM_BIT(15)  /* open a rotation window (集中轮换) */
#define PERM_ASSIGN_RECALL      PERM_BIT(16)  /* 1.8: recall, adjustments by the county or city */
#define PERM_ASSIGN_ADJUST      PERM_BIT(17)  /* 1.2: ask for an adjustment (the unit, or the departments) */
#define PERM_HANDOVER_CONFIRM   PERM_BIT(18)  /* 1.6: confirm a handover complete (township, county, city) */
#define PERM_CHECKIN            PERM_BIT(19)  /* 2.1: a cadre checks in */
#define PERM_BOARD_READ         PERM_BIT(20)  /* 2.1: today's board and raw check-ins, for those who watch over cadres */
#define PERM_REPORT_SUBMIT      PERM_BIT(21)  /* 2.1: a cadre sends (and revises) the periodic work report (工作报告) */
#define PERM_REPORT_READ        PERM_BIT(22)  /* 2.1: read work reports in scope; the township and the unit mark them read */
#define PERM_LEAVE_REQUEST      PERM_BIT(24)  /* 2.1: a cadre asks for leave, cancels it, reports back (销假) */
#define PERM_LEAVE_READ         PERM_BIT(25)  /* 2.1: read leaves in scope */
#define PERM_LEAVE_APPROVE      PERM_BIT(26)  /* 2.4: township (<= leave_township_max_days) or county org dept / RRB */
#define PERM_LOG_WRITE          PERM_BIT(27)  /* 2.1, 5.1: a cadre writes the work log (驻村日志), drafts reports */
#define PERM_LOG_READ           PERM_BIT(28)  /* 2.1: read work logs in scope */
#define PERM_PRESENCE_READ      PERM_BIT(29)  /* 2.1, 3.6: the monthly presence analysis (在村情况) in scope */
#define PERM_DISCIPLINE_WRITE   PERM_BIT(30)  /* 2.5, 2.7, 3.6: record violations, secondments, reminders (township, county, city) */
#define PERM_DISCIPLINE_READ    PERM_BIT(31)  /* 2.5, 2.7: read violations/reminders in scope; units acknowledge feedback */
/* 5 (issue #5): the obligation engine and the records that feed it */
#define PERM_OBLIGATION_READ    PERM_BIT(32) /* 2.2–4.5: compliance matrix, reminders, ICS feed, in scope */
#define PERM_SUPERVISION_WRITE  PERM_BIT(33) /* 2.2, 2.3, 3.1, 3.2: meetings, dispatches, inquiries, hearings, visits */
#define PERM_FUNDS_WRITE        PERM_BIT(34) /* 3.4, 3.5: work funds, subsidies, accident insurance of a team */
#define PERM_TRAINING_WRITE     PERM_BIT(35) /* 4.1–4.5: training plans, events and participants */
#define PERM_PERIOD_UNLOCK      PERM_BIT(36) /* a locked period's records reopened by a higher level (audited) */
#define PERM_COMMENDATION_WRITE PERM_BIT(37) /* 3.7: commendations of cadres and units */
/* 6 (issue #6): results in the village */
#define PERM_HOUSEHOLD_READ     PERM_BIT(38) /* 5.6–5.8: households, visits, cases in scope */
#define PERM_HOUSEHOLD_WRITE    PERM_BIT(39) /* 5.8: registry edits and imports (township, county) */
#define PERM_HOUSEHOLD_REVEAL_ID PERM_BIT(40)/* read a member's full ID number (audited) */
#define PERM_VISIT_WRITE        PERM_BIT(41) /* 5.6: a cadre records a household visit */
#define PERM_CASE_WRITE         PERM_BIT(42) /* 5.7: raise a risk, record review, notice, objections, measures */
#define PERM_CASE_CHECK         PERM_BIT(43) /* 5.7: the township's check (乡镇审核) */
#define PERM_CASE_DECIDE        PERM_BIT(44) /* 5.7: the county's decision to monitor, and closure */
#define PERM_PLAN_WRITE         PERM_BIT(45) /* 5.9: the village team drafts the annual plan and records progress */
#define PERM_PLAN_REVIEW        PERM_BIT(46) /* 5.9: the unit's party committee approves or returns it */
#define PERM_VILLAGE_WORK_WRITE PERM_BIT(47) /* 5.2–5.7: monthly monitoring meeting, party activities, resources */
#define PERM_SCREEN_READ        PERM_BIT(48) /* 数据大屏: the city's or a county's four figures per place, for a meeting room */

/* What bounds a user's reads and writes (本级及以下). */
enum scope_kind {
  SCOPE_KIND_NONE,    /* administrators: reference data only (places, units, accounts) */
  SCOPE_KIND_REGION,  /* a region and everything below it */
  SCOPE_KIND_UNIT,    /* a dispatching unit */
  SCOPE_KIND_SELF,    /* a cadre: their own records */
};

struct role {
  const char *code;      /* English name in code and API */
  const char *name_zh;   /* 中文 */
  enum scope_kind scope_kind;
  bool admin;
  perm_t perms;          /* PERM_ bits */
  const char *level;     /* "city", "county", "township" for region roles: the level of their scope region */
};

const struct role *roles_find(const char *code);
const struct role *roles_all(int *count);
bool roles_can(const struct role *role, perm_t perm);
const char *roles_scope_kind_name(enum scope_kind kind);
/* "org" for an organization department role, "rrb" for a rural revitalization bureau role,
 * NULL otherwise: the two departments whose approvals 1.5 requires. */
const char *roles_department(const struct role *role);

#endif
