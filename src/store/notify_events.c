/* notify_events — see notify_events.h. Each time-driven kind is one SELECT of its open occasions
 * (columns: obj, day, region = the township, a, b, c, u1, u2 — the facts its words and recipients
 * need), wrapped so that occasions already keyed are left out; the rows are read in batches before
 * any is written, then each is keyed, worded and posted (store/notifications). */
#include "store/notify_events.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/roles.h"
#include "store/notifications.h"
#include "store/query.h"

#define BATCH 64

struct due_row {
  char obj[48], day[DATE_ISO_SIZE + 1], region[16], a[96], b[160], c[40], u1[24], u2[24];
};

struct due_kind {
  const char *kind, *title, *link, *entity;
  const char *select;  /* :today, and :until when until */
  bool until;          /* the select names :until (every parameter bound must be named: store/query) */
  int ahead;           /* :until = today + ahead days (-1: the term notice days) */
  int (*post)(struct db *db, const struct due_kind *k, const struct due_row *r, int64_t now, int64_t *event_id);
};

static void copy_col(struct query *q, const char *alias, char *out, size_t len)
{
  snprintf(out, len, "%s", query_get_text(q, alias));
}

/* Up to BATCH open occasions of k not yet keyed. */
static int collect(struct db *db, const struct due_kind *k, const char *today, const char *until, struct due_row *rows,
                   int *n)
{
  char sql[3072];
  int w = snprintf(sql, sizeof sql,
                   "SELECT x.obj AS obj, x.day AS day, x.region AS region, x.a AS a, x.b AS b, x.c AS c, x.u1 AS u1,"
                   " x.u2 AS u2 FROM (%s) x WHERE x.day IS NOT NULL AND NOT EXISTS"
                   " (SELECT 1 FROM notification_key k WHERE k.kind = :kind AND k.object = x.obj AND k.day = x.day)"
                   " ORDER BY x.day, x.obj LIMIT %d", k->select, BATCH);
  if (w < 0 || (size_t)w >= sizeof sql) return DB_ERROR;
  struct query *q = query_open(db, sql);
  query_bind_text(q, ":today", today);
  if (k->until) query_bind_text(q, ":until", until);
  query_bind_text(q, ":kind", k->kind);
  *n = 0;
  while (*n < BATCH && query_next(q)) {
    struct due_row *r = &rows[(*n)++];
    copy_col(q, "obj", r->obj, sizeof r->obj);
    copy_col(q, "day", r->day, sizeof r->day);
    copy_col(q, "region", r->region, sizeof r->region);
    copy_col(q, "a", r->a, sizeof r->a);
    copy_col(q, "b", r->b, sizeof r->b);
    copy_col(q, "c", r->c, sizeof r->c);
    copy_col(q, "u1", r->u1, sizeof r->u1);
    copy_col(q, "u2", r->u2, sizeof r->u2);
  }
  return query_close(q);
}

static int key_write(struct db *db, const char *kind, const struct due_row *r, int64_t event_id)
{
  struct query *q = query_open(db,
      "INSERT INTO notification_key (kind, object, day, event_id) VALUES (:kind, :object, :day, :event)");
  query_bind_text(q, ":kind", kind);
  query_bind_text(q, ":object", r->obj);
  query_bind_text(q, ":day", r->day);
  query_bind_int(q, ":event", event_id);
  return query_exec(q);
}

static const char *post_zh(const char *post)
{
  if (strcmp(post, "first_secretary") == 0) return "驻村第一书记";
  if (strcmp(post, "team_leader") == 0) return "驻村工作队长";
  if (strcmp(post, "team_member") == 0) return "驻村工作队员";
  return "驻村干部";
}

static int post_event(struct db *db, const struct due_kind *k, const struct due_row *r, const char *body,
                      const char *recipients, const char *const *params, int n, int64_t now, int64_t *event_id)
{
  const char *colon = strchr(r->obj, ':');
  struct notification_new e = {k->kind, k->title, body, k->link, r->region, k->entity, colon ? colon + 1 : r->obj};
  return notifications_post(db, &e, recipients, params, n, now, event_id);
}

/* ---- the kinds ---- */

#define TOWNSHIP_AND_UNITS \
  "SELECT id FROM \"user\" WHERE instr(:p1, ',' || role || ',') > 0 AND region_code = :p2" \
  " UNION SELECT id FROM \"user\" WHERE instr(:p3, ',' || role || ',') > 0 AND unit_id IN (CAST(:p4 AS INTEGER), CAST(:p5 AS INTEGER))"

static int post_term_ending(struct db *db, const struct due_kind *k, const struct due_row *r, int64_t now, int64_t *id)
{
  char body[512], township[512], unit[512];
  snprintf(body, sizeof body, "%s%s%s任期将于 %s 届满，尚无继任人选，请及早研究选派。", r->b, post_zh(r->c), r->a, r->day);
  notifications_role_codes(PERM_ASSIGN_READ, "township", 0, 0, township, sizeof township);
  notifications_role_codes(PERM_ASSIGN_READ, NULL, 0, 1, unit, sizeof unit);
  const char *params[] = {township, r->region, unit, r->u1, r->u1};
  return post_event(db, k, r, body, TOWNSHIP_AND_UNITS, params, 5, now, id);
}

static int post_handover_due(struct db *db, const struct due_kind *k, const struct due_row *r, int64_t now, int64_t *id)
{
  char body[512], township[512], unit[512];
  snprintf(body, sizeof body, "%s%s与%s的工作交接将于 %s 期满，交接清单尚未确认，请督促完成交接。", r->b, r->a, r->c, r->day);
  notifications_role_codes(PERM_HANDOVER_CONFIRM, "township", 0, 0, township, sizeof township);
  notifications_role_codes(PERM_ASSIGN_READ, NULL, 0, 1, unit, sizeof unit);
  const char *params[] = {township, r->region, unit, r->u1, r->u2};
  return post_event(db, k, r, body, TOWNSHIP_AND_UNITS, params, 5, now, id);
}

#define TOWNSHIP_AND_COUNTY \
  "SELECT id FROM \"user\" WHERE instr(:p1, ',' || role || ',') > 0 AND region_code = :p2" \
  " UNION SELECT id FROM \"user\" WHERE instr(:p3, ',' || role || ',') > 0 AND region_code = :p4"

static int post_vacancy_overdue(struct db *db, const struct due_kind *k, const struct due_row *r, int64_t now, int64_t *id)
{
  char body[512], township[512], county[512];
  snprintf(body, sizeof body, "%s%s岗位自 %s 起空缺，补派期限 %s 已过，请尽快选派。", r->b, post_zh(r->a), r->c, r->day);
  notifications_role_codes(PERM_ASSIGN_READ, "township", 0, 0, township, sizeof township);
  notifications_role_codes(PERM_ASSIGN_APPROVE, "county", 1, 0, county, sizeof county);
  const char *params[] = {township, r->region, county, r->u1};
  return post_event(db, k, r, body, TOWNSHIP_AND_COUNTY, params, 4, now, id);
}

static int post_case_step_due(struct db *db, const struct due_kind *k, const struct due_row *r, int64_t now, int64_t *id)
{
  bool closing = strcmp(r->a, "close") == 0;
  char body[512], township[512] = ",", county[512] = ",";
  snprintf(body, sizeof body, closing ? "%s一个监测对象的风险消除公示（%s 起）已期满，待县级审核确认。"
                                      : "%s一个防返贫监测案例的公示（%s 起）已期满，待乡镇审核。", r->b, r->c);
  if (closing) notifications_role_codes(PERM_CASE_DECIDE, "county", 0, 0, county, sizeof county);
  else notifications_role_codes(PERM_CASE_CHECK, "township", 0, 0, township, sizeof township);
  const char *params[] = {township, r->region, county, r->u1};
  return post_event(db, k, r, body, TOWNSHIP_AND_COUNTY, params, 4, now, id);
}

static const struct due_kind KINDS[] = {
  {"term_ending", "任期即将届满", "/coverage", "assignment",
   "SELECT 'assignment:' || a.id AS obj, a.term_end AS day, tw.code AS region, c.name AS a, tw.name || ar.name AS b,"
   " a.post AS c, CAST(a.unit_id AS TEXT) AS u1, '' AS u2 FROM assignment a JOIN cadre c ON c.id = a.cadre_id"
   " JOIN region ar ON ar.code = a.village_code JOIN region tw ON tw.code = ar.parent_code"
   " WHERE a.status IN ('active','handover') AND a.term_end >= :today AND a.term_end <= :until"
   " AND NOT EXISTS (SELECT 1 FROM handover h WHERE h.outgoing_assignment_id = a.id)"
   " AND NOT EXISTS (SELECT 1 FROM assignment s WHERE s.village_code = a.village_code AND s.post = a.post"
   "   AND s.status IN ('pending','approved'))",
   true, -1, post_term_ending},
  {"handover_due", "工作交接即将期满", "/assignments?status=handover", "handover",
   "SELECT 'handover:' || h.id AS obj, h.ends_on AS day, tw.code AS region, oc.name AS a, tw.name || ar.name AS b,"
   " ic.name AS c, CAST(o.unit_id AS TEXT) AS u1, CAST(i.unit_id AS TEXT) AS u2 FROM handover h"
   " JOIN assignment o ON o.id = h.outgoing_assignment_id JOIN assignment i ON i.id = h.incoming_assignment_id"
   " JOIN cadre oc ON oc.id = o.cadre_id JOIN cadre ic ON ic.id = i.cadre_id"
   " JOIN region ar ON ar.code = i.village_code JOIN region tw ON tw.code = ar.parent_code"
   " WHERE h.confirmed_on IS NULL AND h.ends_on >= :today AND h.ends_on <= :until",
   true, NOTIFY_HANDOVER_DAYS, post_handover_due},
  {"vacancy_overdue", "驻村岗位空缺超期", "/coverage", "vacancy",
   "SELECT 'vacancy:' || v.id AS obj, v.deadline AS day, tw.code AS region, v.post AS a, tw.name || ar.name AS b,"
   " v.opened_on AS c, tw.parent_code AS u1, '' AS u2 FROM vacancy v"
   " JOIN region ar ON ar.code = v.village_code JOIN region tw ON tw.code = ar.parent_code"
   " WHERE v.filled_on IS NULL AND v.deadline < :today",
   false, 0, post_vacancy_overdue},
  {"case_step_due", "监测案例待审核", "/cases", "monitoring_case",
   "SELECT 'case:' || m.id || ':check' AS obj, date(m.notice_start, '+' || coalesce(m.notice_days, 0) || ' days') AS day,"
   " tw.code AS region, 'check' AS a, tw.name || ar.name AS b, m.notice_start AS c, tw.parent_code AS u1, '' AS u2"
   " FROM monitoring_case m JOIN region ar ON ar.code = m.village_code JOIN region tw ON tw.code = ar.parent_code"
   " WHERE m.state = 'noticed' AND m.notice_start IS NOT NULL"
   " AND date(m.notice_start, '+' || coalesce(m.notice_days, 0) || ' days') <= :today"
   " UNION ALL SELECT 'case:' || m.id || ':close', date(m.close_notice_start, '+' || coalesce(m.close_notice_days, 0) || ' days'),"
   " tw.code, 'close', tw.name || ar.name, m.close_notice_start, tw.parent_code, ''"
   " FROM monitoring_case m JOIN region ar ON ar.code = m.village_code JOIN region tw ON tw.code = ar.parent_code"
   " WHERE m.state = 'close_noticed' AND m.close_notice_start IS NOT NULL"
   " AND date(m.close_notice_start, '+' || coalesce(m.close_notice_days, 0) || ' days') <= :today",
   false, 0, post_case_step_due},
};

/* Every open occasion of k not yet keyed: keyed, worded, posted. */
static int settle_kind(struct db *db, const struct due_kind *k, int today, int term_notice_days, int64_t now, long *raised)
{
  char today_iso[DATE_ISO_SIZE], until_iso[DATE_ISO_SIZE];
  int ahead = k->ahead < 0 ? (term_notice_days > 0 ? term_notice_days : 60) : k->ahead;
  date_format_iso(today, today_iso);
  date_format_iso(date_add_days(today, ahead), until_iso);
  struct due_row rows[BATCH];
  int n = BATCH, rc = DB_OK;
  while (rc == DB_OK && n == BATCH) {
    rc = collect(db, k, today_iso, until_iso, rows, &n);
    for (int i = 0; rc == DB_OK && i < n; i++) {
      int64_t event_id = 0;
      rc = k->post(db, k, &rows[i], now, &event_id);
      if (rc == DB_OK) rc = key_write(db, k->kind, &rows[i], event_id);
      if (rc == DB_OK) (*raised)++;
    }
  }
  return rc;
}

int notify_events_settle(struct db *db, int today, int term_notice_days, int64_t now, long *raised)
{
  *raised = 0;
  int rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < sizeof KINDS / sizeof KINDS[0]; i++)
    rc = settle_kind(db, &KINDS[i], today, term_notice_days, now, raised);
  return rc;
}

/* ---- acts ---- */

int notify_review_returned(struct db *db, const char *what, int64_t item_id, int64_t cadre_id, int64_t now)
{
  bool report = strcmp(what, "report") == 0;
  char sid[24], cadre[24], region[16] = "";
  snprintf(sid, sizeof sid, "%lld", (long long)item_id);
  snprintf(cadre, sizeof cadre, "%lld", (long long)cadre_id);
  struct query *q = query_open(db, "SELECT coalesce(v.parent_code, '') AS township FROM cadre c"
                                   " LEFT JOIN region v ON v.code = c.village_code WHERE c.id = :cadre");
  query_bind_int(q, ":cadre", cadre_id);
  if (query_next(q)) copy_col(q, "township", region, sizeof region);
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  struct notification_new e = {
    "review_returned", report ? "工作报告被退回" : "驻村日志被退回",
    report ? "您提交的一份工作报告被退回修改，请查看批阅意见，修改后重新提交。"
           : "您的一篇驻村日志被退回修改，请查看批阅意见，修改后重新提交。",
    report ? "/reports?review=returned" : "/reports?tab=logs&review=returned", region[0] ? region : NULL,
    report ? "work_report" : "work_log", sid};
  const char *params[] = {cadre};
  return notifications_post(db, &e, "SELECT id FROM \"user\" WHERE cadre_id = CAST(:p1 AS INTEGER)", params, 1, now, NULL);
}

static const char *upward_kind_zh(const char *kind)
{
  if (strcmp(kind, "monthly") == 0) return "月报";
  if (strcmp(kind, "half_year") == 0) return "半年报";
  return "年报";
}

int notify_upward_returned(struct db *db, int64_t report_id, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT r.region_code AS region_code, r.kind AS kind, r.period AS period,"
      " coalesce(r.created_by, 0) AS created_by, coalesce(r.submitted_by, 0) AS submitted_by, g.name AS region_name"
      " FROM upward_report r JOIN region g ON g.code = r.region_code WHERE r.id = :id");
  query_bind_int(q, ":id", report_id);
  bool found = query_next(q);
  char region[16] = "", body[512] = "", created[24] = "0", submitted[24] = "0", sid[24];
  if (found) {
    copy_col(q, "region_code", region, sizeof region);
    snprintf(body, sizeof body, "%s报送的%s %s 被上级退回，请查看退回原因，修改后重新报送。", query_get_text(q, "region_name"),
             query_get_text(q, "period"), upward_kind_zh(query_get_text(q, "kind")));
    copy_col(q, "created_by", created, sizeof created);
    copy_col(q, "submitted_by", submitted, sizeof submitted);
  }
  int rc = query_close(q);
  if (rc != DB_OK) return rc;
  if (!found) return DB_NOT_FOUND;
  snprintf(sid, sizeof sid, "%lld", (long long)report_id);
  char link[48];
  snprintf(link, sizeof link, "/upward-reports/%lld", (long long)report_id);
  struct notification_new e = {"upward_returned", "上报材料被退回", body, link, region, "upward_report", sid};
  const char *params[] = {created, submitted};
  return notifications_post(db, &e, "SELECT id FROM \"user\" WHERE id IN (CAST(:p1 AS INTEGER), CAST(:p2 AS INTEGER))", params, 2,
                            now, NULL);
}
