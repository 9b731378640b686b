/* password_policy — 等保 (classified protection) assessments ask for passwords of at least
 * eight characters mixing three of four character classes, not derived from the account
 * name. The numbers are parameters because some deployments (e.g. 县级 administrators)
 * are asked for stricter settings; the 128-character cap is fixed because it bounds the
 * work the password hash does for a request.
 *
 * Length is counted in characters, not bytes: a cadre who types a Chinese phrase should not
 * find that three characters count as nine. Any non-ASCII character counts as a symbol.
 * Input is rejected if it is not valid UTF-8 (so that counting and the later hashing agree
 * on what the password is) or if it holds control characters, which cannot be typed
 * reliably on a login form and usually mean a paste went wrong. */
#include "core/password_policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum char_class { CLASS_UPPER = 1, CLASS_LOWER = 2, CLASS_DIGIT = 4, CLASS_SYMBOL = 8 };

struct password_policy password_policy_default(void)
{
  return (struct password_policy){PASSWORD_POLICY_DEFAULT_MIN_LENGTH,
                                  PASSWORD_POLICY_DEFAULT_MIN_CLASSES};
}

static bool policy_valid(const struct password_policy *p)
{
  return p->min_length >= 1 && p->min_length <= PASSWORD_POLICY_MAX_LENGTH &&
         p->min_classes >= 1 && p->min_classes <= 4;
}

/* Length of the UTF-8 sequence starting at s (1..4), or 0 if it is malformed, overlong, a
 * surrogate or beyond U+10FFFF. */
static size_t utf8_sequence(const unsigned char *s)
{
  if (s[0] < 0x80) return 1;
  size_t n;
  unsigned cp;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    n = 2;
    cp = s[0] & 0x1fu;
  } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    n = 3;
    cp = s[0] & 0x0fu;
  } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    n = 4;
    cp = s[0] & 0x07u;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0; /* also stops at the NUL */
    cp = (cp << 6) | (s[i] & 0x3fu);
  }
  static const unsigned min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

static int classify_ascii(unsigned char c)
{
  if (c >= 'A' && c <= 'Z') return CLASS_UPPER;
  if (c >= 'a' && c <= 'z') return CLASS_LOWER;
  if (c >= '0' && c <= '9') return CLASS_DIGIT;
  return CLASS_SYMBOL;
}

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* strcasestr without the locale: only ASCII letters fold, so the answer never depends on
 * setlocale() and a multi-byte character is compared byte for byte. */
static bool contains_ascii_nocase(const char *haystack, const char *needle)
{
  size_t n = strlen(needle);
  for (; *haystack; haystack++) {
    size_t i = 0;
    while (i < n && haystack[i] && ascii_lower(haystack[i]) == ascii_lower(needle[i])) i++;
    if (i == n) return true;
  }
  return false;
}

static int count_bits(int mask)
{
  int n = 0;
  for (; mask; mask &= mask - 1) n++;
  return n;
}

/* Walks the password once: character count and class mask, or a verdict on bad input. The
 * count stops just past the maximum so that a huge input costs no more than a long one. */
static enum password_verdict scan(const char *password, int *length, int *classes)
{
  const unsigned char *s = (const unsigned char *)password;
  int len = 0, mask = 0;
  while (*s && len <= PASSWORD_POLICY_MAX_LENGTH) {
    size_t n = utf8_sequence(s);
    if (n == 0) return PASSWORD_BAD_ENCODING;
    if (n == 1 && (*s < 0x20 || *s == 0x7f)) return PASSWORD_CONTROL_CHAR;
    mask |= n == 1 ? classify_ascii(*s) : CLASS_SYMBOL;
    s += n;
    len++;
  }
  *length = len;
  *classes = count_bits(mask);
  return PASSWORD_OK;
}

enum password_verdict password_policy_check(const struct password_policy *policy,
                                            const char *username, const char *password)
{
  struct password_policy p = policy ? *policy : password_policy_default();
  if (!policy_valid(&p)) return PASSWORD_BAD_POLICY;
  int length, classes;
  enum password_verdict v = scan(password ? password : "", &length, &classes);
  if (v != PASSWORD_OK) return v;
  if (length > PASSWORD_POLICY_MAX_LENGTH) return PASSWORD_TOO_LONG;
  if (length < p.min_length) return PASSWORD_TOO_SHORT;
  if (classes < p.min_classes) return PASSWORD_TOO_FEW_CLASSES;
  if (username && *username && password &&
      contains_ascii_nocase(password, username))
    return PASSWORD_CONTAINS_USERNAME;
  return PASSWORD_OK;
}

static const struct {
  enum password_verdict v;
  const char *code;
  const char *zh;
} verdicts[] = {
    {PASSWORD_OK, "ok", "密码符合要求"},
    {PASSWORD_BAD_ENCODING, "password_encoding", "密码包含无法识别的字符"},
    {PASSWORD_CONTROL_CHAR, "password_control_char", "密码不能包含控制字符（如制表符、换行）"},
    {PASSWORD_TOO_LONG, "password_too_long", "密码过长，最多128个字符"},
    {PASSWORD_TOO_SHORT, "password_too_short", "密码长度不足"},
    {PASSWORD_TOO_FEW_CLASSES, "password_too_few_classes",
     "密码须包含大写字母、小写字母、数字、特殊字符中的多种"},
    {PASSWORD_CONTAINS_USERNAME, "password_contains_username", "密码不能包含用户名"},
    {PASSWORD_BAD_POLICY, "password_bad_policy", "密码策略配置无效，请联系管理员"},
};

const char *password_policy_message_zh(enum password_verdict v)
{
  for (size_t i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++)
    if (verdicts[i].v == v) return verdicts[i].zh;
  return "密码校验出现未知错误";
}

const char *password_policy_explain_zh(enum password_verdict v, const struct password_policy *policy, char *buf,
                                       size_t len)
{
  struct password_policy d = password_policy_default();
  const struct password_policy *p = policy ? policy : &d;
  if (v == PASSWORD_TOO_SHORT)
    snprintf(buf, len, "密码太短：至少 %d 位，并包含大写字母、小写字母、数字、特殊字符中的至少 %d 种", p->min_length,
             p->min_classes);
  else if (v == PASSWORD_TOO_FEW_CLASSES)
    snprintf(buf, len, "密码须包含大写字母、小写字母、数字、特殊字符中的至少 %d 种，且至少 %d 位", p->min_classes,
             p->min_length);
  else
    snprintf(buf, len, "%s", password_policy_message_zh(v));
  return buf;
}

const char *password_policy_code(enum password_verdict v)
{
  for (size_t i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++)
    if (verdicts[i].v == v) return verdicts[i].code;
  return "password_unknown";
}
