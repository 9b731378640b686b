/* policy_loads — which policy file the server runs under. Changing the policy in force is an
 * audited act: when the server starts with a file whose content differs from the last one it
 * ran under, the change is recorded with both hashes, in this table and in the audit log. */
#ifndef ZHUCUN_POLICY_LOADS_H
#define ZHUCUN_POLICY_LOADS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct db;

/* SHA-256 (hex) of a buffer. */
void policy_loads_hash(const void *data, size_t len, char out[65]);
/* Records the load of the file with this hash if it differs from the last; *changed tells. */
int policy_loads_record(struct db *db, const char *sha256, const char *path, int64_t now, bool *changed);

#endif
