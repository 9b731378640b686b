/* demo_post_life — the demo's posts in the middle of their lives (1.1, 1.6, 1.7, 1.8), in the
 * township the demo accounts oversee (瑞金市沙洲坝镇): a rotation whose 15-day handover is running, a recall
 * that left a village without its first secretary (空缺), and a term that ends within the notice
 * period with nobody yet named to follow. Chosen among the township's last staffed key villages, so
 * that the demo cadre's village and the first ones the tests read stay as they were. */
#ifndef ZHUCUN_DEMO_POST_LIFE_H
#define ZHUCUN_DEMO_POST_LIFE_H

#include <stdint.h>

struct db;
struct post_rules;

/* The three stories, then every post brought to its state on now's day. */
int demo_post_life(struct db *db, const char *township_code, const struct post_rules *rules, int64_t now);

#endif
