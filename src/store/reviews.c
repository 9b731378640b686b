/* reviews — see reviews.h. */
#include "store/reviews.h"

#include <string.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"


const char *review_kind_code(enum review_kind k) { return k == REVIEW_KIND_REPORT ? "report" : "log"; }

int reviews_set_state(struct db *db, enum review_kind kind, int64_t id, enum review_state from, enum review_state to,
                      const char *reader, int64_t now)
{
  bool township = kind != REVIEW_KIND_LOG && reader && strcmp(reader, "township") == 0;
  bool unit = kind != REVIEW_KIND_LOG && reader && strcmp(reader, "unit") == 0;
  const char *sql =
      kind == REVIEW_KIND_LOG ? "UPDATE work_log SET review_state = :to WHERE id = :id AND review_state = :from"
      : township
          ? "UPDATE work_report SET review_state = :to, read_by_township_at = coalesce(read_by_township_at, :now)"
            " WHERE id = :id AND review_state = :from"
      : unit
          ? "UPDATE work_report SET review_state = :to, read_by_unit_at = coalesce(read_by_unit_at, :now)"
            " WHERE id = :id AND review_state = :from"
          : "UPDATE work_report SET review_state = :to WHERE id = :id AND review_state = :from";
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":from", review_state_code(from));
  query_bind_text(q, ":to", review_state_code(to));
  if (township || unit) query_bind_int(q, ":now", now);
  return query_exec_guarded(q);
}

int reviews_add_note(struct db *db, const struct review_note_new *n, int64_t now)
{
  struct query *q = query_open(db,
      "INSERT INTO review_note (item_kind, item_id, cadre_id, action, reader, user_id, author, revision, text,"
      " created_at) VALUES (:kind, :item, :cadre, :action, :reader, :user, :author, :revision, :text, :now)");
  query_bind_text(q, ":kind", review_kind_code(n->kind));
  query_bind_int(q, ":item", n->item_id);
  query_bind_int(q, ":cadre", n->cadre_id);
  query_bind_text(q, ":action", review_action_code(n->action));
  query_bind_text(q, ":reader", n->reader);
  query_bind_int_or_null(q, ":user", n->user_id);
  query_bind_text(q, ":author", n->author);
  query_bind_int(q, ":revision", n->revision);
  query_bind_text(q, ":text", n->text && *n->text ? n->text : NULL);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}

int reviews_keep_version(struct db *db, enum review_kind kind, int64_t id)
{
  struct query *q = query_open(db, kind == REVIEW_KIND_REPORT
      ? "INSERT INTO review_version (item_kind, item_id, revision, text, written_at)"
        " SELECT 'report', id, revision, text, coalesce(revised_at, submitted_at) FROM work_report WHERE id = :id"
      : "INSERT INTO review_version (item_kind, item_id, revision, text, written_at)"
        " SELECT 'log', id, revision, text, coalesce(revised_at, created_at) FROM work_log WHERE id = :id");
  query_bind_int(q, ":id", id);
  int64_t changed = 0;
  int rc = query_exec_count(q, &changed);
  return rc != DB_OK ? rc : changed ? DB_OK : DB_NOT_FOUND;
}

static json_t *text_or_null(const char *s) { return *s ? json_string(s) : json_null(); }

/* The item's rows of a review table (kind, id bound), each turned by row_fn; NULL when a read failed. */
static json_t *item_rows(struct db *db, const char *sql, enum review_kind kind, int64_t id,
                         json_t *(*row_fn)(struct query *q))
{
  struct query *q = query_open(db, sql);
  query_bind_text(q, ":kind", review_kind_code(kind));
  query_bind_int(q, ":id", id);
  json_t *out = json_array();
  while (out && query_next(q)) json_array_append_new(out, row_fn(q));
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

static json_t *note_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:s}", "id", (json_int_t)query_get_int(q, "id"),
                   "action", query_get_text(q, "action"), "reader", query_get_text(q, "reader"),
                   "author", query_get_text(q, "author"), "revision", (json_int_t)query_get_int(q, "revision"),
                   "text", text_or_null(query_get_text(q, "text")), "at", query_get_text(q, "at"));
}

json_t *reviews_notes_json(struct db *db, enum review_kind kind, int64_t id)
{
  return item_rows(db,
      "SELECT id, action, reader, author, revision, coalesce(text, '') AS text, " SQL_CST_ISO("created_at") " AS at"
      " FROM review_note WHERE item_kind = :kind AND item_id = :id ORDER BY id", kind, id, note_row);
}

static json_t *version_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s}", "revision", (json_int_t)query_get_int(q, "revision"),
                   "text", query_get_text(q, "text"), "written_at", query_get_text(q, "written_at"));
}

json_t *reviews_versions_json(struct db *db, enum review_kind kind, int64_t id)
{
  return item_rows(db,
      "SELECT revision, text, " SQL_CST_ISO("written_at") " AS written_at"
      " FROM review_version WHERE item_kind = :kind AND item_id = :id ORDER BY revision", kind, id, version_row);
}

/* ---- the monthly view ---- */

/* The posts held during [:from, :to], in scope (aliases a, ar as SCOPE_ASSIGNMENT). */
#define MONTH_POSTS \
  " FROM assignment a JOIN region ar ON ar.code = a.village_code" \
  " WHERE a.status IN ('active', 'handover', 'ended') AND a.start_date <= :to" \
  " AND coalesce(a.ended_on, a.term_end) >= :from"

#define IN_MONTH_REPORT "rp.cadre_id = c.id AND rp.period_to >= :from AND rp.period_to <= :to"

/* Each cadre's row from the latest post of the month (row k = 1): the village, township and unit of
 * that post, as one text for both databases (a bare column beside max() is SQLite's alone). */
#define MONTH_ROW_SQL \
  "SELECT * FROM (SELECT c.id AS cadre_id, c.name AS cadre_name, a.start_date AS started, ar.name AS village_name," \
  " coalesce(tw.name, '') AS township_name, u.name AS unit_name," \
  " (SELECT count(*) FROM work_log w WHERE w.cadre_id = c.id AND w.date >= :from AND w.date <= :to) AS logs," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT ") AS reports," \
  " (SELECT count(*) FROM review_note n WHERE n.cadre_id = c.id AND n.action = 'return'" \
  "   AND " SQL_CST_DATE("n.created_at") " BETWEEN :from AND :to) AS returned," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT " AND rp.review_state = 'accepted') AS accepted," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT \
  "   AND rp.review_state IN ('pending', 'resubmitted')) AS waiting," \
  " (SELECT count(*) FROM work_report rp WHERE " IN_MONTH_REPORT " AND rp.review_state = 'returned')" \
  "   AS still_returned," \
  " row_number() OVER (PARTITION BY c.id ORDER BY a.start_date DESC, a.id DESC) AS k" \
  " FROM assignment a JOIN region ar ON ar.code = a.village_code JOIN cadre c ON c.id = a.cadre_id" \
  " JOIN unit u ON u.id = a.unit_id LEFT JOIN region tw ON tw.code = ar.parent_code" \
  " WHERE a.status IN ('active', 'handover', 'ended') AND a.start_date <= :to" \
  " AND coalesce(a.ended_on, a.term_end) >= :from"

static struct query *month_query(struct db *db, const struct scope *scope, const char *head, const char *tail,
                                 const struct sql_param *params)
{
  struct strbuf sql;
  strbuf_init(&sql, 4096);
  int rc = strbuf_appendf(&sql, "%s", head);
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  rc |= strbuf_appendf(&sql, "%s", tail);
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  query_bind_params(q, params, 2);
  query_bind_scope(q, scope);
  return q;
}

static json_t *month_row(struct query *q)
{
  json_int_t logs = query_get_int(q, "logs"), reports = query_get_int(q, "reports");
  json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:[]}",
                          "cadre_id", (json_int_t)query_get_int(q, "cadre_id"), "cadre_name", query_get_text(q, "cadre_name"),
                          "village_name", query_get_text(q, "village_name"), "township_name", query_get_text(q, "township_name"),
                          "unit_name", query_get_text(q, "unit_name"), "logs", logs, "reports", reports,
                          "returned", (json_int_t)query_get_int(q, "returned"),
                          "accepted", (json_int_t)query_get_int(q, "accepted"),
                          "waiting", (json_int_t)query_get_int(q, "waiting"),
                          "still_returned", (json_int_t)query_get_int(q, "still_returned"),
                          "wrote_nothing", logs == 0 && reports == 0, "notes");
  return row;
}

static json_t *month_rows(struct db *db, const struct scope *scope, const struct sql_param *params)
{
  struct query *q = month_query(db, scope, MONTH_ROW_SQL,
                                ") AS m WHERE k = 1 ORDER BY township_name, village_name, cadre_name, cadre_id", params);
  json_t *rows = json_array();
  while (rows && query_next(q)) json_array_append_new(rows, month_row(q));
  if (query_close(q) != DB_OK) {
    json_decref(rows);
    return NULL;
  }
  return rows;
}

#define MONTH_NOTES_SQL \
  "SELECT n.cadre_id AS cadre_id, n.item_kind AS kind, n.item_id AS item_id, n.action AS action, n.reader AS reader," \
  " n.author AS author, coalesce(n.text, '') AS text, " SQL_CST_ISO("n.created_at") " AS at," \
  " CASE n.item_kind WHEN 'report' THEN (SELECT rp.period_from || ' 至 ' || rp.period_to FROM work_report rp" \
  "   WHERE rp.id = n.item_id) ELSE (SELECT w.date FROM work_log w WHERE w.id = n.item_id) END AS item" \
  " FROM review_note n WHERE n.reader IN ('township', 'unit') AND n.action IN ('comment', 'return')" \
  " AND " SQL_CST_DATE("n.created_at") " BETWEEN :from AND :to AND n.cadre_id IN (SELECT a.cadre_id" MONTH_POSTS

/* Attaches the reviewers' comments and reasons of the month to the rows of their cadres. */
static int attach_notes(struct db *db, const struct scope *scope, const struct sql_param *params, json_t *rows)
{
  struct query *q = month_query(db, scope, MONTH_NOTES_SQL, ") ORDER BY n.id", params);
  while (query_next(q)) {
    int64_t cadre = query_get_int(q, "cadre_id");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
      if (json_integer_value(json_object_get(row, "cadre_id")) != cadre) continue;
      json_array_append_new(json_object_get(row, "notes"),
          json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", query_get_text(q, "kind"), "item_id",
                    (json_int_t)query_get_int(q, "item_id"), "action", query_get_text(q, "action"), "reader",
                    query_get_text(q, "reader"), "author", query_get_text(q, "author"), "text",
                    query_get_text(q, "text"), "at", query_get_text(q, "at"), "item", query_get_text(q, "item")));
      break;
    }
  }
  return query_close(q) == DB_OK ? 0 : -1;
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
