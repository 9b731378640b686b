/* audit_object — one query per kind of object, each giving (village, person, title). */
#include "store/audit_object.h"

#include <stdio.h>
#include <string.h>

#include "core/audit_words.h"
#include "store/query.h"

/* The select list every query gives, by the aliases audit_object_words reads. */
#define WORDS(village, person, title) "SELECT " village " AS village, " person " AS person, " title " AS title FROM "

#define BY_CADRE(t) \
  WORDS("coalesce(v.name, '')", "c.name", "''") t " x JOIN cadre c ON c.id = x.cadre_id" \
  " LEFT JOIN region v ON v.code = x.village_code WHERE x.id = :id"
#define BY_VILLAGE(t) WORDS("v.name", "''", "''") t " x JOIN region v ON v.code = x.village_code WHERE x.id = :id"
#define BY_VILLAGE_TITLE(t) \
  WORDS("coalesce(v.name, '')", "''", "coalesce(x.title, '')") t " x" \
  " LEFT JOIN region v ON v.code = x.village_code WHERE x.id = :id"
#define BY_TITLE(t) WORDS("''", "''", "x.title") t " x WHERE x.id = :id"

static const struct { const char *entity, *sql; } QUERIES[] = {
  {"leave", WORDS("coalesce(v.name, '')", "c.name", "''") "leave x JOIN cadre c ON c.id = x.cadre_id"
            " LEFT JOIN assignment a ON a.id = x.assignment_id LEFT JOIN region v ON v.code = a.village_code"
            " WHERE x.id = :id"},
  {"assignment", WORDS("v.name", "c.name", "''") "assignment x JOIN cadre c ON c.id = x.cadre_id"
                 " JOIN region v ON v.code = x.village_code WHERE x.id = :id"},
  {"cadre", WORDS("coalesce(v.name, '')", "x.name", "''") "cadre x LEFT JOIN region v ON v.code = x.village_code"
            " WHERE x.id = :id"},
  {"user", WORDS("''", "x.display_name", "''") "\"user\" x"
            " WHERE CAST(x.id AS TEXT) = :id OR lower(x.username) = lower(:id)"}, /* the id or the name typed (NOCASE, citext) */
  {"region", WORDS("x.name", "''", "''") "region x WHERE x.code = :id"},
  {"unit", WORDS("''", "''", "x.name") "unit x WHERE x.id = :id"},
  {"rotation_batch", WORDS("''", "''", "x.name") "rotation_batch x WHERE x.id = :id"},
  {"household", WORDS("v.name", "x.head_name", "''") "household x JOIN region v ON v.code = x.village_code"
                " WHERE x.id = :id"},
  {"monitoring_case", WORDS("v.name", "h.head_name", "''") "monitoring_case x"
                      " JOIN household h ON h.id = x.household_id JOIN region v ON v.code = x.village_code"
                      " WHERE x.id = :id"},
  {"commendation", WORDS("''", "coalesce(c.name, '')", "coalesce(x.title, '')") "commendation x"
                   " LEFT JOIN cadre c ON c.id = x.cadre_id WHERE x.id = :id"},
  {"fund_entry", WORDS("coalesce(v.name, '')", "coalesce(c.name, '')", "''") "fund_entry x"
                 " LEFT JOIN region v ON v.code = x.village_code LEFT JOIN cadre c ON c.id = x.cadre_id"
                 " WHERE x.id = :id"},
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
  struct query *q = query_open(db, sql);
  if (!q) return DB_ERROR;
  query_bind_text(q, ":id", entity_id);
  if (query_next(q))
    compose(query_get_text(q, "village"), query_get_text(q, "person"), query_get_text(q, "title"), noun, entity_id,
            out, outlen);
  else
    compose("", "", "", noun, entity_id, out, outlen);
  return query_close(q);
}
