/* obligations — reading the policy's obligation rows, their period instances, and the verdict of
 * one cell (see obligations.h for the semantics). No SQL, no I/O. */
#include "core/obligations.h"

#include <stdio.h>
#include <string.h>

static const char *const OWNER_NAMES[OWNER_COUNT] = {
  "county", "township", "unit", "unit_principal", "unit_deputy", "unit_hr", "team", "cadre", "city", "unit_team"};
static const char *const OWNER_NAMES_ZH[OWNER_COUNT] = {
  "县级驻村工作领导小组", "乡镇党委", "派出单位", "派出单位主要领导", "派出单位分管领导", "派出单位人事部门负责人",
  "驻村工作队", "驻村干部", "市级", "派出单位（按驻村工作队）"};

const char *obligation_owner_name(enum obligation_owner o)
{
  return o >= 0 && o < OWNER_COUNT ? OWNER_NAMES[o] : NULL;
}

const char *obligation_owner_name_zh(enum obligation_owner o)
{
  return o >= 0 && o < OWNER_COUNT ? OWNER_NAMES_ZH[o] : NULL;
}

int obligation_owner_parse(const char *s, enum obligation_owner *out)
{
  for (int i = 0; s && i < OWNER_COUNT; i++)
    if (strcmp(s, OWNER_NAMES[i]) == 0) { *out = (enum obligation_owner)i; return 0; }
  return -1;
}

const char *obligation_status_name(enum cell_status s)
{
  switch (s) {
  case CELL_MET: return "met";
  case CELL_MET_LATE: return "met_late";
  case CELL_MISSING: return "missing";
  case CELL_NOT_YET_DUE: return "not_yet_due";
  }
  return NULL;
}

const char *obligation_status_name_zh(enum cell_status s)
{
  switch (s) {
  case CELL_MET: return "按时完成";
  case CELL_MET_LATE: return "逾期补办";
  case CELL_MISSING: return "未完成";
  case CELL_NOT_YET_DUE: return "未到期";
  }
  return NULL;
}

static unsigned post_bit(const char *post)
{
  if (!post) return 0;
  if (strcmp(post, "first_secretary") == 0) return OBLIGATION_POST_FIRST_SECRETARY;
  if (strcmp(post, "team_leader") == 0) return OBLIGATION_POST_TEAM_LEADER;
  if (strcmp(post, "team_member") == 0) return OBLIGATION_POST_TEAM_MEMBER;
  return 0;
}

bool obligation_binds_post(const struct obligation *o, const char *post)
{
  return o->posts == 0 || (o->posts & post_bit(post)) != 0;
}

static bool nonempty(const json_t *v) { return json_is_string(v) && json_string_length(v) > 0; }

/* "MM-DD" naming a day that exists in every year (02-29 is refused). */
static int parse_mmdd(const char *s, int *out)
{
  int m, d;
  char tail;
  if (!s || strlen(s) != 5 || sscanf(s, "%2d-%2d%c", &m, &d, &tail) != 2 || s[2] != '-') return -1;
  if (date_make(2023, m, d) == DATE_NONE) return -1;
  *out = m * 100 + d;
  return 0;
}

/* Reads row i into *o; false with why set when it is malformed. */
static bool parse_row(const json_t *row, size_t i, struct obligation *o, char *why, size_t whylen)
{
  memset(o, 0, sizeof *o);
  if (!json_is_object(row)) { snprintf(why, whylen, "obligations[%zu]: must be an object", i); return false; }
  const json_t *code = json_object_get(row, "code");
  if (!nonempty(code)) { snprintf(why, whylen, "obligations[%zu]: missing \"code\"", i); return false; }
  o->code = json_string_value(code);
  static const char *const TEXTS[] = {"clause", "owner", "action_zh", "evidence", "period"};
  for (size_t k = 0; k < sizeof TEXTS / sizeof TEXTS[0]; k++)
    if (!nonempty(json_object_get(row, TEXTS[k]))) {
      snprintf(why, whylen, "obligations[%zu] (%s): missing \"%s\" (a non-empty string)", i, o->code, TEXTS[k]);
      return false;
    }
  o->clause = json_string_value(json_object_get(row, "clause"));
  o->action_zh = json_string_value(json_object_get(row, "action_zh"));
  o->evidence = json_string_value(json_object_get(row, "evidence"));
  if (strlen(o->clause) > 7) {
    snprintf(why, whylen, "obligations[%zu] (%s): \"clause\" must be at most 7 characters", i, o->code);
    return false;
  }
  if (obligation_owner_parse(json_string_value(json_object_get(row, "owner")), &o->owner) != 0) {
    snprintf(why, whylen, "obligations[%zu] (%s): unknown \"owner\" (county, township, unit, unit_principal, "
             "unit_deputy, unit_hr, team, cadre, city, unit_team)", i, o->code);
    return false;
  }
  if (date_period_parse(json_string_value(json_object_get(row, "period")), &o->period) != DATE_OK) {
    snprintf(why, whylen, "obligations[%zu] (%s): unknown \"period\" (week, month, quarter, half_year, year, "
             "two_years)", i, o->code);
    return false;
  }
  const json_t *min = json_object_get(row, "min_count");
  const json_t *amount = json_object_get(row, "min_amount");
  const json_t *deadline = json_object_get(row, "deadline");
  if (min && (!json_is_integer(min) || json_integer_value(min) < 1 || json_integer_value(min) > 1000)) {
    snprintf(why, whylen, "obligations[%zu] (%s): \"min_count\" must be an integer from 1 to 1000", i, o->code);
    return false;
  }
  if (amount && (!json_is_number(amount) || json_number_value(amount) <= 0)) {
    snprintf(why, whylen, "obligations[%zu] (%s): \"min_amount\" must be a positive number", i, o->code);
    return false;
  }
  if (!min && !amount) {
    snprintf(why, whylen, "obligations[%zu] (%s): needs \"min_count\" or \"min_amount\"", i, o->code);
    return false;
  }
  if (!min && !deadline) {
    snprintf(why, whylen, "obligations[%zu] (%s): \"min_amount\" alone needs a \"deadline\"", i, o->code);
    return false;
  }
  o->min_count = min ? (int)json_integer_value(min) : 1;
  o->min_amount = amount ? json_number_value(amount) : 0;
  if (deadline) {
    if (parse_mmdd(json_string_value(deadline), &o->deadline_mmdd) != 0) {
      snprintf(why, whylen, "obligations[%zu] (%s): \"deadline\" must be \"MM-DD\" (a day of every year)", i, o->code);
      return false;
    }
    if (o->period != PERIOD_YEAR) {
      snprintf(why, whylen, "obligations[%zu] (%s): a \"deadline\" needs \"period\": \"year\"", i, o->code);
      return false;
    }
  }
  const json_t *dc = json_object_get(row, "deadline_clause");
  if (dc && (!nonempty(dc) || json_string_length(dc) > 7)) {
    snprintf(why, whylen, "obligations[%zu] (%s): \"deadline_clause\" must be a clause id", i, o->code);
    return false;
  }
  o->deadline_clause = dc ? json_string_value(dc) : o->clause;
  const json_t *posts = json_object_get(row, "posts");
  if (posts) {
    size_t k;
    const json_t *p;
    if (!json_is_array(posts) || json_array_size(posts) == 0 || o->owner != OWNER_CADRE) {
      snprintf(why, whylen, "obligations[%zu] (%s): \"posts\" is a non-empty list, for owner \"cadre\" only", i, o->code);
      return false;
    }
    json_array_foreach(posts, k, p) {
      unsigned bit = post_bit(json_string_value(p));
      if (!bit) {
        snprintf(why, whylen, "obligations[%zu] (%s): posts[%zu] must be first_secretary, team_leader or "
                 "team_member", i, o->code, k);
        return false;
      }
      o->posts |= bit;
    }
  }
  return true;
}

int obligations_parse(const json_t *rows, struct obligation *out, size_t max, size_t *n, char *why, size_t whylen)
{
  *n = 0;
  if (!json_is_array(rows) || json_array_size(rows) == 0) {
    snprintf(why, whylen, "\"value\" must be a non-empty array of obligations");
    return -1;
  }
  if (json_array_size(rows) > max) {
    snprintf(why, whylen, "at most %zu obligations", max);
    return -1;
  }
  size_t i;
  const json_t *row;
  json_array_foreach(rows, i, row) {
    if (!parse_row(row, i, &out[i], why, whylen)) return -1;
    for (size_t j = 0; j < i; j++)
      if (strcmp(out[j].code, out[i].code) == 0) {
        snprintf(why, whylen, "obligations[%zu]: code \"%s\" appears twice", i, out[i].code);
        return -1;
      }
    *n = i + 1;
  }
  return 0;
}

bool obligations_check(const json_t *rows, char *why, size_t whylen)
{
  struct obligation tmp[OBLIGATIONS_MAX];
  size_t n;
  return obligations_parse(rows, tmp, OBLIGATIONS_MAX, &n, why, whylen) == 0;
}

/* The ISO week-year rule at a year's edge (see obligations.h): the week of Monday first belongs
 * to the year of its Thursday. */
static bool week_in_range(enum period period, int first, int from, int to)
{
  if (period != PERIOD_WEEK) return true;
  int thursday = date_add_days(first, 3);
  if (date_month(from) == 1 && date_day(from) == 1 && thursday < from) return false;
  if (date_month(to) == 12 && date_day(to) == 31 && thursday > to) return false;
  return true;
}

int obligation_periods(const struct obligation *o, int from, int to, int anchor_year, struct obligation_period *out,
                       size_t max)
{
  if (!date_valid(from) || !date_valid(to) || from > to) return -1;
  int first, last;
  if (date_period_bounds_anchored(o->period, from, anchor_year, &first, &last) != DATE_OK) return -1;
  size_t n = 0;
  while (first <= to && n < max) {
    if (!week_in_range(o->period, first, from, to)) {
      if (date_period_next(o->period, first, anchor_year, &first, &last) != DATE_OK) break;
      continue;
    }
    struct obligation_period p = {first, last, last};
    if (o->deadline_mmdd) p.due = date_make(date_year(first), o->deadline_mmdd / 100, o->deadline_mmdd % 100);
    out[n++] = p;
    if (date_period_next(o->period, first, anchor_year, &first, &last) != DATE_OK) break;
  }
  return (int)n;
}

static bool reached(const struct obligation *o, int count, double amount)
{
  return count >= o->min_count && (o->min_amount <= 0 || amount + 1e-9 >= o->min_amount);
}

void obligation_evaluate(const struct obligation *o, const struct obligation_period *p,
                         const struct obligation_fact *facts, size_t n, int today, int lock_days,
                         struct cell_result *out)
{
  memset(out, 0, sizeof *out);
  int grace = date_add_days(p->due, lock_days); /* entered by then: on time */
  for (size_t i = 0; i < n; i++) {
    const struct obligation_fact *f = &facts[i];
    if (f->done_on < p->first || f->done_on > p->last) continue;
    out->count++;
    out->amount += f->amount;
    if (f->done_on <= p->due && f->recorded_on <= grace) {
      out->on_time++;
      out->amount_on_time += f->amount;
    }
  }
  if (reached(o, out->on_time, out->amount_on_time)) out->status = CELL_MET;
  else if (reached(o, out->count, out->amount)) out->status = CELL_MET_LATE;
  else out->status = today <= p->due ? CELL_NOT_YET_DUE : CELL_MISSING;
}
