/* handlers — one function per endpoint, grouped in one file per resource (h_<resource>.c).
 * The router has already authenticated the caller, checked CSRF, permission and built
 * req->scope; a handler validates its input, calls the store, and audits its writes. */
#ifndef ZHUCUN_HANDLERS_H
#define ZHUCUN_HANDLERS_H

#include <jansson.h>

#include "core/eligibility.h"
#include "http/request.h"
#include "store/reviews.h"

/* h_session.c */
int api_health_get(struct request *req, struct reply *rep);
int api_session_login(struct request *req, struct reply *rep);
int api_session_get(struct request *req, struct reply *rep);
int api_session_logout(struct request *req, struct reply *rep);
int api_session_change_password(struct request *req, struct reply *rep);
int api_roles_list(struct request *req, struct reply *rep);

/* h_openapi.c */
int api_openapi_get(struct request *req, struct reply *rep);

/* h_regions.c */
int api_regions_list(struct request *req, struct reply *rep);
int api_regions_get(struct request *req, struct reply *rep);
int api_regions_patch(struct request *req, struct reply *rep);
int api_regions_rename(struct request *req, struct reply *rep);
int api_regions_move(struct request *req, struct reply *rep);

/* h_units.c */
int api_units_list(struct request *req, struct reply *rep);
int api_units_get(struct request *req, struct reply *rep);
int api_units_create(struct request *req, struct reply *rep);
int api_units_patch(struct request *req, struct reply *rep);

/* h_users.c */
int api_users_list(struct request *req, struct reply *rep);
int api_users_post(struct request *req, struct reply *rep);
int api_users_patch(struct request *req, struct reply *rep);
int api_users_reset_password(struct request *req, struct reply *rep);
int api_users_unlock_post(struct request *req, struct reply *rep);
int api_session_reauth(struct request *req, struct reply *rep);
int api_session_totp(struct request *req, struct reply *rep);
/* h_second_factor.c: 两步验证 of the logged-in user */
int api_second_factor_get(struct request *req, struct reply *rep);
int api_second_factor_start(struct request *req, struct reply *rep);
int api_second_factor_confirm(struct request *req, struct reply *rep);
int api_users_second_factor_reset(struct request *req, struct reply *rep);
int api_users_approve_post(struct request *req, struct reply *rep);

/* h_cadres.c */
int api_cadres_list(struct request *req, struct reply *rep);
int api_cadres_get(struct request *req, struct reply *rep);
int api_cadres_create(struct request *req, struct reply *rep);
int api_cadres_patch(struct request *req, struct reply *rep);
int api_cadres_add_sanction(struct request *req, struct reply *rep);
int api_cadres_set_appraisal(struct request *req, struct reply *rep);
int api_cadres_reveal_id(struct request *req, struct reply *rep);
int api_cadres_reveal_phone(struct request *req, struct reply *rep);
int api_cadres_import(struct request *req, struct reply *rep);

/* h_eligibility.c */
/* h_policy.c */
int api_policy_get(struct request *req, struct reply *rep);
int api_policy_basis_get(struct request *req, struct reply *rep);
int api_policy_values_get(struct request *req, struct reply *rep);
int api_eligibility_get(struct request *req, struct reply *rep);
int api_candidates_get(struct request *req, struct reply *rep);

/* h_assignments.c */
int api_batches_list(struct request *req, struct reply *rep);
int api_batches_create(struct request *req, struct reply *rep);
int api_assignments_list(struct request *req, struct reply *rep);
int api_assignments_create(struct request *req, struct reply *rep);
int api_assignments_get(struct request *req, struct reply *rep);
int api_assignments_decide(struct request *req, struct reply *rep);
int api_assignments_withdraw(struct request *req, struct reply *rep);
int api_assignments_adjust(struct request *req, struct reply *rep);
int api_assignments_recall(struct request *req, struct reply *rep);
int api_handovers_get(struct request *req, struct reply *rep);
int api_handovers_tick(struct request *req, struct reply *rep);
int api_handovers_complete(struct request *req, struct reply *rep);
int api_coverage_get(struct request *req, struct reply *rep);
int api_vacancies_list(struct request *req, struct reply *rep);
int api_terms_ending_list(struct request *req, struct reply *rep);
int api_stability_get(struct request *req, struct reply *rep);

/* h_evaluations.c: 年度考核 / 任期考核 (issue #12) */
int api_evaluation_rounds_list(struct request *req, struct reply *rep);
int api_evaluation_rounds_create(struct request *req, struct reply *rep);
int api_evaluation_rounds_get(struct request *req, struct reply *rep);
int api_evaluation_rounds_confirm(struct request *req, struct reply *rep);
int api_evaluations_list(struct request *req, struct reply *rep);
int api_evaluations_get(struct request *req, struct reply *rep);
int api_evaluations_report(struct request *req, struct reply *rep);
int api_evaluations_step(struct request *req, struct reply *rep);
int api_evaluations_votes_import(struct request *req, struct reply *rep);

/* h_upward_reports.c: 上报材料 — 月报 / 半年报 / 年报 up the chain (issue #12 part 3) */
int api_upward_reports_list(struct request *req, struct reply *rep);
int api_upward_reports_create(struct request *req, struct reply *rep);
int api_upward_reports_get(struct request *req, struct reply *rep);
int api_upward_reports_texts(struct request *req, struct reply *rep);
int api_upward_reports_submit(struct request *req, struct reply *rep);
int api_upward_reports_receive(struct request *req, struct reply *rep);
int api_upward_reports_return(struct request *req, struct reply *rep);
/* Appends to 待办 the caller's own report not yet sent (or sent back) and the reports sent up to
 * the caller and not yet received, for the last ended period of each kind. -1 on an error. */
int upward_todo_items(struct request *req, json_t *items);

/* h_todo.c: one 待办 per user (store/todo) */
int api_me_todo(struct request *req, struct reply *rep);

/* h_checkins.c */
int api_checkins_create(struct request *req, struct reply *rep);
int api_checkins_list(struct request *req, struct reply *rep);
int api_me_today(struct request *req, struct reply *rep);
int api_board_get(struct request *req, struct reply *rep);
int api_screen_get(struct request *req, struct reply *rep);

/* h_audit.c */
int api_audit_list(struct request *req, struct reply *rep);
int api_audit_verify_get(struct request *req, struct reply *rep);
int api_audit_phrases_get(struct request *req, struct reply *rep);

/* h_leaves.c: 请销假 (2.1, 2.4) */
/* The approver level the role decides (2.4): "township", "county", or NULL when none. */
const char *leave_approver_level(const struct role *role);
int api_leaves_list(struct request *req, struct reply *rep);
int api_leaves_create(struct request *req, struct reply *rep);
int api_leaves_get(struct request *req, struct reply *rep);
int api_leaves_decide(struct request *req, struct reply *rep);
int api_leaves_cancel(struct request *req, struct reply *rep);
int api_leaves_close(struct request *req, struct reply *rep);

/* h_logs.c: 驻村日志 and the report draft (2.1, 5.1) */
int api_logs_list(struct request *req, struct reply *rep);
int api_logs_create(struct request *req, struct reply *rep);
int api_reports_draft(struct request *req, struct reply *rep);

/* h_reports.c: 工作报告 sent to the township and the dispatching unit (2.1) */
int api_reports_list(struct request *req, struct reply *rep);
int api_reports_create(struct request *req, struct reply *rep);
int api_reports_get(struct request *req, struct reply *rep);
int api_reports_revise(struct request *req, struct reply *rep);

/* h_reviews.c: 批阅 of reports and logs (2.1, 2.4, 3.1) */
int api_reports_review(struct request *req, struct reply *rep);
int api_logs_review(struct request *req, struct reply *rep);
int api_logs_get(struct request *req, struct reply *rep);
int api_logs_revise(struct request *req, struct reply *rep);
int api_reviews_month(struct request *req, struct reply *rep);
/* The caller's seat as a reviewer: "township", "unit" or NULL. */
const char *review_reader_of(const struct role *role);
/* Adds the item's "notes" and "versions"; -1 on a database error. */
int review_attach(struct request *req, enum review_kind kind, int64_t id, json_t *item);
/* Writes the 409 of a refused review act; returns -1. */
int review_refuse(struct reply *rep, enum review_result r);
/* Inside the write: a returned item revised by its cadre becomes resubmitted, with its note. */
int review_resubmit(struct request *req, enum review_kind kind, int64_t id, int64_t cadre_id, int64_t revision,
                    enum review_state from);
/* h_discipline.c: violations and feedback to the unit (2.5), reminders (2.7), secondments (3.6),
 * the unit attendance score (2.6) */
int api_violations_list(struct request *req, struct reply *rep);
int api_violations_create(struct request *req, struct reply *rep);
int api_violations_get(struct request *req, struct reply *rep);
int api_violations_acknowledge(struct request *req, struct reply *rep);
int api_violations_accountability(struct request *req, struct reply *rep);
int api_secondments_list(struct request *req, struct reply *rep);
int api_secondments_create(struct request *req, struct reply *rep);
int api_reminders_list(struct request *req, struct reply *rep);
int api_reminders_create(struct request *req, struct reply *rep);
int api_reminders_read(struct request *req, struct reply *rep);
int api_scores_get(struct request *req, struct reply *rep);

/* h_notifications.c: 消息 and 通知渠道 (issue 13) */
int api_notifications_list(struct request *req, struct reply *rep);
int api_notifications_unread(struct request *req, struct reply *rep);
int api_notifications_read(struct request *req, struct reply *rep);
int api_notifications_read_all(struct request *req, struct reply *rep);
int api_notification_prefs_get(struct request *req, struct reply *rep);
int api_notification_prefs_put(struct request *req, struct reply *rep);
int api_channels_list(struct request *req, struct reply *rep);
int api_channels_create(struct request *req, struct reply *rep);
int api_channels_patch(struct request *req, struct reply *rep);
int api_notification_settings_put(struct request *req, struct reply *rep);
int api_outbox_list(struct request *req, struct reply *rep);
int api_outbox_requeue(struct request *req, struct reply *rep);

/* Shared by handlers (handlers.c). */

/* Appends the audit row of a write made by the request's user; inside the write transaction. */
int handler_audit(struct request *req, const char *action, const char *entity, const char *entity_id,
                  json_t *detail /* borrowed, may be NULL */);
/* The engine's verdict for cadre × dispatching unit × post × date (h_eligibility.c); writes the
 * error reply and returns -1 when it cannot judge. */
struct eligibility_result;
int handler_judge(struct request *req, struct reply *rep, int64_t cadre, int64_t unit, enum post post, int date,
                  struct eligibility_result *out);
json_t *eligibility_result_json(const struct eligibility_result *r);
/* ?name=YYYY-MM-DD, default today in China Standard Time. */
int handler_query_date(const struct request *req, struct reply *rep, const char *name, int *out);
/* 404 unless the unit is in the caller's scope. */
int handler_unit_in_scope(struct request *req, struct reply *rep, int64_t unit);
/* ?cadre=ID on a list of a cadre's own records (check-ins, visits, logs, leave): a cadre may name
 * only themselves. Without this the scope's bound silently answered another cadre's name with an
 * empty list, which reads as "that cadre did nothing" (issue 11). Parses the value into *out (0:
 * no filter); writes a 400 for a malformed id, a 403 for another cadre. */
int handler_cadre_filter(struct request *req, struct reply *rep, const char *value, int64_t *out);

/* h_analysis.c */
int api_analysis_get(struct request *req, struct reply *rep);

/* ?month=YYYY-MM&region= and the presence rules in force (h_presence.c). */
struct presence_query;
struct presence_rules;
int handler_presence_query(struct request *req, struct reply *rep, struct presence_query *q,
                           struct presence_rules *rules);
/* The presence rules in force on first (yyyymmdd), from the policy (h_presence.c). */
void handler_presence_rules(const struct request *req, int first, struct presence_rules *rules);

/* Checks a new password against the password rules; writes the 400 reply when it fails. */
int handler_check_new_password(struct request *req, struct reply *rep, const char *username, const char *password,
                               const char *field);
/* Replies with a list, or with its .xlsx export when ?format=xlsx. columns: NULL-terminated
 * pairs {key, 中文标题}. Takes ownership of list. */
int handler_reply_list(struct request *req, struct reply *rep, json_t *list, const char *const columns[][2],
                       const char *filename_zh);
/* With ?format=xlsx: the next store list call (every row) streams its rows into the workbook that
 * handler_reply_list then answers with (the same columns and file name), each row first given to
 * fix (may be NULL) as the handler would have changed the items. Call it right before the store's
 * list call whose result goes straight to handler_reply_list. */
typedef void (*handler_row_fn)(struct request *req, json_t *row);
void handler_stream_list(struct request *req, const char *const columns[][2], const char *filename_zh,
                         handler_row_fn fix);

/* h_presence.c: the working calendar and the monthly presence analysis (2.1, 3.6) */
int api_presence_get(struct request *req, struct reply *rep);
int api_calendar_get(struct request *req, struct reply *rep);

/* h_cases.c: 防返贫监测帮扶 — risk → monitoring case, measures, closure, the printed 公示 (5.7) */
int api_cases_list(struct request *req, struct reply *rep);
int api_cases_create(struct request *req, struct reply *rep);
int api_cases_summary(struct request *req, struct reply *rep);
int api_cases_notice(struct request *req, struct reply *rep);
int api_cases_import(struct request *req, struct reply *rep);
int api_cases_get(struct request *req, struct reply *rep);
int api_cases_step(struct request *req, struct reply *rep);

/* h_village_work.c: the monthly monitoring meeting (5.7), activities and the five duties
 * (5.1–5.5), organization relation transfer (5.3) */
int api_meetings_list(struct request *req, struct reply *rep);
int api_meetings_create(struct request *req, struct reply *rep);
int api_meetings_missing(struct request *req, struct reply *rep);
int api_meetings_get(struct request *req, struct reply *rep);
int api_meetings_withdraw(struct request *req, struct reply *rep);
int api_activities_list(struct request *req, struct reply *rep);
int api_activities_create(struct request *req, struct reply *rep);
int api_duties_get(struct request *req, struct reply *rep);
int api_org_transfers_list(struct request *req, struct reply *rep);
int api_org_transfers_put(struct request *req, struct reply *rep);

/* h_plans.c: the annual assistance plan (5.9) and the unit's resources (3.3, 5.10) */
int api_plans_list(struct request *req, struct reply *rep);
int api_plans_create(struct request *req, struct reply *rep);
int api_plans_get(struct request *req, struct reply *rep);
int api_plans_update(struct request *req, struct reply *rep);
int api_plans_submit(struct request *req, struct reply *rep);
int api_plans_review(struct request *req, struct reply *rep);
int api_plans_progress(struct request *req, struct reply *rep);
int api_resources_list(struct request *req, struct reply *rep);
int api_resources_create(struct request *req, struct reply *rep);

/* h_households.c, h_visits.c, h_villages.c (issue #6): the household registry (5.6, 5.8), its
 * import, visits (遍访, 5.6) and their coverage, cross-checks (疑点比对), the village page */
int api_households_list(struct request *req, struct reply *rep);
int api_households_get(struct request *req, struct reply *rep);
int api_households_patch(struct request *req, struct reply *rep);
int api_households_import(struct request *req, struct reply *rep);
/* h_exchange.c: 数据交换 with the 防返贫监测 platforms (issue 13, part 2) */
int api_exchange_layouts(struct request *req, struct reply *rep);
int api_exchange_template(struct request *req, struct reply *rep);
int api_exchange_export(struct request *req, struct reply *rep);
int api_exchange_import(struct request *req, struct reply *rep);
int api_households_reveal_id(struct request *req, struct reply *rep);
int api_households_reveal_health(struct request *req, struct reply *rep);

/* h_village_profile.c: the village profile with its dated history (5.8) */
int api_village_profile_get(struct request *req, struct reply *rep);
int api_village_profile_change(struct request *req, struct reply *rep);
int api_visits_create(struct request *req, struct reply *rep);
int api_visits_list(struct request *req, struct reply *rep);
int api_visits_coverage(struct request *req, struct reply *rep);
int api_visits_unvisited(struct request *req, struct reply *rep);
int api_crosschecks_get(struct request *req, struct reply *rep);
int api_villages_list(struct request *req, struct reply *rep);
int api_villages_get(struct request *req, struct reply *rep);
/* A visit is a check-in (h_checkins.c): the same time fields and limits. */
struct checkin_limits;
struct policy;
int handler_parse_instant(struct reply *rep, const json_t *body, const char *name, int64_t *out);
struct checkin_limits handler_checkin_limits(const struct policy *p, int today);
/* The rows of an uploaded .xlsx/.csv (h_import.c), as JSON arrays of strings; 4xx on a bad file. */
int handler_import_rows(const struct request *req, struct reply *rep, json_t *rows);


/* h_funds.c: 经费保障 (3.4a, 3.4b) and 人身意外伤害保险 (3.5) */
int api_team_funds_get(struct request *req, struct reply *rep);
int api_unit_funds_get(struct request *req, struct reply *rep);
int api_funds_list(struct request *req, struct reply *rep);
int api_funds_create(struct request *req, struct reply *rep);
int api_funds_get(struct request *req, struct reply *rep);
int api_funds_withdraw(struct request *req, struct reply *rep);
int api_insurance_list(struct request *req, struct reply *rep);
int api_insurance_create(struct request *req, struct reply *rep);
int api_insurance_get(struct request *req, struct reply *rep);
int api_insurance_withdraw(struct request *req, struct reply *rep);

/* h_allowance.c: 补助核算 — the monthly living allowance and transport subsidy of each unit (3.4b) */
int api_allowance_sheets_list(struct request *req, struct reply *rep);
int api_allowance_sheets_create(struct request *req, struct reply *rep);
int api_allowance_sheets_get(struct request *req, struct reply *rep);
int api_allowance_sheets_recount(struct request *req, struct reply *rep);
int api_allowance_lines_adjust(struct request *req, struct reply *rep);
int api_allowance_sheets_confirm(struct request *req, struct reply *rep);
int api_me_allowances(struct request *req, struct reply *rep);
/* The server's monthly run (day_start): drafts the sheet of the month just ended for every unit
 * with a post in it that has none; -1 on a database error. */
int allowance_draft_due(struct request *req, int *drafted);

/* h_training.c: 培训管理 (4.1–4.5) */
int api_training_plans_list(struct request *req, struct reply *rep);
int api_training_plans_create(struct request *req, struct reply *rep);
int api_training_plans_get(struct request *req, struct reply *rep);
int api_training_plans_file(struct request *req, struct reply *rep);
int api_training_events_list(struct request *req, struct reply *rep);
int api_training_events_create(struct request *req, struct reply *rep);
int api_training_events_get(struct request *req, struct reply *rep);
int api_training_events_participants(struct request *req, struct reply *rep);
int api_training_events_withdraw(struct request *req, struct reply *rep);
int api_training_coverage_get(struct request *req, struct reply *rep);
int api_training_counties_get(struct request *req, struct reply *rep);

/* h_commendations.c: 表彰激励 (3.7) */
int api_commendations_list(struct request *req, struct reply *rep);
int api_commendations_create(struct request *req, struct reply *rep);
int api_commendations_get(struct request *req, struct reply *rep);
int api_commendations_withdraw(struct request *req, struct reply *rep);

/* h_obligations.c: 履职监督 — the compliance matrix, roll-ups and the records behind a cell (2.2–4.5,
 * 5.7), each user's reminders, the calendar feed (ICS) and the reopening of a locked month */
int api_compliance_get(struct request *req, struct reply *rep);
int api_compliance_cells(struct request *req, struct reply *rep);
int api_compliance_evidence(struct request *req, struct reply *rep);
int api_obligations_mine(struct request *req, struct reply *rep);
int api_ics_token_create(struct request *req, struct reply *rep);
int api_ics_feed(struct request *req, struct reply *rep);
int api_period_unlocks_create(struct request *req, struct reply *rep);
int api_period_unlocks_list(struct request *req, struct reply *rep);

/* h_supervision.c: 督导记录 — meetings (2.2a, 2.3a), dispatches (2.2b, 2.3b), inquiries (3.1a),
 * report hearings (3.1b, 3.2a), leader visits (3.2b, 3.2c) */
int api_supervision_list(struct request *req, struct reply *rep);
int api_supervision_create(struct request *req, struct reply *rep);
int api_supervision_context(struct request *req, struct reply *rep);
int api_supervision_get(struct request *req, struct reply *rep);
int api_supervision_withdraw(struct request *req, struct reply *rep);

/* h_api_tokens.c: 接口令牌 (issue 13 part 2) */
int api_access_tokens_list(struct request *req, struct reply *rep);
int api_access_tokens_create(struct request *req, struct reply *rep);
int api_access_tokens_revoke(struct request *req, struct reply *rep);

/* h_webhooks.c: 数据推送 (issue 13 part 2) */
int api_webhooks_list(struct request *req, struct reply *rep);
int api_webhooks_create(struct request *req, struct reply *rep);
int api_webhooks_patch(struct request *req, struct reply *rep);
int api_webhook_deliveries_list(struct request *req, struct reply *rep);
int api_webhook_deliveries_requeue(struct request *req, struct reply *rep);

#endif
