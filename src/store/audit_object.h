/* audit_object — the object of an audit row in words: "沙洲坝村 张三 的请假" rather than
 * leave #42. Each kind of object names the village, the person and the title it belongs to,
 * read now (a renamed village shows its present name); a row whose object is gone, or a kind
 * without a query, is named by its noun and number. */
#ifndef ZHUCUN_AUDIT_OBJECT_H
#define ZHUCUN_AUDIT_OBJECT_H

#include <stddef.h>

struct db;

/* Writes the words into out (cut at a whole character); returns DB_OK or DB_ERROR. */
int audit_object_words(struct db *db, const char *entity, const char *entity_id, char *out, size_t outlen);

#endif
