/* Unit tests for core/quote_check: every 通知：「…」 quote of the shipped policy/ganzhou.json is in
 * policy/notice.zh.txt; changing one character of one quote gets the policy refused, naming
 * the parameter and the quote; the normalisation is that of quotes.py (whitespace and quotation
 * marks ignored, "…" splits a quote into fragments). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/quote_check.h"
#include "data/policy_fixture.h"

#define NOTICE_PATH "policy/notice.zh.txt" /* tests run from the repository root */

static char *notice_text(void)
{
  FILE *f = fopen(NOTICE_PATH, "rb");
  if (!f) fail_msg("cannot read %s", NOTICE_PATH);
  char *buf = calloc(1, 1 << 16);
  assert_non_null(buf);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  fclose(f);
  assert_true(n > 1000);
  return buf;
}

static json_t *ganzhou_root(void)
{
  json_error_t e;
  json_t *root = json_load_file(GANZHOU_POLICY_PATH, 0, &e);
  if (!root) fail_msg("%s:%d: %s", GANZHOU_POLICY_PATH, e.line, e.text);
  return root;
}

/* The description of parameter id (borrowed). */
static const char *description(json_t *root, const char *id)
{
  return json_string_value(json_object_get(fixture_param(root, id), "description_zh"));
}

/* Replaces the first `from` in the description of id by `to`. */
static void edit_description(json_t *root, const char *id, const char *from, const char *to)
{
  const char *d = description(root, id);
  const char *at = d ? strstr(d, from) : NULL;
  if (!at) fail_msg("%s: \"%s\" not in its description", id, from);
  size_t len = strlen(d) - strlen(from) + strlen(to) + 1;
  char *s = malloc(len);
  assert_non_null(s);
  snprintf(s, len, "%.*s%s%s", (int)(at - d), d, to, at + strlen(from));
  json_object_set_new(fixture_param(root, id), "description_zh", json_string(s));
  free(s);
}

/* The shipped policy: every quote is verbatim, and there are quotes (the check is not vacuous). */
static void test_shipped_policy_verbatim(void **state)
{
  char *notice = notice_text();
  json_t *root = ganzhou_root();
  char err[768] = "";
  int n = quote_check_policy(root, notice, err, sizeof err);
  if (n < 0) fail_msg("refused: %s", err);
  assert_true(n >= 20);
  json_decref(root);
  free(notice);
}

struct changed_quote {
  const char *id, *from, *to, *want;
};

/* One changed character, one paraphrase, one added word: each is refused, naming the param and quote. */
static void test_changed_quote_refused(void **state)
{
  static const struct changed_quote cases[] = {
      /* the review's findings, as they were: a paraphrase shown as the notice */
      {"commendation_kinds", "评先评优、提拔使用、评定职级、评聘职称", "评优评先、提拔使用、职级晋升、职称评定",
       "(commendation_kinds): the quote 「对业绩突出"},
      {"fund_kinds", "每年保障驻村工作队不少于1万元", "派出单位要为驻村工作队每年安排不少于1万元",
       "(fund_kinds): the quote"},
      {"age_limit_city", "不超过 50 岁，县级原则上不超过 55 岁」", "不超过 50 岁，县级原则上不超过 55 岁>」",
       "(age_limit_city): the quote 「不得选派超龄干部"},
      /* one character */
      {"handover_days", "15 日交接", "15 天交接", "not in notice.zh.txt: 「严格落实15天交接过渡期要求」"},
      {"training_topics", "关于“三农”工作的重要论述", "关于“三农”工作重要论述", "(training_topics): the quote"},
      /* a fragment after an elision is checked too */
      {"adjustment_reasons", "确需调整的……", "确需调整的……一律不得调整", "not in notice.zh.txt: 「一律不得调整」"},
  };
  char *notice = notice_text();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *root = ganzhou_root();
    edit_description(root, cases[i].id, cases[i].from, cases[i].to);
    char err[768] = "";
    int n = quote_check_policy(root, notice, err, sizeof err);
    if (n != -1) fail_msg("%s: changed quote accepted", cases[i].id);
    if (!strstr(err, cases[i].want)) fail_msg("%s: error \"%s\" lacks \"%s\"", cases[i].id, err, cases[i].want);
    json_decref(root);
  }
  free(notice);
}

/* Whitespace, line breaks and quotation marks do not count; elisions split; marks delimit. */
static void test_normalisation(void **state)
{
  char *notice = notice_text();
  char *norm = quote_normalise(notice, strlen(notice));
  assert_non_null(norm);
  char why[512];
  static const char *const ok[] = {
      "通知：「严格落实15日交接过渡期要求」",                    /* "15 日" in the notice */
      "通知：“不得选派超龄干部<市级原则上不超过50岁”",           /* across a line break */
      "通知： 「通过乡村振兴大讲堂对驻村干部进行全员培训」",      /* marks of the notice dropped */
      "通知:\"每季度至少听取 1 次驻村工作队工作汇报\"",
      "通知：「派出单位每月至少……了解 1 次驻村干部在岗履职情况」",
      "通知：「市级每年举办驻村第一书记示范培训班...力争9月底前基本完成」",
      "本地参数：通知未规定天数",                                 /* no quote at all */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    int n = quote_check_text(norm, ok[i], why, sizeof why);
    if (n < 0) fail_msg("\"%s\" refused: %s", ok[i], why);
    assert_int_equal(n, strstr(ok[i], "通知：") || strstr(ok[i], "通知:") ? 1 : 0);
  }
  static const char *const bad[] = {
      "通知：「严格落实 15 日交接过渡期的要求」",
      "通知：「」",
      "通知：「……」",
      "通知：「严格落实 15 日交接过渡期要求",                     /* not closed */
      "通知：「对存在返贫风险的农户及时纳入监测对象进行帮扶」，通知：「返贫致贫风险」",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (quote_check_text(norm, bad[i], why, sizeof why) != -1) fail_msg("\"%s\" accepted", bad[i]);
  free(norm);
  free(notice);
}

static void test_no_notice(void **state)
{
  json_t *root = ganzhou_root();
  char err[256];
  assert_int_equal(quote_check_policy(root, NULL, err, sizeof err), -1);
  assert_int_equal(quote_check_policy(root, "  \n", err, sizeof err), -1);
  assert_non_null(strstr(err, "too short"));
  json_decref(root);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shipped_policy_verbatim),
      cmocka_unit_test(test_changed_quote_refused),
      cmocka_unit_test(test_normalisation),
      cmocka_unit_test(test_no_notice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
