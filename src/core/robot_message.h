/* robot_message — the request a group robot expects, as each platform documents it (issue 13).
 *
 * DingTalk (钉钉) custom robot with 加签: POST <webhook>&timestamp=<ms>&sign=<s>, where s is
 * urlencode(base64(HMAC-SHA256(key = secret, message = "<ms>\n<secret>"))); the body
 * {"msgtype":"text","text":{"content":…}}; the answer {"errcode":0,"errmsg":"ok"}. DingTalk refuses
 * a timestamp more than an hour from its own clock.
 * WeCom (企业微信) group robot: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key> (the
 * key is part of the webhook), the same text body, the same errcode answer.
 * Neither platform takes an idempotency key; the sender adds its own as the X-Zhucun-Idempotency-Key
 * header (and a relay or receiver that honours it drops a repeat). Pure functions, no I/O. */
#ifndef ZHUCUN_ROBOT_MESSAGE_H
#define ZHUCUN_ROBOT_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

/* The DingTalk signature for timestamp_ms and secret, URL-encoded: 0, or -1 when out is too short. */
int robot_dingtalk_sign(int64_t timestamp_ms, const char *secret, char *out, size_t len);
/* The URL to POST to: the webhook, with the timestamp and signature appended for DingTalk when a
 * secret is given. malloc'd; NULL on failure. kind: "dingtalk" or "wecom". */
char *robot_url(const char *kind, const char *webhook, const char *secret, int64_t timestamp_ms);
/* The JSON body: a text message "【title】body". malloc'd; NULL on failure. */
char *robot_body(const char *title, const char *body);
/* Whether a platform's answer (HTTP 200 body) says the message was taken: errcode 0. On refusal
 * reason holds the platform's errcode and errmsg. */
int robot_answer_ok(const char *answer, char *reason, size_t len);

/* A webhook zhucun may post to: https://…, or http://127.0.0.1:… (a relay on this machine, and the
 * tests' receiver); nothing else, no user:password@, no spaces. */
int robot_webhook_allowed(const char *url);
/* Whether instant t (China Standard Time) falls in the quiet hours [start, end) ("22:00", "07:00";
 * a window may cross midnight; start == end or either empty: never quiet). */
int robot_in_quiet_hours(int64_t t, const char *start, const char *end);
/* "HH:MM" with HH 00–23 and MM 00–59. */
int robot_hhmm_valid(const char *s);

#endif
