/* not_found — see not_found.h. */
#include "http/not_found.h"

#include "http/request.h"
#include "store/db.h"
#include "util/log.h"

int reply_not_found(const struct request *req, struct reply *rep, const char *message_zh, const char *field)
{
  if (req->db && db_failures(req->db) != req->db_failures) {
    log_error("http", "a record read failed: %s answered 500, not 404 (%s)", rep->route ? rep->route : "-",
              message_zh);
    return reply_internal(rep);
  }
  return reply_error(rep, 404, "not_found", message_zh, field);
}
