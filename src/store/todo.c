/* todo — see todo.h. Each kind runs an existing store's list query with a page of PENDING_PREVIEW_ROWS
 * rows and keeps its `total`; the two queries with no list of their own (adjustments waiting for a
 * successor, handovers to confirm) go through query_list the same way. */
#include "store/todo.h"

#include <string.h>

#include "core/date.h"
#include "store/allowance.h"
#include "store/assignments.h"
#include "store/evaluations.h"
#include "store/leaves.h"
#include "store/list_sql.h"
#include "store/plans.h"
#include "store/query.h"
#include "store/reports.h"
#include "store/work_logs.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

static const char *str(const json_t *row, const char *key)
{
  const char *s = json_string_value(json_object_get(row, key));
  return s ? s : "";
}

/* Days from an ISO due date to today when it is past, else 0. */
static long days_late(const char *due, int today)
{
  int d;
  long n = 0;
  if (!due || !*due || date_parse_iso(due, &d) != 0 || d >= today) return 0;
  if (date_diff_days(d, today, &n) != 0) return 0;
  return n;
}

static json_t *preview_item(const char *label, const char *detail, const char *due, int today)
{
  return json_pack("{s:s, s:s, s:o, s:I}", "label", label, "detail", detail, "due",
                   due && *due ? json_string(due) : json_null(), "days_late", (json_int_t)days_late(due, today));
}

/* One row of a list as a preview line: who or what, where, and its due date (due_key, may be NULL). */
typedef json_t *(*preview_fn)(const json_t *row, int today);

static json_t *prev_leave(const json_t *row, int today)
{
  char detail[200];
  snprintf(detail, sizeof detail, "%s 至 %s，%lld 天", str(row, "start_date"), str(row, "end_date"),
           (long long)json_integer_value(json_object_get(row, "days")));
  return preview_item(str(row, "cadre_name"), detail, NULL, today);
}

static json_t *prev_assignment(const json_t *row, int today)
{
  char detail[200];
  snprintf(detail, sizeof detail, "%s%s · %s", str(row, "village_name"), str(row, "post_name"), str(row, "unit_name"));
  return preview_item(str(row, "cadre_name"), detail, NULL, today);
}

static json_t *prev_vacancy(const json_t *row, int today)
{
  char detail[200];
  snprintf(detail, sizeof detail, "%s · %s，%s起空缺", str(row, "township_name"), str(row, "post_name"),
           str(row, "opened_on"));
  return preview_item(str(row, "village_name"), detail, str(row, "deadline"), today);
}

static json_t *prev_ending(const json_t *row, int today)
{
  char detail[200];
  snprintf(detail, sizeof detail, "%s %s，任期 %s 届满", str(row, "village_name"), str(row, "post_name"),
           str(row, "term_end"));
  return preview_item(str(row, "cadre_name"), detail, str(row, "term_end"), today);
}

static json_t *prev_plan(const json_t *row, int today)
{
  char label[160];
  snprintf(label, sizeof label, "%s %lld 年", str(row, "village_name"),
           (long long)json_integer_value(json_object_get(row, "year")));
  return preview_item(label, str(row, "unit_name"), NULL, today);
}

static json_t *prev_allowance(const json_t *row, int today)
{
  char label[160];
  snprintf(label, sizeof label, "%s 补助核算表", str(row, "month"));
  return preview_item(label, str(row, "unit_name"), NULL, today);
}

static json_t *prev_case(const json_t *row, int today)
{
  char label[160];
  snprintf(label, sizeof label, "%s户", str(row, "head_name"));
  return preview_item(label, str(row, "village_name"), NULL, today);
}

static json_t *prev_evaluation(const json_t *row, int today)
{
  char label[160], detail[200];
  snprintf(label, sizeof label, "%s", str(row, "cadre_name"));
  snprintf(detail, sizeof detail, "%s%s · %lld 年度%s", str(row, "township_name"), str(row, "village_name"),
           (long long)json_integer_value(json_object_get(row, "year")),
           strcmp(str(row, "round_kind"), "term") == 0 ? "任期考核" : "考核");
  return preview_item(label, detail, NULL, today);
}

static json_t *prev_report(const json_t *row, int today)
{
  char label[160];
  snprintf(label, sizeof label, "%s %s 至 %s", str(row, "cadre_name"), str(row, "from"), str(row, "to"));
  return preview_item(label, str(row, "review_state_name"), NULL, today);
}

static json_t *prev_log(const json_t *row, int today)
{
  char label[160];
  snprintf(label, sizeof label, "%s 的日志", str(row, "date"));
  return preview_item(label, str(row, "text"), NULL, today);
}

static json_t *prev_plain(const json_t *row, int today)
{
  return preview_item(str(row, "label"), str(row, "detail"), str(row, "due"), today);
}

/* Appends {kind, count, due, days_late, preview} from a list ({items,total}) when it has rows;
 * takes the list. The earliest due date of the preview is the kind's (lists sort by it). */
static int add_kind(json_t *out, const char *kind, json_t *list, preview_fn fn, int today)
{
  if (!list) return -1;
  json_int_t total = json_integer_value(json_object_get(list, "total"));
  if (total <= 0) { json_decref(list); return 0; }
  json_t *preview = json_array();
  const char *due = NULL;
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(list, "items"), i, row) {
    json_t *p = fn(row, today);
    const char *d = json_string_value(json_object_get(p, "due"));
    if (d && (!due || strcmp(d, due) < 0)) due = d;
    json_array_append_new(preview, p);
  }
  json_t *item = json_pack("{s:s, s:I, s:o, s:I, s:o}", "kind", kind, "count", total, "due",
                           due ? json_string(due) : json_null(), "days_late", (json_int_t)days_late(due, today),
                           "preview", preview);
  json_array_append_new(out, item);
  json_decref(list);
  return 0;
}

/* A row of the two lists below, by its aliases label, detail and due. */
static json_t *row_plain(struct query *q)
{
  const char *label = query_get_text(q, "label"), *detail = query_get_text(q, "detail");
  return json_pack("{s:s, s:s, s:s}", "label", label, "detail", detail, "due", query_get_text(q, "due"));
}

/* Adjustments and recalls still open: nobody nominated to follow the outgoing cadre (1.2, 1.8). */
static json_t *open_adjustments(struct db *db, const struct scope *scope)
{
  struct strbuf where;
  strbuf_init(&where, 1024);
  int rc = strbuf_appendf(&where,
      "adjustment x JOIN assignment a ON a.id = x.outgoing_assignment_id JOIN cadre c ON c.id = a.cadre_id"
      " JOIN region ar ON ar.code = a.village_code WHERE x.status = 'open'");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  json_t *out = rc == 0 ? query_list(db,
      "c.name AS label, ar.name || CASE x.recall WHEN 1 THEN '，已召回，待选派继任' ELSE '，调整待选派继任' END AS detail,"
      " '' AS due",
      strbuf_cstr(&where), "x.created_at, x.id", NULL, 0, scope, row_plain, 1, PENDING_PREVIEW_ROWS) : NULL;
  strbuf_free(&where);
  return out;
}

/* Handovers begun and not yet confirmed (1.6): due the handover's last day. */
static json_t *unconfirmed_handovers(struct db *db, const struct scope *scope, int today)
{
  char t[DATE_ISO_SIZE];
  date_format_iso(today, t);
  struct strbuf where;
  strbuf_init(&where, 1024);
  int rc = strbuf_appendf(&where,
      "handover h JOIN assignment a ON a.id = h.incoming_assignment_id JOIN cadre c ON c.id = a.cadre_id"
      " JOIN assignment o ON o.id = h.outgoing_assignment_id JOIN cadre oc ON oc.id = o.cadre_id"
      " JOIN region ar ON ar.code = a.village_code WHERE h.confirmed_on IS NULL AND h.starts_on <= :today");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &where);
  const struct sql_param params[] = {{":today", t, 0}};
  json_t *out = rc == 0 ? query_list(db,
                                     "ar.name AS label, oc.name || ' → ' || c.name || '，交接清单待确认' AS detail,"
                                     " h.ends_on AS due",
                                     strbuf_cstr(&where), "h.ends_on, h.id", params, 1, scope, row_plain, 1,
                                     PENDING_PREVIEW_ROWS)
                        : NULL;
  strbuf_free(&where);
  return out;
}

/* The 考核 steps waiting on the caller, one kind each (evaluation_<step>). */
static int add_evaluations(json_t *out, struct db *db, const struct scope *scope, const struct todo_who *w)
{
  for (int i = 0; i < 3 && w->evaluation_steps[i]; i++) {
    struct eval_filter f = {0};
    f.waiting = w->evaluation_steps[i];
    char kind[40];
    snprintf(kind, sizeof kind, "evaluation_%s", w->evaluation_steps[i]);
    if (add_kind(out, kind, evaluations_list_json(db, scope, &f, 1, PENDING_PREVIEW_ROWS), prev_evaluation, w->today) != 0)
      return -1;
  }
  return 0;
}

static int add_cases(json_t *out, struct db *db, const struct scope *scope, const struct todo_who *w)
{
  for (int i = 0; i < PENDING_CASE_STATES && w->case_states[i]; i++) {
    struct case_filter f = {0};
    f.state = w->case_states[i];
    char kind[40];
    snprintf(kind, sizeof kind, "case_%s", w->case_states[i]);
    if (add_kind(out, kind, cases_list_json(db, scope, &f, w->case_limits, 1, PENDING_PREVIEW_ROWS), prev_case, w->today) != 0)
      return -1;
  }
  return 0;
}

/* Vacancies not filled (the list's "open": overdue ones included, the earliest deadline first),
 * with how many are past the deadline (the list's "overdue"), and terms ending. */
static int add_posts(json_t *out, struct db *db, const struct scope *scope, const struct todo_who *w)
{
  json_t *overdue = post_life_vacancies_json(db, scope, NULL, "overdue", w->today, 1, 1);
  if (!overdue) return -1;
  json_int_t late = json_integer_value(json_object_get(overdue, "total"));
  json_decref(overdue);
  size_t before = json_array_size(out);
  int rc = add_kind(out, "vacancy", post_life_vacancies_json(db, scope, NULL, "open", w->today, 1, PENDING_PREVIEW_ROWS),
                    prev_vacancy, w->today);
  if (rc == 0 && json_array_size(out) > before)
    json_object_set_new(json_array_get(out, before), "overdue", json_integer(late));
  if (rc == 0)
    rc = add_kind(out, "term_ending", post_life_terms_ending_json(db, scope, NULL, w->rules, w->today, 1, PENDING_PREVIEW_ROWS),
                  prev_ending, w->today);
  return rc;
}

/* 批阅: reports waiting for the township's review; the cadre's own reports and logs returned. */
static int add_reviews(json_t *out, struct db *db, const struct scope *scope, const struct todo_who *w)
{
  int rc = 0;
  if (w->report_review) {
    struct report_filter f = {0};
    f.review = REPORT_REVIEW_WAITING;
    rc |= add_kind(out, "report_review", reports_list_json(db, scope, &f, 1, PENDING_PREVIEW_ROWS), prev_report,
                   w->today);
  }
  if (rc == 0 && w->returned_to_me) {
    struct report_filter f = {0};
    f.review = REPORT_REVIEW_RETURNED;
    rc |= add_kind(out, "report_returned", reports_list_json(db, scope, &f, 1, PENDING_PREVIEW_ROWS), prev_report,
                   w->today);
    struct work_log_filter lf = {0};
    lf.review_state = "returned";
    if (rc == 0)
      rc |= add_kind(out, "log_returned", work_logs_list_json(db, scope, &lf, 1, PENDING_PREVIEW_ROWS), prev_log,
                     w->today);
  }
  return rc;
}

static int add_all(json_t *out, struct db *db, const struct scope *scope, const struct todo_who *w)
{
  char t[DATE_ISO_SIZE];
  date_format_iso(w->today, t);
  int rc = 0;
  if (w->leave_level) {
    struct leave_filter f = {NULL, 0, w->leave_level, false, t};
    rc |= add_kind(out, "leave", leaves_list_json(db, scope, &f, 1, PENDING_PREVIEW_ROWS), prev_leave, w->today);
  }
  if (rc == 0 && w->department) {
    struct assignment_filter f = {0};
    f.inbox_department = w->department;
    f.inbox_region = w->region_code;
    rc |= add_kind(out, "nomination", assignments_list_json(db, scope, &f, 1, PENDING_PREVIEW_ROWS), prev_assignment, w->today);
  }
  if (rc == 0 && w->adjustments) rc |= add_kind(out, "adjustment", open_adjustments(db, scope), prev_plain, w->today);
  if (rc == 0 && w->handovers)
    rc |= add_kind(out, "handover", unconfirmed_handovers(db, scope, w->today), prev_plain, w->today);
  if (rc == 0) rc |= add_cases(out, db, scope, w);
  if (rc == 0 && w->plan_review) {
    struct plan_filter f = {NULL, 0, "submitted"};
    rc |= add_kind(out, "plan_review", plans_list_json(db, scope, &f, 1, PENDING_PREVIEW_ROWS), prev_plan, w->today);
  }
  if (rc == 0 && w->posts) rc |= add_posts(out, db, scope, w);
  if (rc == 0) rc |= add_evaluations(out, db, scope, w);
  if (rc == 0) rc |= add_reviews(out, db, scope, w);
  if (rc == 0 && w->allowance_before)
    rc |= add_kind(out, "allowance_confirm",
                   allowance_sheets_json(db, scope, NULL, "draft", 0, w->allowance_before, 1, PENDING_PREVIEW_ROWS),
                   prev_allowance, w->today);
  return rc;
}

json_t *todo_json(struct db *db, const struct scope *scope, const struct todo_who *who)
{
  json_t *out = json_array();
  if (!out) return NULL;
  if (add_all(out, db, scope, who) != 0) { json_decref(out); return NULL; }
  return out;
}
