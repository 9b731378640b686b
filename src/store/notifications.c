/* notifications — see notifications.h. The recipients of an event are chosen in SQL from the
 * roles (core/roles) that hold the permission at the event's level, bounded by region: the role
 * codes are passed as one text ",a,b," and matched with instr(), so a new role with the permission
 * is a recipient without a change here. */
#include "store/notifications.h"

#include <stdio.h>
#include <string.h>

#include "core/roles.h"
#include "store/db.h"
#include "store/list.h"
#include "store/rows.h"

struct event {
  const char *kind, *title, *body, *link, *region, *entity, *entity_id;
};

/* ",code,code," of the roles holding perm at level (and, when department is set, a department). */
static void role_codes(perm_t perm, const char *level, int department, char *out, size_t len)
{
  int n;
  const struct role *all = roles_all(&n);
  size_t used = (size_t)snprintf(out, len, ",");
  for (int i = 0; i < n && used < len; i++) {
    if (!roles_can(&all[i], perm) || !all[i].level || strcmp(all[i].level, level) != 0) continue;
    if (department && !roles_department(&all[i])) continue;
    used += (size_t)snprintf(out + used, len - used, "%s,", all[i].code);
  }
}

/* The event row and one outbox row per enabled channel whose region covers the event's. */
static int event_insert(struct db *db, const struct event *e, int64_t now, int64_t *id)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO notification_event (kind, title, body, link, region_code, entity, entity_id, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, e->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, e->title, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, e->body, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, e->link, -1, SQLITE_STATIC);
  db_bind_text_or_null(st, 5, e->region);
  sqlite3_bind_text(st, 6, e->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, e->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 8, now);
  int rc = db_insert_returning(db, st, id);
  if (rc != DB_OK) return rc;
  st = db_stmt(db,
      "INSERT INTO outbox (event_id, channel_id, idem_key, next_at, created_at)"
      " SELECT ?1, c.id, 'zhucun-' || ?1 || '-' || c.id || '-' || lower(hex(randomblob(6))), ?2, ?2"
      " FROM notification_channel c WHERE c.enabled = 1"
      " AND (c.region_code IS NULL OR ?3 LIKE c.region_code || '%')");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, *id);
  sqlite3_bind_int64(st, 2, now);
  db_bind_text_or_null(st, 3, e->region);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

/* One in-app message per active user matched by the WHERE of recipients (?1 the event). */
static int deliver_in_app(struct db *db, int64_t event_id, const char *where, const char *a, const char *b)
{
  char sql[512];
  snprintf(sql, sizeof sql,
           "INSERT OR IGNORE INTO notification (event_id, user_id) SELECT ?1, u.id FROM user u WHERE u.disabled = 0 AND (%s)",
           where);
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, event_id);
  db_bind_text_or_null(st, 2, a);
  db_bind_text_or_null(st, 3, b);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}

struct leave_facts {
  char cadre[64], village[96], township_code[16], start[11], end[11], status[16], level[16];
  int days;
  int64_t cadre_id;
};

static void copy_text(sqlite3_stmt *st, int col, char *out, size_t len) { snprintf(out, len, "%s", db_col_text(st, col)); }

static int leave_facts(struct db *db, int64_t id, struct leave_facts *f)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT c.name, coalesce(tw.name, '') || coalesce(v.name, ''), coalesce(v.parent_code, ''), l.start_date,"
      " l.end_date, l.days, l.status, l.approver_level, l.cadre_id"
      " FROM leave l JOIN cadre c ON c.id = l.cadre_id LEFT JOIN region v ON v.code = c.village_code"
      " LEFT JOIN region tw ON tw.code = v.parent_code WHERE l.id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    copy_text(st, 0, f->cadre, sizeof f->cadre);
    copy_text(st, 1, f->village, sizeof f->village);
    copy_text(st, 2, f->township_code, sizeof f->township_code);
    copy_text(st, 3, f->start, sizeof f->start);
    copy_text(st, 4, f->end, sizeof f->end);
    f->days = sqlite3_column_int(st, 5);
    copy_text(st, 6, f->status, sizeof f->status);
    copy_text(st, 7, f->level, sizeof f->level);
    f->cadre_id = sqlite3_column_int64(st, 8);
  }
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOT_FOUND : db_step_result(db, rc);
}

int notifications_leave_pending(struct db *db, int64_t leave_id, const char *type_name, int64_t now)
{
  struct leave_facts f;
  int rc = leave_facts(db, leave_id, &f);
  if (rc != DB_OK) return rc;
  char body[512], sid[24], codes[512];
  snprintf(body, sizeof body, "%s（%s）申请%s %d 天，%s 至 %s，等待您审批。", f.cadre, f.village,
           type_name && *type_name ? type_name : "请假", f.days, f.start, f.end);
  snprintf(sid, sizeof sid, "%lld", (long long)leave_id);
  struct event e = {"leave.pending", "请假待审批", body, "/leaves", f.township_code, "leave", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  bool township = strcmp(f.level, "township") == 0;
  role_codes(PERM_LEAVE_APPROVE, township ? "township" : "county", !township, codes, sizeof codes);
  const char *where = township ? "instr(?2, ',' || u.role || ',') > 0 AND u.region_code = ?3"
                               : "instr(?2, ',' || u.role || ',') > 0 AND ?3 LIKE u.region_code || '%'";
  return deliver_in_app(db, event_id, where, codes, f.township_code);
}

int notifications_leave_decided(struct db *db, int64_t leave_id, const char *type_name, int64_t now)
{
  struct leave_facts f;
  int rc = leave_facts(db, leave_id, &f);
  if (rc != DB_OK) return rc;
  bool approved = strcmp(f.status, "approved") == 0;
  char body[512], sid[24], cadre[24];
  snprintf(body, sizeof body, "%s，您 %s 至 %s 的%s（%d 天）%s。审批意见请在系统“请销假”中查看。", f.cadre, f.start, f.end,
           type_name && *type_name ? type_name : "请假", f.days, approved ? "已批准" : "未获批准");
  snprintf(sid, sizeof sid, "%lld", (long long)leave_id);
  snprintf(cadre, sizeof cadre, "%lld", (long long)f.cadre_id);
  struct event e = {"leave.decided", approved ? "请假已批准" : "请假未获批准", body, "/leaves", f.township_code, "leave", sid};
  int64_t event_id;
  rc = event_insert(db, &e, now, &event_id);
  if (rc != DB_OK) return rc;
  return deliver_in_app(db, event_id, "u.cadre_id = CAST(?2 AS INTEGER)", cadre, NULL);
}

/* ---- the inbox ---- */

#define INBOX_FROM \
  "notification n JOIN notification_event e ON e.id = n.event_id WHERE n.user_id = :user" \
  " AND (:unread = 0 OR n.read_at IS NULL)"

json_t *notifications_list_json(struct db *db, int64_t user_id, int unread_only, int page, int page_size)
{
  struct sql_param p[] = {{":user", NULL, user_id}, {":unread", NULL, unread_only ? 1 : 0}};
  json_t *list = list_query(db,
      "n.id AS id, e.kind AS kind, e.title AS title, e.body AS body, e.link AS link, e.created_at AS created_at,"
      " n.read_at AS read_at",
      INBOX_FROM, "n.id DESC", p, 2, NULL, rows_object, page, page_size);
  int64_t unread = 0;
  if (list && notifications_unread(db, user_id, &unread) != DB_OK) { json_decref(list); return NULL; }
  if (list) json_object_set_new(list, "unread", json_integer(unread));
  return list;
}

int notifications_unread(struct db *db, int64_t user_id, int64_t *count)
{
  sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM notification WHERE user_id = ?1 AND read_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user_id);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? DB_OK : db_step_result(db, rc);
}

int notifications_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "UPDATE notification SET read_at = coalesce(read_at, ?3) WHERE id = ?1 AND user_id = ?2");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, user_id);
  sqlite3_bind_int64(st, 3, now);
  int rc = db_update_guarded(db, st);
  return rc == DB_CONFLICT ? DB_NOT_FOUND : rc;
}

int notifications_mark_all_read(struct db *db, int64_t user_id, int64_t now, int64_t *changed)
{
  sqlite3_stmt *st = db_stmt(db, "UPDATE notification SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, user_id);
  sqlite3_bind_int64(st, 2, now);
  int rc = sqlite3_step(st);
  *changed = rc == SQLITE_DONE ? sqlite3_changes(db_sqlite(db)) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? DB_OK : db_step_result(db, rc);
}
