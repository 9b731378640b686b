/* no_post — the refusal a cadre gets for an act that needs a post (a check-in, a visit, a log, a
 * leave, a report) on a day they hold none, with the reason taken from the post's life: "您在沙洲
 * 坝村的驻村任务已于 2026-05-31 因召回结束（1.8）". A recalled cadre or one whose term is over
 * learns why, not only that (1.1, 1.8). */
#ifndef ZHUCUN_NO_POST_H
#define ZHUCUN_NO_POST_H

struct request;
struct reply;

/* 403 no_assignment: "<refused>：<reason>" (refused e.g. "当前没有在岗的驻村任务，不能打卡"). Returns -1. */
int reply_no_post(struct request *req, struct reply *rep, const char *refused);

#endif
