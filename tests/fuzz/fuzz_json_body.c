/* libFuzzer harness for the JSON body of every write: body_object → fields_allowed →
 * field_string/text/int/number/bool → idcard_validate, date_parse_iso (the security review's
 * harness, appendix A). Built and run by the fuzz suite of tests/run_all.sh (tests/fuzz/run.sh).
 * Beyond the sanitizers: a field the reader accepts is within the bounds it was asked for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"
#include "http/json_in.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
  if (!ok) abort();
}

static void read_fields(json_t *body)
{
  static const char *const ALLOWED[] = {"name", "id_number", "text", "lat", "n", "b", "date", NULL};
  struct reply r = {0};
  const char *s = NULL;
  int64_t i;
  double d;
  bool b, present;
  (void)fields_allowed(&r, body, ALLOWED);
  reply_free(&r);
  if (field_string(&r, body, "name", false, 50, &s) == 0 && s) { int x; (void)date_parse_iso(s, &x); }
  reply_free(&r);
  if (field_string(&r, body, "id_number", true, 18, &s) == 0 && s) {
    struct idcard_info info;
    (void)idcard_validate(s, 20261205, &info);
  }
  reply_free(&r);
  (void)field_text(&r, body, "text", false, 20000, &s);
  reply_free(&r);
  if (field_number(&r, body, "lat", false, -90, 90, &d, &present) == 0 && present) check(d >= -90 && d <= 90);
  reply_free(&r);
  if (field_int(&r, body, "n", false, 1, INT64_MAX, &i, &present) == 0 && present) check(i >= 1);
  reply_free(&r);
  (void)field_bool(&r, body, "b", false, &b, &present);
  reply_free(&r);
  if (field_string(&r, body, "date", false, 10, &s) == 0 && s) {
    int x;
    if (date_parse_iso(s, &x) == 0) { char o[DATE_ISO_SIZE]; date_format_iso(x, o); }
  }
  reply_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct request req;
  memset(&req, 0, sizeof req);
  strbuf_init(&req.body, 1u << 20);
  if (strbuf_append(&req.body, data, size) != 0) { strbuf_free(&req.body); return 0; }
  struct reply rep = {0};
  json_t *body = NULL;
  if (body_object(&req, &rep, &body) == 0) {
    check(json_is_object(body));
    read_fields(body);
    json_decref(body);
  } else {
    check(rep.status >= 400 && rep.status < 500);
  }
  reply_free(&rep);
  strbuf_free(&req.body);
  return 0;
}
