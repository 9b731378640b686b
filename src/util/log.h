/* log — one line per event on stderr. Access log lines are JSON (one object per line) so that
 * they can be shipped and queried; diagnostic lines are "LEVEL module: text". */
#ifndef ZHUCUN_LOG_H
#define ZHUCUN_LOG_H

void log_set_quiet(int quiet);
void log_info(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One JSON line per request; `when` is the request's instant as text (core/clock's, so that a
 * server run with --now logs the instant it judged by). */
void log_access(const char *when, const char *ip, const char *method, const char *url, int status,
                const char *user, double ms, long bytes);

#endif
