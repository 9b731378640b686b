/* router — the table and the gate. Order of checks, the same for every endpoint:
 * route → the day's stages it reads (waited for; 503 when the server stops first) → session (401) →
 * CSRF on writes (403) → forced password change (403) → second factor to enrol (403) → permission (403) →
 * scope (built here, applied by every store query) → handler.
 * A request with `Authorization: Bearer` goes through http/token_auth instead of the session's checks.
 *
 * The stages (issue 15, http/day_start): each entry states what of the day's settlement its answer
 * reads, READS(...) among its flags, so that a route and its wait are one line and cannot drift apart.
 * An entry that states nothing waits for every stage. The stated ones were drawn up from the store: only
 * store/allowance, notifications, notify_*, outbox, todo and webhooks read the notices or the allowance
 * sheets. The GETs that reach none of them read the posts' day only; the notification reads read the
 * notices too, the allowance reads the sheets too (h_allowance, h_notifications, h_todo,
 * h_upward_reports and h_webhooks reach those modules, so none of their other routes is stated as
 * posts-only). Of the writes only the check-in states less than every stage: a cadre's check-in (2.1)
 * judges the post of the day (is there one, which village, its fence) and writes the check-in and its
 * facts; it raises no notice and drafts no sheet, and at a province's first request of a day the
 * notices take about a minute (bench/README.md), which the morning's check-ins must not queue behind.
 * Health, the interface document and the session read none of the day. State a route's stages only
 * when the same holds; tests/unit/test_router_stages.c refuses any other write that states less. */
#include "http/router.h"

#include <sodium.h>
#include <string.h>

#include "http/day_start.h"
#include "http/handlers.h"
#include "http/request.h"
#include "http/route_match.h"
#include "http/server.h"
#include "http/token_auth.h"
#include "store/db.h"

#define ANY 0u

static const struct route ROUTES[] = {
  {"GET",    "/api/v1/health", api_health_get, ANY, ROUTE_PUBLIC | READS_NONE},
  {"GET",    "/api/v1/openapi.json", api_openapi_get, ANY, ROUTE_PUBLIC | READS_NONE}, /* the interface itself: no data */
  {"POST",   "/api/v1/session", api_session_login, ANY, ROUTE_PUBLIC | ROUTE_NO_CSRF | READS_NONE},
  {"GET",    "/api/v1/session", api_session_get, ANY, ROUTE_DURING_PW_CHANGE | READS_NONE},
  {"DELETE", "/api/v1/session", api_session_logout, ANY, ROUTE_DURING_PW_CHANGE | READS_NONE},
  {"POST",   "/api/v1/session/password", api_session_change_password, ANY, ROUTE_DURING_PW_CHANGE | READS_NONE},
  {"POST",   "/api/v1/session/reauth", api_session_reauth, ANY, READS_NONE},
  {"POST",   "/api/v1/session/totp", api_session_totp, ANY, ROUTE_PUBLIC | ROUTE_NO_CSRF | READS_NONE},
  {"GET",    "/api/v1/session/second-factor", api_second_factor_get, ANY, ROUTE_DURING_ENROL | READS_NONE},
  {"POST",   "/api/v1/session/second-factor", api_second_factor_start, ANY, ROUTE_DURING_ENROL | READS_NONE},
  {"POST",   "/api/v1/session/second-factor/confirm", api_second_factor_confirm, ANY, ROUTE_DURING_ENROL | READS_NONE},
  {"GET",    "/api/v1/roles", api_roles_list, ANY, READS(DAY_POSTS)},

  {"GET",    "/api/v1/regions", api_regions_list, PERM_REGION_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/regions/:code", api_regions_get, PERM_REGION_READ, READS(DAY_POSTS)},
  {"PATCH",  "/api/v1/regions/:code", api_regions_patch, PERM_REGION_EDIT, 0},
  {"POST",   "/api/v1/regions/:code/rename", api_regions_rename, PERM_REGION_RESTRUCTURE, 0},
  {"POST",   "/api/v1/regions/:code/move", api_regions_move, PERM_REGION_RESTRUCTURE, 0},

  {"GET",    "/api/v1/units", api_units_list, PERM_UNIT_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/units", api_units_create, PERM_UNIT_WRITE, 0},
  {"GET",    "/api/v1/units/:id", api_units_get, PERM_UNIT_READ, READS(DAY_POSTS)},
  {"PATCH",  "/api/v1/units/:id", api_units_patch, PERM_UNIT_WRITE, 0},

  {"GET",    "/api/v1/users", api_users_list, PERM_USER_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/users", api_users_post, PERM_USER_WRITE, 0},
  {"PATCH",  "/api/v1/users/:id", api_users_patch, PERM_USER_WRITE, 0},
  {"POST",   "/api/v1/users/:id/reset-password", api_users_reset_password, PERM_USER_SECURITY, 0},
  {"POST",   "/api/v1/users/:id/unlock", api_users_unlock_post, PERM_USER_SECURITY, 0},
  {"POST",   "/api/v1/users/:id/second-factor/reset", api_users_second_factor_reset, PERM_USER_SECURITY, 0},
  {"POST",   "/api/v1/users/:id/approve", api_users_approve_post, PERM_USER_READ, 0}, /* sys or sec admin: the handler picks */

  {"GET",    "/api/v1/policy", api_policy_get, ANY, READS(DAY_POSTS)}, /* the raw file: administrators (the handler checks) */
  {"GET",    "/api/v1/policy/basis", api_policy_basis_get, ANY, READS(DAY_POSTS)}, /* 制度依据: every role */
  {"GET",    "/api/v1/policy/values", api_policy_values_get, ANY, READS(DAY_POSTS)},

  {"GET",    "/api/v1/cadres", api_cadres_list, PERM_CADRE_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/cadres", api_cadres_create, PERM_CADRE_WRITE, 0},
  {"POST",   "/api/v1/cadres/import", api_cadres_import, PERM_CADRE_WRITE, 0},
  {"GET",    "/api/v1/cadres/:id", api_cadres_get, PERM_CADRE_READ, READS(DAY_POSTS)},
  {"PATCH",  "/api/v1/cadres/:id", api_cadres_patch, PERM_CADRE_WRITE, 0},
  {"POST",   "/api/v1/cadres/:id/sanctions", api_cadres_add_sanction, PERM_CADRE_WRITE, 0},
  {"PUT",    "/api/v1/cadres/:id/appraisals/:year", api_cadres_set_appraisal, PERM_CADRE_WRITE, 0},
  {"GET",    "/api/v1/cadres/:id/id-number", api_cadres_reveal_id, PERM_CADRE_REVEAL_ID, READS(DAY_POSTS)},
  {"GET",    "/api/v1/cadres/:id/phone", api_cadres_reveal_phone, PERM_CADRE_REVEAL_ID, READS(DAY_POSTS)},

  {"GET",    "/api/v1/eligibility", api_eligibility_get, PERM_ASSIGN_NOMINATE, READS(DAY_POSTS)},
  {"GET",    "/api/v1/candidates", api_candidates_get, PERM_ASSIGN_NOMINATE, READS(DAY_POSTS)},
  {"GET",    "/api/v1/batches", api_batches_list, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/batches", api_batches_create, PERM_BATCH_WRITE, 0},
  {"GET",    "/api/v1/assignments", api_assignments_list, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/assignments", api_assignments_create, PERM_ASSIGN_NOMINATE, 0},
  {"GET",    "/api/v1/assignments/:id", api_assignments_get, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/assignments/:id/decision", api_assignments_decide, PERM_ASSIGN_APPROVE, 0},
  {"POST",   "/api/v1/assignments/:id/withdraw", api_assignments_withdraw, PERM_ASSIGN_NOMINATE, 0},
  {"POST",   "/api/v1/assignments/:id/adjustment", api_assignments_adjust, PERM_ASSIGN_ADJUST, 0},
  {"POST",   "/api/v1/assignments/:id/recall", api_assignments_recall, PERM_ASSIGN_RECALL, 0},
  {"GET",    "/api/v1/handovers/:id", api_handovers_get, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/handovers/:id/checklist", api_handovers_tick, PERM_ASSIGN_READ, 0},
  {"POST",   "/api/v1/handovers/:id/complete", api_handovers_complete, PERM_HANDOVER_CONFIRM, 0},
  {"GET",    "/api/v1/coverage", api_coverage_get, PERM_REGION_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/stability", api_stability_get, PERM_REGION_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/vacancies", api_vacancies_list, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/terms-ending", api_terms_ending_list, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  /* 在村情况 and the working calendar (2.1, 3.6) */
  {"GET",    "/api/v1/presence", api_presence_get, PERM_PRESENCE_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/calendar", api_calendar_get, ANY, READS(DAY_POSTS)},
  {"POST",   "/api/v1/checkins", api_checkins_create, PERM_CHECKIN, READS(DAY_POSTS)},
  {"GET",    "/api/v1/checkins", api_checkins_list, PERM_ASSIGN_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/me/today", api_me_today, PERM_CHECKIN, READS(DAY_POSTS)},
  {"GET",    "/api/v1/board", api_board_get, PERM_BOARD_READ, ROUTE_STALE_OK | READS(DAY_POSTS)},
  {"GET",    "/api/v1/screen", api_screen_get, PERM_SCREEN_READ, ROUTE_STALE_OK | READS(DAY_POSTS)}, /* 数据大屏 (issue #12 part 5) */
  {"GET",    "/api/v1/me/todo", api_me_todo, ANY, 0},
  /* 消息 (issue 13): every account's own messages; the robot channels and dead letters, the system administrator's */
  {"GET",    "/api/v1/notifications", api_notifications_list, ANY, READS(DAY_POSTS | DAY_NOTICES)},
  {"GET",    "/api/v1/notifications/unread", api_notifications_unread, ANY, READS(DAY_POSTS | DAY_NOTICES)},
  {"POST",   "/api/v1/notifications/read-all", api_notifications_read_all, ANY, 0},
  {"GET",    "/api/v1/notifications/preferences", api_notification_prefs_get, ANY, READS(DAY_POSTS | DAY_NOTICES)},
  {"PUT",    "/api/v1/notifications/preferences", api_notification_prefs_put, ANY, 0},
  {"POST",   "/api/v1/notifications/:id/read", api_notifications_read, ANY, 0},
  {"GET",    "/api/v1/notification-channels", api_channels_list, PERM_USER_WRITE, 0},
  {"POST",   "/api/v1/notification-channels", api_channels_create, PERM_USER_WRITE, 0},
  {"PATCH",  "/api/v1/notification-channels/:id", api_channels_patch, PERM_USER_WRITE, 0},
  {"PUT",    "/api/v1/notification-settings", api_notification_settings_put, PERM_USER_WRITE, 0},
  {"GET",    "/api/v1/notification-outbox", api_outbox_list, PERM_USER_WRITE, 0},
  {"POST",   "/api/v1/notification-outbox/:id/requeue", api_outbox_requeue, PERM_USER_WRITE, 0},
  /* 纪律与提醒 (2.5 violations fed back to the unit, 2.7 reminders, 3.6 secondments) and 考评计分 (2.6) */
  {"GET",    "/api/v1/violations", api_violations_list, PERM_DISCIPLINE_READ, 0},
  {"POST",   "/api/v1/violations", api_violations_create, PERM_DISCIPLINE_WRITE, 0},
  {"GET",    "/api/v1/violations/:id", api_violations_get, PERM_DISCIPLINE_READ, 0},
  {"POST",   "/api/v1/violations/:id/acknowledge", api_violations_acknowledge, PERM_DISCIPLINE_READ, 0},
  {"POST",   "/api/v1/violations/:id/accountability", api_violations_accountability, PERM_DISCIPLINE_WRITE, 0},
  {"GET",    "/api/v1/secondments", api_secondments_list, PERM_DISCIPLINE_READ, 0},
  {"POST",   "/api/v1/secondments", api_secondments_create, PERM_DISCIPLINE_WRITE, 0},
  {"GET",    "/api/v1/reminders", api_reminders_list, PERM_DISCIPLINE_READ, 0},
  {"POST",   "/api/v1/reminders", api_reminders_create, PERM_DISCIPLINE_WRITE, 0},
  {"POST",   "/api/v1/reminders/:id/read", api_reminders_read, PERM_DISCIPLINE_READ, 0},
  {"GET",    "/api/v1/scores", api_scores_get, (unsigned)PERM_DISCIPLINE_READ | PERM_BOARD_READ, ROUTE_STALE_OK | READS(DAY_POSTS)},
  {"GET",    "/api/v1/analysis", api_analysis_get, PERM_BOARD_READ, ROUTE_STALE_OK | READS(DAY_POSTS)},
  /* 请销假 and 驻村日志 (2.1, 2.4, 5.1) */
  {"GET",    "/api/v1/leaves", api_leaves_list, PERM_LEAVE_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/leaves", api_leaves_create, PERM_LEAVE_REQUEST, 0},
  {"GET",    "/api/v1/leaves/:id", api_leaves_get, PERM_LEAVE_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/leaves/:id/decision", api_leaves_decide, PERM_LEAVE_APPROVE, 0},
  {"POST",   "/api/v1/leaves/:id/cancel", api_leaves_cancel, PERM_LEAVE_REQUEST, 0},
  {"POST",   "/api/v1/leaves/:id/close", api_leaves_close, PERM_LEAVE_REQUEST, 0},
  {"GET",    "/api/v1/logs", api_logs_list, PERM_LOG_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/logs", api_logs_create, PERM_LOG_WRITE, 0},
  {"GET",    "/api/v1/reports/draft", api_reports_draft, PERM_LOG_WRITE, 0},
  /* 工作报告 (2.1): sent by the cadre, read by the township and the dispatching unit */
  {"GET",    "/api/v1/reports", api_reports_list, PERM_REPORT_READ, 0},
  {"POST",   "/api/v1/reports", api_reports_create, PERM_REPORT_SUBMIT, 0},
  {"GET",    "/api/v1/reports/:id", api_reports_get, PERM_REPORT_READ, 0},
  {"PUT",    "/api/v1/reports/:id", api_reports_revise, PERM_REPORT_SUBMIT, 0},
  {"POST",   "/api/v1/reports/:id/review", api_reports_review, PERM_REPORT_READ, 0},
  {"GET",    "/api/v1/logs/:id", api_logs_get, PERM_LOG_READ, READS(DAY_POSTS)},
  {"PUT",    "/api/v1/logs/:id", api_logs_revise, PERM_LOG_WRITE, 0},
  {"POST",   "/api/v1/logs/:id/review", api_logs_review, PERM_LOG_READ, 0},
  {"GET",    "/api/v1/reviews/month", api_reviews_month, PERM_REPORT_READ, 0},

  /* 防返贫监测帮扶 (5.7); the steps check their own permission: review, notice, objections and
   * measures PERM_CASE_WRITE, the township's check PERM_CASE_CHECK, decision, closure, reversal
   * PERM_CASE_DECIDE */
  {"GET",    "/api/v1/cases", api_cases_list, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/cases", api_cases_create, PERM_CASE_WRITE, 0},
  {"GET",    "/api/v1/cases/summary", api_cases_summary, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/cases/notice", api_cases_notice, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/cases/import", api_cases_import, PERM_CASE_WRITE, 0},
  {"GET",    "/api/v1/cases/:id", api_cases_get, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/cases/:id/steps", api_cases_step, PERM_HOUSEHOLD_READ, 0},
  /* 驻村工作: monthly monitoring meeting (5.7), activities and the five duties (5.1–5.5), 5.3 */
  {"GET",    "/api/v1/meetings", api_meetings_list, PERM_HOUSEHOLD_READ, 0},
  {"POST",   "/api/v1/meetings", api_meetings_create, PERM_VILLAGE_WORK_WRITE, 0},
  {"GET",    "/api/v1/meetings/missing", api_meetings_missing, PERM_HOUSEHOLD_READ, 0},
  {"GET",    "/api/v1/meetings/:id", api_meetings_get, PERM_HOUSEHOLD_READ, 0},
  {"POST",   "/api/v1/meetings/:id/withdraw", api_meetings_withdraw, PERM_VILLAGE_WORK_WRITE, 0},
  {"GET",    "/api/v1/activities", api_activities_list, PERM_HOUSEHOLD_READ, 0},
  {"POST",   "/api/v1/activities", api_activities_create, PERM_VILLAGE_WORK_WRITE, 0},
  {"GET",    "/api/v1/duties", api_duties_get, PERM_HOUSEHOLD_READ, 0},
  {"GET",    "/api/v1/org-transfers", api_org_transfers_list, PERM_HOUSEHOLD_READ, 0},
  {"PUT",    "/api/v1/org-transfers/:id", api_org_transfers_put, PERM_VILLAGE_WORK_WRITE, 0},
  /* 年度定点帮扶计划 (5.9) and the unit's resources (3.3, 5.10); resources are recorded by the
   * team, the township or the unit's leaders (checked in the handler) */
  {"GET",    "/api/v1/plans", api_plans_list, PERM_HOUSEHOLD_READ, 0},
  {"POST",   "/api/v1/plans", api_plans_create, PERM_PLAN_WRITE, 0},
  {"GET",    "/api/v1/plans/:id", api_plans_get, PERM_HOUSEHOLD_READ, 0},
  {"PUT",    "/api/v1/plans/:id", api_plans_update, PERM_PLAN_WRITE, 0},
  {"POST",   "/api/v1/plans/:id/submit", api_plans_submit, PERM_PLAN_WRITE, 0},
  {"POST",   "/api/v1/plans/:id/review", api_plans_review, PERM_PLAN_REVIEW, 0},
  {"POST",   "/api/v1/plans/:id/items/:item/progress", api_plans_progress, PERM_PLAN_WRITE, 0},
  {"GET",    "/api/v1/resources", api_resources_list, PERM_HOUSEHOLD_READ, 0},
  {"POST",   "/api/v1/resources", api_resources_create, PERM_HOUSEHOLD_READ, 0},

  /* 脱贫户和监测户 (5.6), their history (5.8), 遍访 (5.6), 疑点比对 and 村情 */
  {"GET",    "/api/v1/households", api_households_list, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/households/import", api_households_import, PERM_HOUSEHOLD_WRITE, 0},
  /* 数据交换 (issue 13, part 2): the rural revitalization departments of the county and the city */
  {"GET",    "/api/v1/exchange/layouts", api_exchange_layouts, PERM_HOUSEHOLD_WRITE | PERM_HOUSEHOLD_REVEAL_ID, 0},
  {"GET",    "/api/v1/exchange/:dataset/template", api_exchange_template, PERM_HOUSEHOLD_WRITE | PERM_HOUSEHOLD_REVEAL_ID, 0},
  {"GET",    "/api/v1/exchange/:dataset/export", api_exchange_export, PERM_HOUSEHOLD_WRITE | PERM_HOUSEHOLD_REVEAL_ID, 0},
  {"POST",   "/api/v1/exchange/:dataset/import", api_exchange_import, PERM_HOUSEHOLD_WRITE | PERM_HOUSEHOLD_REVEAL_ID, 0},
  {"GET",    "/api/v1/households/:id", api_households_get, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"PATCH",  "/api/v1/households/:id", api_households_patch, PERM_HOUSEHOLD_WRITE, 0},
  {"GET",    "/api/v1/households/:id/members/:mid/id-number", api_households_reveal_id, PERM_HOUSEHOLD_REVEAL_ID,
   READS(DAY_POSTS)},
  {"GET",    "/api/v1/households/:id/members/:mid/health", api_households_reveal_health, PERM_HOUSEHOLD_READ,
   READS(DAY_POSTS)},
  {"POST",   "/api/v1/visits", api_visits_create, PERM_VISIT_WRITE, 0},
  {"GET",    "/api/v1/visits", api_visits_list, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/visits/coverage", api_visits_coverage, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/visits/unvisited", api_visits_unvisited, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/crosschecks", api_crosschecks_get, PERM_HOUSEHOLD_READ, 0},
  {"GET",    "/api/v1/villages", api_villages_list, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/villages/:code", api_villages_get, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/villages/:code/profile", api_village_profile_get, PERM_HOUSEHOLD_READ, READS(DAY_POSTS)},
  {"POST",   "/api/v1/villages/:code/profile", api_village_profile_change, PERM_VILLAGE_WORK_WRITE, 0},

  /* 经费保障 (3.4a, 3.4b) and 人身意外伤害保险 (3.5): units for their own teams, county and city */
  {"GET",    "/api/v1/team-funds", api_team_funds_get, PERM_OBLIGATION_READ, 0},
  {"GET",    "/api/v1/unit-funds", api_unit_funds_get, PERM_OBLIGATION_READ, 0},
  {"GET",    "/api/v1/funds", api_funds_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/funds", api_funds_create, PERM_FUNDS_WRITE, 0},
  {"GET",    "/api/v1/funds/:id", api_funds_get, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/funds/:id/withdraw", api_funds_withdraw, PERM_FUNDS_WRITE, 0},
  {"GET",    "/api/v1/allowance-sheets", api_allowance_sheets_list, PERM_OBLIGATION_READ, READS(DAY_POSTS | DAY_ALLOWANCE)},
  {"POST",   "/api/v1/allowance-sheets", api_allowance_sheets_create, PERM_FUNDS_WRITE, 0},
  {"GET",    "/api/v1/allowance-sheets/:id", api_allowance_sheets_get, PERM_OBLIGATION_READ, READS(DAY_POSTS | DAY_ALLOWANCE)},
  {"POST",   "/api/v1/allowance-sheets/:id/recount", api_allowance_sheets_recount, PERM_FUNDS_WRITE, 0},
  {"PUT",    "/api/v1/allowance-sheets/:id/lines/:line", api_allowance_lines_adjust, PERM_FUNDS_WRITE, 0},
  {"POST",   "/api/v1/allowance-sheets/:id/confirm", api_allowance_sheets_confirm, PERM_FUNDS_WRITE, 0},
  {"GET",    "/api/v1/me/allowances", api_me_allowances, PERM_CHECKIN, READS(DAY_POSTS | DAY_ALLOWANCE)},
  {"GET",    "/api/v1/insurance", api_insurance_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/insurance", api_insurance_create, PERM_FUNDS_WRITE, 0},
  {"GET",    "/api/v1/insurance/:id", api_insurance_get, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/insurance/:id/withdraw", api_insurance_withdraw, PERM_FUNDS_WRITE, 0},
  /* 培训管理 (4.1–4.5): plans, events with participants, coverage per cadre and per county */
  {"GET",    "/api/v1/training-plans", api_training_plans_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/training-plans", api_training_plans_create, PERM_TRAINING_WRITE, 0},
  {"GET",    "/api/v1/training-plans/:id", api_training_plans_get, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/training-plans/:id/file", api_training_plans_file, PERM_TRAINING_WRITE, 0},
  {"GET",    "/api/v1/training-events", api_training_events_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/training-events", api_training_events_create, PERM_TRAINING_WRITE, 0},
  {"GET",    "/api/v1/training-events/:id", api_training_events_get, PERM_OBLIGATION_READ, 0},
  {"PUT",    "/api/v1/training-events/:id/participants", api_training_events_participants, PERM_TRAINING_WRITE, 0},
  {"POST",   "/api/v1/training-events/:id/withdraw", api_training_events_withdraw, PERM_TRAINING_WRITE, 0},
  {"GET",    "/api/v1/training-coverage", api_training_coverage_get, PERM_OBLIGATION_READ, 0},
  {"GET",    "/api/v1/training-counties", api_training_counties_get, PERM_OBLIGATION_READ, 0},
  /* 表彰激励 (3.7) */
  {"GET",    "/api/v1/commendations", api_commendations_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/commendations", api_commendations_create, PERM_COMMENDATION_WRITE, 0},
  {"GET",    "/api/v1/commendations/:id", api_commendations_get, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/commendations/:id/withdraw", api_commendations_withdraw, PERM_COMMENDATION_WRITE, 0},
  /* 年度考核 / 任期考核 (issue #12; read by 1.3c, 1.4, 3.7): each step checks its own role in the handler */
  {"GET",    "/api/v1/evaluation-rounds", api_evaluation_rounds_list, PERM_CADRE_READ, 0},
  {"POST",   "/api/v1/evaluation-rounds", api_evaluation_rounds_create, PERM_CADRE_READ, 0},
  {"GET",    "/api/v1/evaluation-rounds/:id", api_evaluation_rounds_get, PERM_CADRE_READ, 0},
  {"POST",   "/api/v1/evaluation-rounds/:id/confirm", api_evaluation_rounds_confirm, PERM_CADRE_READ, 0},
  {"GET",    "/api/v1/evaluations", api_evaluations_list, PERM_CADRE_READ, 0},
  {"GET",    "/api/v1/evaluations/:id", api_evaluations_get, PERM_CADRE_READ, 0},
  {"PUT",    "/api/v1/evaluations/:id/report", api_evaluations_report, PERM_CADRE_READ, 0},
  {"POST",   "/api/v1/evaluations/:id/steps", api_evaluations_step, PERM_CADRE_READ, 0},
  {"POST",   "/api/v1/evaluations/:id/votes/import", api_evaluations_votes_import, PERM_CADRE_READ, 0},
  /* 上报材料 (issue #12 part 3): the handlers admit townships, counties and the city only */
  {"GET",    "/api/v1/upward-reports", api_upward_reports_list, PERM_REPORT_READ, 0},
  {"POST",   "/api/v1/upward-reports", api_upward_reports_create, PERM_REPORT_READ, 0},
  {"GET",    "/api/v1/upward-reports/:id", api_upward_reports_get, PERM_REPORT_READ, 0},
  {"PUT",    "/api/v1/upward-reports/:id", api_upward_reports_texts, PERM_REPORT_READ, 0},
  {"POST",   "/api/v1/upward-reports/:id/submit", api_upward_reports_submit, PERM_REPORT_READ, 0},
  {"POST",   "/api/v1/upward-reports/:id/receive", api_upward_reports_receive, PERM_REPORT_READ, 0},
  {"POST",   "/api/v1/upward-reports/:id/return", api_upward_reports_return, PERM_REPORT_READ, 0},

  /* 履职监督 (2.2–4.5, 5.7): the obligation engine's matrix, reminders, calendar feed, month unlocks */
  {"GET",    "/api/v1/compliance", api_compliance_get, PERM_OBLIGATION_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/compliance/cells", api_compliance_cells, PERM_OBLIGATION_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/compliance/evidence", api_compliance_evidence, PERM_OBLIGATION_READ, READS(DAY_POSTS)},
  {"GET",    "/api/v1/obligations/mine", api_obligations_mine, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/obligations/ics-token", api_ics_token_create, PERM_OBLIGATION_READ, 0},
  {"GET",    "/api/v1/ics/:token", api_ics_feed, ANY, ROUTE_PUBLIC},
  {"GET",    "/api/v1/period-unlocks", api_period_unlocks_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/period-unlocks", api_period_unlocks_create, PERM_PERIOD_UNLOCK, 0},
  /* 督导记录 (2.2, 2.3, 3.1, 3.2): meetings, dispatches, inquiries, hearings, leader visits */
  {"GET",    "/api/v1/supervision", api_supervision_list, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/supervision", api_supervision_create, PERM_SUPERVISION_WRITE, 0},
  {"GET",    "/api/v1/supervision/context", api_supervision_context, PERM_SUPERVISION_WRITE, 0},
  {"GET",    "/api/v1/supervision/:id", api_supervision_get, PERM_OBLIGATION_READ, 0},
  {"POST",   "/api/v1/supervision/:id/withdraw", api_supervision_withdraw, PERM_SUPERVISION_WRITE, 0},

  /* 接口令牌 (the security administrator) and 数据推送 (the system administrator), issue 13 part 2 */
  {"GET",    "/api/v1/api-tokens", api_access_tokens_list, PERM_USER_SECURITY, 0},
  {"POST",   "/api/v1/api-tokens", api_access_tokens_create, PERM_USER_SECURITY, 0},
  {"POST",   "/api/v1/api-tokens/:id/revoke", api_access_tokens_revoke, PERM_USER_SECURITY, 0},
  {"GET",    "/api/v1/webhooks", api_webhooks_list, PERM_USER_WRITE, 0},
  {"POST",   "/api/v1/webhooks", api_webhooks_create, PERM_USER_WRITE, 0},
  {"PATCH",  "/api/v1/webhooks/:id", api_webhooks_patch, PERM_USER_WRITE, 0},
  {"GET",    "/api/v1/webhook-deliveries", api_webhook_deliveries_list, PERM_USER_WRITE, 0},
  {"POST",   "/api/v1/webhook-deliveries/:id/requeue", api_webhook_deliveries_requeue, PERM_USER_WRITE, 0},

  {"GET",    "/api/v1/audit", api_audit_list, PERM_AUDIT_READ, 0},
  {"GET",    "/api/v1/audit/verify", api_audit_verify_get, PERM_AUDIT_READ, 0},
  {"GET",    "/api/v1/audit/phrases", api_audit_phrases_get, PERM_AUDIT_READ, 0},
};

static const struct route *find_route(const char *method, const char *url, char store[][ROUTE_PARAM_SIZE],
                                      const char *params[], bool *path_known)
{
  *path_known = false;
  for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
    if (!route_match(ROUTES[i].pattern, url, store, params, REQUEST_MAX_PARAMS)) continue;
    *path_known = true;
    if (strcmp(ROUTES[i].method, method) == 0) return &ROUTES[i];
  }
  return NULL;
}

const struct route *router_table(size_t *count)
{
  *count = sizeof ROUTES / sizeof ROUTES[0];
  return ROUTES;
}

unsigned route_day_needs(const struct route *route)
{
  if (!route) return DAY_ALL; /* no route: as before the stages were the table's */
  return DAY_ALL & ~(route->flags >> ROUTE_SKIPS_SHIFT); /* no READS among its flags: every stage */
}

unsigned router_day_needs(const char *method, const char *url)
{
  char store[REQUEST_MAX_PARAMS][ROUTE_PARAM_SIZE];
  const char *params[REQUEST_MAX_PARAMS];
  bool path_known;
  return route_day_needs(find_route(method, url, store, params, &path_known));
}

/* Waits for the stages of the day the route reads; -1 (answered 503) when the server stops first. A
 * route that reads none still sets a new day's settlement going, and goes on at once. */
static int wait_for_the_day(struct request *req, struct reply *rep, const struct route *route)
{
  unsigned stages = route_day_needs(route);
  if (!stages) {
    day_start_kick(req);
    return 0;
  }
  if (day_start_wait(req, stages) == 0) return 0;
  reply_error(rep, 503, "shutting_down", "系统正在停止服务，请稍后再试", NULL);
  return -1;
}

static bool is_write(const char *method)
{
  return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static int authenticate(struct request *req, struct reply *rep)
{
  const char *token = request_cookie(req, "zc_session");
  int rc = sessions_lookup(req->db, token, &req->app->security, req->now, &req->user);
  if (rc == DB_NOT_FOUND) return reply_error(rep, 401, "unauthenticated", "未登录或登录已超时，请重新登录", NULL);
  if (rc != DB_OK) return reply_internal(rep);
  req->has_user = true;
  return 0;
}

static int check_csrf(struct request *req, struct reply *rep)
{
  const char *sent = request_header(req, "X-CSRF-Token");
  if (!sent) return reply_error(rep, 403, "csrf_required", "缺少 CSRF 令牌（X-CSRF-Token）", NULL);
  size_t len = strlen(req->user.csrf_token);
  if (strlen(sent) != len || sodium_memcmp(sent, req->user.csrf_token, len) != 0)
    return reply_error(rep, 403, "csrf_invalid", "CSRF 令牌无效，请刷新页面后重试", NULL);
  return 0;
}

/* A report's reads go to the standby when serve has one (db_thread_reports); the session and the scope
 * were read from the primary before. The failures counted for the reply (http/not_found) are then the
 * standby connection's. */
static void read_reports_db(struct request *req)
{
  struct db *reports = db_thread_reports();
  if (!reports) return;
  req->db = reports;
  req->db_failures = db_failures(reports);
}

void router_dispatch(struct request *req, struct reply *rep)
{
  bool path_known;
  const struct route *route = find_route(req->method, req->url, req->param_store, req->params, &path_known);
  if (wait_for_the_day(req, rep, route) != 0) return;
  if (!route) {
    if (path_known) reply_error(rep, 405, "method_not_allowed", "不支持该请求方法", NULL);
    else reply_error(rep, 404, "not_found", "接口不存在", NULL);
    return;
  }
  rep->method = route->method;
  rep->route = route->pattern;
  if (req->body_too_big) {
    reply_error(rep, 413, "body_too_large", "请求体过大", NULL);
    return;
  }
  if (!(route->flags & ROUTE_PUBLIC) && token_presented(req)) {
    /* an API token (issue 13): its own gate, never a session's */
    if (token_gate(req, rep, route->method, route->pattern, route->perm) != 0) return;
  } else if (!(route->flags & ROUTE_PUBLIC)) {
    if (authenticate(req, rep) != 0) return;
    if (is_write(req->method) && !(route->flags & ROUTE_NO_CSRF) && check_csrf(req, rep) != 0) return;
    if (req->user.must_change_password && !(route->flags & ROUTE_DURING_PW_CHANGE)) {
      reply_error(rep, 403, "password_change_required", "请先修改初始密码或已过期的密码", NULL);
      return;
    }
    if (req->user.must_enrol_second_factor && !(route->flags & (ROUTE_DURING_PW_CHANGE | ROUTE_DURING_ENROL))) {
      reply_error(rep, 403, "second_factor_required", "本账号须先启用两步验证（手机验证器），才能办理其他事务", NULL);
      return;
    }
    if (route->perm && !roles_can(req->user.role, route->perm)) {
      reply_error(rep, 403, "forbidden", "当前角色无权执行此操作", NULL);
      return;
    }
    if (scope_for_user(req->db, &req->user, &req->scope) != 0) {
      reply_error(rep, 403, "scope_invalid", "账号的管辖范围无效，请联系系统管理员", NULL);
      return;
    }
  }
  if ((route->flags & ROUTE_STALE_OK) && !is_write(req->method)) read_reports_db(req);
  route->handler(req, rep);
}
