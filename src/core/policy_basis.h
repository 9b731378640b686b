/* policy_basis — the rules as officials read them (制度依据): the notice's sentences, part by
 * part and clause by clause, each followed by the parameters that carry it, in plain words
 * ("驻村干部每月在村不少于 20 天"), with the source of every parameter the notice does not set.
 *
 * The sentences are the policy file's "clauses" (each 通知：「…」 checked verbatim when the file
 * loads, core/quote_check); the words are each parameter's words_zh, a sentence with slots
 * filled from the value in force:
 *   {value}          a number or text; a list of {code, name_zh} as its names joined by 、
 *   {value.KEY}      a member of an object value ("06-30" reads 6月30日)
 *   {names:ID}       a list of codes named through the list parameter ID (临聘、勤杂)
 *   {yuan:KEY}       the member KEY of an object value, an amount in fen, shown in yuan (80, 12.50)
 * A parameter without words_zh is left out (its raw value is on the administrators' page). */
#ifndef ZHUCUN_POLICY_BASIS_H
#define ZHUCUN_POLICY_BASIS_H

#include <jansson.h>
#include <stddef.h>

#include "core/policy.h"

/* The words of one template for the value of the parameter in force on date: newly allocated,
 * NULL when out of memory. An unknown slot is written as it stands, so a mistake shows. */
char *policy_basis_words(const struct policy *p, const char *words, const json_t *value, int date);

/* {title, source, parts: [{part, title, clauses: [{id, topic, sentence, parameters:
 * [{id, words, local, source}]}]}]} for date (yyyymmdd); NULL when out of memory. A parameter
 * whose clause is a range ("2.2-5.7") is shown under the first clause of the range. */
json_t *policy_basis_json(const struct policy *p, int date);

#endif
