/* demo_reviews — see demo_reviews.h. Each report is written as the product writes it: inserted as
 * sent, then each review act through store/reviews (state, note, read mark), a revision keeping
 * the returned text as a version. */
#include "store/demo_reviews.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/review_flow.h"
#include "store/query.h"
#include "store/reports.h"
#include "store/reviews.h"
#include "store/work_logs.h"

#define DEMO_TOWNSHIP "360781104"
#define DEMO_MAX_POSTS 8

struct post { int64_t assignment, cadre, unit; char village[16], cadre_name[64]; };
struct reviewer { int64_t id, cadre_id; char name[128]; };

static int load_posts(struct db *db, struct post *out, int max, int *n)
{
  struct query *q = query_open(db,
      "SELECT a.id AS id, a.cadre_id AS cadre_id, a.unit_id AS unit_id, a.village_code AS village_code,"
      " c.name AS cadre_name FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
      " WHERE a.status = 'active' AND substr(a.village_code, 1, 9) = :township ORDER BY a.village_code, a.post, a.id");
  query_bind_text(q, ":township", DEMO_TOWNSHIP);
  *n = 0;
  while (*n < max && query_next(q)) {
    struct post *p = &out[(*n)++];
    p->assignment = query_get_int(q, "id");
    p->cadre = query_get_int(q, "cadre_id");
    p->unit = query_get_int(q, "unit_id");
    snprintf(p->village, sizeof p->village, "%s", query_get_text(q, "village_code"));
    snprintf(p->cadre_name, sizeof p->cadre_name, "%s", query_get_text(q, "cadre_name"));
  }
  return query_close(q);
}

static int load_reviewer(struct db *db, const char *username, struct reviewer *out)
{
  struct query *q = query_open(db,
      "SELECT id AS id, display_name AS display_name, coalesce(cadre_id, 0) AS cadre_id FROM \"user\""
      " WHERE username = :username");
  query_bind_text(q, ":username", username);
  bool found = query_next(q);
  if (found) {
    out->id = query_get_int(q, "id");
    snprintf(out->name, sizeof out->name, "%s", query_get_text(q, "display_name"));
    out->cadre_id = query_get_int(q, "cadre_id");
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* 09:00 CST of date plus `minutes`, never later than now minus a minute per step. */
static int64_t at(int date, int minutes, int64_t now, int step)
{
  long days = 0;
  date_to_days(date, &days);
  int64_t t = (int64_t)days * 86400 + 3600 + (int64_t)minutes * 60; /* 09:00 CST is 01:00 UTC */
  int64_t cap = now - 3600 + step * 60;
  return t < cap ? t : cap;
}

struct act { struct reviewer *who; const char *reader; enum review_action action; const char *text; };

static int review(struct db *db, int64_t id, const struct post *p, const struct act *a, enum review_state *state,
                  int64_t revision, int64_t t)
{
  enum review_state to;
  if (review_flow_step(*state, a->action, &to) != REVIEW_OK) return DB_CONFLICT;
  int rc = a->action == REVIEW_COMMENT ? DB_OK : reviews_set_state(db, REVIEW_KIND_REPORT, id, *state, to, a->reader, t);
  struct review_note_new n = {REVIEW_KIND_REPORT, id, p->cadre, a->who ? a->who->id : 0, revision, a->action,
                              a->reader, a->who ? a->who->name : p->cadre_name, a->text};
  if (rc == DB_OK) rc = reviews_add_note(db, &n, t);
  if (rc == DB_OK) *state = to;
  return rc;
}

static const char *const RETURN_REASON = "本月走访的监测户情况写得过简，请补充发现的问题、采取的措施和下月打算后重新提交。";

/* One month's report of one post; `fate`: 0 accepted, 1 accepted with a word, 2 returned and
 * resubmitted, 3 waiting, 4 waiting with the unit's comment. */
static int month_report(struct db *db, const struct post *p, int first, int last, int fate, struct reviewer *sec,
                        struct reviewer *unit, int64_t now, int step)
{
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE], text[1024];
  date_format_iso(first, from);
  date_format_iso(last, to);
  int64_t logs = work_logs_count(db, p->cadre, from, to);
  if (logs < 0) return DB_ERROR;
  snprintf(text, sizeof text,
           "%d年%d月工作报告\n一、本月驻村工作：按五项职责开展工作，写驻村日志 %lld 条。\n"
           "二、存在问题：部分监测户收入不稳定。\n三、下月打算：继续入户走访，落实帮扶措施。",
           date_year(first), date_month(first), (long long)logs);
  struct report_new r = {p->cadre, p->assignment, p->unit, p->village, from, to, text, logs};
  int next = date_add_days(last, 1);
  int64_t id = 0;
  int rc = reports_insert(db, &r, at(next, 30, now, step), &id);
  enum review_state state = REVIEW_PENDING;
  const struct act accept = {sec, "township", REVIEW_ACCEPT, fate == 1 ? "内容翔实，措施具体，同意。" : NULL};
  if (rc == DB_OK && (fate == 0 || fate == 1)) rc = review(db, id, p, &accept, &state, 0, at(next, 24 * 60, now, step));
  if (rc == DB_OK && fate == 4) {
    const struct act c = {unit, "unit", REVIEW_COMMENT, "单位已阅。请注意防汛安全，有困难及时向单位反映。"};
    rc = review(db, id, p, &c, &state, 0, at(next, 26 * 60, now, step));
  }
  if (rc != DB_OK || fate != 2) return rc;
  const struct act back = {sec, "township", REVIEW_RETURN, RETURN_REASON};
  rc = review(db, id, p, &back, &state, 0, at(next, 24 * 60, now, step));
  char revised[1200];
  snprintf(revised, sizeof revised,
           "%s\n补充：走访监测户 5 户，发现 1 户因病收入下降，已协调申请临时救助；下月跟踪落实。", text);
  int64_t t = at(next, 48 * 60, now, step);
  if (rc == DB_OK) rc = reviews_keep_version(db, REVIEW_KIND_REPORT, id);
  if (rc == DB_OK) rc = reports_revise(db, id, p->cadre, revised, logs, t);
  const struct act again = {NULL, "cadre", REVIEW_RESUBMIT, NULL};
  if (rc == DB_OK) rc = review(db, id, p, &again, &state, 1, t);
  return rc;
}

int demo_reviews(struct db *db, int64_t now, long *reports_out)
{
  struct post posts[DEMO_MAX_POSTS];
  struct reviewer sec, unit, cadre1;
  int n = 0, today = date_from_unix_cst((time_t)now);
  int rc = load_posts(db, posts, DEMO_MAX_POSTS, &n);
  if (rc == DB_OK) rc = load_reviewer(db, "shazhouba_sec", &sec);
  if (rc == DB_OK) rc = load_reviewer(db, "unit_leader1", &unit);
  if (rc == DB_OK) rc = load_reviewer(db, "cadre1", &cadre1);
  int this_month = date_make(date_year(today), date_month(today), 1);
  *reports_out = 0;
  for (int m = 2; rc == DB_OK && m >= 1; m--) {
    int first = date_add_months(this_month, -m), last = date_add_days(date_add_months(first, 1), -1);
    for (int i = 0; rc == DB_OK && i < n; i++) {
      /* cadre1's last report waits for the township: the tour and the browser tests review it */
      int fate = m == 2 ? 0 : posts[i].cadre == cadre1.cadre_id ? 3 : i == 1 ? 2 : i == 2 ? 4 : i % 2 ? 1 : 3;
      rc = month_report(db, &posts[i], first, last, fate, &sec, &unit, now, i);
      if (rc == DB_OK) (*reports_out)++;
    }
  }
  return rc;
}
