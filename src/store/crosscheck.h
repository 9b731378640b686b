/* crosscheck — runs the numbered data-quality rules (疑点比对) over the registry in a scope and
 * lists the suspect records, each with its rule, a description and a link to the record, for
 * someone to verify. The rules are rows of the policy file; their queries live in
 * core/crosscheck_rules.c. */
#ifndef ZHUCUN_CROSSCHECK_H
#define ZHUCUN_CROSSCHECK_H

#include <jansson.h>

struct db;
struct scope;

/* rules: the policy's cross_check_rules (borrowed); threshold: monitoring_income_threshold.
 * region_code, only_rule: NULL for all. Returns {rules: [{code, number, name_zh, description_zh,
 * clause, count}], items, total, page, page_size}; page_size 0: every item (exports). */
json_t *crosscheck_json(struct db *db, const struct scope *scope, const json_t *rules, long threshold,
                        const char *region_code, const char *only_rule, int page, int page_size);

#endif
