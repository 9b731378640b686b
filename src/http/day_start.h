/* day_start — the first request of each day (by the one clock) brings the posts to that day's
 * state (store/post_life): a term that ended yesterday, a handover's day 16, a recall that takes
 * effect today. The work is done once per day per process, by whichever worker gets there first;
 * the others go on at once. A failure is logged and tried again by the next request. */
#ifndef ZHUCUN_DAY_START_H
#define ZHUCUN_DAY_START_H

struct request;
struct post_rules;

void day_start(struct request *req);
/* The parameters of a post's life in force today, from policy/ganzhou.json. */
void day_post_rules(const struct request *req, struct post_rules *out);

#endif
