/* no_post — see no_post.h. */
#include "http/no_post.h"

#include <stdio.h>

#include "http/request.h"
#include "http/server.h"
#include "store/db.h"
#include "store/post_life.h"

int reply_no_post(struct request *req, struct reply *rep, const char *refused)
{
  char why[300], msg[600];
  if (post_life_why_not_holding(req->db, req->user.cadre_id, why, sizeof why) != DB_OK) return reply_internal(rep);
  if (why[0]) snprintf(msg, sizeof msg, "%s：%s", refused, why);
  else snprintf(msg, sizeof msg, "%s", refused);
  return reply_error(rep, 403, "no_assignment", msg, NULL);
}
