/* eligibility — the “四个不得、四个优先” of the notice's section 1 and the first secretary's rank
 * (1.9), as a pure function of the facts and the policy in force on the date of dispatch.
 *
 * Every check gives exactly one reason, in a fixed order (age, employer, sanction, appraisal,
 * employment, rank), passed or not. A failed check's severity comes from the strictness of its
 * parameter in the policy file: "strict" (不得) blocks, "in_principle" (原则上) needs a written
 * justification and the approver's sign-off. The two rules that have no parameter — the
 * employer (1.3b) and a sanction in force (1.3c) — are 不得 in the notice and always block.
 *
 * Facts that are missing or unknown to the policy (a rank code not on the scale for the unit's
 * type, an employment type not in the list) are treated as "not recorded": the check fails
 * with the rule's own severity, so that nothing passes for lack of data. */
#include "core/eligibility.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/policy.h"

#define CLAUSE_AGE "1.3a"
#define CLAUSE_EMPLOYER "1.3b"
#define CLAUSE_CONDUCT "1.3c"
#define CLAUSE_EMPLOYMENT "1.3d"
#define CLAUSE_RANK "1.9"

/* vsnprintf that never leaves half a UTF-8 character at the end of a truncated string. */
__attribute__((format(printf, 3, 4))) static void put(char *dst, size_t n, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(dst, n, fmt, ap);
  va_end(ap);
  if (w < 0) {
    dst[0] = '\0';
    return;
  }
  if ((size_t)w < n) return;
  size_t len = n - 1; /* dst[len] is the NUL */
  size_t i = len;
  while (i > 0 && ((unsigned char)dst[i - 1] & 0xc0) == 0x80) i--; /* continuation bytes */
  if (i == 0) return;
  unsigned char lead = (unsigned char)dst[i - 1];
  size_t need = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if ((i - 1) + need > len) dst[i - 1] = '\0';
}

static enum verdict severity(const struct policy_param *pp)
{
  return pp->strictness == POLICY_STRICT ? VERDICT_BLOCKED : VERDICT_NEEDS_JUSTIFICATION;
}

/* The end of a failure message: what the official has to do. */
static const char *consequence(enum verdict v)
{
  return v == VERDICT_BLOCKED ? "不得选派" : "须书面说明理由并经审批";
}

static const char *level_name_zh(const char *level)
{
  if (strcmp(level, "province") == 0) return "省级";
  if (strcmp(level, "city") == 0) return "市级";
  if (strcmp(level, "county") == 0) return "县级";
  if (strcmp(level, "township") == 0) return "乡镇（街道）级";
  return NULL;
}

static const char *type_name_zh(const char *type)
{
  if (strcmp(type, "party_gov") == 0) return "机关";
  if (strcmp(type, "institution") == 0) return "事业单位";
  if (strcmp(type, "soe") == 0) return "国有企业";
  if (strcmp(type, "other") == 0) return "其他单位";
  return NULL;
}

static const char *post_name_zh(enum post p)
{
  switch (p) {
  case POST_FIRST_SECRETARY: return "驻村第一书记";
  case POST_TEAM_LEADER: return "工作队长";
  case POST_TEAM_MEMBER: return "工作队员";
  }
  return "";
}

/* The entry of a {code, name_zh} list with this code, or NULL. */
static const json_t *find_code(const json_t *list, const char *code)
{
  size_t i;
  const json_t *e;
  json_array_foreach(list, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "code")), code) == 0) return e;
  }
  return NULL;
}

/* The name_zh of code in a {code, name_zh} list, or the code itself. */
static const char *code_name(const json_t *list, const char *code)
{
  const json_t *e = find_code(list, code);
  return e ? json_string_value(json_object_get(e, "name_zh")) : code;
}

static bool strings_contain(const json_t *list, const char *s)
{
  size_t i;
  const json_t *e;
  json_array_foreach(list, i, e) {
    if (strcmp(json_string_value(e), s) == 0) return true;
  }
  return false;
}

/* "id=a,b,c" for a list of strings. */
static void put_list_param(char *dst, size_t n, const char *id, const json_t *list)
{
  char items[96] = "";
  size_t i;
  const json_t *e;
  json_array_foreach(list, i, e) {
    size_t used = strlen(items);
    snprintf(items + used, sizeof items - used, "%s%s", i ? "," : "", json_string_value(e));
  }
  put(dst, n, "%s=%s", id, items);
}

static struct eligibility_reason *add_reason(struct eligibility_result *out, const char *clause,
                                             const char *check)
{
  struct eligibility_reason *r = &out->reasons[out->nreasons++];
  memset(r, 0, sizeof *r);
  put(r->clause, sizeof r->clause, "%s", clause);
  put(r->check, sizeof r->check, "%s", check);
  r->outcome = VERDICT_ELIGIBLE;
  put(r->code, sizeof r->code, "ok");
  return r;
}

static void fail(struct eligibility_reason *r, enum verdict v, const char *code)
{
  r->outcome = v;
  put(r->code, sizeof r->code, "%s", code);
}

/* Resets *out to a single reason explaining why no judgement could be made. */
static int give_up(struct eligibility_result *out, const char *code, const char *parameter,
                   const char *message)
{
  memset(out, 0, sizeof *out);
  out->verdict = VERDICT_BLOCKED;
  out->age = -1;
  struct eligibility_reason *r = add_reason(out, "1", "policy");
  fail(r, VERDICT_BLOCKED, code);
  put(r->parameter, sizeof r->parameter, "%s", parameter);
  put(r->message_zh, sizeof r->message_zh, "%s", message);
  return -1;
}

/* The parameters one judgement reads, all in force on the date. */
struct params {
  const struct policy_param *age_limit; /* NULL for a township unit */
  const struct policy_param *blocked_employment, *employment_types;
  const struct policy_param *poor_appraisal, *appraisal_results, *appraisal_window;
  const struct policy_param *rank_scale, *min_rank, *young_max_age;
};

static int load_params(const struct policy *p, const struct eligibility_input *in,
                       struct params *ps, struct eligibility_result *out)
{
  const char *age_id = strcmp(in->unit_level, "province") == 0 ? "age_limit_province"
                       : strcmp(in->unit_level, "city") == 0   ? "age_limit_city"
                       : strcmp(in->unit_level, "county") == 0 ? "age_limit_county"
                                                               : NULL;
  struct {
    const char *id;
    const struct policy_param **slot;
  } want[] = {
      {age_id, &ps->age_limit},
      {"blocked_employment_types", &ps->blocked_employment},
      {"employment_types", &ps->employment_types},
      {"poor_appraisal_results", &ps->poor_appraisal},
      {"appraisal_results", &ps->appraisal_results},
      {"appraisal_window_years", &ps->appraisal_window},
      {"rank_scale", &ps->rank_scale},
      {"first_secretary_min_rank_level", &ps->min_rank},
      {"young_max_age", &ps->young_max_age},
  };
  memset(ps, 0, sizeof *ps);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    if (!want[i].id) continue;
    *want[i].slot = policy_param(p, want[i].id, in->date);
    if (!*want[i].slot) {
      char iso[DATE_ISO_SIZE], msg[256];
      date_format_iso(in->date, iso);
      put(msg, sizeof msg, "政策文件中没有 %s 生效的参数 %s，无法判断是否符合选派条件", iso,
          want[i].id);
      return give_up(out, "policy_missing", want[i].id, msg);
    }
  }
  return 0;
}

static int check_input(const struct eligibility_input *in, struct eligibility_result *out)
{
  const char *why = NULL;
  if (!date_valid(in->date))
    why = "选派日期无效";
  else if (!in->unit_level || !level_name_zh(in->unit_level))
    why = "派出单位层级未记录或无效（应为省级、市级、县级或乡镇（街道）级）";
  else if (!in->unit_type || !type_name_zh(in->unit_type))
    why = "派出单位类型未记录或无效（应为机关、事业单位、国有企业或其他单位）";
  else if (in->post != POST_FIRST_SECRETARY && in->post != POST_TEAM_LEADER &&
           in->post != POST_TEAM_MEMBER)
    why = "驻村岗位无效";
  else if (in->employer != EMPLOYER_SAME_UNIT && in->employer != EMPLOYER_SUBORDINATE_UNIT &&
           in->employer != EMPLOYER_TOWNSHIP && in->employer != EMPLOYER_OTHER_UNIT)
    why = "干部所在单位与派出单位的关系无效";
  else if (idcard_age_on(in->birth_date, in->date) < 0)
    why = "出生日期无效或晚于选派日期";
  else if (in->sanction_count < 0 || in->sanction_count > ELIGIBILITY_MAX_SANCTIONS)
    why = "处分记录数量无效";
  return why ? give_up(out, "input_invalid", "", why) : 0;
}

/* 1.3a */
static void check_age(const struct params *ps, const struct eligibility_input *in,
                      struct eligibility_result *out)
{
  struct eligibility_reason *r = add_reason(out, CLAUSE_AGE, "age");
  const char *level = level_name_zh(in->unit_level);
  if (!ps->age_limit) { /* township: it may not dispatch at all, see the employer check */
    put(r->message_zh, sizeof r->message_zh,
        "派出单位为%s，选派时年龄 %d 岁；乡镇（街道）不得承担选派任务（见 1.3b），不适用年龄上限",
        level, out->age);
    return;
  }
  const struct policy_param *pp = ps->age_limit;
  long limit = (long)json_integer_value(pp->value);
  const char *rule = pp->strictness == POLICY_STRICT ? "不得超过" : "原则上不超过";
  const char *local = pp->local ? "（该上限为本地规定）" : "";
  put(r->parameter, sizeof r->parameter, "%s=%ld", pp->id, limit);
  if (out->age > limit) {
    fail(r, severity(pp), "age_over_limit");
    put(r->message_zh, sizeof r->message_zh, "派出单位为%s，选派时年龄 %d 岁，超过%s %ld 岁的要求%s，%s",
        level, out->age, rule, limit, local, consequence(r->outcome));
  } else {
    put(r->message_zh, sizeof r->message_zh, "派出单位为%s，选派时年龄 %d 岁，未超过%s %ld 岁的要求%s",
        level, out->age, rule, limit, local);
  }
}

/* 1.3b: the quota may not be passed down to a subordinate unit or a township. */
static void check_employer(const struct eligibility_input *in, struct eligibility_result *out)
{
  struct eligibility_reason *r = add_reason(out, CLAUSE_EMPLOYER, "employer");
  if (strcmp(in->unit_level, "township") == 0) {
    fail(r, VERDICT_BLOCKED, "unit_township");
    put(r->message_zh, sizeof r->message_zh,
        "派出单位为乡镇（街道）级单位，不得向乡镇（街道）转嫁选派任务，不得选派");
    return;
  }
  switch (in->employer) {
  case EMPLOYER_SAME_UNIT:
    put(r->message_zh, sizeof r->message_zh, "干部为派出单位本单位人员");
    return;
  case EMPLOYER_SUBORDINATE_UNIT:
    fail(r, VERDICT_BLOCKED, "employer_subordinate");
    put(r->message_zh, sizeof r->message_zh,
        "干部所在单位为派出单位的下级单位，不得向下级单位转嫁选派任务，不得选派");
    return;
  case EMPLOYER_TOWNSHIP:
    fail(r, VERDICT_BLOCKED, "employer_township");
    put(r->message_zh, sizeof r->message_zh,
        "干部所在单位为乡镇（街道），不得向乡镇（街道）转嫁选派任务，不得选派");
    return;
  case EMPLOYER_OTHER_UNIT:
    fail(r, VERDICT_BLOCKED, "employer_other");
    put(r->message_zh, sizeof r->message_zh,
        "干部不是派出单位本单位人员，选派任务应由派出单位从本单位干部中完成，不得选派");
    return;
  }
}

static bool sanction_in_force(const struct sanction_period *s, int date)
{
  return s->start <= date && (s->end == 0 || date <= s->end);
}

/* 1.3c, 正受处分 */
static void check_sanction(const struct eligibility_input *in, struct eligibility_result *out)
{
  struct eligibility_reason *r = add_reason(out, CLAUSE_CONDUCT, "sanction");
  char day[DATE_ISO_SIZE];
  date_format_iso(in->date, day);
  for (int i = 0; i < in->sanction_count; i++) {
    const struct sanction_period *s = &in->sanctions[i];
    if (!sanction_in_force(s, in->date)) continue;
    char start[DATE_ISO_SIZE], end[DATE_ISO_SIZE];
    if (date_format_iso(s->start, start) != DATE_OK) put(start, sizeof start, "?");
    fail(r, VERDICT_BLOCKED, "sanction_in_force");
    if (s->end == 0) {
      put(r->message_zh, sizeof r->message_zh,
          "选派之日（%s）正受处分（自 %s 起，未记录处分期满日期），不得选派正受处分的干部", day,
          start);
    } else {
      date_format_iso(s->end, end);
      put(r->message_zh, sizeof r->message_zh,
          "选派之日（%s）正受处分（处分期 %s 至 %s），不得选派正受处分的干部", day, start, end);
    }
    return;
  }
  if (in->sanction_count == 0)
    put(r->message_zh, sizeof r->message_zh, "无处分记录");
  else
    put(r->message_zh, sizeof r->message_zh, "有 %d 项处分记录，选派之日（%s）均不在处分期内",
        in->sanction_count, day);
}

/* 1.3c, 表现较差 */
static void check_appraisal(const struct params *ps, const struct eligibility_input *in,
                            struct eligibility_result *out)
{
  struct eligibility_reason *r = add_reason(out, CLAUSE_CONDUCT, "appraisal");
  long window = (long)json_integer_value(ps->appraisal_window->value);
  char list[96];
  put_list_param(list, sizeof list, ps->poor_appraisal->id, ps->poor_appraisal->value);
  put(r->parameter, sizeof r->parameter, "%s;%s=%ld", list, ps->appraisal_window->id, window);
  if (!in->last_appraisal || !in->last_appraisal[0] || in->last_appraisal_year <= 0) {
    put(r->message_zh, sizeof r->message_zh, "无考核记录");
    return;
  }
  const char *name = code_name(ps->appraisal_results->value, in->last_appraisal);
  int year = in->last_appraisal_year;
  if (year < date_year(in->date) - window) {
    put(r->message_zh, sizeof r->message_zh,
        "最近一次年度考核为 %d 年度（%s），早于回看期限（%ld 年），不作为表现较差的依据", year, name,
        window);
    return;
  }
  const char *by = in->last_appraisal_by_evaluation ? "，驻村考核确定" : "";
  if (strings_contain(ps->poor_appraisal->value, in->last_appraisal)) {
    fail(r, severity(ps->poor_appraisal), "appraisal_poor");
    put(r->message_zh, sizeof r->message_zh, "最近一次年度考核（%d 年度%s）为%s，属于表现较差，%s", year, by,
        name, consequence(r->outcome));
  } else {
    put(r->message_zh, sizeof r->message_zh, "最近一次年度考核（%d 年度%s）为%s", year, by, name);
  }
}

/* 1.3d */
static void check_employment(const struct params *ps, const struct eligibility_input *in,
                             struct eligibility_result *out)
{
  struct eligibility_reason *r = add_reason(out, CLAUSE_EMPLOYMENT, "employment");
  const struct policy_param *pp = ps->blocked_employment;
  put_list_param(r->parameter, sizeof r->parameter, pp->id, pp->value);
  const json_t *types = ps->employment_types->value;
  if (!in->employment_type || !in->employment_type[0] || !find_code(types, in->employment_type)) {
    fail(r, severity(pp), "employment_unknown");
    put(r->message_zh, sizeof r->message_zh, "用工类型未记录或不在政策列出的类型中（%s），无法确认不是临聘、勤杂人员，%s",
        in->employment_type && in->employment_type[0] ? in->employment_type : "未记录",
        consequence(r->outcome));
    return;
  }
  const char *name = code_name(types, in->employment_type);
  if (strings_contain(pp->value, in->employment_type)) {
    fail(r, severity(pp), "employment_blocked");
    put(r->message_zh, sizeof r->message_zh, "用工类型为%s，属于不得选派的人员（临聘、勤杂等），%s",
        name, consequence(r->outcome));
  } else {
    put(r->message_zh, sizeof r->message_zh, "用工类型为%s", name);
  }
}

/* The rank_scale entry for code that applies to unit_type, or NULL. */
static const json_t *find_rank(const json_t *scale, const char *code, const char *unit_type)
{
  size_t i;
  const json_t *e;
  json_array_foreach(scale, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "code")), code) == 0 &&
        strings_contain(json_object_get(e, "unit_types"), unit_type))
      return e;
  }
  return NULL;
}

/* The name of the lowest rank of unit_type at or above level, for "…及以上". */
static void min_rank_name(const json_t *scale, const char *unit_type, long level, char *dst,
                          size_t n)
{
  const json_t *best = NULL;
  size_t i;
  const json_t *e;
  json_array_foreach(scale, i, e) {
    json_int_t l = json_integer_value(json_object_get(e, "level"));
    if (l >= level && strings_contain(json_object_get(e, "unit_types"), unit_type) &&
        (!best || l < json_integer_value(json_object_get(best, "level"))))
      best = e;
  }
  if (best)
    put(dst, n, "%s", json_string_value(json_object_get(best, "name_zh")));
  else
    put(dst, n, "职级等级 %ld", level);
}

/* 1.9: the first secretary's rank. */
static void check_rank(const struct params *ps, const struct eligibility_input *in,
                       struct eligibility_result *out)
{
  struct eligibility_reason *r = add_reason(out, CLAUSE_RANK, "rank");
  if (in->post != POST_FIRST_SECRETARY) {
    put(r->message_zh, sizeof r->message_zh, "岗位为%s，职级要求只适用于驻村第一书记",
        post_name_zh(in->post));
    return;
  }
  const struct policy_param *pp = ps->min_rank;
  char key[48];
  if (strcmp(in->unit_type, "party_gov") == 0)
    put(key, sizeof key, "party_gov.%s", in->unit_level);
  else
    put(key, sizeof key, "%s", in->unit_type);
  char unit[64];
  put(unit, sizeof unit, "%s%s", level_name_zh(in->unit_level), type_name_zh(in->unit_type));

  const json_t *v = json_object_get(pp->value, key);
  long min = v ? (long)json_integer_value(v) : 0;
  if (v)
    put(r->parameter, sizeof r->parameter, "%s[%s]=%ld", pp->id, key, min);
  else
    put(r->parameter, sizeof r->parameter, "%s[%s]=unset", pp->id, key);
  if (min <= 0) {
    put(r->message_zh, sizeof r->message_zh, "派出单位为%s，政策未对第一书记人选的职级作要求", unit);
    return;
  }
  const json_t *scale = ps->rank_scale->value;
  char want[96];
  min_rank_name(scale, in->unit_type, min, want, sizeof want);
  const char *rule = pp->strictness == POLICY_STRICT ? "应" : "原则上应";
  const json_t *rank = in->rank && in->rank[0] ? find_rank(scale, in->rank, in->unit_type) : NULL;
  if (!rank) {
    fail(r, severity(pp), "rank_unknown");
    put(r->message_zh, sizeof r->message_zh,
        "%s第一书记人选职级未记录或不属于该类单位的职级序列（%s），%s为%s及以上，%s", unit,
        in->rank && in->rank[0] ? in->rank : "未记录", rule, want, consequence(r->outcome));
    return;
  }
  const char *name = json_string_value(json_object_get(rank, "name_zh"));
  if (json_integer_value(json_object_get(rank, "level")) < min) {
    fail(r, severity(pp), "rank_below_minimum");
    put(r->message_zh, sizeof r->message_zh, "%s第一书记人选职级为%s，%s为%s及以上，%s", unit, name,
        rule, want, consequence(r->outcome));
  } else {
    put(r->message_zh, sizeof r->message_zh, "%s第一书记人选职级为%s，达到%s及以上的要求", unit, name,
        want);
  }
}

int eligibility_check(const struct policy *p, const struct eligibility_input *in,
                      struct eligibility_result *out)
{
  if (!out) return -1;
  if (!p || !in) return give_up(out, "input_invalid", "", "缺少政策或选派信息");
  memset(out, 0, sizeof *out);
  if (check_input(in, out) != 0) return -1;
  struct params ps;
  if (load_params(p, in, &ps, out) != 0) return -1;

  memset(out, 0, sizeof *out);
  out->age = idcard_age_on(in->birth_date, in->date);
  check_age(&ps, in, out);
  check_employer(in, out);
  check_sanction(in, out);
  check_appraisal(&ps, in, out);
  check_employment(&ps, in, out);
  check_rank(&ps, in, out);

  out->verdict = VERDICT_ELIGIBLE;
  for (int i = 0; i < out->nreasons; i++)
    if (out->reasons[i].outcome > out->verdict) out->verdict = out->reasons[i].outcome;

  /* 1.4 */
  struct priority *pr = &out->priority;
  pr->excellent = in->excellent_appraisals_recent > 0;
  pr->young = out->age <= (int)json_integer_value(ps.young_max_age->value);
  pr->party_member = in->party_member;
  pr->rural = in->rural_experience || in->agri_expertise;
  pr->score = pr->excellent + pr->young + pr->party_member + pr->rural;
  return 0;
}

const char *eligibility_verdict_name(enum verdict v)
{
  switch (v) {
  case VERDICT_ELIGIBLE: return "eligible";
  case VERDICT_NEEDS_JUSTIFICATION: return "needs_justification";
  case VERDICT_BLOCKED: return "blocked";
  }
  return NULL;
}

const char *eligibility_verdict_name_zh(enum verdict v)
{
  switch (v) {
  case VERDICT_ELIGIBLE: return "符合条件";
  case VERDICT_NEEDS_JUSTIFICATION: return "需说明理由并经审批";
  case VERDICT_BLOCKED: return "不得选派";
  }
  return NULL;
}

static const struct {
  enum post post;
  const char *name;
} POSTS[] = {
    {POST_FIRST_SECRETARY, "first_secretary"},
    {POST_TEAM_LEADER, "team_leader"},
    {POST_TEAM_MEMBER, "team_member"},
};

int eligibility_post_parse(const char *s, enum post *out)
{
  if (!s || !out) return -1;
  for (size_t i = 0; i < sizeof POSTS / sizeof POSTS[0]; i++) {
    if (strcmp(POSTS[i].name, s) == 0) {
      *out = POSTS[i].post;
      return 0;
    }
  }
  return -1;
}

const char *eligibility_post_name(enum post p)
{
  for (size_t i = 0; i < sizeof POSTS / sizeof POSTS[0]; i++)
    if (POSTS[i].post == p) return POSTS[i].name;
  return NULL;
}
