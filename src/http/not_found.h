/* not_found — the answer to a single record that a store read returned as NULL, which is NULL both for a
 * row that is not there (or not in the caller's scope) and for a read that failed. The store reports
 * every failure on the connection (store/db.h, db_failures); if the connection has reported one since the
 * handler began, the NULL was a failure and the answer is 500 (the failure is in the log), never 404 —
 * a record must not be told missing because the database could not be read. */
#ifndef ZHUCUN_NOT_FOUND_H
#define ZHUCUN_NOT_FOUND_H

struct request;
struct reply;

/* 404 not_found with message_zh and field (may be NULL), or 500 internal when a read of this request
 * failed. Always returns -1, as reply_error. */
int reply_not_found(const struct request *req, struct reply *rep, const char *message_zh, const char *field);

#endif
