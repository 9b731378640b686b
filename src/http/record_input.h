/* record_input — what the handlers of funds (3.4, 3.5), training (4.1–4.5) and commendations
 * (3.7) read alike: dates and years, coded values from the policy's lists, optional ids in the
 * query, a record's place against the month lock, and the obligation rows of the policy.
 * Each reader writes the 4xx reply (field, Chinese message, English code) and returns -1. */
#ifndef ZHUCUN_RECORD_INPUT_H
#define ZHUCUN_RECORD_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct request;
struct reply;
struct policy;

/* A date YYYY-MM-DD in 2000..2100; not after today unless allow_future. */
int rec_date(const struct request *req, struct reply *rep, const char *s, const char *field, bool allow_future, int *out);
/* ?year=YYYY (2000..2100), default this year. */
int rec_query_year(const struct request *req, struct reply *rep, int *year);
/* ?name=ID, 0 when absent. */
int rec_query_id(const struct request *req, struct reply *rep, const char *name, int64_t *out);
/* ?name= one of the NULL-terminated values, or NULL when absent/empty. */
int rec_query_enum(const struct request *req, struct reply *rep, const char *name, const char *const values[],
                   const char **out);
/* ?region= a region code of 2..12 digits, or NULL. */
int rec_query_region(const struct request *req, struct reply *rep, const char **out);
/* code must be in the policy list list_id: 400 field_invalid otherwise; *item borrowed. */
int rec_coded(const struct request *req, struct reply *rep, const char *list_id, const char *code, const char *field,
              const json_t **item);
/* Adds "<key>_name" to row from the policy list. */
void rec_add_name(const struct request *req, json_t *row, const char *key, const char *list_id);
/* 423 period_locked when records dated `date` at a place under region_path no longer change
 * (record_lock_days after the month's end, unless reopened). */
int rec_check_lock(struct request *req, struct reply *rep, const char *date, const char *region_path,
                   const char *field);
/* The obligations row (policy "obligations") whose evidence is `evidence`, or NULL. */
const json_t *rec_obligation(const struct request *req, const char *evidence);
/* The reason of a withdrawal: {reason} required, 1..500 characters. *body owned by the caller. */
int rec_withdraw_body(struct request *req, struct reply *rep, json_t **body, const char **reason);
/* decimal text of an id */
const char *rec_id_text(int64_t id, char buf[24]);

#endif
