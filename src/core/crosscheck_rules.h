/* crosscheck_rules — the numbered data-quality rules (疑点比对, 5.6–5.8) that the code knows how
 * to run, by name.
 *
 * The rules themselves — number, Chinese description, clause, thresholds — are rows of the
 * policy file (parameter "cross_check_rules"); this table names, per rule code, the query that
 * finds its suspect records (enum crosscheck_rule), the kind of record it finds and whether open
 * monitoring cases are excluded. The query text itself lives in the store (store/crosscheck_queries),
 * which runs it. A rule in the file whose code is not named here is refused when the policy loads
 * (crosscheck_rules_check), so a row of data can never promise a check that does not run. */
#ifndef ZHUCUN_CROSSCHECK_RULES_H
#define ZHUCUN_CROSSCHECK_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum crosscheck_entity { CROSSCHECK_HOUSEHOLD, CROSSCHECK_ASSIGNMENT };

/* The named queries, one per rule code. */
enum crosscheck_rule {
  CROSSCHECK_DUP_ID_SAME_VILLAGE,      /* 5.6: one ID number on two households of one village */
  CROSSCHECK_MEMBER_TWO_VILLAGES,      /* 5.6: a member registered in two villages */
  CROSSCHECK_MONITORED_HIGH_INCOME,    /* 5.7: monitored, income far above the threshold */
  CROSSCHECK_LOW_INCOME_NOT_MONITORED, /* 5.7: not monitored, income below the threshold */
  CROSSCHECK_NO_HOUSEHOLD_HEAD,        /* 5.8: no 户主 on the member list */
  CROSSCHECK_CADRE_TWO_VILLAGES,       /* 1.1, 2.1: one cadre's posts overlap in time */
  CROSSCHECK_RULE_COUNT
};

struct crosscheck_rule_def {
  const char *code;         /* the rule's code in the policy file */
  enum crosscheck_rule query;
  enum crosscheck_entity entity;
  bool open_cases_excluded; /* R3: households with an open monitoring case (5.7) are not suspect */
};

/* The rule of code, or NULL. */
const struct crosscheck_rule_def *crosscheck_rule(const char *code);
/* Checks the value of "cross_check_rules": an array of {code, number, name_zh, description_zh,
 * clause (<= 7 chars), factor (optional number > 0)} whose codes are distinct and all known here. */
bool crosscheck_rules_check(const json_t *v, char *why, size_t whylen);

#endif
