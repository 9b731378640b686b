/* person_message — the requests of the channels that reach one person (issue 13, part 1). Pure functions.
 *
 * 短信 (SMS) through an HTTP gateway: the system administrator gives the gateway's URL, a JSON body
 * template with the placeholders {phone} and {text}, and an auth header; each message is one POST with
 * the template filled in (both values JSON-escaped), answered 2xx when taken. The text is at most 70
 * characters (one SMS in Chinese), cut with "…", and carries no run of 11 or more digits (no ID number
 * or phone slips through).
 * 企业微信应用消息 (WeCom application message), as WeCom documents it:
 *   GET  <base>/cgi-bin/gettoken?corpid=ID&corpsecret=SECRET → {"errcode":0,"access_token":…,"expires_in":7200}
 *   POST <base>/cgi-bin/message/send?access_token=TOKEN
 *        {"touser":"<userid>","msgtype":"text","agentid":N,"text":{"content":…}} → {"errcode":0,…}
 * errcode 40014 (invalid token) or 42001 (token expired) asks for a new token. */
#ifndef ZHUCUN_PERSON_MESSAGE_H
#define ZHUCUN_PERSON_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#define SMS_TEXT_MAX 70

/* "【title】body" cut to SMS_TEXT_MAX characters (the last one "…" when cut), digit runs of 11+ dropped.
 * malloc'd; NULL on failure. */
char *sms_text(const char *title, const char *body);
/* Whether template is a JSON object once {phone} and {text} are filled in, and holds both. */
int sms_template_ok(const char *template);
/* The body to POST: template with {phone} and {text} replaced (JSON-escaped). malloc'd; NULL on failure. */
char *sms_body(const char *template, const char *phone, const char *text);

/* The WeCom text message to touser. malloc'd; NULL on failure. */
char *wecom_app_body(const char *touser, int64_t agentid, const char *title, const char *body);
/* gettoken's answer: 0 with the token copied and *expires_in, or -1 with the reason. */
int wecom_token_answer(const char *answer, char *token, size_t len, int64_t *expires_in, char *reason, size_t rlen);
/* Whether message/send's answer says the token is invalid or expired (errcode 40014 or 42001). */
int wecom_token_refused(const char *answer);
/* A URL component percent-encoded into out: 0, or -1 when out is too short. */
int url_escape(const char *s, char *out, size_t len);

#endif
