/* policy — the notice's numbers as dated data (policy/ganzhou.json), never literals in C.
 *
 * Each parameter has an id, the clause it comes from, the date from which it holds, whether
 * the rule is strict or 原则上 (in principle: an exception needs a written justification and
 * the approver's sign-off), and a value (number, string, list or object). Several versions of
 * one id may coexist with different "from" dates; the one in force on a date is the latest
 * whose "from" is not after it. A new notice changes this file, not the code. A parameter the
 * notice does not set (local: true) names its own source ("本地参数（通知未作规定）", a national
 * rule, ...), and every 通知：「…」 quote is the notice's words (core/quote_check.h). */
#ifndef ZHUCUN_POLICY_H
#define ZHUCUN_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum policy_strictness { POLICY_STRICT, POLICY_IN_PRINCIPLE };

struct policy_param {
  const char *id;             /* "age_limit_city" */
  const char *clause;         /* "1.3a" */
  int from;                   /* yyyymmdd */
  enum policy_strictness strictness;
  bool local;                 /* set by local rules, not by the notice itself */
  const char *source;         /* where a rule that is not the notice's comes from; NULL: the notice */
  const char *description_zh;
  const json_t *value;        /* borrowed from the policy */
};

struct policy;

/* Takes a reference to root (the parsed file) and checks it: every parameter has id, clause,
 * from (YYYY-MM-DD), strictness ("strict"/"in_principle") and value; the parameters the code
 * needs (policy_required_ids) are present. On error returns -1 with a message in err. */
int policy_from_json(json_t *root, struct policy **out, char *err, size_t errlen);
void policy_free(struct policy *p);
/* The whole document, for GET /api/v1/policy (borrowed). */
const json_t *policy_document(const struct policy *p);

/* The version of parameter id in force on date (yyyymmdd), or NULL. */
const struct policy_param *policy_param(const struct policy *p, const char *id, int date);
/* Convenience readers: the value in force as an integer / its list membership. Return -1 /
 * false when the parameter is missing or of another type. */
long policy_int(const struct policy *p, const char *id, int date);
bool policy_list_contains(const struct policy *p, const char *id, int date, const char *item);

/* The item {code, name_zh, ...} whose code is `code` in the list parameter id in force on date,
 * or NULL (no such parameter, not a list, or the code is not listed). Every coded field of a
 * form (leave type, adjustment reason, violation kind, ...) is checked and named through this. */
const json_t *policy_list_item(const struct policy *p, const char *id, int date, const char *code);
/* Its name_zh, or NULL. */
const char *policy_list_name(const struct policy *p, const char *id, int date, const char *code);

/* NULL-terminated list of the parameter ids the code reads. */
const char *const *policy_required_ids(void);

#endif
