/* audit_list — the audit log read back as a list (审计日志查询) for the audit administrator: newest
 * first, filtered by action code and by username, paged like every list (store/list). Each row
 * carries what the log holds (id, at, time in Beijing time, username, action, entity, entity_id, ip,
 * detail) and who the account is today (display_name, role: "" for the system's own acts and for
 * failed logins). The words — who, what, to what — are the reader's business (http/h_audit). */
#ifndef ZHUCUN_AUDIT_LIST_H
#define ZHUCUN_AUDIT_LIST_H

#include <jansson.h>

struct db;

/* action, username: "" or NULL for any. page_size 0: every row (exports). Returns {items, total,
 * page, page_size}, or NULL on a database error (logged). */
json_t *audit_list_json(struct db *db, const char *action, const char *username, int page, int page_size);

#endif
