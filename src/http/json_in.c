/* json_in — strict readers. Messages are for the official in front of the screen (Chinese);
 * codes are for programs. Lengths are counted in characters, not bytes, because a name of
 * 20 Chinese characters is 60 bytes. */
#include "http/json_in.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "store/list.h"

static int field_error(struct reply *rep, const char *code, const char *fmt, const char *name)
{
  char msg[256];
  snprintf(msg, sizeof msg, fmt, name);
  return reply_error(rep, 400, code, msg, name);
}

int body_object(const struct request *req, struct reply *rep, json_t **out)
{
  *out = NULL;
  if (strbuf_len(&req->body) == 0)
    return reply_error(rep, 400, "json_malformed", "请求体为空，应为 JSON 对象", NULL);
  json_error_t err;
  json_t *root = json_loadb(strbuf_cstr(&req->body), strbuf_len(&req->body), JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
  if (!root) {
    char msg[256];
    snprintf(msg, sizeof msg, "请求体不是合法的 JSON（第 %d 行第 %d 列）", err.line, err.column);
    return reply_error(rep, 400, "json_malformed", msg, NULL);
  }
  if (!json_is_object(root)) {
    json_decref(root);
    return reply_error(rep, 400, "json_not_object", "请求体应为 JSON 对象", NULL);
  }
  *out = root;
  return 0;
}

int fields_allowed(struct reply *rep, const json_t *obj, const char *const allowed[])
{
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)obj, key, value) {
    bool known = false;
    for (const char *const *a = allowed; *a && !known; a++) known = strcmp(*a, key) == 0;
    if (!known) return field_error(rep, "field_unknown", "不接受字段 %s", key);
  }
  return 0;
}

static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static bool has_control_chars(const char *s)
{
  for (; *s; s++) if ((unsigned char)*s < 0x20) return true;
  return false;
}

int field_string(struct reply *rep, const json_t *obj, const char *name, bool required, size_t max_chars,
                 const char **out)
{
  *out = NULL;
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) {
    if (required) return field_error(rep, "field_required", "字段 %s 不能为空", name);
    return 0;
  }
  if (!json_is_string(v)) return field_error(rep, "field_type", "字段 %s 应为字符串", name);
  const char *s = json_string_value(v);
  if (strlen(s) != json_string_length(v) || has_control_chars(s))
    return field_error(rep, "field_invalid", "字段 %s 含有不允许的控制字符", name);
  if (required && s[0] == '\0') return field_error(rep, "field_required", "字段 %s 不能为空", name);
  if (utf8_chars(s) > max_chars) {
    char msg[256];
    snprintf(msg, sizeof msg, "字段 %s 过长（最多 %zu 个字符）", name, max_chars);
    return reply_error(rep, 400, "field_invalid", msg, name);
  }
  *out = s;
  return 0;
}

int field_text(struct reply *rep, const json_t *obj, const char *name, bool required, size_t max_chars,
               const char **out)
{
  *out = NULL;
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) {
    if (required) return field_error(rep, "field_required", "字段 %s 不能为空", name);
    return 0;
  }
  if (!json_is_string(v)) return field_error(rep, "field_type", "字段 %s 应为字符串", name);
  const char *s = json_string_value(v);
  bool bad = strlen(s) != json_string_length(v);
  for (const char *p = s; *p && !bad; p++)
    bad = (unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t';
  if (bad) return field_error(rep, "field_invalid", "字段 %s 含有不允许的控制字符", name);
  if (required && s[0] == '\0') return field_error(rep, "field_required", "字段 %s 不能为空", name);
  if (utf8_chars(s) > max_chars) {
    char msg[256];
    snprintf(msg, sizeof msg, "字段 %s 过长（最多 %zu 个字符）", name, max_chars);
    return reply_error(rep, 400, "field_invalid", msg, name);
  }
  *out = s;
  return 0;
}

int field_int(struct reply *rep, const json_t *obj, const char *name, bool required, int64_t min, int64_t max,
              int64_t *out, bool *present)
{
  if (present) *present = false;
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) {
    if (required) return field_error(rep, "field_required", "字段 %s 不能为空", name);
    return 0;
  }
  if (!json_is_integer(v)) return field_error(rep, "field_type", "字段 %s 应为整数", name);
  json_int_t x = json_integer_value(v);
  if (x < min || x > max) {
    char msg[256];
    snprintf(msg, sizeof msg, "字段 %s 超出范围（%lld 至 %lld）", name, (long long)min, (long long)max);
    return reply_error(rep, 400, "field_invalid", msg, name);
  }
  *out = x;
  if (present) *present = true;
  return 0;
}

int field_bool(struct reply *rep, const json_t *obj, const char *name, bool required, bool *out, bool *present)
{
  if (present) *present = false;
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) {
    if (required) return field_error(rep, "field_required", "字段 %s 不能为空", name);
    return 0;
  }
  if (!json_is_boolean(v)) return field_error(rep, "field_type", "字段 %s 应为 true 或 false", name);
  *out = json_is_true(v);
  if (present) *present = true;
  return 0;
}

int field_number(struct reply *rep, const json_t *obj, const char *name, bool required, double min, double max,
                 double *out, bool *present)
{
  if (present) *present = false;
  json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) {
    if (required) return field_error(rep, "field_required", "字段 %s 不能为空", name);
    return 0;
  }
  if (!json_is_number(v)) return field_error(rep, "field_type", "字段 %s 应为数字", name);
  double x = json_number_value(v);
  if (!isfinite(x) || x < min || x > max) {
    char msg[256];
    snprintf(msg, sizeof msg, "字段 %s 超出范围（%g 至 %g）", name, min, max);
    return reply_error(rep, 400, "field_invalid", msg, name);
  }
  *out = x;
  if (present) *present = true;
  return 0;
}

bool field_is_null(const json_t *obj, const char *name)
{
  json_t *v = json_object_get(obj, name);
  return v && json_is_null(v);
}

static int parse_positive(const char *s, long max, long *out)
{
  if (!s || !*s) return -1;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > max) return -1;
  *out = v;
  return 0;
}

int query_page(const struct request *req, struct reply *rep, int *page, int *page_size)
{
  long p = 1, ps = 20;
  const char *sp = request_query(req, "page"), *sps = request_query(req, "page_size");
  if (sp && parse_positive(sp, 1000000, &p) != 0)
    return reply_error(rep, 400, "field_invalid", "页码（page）应为正整数", "page");
  if (sps && parse_positive(sps, LIST_MAX_PAGE_SIZE, &ps) != 0)
    return reply_error(rep, 400, "field_invalid", "每页条数（page_size）应为 1 至 200 的整数", "page_size");
  *page = (int)p;
  *page_size = (int)ps;
  return 0;
}

int param_id(const struct request *req, struct reply *rep, int index, int64_t *out)
{
  long v;
  if (parse_positive(req->params[index], 0x7fffffffL, &v) != 0)
    return reply_error(rep, 404, "not_found", "记录不存在", NULL);
  *out = v;
  return 0;
}

int query_text(const struct request *req, struct reply *rep, const char *name, size_t max_chars, const char **out)
{
  *out = request_query(req, name);
  if (*out && (utf8_chars(*out) > max_chars || has_control_chars(*out))) {
    *out = NULL;
    return field_error(rep, "field_invalid", "查询参数 %s 过长或含有非法字符", name);
  }
  return 0;
}

bool query_wants_xlsx(const struct request *req)
{
  const char *f = request_query(req, "format");
  return f && strcmp(f, "xlsx") == 0;
}
