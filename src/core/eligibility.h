/* eligibility — who may be sent (clauses 1.3a–d, 1.9) and who goes first (1.4), as a pure
 * function of the facts and the policy. Every check yields a reason with its clause, the
 * parameter used and a Chinese sentence, whether it passed or not, so that the official sees
 * the whole judgement and not only its failures. */
#ifndef ZHUCUN_ELIGIBILITY_H
#define ZHUCUN_ELIGIBILITY_H

#include <stdbool.h>

struct policy;

enum post { POST_FIRST_SECRETARY, POST_TEAM_LEADER, POST_TEAM_MEMBER };

enum verdict {
  VERDICT_ELIGIBLE = 0,
  VERDICT_NEEDS_JUSTIFICATION = 1,  /* a 原则上 rule is not met: allowed with a written reason + sign-off */
  VERDICT_BLOCKED = 2,
};

/* How the cadre's employer relates to the dispatching unit (computed by the store from the
 * unit tree), for 1.3b. */
enum employer_relation {
  EMPLOYER_SAME_UNIT,         /* the cadre works for the dispatching unit itself: allowed */
  EMPLOYER_SUBORDINATE_UNIT,  /* a unit below the dispatching unit: the quota was passed down */
  EMPLOYER_TOWNSHIP,          /* a township-level unit (乡镇（街道）) */
  EMPLOYER_OTHER_UNIT,        /* any other unit */
};

#define ELIGIBILITY_MAX_SANCTIONS 8

struct sanction_period { int start; int end; /* yyyymmdd, end inclusive; 0 = open-ended */ };

struct eligibility_input {
  int date;                       /* the date of dispatch, yyyymmdd */
  enum post post;
  /* the dispatching unit */
  const char *unit_level;         /* "province" | "city" | "county" | "township" */
  const char *unit_type;          /* "party_gov" | "institution" | "soe" | "other" */
  enum employer_relation employer;
  /* the cadre */
  int birth_date;                 /* yyyymmdd, from the ID number */
  const char *employment_type;    /* "established" | "contract" | "temporary" | "odd_job" | ... */
  const char *rank;               /* a code of the policy's rank scale, e.g. "section", "middle_manager" */
  const char *last_appraisal;     /* "excellent" | "competent" | "basically_competent" | "incompetent" | NULL */
  int last_appraisal_year;        /* 0 when none */
  bool last_appraisal_by_evaluation; /* the result of a confirmed 驻村考核 (annual, or of a term ended that year), not the registry's */
  int excellent_appraisals_recent;/* count of "excellent" in the policy's window of recent years */
  bool party_member;
  bool rural_experience;
  bool agri_expertise;
  int sanction_count;
  struct sanction_period sanctions[ELIGIBILITY_MAX_SANCTIONS];
};

#define ELIGIBILITY_MAX_REASONS 12

struct eligibility_reason {
  char clause[8];                 /* "1.3a" */
  char check[24];                 /* "age", "employer", "sanction", "appraisal", "employment", "rank" */
  enum verdict outcome;           /* ELIGIBLE = passed */
  char code[40];                  /* "age_over_limit", "employer_subordinate", ... ("ok" when passed) */
  char parameter[96];             /* "age_limit_city=50" — the parameter(s) used; "" for the
                                     rules the notice fixes without a parameter (employer,
                                     sanction) and for checks that do not apply */
  char message_zh[256];
};

struct priority {
  bool excellent;                 /* 优秀干部 */
  bool young;                     /* 年轻干部 (age ≤ the policy's young_max_age) */
  bool party_member;              /* 党员干部 */
  bool rural;                     /* 有农村工作经验或涉农专业技术特长 */
  int score;                      /* how many of the four */
};

struct eligibility_result {
  enum verdict verdict;           /* the worst outcome of the reasons */
  int age;                        /* exact age on the date */
  int nreasons;
  struct eligibility_reason reasons[ELIGIBILITY_MAX_REASONS];
  struct priority priority;       /* 1.4 */
};

/* Fills *out. Returns -1 when the policy lacks a parameter needed for the date, or the input is
 * invalid (unknown unit level/type, post or employer relation, a birth date that is not a date
 * or is after in->date, sanction_count outside 0..ELIGIBILITY_MAX_SANCTIONS): out then holds one
 * reason (check "policy", code "policy_missing" or "input_invalid", verdict BLOCKED) whose
 * message_zh says why; 0 otherwise. */
int eligibility_check(const struct policy *p, const struct eligibility_input *in, struct eligibility_result *out);

const char *eligibility_verdict_name(enum verdict v);     /* "eligible", "needs_justification", "blocked" */
const char *eligibility_verdict_name_zh(enum verdict v);  /* "符合条件", "需说明理由并经审批", "不得选派" */
int eligibility_post_parse(const char *s, enum post *out);/* "first_secretary" ... */
const char *eligibility_post_name(enum post p);

#endif
