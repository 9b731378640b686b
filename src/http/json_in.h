/* json_in — reading a request body and query string strictly. Each reader either gives the
 * value or writes the 400 reply (code, Chinese message, field) and returns -1, so a handler
 * stops at the first bad field and has changed nothing. */
#ifndef ZHUCUN_JSON_IN_H
#define ZHUCUN_JSON_IN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct request;
struct reply;

/* The body as a JSON object; the caller owns *out (json_decref). */
int body_object(const struct request *req, struct reply *rep, json_t **out);
/* Refuses any key not in allowed (NULL-terminated): no mass assignment. */
int fields_allowed(struct reply *rep, const json_t *obj, const char *const allowed[]);

/* Each reader: *present tells whether the field was given (NULL allowed when not needed).
 * A missing required field is `field_required`; a wrong JSON type is `field_type`;
 * a value out of range is `field_invalid`. */
int field_string(struct reply *rep, const json_t *obj, const char *name, bool required, size_t max_chars,
                 const char **out);
int field_int(struct reply *rep, const json_t *obj, const char *name, bool required, int64_t min, int64_t max,
              int64_t *out, bool *present);
int field_bool(struct reply *rep, const json_t *obj, const char *name, bool required, bool *out, bool *present);
int field_number(struct reply *rep, const json_t *obj, const char *name, bool required, double min, double max,
                 double *out, bool *present);
/* The same for a multi-line text (a report): line breaks and tabs allowed, other control characters not. */
int field_text(struct reply *rep, const json_t *obj, const char *name, bool required, size_t max_chars,
               const char **out);
/* A field that may be given as null to clear it: *is_null tells. */
bool field_is_null(const json_t *obj, const char *name);

/* ?page=&page_size= with defaults 1 and 20; page_size at most LIST_MAX_PAGE_SIZE. */
int query_page(const struct request *req, struct reply *rep, int *page, int *page_size);
/* An integer path parameter (record id). */
int param_id(const struct request *req, struct reply *rep, int index, int64_t *out);
/* An optional query argument limited in length (400 when longer). */
int query_text(const struct request *req, struct reply *rep, const char *name, size_t max_chars, const char **out);
/* True when ?format=xlsx. */
bool query_wants_xlsx(const struct request *req);

#endif
