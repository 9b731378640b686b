/* notifications — see notifications.h. The recipients of an event are chosen in SQL from the
 * roles (core/roles) that hold the permission at the event's level, bounded by region: the role
 * codes are passed as one text ",a,b," and matched with instr(), so a new role with the permission
 * is a recipient without a change here. */
#include "store/notifications.h"

#include <stdio.h>
#include <string.h>

#include "core/roles.h"
#include "store/notify_digest.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/webhooks.h"

struct event {
  const char *kind, *title, *body, *link, *region, *entity, *entity_id;
};

/* ",code,code," of the roles holding perm, at level (NULL: any), a department when department is set,
 * and bounded by a unit when unit_scope is set. */
static void role_codes(perm_t perm, const char *level, int department, int unit_scope, char *out, size_t len)
{
  int n;
  const struct role *all = roles_all(&n);
  size_t used = (size_t)snprintf(out, len, ",");
  for (int i = 0; i < n && used < len; i++) {
    if (!roles_can(&all[i], perm)) continue;
    if (level && (!all[i].level || strcmp(all[i].level, level) != 0)) continue;
    if (department && !roles_department(&all[i])) continue;
    if (unit_scope && all[i].scope_kind != SCOPE_KIND_UNIT) continue;
    used += (size_t)snprintf(out + used, len - used, "%s,", all[i].code);
  }
}

/* The event row. */
static int event_insert(struct db *db, const struct event *e, int64_t now, int64_t *id)
{
  struct query *q = query_open(db,
      "INSERT INTO notification_event (kind, title, body, link, region_code, entity, entity_id, created_at)"
      " VALUES (:kind, :title, :body, :link, :region, :entity, :entity_id, :now) RETURNING id");
  query_bind_text(q, ":kind", e->kind);
  query_bind_text(q, ":title", e->title);
  query_bind_text(q, ":body", e->body);
  query_bind_text(q, ":link", e->link);
  query_bind_text(q, ":region", e->region);
  query_bind_text(q, ":entity", e->entity);
  query_bind_text(q, ":entity_id", e->entity_id);
  query_bind_int(q, ":now", now);
  int rc = query_insert_id(q, id);
  return rc == DB_OK ? webhooks_from_notification(db, *id) : rc; /* 数据推送 of the same event (issue 13, part 2) */
}

/* The person channels (短信, 企业微信应用消息): one outbox row per channel covering the event's region and
 * recipient who can be reached on it (a cadre's phone on record; a WeCom userid) and has not turned it off
 * for this kind of message (notification_pref.sms / wecom_app). */
static int fan_out_to_persons(struct db *db, const struct event *e, int64_t event_id)
{
  struct query *q = query_open(db,
      "INSERT INTO outbox (event_id, channel_id, user_id, idem_key, next_at, created_at)"
      " SELECT :event, c.id, n.user_id,"
      " 'zhucun-' || :event || '-' || c.id || '-u' || n.user_id || '-' || lower(hex(randomblob(6))),"
      " ev.created_at, ev.created_at FROM notification_channel c JOIN notification_event ev ON ev.id = :event"
      " JOIN notification n ON n.event_id = :event JOIN \"user\" u ON u.id = n.user_id LEFT JOIN cadre cd ON cd.id = u.cadre_id"
      " LEFT JOIN notification_pref p ON p.user_id = n.user_id AND p.kind = :kind"
      " WHERE c.enabled = 1 AND (c.region_code IS NULL OR :region LIKE c.region_code || '%')"
      " AND ((c.kind = 'sms' AND cd.phone_cipher IS NOT NULL AND coalesce(p.sms, 1) = 1)"
      "   OR (c.kind = 'wecom_app' AND coalesce(u.wecom_userid, '') <> '' AND coalesce(p.wecom_app, 1) = 1))");
  query_bind_int(q, ":event", event_id);
  query_bind_text(q, ":region", e->region);
  query_bind_text(q, ":kind", e->kind);
  return query_exec(q);
}

/* One outbox row per enabled channel whose region covers the event's — unless every recipient has turned the
 * group robots off for this kind of message (notification_pref): a group message is nobody's alone, so it goes
 * while one recipient still wants it. A recipient who chose the daily digest (每日汇总) waits for it instead. */
static int fan_out(struct db *db, const struct event *e, int64_t event_id)
{
  struct query *q = query_open(db,
      "INSERT INTO outbox (event_id, channel_id, idem_key, next_at, created_at)"
      " SELECT :event, c.id, 'zhucun-' || :event || '-' || c.id || '-' || lower(hex(randomblob(6))), ev.created_at,"
      " ev.created_at FROM notification_channel c JOIN notification_event ev ON ev.id = :event WHERE c.enabled = 1"
      " AND c.kind IN ('dingtalk', 'wecom') AND (c.region_code IS NULL OR :region LIKE c.region_code || '%')"
      " AND EXISTS (SELECT 1 FROM notification n WHERE n.event_id = :event AND NOT EXISTS (SELECT 1 FROM notification_pref p"
      "   WHERE p.user_id = n.user_id AND p.kind = :kind AND (p.robots = 0 OR p.digest = 1)))");
  query_bind_int(q, ":event", event_id);
  query_bind_text(q, ":region", e->region);
  query_bind_text(q, ":kind", e->kind);
  int rc = query_exec(q);
  if (rc == DB_OK) rc = fan_out_to_persons(db, e, event_id);
  return rc == DB_OK ? notify_digest_enqueue(db, event_id) : rc; /* 每日汇总: those recipients' messages wait */
}

/* One in-app message per active user matched by the WHERE of recipients, then the robots'. The WHERE names :a,
 * and :b unless b is NULL. */
static int deliver_in_app(struct db *db, const struct event *e, int64_t event_id, const char *where, const char *a,
                          const char *b)
{
  char sql[512];
  snprintf(sql, sizeof sql,
           "INSERT INTO notification (event_id, user_id) SELECT :event, u.id FROM \"user\" u WHERE u.disabled = 0"
           " AND (%s) ON CONFLICT DO NOTHING", where);
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":event", event_id);
  query_bind_text(q, ":a", a);
  if (b) query_bind_text(q, ":b", b);
  int rc = query_exec(q);
  return rc == DB_OK ? fan_out(db, e, event_id) : rc;
}

struct leave_facts {
  char cadre[64], village[96], township_code[16], start[11], end[11], status[16], level[16];
  int days;
  int64_t cadre_id;
};

static void copy_text(struct query *q, const char *alias, char *out, size_t len)
{
  snprintf(out, len, "%s", query_get_text(q, alias));
}

static int leave_facts(struct db *db, int64_t id, struct leave_facts *f)
{
  struct query *q = query_open(db,
      "SELECT c.name AS cadre, coalesce(tw.name, '') || coalesce(v.name, '') AS village,"
      " coalesce(v.parent_code, '') AS township_code, l.start_date AS start_date, l.end_date AS end_date,"
      " l.days AS days, l.status AS status, l.approver_level AS approver_level, l.cadre_id AS cadre_id"
      " FROM leave l JOIN cadre c ON c.id = l.cadre_id LEFT JOIN region v ON v.code = c.village_code"
      " LEFT JOIN region tw ON tw.code = v.parent_code WHERE l.id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  if (found) {
    copy_text(q, "cadre", f->cadre, sizeof f->cadre);
    copy_text(q, "village", f->village, sizeof f->village);
    copy_text(q, "township_code", f->township_code, sizeof f->township_code);
    copy_text(q, "start_date", f->start, sizeof f->start);
    copy_text(q, "end_date", f->end, sizeof f->end);
    f->days = (int)query_get_int(q, "days");
    copy_text(q, "status", f->status, sizeof f->status);
    copy_text(q, "approver_level", f->level, sizeof f->level);
    f->cadre_id = query_get_int(q, "cadre_id");
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* "2026-07-01" for one day, "2026-07-01 至 2026-07-03" for more */
static void leave_when(const struct leave_facts *f, char *out, size_t len)
{
  if (strcmp(f->start, f->end) == 0) snprintf(out, len, "%s", f->start);
  else snprintf(out, len, "%s 至 %s", f->start, f->end);
}

int notifications_leave_pending(struct db *db, int64_t leave_id, const char *type_name, int64_t now)
{
  struct leave_facts f;
  int rc = leave_facts(db, leave_id, &f);
  if (rc != DB_OK) return rc;
  char body[512], sid[24], codes[512];
  char when[32];
  leave_when(&f, when, sizeof when);
  snprintf(body, sizeof body, "%s（%s）申请%s %d 天（%s），等待您审批。", f.cadre, f.village,
           type_name && *type_name ? type_name : "请假", f.days, when);
  snprintf(sid, sizeof sid, "%lld", (long long)leave_id);
  struct event e = {"leave_pending", "请假待审批", body, "/leaves", f.township_code, "leave", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  bool township = strcmp(f.level, "township") == 0;
  role_codes(PERM_LEAVE_APPROVE, township ? "township" : "county", !township, 0, codes, sizeof codes);
  const char *where = township ? "instr(:a, ',' || u.role || ',') > 0 AND u.region_code = :b"
                               : "instr(:a, ',' || u.role || ',') > 0 AND :b LIKE u.region_code || '%'";
  return deliver_in_app(db, &e, event_id, where, codes, f.township_code);
}

int notifications_leave_decided(struct db *db, int64_t leave_id, const char *type_name, int64_t now)
{
  struct leave_facts f;
  int rc = leave_facts(db, leave_id, &f);
  if (rc != DB_OK) return rc;
  bool approved = strcmp(f.status, "approved") == 0;
  char body[512], sid[24], cadre[24];
  char when[32];
  leave_when(&f, when, sizeof when);
  snprintf(body, sizeof body, "%s，您 %s 的%s（%d 天）%s。审批意见请在系统“请销假”中查看。", f.cadre, when,
           type_name && *type_name ? type_name : "请假", f.days, approved ? "已批准" : "未获批准");
  snprintf(sid, sizeof sid, "%lld", (long long)leave_id);
  snprintf(cadre, sizeof cadre, "%lld", (long long)f.cadre_id);
  struct event e = {"leave_decided", approved ? "请假已批准" : "请假未获批准", body, "/leaves", f.township_code, "leave", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  return deliver_in_app(db, &e, event_id, "u.cadre_id = CAST(:a AS INTEGER)", cadre, NULL);
}

/* ---- nominations (1.5) and violations fed back to the unit (2.5) ---- */

struct assignment_facts { char cadre[64], village[96], township_code[16], region[16], status[16]; int64_t unit_id; };

static int assignment_facts(struct db *db, int64_t id, struct assignment_facts *f)
{
  struct query *q = query_open(db,
      "SELECT c.name AS cadre, coalesce(tw.name, '') || coalesce(v.name, '') AS village,"
      " coalesce(v.parent_code, '') AS township_code, a.approval_region AS approval_region, a.status AS status,"
      " a.unit_id AS unit_id FROM assignment a JOIN cadre c ON c.id = a.cadre_id JOIN region v ON v.code = a.village_code"
      " LEFT JOIN region tw ON tw.code = v.parent_code WHERE a.id = :id");
  query_bind_int(q, ":id", id);
  bool found = query_next(q);
  if (found) {
    copy_text(q, "cadre", f->cadre, sizeof f->cadre);
    copy_text(q, "village", f->village, sizeof f->village);
    copy_text(q, "township_code", f->township_code, sizeof f->township_code);
    copy_text(q, "approval_region", f->region, sizeof f->region);
    copy_text(q, "status", f->status, sizeof f->status);
    f->unit_id = query_get_int(q, "unit_id");
  }
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

static const char *post_zh(const char *post)
{
  if (!post) return "";
  if (strcmp(post, "first_secretary") == 0) return "驻村第一书记";
  if (strcmp(post, "team_leader") == 0) return "驻村工作队长";
  if (strcmp(post, "team_member") == 0) return "驻村工作队员";
  return "";
}

int notifications_nomination_pending(struct db *db, int64_t assignment_id, const char *post, int64_t now)
{
  struct assignment_facts f;
  int rc = assignment_facts(db, assignment_id, &f);
  if (rc != DB_OK) return rc;
  char body[512], sid[24], codes[512];
  snprintf(body, sizeof body, "提名%s任%s%s，等待组织部门和乡村振兴部门审批。", f.cadre, f.village, post_zh(post));
  snprintf(sid, sizeof sid, "%lld", (long long)assignment_id);
  struct event e = {"nomination_pending", "选派待审批", body, "/inbox", f.township_code, "assignment", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  role_codes(PERM_ASSIGN_APPROVE, NULL, 1, 0, codes, sizeof codes);
  return deliver_in_app(db, &e, event_id, "instr(:a, ',' || u.role || ',') > 0 AND u.region_code = :b", codes, f.region);
}

int notifications_nomination_decided(struct db *db, int64_t assignment_id, int64_t now)
{
  struct assignment_facts f;
  int rc = assignment_facts(db, assignment_id, &f);
  if (rc != DB_OK) return rc;
  if (strcmp(f.status, "pending") == 0) return DB_OK; /* one department has decided; the other has not */
  bool approved = strcmp(f.status, "rejected") != 0;
  char body[512], sid[24], unit[24], codes[512];
  snprintf(body, sizeof body, "选派%s到%s驻村的提名%s。", f.cadre, f.village, approved ? "已经审批同意" : "未获同意，意见请在系统中查看");
  snprintf(sid, sizeof sid, "%lld", (long long)assignment_id);
  snprintf(unit, sizeof unit, "%lld", (long long)f.unit_id);
  struct event e = {"nomination_decided", approved ? "选派已批准" : "选派未获同意", body, "/assignments", f.township_code,
                    "assignment", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  role_codes(PERM_ASSIGN_READ, NULL, 0, 1, codes, sizeof codes);
  return deliver_in_app(db, &e, event_id, "instr(:a, ',' || u.role || ',') > 0 AND u.unit_id = CAST(:b AS INTEGER)", codes, unit);
}

int notifications_violation(struct db *db, int64_t violation_id, const char *kind_name, int64_t now)
{
  struct query *q = query_open(db,
      "SELECT c.name AS cadre, coalesce(tw.name, '') || coalesce(v.name, '') AS village,"
      " coalesce(v.parent_code, '') AS township_code, x.date AS date, x.clause AS clause, x.unit_id AS unit_id"
      " FROM violation x JOIN cadre c ON c.id = x.cadre_id JOIN region v ON v.code = x.village_code"
      " LEFT JOIN region tw ON tw.code = v.parent_code WHERE x.id = :id");
  query_bind_int(q, ":id", violation_id);
  bool found = query_next(q);
  char body[512], township[16] = "", sid[24], unit[24], codes[512];
  if (found) {
    snprintf(body, sizeof body, "贵单位选派的驻村干部%s（%s）%s 被记录违反驻村纪律：%s（%s）。请登录系统查看并确认反馈。",
             query_get_text(q, "cadre"), query_get_text(q, "village"), query_get_text(q, "date"),
             kind_name && *kind_name ? kind_name : "违反纪律", query_get_text(q, "clause"));
    copy_text(q, "township_code", township, sizeof township);
    snprintf(unit, sizeof unit, "%lld", (long long)query_get_int(q, "unit_id"));
  }
  int rc = query_close(q);
  if (rc != DB_OK || !found) return rc != DB_OK ? rc : DB_NOT_FOUND;
  snprintf(sid, sizeof sid, "%lld", (long long)violation_id);
  struct event e = {"violation_feedback", "违纪情况反馈", body, "/discipline", township, "violation", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  role_codes(PERM_DISCIPLINE_READ, NULL, 0, 1, codes, sizeof codes);
  return deliver_in_app(db, &e, event_id, "instr(:a, ',' || u.role || ',') > 0 AND u.unit_id = CAST(:b AS INTEGER)", codes, unit);
}

/* ---- events added by other modules (store/notify_events.c) ---- */

void notifications_role_codes(uint64_t perm, const char *level, int department, int unit_scope, char *out, size_t len)
{
  role_codes((perm_t)perm, level, department, unit_scope, out, len);
}

static int recipients_insert(struct db *db, int64_t event_id, const char *recipients, const char *const *params, int n)
{
  char sql[2048];
  int w = snprintf(sql, sizeof sql,
                   "INSERT INTO notification (event_id, user_id) SELECT :event, u.id FROM \"user\" u"
                   " WHERE u.disabled = 0 AND u.id IN (%s) ON CONFLICT DO NOTHING", recipients);
  if (w < 0 || (size_t)w >= sizeof sql) return DB_ERROR;
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":event", event_id);
  for (int i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, ":p%d", i + 1);
    query_bind_text(q, name, params[i]);
  }
  return query_exec(q);
}

int notifications_post(struct db *db, const struct notification_new *n, const char *recipients,
                       const char *const *params, int nparams, int64_t now, int64_t *event_id)
{
  struct event e = {n->kind, n->title, n->body, n->link, n->region, n->entity, n->entity_id};
  int64_t id = 0;
  int rc = event_insert(db, &e, now, &id);
  if (rc == DB_OK) rc = recipients_insert(db, id, recipients, params, nparams);
  if (rc == DB_OK) rc = fan_out(db, &e, id);
  if (rc == DB_OK && event_id) *event_id = id;
  return rc;
}

/* ---- the inbox ---- */

#define INBOX_FROM \
  "notification n JOIN notification_event e ON e.id = n.event_id WHERE n.user_id = :user" \
  " AND (:unread = 0 OR n.read_at IS NULL)"

json_t *notifications_list_json(struct db *db, int64_t user_id, int unread_only, int page, int page_size)
{
  struct sql_param p[] = {{":user", NULL, user_id}, {":unread", NULL, unread_only ? 1 : 0}};
  json_t *list = query_list(db,
      "n.id AS id, e.kind AS kind, e.title AS title, e.body AS body, e.link AS link, e.created_at AS created_at,"
      " n.read_at AS read_at",
      INBOX_FROM, "n.id DESC", p, 2, NULL, query_row_object, page, page_size);
  int64_t unread = 0;
  if (list && notifications_unread(db, user_id, &unread) != DB_OK) { json_decref(list); return NULL; }
  if (list) json_object_set_new(list, "unread", json_integer(unread));
  return list;
}

int notifications_unread(struct db *db, int64_t user_id, int64_t *count)
{
  struct query *q = query_open(db, "SELECT count(*) AS n FROM notification WHERE user_id = :user AND read_at IS NULL");
  query_bind_int(q, ":user", user_id);
  if (query_next(q)) *count = query_get_int(q, "n");
  return query_close(q);
}

int notifications_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t now)
{
  struct query *q = query_open(db,
      "UPDATE notification SET read_at = coalesce(read_at, :now) WHERE id = :id AND user_id = :user");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  int rc = query_exec_guarded(q);
  return rc == DB_CONFLICT ? DB_NOT_FOUND : rc;
}

int notifications_mark_all_read(struct db *db, int64_t user_id, int64_t now, int64_t *changed)
{
  struct query *q = query_open(db, "UPDATE notification SET read_at = :now WHERE user_id = :user AND read_at IS NULL");
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  *changed = 0;
  return query_exec_count(q, changed);
}

/* ---- each account's choice of channels per kind ---- */

static const struct notification_kind KINDS[] = {
  {"leave_pending", "请假待我审批"},        {"leave_decided", "我的请假审批结果"},
  {"nomination_pending", "选派待我审批"},   {"nomination_decided", "本单位选派审批结果"},
  {"violation_feedback", "违纪情况反馈本单位"},
  {"review_returned", "我的工作报告、日志被退回"}, {"upward_returned", "本级上报材料被退回"},
  {"term_ending", "任期即将届满、尚无继任人选"}, {"handover_due", "工作交接即将到期、清单未确认"},
  {"vacancy_overdue", "驻村岗位空缺超过补派期限"}, {"case_step_due", "监测案例公示期满、待审核"},
  {"duty_due", "驻村工作责任即将到期"}, {"duty_overdue", "驻村工作责任逾期未完成"},
  {NULL, NULL},
};

const struct notification_kind *notifications_kinds(void) { return KINDS; }

json_t *notifications_prefs_json(struct db *db, int64_t user_id)
{
  json_t *out = json_array();
  for (const struct notification_kind *k = KINDS; out && k->kind; k++) {
    struct query *q = query_open(db,
        "SELECT robots AS robots, sms AS sms, wecom_app AS wecom_app, digest AS digest FROM notification_pref"
        " WHERE user_id = :user AND kind = :kind");
    query_bind_int(q, ":user", user_id);
    query_bind_text(q, ":kind", k->kind);
    bool found = query_next(q);
    bool robots = !found || query_get_int(q, "robots") != 0;
    bool sms = !found || query_get_int(q, "sms") != 0;
    bool wecom_app = !found || query_get_int(q, "wecom_app") != 0;
    bool digest = found && query_get_int(q, "digest") != 0;
    if (query_close(q) != DB_OK) { json_decref(out); return NULL; }
    json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:b, s:b, s:b}", "kind", k->kind, "name", k->name, "robots", robots,
                                         "sms", sms, "wecom_app", wecom_app, "digest", digest));
  }
  return out;
}

int notifications_pref_set(struct db *db, int64_t user_id, const char *kind, bool robots)
{
  return notifications_pref_set_channel(db, user_id, kind, "robots", robots);
}

int notifications_pref_set_channel(struct db *db, int64_t user_id, const char *kind, const char *channel, bool on)
{
  const struct notification_kind *k = KINDS;
  while (k->kind && strcmp(k->kind, kind) != 0) k++;
  if (!k->kind) return DB_NOT_FOUND;
  const char *sql = strcmp(channel, "robots") == 0
      ? "INSERT INTO notification_pref (user_id, kind, robots) VALUES (:user, :kind, :on)"
        " ON CONFLICT (user_id, kind) DO UPDATE SET robots = excluded.robots"
      : strcmp(channel, "sms") == 0
      ? "INSERT INTO notification_pref (user_id, kind, robots, sms) VALUES (:user, :kind, 1, :on)"
        " ON CONFLICT (user_id, kind) DO UPDATE SET sms = excluded.sms"
      : strcmp(channel, "wecom_app") == 0
      ? "INSERT INTO notification_pref (user_id, kind, robots, wecom_app) VALUES (:user, :kind, 1, :on)"
        " ON CONFLICT (user_id, kind) DO UPDATE SET wecom_app = excluded.wecom_app"
      : NULL;
  if (!sql) return DB_NOT_FOUND;
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":kind", k->kind);
  query_bind_int(q, ":on", on ? 1 : 0);
  return query_exec(q);
}

int notifications_pref_set_digest(struct db *db, int64_t user_id, const char *kind, bool digest)
{
  struct query *q = query_open(db,
      "INSERT INTO notification_pref (user_id, kind, robots, digest) VALUES (:user, :kind, 1, :digest)"
      " ON CONFLICT (user_id, kind) DO UPDATE SET digest = excluded.digest");
  query_bind_int(q, ":user", user_id);
  query_bind_text(q, ":kind", kind);
  query_bind_int(q, ":digest", digest ? 1 : 0);
  return query_exec(q);
}
