/* curl_call — see curl_call.h. */
#include "http/curl_call.h"

#include <stdio.h>
#include <string.h>

static size_t on_data(char *data, size_t size, size_t n, void *cls)
{
  struct curl_answer *a = cls;
  size_t bytes = size * n, room = sizeof a->text - 1 - a->len;
  size_t take = bytes < room ? bytes : room;
  memcpy(a->text + a->len, data, take);
  a->len += take;
  a->text[a->len] = '\0';
  return bytes;
}

/* Abandons a request in flight when the server stops. */
static int on_progress(void *cls, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
  (void)a; (void)b; (void)c; (void)d;
  return cls && atomic_load((atomic_bool *)cls) ? 1 : 0;
}

static void set_options(CURL *c, const struct curl_request *rq, struct curl_answer *a)
{
  curl_easy_setopt(c, CURLOPT_URL, rq->url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(rq->timeout < 5 ? rq->timeout : 5));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)rq->timeout);
  if (rq->headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, rq->headers);
  if (rq->body) curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, rq->stopping);
}

int curl_call(const struct curl_request *rq, struct curl_answer *a, char *reason, size_t len)
{
  a->status = 0;
  a->len = 0;
  a->text[0] = '\0';
  CURL *c = curl_easy_init();
  if (!c) { snprintf(reason, len, "内存不足"); return -1; }
  set_options(c, rq, a);
  CURLcode res = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
  curl_easy_cleanup(c);
  if (res == CURLE_OPERATION_TIMEDOUT) snprintf(reason, len, "超时（%d 秒内未应答）", rq->timeout);
  else if (res != CURLE_OK) snprintf(reason, len, "发送失败：%s", curl_easy_strerror(res));
  return res == CURLE_OK ? 0 : -1;
}

struct curl_slist *curl_json_headers(const char *idem_key, const char *const *more, int n)
{
  char key[160];
  snprintf(key, sizeof key, "X-Zhucun-Idempotency-Key: %s", idem_key);
  struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
  for (int i = -1; h && i < n; i++) {
    struct curl_slist *next = curl_slist_append(h, i < 0 ? key : more[i]);
    if (!next) { curl_slist_free_all(h); return NULL; }
    h = next;
  }
  return h;
}
