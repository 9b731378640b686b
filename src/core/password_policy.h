/* password_policy — password complexity rules (等级保护 / GB/T 22239 身份鉴别 requirements). */
#ifndef ZHUCUN_PASSWORD_POLICY_H
#define ZHUCUN_PASSWORD_POLICY_H

#include <stddef.h>

#define PASSWORD_POLICY_MAX_LENGTH 128 /* characters; a cap that keeps hashing cost bounded */
#define PASSWORD_POLICY_DEFAULT_MIN_LENGTH 8
#define PASSWORD_POLICY_DEFAULT_MIN_CLASSES 3

struct password_policy {
  int min_length;  /* characters (UTF-8 code points), 1..PASSWORD_POLICY_MAX_LENGTH */
  int min_classes; /* of upper, lower, digit, symbol: 1..4 */
};

enum password_verdict {
  PASSWORD_OK = 0,
  PASSWORD_BAD_ENCODING,      /* not valid UTF-8 */
  PASSWORD_CONTROL_CHAR,      /* a control character (tab, newline, DEL, ...) */
  PASSWORD_TOO_LONG,
  PASSWORD_TOO_SHORT,
  PASSWORD_TOO_FEW_CLASSES,
  PASSWORD_CONTAINS_USERNAME, /* the user name appears in it, ignoring ASCII case */
  PASSWORD_BAD_POLICY,        /* the policy itself is out of range */
};

/* {8, 3}. */
struct password_policy password_policy_default(void);

/* Judges password for username under policy (NULL means the default). A NULL password is
 * judged as empty; a NULL or empty username skips the user-name rule. Rules are tried in the
 * order of the enum and the first failure is returned. */
enum password_verdict password_policy_check(const struct password_policy *policy,
                                            const char *username, const char *password);

/* Chinese message for the form and a stable machine code ("password_too_short"). The
 * messages do not repeat the policy's numbers; the caller knows them. */
const char *password_policy_message_zh(enum password_verdict v);
/* The message with the policy's numbers, so that the user learns what to type ("密码至少 12 位…"),
 * not only what was wrong; into buf (always terminated). Returns buf. */
const char *password_policy_explain_zh(enum password_verdict v, const struct password_policy *policy, char *buf,
                                       size_t len);
const char *password_policy_code(enum password_verdict v);

#endif
