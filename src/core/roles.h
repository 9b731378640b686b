/* roles — who may do what. The roles of the notice (CLAUSES.md "Roles") and the three
 * separated administrators of 等保 (三权分立: system, security, audit), each with the
 * permissions it holds and the kind of scope that bounds it. Pure data and lookups. */
#ifndef ZHUCUN_ROLES_H
#define ZHUCUN_ROLES_H

#include <stdbool.h>

enum permission {
  PERM_REGION_READ      = 1 << 0,
  PERM_REGION_EDIT      = 1 << 1,  /* 重点村 flag, check-in fence */
  PERM_REGION_RESTRUCTURE = 1 << 2,/* rename, merge, move (区划调整) */
  PERM_UNIT_READ        = 1 << 3,
  PERM_UNIT_WRITE       = 1 << 4,
  PERM_USER_READ        = 1 << 5,
  PERM_USER_WRITE       = 1 << 6,  /* create, disable: the system administrator */
  PERM_USER_SECURITY    = 1 << 7,  /* reset password, unlock: the security administrator */
  PERM_CADRE_READ       = 1 << 8,
  PERM_AUDIT_READ       = 1 << 9,  /* the audit administrator alone */
  PERM_CADRE_WRITE      = 1 << 10, /* the registry: a unit's own cadres, or the departments in scope */
  PERM_CADRE_REVEAL_ID  = 1 << 11, /* read a full ID number (audited): organization departments */
  PERM_ASSIGN_READ      = 1 << 12,
  PERM_ASSIGN_NOMINATE  = 1 << 13, /* units nominate; departments may too */
  PERM_ASSIGN_APPROVE   = 1 << 14, /* 1.5: the same-level org dept and RRB */
  PERM_BATCH_WRITE      = 1 << 15, /* open a rotation window (集中轮换) */
  PERM_ASSIGN_RECALL    = 1 << 16, /* 1.8: recall, adjustments by the county or city */
  PERM_ASSIGN_ADJUST    = 1 << 17, /* 1.2: ask for an adjustment (the unit, or the departments) */
  PERM_HANDOVER_CONFIRM = 1 << 18, /* 1.6: confirm a handover complete (township, county, city) */
  PERM_CHECKIN          = 1 << 19, /* 2.1: a cadre checks in */
  PERM_BOARD_READ       = 1 << 20, /* 2.1: today's board and raw check-ins, for those who watch over cadres */
  PERM_REPORT_SUBMIT    = 1 << 21, /* 2.1: a cadre sends (and revises) the periodic work report (工作报告) */
  PERM_REPORT_READ      = 1 << 22, /* 2.1: read work reports in scope; the township and the unit mark them read */
  PERM_LEAVE_REQUEST    = 1 << 24, /* 2.1: a cadre asks for leave, cancels it, reports back (销假) */
  PERM_LEAVE_READ       = 1 << 25, /* 2.1: read leaves in scope */
  PERM_LEAVE_APPROVE    = 1 << 26, /* 2.4: township (<= leave_township_max_days) or county org dept / RRB */
  PERM_LOG_WRITE        = 1 << 27, /* 2.1, 5.1: a cadre writes the work log (驻村日志), drafts reports */
  PERM_LOG_READ         = 1 << 28, /* 2.1: read work logs in scope */
  PERM_PRESENCE_READ    = 1 << 29, /* 2.1, 3.6: the monthly presence analysis (在村情况) in scope */
  PERM_DISCIPLINE_WRITE = 1 << 30, /* 2.5, 2.7, 3.6: record violations, secondments, reminders (township, county, city) */
  PERM_DISCIPLINE_READ  = (int)(1u << 31), /* 2.5, 2.7: read violations/reminders in scope; units acknowledge feedback */
};

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
  unsigned perms;        /* enum permission bits */
  const char *level;     /* "city", "county", "township" for region roles: the level of their scope region */
};

const struct role *roles_find(const char *code);
const struct role *roles_all(int *count);
bool roles_can(const struct role *role, enum permission perm);
const char *roles_scope_kind_name(enum scope_kind kind);
/* "org" for an organization department role, "rrb" for a rural revitalization bureau role,
 * NULL otherwise: the two departments whose approvals 1.5 requires. */
const char *roles_department(const struct role *role);

#endif
