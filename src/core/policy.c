/* policy — loading and checking policy/ganzhou.json, and reading the version of a parameter in
 * force on a date.
 *
 * The checks are of two kinds. Every parameter, known or not, must have the common fields
 * (id, clause, from, strictness, value; local and description_zh are optional). The parameters
 * the code reads (policy_required_ids) must be present, and each of their versions must have a
 * value of the shape the code expects, so that a mistyped file is refused at start instead of
 * giving a wrong verdict later. Errors say which parameter (index and id) and what is wrong. */
#include "core/policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/allowance.h"
#include "core/date.h"
#include "core/crosscheck_rules.h"
#include "core/obligations.h"
#include "core/unit_score.h"

struct policy {
  json_t *root;
  size_t n;
  struct policy_param *params;
};

/* The shapes of value the code relies on. */
enum shape {
  SHAPE_INT,        /* an integer >= 0 */
  SHAPE_POSITIVE,   /* an integer >= 1 */
  SHAPE_STRINGS,    /* an array of non-empty strings */
  SHAPE_CODES,      /* an array of objects {code, name_zh} with distinct codes */
  SHAPE_RANKS,      /* SHAPE_CODES plus level (integer >= 0) and unit_types (SHAPE_STRINGS) */
  SHAPE_INT_OBJECT, /* an object whose members are integers >= 0 */
  SHAPE_OBLIGATIONS,/* the rows of the obligation engine (core/obligations.c checks them) */
  SHAPE_CROSS_CHECKS,/* the 疑点比对 rules: each code must have its query (core/crosscheck_rules.c) */
  SHAPE_WEIGHTS,    /* weights by region code with a "default" (core/unit_score.c) */
  SHAPE_ALLOWANCE,  /* the formula of the monthly allowances, 3.4b (core/allowance.c) */
};

struct known {
  const char *id;
  const char *clause;
  enum shape shape;
};

/* The parameters the code reads, in the order of the notice: id, clause, shape. */
#define POLICY_PARAMS(X)                                  \
  X("term_years", "1.1", SHAPE_POSITIVE)                  \
  X("adjustment_reasons", "1.2", SHAPE_CODES)             \
  X("age_limit_city", "1.3a", SHAPE_POSITIVE)             \
  X("age_limit_county", "1.3a", SHAPE_POSITIVE)           \
  X("age_limit_province", "1.3a", SHAPE_POSITIVE)         \
  X("poor_appraisal_results", "1.3c", SHAPE_STRINGS)      \
  X("appraisal_results", "1.3c", SHAPE_CODES)             \
  X("appraisal_window_years", "1.3c", SHAPE_INT)          \
  X("blocked_employment_types", "1.3d", SHAPE_STRINGS)    \
  X("employment_types", "1.3d", SHAPE_CODES)              \
  X("young_max_age", "1.4", SHAPE_POSITIVE)               \
  X("handover_days", "1.6", SHAPE_POSITIVE)               \
  X("rank_scale", "1.9", SHAPE_RANKS)                     \
  X("first_secretary_min_rank_level", "1.9", SHAPE_INT_OBJECT) \
  X("obligations", "2.2-5.7", SHAPE_OBLIGATIONS)          \
  X("obligation_two_year_anchor", "4.5", SHAPE_POSITIVE)  \
  X("record_lock_days", "2.2-5.7", SHAPE_INT)

/* Parameters the code reads when present; their shape is checked like the others'. */
#define OPTIONAL_PARAMS(X) X("handover_checklist", "1.6", SHAPE_STRINGS) \
  X("vacancy_fill_days", "1.7", SHAPE_POSITIVE)                             \
  X("term_end_notice_days", "1.1", SHAPE_POSITIVE)                          \
  X("risk_types", "5.7", SHAPE_CODES)                      \
  X("monitoring_income_threshold", "5.7", SHAPE_POSITIVE)  \
  X("cross_check_rules", "5.6-5.8", SHAPE_CROSS_CHECKS)     \
  X("unit_score_attendance_weight", "2.6", SHAPE_WEIGHTS)  \
  X("evaluation_excellent_max_percent", "1.4", SHAPE_POSITIVE) \
  X("evaluation_voter_groups", "1.4", SHAPE_CODES) \
  X("review_decide_readers", "2.4", SHAPE_STRINGS)         \
  X("review_comment_readers", "3.1b", SHAPE_STRINGS)        \
  X("allowance_rules", "3.4b", SHAPE_ALLOWANCE)

#define KNOWN_ENTRY(id, clause, shape) {id, clause, shape},
#define ID_ENTRY(id, clause, shape) id,
static const struct known KNOWN[] = {POLICY_PARAMS(KNOWN_ENTRY) OPTIONAL_PARAMS(KNOWN_ENTRY)};
static const char *const REQUIRED_IDS[] = {POLICY_PARAMS(ID_ENTRY) NULL};
#define NKNOWN (sizeof KNOWN / sizeof KNOWN[0])
#define NREQUIRED (sizeof REQUIRED_IDS / sizeof REQUIRED_IDS[0] - 1)

const char *const *policy_required_ids(void) { return REQUIRED_IDS; }

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

static const struct known *known_param(const char *id)
{
  for (size_t i = 0; i < NKNOWN; i++)
    if (strcmp(KNOWN[i].id, id) == 0) return &KNOWN[i];
  return NULL;
}

static bool nonempty_string(const json_t *v)
{
  return json_is_string(v) && json_string_length(v) > 0;
}

/* Checks the members of an array of strings; what names the array in messages. */
static bool check_strings(const json_t *v, char *why, size_t whylen, const char *what)
{
  if (!json_is_array(v)) {
    snprintf(why, whylen, "%s must be an array of strings", what);
    return false;
  }
  size_t i;
  const json_t *e;
  json_array_foreach(v, i, e) {
    if (!nonempty_string(e)) {
      snprintf(why, whylen, "%s[%zu] must be a non-empty string", what, i);
      return false;
    }
  }
  return true;
}

/* Checks a value against its expected shape; on failure writes the reason to why. */
static bool check_shape(enum shape shape, const json_t *v, char *why, size_t whylen)
{
  size_t i;
  const json_t *e;
  switch (shape) {
  case SHAPE_INT:
  case SHAPE_POSITIVE: {
    json_int_t min = shape == SHAPE_INT ? 0 : 1;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > 10000) {
      snprintf(why, whylen, "\"value\" must be an integer from %d to 10000", (int)min);
      return false;
    }
    return true;
  }
  case SHAPE_STRINGS:
    return check_strings(v, why, whylen, "\"value\"");
  case SHAPE_CODES:
  case SHAPE_RANKS:
    if (!json_is_array(v)) {
      snprintf(why, whylen, "\"value\" must be an array of {code, name_zh} objects");
      return false;
    }
    json_array_foreach(v, i, e) {
      if (!json_is_object(e) || !nonempty_string(json_object_get(e, "code")) ||
          !nonempty_string(json_object_get(e, "name_zh"))) {
        snprintf(why, whylen, "value[%zu] must be an object with a non-empty \"code\" and \"name_zh\"", i);
        return false;
      }
      const char *code = json_string_value(json_object_get(e, "code"));
      for (size_t j = 0; j < i; j++) {
        if (strcmp(json_string_value(json_object_get(json_array_get(v, j), "code")), code) == 0) {
          snprintf(why, whylen, "value[%zu]: code \"%s\" appears twice", i, code);
          return false;
        }
      }
      if (shape == SHAPE_RANKS) {
        const json_t *level = json_object_get(e, "level");
        if (!json_is_integer(level) || json_integer_value(level) < 0) {
          snprintf(why, whylen, "value[%zu] (%s): \"level\" must be an integer >= 0", i, code);
          return false;
        }
        char what[48];
        snprintf(what, sizeof what, "value[%zu].unit_types", i);
        const json_t *types = json_object_get(e, "unit_types");
        if (!check_strings(types, why, whylen, what)) return false;
        if (json_array_size(types) == 0) {
          snprintf(why, whylen, "%s must name at least one unit type", what);
          return false;
        }
      }
    }
    return true;
  case SHAPE_INT_OBJECT: {
    if (!json_is_object(v)) {
      snprintf(why, whylen, "\"value\" must be an object of integers");
      return false;
    }
    const char *key;
    json_object_foreach((json_t *)v, key, e) {
      if (!json_is_integer(e) || json_integer_value(e) < 0) {
        snprintf(why, whylen, "value.\"%s\" must be an integer >= 0", key);
        return false;
      }
    }
    return true;
  }
  case SHAPE_OBLIGATIONS:
    return obligations_check(v, why, whylen);
  case SHAPE_CROSS_CHECKS:
    return crosscheck_rules_check(v, why, whylen);
  case SHAPE_WEIGHTS:
    return unit_score_weights_check(v, why, whylen);
  case SHAPE_ALLOWANCE: {
    struct allowance_rules r;
    return allowance_rules_from_json(v, &r, why, whylen) == 0;
  }
  }
  snprintf(why, whylen, "unknown shape");
  return false;
}

/* Fills *out from the i-th element of "parameters"; false with err set when it is malformed. */
static bool parse_param(const json_t *e, size_t i, struct policy_param *out, char *err, size_t errlen)
{
  if (!json_is_object(e)) {
    set_err(err, errlen, "parameters[%zu]: must be an object", i);
    return false;
  }
  const json_t *id = json_object_get(e, "id");
  if (!nonempty_string(id)) {
    set_err(err, errlen, "parameters[%zu]: missing \"id\" (a non-empty string)", i);
    return false;
  }
  out->id = json_string_value(id);

  const json_t *clause = json_object_get(e, "clause");
  if (!nonempty_string(clause)) {
    set_err(err, errlen, "parameters[%zu] (%s): missing \"clause\" (the clause id, e.g. \"1.3a\")", i,
            out->id);
    return false;
  }
  if (json_string_length(clause) > 7) { /* it must fit eligibility_reason.clause */
    set_err(err, errlen, "parameters[%zu] (%s): \"clause\" must be at most 7 characters, got \"%s\"", i,
            out->id, json_string_value(clause));
    return false;
  }
  out->clause = json_string_value(clause);

  const json_t *from = json_object_get(e, "from");
  if (!json_is_string(from) || date_parse_iso(json_string_value(from), &out->from) != DATE_OK) {
    if (json_is_string(from))
      set_err(err, errlen, "parameters[%zu] (%s): \"from\" must be a real date YYYY-MM-DD, got \"%s\"",
              i, out->id, json_string_value(from));
    else
      set_err(err, errlen, "parameters[%zu] (%s): missing \"from\" (a date YYYY-MM-DD)", i, out->id);
    return false;
  }

  const json_t *strictness = json_object_get(e, "strictness");
  const char *s = json_string_value(strictness);
  if (s && strcmp(s, "strict") == 0) {
    out->strictness = POLICY_STRICT;
  } else if (s && strcmp(s, "in_principle") == 0) {
    out->strictness = POLICY_IN_PRINCIPLE;
  } else {
    set_err(err, errlen,
            "parameters[%zu] (%s): \"strictness\" must be \"strict\" or \"in_principle\", got %s%s%s",
            i, out->id, s ? "\"" : "", s ? s : "nothing", s ? "\"" : "");
    return false;
  }

  const json_t *local = json_object_get(e, "local");
  if (local && !json_is_boolean(local)) {
    set_err(err, errlen, "parameters[%zu] (%s): \"local\" must be true or false", i, out->id);
    return false;
  }
  out->local = json_is_true(local);

  /* A rule the notice does not make says where it comes from, so it is never shown as the
   * notice's: a local parameter, a national rule (e.g. the 防返贫 monitoring procedure). */
  const json_t *source = json_object_get(e, "source");
  if ((source || out->local) && !nonempty_string(source)) {
    set_err(err, errlen,
            "parameters[%zu] (%s): %s", i, out->id,
            source ? "\"source\" must be a non-empty string"
                   : "a local parameter needs a \"source\" (e.g. \"本地参数（通知未作规定）\")");
    return false;
  }
  out->source = source ? json_string_value(source) : NULL;

  const json_t *desc = json_object_get(e, "description_zh");
  if (desc && !json_is_string(desc)) {
    set_err(err, errlen, "parameters[%zu] (%s): \"description_zh\" must be a string", i, out->id);
    return false;
  }
  out->description_zh = desc ? json_string_value(desc) : "";

  out->value = json_object_get(e, "value");
  if (!out->value || json_is_null(out->value)) {
    set_err(err, errlen, "parameters[%zu] (%s): missing \"value\"", i, out->id);
    return false;
  }

  const struct known *k = known_param(out->id);
  if (k) {
    char why[160];
    if (!check_shape(k->shape, out->value, why, sizeof why)) {
      set_err(err, errlen, "parameters[%zu] (%s): %s", i, out->id, why);
      return false;
    }
  }
  return true;
}

int policy_from_json(json_t *root, struct policy **out, char *err, size_t errlen)
{
  if (err && errlen) err[0] = '\0';
  if (!out) {
    set_err(err, errlen, "no place for the policy");
    return -1;
  }
  *out = NULL;
  if (!json_is_object(root)) {
    set_err(err, errlen, "the policy must be a JSON object");
    return -1;
  }
  const json_t *title = json_object_get(root, "title");
  if (title && !json_is_string(title)) {
    set_err(err, errlen, "\"title\" must be a string");
    return -1;
  }
  const json_t *source = json_object_get(root, "source");
  if (source && !json_is_string(source)) {
    set_err(err, errlen, "\"source\" must be a string");
    return -1;
  }
  const json_t *params = json_object_get(root, "parameters");
  if (!json_is_array(params) || json_array_size(params) == 0) {
    set_err(err, errlen, "\"parameters\" must be a non-empty array");
    return -1;
  }

  size_t n = json_array_size(params);
  struct policy *p = calloc(1, sizeof *p);
  struct policy_param *pp = calloc(n, sizeof *pp);
  if (!p || !pp) {
    free(p);
    free(pp);
    set_err(err, errlen, "out of memory");
    return -1;
  }
  p->params = pp;
  p->n = n;

  for (size_t i = 0; i < n; i++) {
    if (!parse_param(json_array_get(params, i), i, &pp[i], err, errlen)) goto fail;
    for (size_t j = 0; j < i; j++) {
      if (strcmp(pp[j].id, pp[i].id) == 0 && pp[j].from == pp[i].from) {
        char iso[DATE_ISO_SIZE];
        date_format_iso(pp[i].from, iso);
        set_err(err, errlen,
                "parameters[%zu] (%s): a second version from %s (see parameters[%zu]); each "
                "version needs its own \"from\"",
                i, pp[i].id, iso, j);
        goto fail;
      }
    }
  }

  for (size_t k = 0; k < NREQUIRED; k++) {
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) found = strcmp(pp[i].id, KNOWN[k].id) == 0;
    if (!found) {
      set_err(err, errlen, "missing required parameter \"%s\" (clause %s)", KNOWN[k].id,
              KNOWN[k].clause);
      goto fail;
    }
  }

  p->root = json_incref(root);
  *out = p;
  return 0;

fail:
  free(pp);
  free(p);
  return -1;
}

void policy_free(struct policy *p)
{
  if (!p) return;
  json_decref(p->root);
  free(p->params);
  free(p);
}

const json_t *policy_document(const struct policy *p) { return p ? p->root : NULL; }

const struct policy_param *policy_param(const struct policy *p, const char *id, int date)
{
  if (!p || !id) return NULL;
  const struct policy_param *best = NULL;
  for (size_t i = 0; i < p->n; i++) {
    const struct policy_param *c = &p->params[i];
    if (c->from <= date && strcmp(c->id, id) == 0 && (!best || c->from > best->from)) best = c;
  }
  return best;
}

long policy_int(const struct policy *p, const char *id, int date)
{
  const struct policy_param *pp = policy_param(p, id, date);
  if (!pp || !json_is_integer(pp->value)) return -1;
  return (long)json_integer_value(pp->value);
}

bool policy_list_contains(const struct policy *p, const char *id, int date, const char *item)
{
  const struct policy_param *pp = policy_param(p, id, date);
  if (!pp || !item || !json_is_array(pp->value)) return false;
  size_t i;
  const json_t *e;
  json_array_foreach(pp->value, i, e) {
    const char *s = json_string_value(e);
    if (s && strcmp(s, item) == 0) return true;
  }
  return false;
}

const json_t *policy_list_item(const struct policy *p, const char *id, int date, const char *code)
{
  const struct policy_param *param = p && code ? policy_param(p, id, date) : NULL;
  if (!param || !json_is_array(param->value)) return NULL;
  size_t i;
  json_t *v;
  json_array_foreach(param->value, i, v) {
    const char *c = json_string_value(json_object_get(v, "code"));
    if (c && strcmp(c, code) == 0) return v;
  }
  return NULL;
}

const char *policy_list_name(const struct policy *p, const char *id, int date, const char *code)
{
  return json_string_value(json_object_get(policy_list_item(p, id, date, code), "name_zh"));
}
