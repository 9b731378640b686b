/* audit_list — see the header. One list_query: the count and the page share the filter. */
#include "store/audit_list.h"

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/rows.h"
#include "util/log.h"

json_t *audit_list_json(struct db *db, const char *action, const char *username, int page, int page_size)
{
  const struct sql_param params[] = {{":action", action ? action : "", 0}, {":user", username ? username : "", 0}};
  json_t *list = list_query(
      db,
      "a.id AS id, a.at AS at, " SQL_CST_DATETIME("a.at") " AS time, a.username AS username,"
      " a.action AS action, a.entity AS entity, a.entity_id AS entity_id, a.ip AS ip, a.detail AS detail,"
      " coalesce(u.display_name, '') AS display_name, coalesce(u.role, '') AS role",
      "audit a LEFT JOIN \"user\" u ON u.id = a.user_id AND a.user_id > 0"
      " WHERE (:action = '' OR a.action = :action) AND (:user = '' OR a.username = :user)",
      "a.id DESC", params, 2, NULL, query_row_object, page, page_size);
  if (!list) log_error("audit_list", "reading the audit log failed (page %d)", page);
  return list;
}
