/* audit_object — one query per kind of object, each giving (village, person, title). */
#include "store/audit_object.h"

#include <stdio.h>
#include <string.h>

#include "core/audit_words.h"
#include "store/db_sqlite.h"

#define BY_CADRE(t) \
  "SELECT coalesce(v.name, ''), c.name, '' FROM " t " x JOIN cadre c ON c.id = x.cadre_id" \
  " LEFT JOIN region v ON v.code = x.village_code WHERE x.id = ?1"
#define BY_VILLAGE(t) "SELECT v.name, '', '' FROM " t " x JOIN region v ON v.code = x.village_code WHERE x.id = ?1"
#define BY_VILLAGE_TITLE(t) \
  "SELECT coalesce(v.name, ''), '', coalesce(x.title, '') FROM " t " x" \
  " LEFT JOIN region v ON v.code = x.village_code WHERE x.id = ?1"
#define BY_TITLE(t) "SELECT '', '', x.title FROM " t " x WHERE x.id = ?1"

static const struct { const char *entity, *sql; } QUERIES[] = {
  {"leave", "SELECT coalesce(v.name, ''), c.name, '' FROM leave x JOIN cadre c ON c.id = x.cadre_id"
            " LEFT JOIN assignment a ON a.id = x.assignment_id LEFT JOIN region v ON v.code = a.village_code"
            " WHERE x.id = ?1"},
  {"assignment", "SELECT v.name, c.name, '' FROM assignment x JOIN cadre c ON c.id = x.cadre_id"
                 " JOIN region v ON v.code = x.village_code WHERE x.id = ?1"},
  {"cadre", "SELECT coalesce(v.name, ''), x.name, '' FROM cadre x LEFT JOIN region v ON v.code = x.village_code"
            " WHERE x.id = ?1"},
  {"user", "SELECT '', x.display_name, '' FROM user x WHERE x.id = ?1 OR x.username = ?1"},
  {"region", "SELECT x.name, '', '' FROM region x WHERE x.code = ?1"},
  {"unit", "SELECT '', '', x.name FROM unit x WHERE x.id = ?1"},
  {"rotation_batch", "SELECT '', '', x.name FROM rotation_batch x WHERE x.id = ?1"},
  {"household", "SELECT v.name, x.head_name, '' FROM household x JOIN region v ON v.code = x.village_code"
                " WHERE x.id = ?1"},
  {"monitoring_case", "SELECT v.name, h.head_name, '' FROM monitoring_case x JOIN household h ON h.id = x.household_id"
                      " JOIN region v ON v.code = x.village_code WHERE x.id = ?1"},
  {"commendation", "SELECT '', coalesce(c.name, ''), coalesce(x.title, '') FROM commendation x"
                   " LEFT JOIN cadre c ON c.id = x.cadre_id WHERE x.id = ?1"},
  {"fund_entry", "SELECT coalesce(v.name, ''), coalesce(c.name, ''), '' FROM fund_entry x"
                 " LEFT JOIN region v ON v.code = x.village_code LEFT JOIN cadre c ON c.id = x.cadre_id WHERE x.id = ?1"},
  {"work_report", BY_CADRE("work_report")}, {"violation", BY_CADRE("violation")}, {"reminder", BY_CADRE("reminder")},
  {"work_log", BY_CADRE("work_log")}, {"secondment", BY_CADRE("secondment")},
  {"insurance_policy", BY_VILLAGE("insurance_policy")}, {"monitoring_meeting", BY_VILLAGE("monitoring_meeting")},
  {"village_profile_entry", BY_VILLAGE("village_profile_entry")}, {"assistance_plan", BY_VILLAGE("assistance_plan")},
  {"village_activity", BY_VILLAGE_TITLE("village_activity")}, {"village_resource", BY_VILLAGE_TITLE("village_resource")},
  {"supervision_record", BY_VILLAGE_TITLE("supervision_record")},
  {"training_event", BY_TITLE("training_event")}, {"training_plan", BY_TITLE("training_plan")},
  {"plan_item", BY_TITLE("plan_item")},
};

static void cut_utf8(char *s, size_t len)
{
  while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
  s[len] = '\0';
}

/* "沙洲坝村 张三 的请假「标题」", "派出单位「…」", or the noun and number. */
static void compose(const char *village, const char *person, const char *title, const char *noun, const char *id,
                    char *out, size_t outlen)
{
  int n;
  bool who = *village || *person;
  if (who)
    n = snprintf(out, outlen, "%s%s%s%s%s%s%s%s", village, *village && *person ? " " : "", person, *noun ? " 的" : "",
                 noun, *title ? "「" : "", title, *title ? "」" : "");
  else if (*title)
    n = snprintf(out, outlen, "%s「%s」", noun, title);
  else if (strspn(id, "0123456789") == strlen(id))
    n = snprintf(out, outlen, "%s（编号 %s）", *noun ? noun : "记录", id);
  else
    n = snprintf(out, outlen, "%s（%s）", *noun ? noun : "记录", id);
  if (n >= 0 && (size_t)n >= outlen) cut_utf8(out, outlen - 1);
}

int audit_object_words(struct db *db, const char *entity, const char *entity_id, char *out, size_t outlen)
{
  const char *noun = audit_entity_noun(entity);
  if (!noun) noun = "";
  const char *sql = NULL;
  for (size_t i = 0; i < sizeof QUERIES / sizeof QUERIES[0]; i++)
    if (strcmp(QUERIES[i].entity, entity) == 0) sql = QUERIES[i].sql;
  if (!sql) { compose("", "", "", noun, entity_id, out, outlen); return DB_OK; }
  sqlite3_stmt *st = db_stmt(db, sql);
  if (!st) return DB_ERROR;
  sqlite3_bind_text(st, 1, entity_id, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    compose(db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), noun, entity_id, out, outlen);
  else
    compose("", "", "", noun, entity_id, out, outlen);
  sqlite3_reset(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : DB_ERROR;
}
