/* audit_words — the audit log in words (issue 14): what each action code means in Chinese
 * ("leave.approve" → 批准请假), what each kind of object is called (leave → 请假), and the
 * details of a row as "原因：因病；天数：3" instead of JSON. One table for the whole program: a
 * test greps every action code written to the log anywhere in src/ and fails when one has no
 * phrase here. The codes themselves stay in the log (they are what the hash chain covers);
 * only the audit administrator's 技术详情 shows them. */
#ifndef ZHUCUN_AUDIT_WORDS_H
#define ZHUCUN_AUDIT_WORDS_H

#include <jansson.h>

/* 中文 for an action code, or NULL when the table has none. */
const char *audit_action_phrase(const char *action);
/* What an object of this entity is called (请假, 选派, 账号 ...), or NULL. */
const char *audit_entity_noun(const char *entity);
/* The whole table, [{code, phrase}], for the test and for the filter's choices. */
json_t *audit_phrases_json(void);
/* The details (JSON text) in words: the fields the table names, "名称：值" joined by "；";
 * newly allocated ("" when none is named or the text is not a JSON object), NULL when out of memory. */
char *audit_detail_words(const char *detail_json);

#endif
