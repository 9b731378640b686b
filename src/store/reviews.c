/* reviews — see reviews.h. */
#include "store/reviews.h"

#include <string.h>

#include "store/db_sqlite.h"
#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


const char *review_kind_code(enum review_kind k) { return k == REVIEW_KIND_REPORT ? "report" : "log"; }

int reviews_set_state(struct db *db, enum review_kind kind, int64_t id, enum review_state from, enum review_state to,
                      const char *reader, int64_t now)
{
  const char *sql =
      kind == REVIEW_KIND_LOG ? "UPDATE work_log SET review_state = ?3 WHERE id = ?1 AND review_state = ?2"
      : reader && strcmp(reader, "township") == 0
          ? "UPDATE work_report SET review_state = ?3, read_by_township_at = coalesce(read_by_township_at, ?4)"
            " WHERE id = ?1 AND review_state = ?2"
      : reader && strcmp(reader, "unit") == 0
          ? "UPDATE work_report SET review_state = ?3, read_by_unit_at = coalesce(read_by_unit_at, ?4)"
            " WHERE id = ?1 AND review_state = ?2"
          : "UPDATE work_report SET review_state = ?3 WHERE id = ?1 AND review_state = ?2";
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, review_state_code(from), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, review_state_code(to), -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count(st) >= 4) sqlite3_bind_int64(st, 4, now);
  return db_update_guarded(db, st);
}

int reviews_add_note(struct db *db, const struct review_note_new *n, int64_t now)
{
  sqlite3_stmt *st = db_stmt(db,
      "INSERT INTO review_note (item_kind, item_id, cadre_id, action, reader, user_id, author, revision, text,"
      " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, review_kind_code(n->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, n->item_id);
  sqlite3_bind_int64(st, 3, n->cadre_id);
  sqlite3_bind_text(st, 4, review_action_code(n->action), -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, n->reader, -1, SQLITE_TRANSIENT);
  if (n->user_id) sqlite3_bind_int64(st, 6, n->user_id); else sqlite3_bind_null(st, 6);
  sqlite3_bind_text(st, 7, n->author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 8, n->revision);
  db_bind_text_or_null(st, 9, n->text && *n->text ? n->text : NULL);
  sqlite3_bind_int64(st, 10, now);
  int rc = db_step_result(db, sqlite3_step(st));
  sqlite3_reset(st);
  return rc;
}

int reviews_keep_version(struct db *db, enum review_kind kind, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db, kind == REVIEW_KIND_REPORT
      ? "INSERT INTO review_version (item_kind, item_id, revision, text, written_at)"
        " SELECT 'report', id, revision, text, coalesce(revised_at, submitted_at) FROM work_report WHERE id = ?1"
      : "INSERT INTO review_version (item_kind, item_id, revision, text, written_at)"
        " SELECT 'log', id, revision, text, coalesce(revised_at, created_at) FROM work_log WHERE id = ?1");
  if (!st) return DB_ERROR;
  sqlite3_bind_int64(st, 1, id);
  int rc = db_step_result(db, sqlite3_step(st));
  int changed = sqlite3_changes(db_sqlite(db));
  sqlite3_reset(st);
  return rc != DB_OK ? rc : changed ? DB_OK : DB_NOT_FOUND;
}

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

json_t *reviews_notes_json(struct db *db, enum review_kind kind, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT id, action, reader, author, revision, coalesce(text, ''), " SQL_CST_ISO("created_at")
      " FROM review_note WHERE item_kind = ?1 AND item_id = ?2 ORDER BY id");
  json_t *out = json_array();
  if (!st || !out) { json_decref(out); return NULL; }
  sqlite3_bind_text(st, 1, review_kind_code(kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:s}",
                                         "id", (json_int_t)sqlite3_column_int64(st, 0), "action", db_col_text(st, 1),
                                         "reader", db_col_text(st, 2), "author", db_col_text(st, 3), "revision",
                                         (json_int_t)sqlite3_column_int64(st, 4), "text",
                                         text_or_null(db_col_text(st, 5)), "at", db_col_text(st, 6)));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { json_decref(out); return NULL; }
  return out;
}

json_t *reviews_versions_json(struct db *db, enum review_kind kind, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db,
      "SELECT revision, text, " SQL_CST_ISO("written_at")
      " FROM review_version WHERE item_kind = ?1 AND item_id = ?2 ORDER BY revision");
  json_t *out = json_array();
  if (!st || !out) { json_decref(out); return NULL; }
  sqlite3_bind_text(st, 1, review_kind_code(kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    json_array_append_new(out, json_pack("{s:I, s:s, s:s}", "revision", (json_int_t)sqlite3_column_int64(st, 0),
                                         "text", db_col_text(st, 1), "written_at", db_col_text(st, 2)));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { json_decref(out); return NULL; }
  return out;
}

/* ---- the monthly view ---- */

/* The posts held during [:from, :to], in scope (aliases a, ar as SCOPE_ASSIGNMENT). */
#define MONTH_POSTS \
  " FROM assignment a JOIN region ar ON ar.code = a.village_code" \
  " WHERE a.status IN ('active', 'handover', 'ended') AND a.start_date <= :to" \
  " AND coalesce(a.ended_on, a.term_end) >= :from"

#define IN_MONTH_REPORT "rp.cadre_id = c.id AND rp.period_to >= :from AND rp.period_to <= :to"

#define MONTH_ROW_SQL \
  "SELECT c.id, c.name, max(a.start_date), ar.name, coalesce(tw.name, ''), u.name," \
  " (SELECT count(*) FROM work_log w WHERE w.cadre_id = c.id AND w.date >= :from AND w.date <= :to)," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT ")," \
  " (SELECT count(*) FROM review_note n WHERE n.cadre_id = c.id AND n.action = 'return'" \
  "   AND " SQL_CST_DATE("n.created_at") " BETWEEN :from AND :to)," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT " AND rp.review_state = 'accepted')," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT \
  "   AND rp.review_state IN ('pending', 'resubmitted'))," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT " AND rp.review_state = 'returned')" \
  " FROM assignment a JOIN region ar ON ar.code = a.village_code JOIN cadre c ON c.id = a.cadre_id" \
  " JOIN unit u ON u.id = a.unit_id LEFT JOIN region tw ON tw.code = ar.parent_code" \
  " WHERE a.status IN ('active', 'handover', 'ended') AND a.start_date <= :to" \
  " AND coalesce(a.ended_on, a.term_end) >= :from"

static sqlite3_stmt *month_stmt(struct db *db, const struct scope *scope, const char *head, const char *tail,
                                const struct sql_param *params)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "%s", head);
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, "%s", tail);
  sqlite3_stmt *st = rc == 0 ? db_stmt(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!st) return NULL;
  list_bind(st, params, 2);
  scope_bind(scope, st);
  return st;
}

static json_t *month_row(sqlite3_stmt *st)
{
  json_int_t logs = sqlite3_column_int64(st, 6), reports = sqlite3_column_int64(st, 7);
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:[]}",
                          "cadre_id", (json_int_t)sqlite3_column_int64(st, 0), "cadre_name", db_col_text(st, 1),
                          "village_name", db_col_text(st, 3), "township_name", db_col_text(st, 4),
                          "unit_name", db_col_text(st, 5), "logs", logs, "reports", reports,
                          "returned", (json_int_t)sqlite3_column_int64(st, 8),
                          "accepted", (json_int_t)sqlite3_column_int64(st, 9),
                          "waiting", (json_int_t)sqlite3_column_int64(st, 10),
                          "still_returned", (json_int_t)sqlite3_column_int64(st, 11),
                          "wrote_nothing", logs == 0 && reports == 0, "notes");
  return row;
}

static json_t *month_rows(struct db *db, const struct scope *scope, const struct sql_param *params)
{
  sqlite3_stmt *st = month_stmt(db, scope, MONTH_ROW_SQL,
                                " GROUP BY c.id ORDER BY coalesce(tw.name, ''), ar.name, c.name, c.id", params);
  json_t *rows = json_array();
  if (!st || !rows) { json_decref(rows); return NULL; }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) json_array_append_new(rows, month_row(st));
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) { json_decref(rows); return NULL; }
  return rows;
}

#define MONTH_NOTES_SQL \
  "SELECT n.cadre_id, n.item_kind, n.item_id, n.action, n.reader, n.author, coalesce(n.text, '')," \
  " " SQL_CST_ISO("n.created_at") "," \
  " CASE n.item_kind WHEN 'report' THEN (SELECT rp.period_from || ' 至 ' || rp.period_to FROM work_report rp" \
  "   WHERE rp.id = n.item_id) ELSE (SELECT w.date FROM work_log w WHERE w.id = n.item_id) END" \
  " FROM review_note n WHERE n.reader IN ('township', 'unit') AND n.action IN ('comment', 'return')" \
  " AND " SQL_CST_DATE("n.created_at") " BETWEEN :from AND :to AND n.cadre_id IN (SELECT a.cadre_id" MONTH_POSTS

/* Attaches the reviewers' comments and reasons of the month to the rows of their cadres. */
static int attach_notes(struct db *db, const struct scope *scope, const struct sql_param *params, json_t *rows)
{
  sqlite3_stmt *st = month_stmt(db, scope, MONTH_NOTES_SQL, ") ORDER BY n.id", params);
  if (!st) return -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t cadre = sqlite3_column_int64(st, 0);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
      if (json_integer_value(json_object_get(row, "cadre_id")) != cadre) continue;
      json_array_append_new(json_object_get(row, "notes"),
          json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", db_col_text(st, 1), "item_id",
                    (json_int_t)sqlite3_column_int64(st, 2), "action", db_col_text(st, 3), "reader",
                    db_col_text(st, 4), "author", db_col_text(st, 5), "text", db_col_text(st, 6), "at",
                    db_col_text(st, 7), "item", db_col_text(st, 8)));
      break;
    }
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

static json_t *month_totals(const json_t *rows)
{
  json_int_t cadres = 0, nothing = 0, returned = 0, returned_cadres = 0, accepted = 0, waiting = 0, notes = 0,
             logs = 0, reports = 0;
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    json_int_t r = json_integer_value(json_object_get(row, "returned"));
    cadres++;
    nothing += json_is_true(json_object_get(row, "wrote_nothing"));
    returned += r;
    returned_cadres += r > 0;
    accepted += json_integer_value(json_object_get(row, "accepted"));
    waiting += json_integer_value(json_object_get(row, "waiting"));
    logs += json_integer_value(json_object_get(row, "logs"));
    reports += json_integer_value(json_object_get(row, "reports"));
    notes += (json_int_t)json_array_size(json_object_get(row, "notes"));
  }
  return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "cadres", cadres, "wrote_nothing", nothing,
                   "returned", returned, "returned_cadres", returned_cadres, "accepted", accepted, "waiting",
                   waiting, "notes", notes, "logs", logs, "reports", reports);
}

json_t *reviews_month_json(struct db *db, const struct scope *scope, const char *from, const char *to)
{
  const struct sql_param params[] = {{":from", from, 0}, {":to", to, 0}};
  json_t *rows = month_rows(db, scope, params);
  if (!rows) return NULL;
  if (attach_notes(db, scope, params, rows) != 0) { json_decref(rows); return NULL; }
  json_t *totals = month_totals(rows);
  return json_pack("{s:s, s:s, s:o, s:o}", "from", from, "to", to, "totals", totals, "items", rows);
}
