/* policy_basis — the notice's sentences and the parameters in words (see policy_basis.h). */
#include "core/policy_basis.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static int put(struct strbuf *b, const char *s) { return strbuf_append(b, s, strlen(s)); }

#define QUOTE_OPEN "「"
#define QUOTE_CLOSE "」"

/* "06-30" → "6月30日"; other text as it stands. */
static int append_text(struct strbuf *b, const char *s)
{
  int m, d;
  char tail;
  if (strlen(s) == 5 && sscanf(s, "%2d-%2d%c", &m, &d, &tail) == 2 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
    return strbuf_appendf(b, "%d月%d日", m, d);
  return put(b, s);
}

static int append_scalar(struct strbuf *b, const json_t *v)
{
  if (json_is_integer(v)) return strbuf_appendf(b, "%lld", (long long)json_integer_value(v));
  if (json_is_real(v)) return strbuf_appendf(b, "%g", json_real_value(v));
  if (json_is_string(v)) return append_text(b, json_string_value(v));
  if (json_is_boolean(v)) return put(b, json_is_true(v) ? "是" : "否");
  return 0;
}

/* A list: each item's name_zh (or the item itself), joined by 、; sentences (ending in a full
 * stop or longer than a name) by ；. */
static int append_list(struct strbuf *b, const json_t *v)
{
  size_t i;
  const json_t *x;
  int rc = 0;
  json_array_foreach(v, i, x) {
    const json_t *name = json_is_object(x) ? json_object_get(x, "name_zh") : x;
    if (!name && json_is_object(x)) name = json_object_get(x, "action_zh");
    const char *s = json_string_value(name);
    if (i > 0) rc |= put(b, s && strlen(s) > 36 ? "；" : "、");
    rc |= name ? append_scalar(b, name) : 0;
  }
  return rc;
}

static int append_value(struct strbuf *b, const json_t *v)
{
  return json_is_array(v) ? append_list(b, v) : append_scalar(b, v);
}

/* {names:ID}: each code of value named through the list parameter ID. */
static int append_names(struct strbuf *b, const struct policy *p, const char *id, const json_t *value, int date)
{
  size_t i;
  const json_t *x;
  int rc = 0;
  json_array_foreach(value, i, x) {
    const char *code = json_string_value(x);
    const char *name = code ? policy_list_name(p, id, date, code) : NULL;
    if (i > 0) rc |= put(b, "、");
    rc |= put(b, name ? name : (code ? code : ""));
  }
  return rc;
}

/* {yuan:KEY}: a member of value in fen, in yuan ("80", "12.50"). */
static int append_yuan(struct strbuf *b, json_int_t fen)
{
  if (fen % 100 == 0) return strbuf_appendf(b, "%lld", (long long)(fen / 100));
  return strbuf_appendf(b, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100 < 0 ? -(fen % 100) : fen % 100));
}

static int append_slot(struct strbuf *b, const struct policy *p, const char *slot, size_t len, const json_t *value,
                       int date)
{
  char name[64];
  if (len >= sizeof name) return strbuf_appendf(b, "{%.*s}", (int)len, slot);
  memcpy(name, slot, len);
  name[len] = '\0';
  if (strcmp(name, "value") == 0) return append_value(b, value);
  if (strncmp(name, "value.", 6) == 0 && json_is_object(value) && json_object_get(value, name + 6))
    return append_value(b, json_object_get(value, name + 6));
  if (strncmp(name, "names:", 6) == 0 && json_is_array(value)) return append_names(b, p, name + 6, value, date);
  if (strncmp(name, "yuan:", 5) == 0 && json_is_object(value) && json_is_integer(json_object_get(value, name + 5)))
    return append_yuan(b, json_integer_value(json_object_get(value, name + 5)));
  return strbuf_appendf(b, "{%s}", name);
}

char *policy_basis_words(const struct policy *p, const char *words, const json_t *value, int date)
{
  struct strbuf b;
  strbuf_init(&b, 64 * 1024);
  int rc = 0;
  const char *s = words;
  while (*s && rc == 0) {
    const char *open = strchr(s, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close) { rc |= put(&b, s); break; }
    rc |= strbuf_appendf(&b, "%.*s", (int)(open - s), s);
    rc |= append_slot(&b, p, open + 1, (size_t)(close - open - 1), value, date);
    s = close + 1;
  }
  if (rc != 0) { strbuf_free(&b); return NULL; }
  char *out = strbuf_take(&b, NULL);
  return out ? out : strdup("");
}

/* The notice's words inside 通知：「…」, without the marks. */
static json_t *sentence_of(const char *text)
{
  const char *open = text ? strstr(text, QUOTE_OPEN) : NULL;
  const char *close = open ? strstr(open, QUOTE_CLOSE) : NULL;
  if (!close) return json_string(text ? text : "");
  open += strlen(QUOTE_OPEN);
  return json_stringn(open, (size_t)(close - open));
}

/* The clause id a parameter is shown under: "2.2-5.7" → the first clause starting "2.2". */
static bool shown_under(const char *param_clause, const char *clause_id, const char *first_of_range)
{
  if (strcmp(param_clause, clause_id) == 0) return true;
  return first_of_range && strcmp(first_of_range, clause_id) == 0;
}

static json_t *parameter_json(const struct policy *p, const json_t *e, int date)
{
  const char *id = json_string_value(json_object_get(e, "id"));
  const char *words = json_string_value(json_object_get(e, "words_zh"));
  const struct policy_param *in_force = policy_param(p, id, date);
  if (!words || !in_force || in_force->value != json_object_get(e, "value")) return NULL; /* another version */
  char *text = policy_basis_words(p, words, in_force->value, date);
  if (!text) return NULL;
  json_t *o = json_pack("{s:s, s:s, s:b, s:s?}", "id", id, "words", text, "local", in_force->local, "source",
                        in_force->local ? (in_force->source ? in_force->source : "本地规定") : NULL);
  free(text);
  return o;
}

/* The first clause id of the document whose id starts with the start of range ("2.2" of "2.2-5.7"). */
static const char *first_clause_of_range(const json_t *clauses, const char *range)
{
  const char *dash = strchr(range, '-');
  if (!dash) return NULL;
  size_t n = (size_t)(dash - range);
  size_t i;
  const json_t *c;
  json_array_foreach(clauses, i, c) {
    const char *id = json_string_value(json_object_get(c, "id"));
    if (id && strncmp(id, range, n) == 0 && (id[n] == '\0' || (id[n] >= 'a' && id[n] <= 'z'))) return id;
  }
  return NULL;
}

static json_t *clause_json(const struct policy *p, const json_t *c, const json_t *clauses, int date)
{
  const json_t *params = json_object_get(policy_document(p), "parameters");
  const char *id = json_string_value(json_object_get(c, "id"));
  json_t *list = json_array();
  size_t i;
  const json_t *e;
  json_array_foreach(params, i, e) {
    const char *pc = json_string_value(json_object_get(e, "clause"));
    if (!pc || !shown_under(pc, id, first_clause_of_range(clauses, pc))) continue;
    json_t *o = parameter_json(p, e, date);
    if (o) json_array_append_new(list, o);
  }
  return json_pack("{s:s, s:s, s:o, s:o}", "id", id, "topic", json_string_value(json_object_get(c, "topic_zh")),
                   "sentence", sentence_of(json_string_value(json_object_get(c, "text_zh"))), "parameters", list);
}

json_t *policy_basis_json(const struct policy *p, int date)
{
  const json_t *doc = policy_document(p);
  const json_t *parts = json_object_get(doc, "parts"), *clauses = json_object_get(doc, "clauses");
  json_t *out_parts = json_array();
  size_t i, j;
  const json_t *part, *c;
  json_array_foreach(parts, i, part) {
    const char *name = json_string_value(json_object_get(part, "part"));
    json_t *list = json_array();
    json_array_foreach(clauses, j, c)
      if (name && strcmp(json_string_value(json_object_get(c, "part")), name) == 0)
        json_array_append_new(list, clause_json(p, c, clauses, date));
    json_array_append_new(out_parts, json_pack("{s:s, s:s, s:o}", "part", name, "title",
                                               json_string_value(json_object_get(part, "title_zh")), "clauses", list));
  }
  return json_pack("{s:s, s:s, s:o}", "title", "制度依据", "source", json_string_value(json_object_get(doc, "source")),
                   "parts", out_parts);
}
