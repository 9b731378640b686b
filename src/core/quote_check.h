/* quote_check — every text the policy presents as the notice's words is the notice's words.
 *
 * The policy file quotes the notice as 通知：「…」 (or 通知：“…” / 通知："…"). Such a quote must
 * be a verbatim part of policy/notice.zh.txt, the published text. Both are compared after the
 * same normalisation as /work/shared/tools/quotes.py: all whitespace removed (the notice is
 * wrapped at arbitrary places, "15 日" and "15日" are the same words) and all quotation marks
 * removed (“” "" ‘’ 「」: the notice writes some quotes with straight or curly marks). An elision
 * "…" (or "...") splits a quote into fragments; each non-empty fragment must appear in the
 * notice. Unlike quotes.py, a 「…」 quote ends at its own 」, so that a quote containing “三农”
 * is checked whole, not up to its first inner mark.
 *
 * A policy with one quote that is not verbatim is refused when it loads, naming the parameter
 * and the quote: a citation the official cannot find in the notice is worse than none. */
#ifndef ZHUCUN_QUOTE_CHECK_H
#define ZHUCUN_QUOTE_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* text without whitespace and quotation marks, newly allocated (NULL when out of memory). */
char *quote_normalise(const char *text, size_t len);

/* Whether the quote (the characters between its marks) is in the normalised notice. When it
 * is not, the first fragment that is missing is copied (normalised) into missing. */
bool quote_in_notice(const char *notice_norm, const char *quote, size_t len, char *missing,
                     size_t missinglen);

/* Checks every quote of text. Returns how many there are, or -1 with why set at the first one
 * that is not verbatim, unclosed or empty. */
int quote_check_text(const char *notice_norm, const char *text, char *why, size_t whylen);

/* Checks every string of the policy document (root) against the notice's text (as read from
 * notice.zh.txt). Returns the number of quotes found, or -1 with err naming the parameter
 * (index and id) and the quote. */
int quote_check_policy(const json_t *root, const char *notice_text, char *err, size_t errlen);

#endif
