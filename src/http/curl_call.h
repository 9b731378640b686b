/* curl_call — the one way the sender thread (http/sender, sender_person, sender_webhooks) talks HTTP to
 * the platforms around zhucun (issue 13): one request with libcurl, POST when a body is given (else GET),
 * with the headers given, http and https only, no redirects, TLS verified (peer and host), a connect
 * timeout of at most 5 s and the whole request within the delivery parameters' timeout, abandoned as
 * soon as the server stops. The answer is kept up to CURL_ANSWER_MAX - 1 bytes (the rest read and
 * dropped), always NUL-terminated. A transport failure comes back as a short Chinese reason for the
 * delivery's last_error; any HTTP status is the caller's to judge. */
#ifndef ZHUCUN_CURL_CALL_H
#define ZHUCUN_CURL_CALL_H

#include <curl/curl.h>
#include <stdatomic.h>
#include <stddef.h>

#define CURL_ANSWER_MAX 4096

struct curl_answer {
  long status; /* the HTTP status, 0 when none came */
  size_t len;
  char text[CURL_ANSWER_MAX];
};

struct curl_request {
  const char *url;
  const char *body;           /* POSTed when set; else a GET */
  struct curl_slist *headers; /* may be NULL */
  int timeout;                /* seconds */
  atomic_bool *stopping;      /* set: the request is abandoned */
};

/* 0 with the answer's status and text, or -1 with the reason (timeout, refused, out of memory …). */
int curl_call(const struct curl_request *rq, struct curl_answer *a, char *reason, size_t len);

/* "Content-Type: application/json; charset=utf-8", "X-Zhucun-Idempotency-Key: idem_key", then the n lines
 * of more (each "Name: value"); NULL when out of memory. Freed with curl_slist_free_all. */
struct curl_slist *curl_json_headers(const char *idem_key, const char *const *more, int n);

#endif
