/* h_policy — the policy in force, three ways:
 *   GET /api/v1/policy         the raw file with its hash, for the administrators alone (issue 14:
 *                              keys, English values and a SHA-256 are what only the system needs);
 *   GET /api/v1/policy/basis   制度依据: the notice's sentences and the parameters in words, for
 *                              every logged-in user (core/policy_basis);
 *   GET /api/v1/policy/values  the parameters' ids, dates and values, which the forms need (leave
 *                              types, adjustment reasons, ...), for every logged-in user. */
#include "core/policy.h"
#include "core/policy_basis.h"
#include "core/roles.h"
#include "http/handlers.h"
#include "http/server.h"

int api_policy_get(struct request *req, struct reply *rep)
{
  if (!req->user.role || !req->user.role->admin)
    return reply_error(rep, 403, "forbidden", "政策参数原始文件只供系统管理员查看；政策规定请看“制度依据”", NULL);
  json_t *doc = json_deep_copy(policy_document(req->app->policy));
  if (!doc) return reply_internal(rep);
  json_object_set_new(doc, "sha256", json_string(req->app->policy_sha256));
  reply_json(rep, 200, doc);
  return 0;
}

int api_policy_basis_get(struct request *req, struct reply *rep)
{
  json_t *basis = policy_basis_json(req->app->policy, req->today);
  if (!basis) return reply_internal(rep);
  reply_json(rep, 200, basis);
  return 0;
}

int api_policy_values_get(struct request *req, struct reply *rep)
{
  const json_t *params = json_object_get(policy_document(req->app->policy), "parameters");
  json_t *out = json_array();
  size_t i;
  const json_t *e;
  json_array_foreach(params, i, e)
    json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(e, "id"), "clause",
                                         json_object_get(e, "clause"), "from", json_object_get(e, "from"), "value",
                                         json_object_get(e, "value")));
  reply_json(rep, 200, json_pack("{s:o}", "parameters", out));
  return 0;
}
