/* Shared by test_policy.c and test_eligibility.c: a small, complete policy written inline (the
 * same rules as policy/ganzhou.json, without the prose) and helpers to change one parameter of
 * it, so that a test can show that a different file changes the behaviour without recompiling. */
#ifndef ZHUCUN_TEST_POLICY_FIXTURE_H
#define ZHUCUN_TEST_POLICY_FIXTURE_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/policy.h"

#define GANZHOU_POLICY_PATH "policy/ganzhou.json" /* tests run from the repository root */

static const char MINIMAL_POLICY[] =
    "{\"title\": \"test\", \"parameters\": ["
    "{\"id\":\"term_years\",\"clause\":\"1.1\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":2},"
    "{\"id\":\"adjustment_reasons\",\"clause\":\"1.2\",\"from\":\"2023-01-01\",\"strictness\":\"in_principle\","
    " \"value\":[{\"code\":\"illness\",\"name_zh\":\"因病\"},{\"code\":\"other\",\"name_zh\":\"其他\"}]},"
    "{\"id\":\"age_limit_city\",\"clause\":\"1.3a\",\"from\":\"2023-01-01\",\"strictness\":\"in_principle\",\"value\":50},"
    "{\"id\":\"age_limit_county\",\"clause\":\"1.3a\",\"from\":\"2023-01-01\",\"strictness\":\"in_principle\",\"value\":55},"
    "{\"id\":\"age_limit_province\",\"clause\":\"1.3a\",\"from\":\"2023-01-01\",\"strictness\":\"in_principle\",\"local\":true,\"source\":\"本地参数\",\"value\":50},"
    "{\"id\":\"poor_appraisal_results\",\"clause\":\"1.3c\",\"from\":\"2023-01-01\",\"strictness\":\"strict\","
    " \"value\":[\"basically_competent\",\"incompetent\"]},"
    "{\"id\":\"appraisal_results\",\"clause\":\"1.3c\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":["
    " {\"code\":\"excellent\",\"name_zh\":\"优秀\"},{\"code\":\"competent\",\"name_zh\":\"称职\"},"
    " {\"code\":\"basically_competent\",\"name_zh\":\"基本称职\"},{\"code\":\"incompetent\",\"name_zh\":\"不称职\"}]},"
    "{\"id\":\"appraisal_window_years\",\"clause\":\"1.3c\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":1},"
    "{\"id\":\"blocked_employment_types\",\"clause\":\"1.3d\",\"from\":\"2023-01-01\",\"strictness\":\"strict\","
    " \"value\":[\"temporary\",\"odd_job\"]},"
    "{\"id\":\"employment_types\",\"clause\":\"1.3d\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":["
    " {\"code\":\"established\",\"name_zh\":\"在编\"},{\"code\":\"contract\",\"name_zh\":\"聘用\"},"
    " {\"code\":\"temporary\",\"name_zh\":\"临聘\"},{\"code\":\"odd_job\",\"name_zh\":\"勤杂\"},"
    " {\"code\":\"agency\",\"name_zh\":\"劳务派遣\"}]},"
    "{\"id\":\"young_max_age\",\"clause\":\"1.4\",\"from\":\"2023-01-01\",\"strictness\":\"in_principle\",\"value\":40},"
    "{\"id\":\"handover_days\",\"clause\":\"1.6\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":15},"
    "{\"id\":\"rank_scale\",\"clause\":\"1.9\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":["
    " {\"code\":\"clerk\",\"name_zh\":\"科员及以下\",\"level\":1,\"unit_types\":[\"party_gov\"]},"
    " {\"code\":\"deputy_section\",\"name_zh\":\"副科级\",\"level\":2,\"unit_types\":[\"party_gov\"]},"
    " {\"code\":\"section\",\"name_zh\":\"正科级\",\"level\":3,\"unit_types\":[\"party_gov\"]},"
    " {\"code\":\"division\",\"name_zh\":\"副处级及以上\",\"level\":4,\"unit_types\":[\"party_gov\"]},"
    " {\"code\":\"staff\",\"name_zh\":\"一般管理人员\",\"level\":1,\"unit_types\":[\"institution\",\"soe\"]},"
    " {\"code\":\"middle_manager\",\"name_zh\":\"中层管理人员\",\"level\":3,\"unit_types\":[\"institution\",\"soe\"]},"
    " {\"code\":\"senior_manager\",\"name_zh\":\"领导班子成员\",\"level\":4,\"unit_types\":[\"institution\",\"soe\"]}]},"
    "{\"id\":\"first_secretary_min_rank_level\",\"clause\":\"1.9\",\"from\":\"2023-01-01\",\"strictness\":\"in_principle\","
    " \"value\":{\"party_gov.city\":3,\"party_gov.county\":2,\"party_gov.province\":3,\"institution\":3,\"soe\":3,\"other\":0}},"
    "{\"id\":\"obligations\",\"clause\":\"2.2-5.7\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":["
    " {\"code\":\"township_dispatch\",\"clause\":\"2.3b\",\"owner\":\"township\",\"action_zh\":\"乡镇党委调度\","
    "  \"evidence\":\"township_dispatch\",\"period\":\"week\",\"min_count\":1}]},"
    "{\"id\":\"obligation_two_year_anchor\",\"clause\":\"4.5\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":2023},"
    "{\"id\":\"record_lock_days\",\"clause\":\"2.2-5.7\",\"from\":\"2023-01-01\",\"strictness\":\"strict\",\"value\":10}"
    "]}";

/* A fresh copy of the inline policy's JSON (the caller owns the reference). */
static inline json_t *fixture_minimal_root(void)
{
  json_error_t e;
  return json_loads(MINIMAL_POLICY, 0, &e);
}

/* The (first) parameter object with this id, borrowed; NULL if none. */
static inline json_t *fixture_param(json_t *root, const char *id)
{
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(root, "parameters"), i, e) {
    if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0) return e;
  }
  return NULL;
}

/* Sets field of parameter id to the JSON text value; returns root for chaining. */
static inline json_t *fixture_set(json_t *root, const char *id, const char *field, const char *value)
{
  json_error_t e;
  json_t *p = fixture_param(root, id);
  json_t *v = json_loads(value, JSON_DECODE_ANY, &e);
  if (p && v) json_object_set_new(p, field, v);
  else json_decref(v);
  return root;
}

/* Appends a parameter written as JSON text. */
static inline json_t *fixture_add(json_t *root, const char *param)
{
  json_error_t e;
  json_t *v = json_loads(param, 0, &e);
  if (v) json_array_append_new(json_object_get(root, "parameters"), v);
  return root;
}

/* Builds a policy from root and drops the caller's reference; NULL (with err) if refused. */
static inline struct policy *fixture_policy(json_t *root, char *err, size_t errlen)
{
  struct policy *p = NULL;
  if (policy_from_json(root, &p, err, errlen) != 0) p = NULL;
  json_decref(root);
  return p;
}

static inline struct policy *fixture_ganzhou(char *err, size_t errlen)
{
  json_error_t e;
  json_t *root = json_load_file(GANZHOU_POLICY_PATH, 0, &e);
  if (!root) {
    snprintf(err, errlen, "%s:%d: %s", GANZHOU_POLICY_PATH, e.line, e.text);
    return NULL;
  }
  return fixture_policy(root, err, errlen);
}

#endif
