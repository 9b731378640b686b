/* roles — the table of roles. Adding a role is one row here; the router asks roles_can()
 * before any handler runs, and scope.c turns scope_kind into the SQL bounds of every query. */
#include "core/roles.h"

#include <string.h>

#define REGION_OFFICIAL (PERM_REGION_READ | PERM_REGION_EDIT | PERM_UNIT_READ | PERM_UNIT_WRITE | PERM_CADRE_READ | \
                         PERM_CADRE_WRITE | PERM_ASSIGN_READ | PERM_ASSIGN_NOMINATE | PERM_ASSIGN_APPROVE | \
                         PERM_BATCH_WRITE | PERM_ASSIGN_RECALL | PERM_ASSIGN_ADJUST | PERM_HANDOVER_CONFIRM | \
                         PERM_LEAVE_READ | PERM_LOG_READ | PERM_BOARD_READ | PERM_PRESENCE_READ | \
                         PERM_DISCIPLINE_WRITE | PERM_DISCIPLINE_READ | PERM_REPORT_READ | \
                         PERM_OBLIGATION_READ | PERM_SUPERVISION_WRITE | PERM_FUNDS_WRITE | PERM_TRAINING_WRITE | \
                         PERM_PERIOD_UNLOCK | PERM_COMMENDATION_WRITE | PERM_HOUSEHOLD_READ | PERM_HOUSEHOLD_WRITE | \
                         PERM_SCREEN_READ)
#define TOWNSHIP        (PERM_REGION_READ | PERM_UNIT_READ | PERM_CADRE_READ | PERM_ASSIGN_READ | PERM_HANDOVER_CONFIRM | \
                         PERM_LEAVE_READ | PERM_LEAVE_APPROVE | PERM_LOG_READ | PERM_BOARD_READ | PERM_PRESENCE_READ | \
                         PERM_DISCIPLINE_WRITE | PERM_DISCIPLINE_READ | PERM_REPORT_READ | \
                         PERM_OBLIGATION_READ | PERM_SUPERVISION_WRITE | PERM_HOUSEHOLD_READ | PERM_HOUSEHOLD_WRITE | \
                         PERM_CASE_WRITE | PERM_CASE_CHECK | PERM_VILLAGE_WORK_WRITE)
#define UNIT_READER     (PERM_REGION_READ | PERM_UNIT_READ | PERM_CADRE_READ | PERM_ASSIGN_READ | \
                         PERM_LEAVE_READ | PERM_LOG_READ | PERM_BOARD_READ | PERM_PRESENCE_READ | PERM_DISCIPLINE_READ | \
                         PERM_REPORT_READ | PERM_OBLIGATION_READ | PERM_HOUSEHOLD_READ)
/* 2.4: the county org dept and RRB approve leaves longer than leave_township_max_days */
#define COUNTY_LEAVE    PERM_LEAVE_APPROVE
/* 5.7: the county decides to take a household into monitoring, and closes its case. 防返贫监测帮扶 is
 * the rural revitalization department's work under the national monitoring rules (not the notice,
 * and not the organization department's): only rrb_county holds it. */
#define COUNTY_CASE     PERM_CASE_DECIDE
/* 2.1: the cadre asks for leave and keeps the work log */
#define CADRE_DAILY     (PERM_LEAVE_REQUEST | PERM_LEAVE_READ | PERM_LOG_WRITE | PERM_LOG_READ | PERM_PRESENCE_READ | \
                         PERM_DISCIPLINE_READ | PERM_REPORT_SUBMIT | PERM_REPORT_READ)
/* 5.2–5.9: the village team's own records */
#define CADRE_VILLAGE   (PERM_OBLIGATION_READ | PERM_HOUSEHOLD_READ | PERM_VISIT_WRITE | PERM_CASE_WRITE | \
                         PERM_PLAN_WRITE | PERM_VILLAGE_WORK_WRITE)
#define UNIT            (UNIT_READER | PERM_CADRE_WRITE | PERM_ASSIGN_NOMINATE | PERM_ASSIGN_ADJUST | \
                         PERM_SUPERVISION_WRITE | PERM_FUNDS_WRITE)

static const struct role ROLES[] = {
  {"sys_admin",   "系统管理员", SCOPE_KIND_NONE, true,
   PERM_REGION_READ | PERM_REGION_RESTRUCTURE | PERM_UNIT_READ | PERM_USER_READ | PERM_USER_WRITE, NULL},
  {"sec_admin",   "安全管理员", SCOPE_KIND_NONE, true, PERM_USER_READ | PERM_USER_SECURITY, NULL},
  {"audit_admin", "审计管理员", SCOPE_KIND_NONE, true, PERM_AUDIT_READ, NULL},
  {"org_city",    "市委组织部",       SCOPE_KIND_REGION, false, REGION_OFFICIAL | PERM_CADRE_REVEAL_ID, "city"},
  {"org_county",  "县（市、区）委组织部", SCOPE_KIND_REGION, false, REGION_OFFICIAL | PERM_CADRE_REVEAL_ID | COUNTY_LEAVE, "county"},
  {"rrb_city",    "市乡村振兴局",     SCOPE_KIND_REGION, false, REGION_OFFICIAL | PERM_HOUSEHOLD_REVEAL_ID, "city"},
  {"rrb_county",  "县（市、区）乡村振兴局", SCOPE_KIND_REGION, false, REGION_OFFICIAL | COUNTY_LEAVE | COUNTY_CASE | PERM_HOUSEHOLD_REVEAL_ID, "county"},
  {"township_secretary", "乡镇党委书记", SCOPE_KIND_REGION, false, TOWNSHIP, "township"},
  {"township_deputy",    "乡镇党委副书记/组织委员", SCOPE_KIND_REGION, false, TOWNSHIP, "township"},
  {"unit_leader", "派出单位主要领导", SCOPE_KIND_UNIT, false, UNIT | PERM_PLAN_REVIEW, NULL},
  {"unit_deputy", "派出单位分管领导", SCOPE_KIND_UNIT, false, UNIT_READER | PERM_SUPERVISION_WRITE | PERM_PLAN_REVIEW, NULL},
  {"unit_hr",     "派出单位人事负责人", SCOPE_KIND_UNIT, false, UNIT, NULL},
  {"cadre",       "驻村干部",   SCOPE_KIND_SELF, false, PERM_CADRE_READ | PERM_ASSIGN_READ | PERM_CHECKIN | CADRE_DAILY | CADRE_VILLAGE, NULL},
};

const struct role *roles_find(const char *code)
{
  if (!code) return NULL;
  for (size_t i = 0; i < sizeof ROLES / sizeof ROLES[0]; i++)
    if (strcmp(ROLES[i].code, code) == 0) return &ROLES[i];
  return NULL;
}

const struct role *roles_all(int *count)
{
  *count = (int)(sizeof ROLES / sizeof ROLES[0]);
  return ROLES;
}

bool roles_can(const struct role *role, perm_t perm)
{
  return role && (role->perms & perm) == perm;
}

const char *roles_department(const struct role *role)
{
  if (!role) return NULL;
  if (strncmp(role->code, "org_", 4) == 0) return "org";
  if (strncmp(role->code, "rrb_", 4) == 0) return "rrb";
  return NULL;
}

const char *roles_scope_kind_name(enum scope_kind kind)
{
  switch (kind) {
  case SCOPE_KIND_REGION: return "region";
  case SCOPE_KIND_UNIT: return "unit";
  case SCOPE_KIND_SELF: return "self";
  case SCOPE_KIND_NONE: break;
  }
  return "none";
}
