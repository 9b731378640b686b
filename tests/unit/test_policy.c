/* Unit tests for core/policy: the shipped policy/ganzhou.json carries the notice's numbers with
 * their clauses; a policy is refused with a message naming the parameter when a field is
 * missing or malformed; the version in force on a date is picked by "from". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "data/policy_fixture.h"

#define NOTICE_FROM 20230101
#define TODAY 20260615

static struct policy *ganzhou(void)
{
  char err[256] = "";
  struct policy *p = fixture_ganzhou(err, sizeof err);
  if (!p) fail_msg("policy/ganzhou.json refused: %s", err);
  return p;
}

/* --- the shipped file --------------------------------------------------------------------- */

struct expected_param {
  const char *id;
  const char *clause;
  enum policy_strictness strictness;
  bool local;
  long int_value; /* -1: not an integer */
};

static void test_ganzhou_parameters(void **state)
{
  static const struct expected_param want[] = {
      {"term_years", "1.1", POLICY_STRICT, false, 2},
      {"adjustment_reasons", "1.2", POLICY_IN_PRINCIPLE, false, -1},
      {"age_limit_city", "1.3a", POLICY_IN_PRINCIPLE, false, 50},
      {"age_limit_county", "1.3a", POLICY_IN_PRINCIPLE, false, 55},
      {"age_limit_province", "1.3a", POLICY_IN_PRINCIPLE, true, 50},
      {"poor_appraisal_results", "1.3c", POLICY_STRICT, true, -1},
      {"appraisal_results", "1.3c", POLICY_STRICT, true, -1}, /* national appraisal grades, not the notice */
      {"appraisal_window_years", "1.3c", POLICY_STRICT, true, 1},
      {"blocked_employment_types", "1.3d", POLICY_STRICT, false, -1},
      {"employment_types", "1.3d", POLICY_STRICT, true, -1},
      {"priority_factors", "1.4", POLICY_IN_PRINCIPLE, false, -1},
      {"young_max_age", "1.4", POLICY_IN_PRINCIPLE, true, 40},
      {"handover_days", "1.6", POLICY_STRICT, false, 15},
      {"handover_checklist", "1.6", POLICY_STRICT, true, -1},
      {"rank_scale", "1.9", POLICY_STRICT, true, -1},
      {"first_secretary_min_rank_level", "1.9", POLICY_IN_PRINCIPLE, false, -1},
  };
  struct policy *p = ganzhou();
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct policy_param *pp = policy_param(p, want[i].id, TODAY);
    if (!pp) fail_msg("%s: missing", want[i].id);
    assert_string_equal(pp->id, want[i].id);
    if (strcmp(pp->clause, want[i].clause) != 0)
      fail_msg("%s: clause %s, want %s", want[i].id, pp->clause, want[i].clause);
    if (pp->strictness != want[i].strictness) fail_msg("%s: strictness", want[i].id);
    if (pp->local != want[i].local) fail_msg("%s: local %d", want[i].id, pp->local);
    assert_int_equal(pp->from, NOTICE_FROM);
    if (strlen(pp->description_zh) < 20) fail_msg("%s: no description", want[i].id);
    assert_int_equal(policy_int(p, want[i].id, TODAY), want[i].int_value);
    /* in force from the notice's date on, not before */
    assert_non_null(policy_param(p, want[i].id, NOTICE_FROM));
    assert_null(policy_param(p, want[i].id, NOTICE_FROM - 1 /* 20230100 */));
    assert_null(policy_param(p, want[i].id, 20221231));
  }
  /* The document is served as is. */
  const json_t *doc = policy_document(p);
  assert_string_equal(json_string_value(json_object_get(doc, "source")),
                      "中共赣州市委组织部、赣州市乡村振兴局《关于进一步强化驻村帮扶工作的通知》");
  assert_true(json_is_string(json_object_get(doc, "title")));
  policy_free(p);
}

static void test_ganzhou_descriptions_quote_the_notice(void **state)
{
  static const struct {
    const char *id;
    const char *quote;
  } want[] = {
      {"age_limit_city", "市级原则上不超过 50 岁"},
      {"age_limit_county", "县级原则上不超过 55 岁"},
      {"age_limit_province", "参照"},
      {"blocked_employment_types", "不得选派临聘、勤杂人员"},
      {"poor_appraisal_results", "不得选派表现较差、正受处分的干部"},
      {"handover_days", "15 日交接过渡期"},
      {"term_years", "2年任期"},
      {"adjustment_reasons", "因病、工作单位变动、履职不力等"},
      {"first_secretary_min_rank_level", "国有企业、事业单位原则上从中层及以上管理人员中选派"},
      {"young_max_age", "通知未界定"},
      {"employment_types", "劳务派遣"},
  };
  struct policy *p = ganzhou();
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const struct policy_param *pp = policy_param(p, want[i].id, TODAY);
    if (!strstr(pp->description_zh, want[i].quote))
      fail_msg("%s: description lacks \"%s\"", want[i].id, want[i].quote);
  }
  policy_free(p);
}

static void test_ganzhou_lists(void **state)
{
  struct policy *p = ganzhou();
  static const struct {
    const char *id;
    const char *item;
    bool want;
  } cases[] = {
      {"blocked_employment_types", "temporary", true},
      {"blocked_employment_types", "odd_job", true},
      {"blocked_employment_types", "contract", false},
      {"blocked_employment_types", "established", false},
      {"blocked_employment_types", "agency", false}, /* the local choice: not blocked */
      {"poor_appraisal_results", "basically_competent", true},
      {"poor_appraisal_results", "incompetent", true},
      {"poor_appraisal_results", "competent", false},
      {"poor_appraisal_results", "excellent", false},
      {"age_limit_city", "50", false}, /* not a list */
      {"no_such_id", "x", false},
      {"blocked_employment_types", NULL, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (policy_list_contains(p, cases[i].id, TODAY, cases[i].item) != cases[i].want)
      fail_msg("%s contains %s: want %d", cases[i].id, cases[i].item ? cases[i].item : "NULL",
               cases[i].want);

  /* the {code, name_zh} lists the UI shows */
  static const struct {
    const char *id;
    const char *code;
    const char *name_zh;
  } names[] = {
      {"employment_types", "established", "在编"},
      {"employment_types", "contract", "聘用"},
      {"employment_types", "temporary", "临聘"},
      {"employment_types", "odd_job", "勤杂"},
      {"employment_types", "agency", "劳务派遣"},
      {"appraisal_results", "excellent", "优秀"},
      {"appraisal_results", "competent", "称职"},
      {"appraisal_results", "basically_competent", "基本称职"},
      {"appraisal_results", "incompetent", "不称职"},
      {"adjustment_reasons", "illness", "因病"},
      {"adjustment_reasons", "unit_change", "工作单位变动"},
      {"adjustment_reasons", "failing_duties", "履职不力"},
      {"adjustment_reasons", "other", "其他（须书面说明）"},
      {"rank_scale", "clerk", "科员及以下"},
      {"rank_scale", "deputy_section", "副科级（三、四级主任科员）"},
      {"rank_scale", "section", "正科级（一、二级主任科员）"},
      {"rank_scale", "division", "副处级及以上"},
      {"rank_scale", "staff", "一般管理人员"},
      {"rank_scale", "middle_manager", "中层管理人员"},
      {"rank_scale", "senior_manager", "领导班子成员"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const json_t *list = policy_param(p, names[i].id, TODAY)->value;
    bool found = false;
    size_t k;
    const json_t *e;
    json_array_foreach(list, k, e) {
      if (strcmp(json_string_value(json_object_get(e, "code")), names[i].code) == 0) {
        assert_string_equal(json_string_value(json_object_get(e, "name_zh")), names[i].name_zh);
        found = true;
      }
    }
    if (!found) fail_msg("%s lacks %s", names[i].id, names[i].code);
  }
  policy_free(p);
}

static void test_ganzhou_ranks(void **state)
{
  struct policy *p = ganzhou();
  static const struct {
    const char *code;
    int level;
    const char *unit_type;
  } ranks[] = {
      {"clerk", 1, "party_gov"},          {"deputy_section", 2, "party_gov"},
      {"section", 3, "party_gov"},        {"division", 4, "party_gov"},
      {"staff", 1, "institution"},        {"staff", 1, "soe"},
      {"middle_manager", 3, "institution"}, {"middle_manager", 3, "soe"},
      {"senior_manager", 4, "institution"}, {"senior_manager", 4, "soe"},
  };
  const json_t *scale = policy_param(p, "rank_scale", TODAY)->value;
  for (size_t i = 0; i < sizeof ranks / sizeof ranks[0]; i++) {
    bool found = false;
    size_t k, t;
    const json_t *e, *type;
    json_array_foreach(scale, k, e) {
      if (strcmp(json_string_value(json_object_get(e, "code")), ranks[i].code) != 0) continue;
      assert_int_equal(json_integer_value(json_object_get(e, "level")), ranks[i].level);
      json_array_foreach(json_object_get(e, "unit_types"), t, type) {
        if (strcmp(json_string_value(type), ranks[i].unit_type) == 0) found = true;
      }
    }
    if (!found) fail_msg("rank %s for %s", ranks[i].code, ranks[i].unit_type);
  }
  static const struct {
    const char *key;
    int level;
  } mins[] = {
      {"party_gov.city", 3}, {"party_gov.county", 2}, {"party_gov.province", 3},
      {"institution", 3},    {"soe", 3},              {"other", 0},
  };
  const json_t *min = policy_param(p, "first_secretary_min_rank_level", TODAY)->value;
  for (size_t i = 0; i < sizeof mins / sizeof mins[0]; i++)
    assert_int_equal(json_integer_value(json_object_get(min, mins[i].key)), mins[i].level);
  policy_free(p);
}

/* Every id the code reads is listed, NULL-terminated, and present in the shipped file. */
static void test_required_ids(void **state)
{
  static const char *const eligibility_reads[] = {
      "age_limit_city",         "age_limit_county",    "age_limit_province",
      "blocked_employment_types", "employment_types",  "poor_appraisal_results",
      "appraisal_results",      "appraisal_window_years", "rank_scale",
      "first_secretary_min_rank_level", "young_max_age",
  };
  const char *const *ids = policy_required_ids();
  size_t n = 0;
  while (ids[n]) n++;
  assert_true(n >= sizeof eligibility_reads / sizeof eligibility_reads[0]);
  for (size_t i = 0; i < sizeof eligibility_reads / sizeof eligibility_reads[0]; i++) {
    bool found = false;
    for (size_t k = 0; k < n; k++) found = found || strcmp(ids[k], eligibility_reads[i]) == 0;
    if (!found) fail_msg("%s is not in policy_required_ids()", eligibility_reads[i]);
  }
  /* optional: the minimal inline policy has no handover checklist */
  for (size_t k = 0; k < n; k++) assert_string_not_equal(ids[k], "handover_checklist");
  struct policy *p = ganzhou();
  assert_true(policy_list_contains(p, "handover_checklist", TODAY, "工作台账、档案资料移交"));
  for (size_t k = 0; k < n; k++)
    if (!policy_param(p, ids[k], TODAY)) fail_msg("%s is not in ganzhou.json", ids[k]);
  policy_free(p);
}

/* policy_from_json takes its own reference: the caller may drop theirs. */
static void test_reference_taken(void **state)
{
  json_t *root = fixture_minimal_root();
  assert_non_null(root);
  struct policy *p = NULL;
  char err[256];
  assert_int_equal(policy_from_json(root, &p, err, sizeof err), 0);
  assert_int_equal(root->refcount, 2);
  json_decref(root);
  assert_ptr_equal(policy_document(p), root);
  assert_int_equal(policy_int(p, "age_limit_county", TODAY), 55);
  policy_free(p);
  policy_free(NULL);
}

/* --- refusals ----------------------------------------------------------------------------- */

enum edit { SET, DELETE_FIELD, DELETE_PARAM, ADD_PARAM, REPLACE_ROOT };

struct refusal_case {
  const char *name;
  enum edit edit;
  const char *id;    /* the parameter edited (SET, DELETE_*) */
  const char *field; /* SET / DELETE_FIELD */
  const char *value; /* SET: JSON text; ADD_PARAM / REPLACE_ROOT: the whole JSON */
  const char *want;  /* a substring of the error */
};

static void test_refusals(void **state)
{
  static const struct refusal_case cases[] = {
      {"missing clause", DELETE_FIELD, "age_limit_city", "clause", NULL,
       "parameters[2] (age_limit_city): missing \"clause\""},
      {"empty clause", SET, "age_limit_city", "clause", "\"\"", "(age_limit_city): missing \"clause\""},
      {"clause too long", SET, "age_limit_city", "clause", "\"1.3a-extra\"",
       "(age_limit_city): \"clause\" must be at most 7 characters, got \"1.3a-extra\""},
      {"bad date: 30 Feb", SET, "handover_days", "from", "\"2023-02-30\"",
       "parameters[11] (handover_days): \"from\" must be a real date YYYY-MM-DD, got \"2023-02-30\""},
      {"bad date: one-digit month", SET, "handover_days", "from", "\"2023-1-01\"", "got \"2023-1-01\""},
      {"bad date: slashes", SET, "handover_days", "from", "\"2023/01/01\"", "\"from\" must be"},
      {"bad date: a number", SET, "handover_days", "from", "20230101", "missing \"from\""},
      {"missing from", DELETE_FIELD, "term_years", "from", NULL, "(term_years): missing \"from\""},
      {"unknown strictness", SET, "age_limit_county", "strictness", "\"mandatory\"",
       "(age_limit_county): \"strictness\" must be \"strict\" or \"in_principle\", got \"mandatory\""},
      {"strictness in Chinese", SET, "age_limit_county", "strictness", "\"原则上\"", "\"strictness\" must be"},
      {"missing strictness", DELETE_FIELD, "age_limit_county", "strictness", NULL, "got nothing"},
      {"missing value", DELETE_FIELD, "young_max_age", "value", NULL, "(young_max_age): missing \"value\""},
      {"null value", SET, "young_max_age", "value", "null", "(young_max_age): missing \"value\""},
      {"missing id", DELETE_FIELD, "term_years", "id", NULL, "parameters[0]: missing \"id\""},
      {"local not a boolean", SET, "age_limit_province", "local", "\"yes\"", "\"local\" must be true or false"},
      {"local without a source", DELETE_FIELD, "age_limit_province", "source", NULL,
       "(age_limit_province): a local parameter needs a \"source\""},
      {"empty source", SET, "age_limit_province", "source", "\"\"", "\"source\" must be a non-empty string"},
      {"description not a string", SET, "term_years", "description_zh", "3", "\"description_zh\" must be a string"},
      {"missing required id", DELETE_PARAM, "young_max_age", NULL, NULL,
       "missing required parameter \"young_max_age\" (clause 1.4)"},
      {"missing required rank scale", DELETE_PARAM, "rank_scale", NULL, NULL,
       "missing required parameter \"rank_scale\""},
      {"age limit as a string", SET, "age_limit_city", "value", "\"50\"",
       "(age_limit_city): \"value\" must be an integer from 1 to 10000"},
      {"age limit zero", SET, "age_limit_city", "value", "0", "must be an integer from 1"},
      {"age limit fractional", SET, "age_limit_city", "value", "50.5", "must be an integer"},
      {"window negative", SET, "appraisal_window_years", "value", "-1", "from 0 to 10000"},
      {"blocked list not a list", SET, "blocked_employment_types", "value", "\"temporary\"",
       "must be an array of strings"},
      {"blocked list with a number", SET, "blocked_employment_types", "value", "[\"temporary\", 3]",
       "value\"[1] must be a non-empty string"},
      {"code list entry without name", SET, "employment_types", "value", "[{\"code\":\"established\"}]",
       "value[0] must be an object with a non-empty \"code\" and \"name_zh\""},
      {"code list duplicate", SET, "appraisal_results", "value",
       "[{\"code\":\"a\",\"name_zh\":\"甲\"},{\"code\":\"a\",\"name_zh\":\"乙\"}]", "code \"a\" appears twice"},
      {"rank without level", SET, "rank_scale", "value",
       "[{\"code\":\"clerk\",\"name_zh\":\"科员\",\"unit_types\":[\"party_gov\"]}]",
       "(rank_scale): value[0] (clerk): \"level\" must be an integer"},
      {"rank without unit types", SET, "rank_scale", "value",
       "[{\"code\":\"clerk\",\"name_zh\":\"科员\",\"level\":1,\"unit_types\":[]}]", "must name at least one unit type"},
      {"min rank not an object", SET, "first_secretary_min_rank_level", "value", "3", "must be an object of integers"},
      {"min rank member not an integer", SET, "first_secretary_min_rank_level", "value",
       "{\"soe\":\"3\"}", "value.\"soe\" must be an integer"},
      {"two versions from the same day", ADD_PARAM, NULL, NULL,
       "{\"id\":\"age_limit_city\",\"clause\":\"1.3a\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":45}",
       "parameters[17] (age_limit_city): a second version from 2023-01-01 (see parameters[2])"},
      {"a later version malformed", ADD_PARAM, NULL, NULL,
       "{\"id\":\"age_limit_city\",\"clause\":\"1.3a\",\"from\":\"2027-01-01\",\"strictness\":\"strict\",\"value\":\"45\"}",
       "parameters[17] (age_limit_city): \"value\" must be an integer"},
      {"unknown parameter without clause", ADD_PARAM, NULL, NULL,
       "{\"id\":\"note\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":1}",
       "parameters[17] (note): missing \"clause\""},
      {"optional parameter malformed", ADD_PARAM, NULL, NULL,
       "{\"id\":\"handover_checklist\",\"clause\":\"1.6\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":\"交接\"}",
       "parameters[17] (handover_checklist): \"value\" must be an array of strings"},
      {"parameter not an object", ADD_PARAM, NULL, NULL, "[1]", "parameters[17]: must be an object"},
      {"root not an object", REPLACE_ROOT, NULL, NULL, "[]", "the policy must be a JSON object"},
      {"no parameters", REPLACE_ROOT, NULL, NULL, "{\"title\":\"x\"}", "\"parameters\" must be a non-empty array"},
      {"empty parameters", REPLACE_ROOT, NULL, NULL, "{\"parameters\":[]}", "\"parameters\" must be a non-empty array"},
      {"title not a string", REPLACE_ROOT, NULL, NULL, "{\"title\":1,\"parameters\":[]}", "\"title\" must be a string"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct refusal_case *c = &cases[i];
    json_t *root = fixture_minimal_root();
    json_t *param = c->id ? fixture_param(root, c->id) : NULL;
    json_error_t je;
    switch (c->edit) {
    case SET: fixture_set(root, c->id, c->field, c->value); break;
    case DELETE_FIELD: json_object_del(param, c->field); break;
    case DELETE_PARAM: {
      json_t *params = json_object_get(root, "parameters");
      size_t k;
      json_t *e;
      json_array_foreach(params, k, e) {
        if (e == param) {
          json_array_remove(params, k);
          break;
        }
      }
      break;
    }
    case ADD_PARAM: {
      json_t *v = json_loads(c->value, 0, &je);
      assert_non_null(v);
      json_array_append_new(json_object_get(root, "parameters"), v);
      break;
    }
    case REPLACE_ROOT:
      json_decref(root);
      root = json_loads(c->value, 0, &je);
      assert_non_null(root);
      break;
    }
    struct policy *p = (struct policy *)&p; /* not NULL: the refusal must reset it */
    char err[256] = "";
    int rc = policy_from_json(root, &p, err, sizeof err);
    json_decref(root);
    if (rc != -1) fail_msg("%s: accepted", c->name);
    if (p) fail_msg("%s: *out not reset to NULL", c->name);
    if (!strstr(err, c->want)) fail_msg("%s: error \"%s\" lacks \"%s\"", c->name, err, c->want);
  }
}

/* Parameters the code does not know are kept with any value; local and description_zh are
 * optional. */
static void test_accepts_extra_parameters(void **state)
{
  json_t *root = fixture_minimal_root();
  fixture_add(root, "{\"id\":\"funds_min_yuan\",\"clause\":\"3.4a\",\"from\":\"2023-01-01\","
                    "\"strictness\":\"strict\",\"value\":10000}");
  fixture_add(root, "{\"id\":\"note\",\"clause\":\"1\",\"from\":\"2023-01-01\","
                    "\"strictness\":\"in_principle\",\"local\":false,\"value\":{\"any\":[1,\"x\"]}}");
  char err[256] = "";
  struct policy *p = fixture_policy(root, err, sizeof err);
  if (!p) fail_msg("refused: %s", err);
  assert_int_equal(policy_int(p, "funds_min_yuan", TODAY), 10000);
  const struct policy_param *pp = policy_param(p, "term_years", TODAY);
  assert_string_equal(pp->description_zh, "");
  assert_false(pp->local);
  assert_int_equal(policy_int(p, "note", TODAY), -1); /* not an integer */
  assert_int_equal(policy_int(p, "nothing", TODAY), -1);
  assert_null(policy_param(p, NULL, TODAY));
  assert_null(policy_param(NULL, "term_years", TODAY));
  policy_free(p);
}

static void test_bad_arguments(void **state)
{
  char err[64];
  assert_int_equal(policy_from_json(NULL, NULL, err, sizeof err), -1);
  struct policy *p = NULL;
  assert_int_equal(policy_from_json(NULL, &p, err, sizeof err), -1);
  assert_null(p);
  assert_string_equal(err, "the policy must be a JSON object");
  /* a NULL or empty error buffer is allowed */
  json_t *root = json_array();
  assert_int_equal(policy_from_json(root, &p, NULL, 0), -1);
  /* a short buffer truncates */
  char tiny[8];
  assert_int_equal(policy_from_json(root, &p, tiny, sizeof tiny), -1);
  assert_string_equal(tiny, "the pol");
  json_decref(root);
}

/* --- versions ----------------------------------------------------------------------------- */

static void test_version_in_force(void **state)
{
  /* The newer version is listed first: order in the file does not matter. */
  json_t *root = fixture_minimal_root();
  json_t *params = json_object_get(root, "parameters");
  json_error_t je;
  json_array_insert_new(params, 0,
                        json_loads("{\"id\":\"age_limit_city\",\"clause\":\"1.3a\",\"from\":\"2026-07-01\","
                                   "\"strictness\":\"strict\",\"value\":45}",
                                   0, &je));
  fixture_add(root, "{\"id\":\"age_limit_city\",\"clause\":\"1.3a\",\"from\":\"2025-01-01\","
                    "\"strictness\":\"in_principle\",\"value\":48}");
  char err[256] = "";
  struct policy *p = fixture_policy(root, err, sizeof err);
  if (!p) fail_msg("refused: %s", err);
  static const struct {
    int date;
    long want;
    enum policy_strictness strictness;
  } cases[] = {
      {20221231, -1, 0},                   /* before any version */
      {20230101, 50, POLICY_IN_PRINCIPLE}, /* the notice's version, first day */
      {20241231, 50, POLICY_IN_PRINCIPLE},
      {20250101, 48, POLICY_IN_PRINCIPLE}, /* the second version, first day */
      {20260630, 48, POLICY_IN_PRINCIPLE}, /* the day before the third */
      {20260701, 45, POLICY_STRICT},       /* the third, first day */
      {20991231, 45, POLICY_STRICT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    long got = policy_int(p, "age_limit_city", cases[i].date);
    if (got != cases[i].want) fail_msg("%d: %ld, want %ld", cases[i].date, got, cases[i].want);
    const struct policy_param *pp = policy_param(p, "age_limit_city", cases[i].date);
    if (cases[i].want < 0) {
      assert_null(pp);
    } else {
      assert_int_equal(pp->strictness, cases[i].strictness);
      assert_true(pp->from <= cases[i].date);
    }
  }
  /* other ids are unaffected */
  assert_int_equal(policy_int(p, "age_limit_county", 20260701), 55);
  policy_free(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ganzhou_parameters),
      cmocka_unit_test(test_ganzhou_descriptions_quote_the_notice),
      cmocka_unit_test(test_ganzhou_lists),
      cmocka_unit_test(test_ganzhou_ranks),
      cmocka_unit_test(test_required_ids),
      cmocka_unit_test(test_reference_taken),
      cmocka_unit_test(test_refusals),
      cmocka_unit_test(test_accepts_extra_parameters),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_version_in_force),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
