/* request — small accessors over the request and the reply shapes every handler uses. */
#include "http/request.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

const char *request_query(const struct request *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *request_header(const struct request *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *request_cookie(const struct request *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

void reply_json(struct reply *rep, int status, json_t *body)
{
  if (!body && status >= 200 && status < 300) {
    log_error("reply", "%s %s: no body for status %d (a store call failed): answered 500",
              rep->method ? rep->method : "-", rep->route ? rep->route : "-", status);
    reply_internal(rep);
    return;
  }
  json_decref(rep->json);
  rep->status = status;
  rep->json = body;
}

void reply_no_content(struct reply *rep)
{
  json_decref(rep->json);
  rep->json = NULL;
  rep->status = 204;
}

int reply_error(struct reply *rep, int status, const char *code, const char *message_zh, const char *field)
{
  json_t *err = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", message_zh,
                          "field", field);
  reply_json(rep, status, err);
  return -1;
}

int reply_internal(struct reply *rep)
{
  return reply_error(rep, 500, "internal", "服务器内部错误，请稍后重试", NULL);
}

void reply_file(struct reply *rep, int fd, size_t len, const char *content_type)
{
  rep->status = 200;
  rep->has_file = true;
  rep->file_fd = fd;
  rep->file_len = len;
  rep->content_type = content_type;
}

void reply_free(struct reply *rep)
{
  json_decref(rep->json);
  free(rep->raw);
  if (rep->has_file) close(rep->file_fd);
  free(rep->set_cookie);
  free(rep->disposition);
  memset(rep, 0, sizeof *rep);
}
